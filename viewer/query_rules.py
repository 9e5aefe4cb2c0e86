"""What a query asks and whether the data can answer it: the rules the window and the command line share.

:func:`fit_query` replaces what the data does not offer by defaults (in the window a click or a remembered
setting never leaves a chart empty for a reason the user cannot see); :func:`validate_query` instead says
what is wrong, one :class:`QueryProblem` per field, each naming what the data offers (the command line:
exit 2 with the reason); :func:`like_with_like` narrows a comparison to one population and timepoint.
Pure like :mod:`viewer.session`, which applies them to its catalog (import-linter proves both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

from viewer.charts.choices import ChartKind
from viewer.charts.query import DEFAULT_DRUGS, MAX_DRUGS, Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import ArmRole, EvidenceLevel


class QueryField(StrEnum):
    """The part of a query a problem is about (the command line names its option from it)."""

    DRUGS = "drugs"
    OUTCOME = "outcome"
    TIMEPOINT = "timepoint"
    POPULATION = "population"
    TRIALS = "trials"
    AE_TERM = "ae_term"
    SAFETY_TERM = "safety_term"
    VERIFIED_ONLY = "verified_only"
    SELECTION = "selection"  # every field is offered, and still nothing is left to show


@dataclass(frozen=True, slots=True)
class QueryProblem:
    """Why a query shows nothing: the field, the value asked for, the reason, and what the data offers."""

    field: QueryField
    value: str
    reason: str
    offered: tuple[str, ...] = ()

    def message(self) -> str:
        text = f"{self.value!r}: {self.reason}" if self.value else self.reason
        if self.offered:
            text += "; the data offers: " + ", ".join(self.offered)
        return text


class QueryError(Exception):
    """A query the data cannot answer (bad input, never a bug); carries every problem found."""

    def __init__(self, problems: Sequence[QueryProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.message() for p in self.problems))


def fit_query(query: Query, catalog: Catalog) -> Query:
    """``query`` with what the catalog does not know replaced by defaults, so no chart starts empty.

    Unknown drugs are dropped (the defaults come back when none is left), an unknown outcome, timepoint,
    population or adverse-event term resets to its default, and unknown trials are dropped.
    """
    base = Query()
    drugs = tuple(d for d in query.drugs if d in catalog.drugs)[:MAX_DRUGS]
    if not drugs:
        drugs = tuple(d for d in DEFAULT_DRUGS if d in catalog.drugs) or tuple(sorted(catalog.drugs))[:3]
    outcomes = catalog.outcome_ids()
    outcome = (
        query.outcome
        if query.outcome in outcomes
        else (base.outcome if base.outcome in outcomes or not outcomes else outcomes[0])
    )
    timepoint = query.timepoint if query.timepoint in catalog.timepoints() else ""
    population = query.population if query.population in catalog.populations() else ""
    trials = tuple(t for t in query.trials if catalog.has_trial(t))
    terms = catalog.adverse_event_terms()
    ae_term = (
        query.ae_term if query.ae_term in terms or not terms else (base.ae_term if base.ae_term in terms else terms[0])
    )
    safety = catalog.safety_terms()
    safety_term = (
        query.safety_term
        if query.safety_term in safety or not safety
        else (base.safety_term if base.safety_term in safety else safety[0])
    )
    fitted = Query(
        **{f.name: getattr(query, f.name) for f in fields(Query)}
        | {
            "drugs": drugs,
            "outcome": outcome,
            "timepoint": timepoint,
            "population": population,
            "trials": trials,
            "ae_term": ae_term,
            "safety_term": safety_term,
        }
    )
    return query if fitted == query else fitted


NOT_STATED = "not stated"  # a population label that says nothing: never the like-with-like default


def like_with_like(query: Query, catalog: Catalog) -> Query:
    """``query`` on one population and one timepoint, the most common among its drugs' trials.

    Comparing drugs across trials in different populations (methotrexate-naive against TNF-inadequate
    responders) or at week 12 against week 24 is not like with like. With two or more drugs, the
    population is the one in which most of the drugs have a trial reporting the query's outcome (ties:
    more such trials, then the name); the timepoint is the one at which most of the drugs report it in
    those trials (ties: more trials, then the earlier). A drug with nothing there is named in the chart
    with the reason, and "All" is one choice away. Fewer than two drugs, or no trial with a population:
    ``query`` unchanged.
    """
    drugs = [d for d in query.drugs if d in catalog.drugs]
    if len(drugs) < 2:
        return query
    found = [(d, t, tp) for d in drugs for t, tp in catalog.columns.reported(catalog.trials_of(d), d, query.outcome)]
    populations = catalog.populations_of([t for _, t, _ in found])
    # (drug, trial, population, timepoint), from the columns
    reports = [(d, t, p, tp) for (d, t, tp), p in zip(found, populations, strict=True)]
    population = _most_common([(d, t, p) for d, t, p, _ in reports if p and p.casefold() != NOT_STATED], str)
    if not population:
        return query
    from viewer.charts.common import timepoint_weeks

    at = [(d, t, tp) for d, t, p, tp in reports if p == population and tp]
    timepoint = _most_common(at, lambda tp: (timepoint_weeks(tp), tp))
    return query.with_(population=population, timepoint=timepoint or query.timepoint)


def _most_common(items: list[tuple[str, str, str]], order: Callable[[str], object]) -> str:
    """The value (third field) shared by the most drugs, then the most trials; ties go to ``order``."""
    drugs: dict[str, set[str]] = {}
    trials: dict[str, set[str]] = {}
    for d, t, value in items:
        drugs.setdefault(value, set()).add(d)
        trials.setdefault(value, set()).add(t)
    if not drugs:
        return ""
    return min(drugs, key=lambda v: (-len(drugs[v]), -len(trials[v]), order(v)))


def validate_query(query: Query, catalog: Catalog, kind: ChartKind = ChartKind.DOSE_RESPONSE) -> list[QueryProblem]:
    """Everything that makes ``query`` select nothing on a chart of ``kind``, each with what is offered.

    The filters are applied in the order the charts apply them (drugs, trials, population, then the
    outcome and its timepoint, or the adverse-event term), and the first one that leaves nothing is
    named, with what the data offers at that point: "week 99" is answered with the timepoints at which
    these drugs have this outcome, not with every timepoint in the catalog. An empty list means the
    filters select figures (the chart built from them may still have nothing to draw, e.g. a forest
    plot without a placebo arm: :meth:`Session.chart` checks that too).
    """
    from viewer.charts.common import timepoint_weeks
    from viewer.domain.effects import select_rows

    def drug_names() -> tuple[str, ...]:  # every drug's name, sorted: only for a problem's offer, not per click
        return sorted_names(d.name for d in catalog.drugs.values())

    if not query.drugs:
        return [QueryProblem(QueryField.DRUGS, "", "no drug is selected", drug_names())]
    unknown = [d for d in query.drugs if d not in catalog.drugs]
    if unknown:
        return [QueryProblem(QueryField.DRUGS, ", ".join(unknown), "not in the catalog", drug_names())]
    drugs = query.drugs
    who = ", ".join(catalog.drugs[d].name for d in drugs)
    if kind is ChartKind.SELECTIVITY:
        if any(catalog.drugs[d].selectivity for d in drugs):
            return []
        offered = sorted_names(d.name for d in catalog.drugs.values() if d.selectivity)
        return [QueryProblem(QueryField.DRUGS, who, "no IC50 values with a source", offered)]

    if kind is ChartKind.SAFETY_RATES:
        return _safety_problems(query, catalog, who)

    trial_ids = sorted({t for d in drugs for t in catalog.trials_of(d)})
    if not trial_ids:
        offered = sorted_names(d.name for d in catalog.drugs.values() if catalog.trials_of(d.id))
        return [QueryProblem(QueryField.DRUGS, who, "no trial in the catalog", offered)]
    if query.trials:
        kept = [t for t in trial_ids if t in query.trials]
        if not kept:
            offered = sorted_names(t.name for t in catalog.trials_among(trial_ids))
            return [QueryProblem(QueryField.TRIALS, ", ".join(query.trials), f"no trial of {who}", offered)]
        trial_ids = kept
    if query.population:
        populations = catalog.populations_of(trial_ids)  # from the columns: no Trial is made
        kept = [t for t, p in zip(trial_ids, populations, strict=True) if p == query.population]
        if not kept:
            offered = sorted_names(p for p in populations if p)
            return [
                QueryProblem(QueryField.POPULATION, query.population, f"no trial of {who} in this population", offered)
            ]
        trial_ids = kept
    where = f" in {query.population}" if query.population else ""

    def drugs_with(*, adverse: bool) -> tuple[str, ...]:
        """Names of the catalog's drugs (comparators without a monograph left out) with adverse events, or
        with results (from the columns: no figure is made)."""
        ids = catalog.columns.drugs_with_figures(adverse=adverse)
        return sorted_names(catalog.drugs[d].name for d in ids if d in catalog.drugs)

    # The figures of these trials' arms of these drugs, as rows of the catalog's columns: a click with
    # thousands of trials selected makes no figure here (the chart makes those it shows).
    tolerability = kind is ChartKind.TOLERABILITY
    columns = catalog.columns
    figures = columns.adverse_events if tolerability else columns.results
    rows = columns.treated_rows(trial_ids, drugs, adverse=tolerability)
    if tolerability:
        if not len(rows):
            offered = drugs_with(adverse=True)
            return [QueryProblem(QueryField.DRUGS, who, f"no adverse-event counts{where}", offered)]
        term = query.ae_term.casefold()
        terms = figures.endpoints_of(rows)
        if not any(t.casefold() == term for t in terms):
            reason = f"no adverse-event counts of {who}{where} under this term"
            return [QueryProblem(QueryField.AE_TERM, query.ae_term, reason, sorted_names(terms))]
    else:
        if not len(rows):
            offered = drugs_with(adverse=False)
            return [QueryProblem(QueryField.DRUGS, who, f"no results{where}", offered)]
        mine = figures.at_endpoint(rows, query.outcome)
        if not len(mine):
            reported = set(figures.endpoints_of(rows))
            offered = tuple(o for o in catalog.outcome_ids() if o in reported)
            return [
                QueryProblem(QueryField.OUTCOME, query.outcome, f"no results of {who}{where} for this outcome", offered)
            ]
        timepoints = figures.timepoints_of(mine)
        if query.timepoint and query.timepoint not in timepoints:
            offered = tuple(sorted(timepoints, key=lambda t: (timepoint_weeks(t), t)))
            reason = f"no {query.outcome} results of {who}{where} at this timepoint"
            return [QueryProblem(QueryField.TIMEPOINT, query.timepoint, reason, offered)]

    def shows(q: Query) -> bool:
        """Whether ``q`` selects a figure of a treated arm (the chart's own selection, as rows: no figure,
        effect or comparison is made to know)."""
        endpoint = q.ae_term if tolerability else q.outcome
        chosen = select_rows(
            catalog, drugs, endpoint, adverse=tolerability, timepoint=q.timepoint, trials=q.trials,
            population=q.population, verified_only=q.verified_only, order=timepoint_weeks,
        )  # fmt: skip
        return len(columns.treated(chosen.rows, drugs, adverse=tolerability)) > 0

    if shows(query):
        return []
    if query.verified_only and shows(query.with_(verified_only=False)):
        reason = "every figure selected is secondary or unverified, and only verified figures are asked for"
        return [QueryProblem(QueryField.VERIFIED_ONLY, "", reason)]
    return [QueryProblem(QueryField.SELECTION, "", f"no figure of a treated arm of {who} to show")]


def _safety_problems(query: Query, catalog: Catalog, who: str) -> list[QueryProblem]:
    """Why the patient-year rate chart of ``query`` is empty: no rate for these drugs, none of this outcome,
    or none verified when only verified figures are asked for."""
    mine = [r for r in catalog.safety_rates if r.drug_id in query.drugs and r.role is ArmRole.DRUG]
    if not mine:
        offered = sorted_names(
            catalog.drugs[r.drug_id].name for r in catalog.safety_rates if r.drug_id in catalog.drugs
        )
        return [QueryProblem(QueryField.DRUGS, who, "no patient-year safety rates", offered)]
    of_term = [r for r in mine if r.term == query.safety_term]
    if not of_term:
        offered = tuple(t for t in catalog.safety_terms() if any(r.term == t for r in mine))
        reason = f"no patient-year rates of {who} for this safety outcome"
        return [QueryProblem(QueryField.SAFETY_TERM, query.safety_term, reason, offered)]
    if query.verified_only and not any(r.level is EvidenceLevel.VERIFIED for r in of_term):
        reason = "every rate selected is secondary or unverified, and only verified figures are asked for"
        return [QueryProblem(QueryField.VERIFIED_ONLY, "", reason)]
    return []


def sorted_names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(names), key=str.casefold))


def outcome_choice(outcome_id: str, title: str) -> str:
    """An outcome as offered to the user: its id, and its title only when that says something more.

    A registry outcome's id is its title, so "id (title)" would print the same long title twice.
    """
    return outcome_id if not title or title.casefold() == outcome_id.casefold() else f"{outcome_id} ({title})"

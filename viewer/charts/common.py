"""What every chart shares: which figures the query selects, how a figure is described, the footnotes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from viewer.charts.palette import LEGEND_GREY, drug_colour, drug_colours, trial_colour, trial_symbol
from viewer.charts.query import Query
from viewer.charts.spec import LegendEntry, Mark, Marker
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison, Figure, adverse_figures, result_figures
from viewer.domain.effects import effect_table, select_rows
from viewer.domain.model import ArmRole, Direction, EvidenceLevel, Result, Source, SourceKind
from viewer.domain.stats import Estimate

HOLLOW_NOTE = (
    "Marks: filled = read in a primary source; tinted = secondary source (review, summary, news, press release "
    "or copy); hollow with a dashed edge = recalled (unverified). 'Verified figures only' keeps the filled ones."
)
MARK_OF = {
    EvidenceLevel.VERIFIED: Mark.PRIMARY,
    EvidenceLevel.SECONDARY: Mark.SECONDARY,
    EvidenceLevel.UNVERIFIED: Mark.RECALLED,
}


def evidence_legend(levels: Iterable[EvidenceLevel]) -> tuple[LegendEntry, ...]:
    """One legend entry per evidence mark drawn (all three when any is not primary), in a neutral grey."""
    marks = {MARK_OF[level] for level in levels}
    if marks <= {Mark.PRIMARY}:
        return ()
    return tuple(
        LegendEntry(m.label, LEGEND_GREY, Marker.CIRCLE, line=False, hollow=m is not Mark.PRIMARY, mark=m)
        for m in (Mark.PRIMARY, Mark.SECONDARY, Mark.RECALLED)
        if m in marks
    )


@dataclass(frozen=True, slots=True)
class Selection:
    """The figures a query selects, with the comparisons made from them and how to style each drug."""

    figures: tuple[Figure, ...]
    comparisons: tuple[Comparison, ...]
    drug_order: tuple[str, ...]
    drug_trials: tuple[tuple[str, str], ...] = ()  # (trial, drug) pairs drawn, in drawing order
    colours: Mapping[str, str] = field(default_factory=dict)  # drug -> its session colour (palette.py)
    trial_places: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (drug, trial) -> place

    def colour(self, drug_id: str) -> str:
        """The drug's colour for the whole session (its place in the catalog, not in the ticks)."""
        return self.colours.get(drug_id) or drug_colour(self.drug_order.index(drug_id))

    def symbol(self, drug_id: str, trial_id: str) -> Marker:
        """The trial's marker, fixed by its place among the drug's catalog trials: colour (drug) and marker
        (trial) name a series, and "verified only" dropping a trial never re-marks the others."""
        return trial_symbol(self.trial_places.get((drug_id, trial_id), 0))

    def trial_colour(self, drug_id: str, trial_id: str) -> str:
        """The trial's colour in a panel of its drug (colour goes to trials there), fixed like its marker."""
        return trial_colour(self.trial_places.get((drug_id, trial_id), 0))


def select(catalog: Catalog, query: Query, *, adverse: bool = False) -> Selection:
    """Figures of the query's drugs (and the placebo of their trials) under its filters.

    One vectorised pass over the catalog's columns finds the figures and computes every effect
    (``viewer.domain.effects``); objects are made for the selected figures only, so a 1,000,000-arm
    catalog costs a few vector operations and the selection.
    """
    drugs = tuple(d for d in query.drugs if d in catalog.drugs)
    rows = select_rows(
        catalog, drugs, query.ae_term if adverse else query.outcome, adverse=adverse, timepoint=query.timepoint,
        trials=query.trials, population=query.population, verified_only=query.verified_only, order=timepoint_weeks,
    )  # fmt: skip
    row_list = rows.rows.tolist()
    if adverse:
        figures = adverse_figures(catalog, [catalog.adverse_events[r] for r in row_list])
    else:
        figures = result_figures(catalog, [catalog.results[r] for r in row_list])
    outcome = catalog.outcomes.get(query.outcome)
    harm = adverse or (outcome is not None and outcome.direction is Direction.HARM)
    table = effect_table(catalog, rows, diff_method=query.diff_ci, rate_method=query.rate_ci)
    comparisons = table.comparisons(catalog, harm=harm, made=dict(zip(row_list, figures, strict=True)))
    comparisons = [c for c in comparisons if c.treated.arm.drug_id in drugs]
    comparisons.sort(key=lambda c: (drugs.index(c.treated.arm.drug_id), c.treated.trial.name, _dose(c.treated)))
    pairs = dict.fromkeys((c.treated.trial.id, c.treated.arm.drug_id) for c in comparisons)
    colours = drug_colours(catalog)
    places = {(d, t): k for d in drugs for k, t in enumerate(sorted(catalog.trials_of(d)))}  # as trial_index
    return Selection(tuple(figures), tuple(comparisons), drugs, tuple(pairs), colours, places)


def query_trials(catalog: Catalog, query: Query) -> tuple[tuple[str, ...], list[str]]:
    """The query's drugs that the catalog knows, and the ids of their trials under the trial and population
    filters (sorted)."""
    drugs = tuple(d for d in query.drugs if d in catalog.drugs)
    trial_ids = sorted({t for d in drugs for t in catalog.trials_of(d)})
    if query.trials:
        kept = set(query.trials)
        trial_ids = [t for t in trial_ids if t in kept]
    if query.population:  # from the columns' codes (each id is the catalog's: ``trials_of``): no Trial is made
        populations = catalog.populations_of(trial_ids)
        trial_ids = [t for t, p in zip(trial_ids, populations, strict=True) if p == query.population]
    return drugs, trial_ids


def timepoint_weeks(timepoint: str) -> float:
    """'week 12' -> 12, 'month 3' -> 13.0; anything else sorts last."""
    parts = timepoint.lower().replace("/", " ").split()
    for unit, factor in (("week", 1.0), ("month", 52.0 / 12.0), ("day", 1.0 / 7.0)):
        if unit in parts[:1] and len(parts) > 1:
            try:
                return float(parts[1]) * factor
            except ValueError:
                break
    return float("inf")


def default_timepoint(primary: str, results: Sequence[Result]) -> str:
    """With no timepoint chosen, each trial shows its primary timepoint, else its earliest one, so a
    trial reported at month 3 and month 6 is one series, not two."""
    reported = {r.timepoint for r in results}
    if primary in reported:
        return primary
    return min(reported, key=lambda t: (timepoint_weeks(t), t), default="")


def _dose(f: Figure) -> float:
    return f.arm.daily_dose_mg if f.arm.daily_dose_mg is not None else float("inf")


def counts_text(f: Figure) -> str:
    if f.has_counts:
        derived = " (derived from %)" if f.derived else ""
        return f"{f.count}/{f.n}{derived}"
    if f.percent is not None:
        return f"{f.percent:g}% (n not reported)"
    return "not reported"


def interval_text(estimate: Estimate | None, *, scale: float = 100.0, unit: str = "%") -> str:
    if estimate is None:
        return "no CI (n not reported)"
    return f"{estimate.low * scale:.1f}{unit} to {estimate.high * scale:.1f}{unit} ({estimate.method.label})"


def short_counts(f: Figure) -> str:
    """n/N for a table cell; '*' marks a count derived from a reported percentage (DERIVED_NOTE)."""
    if f.has_counts:
        return f"{f.count}/{f.n}{'*' if f.derived else ''}"
    return f"{f.percent:g}%" if f.percent is not None else "–"


DERIVED_NOTE = "* count derived from a reported percentage and n."


def count_note_footnote(figures: Iterable[Figure]) -> str:
    """How many counts came from a percentage that fits no whole count or several (stats.count_from_percent);
    empty when none did. The tooltip and the CSV's ``count_note`` say which."""
    flagged = sum(1 for f in figures if f.count_note)
    if not flagged:
        return ""
    return (
        f"Counts from a percentage that fits no or several whole counts: {flagged} (the tooltip and the CSV's "
        "count_note say which)."
    )


def dose_text(f: Figure) -> str:
    arm = f.arm
    if arm.role is ArmRole.PLACEBO:
        return "placebo"
    daily = f", {arm.daily_dose_mg:g} mg/day" if arm.daily_dose_mg is not None else ""
    return f"{arm.label}{daily}"


def figure_tooltip(catalog: Catalog, f: Figure, estimate: Estimate | None, extra: Sequence[str] = ()) -> str:
    """Everything a sceptical reader asks of a point: arm, dose, n/N, %, CI, trial and source."""
    trial = f.trial
    source = catalog.source(f.source_id)
    drug = catalog.drugs.get(f.arm.drug_id)
    who = drug.name if drug else ("Placebo" if f.arm.role is ArmRole.PLACEBO else f.arm.drug_id)
    share = f"{100 * f.proportion:.1f}%" if f.proportion is not None else "not reported"
    lines = [
        f"{who}: {dose_text(f)}",
        f"{f.endpoint} at {f.timepoint}: {counts_text(f)} = {share}",
        f"95% CI {interval_text(estimate)}",
        *extra,
        f"Trial: {trial.name}" + (f" ({trial.nct})" if trial.nct else "") + f", {trial.population}",
        f"Source: {source.short() if source else f.source_id} [{evidence_text(catalog, f.source_id, f.level)}]",
    ]
    if f.note:
        lines.append(f"Note: {f.note}")
    if f.provenance:
        lines.append(f"Provenance: {f.provenance}")
    return "\n".join(lines)


def source_kind(catalog: Catalog, source_id: str) -> SourceKind | None:
    source = catalog.sources.get(source_id)
    return source.kind if source else None


def kind_text(kind: SourceKind | None) -> str:
    return kind.value if kind else "kind not stated"


def evidence_text(catalog: Catalog, source_id: str, level: EvidenceLevel) -> str:
    """'verified · article', 'secondary · review', 'unverified · recalled': the level and what it rests on."""
    return f"{level.value} · {kind_text(source_kind(catalog, source_id))}"


def source_text(source: Source | None, source_id: str, provenance: str = "") -> str:
    """The citation with its identifiers, and for imported numbers the full registry provenance."""
    if source is None:
        parts = [source_id]
    else:
        parts = [source.short()]
        parts += [f"PMID {source.pmid}"] if source.pmid else []
        parts += [f"doi:{source.doi}"] if source.doi else []
        parts += [source.nct] if source.nct else []
    if provenance:
        parts.append(provenance)
    return "; ".join(parts)


class Sourced(Protocol):
    """Anything that names its source and level: a figure, a safety rate, a hazard ratio."""

    @property
    def source_id(self) -> str: ...

    @property
    def level(self) -> EvidenceLevel: ...


def source_footnote(catalog: Catalog, figures: Iterable[Sourced]) -> str:
    """Every source drawn from, each with its kind, so a review or a copy is never read as primary."""
    ids = sorted({f.source_id for f in figures})
    cites = [
        f"{catalog.sources[i].short()} [{kind_text(catalog.sources[i].kind)}]" if i in catalog.sources else i
        for i in ids
    ]
    return "Sources: " + "; ".join(cites) if cites else ""


def evidence_footnote(catalog: Catalog, figures: Iterable[Sourced]) -> str:
    """How many drawn figures stand on each level, with the source kinds behind each."""
    by_level: dict[EvidenceLevel, dict[str, int]] = {}
    for f in figures:
        kinds = by_level.setdefault(f.level, {})
        kind = kind_text(source_kind(catalog, f.source_id))
        kinds[kind] = kinds.get(kind, 0) + 1
    parts = []
    for level in (EvidenceLevel.VERIFIED, EvidenceLevel.SECONDARY, EvidenceLevel.UNVERIFIED):
        counts = by_level.get(level)
        if counts:
            detail = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
            parts.append(f"{sum(counts.values())} {level.value} ({detail})")
    return "Evidence: " + "; ".join(parts) + "." if parts else ""


def honesty_warning(figures: Sequence[Figure]) -> str:
    """Cross-trial differences are not randomised; say so whenever a chart mixes settings."""
    populations = sorted({f.trial.population for f in figures if f.trial.population})
    timepoints = sorted({f.timepoint for f in figures if f.timepoint})
    trials = {f.trial.id for f in figures}
    if len(trials) < 2 or (len(populations) < 2 and len(timepoints) < 2):
        return ""
    parts = []
    if len(populations) > 1:
        parts.append("populations (" + ", ".join(populations) + ")")
    if len(timepoints) > 1:
        parts.append("timepoints (" + ", ".join(timepoints) + ")")
    return (
        "Cross-trial comparison: these trials differ in " + " and ".join(parts)
        + "; differences between trials are not randomised."
    )  # fmt: skip


def any_hollow(figures: Iterable[Figure]) -> bool:
    return any(f.level is not EvidenceLevel.VERIFIED for f in figures)

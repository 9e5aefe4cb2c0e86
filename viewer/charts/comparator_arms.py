"""Active comparators in the drawn trials: randomised arms of another drug, read against the ticked drug.

Adalimumab in SELECT-COMPARE and RA-BEAM, the TNF inhibitors of ORAL Surveillance: these arms are evidence
the trial itself chose to compare with, and ORAL Surveillance has no placebo at all, so its tofacitinib
rates mean little without the TNF-inhibitor rate beside them. They have no place on a ticked drug's dose
axis, so a dose-response or tolerability chart draws each as a dashed grey line at its rate across its own
trial's doses (the 95% interval at the right end), named with its trial and full provenance on hover and
keyed by one legend entry, "Active comparator"; on a difference-from-placebo chart they are named as
left out. Either way the CSV has a row for each (issue 15: nothing vanishes without a word).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import replace

from viewer.charts.common import MARK_OF, figure_tooltip, kind_text, source_kind, source_text
from viewer.charts.palette import COMPARATOR_GREY
from viewer.charts.placement import LeftOut, PointKey
from viewer.charts.query import Query
from viewer.charts.spec import LegendEntry, Marker, Point, Series
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison, Figure, adverse_figures, result_figures
from viewer.domain.measures import RateCI
from viewer.domain.model import ArmRole, EvidenceLevel
from viewer.domain.stats import Estimate, rate

__all__ = [
    "COMPARATOR", "comparator_figures", "comparator_footnote", "comparator_left_out",
    "comparator_rows", "comparator_series",
]  # fmt: skip

COMPARATOR = "Active comparator"  # the legend entry, and the first part of each comparator line's name
ADJUSTED_REASON = "active comparator: a difference-from-placebo chart draws only the ticked drugs' arms"


def comparator_figures(catalog: Catalog, query: Query, drawn: Sequence[Comparison], *, adverse: bool) -> list[Figure]:
    """The active-comparator figures of the drawn trials at the endpoint and timepoint drawn for each trial
    (verified ones only when the query keeps verified figures only)."""
    wanted = {(c.treated.trial.id, c.treated.endpoint, c.treated.timepoint) for c in drawn}
    found: list[Figure] = []
    for trial_id in dict.fromkeys(c.treated.trial.id for c in drawn):  # the drawn order, the same in every run
        arms = {a.id for a in catalog.arms_of(trial_id) if a.role is ArmRole.ACTIVE}
        if not arms:
            continue
        if adverse:
            figures = adverse_figures(catalog, [e for e in catalog.adverse_events_of(trial_id) if e.arm_id in arms])
        else:
            figures = result_figures(catalog, [r for r in catalog.results_of(trial_id) if r.arm_id in arms])
        found += [
            f
            for f in figures
            if (trial_id, f.endpoint, f.timepoint) in wanted
            and (not query.verified_only or f.level is EvidenceLevel.VERIFIED)
        ]
    return found


def _rate(f: Figure, method: RateCI) -> Estimate | None:
    return rate(int(f.count or 0), int(f.n or 0), method) if f.has_counts else None


def comparator_series(
    catalog: Catalog, query: Query, figures: Sequence[Figure], series: Sequence[Series], group_of: dict[str, str]
) -> tuple[list[Series], list[LegendEntry]]:
    """A dashed grey line per comparator at its rate, across the doses its trial's own series span (a
    single mark, with its interval, when the trial has one), and the legend entries naming them.

    ``group_of`` maps a trial id to the panel (drug id) its drawn arms are in."""
    xs_of: dict[str, list[float]] = {}  # each trial's plotted doses, in one pass over the points
    for s in series:
        for p in s.points:
            if p.key:
                xs_of.setdefault(p.key[0], []).append(p.x)
    out: list[Series] = []
    for f in figures:
        share = f.proportion
        xs = xs_of.get(f.trial.id, [])
        if share is None or f.trial.id not in group_of or not xs:
            continue
        est = _rate(f, query.rate_ci)
        why = "Active comparator: not a dose of the ticked drug; drawn across its trial's doses"
        end = Point(
            x=max(xs),
            y=100 * share,
            low=100 * est.low if est else None,
            high=100 * est.high if est else None,
            label=f.arm.label,
            tooltip=figure_tooltip(catalog, f, est, [why]),
            hollow=f.level is not EvidenceLevel.VERIFIED,
            mark=MARK_OF[f.level],
            key=f.key,
        )
        start = replace(end, x=min(xs), low=None, high=None, key=())  # the line's other end: no second figure
        points = (start, end) if start.x < end.x else (end,)
        name = f"{COMPARATOR} · {_drug(f)} · {f.trial.name}"
        out.append(Series(name, COMPARATOR_GREY, Marker.PLUS, points, dashed=True, group=group_of[f.trial.id]))
    # one short entry for them all (a click hides them all): which drug and trial is in each line's tooltip,
    # so four narrow panels keep their plot room
    legend = [LegendEntry(COMPARATOR, COMPARATOR_GREY, Marker.PLUS, dashed=True)] if out else []
    return out, legend


def _drug(f: Figure) -> str:
    """'Adalimumab', 'Methotrexate', 'TNF inhibitor': the comparator's drug as the arm table names it."""
    return f.arm.drug_id[:1].upper() + f.arm.drug_id[1:]


def comparator_left_out(figures: Sequence[Figure], shown: Set[PointKey], *, adjusted: bool) -> list[LeftOut]:
    """The comparators a chart does not draw (their keys not among the ``shown`` points'), and why."""

    def why(f: Figure) -> str:
        if adjusted:
            return ADJUSTED_REASON
        if f.proportion is None:
            return "active comparator: no rate reported"
        return "active comparator of a trial with no arm on the dose axis"

    return [LeftOut(f.key, why(f)) for f in figures if f.key not in shown]


def comparator_footnote(figures: Sequence[Figure], shown: Set[PointKey]) -> str:
    """What the dashed grey lines are, or which comparators a chart names without drawing."""
    missing = "; ".join(dict.fromkeys(f"{f.arm.label} in {f.trial.name}" for f in figures if f.key not in shown))
    parts = []
    if len(shown & {f.key for f in figures}):
        parts.append(
            "Dashed grey: a trial's active comparator at its rate, across that trial's doses (not a dose of the "
            "ticked drug; the CSV has its counts)."
        )
    if missing:
        parts.append(f"Active comparators not drawn (their rates are in the CSV): {missing}.")
    return " ".join(parts)


def comparator_rows(
    catalog: Catalog, query: Query, figures: Sequence[Figure]
) -> list[dict[str, str | int | float | None]]:
    """One CSV row per comparator figure: its counts, rate and interval, source and level (the effect
    columns stay empty: the chart compares the ticked drugs with placebo)."""
    rows: list[dict[str, str | int | float | None]] = []
    for f in figures:
        est = _rate(f, query.rate_ci)
        rows.append(
            {
                "drug": f"{_drug(f)} (comparator)",
                "trial": f.trial.name,
                "nct": f.trial.nct,
                "population": f.trial.population,
                "arm": f.arm.label,
                "dose": f"{f.arm.dose:g} {f.arm.unit} {f.arm.frequency}".strip() if f.arm.dose is not None else "",
                "outcome": f.endpoint,
                "timepoint": f.timepoint,
                "responders": f.count,
                "n": f.n,
                "rate": f.proportion,
                "rate_ci_low": est.low if est else None,
                "rate_ci_high": est.high if est else None,
                "derived": "yes" if f.derived else "no",
                "source": source_text(catalog.source(f.source_id), f.source_id, f.provenance),
                "level": f.level.value,
                "source_kind": kind_text(source_kind(catalog, f.source_id)),
                "rate_ci_method": est.method.value if est else "",
                "reported_percent": f.percent,
                "note": f.note,
                "count_note": f.count_note,
            }
        )
    return rows

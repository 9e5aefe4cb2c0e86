"""The class safety outcomes per 100 patient-years: each group beside the comparator of its own analysis.

Serious infection, herpes zoster, MACE, VTE, malignancy and death are judged for the JAK inhibitors by
exposure-adjusted incidence rates from integrated safety analyses and labels, and by ORAL Surveillance's
hazard ratios (jak-ra-evidence.md). This chart draws one outcome at a time (``Query.safety_term``): a row
per group of the selected drugs, its analysis' placebo or active comparator right below it, the rate as
printed with its printed interval, else the exact Poisson (Garwood) interval from events and
patient-years. The rate ratio (exact conditional) and difference (Wald) against the comparator are
computed only where both give events and patient-years (:mod:`viewer.domain.safety`). Rates of
different analyses differ in population, follow-up and event definition, so the chart says so and
never joins them; hazard ratios (a Cox model, not recomputable) are named in the footnotes and the CSV.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from viewer.charts.common import (
    HOLLOW_NOTE,
    MARK_OF,
    evidence_footnote,
    evidence_legend,
    kind_text,
    source_footnote,
    source_kind,
    source_text,
)
from viewer.charts.palette import COMPARATOR_GREY, drug_colour
from viewer.charts.placement import Fate, LeftOut, PointFate, PointKey
from viewer.charts.query import Query
from viewer.charts.spec import (
    ChartKind,
    ChartSpec,
    LegendEntry,
    Marker,
    Orientation,
    Point,
    RefLine,
    Series,
    SeriesStyle,
    TextColumn,
)
from viewer.domain.catalog import Catalog
from viewer.domain.model import ArmRole, EvidenceLevel, HazardRatio, SafetyRate
from viewer.domain.safety import RateComparison, compare_rates

ZERO_PAD = 0.04  # room left of rate 0, as a fraction of the axis span (see build_safety_rates)
X_LABEL = "Events per 100 patient-years (95% CI)"
COMPARATOR_SERIES = "Comparator of the analysis (placebo or active)"
PRINTED = "as printed"
NOT_VERIFIED = "not verified ('verified figures only' is on)"
HR_IN_FOOTNOTES = "in the footnotes (a hazard ratio is not a rate)"
CROSS_ANALYSIS_WARNING = (
    "Rates from different analyses are not comparable (populations, follow-up and event definitions differ): "
    "read each group only against the comparator of its own analysis."
)

COLUMNS: tuple[str, ...] = (
    "measure", "term", "drug", "analysis", "group", "role", "daily_dose_mg", "period",
    "events", "patient_years", "rate_per_100py", "rate_ci_low", "rate_ci_high", "rate_ci_method",
    "comparator", "comparator_events", "comparator_patient_years",
    "rate_ratio", "rate_ratio_ci_low", "rate_ratio_ci_high", "rate_ratio_method",
    "rate_difference_per_100py", "rate_difference_ci_low", "rate_difference_ci_high", "rate_difference_method",
    "hazard_ratio", "hazard_ratio_ci_low", "hazard_ratio_ci_high", "chart", "chart_note",
    "source", "level", "source_kind", "note",
)  # fmt: skip

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class RateRow:
    """One drawn group: its rate, interval and where the interval comes from."""

    comparison: RateComparison
    value: float
    low: float | None
    high: float | None
    interval_method: str  # "as printed", the computed method's label, or "" when there is none

    @property
    def rate(self) -> SafetyRate:
        return self.comparison.rate

    @property
    def is_comparator(self) -> bool:
        return self.rate.role is not ArmRole.DRUG


def rate_rows(catalog: Catalog, query: Query) -> list[RateRow]:
    """The groups of the query's drugs with ``query.safety_term``, each analysis' comparator after its groups.

    Analyses come in the order of the query's drugs, their groups by daily dose; "verified figures only"
    keeps the verified rates (a comparator that is not verified is then left out, and so is the comparison).
    """
    drugs = [d for d in query.drugs if d in catalog.drugs]
    wanted = [r for r in _candidates(catalog, query) if not query.verified_only or r.level is EvidenceLevel.VERIFIED]
    comparisons = compare_rates(wanted)
    treated = [c for c in comparisons if c.rate.role is ArmRole.DRUG and c.rate.drug_id in drugs]
    treated.sort(key=lambda c: (drugs.index(c.rate.drug_id), _dose(c.rate)))
    analyses = list(dict.fromkeys(c.rate.analysis for c in treated))
    rows: list[RateRow] = []
    for analysis in analyses:
        rows += [_row(c) for c in treated if c.rate.analysis == analysis]
        rows += [_row(c) for c in comparisons if c.rate.analysis == analysis and c.rate.role is not ArmRole.DRUG]
    return rows


def _candidates(catalog: Catalog, query: Query) -> list[SafetyRate]:
    """The rates of ``query.safety_term`` in the analyses that have a group of the query's drugs."""
    of_term = [r for r in catalog.safety_rates if r.term == query.safety_term]
    analyses = {r.analysis for r in of_term if r.role is ArmRole.DRUG and r.drug_id in query.drugs}
    return [r for r in of_term if r.analysis in analyses]


def rate_key(rate: SafetyRate) -> PointKey:
    """The point of one group's rate: its analysis, group and outcome."""
    return (rate.analysis, rate.group, rate.term)


def hidden_rates(catalog: Catalog, query: Query) -> list[SafetyRate]:
    """The rates "verified figures only" keeps off the chart (none when it is off)."""
    if not query.verified_only:
        return []
    return [r for r in _candidates(catalog, query) if r.level is not EvidenceLevel.VERIFIED]


def _dose(rate: SafetyRate) -> float:
    return rate.daily_dose_mg if rate.daily_dose_mg is not None else math.inf


def _row(c: RateComparison) -> RateRow:
    """The printed rate, else ours from events and patient-years (the loader requires one or the other)."""
    r = c.rate
    if r.rate is not None:
        value = r.rate
    else:
        assert c.computed is not None, "the loader refuses a rate row with neither a rate nor person-time"
        value = c.computed.value
    if r.rate_low is not None and r.rate_high is not None:
        return RateRow(c, value, r.rate_low, r.rate_high, PRINTED)
    if c.computed is not None:
        return RateRow(c, value, c.computed.low, c.computed.high, c.computed.method.label)
    return RateRow(c, value, None, None, "")


def hazard_ratios(catalog: Catalog, query: Query) -> list[HazardRatio]:
    """The printed hazard ratios of the query's drugs for its safety outcome."""
    return [
        h for h in catalog.hazard_ratios
        if h.term == query.safety_term and h.drug_id in query.drugs
        and (not query.verified_only or h.level is EvidenceLevel.VERIFIED)
    ]  # fmt: skip


def _who(catalog: Catalog, rate: SafetyRate) -> str:
    if rate.role is ArmRole.PLACEBO:
        return "Placebo"
    drug = catalog.drugs.get(rate.drug_id)
    return drug.name if drug else rate.drug_id or "Comparator"


def _source_short(catalog: Catalog, source_id: str) -> str:
    source = catalog.source(source_id)
    return source.short() if source else source_id


def comparison_text(row: RateRow) -> str:
    """'RR 1.13 (0.84 to 1.53); RD +0.40 (-0.10 to +0.90) per 100 PY' against the analysis' comparator, or why not."""
    c = row.comparison
    if row.is_comparator:
        return "the comparator"
    if c.comparator is None:
        return "no comparator in this analysis"
    if c.ratio is None or c.difference is None:
        return "not computed (events or patient-years not printed)"
    ratio, diff = c.ratio, c.difference
    return (
        f"RR {_num(ratio.value)} ({_num(ratio.low)} to {_num(ratio.high)}); "
        f"RD {diff.value:+.2f} ({diff.low:+.2f} to {diff.high:+.2f}) per 100 PY"
    )


def ratio_cell(row: RateRow) -> str:
    """The chart's compact column: 'ref.' for the comparator, the rate ratio with its CI, or '–'."""
    c = row.comparison
    if row.is_comparator:
        return "ref."
    if c.ratio is None:
        return "–"
    return f"{_num(c.ratio.value)} ({_num(c.ratio.low)}–{_num(c.ratio.high)})"


def _num(value: float) -> str:
    return "∞" if math.isinf(value) else "n/a" if math.isnan(value) else f"{value:.2f}"


def _counts_text(rate: SafetyRate) -> str:
    events = f"{rate.events}" if rate.events is not None else "–"
    years = f"{rate.patient_years:g}" if rate.patient_years is not None else "–"
    return f"{events} / {years}"


def _tooltip(catalog: Catalog, row: RateRow) -> str:
    r, c = row.rate, row.comparison
    interval = f"{row.low:g} to {row.high:g} ({row.interval_method})" if row.low is not None else "no interval"
    lines = [
        f"{_who(catalog, r)}: {r.group}",
        f"{r.term}: {row.value:g} per 100 patient-years, 95% CI {interval}",
        f"Events / patient-years: {_counts_text(r)}",
        f"Analysis: {r.analysis}" + (f", {r.period}" if r.period else ""),
    ]
    if not row.is_comparator:
        named = f"{_who(catalog, c.comparator)}: {c.comparator.group}" if c.comparator else "none in this analysis"
        lines.append(f"Comparator: {named}")
        lines.append(f"Against it: {comparison_text(row)}")
    level = f"{r.level.value} · {kind_text(source_kind(catalog, r.source_id))}"
    lines.append(f"Source: {_source_short(catalog, r.source_id)} [{level}]")
    if r.note:
        lines.append(f"Note: {r.note}")
    return "\n".join(lines)


def build_safety_rates(catalog: Catalog, query: Query) -> ChartSpec:
    """The patient-year rate chart of ``query.safety_term`` for the query's drugs (see the module docstring)."""
    term = query.safety_term
    title = f"{term[:1].upper() + term[1:]}: events per 100 patient-years, each group beside its analysis' comparator"
    drawn = rate_rows(catalog, query)
    left_out = tuple(LeftOut(rate_key(r), NOT_VERIFIED) for r in hidden_rates(catalog, query))
    if not drawn:
        names = ", ".join(catalog.drugs[d].name for d in query.drugs if d in catalog.drugs) or "the selected drugs"
        return ChartSpec(
            ChartKind.SAFETY_RATES, title, X_LABEL, "",
            empty_message=f"No patient-year rates of {term} for {names}.", left_out=left_out,
        )  # fmt: skip
    drugs = [d for d in query.drugs if d in catalog.drugs]
    points: dict[str, list[Point]] = {}
    ticks, versus = [], []
    headings: list[float] = []
    analyses = list(dict.fromkeys(row.rate.analysis for row in drawn))
    y = float(len(drawn) + len(analyses))
    for analysis in analyses:
        ticks.append((y, analysis))  # a heading row (bold, no point on it): the analysis' groups follow
        headings.append(y)
        y -= 1.0
        for row in (row for row in drawn if row.rate.analysis == analysis):
            r = row.rate
            ticks.append((y, r.group))
            versus.append((y, ratio_cell(row)))
            point = Point(
                x=row.value,
                y=y,
                low=row.low,
                high=row.high,
                label=f"{r.group} · {r.analysis}",
                tooltip=_tooltip(catalog, row),
                hollow=r.level is not EvidenceLevel.VERIFIED,
                mark=MARK_OF[r.level],
                key=rate_key(r),
            )
            points.setdefault("" if row.is_comparator else r.drug_id, []).append(point)
            y -= 1.0
    series = [
        Series(catalog.drugs[d].name, drug_colour(drugs.index(d)), Marker.SQUARE, tuple(points[d]),
               style=SeriesStyle.SCATTER, orientation=Orientation.HORIZONTAL)
        for d in drugs if d in points
    ]  # fmt: skip
    if "" in points:
        series.append(
            Series(COMPARATOR_SERIES, COMPARATOR_GREY, Marker.CIRCLE, tuple(points[""]),
                   style=SeriesStyle.SCATTER, orientation=Orientation.HORIZONTAL)
        )  # fmt: skip
    highs = [row.high if row.high is not None else row.value for row in drawn]
    hi = max([*highs, 0.5]) * 1.08
    # A rate of 0 (no events: a placebo arm) sits on the axis' left end; without room below 0 the end cuts
    # its marker in half. ZERO_PAD of the span is ~8 px of a 200 px plot: more than half a 9 px marker.
    lo = -ZERO_PAD * hi
    legend = tuple(LegendEntry(s.name, s.color, s.symbol, line=False) for s in series)
    legend += evidence_legend(row.rate.level for row in drawn)
    return ChartSpec(
        kind=ChartKind.SAFETY_RATES,
        title=title,
        x_label=X_LABEL,
        y_label="",
        series=tuple(series),
        ref_lines=(RefLine(0.0, vertical=True),),
        x_range=(lo, hi),
        y_range=(0.3, len(ticks) + 0.7),
        y_ticks=tuple(ticks),
        y_headings=tuple(headings),
        text_columns=(TextColumn("Rate ratio (95% CI)", tuple(versus)),),
        legend=legend,
        footnotes=tuple(f for f in _footnotes(catalog, query, drawn) if f),
        warnings=(CROSS_ANALYSIS_WARNING,) if len(analyses) > 1 else (),
        left_out=left_out,
    )


def _footnotes(catalog: Catalog, query: Query, drawn: Sequence[RateRow]) -> list[str]:
    notes = [
        "Rates and intervals as printed by each source. Where none was printed but events and patient-years were: "
        "exact Poisson interval (Garwood 1936), which assumes Poisson counts (recurrent events widen it). "
        "Rate ratio column: exact conditional (Breslow & Day 1987) against the comparator ('ref.') of the same "
        "analysis, only where both print events and patient-years ('–' otherwise); the rate difference (Wald, "
        "Rothman 2008) is in the tooltip and the CSV.",
    ]
    for h in hazard_ratios(catalog, query):
        trial = catalog.trials.get(h.trial_id)
        level = f"{h.level.value} · {kind_text(source_kind(catalog, h.source_id))}"
        notes.append(
            f"Hazard ratio, {trial.name if trial else h.trial_id}: {h.group} vs {h.comparator} "
            f"{h.value:g} (95% CI {h.low:g} to {h.high:g}) [{level}]."
        )
    sourced = [row.rate for row in drawn]
    if any(r.level is not EvidenceLevel.VERIFIED for r in sourced):
        notes.append(HOLLOW_NOTE)
    notes.append(evidence_footnote(catalog, sourced))
    notes.append(source_footnote(catalog, sourced))
    return notes


def safety_rate_rows(
    catalog: Catalog, query: Query, spec: ChartSpec | None = None
) -> tuple[tuple[str, ...], list[dict[str, Cell]]]:
    """The chart's numbers, unrounded: one row per group drawn, per group "verified figures only" hides and
    per printed hazard ratio, each saying what the chart (``spec``, built when not given) did with it."""
    spec = spec or build_safety_rates(catalog, query)
    hidden = [_row(c) for c in compare_rates(hidden_rates(catalog, query))]
    out: list[dict[str, Cell]] = []
    for row in [*rate_rows(catalog, query), *hidden]:
        r, c = row.rate, row.comparison
        ratio = c.ratio if not row.is_comparator else None
        diff = c.difference if not row.is_comparator else None
        comparator = c.comparator if not row.is_comparator else None
        out.append(
            {
                "measure": "rate per 100 patient-years",
                "term": r.term,
                "drug": _who(catalog, r),
                "analysis": r.analysis,
                "group": r.group,
                "role": r.role.value,
                "daily_dose_mg": r.daily_dose_mg,
                "period": r.period,
                "events": r.events,
                "patient_years": r.patient_years,
                "rate_per_100py": row.value,
                "rate_ci_low": row.low,
                "rate_ci_high": row.high,
                "rate_ci_method": row.interval_method,
                "comparator": comparator.group if comparator else "",
                "comparator_events": comparator.events if comparator else None,
                "comparator_patient_years": comparator.patient_years if comparator else None,
                "rate_ratio": ratio.value if ratio else None,
                "rate_ratio_ci_low": ratio.low if ratio else None,
                "rate_ratio_ci_high": ratio.high if ratio else None,
                "rate_ratio_method": ratio.method.label if ratio else "",
                "rate_difference_per_100py": diff.value if diff else None,
                "rate_difference_ci_low": diff.low if diff else None,
                "rate_difference_ci_high": diff.high if diff else None,
                "rate_difference_method": diff.method.label if diff else "",
                "hazard_ratio": None,
                "hazard_ratio_ci_low": None,
                "hazard_ratio_ci_high": None,
                **_fate_cells(spec, rate_key(r)),
                "source": source_text(catalog.source(r.source_id), r.source_id),
                "level": r.level.value,
                "source_kind": kind_text(source_kind(catalog, r.source_id)),
                "note": r.note,
            }
        )
    for h in hazard_ratios(catalog, query.with_(verified_only=False)):
        hidden_hr = query.verified_only and h.level is not EvidenceLevel.VERIFIED
        trial = catalog.trials.get(h.trial_id)
        hr_row: dict[str, Cell] = dict.fromkeys(COLUMNS)
        hr_row.update(
            {
                "measure": "hazard ratio",
                "term": h.term,
                "drug": catalog.drugs[h.drug_id].name if h.drug_id in catalog.drugs else h.drug_id,
                "analysis": trial.name if trial else h.trial_id,
                "group": h.group,
                "role": ArmRole.DRUG.value,
                "comparator": h.comparator,
                "hazard_ratio": h.value,
                "hazard_ratio_ci_low": h.low,
                "hazard_ratio_ci_high": h.high,
                "chart": (Fate.LEFT_OUT if hidden_hr else Fate.SHOWN).value,
                "chart_note": NOT_VERIFIED if hidden_hr else HR_IN_FOOTNOTES,
                "source": source_text(catalog.source(h.source_id), h.source_id),
                "level": h.level.value,
                "source_kind": kind_text(source_kind(catalog, h.source_id)),
                "note": h.note,
            }
        )
        out.append(hr_row)
    return COLUMNS, out


def _fate_cells(spec: ChartSpec, key: PointKey) -> dict[str, Cell]:
    """What the chart did with the rate ``key`` (shown, shown as an arrow, left out) and why."""
    fate = spec.fate(key) or PointFate(Fate.LEFT_OUT, spec.empty_message or "not drawn on this chart")
    return {"chart": fate.fate.value, "chart_note": fate.reason}

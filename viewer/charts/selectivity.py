"""How selective for JAK1 each drug is: fold-selectivity (IC50 at a kinase over IC50 at JAK1), drugs side by side.

Users ask "how selective for JAK1?", which absolute IC50s from different assays (enzyme at different ATP
concentrations, cellular) cannot answer. The fold of a drug at JAK2, JAK3 or TYK2 is that kinase's IC50
divided by the drug's JAK1 IC50 *measured in the same assay* (same source, same assay description:
:func:`same_assay`); a value from an assay with no JAK1 IC50 gives no fold, and the chart says so.
Above 1: weaker on that kinase than on JAK1 (more JAK1-selective). A bound stays a bound: '>400 nM' over
an exact JAK1 value is a fold of at least that much, drawn as an arrow. The raw IC50s are one switch
away (``Query.ic50_raw``).

Every ticked drug is in the chart or named in its legend with the reason ("no exact IC50 in its
sources"); every IC50 not drawn is left out with why (the CSV's chart_note).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from viewer.charts.common import HOLLOW_NOTE, MARK_OF, evidence_text
from viewer.charts.palette import drug_colours
from viewer.charts.placement import LeftOut, PointKey
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec, LegendEntry, Marker, Point, RefLine, Series, SeriesStyle
from viewer.domain.catalog import Catalog
from viewer.domain.model import Drug, EvidenceLevel, Selectivity

KINASES = ("JAK1", "JAK2", "JAK3", "TYK2")
OTHERS = KINASES[1:]  # the kinases a fold is taken at
OFFSET = 0.12
BOUND_ARROW = 2.0  # length of the arrow that marks a '>' or '<' value, as a factor on the log axis
APPROXIMATE = "~"
NO_VALUE = "no exact IC50 in its sources"
UNVERIFIED = "not verified ('verified figures only' is on)"


def selectivity_key(drug_id: str, index: int) -> PointKey:
    """The point of a drug's ``index``-th IC50 (two assays of one kinase are two points and two CSV rows)."""
    return (drug_id, str(index))


@dataclass(frozen=True, slots=True)
class Fold:
    """A fold-selectivity: ``value`` = IC50 at ``target`` / IC50 at JAK1, both from ``assay``.

    ``qualifier`` is '>' (at least), '<' (at most), '~' (approximate) or '' (exact).
    """

    target: str
    value: float
    qualifier: str
    assay: str
    index: int  # the target IC50's index in Drug.selectivity
    jak1: Selectivity
    other: Selectivity

    @property
    def level(self) -> EvidenceLevel:
        return self.jak1.level.weaker(self.other.level)

    @property
    def text(self) -> str:
        return f"{self.qualifier if self.qualifier != APPROXIMATE else '≈'}{self.value:.3g}-fold"


def folds(drug: Drug) -> tuple[list[Fold], dict[int, str]]:
    """The folds of a drug, and for each IC50 that gives none (by index) why."""
    jak1 = {same_assay(s): s for s in drug.selectivity if s.target == "JAK1"}
    out: list[Fold] = []
    why: dict[int, str] = {}
    for k, s in enumerate(drug.selectivity):
        if s.target == "JAK1":
            why[k] = "JAK1 is the reference of the folds (1-fold)"
            continue
        if s.target not in OTHERS:
            why[k] = f"not one of the kinases drawn ({', '.join(KINASES)})"
            continue
        ref = jak1.get(same_assay(s))
        if ref is None:
            why[k] = "no JAK1 IC50 from the same assay, so no fold"
            continue
        qualifier = _fold_qualifier(s.qualifier, ref.qualifier)
        if qualifier is None:
            why[k] = f"both values are bounds ({s.qualifier}{s.ic50_nm:g}, JAK1 {ref.qualifier}{ref.ic50_nm:g} nM)"
            continue
        out.append(Fold(s.target, s.ic50_nm / ref.ic50_nm, qualifier, s.assay, k, ref, s))
    return out, why


def same_assay(ic50: Selectivity) -> tuple[str, str]:
    """What makes two IC50s one assay: the same source and the same assay description (its text before a
    parenthesis, which carries the value's own remarks: 'approximately 0.043 µM; recalled')."""
    return ic50.source_id, ic50.assay.split(" (")[0].strip().casefold()


def _fold_qualifier(target: str, jak1: str) -> str | None:
    """A fold's qualifier from its two IC50s' ('>' over exact is '>'; exact over '>' is '<'; two bounds: None)."""
    bounds = {">", "<"}
    if target in bounds and jak1 in bounds:
        return None
    if target in bounds:
        return target
    if jak1 in bounds:
        return "<" if jak1 == ">" else ">"
    return APPROXIMATE if APPROXIMATE in (target, jak1) else ""


def build_selectivity(catalog: Catalog, query: Query) -> ChartSpec:
    """Fold-selectivity against JAK1 (or the raw IC50s when ``query.ic50_raw``), drugs side by side."""
    if query.ic50_raw:
        return _raw_ic50(catalog, query)
    title = "JAK1 selectivity: fold (IC50 at the kinase ÷ IC50 at JAK1, same assay; higher = more JAK1-selective)"
    y_label = "Fold vs JAK1 (log scale)"
    drugs = [catalog.drugs[d] for d in query.drugs if d in catalog.drugs]
    colours = drug_colours(catalog)
    series: list[Series] = []
    legend: list[LegendEntry] = []
    left_out: list[LeftOut] = []
    notes: list[str] = []
    assays: list[str] = []
    sources: set[str] = set()
    values: list[float] = []
    hollow = False
    for i, drug in enumerate(drugs):
        shift = (i - (len(drugs) - 1) / 2) * OFFSET
        found, why = folds(drug)
        left_out += [LeftOut(selectivity_key(drug.id, k), reason) for k, reason in why.items()]
        points = []
        for f in found:
            if query.verified_only and f.level is not EvidenceLevel.VERIFIED:
                left_out.append(
                    LeftOut(selectivity_key(drug.id, f.index), "not verified ('verified figures only' is on)")
                )
                continue
            points.append(_fold_point(catalog, drug, f, OTHERS.index(f.target) + shift))
            values.append(f.value)
            hollow = hollow or f.level is not EvidenceLevel.VERIFIED
            assays.append(f"{drug.name}: {f.jak1.assay}")
            sources |= {_source(catalog, f.jak1.source_id), _source(catalog, f.other.source_id)}
        if points:
            series.append(Series(drug.name, colours[drug.id], Marker.CIRCLE, tuple(points), SeriesStyle.SCATTER))
            legend.append(LegendEntry(drug.name, colours[drug.id], Marker.CIRCLE, line=False))
            shown = {p.x for p in points}
            missing = [t for t in OTHERS if not any(abs(OTHERS.index(t) + shift - x) < 1e-9 for x in shown)]
            if missing:
                notes.append(f"{drug.name}: no fold at {', '.join(missing)} ({_why_missing(drug, missing)}).")
        else:
            reason = NO_VALUE if not drug.selectivity else "no JAK1 and other-kinase IC50 from one assay"
            if drug.selectivity and query.verified_only:
                reason = "no verified pair of IC50s from one assay"
            legend.append(LegendEntry(f"{drug.name}: {reason}", colours[drug.id], None, line=False))
            notes.append(f"Not in the chart: {drug.name} ({reason}).")
    if not series:
        names = ", ".join(d.name for d in drugs) or "the selected drugs"
        return ChartSpec(
            ChartKind.SELECTIVITY, title, "Kinase", y_label,
            empty_message=f"No fold-selectivity for {names}: {'; '.join(notes) or NO_VALUE}",
            left_out=tuple(left_out),
        )  # fmt: skip
    footnotes = [
        "Fold = IC50 at the kinase ÷ IC50 at JAK1, both from the same assay and source; above 1 the drug is weaker "
        "there than on JAK1. '>' marks a lower bound (arrow up), '≈' an approximate value. "
        "Raw IC50s: Options › Raw IC50.",
        *notes,
        "Assays: " + "; ".join(dict.fromkeys(assays)),
    ]
    if hollow:
        footnotes.append(HOLLOW_NOTE)
    footnotes.append("Sources: " + "; ".join(sorted(sources)))
    low, high = min([*values, 1.0]) / 3, max([*values, 1.0]) * 3
    return ChartSpec(
        kind=ChartKind.SELECTIVITY,
        title=title,
        x_label="Kinase",
        y_label=y_label,
        series=tuple(series),
        ref_lines=(RefLine(1.0, vertical=False, label="as on JAK1"),),
        y_log=True,
        x_range=(-0.6, len(OTHERS) - 0.4),
        y_range=(low, high),
        x_ticks=tuple((float(i), k) for i, k in enumerate(OTHERS)),
        y_ticks=plain_log_ticks(low, high),
        legend=tuple(legend),
        footnotes=tuple(footnotes),
        left_out=tuple(left_out),
    )


def plain_log_ticks(low: float, high: float) -> tuple[tuple[float, str], ...]:
    """Ticks at 1, 10, 100 ... (and 2, 5 between when the range is under three decades), labelled as plain
    numbers: '0.1', '10', '1000', never '10²' or '9·10¹'."""
    decades = math.log10(high / low)
    steps = (1.0, 2.0, 5.0) if decades < 3 else (1.0,)
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for base in steps:
            value = base * 10.0**exponent
            if low <= value <= high:
                ticks.append((value, f"{value:g}" if value < 1e6 else f"{value:.0f}"))
    return tuple(ticks)


def _why_missing(drug: Drug, missing: list[str]) -> str:
    measured = {s.target for s in drug.selectivity}
    if not any(t in measured for t in missing):
        return NO_VALUE
    return "no IC50 from the assay of its JAK1 value, or not measured"


def _source(catalog: Catalog, source_id: str) -> str:
    source = catalog.source(source_id)
    return source.short() if source else source_id


def _fold_point(catalog: Catalog, drug: Drug, f: Fold, x: float) -> Point:
    tooltip = "\n".join(
        [
            f"{drug.name}: {f.target} {f.text} vs JAK1",
            f"{f.target} IC50 {f.other.qualifier}{f.other.ic50_nm:g} nM ÷ "
            f"JAK1 IC50 {f.jak1.qualifier}{f.jak1.ic50_nm:g} nM",
            f"Assay: {f.assay}",
            f"Source: {_source(catalog, f.other.source_id)} "
            f"[{evidence_text(catalog, f.other.source_id, f.other.level)}]",
            f"JAK1 source: {_source(catalog, f.jak1.source_id)} "
            f"[{evidence_text(catalog, f.jak1.source_id, f.jak1.level)}]",
        ]
    )
    return Point(
        x=x,
        y=f.value,
        low=f.value / BOUND_ARROW if f.qualifier == "<" else None,
        high=f.value * BOUND_ARROW if f.qualifier == ">" else None,
        label=f.text,
        tooltip=tooltip,
        hollow=f.level is not EvidenceLevel.VERIFIED,
        mark=MARK_OF[f.level],
        clipped_low=f.qualifier == "<",
        clipped_high=f.qualifier == ">",
        key=selectivity_key(drug.id, f.index),
    )


def _raw_ic50(catalog: Catalog, query: Query) -> ChartSpec:
    """The IC50s themselves per kinase, on a log scale with plain labels, the assay named for every value."""
    title = "JAK selectivity: IC50 by kinase (lower = more potent)"
    drugs = [catalog.drugs[d] for d in query.drugs if d in catalog.drugs]
    colours = drug_colours(catalog)
    series, legend, assays, sources, hollow = [], [], [], set(), False
    left_out: list[LeftOut] = []
    values: list[float] = []
    for i, drug in enumerate(drugs):
        points = []
        shift = (i - (len(drugs) - 1) / 2) * OFFSET
        for k, s in enumerate(drug.selectivity):
            if s.target not in KINASES:
                left_out.append(
                    LeftOut(selectivity_key(drug.id, k), f"not one of the kinases drawn ({', '.join(KINASES)})")
                )
                continue
            if query.verified_only and s.level is not EvidenceLevel.VERIFIED:
                left_out.append(LeftOut(selectivity_key(drug.id, k), "not verified ('verified figures only' is on)"))
                continue
            value = f"{s.qualifier}{s.ic50_nm:g} nM"
            tooltip = "\n".join(
                [f"{drug.name}: {s.target} IC50 {value}", f"Assay: {s.assay}",
                 f"Source: {_source(catalog, s.source_id)} [{evidence_text(catalog, s.source_id, s.level)}]"]
            )  # fmt: skip
            points.append(
                Point(
                    x=KINASES.index(s.target) + shift,
                    y=s.ic50_nm,
                    # a bound is drawn as an arrow of fixed length (a factor of 2) pointing away from it
                    low=s.ic50_nm / BOUND_ARROW if s.qualifier == "<" else None,
                    high=s.ic50_nm * BOUND_ARROW if s.qualifier == ">" else None,
                    label=value,
                    tooltip=tooltip,
                    hollow=s.level is not EvidenceLevel.VERIFIED,
                    mark=MARK_OF[s.level],
                    clipped_low=s.qualifier == "<",
                    clipped_high=s.qualifier == ">",
                    key=selectivity_key(drug.id, k),
                )
            )
            values.append(s.ic50_nm)
            sources.add(_source(catalog, s.source_id))
            hollow = hollow or s.level is not EvidenceLevel.VERIFIED
            assays.append(f"{drug.name}: {s.assay}")
        if points:
            series.append(Series(drug.name, colours[drug.id], Marker.CIRCLE, tuple(points), style=SeriesStyle.SCATTER))
            legend.append(LegendEntry(drug.name, colours[drug.id], Marker.CIRCLE, line=False))
        else:
            legend.append(LegendEntry(f"{drug.name}: {NO_VALUE}", colours[drug.id], None, line=False))
    if not series:
        names = ", ".join(d.name for d in drugs) or "the selected drugs"
        return ChartSpec(
            ChartKind.SELECTIVITY, title, "Kinase", "IC50 (nM, log scale)",
            empty_message=f"No IC50 values with a source for {names}.",
            left_out=tuple(left_out),
        )  # fmt: skip
    footnotes = [
        "Assays: " + "; ".join(dict.fromkeys(assays)),
        "Values from different assays are not directly comparable. '>' marks a lower bound (arrow).",
    ]
    footnotes += [f"Not in the chart: {e.label}." for e in legend if e.symbol is None]
    if hollow:
        footnotes.append(HOLLOW_NOTE)
    footnotes.append("Sources: " + "; ".join(sorted(sources)))
    low, high = min(values) / 3, max(values) * 3
    return ChartSpec(
        kind=ChartKind.SELECTIVITY,
        title=title,
        x_label="Kinase",
        y_label="IC50 (nM, log scale)",
        series=tuple(series),
        y_log=True,
        x_range=(-0.6, len(KINASES) - 0.4),
        y_range=(low, high),
        x_ticks=tuple((float(i), k) for i, k in enumerate(KINASES)),
        y_ticks=plain_log_ticks(low, high),
        legend=tuple(legend),
        footnotes=tuple(footnotes),
        left_out=tuple(left_out),
    )

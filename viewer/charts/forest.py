"""A forest plot: one row per drug, trial and dose, each against its own trial's placebo.

Intervals that run past the axis are clipped to it and flagged, so the renderer draws an arrow instead of
letting a wide interval squash every other row (and, in SVG, spill over the labels).
"""

from __future__ import annotations

import math

from viewer.charts.common import (
    DERIVED_NOTE,
    HOLLOW_NOTE,
    MARK_OF,
    any_hollow,
    counts_text,
    evidence_footnote,
    figure_tooltip,
    honesty_warning,
    select,
    short_counts,
    source_footnote,
)
from viewer.charts.placement import LeftOut
from viewer.charts.pooled import PooledRow, SynthesisOptions, method_footnote, pooled_effects
from viewer.charts.pooled_forest import (
    POOLED_SERIES,
    PREDICTION_NOTE,
    interleave,
    not_pooled_footnote,
    pooled_intervals,
    pooled_point,
    pooled_series,
    pooled_warnings,
    prediction_band,
)
from viewer.charts.query import Query
from viewer.charts.spec import (
    Band,
    ChartKind,
    ChartSpec,
    Marker,
    Orientation,
    Point,
    RefLine,
    Series,
    SeriesStyle,
    TextColumn,
)
from viewer.charts.sponsor import sponsor_checks
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.model import EvidenceLevel

RD_LIMITS = (-40.0, 100.0)
RATIO_LIMITS = (0.1, 100.0)


def build_forest(
    catalog: Catalog, query: Query, *, adverse: bool = False, pooling: SynthesisOptions | None = None
) -> ChartSpec:
    """The forest plot; with ``pooling``, each drug-dose group's trials are followed by its pooled diamond."""
    sel = select(catalog, query, adverse=adverse)
    endpoint = query.ae_term if adverse else query.outcome
    title = f"{endpoint}: effect against placebo, each arm within its own trial"
    rows = [c for c in sel.comparisons if c.effect(query.effect) is not None]
    x_label = f"{query.effect.label} vs placebo ({query.effect.scale})"
    left_out = tuple(
        LeftOut(c.treated.key, c.reason or f"no {query.effect.label} against placebo")
        for c in sel.comparisons
        if c.effect(query.effect) is None
    )
    if not rows:
        reasons = sorted({c.reason for c in sel.comparisons if c.reason})
        why = f" ({'; '.join(reasons)})" if reasons else ""
        return ChartSpec(
            ChartKind.FOREST,
            title,
            x_label,
            "",
            empty_message=f"No comparisons with placebo to show{why}.",
            left_out=left_out,
        )
    ratio = query.effect.is_ratio
    scale = 1.0 if ratio else 100.0
    pooled = pooled_effects(catalog, query, pooling) if pooling and not adverse else None
    entries: list[Comparison | PooledRow] = list(rows) if pooled is None else interleave(catalog, rows, pooled)
    intervals = [(e.low, e.high) for c in rows if (e := c.effect(query.effect)) is not None]
    intervals += [] if pooled is None else pooled_intervals(pooled)
    lo_limit, hi_limit = _limits(intervals, ratio, scale)
    posted = sponsor_checks(catalog, rows)
    series: dict[str, list[Point]] = {}
    bands: list[Band] = []
    ticks, n_cells, nnt_cells = [], [], []
    for i, c in enumerate(entries):
        y = float(len(entries) - i)
        if isinstance(c, PooledRow):
            point, tick, cell = pooled_point(c, y, (lo_limit, hi_limit))
            series.setdefault(POOLED_SERIES + c.drug_id, []).append(point)
            bands += prediction_band(c, y, sel.colour(c.drug_id))
            ticks.append((y, tick))
            n_cells.append((y, cell))
            continue
        est = c.effect(query.effect)
        assert est is not None
        value, low, high = est.value * scale, est.low * scale, est.high * scale
        drug = catalog.drugs[c.treated.arm.drug_id]
        label = f"{drug.name} {c.treated.arm.label} · {c.treated.trial.name}"
        ticks.append((y, label))
        assert c.placebo is not None
        n_cells.append((y, f"{short_counts(c.treated)} vs {short_counts(c.placebo)}"))
        nnt_cells.append((y, _compact_nnt(c.nnt.text()) if c.nnt else ""))
        clipped_low, clipped_high = low < lo_limit, high > hi_limit
        interval = f"95% CI {_fmt(low, ratio)} to {_fmt(high, ratio)}; {est.method.label}"
        effect_line = f"{query.effect.abbreviation} {_fmt(value, ratio)} ({interval})"
        extras = [effect_line, f"Placebo: {c.placebo_label}, {counts_text(c.placebo)}"]
        if c.nnt:
            extras.append(c.nnt.text())
        if est.corrected:
            extras.append("0.5 added to every cell (a zero cell)")
        t = c.treated
        extras += [check.text() for check in posted.get((t.trial.id, t.arm.id, t.endpoint, t.timepoint), [])]
        point = Point(
            x=min(max(value, lo_limit), hi_limit),
            y=y,
            low=max(low, lo_limit),
            high=min(high, hi_limit),
            label=label,
            tooltip=figure_tooltip(catalog, c.treated, c.rate, extras),
            hollow=c.level is not EvidenceLevel.VERIFIED,
            mark=MARK_OF[c.level],
            clipped_low=clipped_low,
            clipped_high=clipped_high,
            key=c.treated.key,
        )
        series.setdefault(drug.id, []).append(point)
    spec_series = tuple(
        Series(
            catalog.drugs[d].name,
            sel.colour(d),
            Marker.SQUARE,
            tuple(pts),
            style=SeriesStyle.SCATTER,
            orientation=Orientation.HORIZONTAL,
        )
        for d, pts in series.items() if not d.startswith(POOLED_SERIES)
    ) + tuple(
        pooled_series(catalog.drugs[d.removeprefix(POOLED_SERIES)].name, sel.colour(d.removeprefix(POOLED_SERIES)), pts)
        for d, pts in series.items() if d.startswith(POOLED_SERIES)
    )  # fmt: skip
    used = [c.treated for c in rows] + [c.placebo for c in rows if c.placebo is not None]
    ratio_ci = query.effect.interval
    method = (
        f"{query.effect.label}, 95% CI {ratio_ci.label}" if ratio_ci is not None
        else f"{query.effect.label} with 95% {query.diff_ci.label} CI"
    )  # fmt: skip
    footnotes = [
        f"{method}; 0.5 added to cells only when one is zero. Arrows: interval continues beyond the axis.",
        "NNT from the risk difference; 'to ∞' when its CI includes no difference.",
    ]
    if pooled is not None:
        footnotes += [method_footnote(pooled), PREDICTION_NOTE if bands else "", not_pooled_footnote(pooled)]
    if any(f.derived for f in used):
        footnotes.append(DERIVED_NOTE)
    if any_hollow(used):
        footnotes.append(HOLLOW_NOTE)
    footnotes.append(evidence_footnote(catalog, used))
    footnotes.append(source_footnote(catalog, used))
    return ChartSpec(
        kind=ChartKind.FOREST,
        title=title,
        x_label=x_label,
        y_label="",
        series=spec_series,
        bands=tuple(bands),
        ref_lines=(RefLine(1.0 if ratio else 0.0, vertical=True, label="no effect"),),
        x_log=ratio,
        x_range=(lo_limit, hi_limit),
        y_range=(0.3, len(entries) + 0.7),
        y_ticks=tuple(ticks),
        text_columns=(TextColumn("n/N vs placebo", tuple(n_cells)), TextColumn("NNT (95% CI)", tuple(nnt_cells))),
        footnotes=tuple(f for f in footnotes if f),
        warnings=tuple(w for w in (honesty_warning(used), *pooled_warnings(pooled)) if w),
        left_out=left_out,
    )


def _limits(intervals: list[tuple[float, float]], ratio: bool, scale: float) -> tuple[float, float]:
    """The axis: the intervals' extent, padded, but never wider than fixed limits (beyond them: arrows)."""
    if ratio:
        lows = [low for low, _ in intervals if low > 0 and math.isfinite(low)]
        highs = [high for _, high in intervals if math.isfinite(high)]
        lo = max(RATIO_LIMITS[0], min([*lows, 1.0]) / 1.2)
        hi = min(RATIO_LIMITS[1], max([*highs, 1.0]) * 1.2)
        return lo, hi
    lo = max(RD_LIMITS[0], min([low * scale for low, _ in intervals] + [0.0]) - 5)
    hi = min(RD_LIMITS[1], max([high * scale for _, high in intervals] + [0.0]) + 5)
    return lo, hi


def _compact_nnt(text: str) -> str:
    """'NNT 6 (95% CI 3 to 245)' -> '6 (3 to 245)' under an 'NNT (95% CI)' heading; an NNH keeps its label."""
    return text.removeprefix("NNT ").replace("95% CI ", "")


def _fmt(value: float, ratio: bool) -> str:
    return f"{value:.2f}" if ratio else f"{value:+.1f} pp"

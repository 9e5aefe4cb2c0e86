"""A forest plot: one row per drug, trial and dose, each against its own trial's placebo.

Intervals that run past the axis are clipped to it and flagged, so the renderer draws an arrow instead of
letting a wide interval squash every other row (and, in SVG, spill over the labels).
"""

from __future__ import annotations

from dataclasses import replace

from viewer.charts.common import (
    DERIVED_NOTE,
    HOLLOW_NOTE,
    MARK_OF,
    any_hollow,
    count_note_footnote,
    counts_text,
    evidence_footnote,
    figure_tooltip,
    honesty_warning,
    query_trials,
    select,
    short_counts,
    source_footnote,
)
from viewer.charts.forest_layout import (
    MIN_SIDE_SHARE,
    ForestLayout,
    absent_drugs,
    absent_warning,
    axis_limits,
    clipped_value_labels,
    effect_cell,
    favours_labels,
    is_harm,
    left_out_footnote,
    square_area,
)
from viewer.charts.forest_panels import forest_panels
from viewer.charts.left_out import kept_out, kept_out_footnote, message_lines
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


def build_forest(
    catalog: Catalog, query: Query, *, adverse: bool = False, pooling: SynthesisOptions | None = None
) -> ChartSpec:
    """The forest plot; with ``pooling``, each drug-dose group's trials are followed by its pooled diamond.

    Rows are grouped by drug under a heading row; each row's square has an area proportional to the treated
    arm's n; a text column gives the effect and its CI (the value itself when it lies beyond the axis, where
    an arrow stands for it); "favours" labels name the side of the no-effect line each drug's benefit is on.
    """
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
    absent = absent_drugs(catalog, query.drugs, sel.comparisons, rows, endpoint, adverse=adverse)
    kept_note = kept_out_footnote(kept_out(catalog, query_trials(catalog, query)[1], adverse=adverse))
    if not rows:
        reasons = sorted({c.reason for c in sel.comparisons if c.reason})
        why = f" ({'; '.join(reasons)})" if reasons else ""
        return ChartSpec(
            ChartKind.FOREST,
            title,
            x_label,
            "",
            empty_message=f"No comparisons with placebo to show{why}."
            + (f"\n{message_lines(kept_note)}" if kept_note else ""),
            left_out=left_out,
            warnings=tuple(absent_warning(catalog.drugs[d].name, why) for d, why in absent.items()),
        )
    ratio = query.effect.is_ratio
    scale = 1.0 if ratio else 100.0
    pooled = pooled_effects(catalog, query, pooling) if pooling and not adverse else None
    entries: list[Comparison | PooledRow] = list(rows) if pooled is None else interleave(catalog, rows, pooled)
    intervals = [(e.low, e.high) for c in rows if (e := c.effect(query.effect)) is not None]
    intervals += [] if pooled is None else pooled_intervals(pooled)
    lo_limit, hi_limit = axis_limits(intervals, ratio, scale)
    posted = sponsor_checks(catalog, rows)
    biggest = max((c.treated.n or 0 for c in rows), default=0)
    panelled = query.panels.applies(len(sel.drug_order))
    layout = ForestLayout(
        entries, lambda e: e.drug_id if isinstance(e, PooledRow) else e.treated.arm.drug_id, with_headings=not panelled
    )
    series: dict[str, list[Point]] = {}
    bands: list[Band] = []
    ticks: list[tuple[float, str]] = [(y, catalog.drugs[d].name) for d, y in layout.headings]
    effect_cells, n_cells, nnt_cells, labels = [], [], [], []
    for c, y in zip(entries, layout.rows, strict=True):
        if isinstance(c, PooledRow):
            point, tick, cell = pooled_point(c, y, (lo_limit, hi_limit))
            series.setdefault(POOLED_SERIES + c.drug_id, []).append(point)
            bands += [replace(b, group=c.drug_id) for b in prediction_band(c, y, (lo_limit, hi_limit))]
            ticks.append((y, tick))
            n_cells.append((y, cell))
            effect_cells.append((y, effect_cell(point.x, c.shown(c.pooled.low), c.shown(c.pooled.high), ratio)))
            labels += clipped_value_labels(point, (lo_limit, hi_limit), ratio)
            continue
        est = c.effect(query.effect)
        assert est is not None
        value, low, high = est.value * scale, est.low * scale, est.high * scale
        drug = catalog.drugs[c.treated.arm.drug_id]
        ticks.append((y, f"{c.treated.arm.label} · {c.treated.trial.name}"))
        assert c.placebo is not None
        n_cells.append((y, f"{short_counts(c.treated)} vs {short_counts(c.placebo)}"))
        nnt_cells.append((y, _compact_nnt(c.nnt.text()) if c.nnt else ""))
        effect_cells.append((y, effect_cell(value, low, high, ratio)))
        interval = f"95% CI {_fmt(low, ratio)} to {_fmt(high, ratio)}; {est.method.label}"
        effect_line = f"{query.effect.abbreviation} {_fmt(value, ratio)} ({interval})"
        extras = [effect_line, f"Placebo: {c.placebo_label}, {counts_text(c.placebo)}"]
        if c.placebo.count_note:
            extras.append(f"Placebo count: {c.placebo.count_note}")
        if c.nnt:
            extras.append(c.nnt.text())
        if est.corrected:
            extras.append("0.5 added to every cell (a zero cell)")
        t = c.treated
        extras += [check.text() for check in posted.get((t.trial.id, t.arm.id, t.endpoint, t.timepoint), [])]
        point = Point(
            x=value,  # beyond the axis, the placement draws an arrowhead on the edge; the label prints the value
            y=y,
            low=max(low, lo_limit),
            high=min(high, hi_limit),
            label=f"{drug.name} {c.treated.arm.label} · {c.treated.trial.name}",
            tooltip=figure_tooltip(catalog, c.treated, c.rate, extras),
            hollow=c.level is not EvidenceLevel.VERIFIED,
            mark=MARK_OF[c.level],
            clipped_low=low < lo_limit,
            clipped_high=high > hi_limit,
            area=square_area(t.n, biggest),
            key=c.treated.key,
        )
        labels += clipped_value_labels(point, (lo_limit, hi_limit), ratio)
        series.setdefault(drug.id, []).append(point)
    spec_series = tuple(
        Series(
            catalog.drugs[d].name,
            sel.colour(d),
            Marker.SQUARE,
            tuple(pts),
            style=SeriesStyle.SCATTER,
            orientation=Orientation.HORIZONTAL,
            in_legend=not panelled,  # a panel's title names its drug
            group=d,
        )
        for d, pts in series.items() if not d.startswith(POOLED_SERIES)
    ) + tuple(
        pooled_series(catalog.drugs[g].name, sel.colour(g), pts, group=g, in_legend=not panelled)
        for d, pts in series.items() if d.startswith(POOLED_SERIES) and (g := d.removeprefix(POOLED_SERIES))
    )  # fmt: skip
    used = [c.treated for c in rows] + [c.placebo for c in rows if c.placebo is not None]
    ratio_ci = query.effect.interval
    method = (
        f"{query.effect.label}, 95% CI {ratio_ci.label}" if ratio_ci is not None
        else f"{query.effect.label} with 95% {query.diff_ci.label} CI"
    )  # fmt: skip
    no_effect = 1.0 if ratio else 0.0
    harm = adverse or is_harm(catalog, query.outcome)
    footnotes = [
        f"{method}; 0.5 added to cells only when one is zero. Arrows: the estimate or interval continues beyond "
        "the axis (its value is printed).",
        f"Square area proportional to the treated arm's n (largest: {biggest}; at least {MIN_SIDE_SHARE:.0%} of "
        "the largest side, so small arms stay visible). NNT from the risk difference; 'to ∞' when its CI includes "
        "no difference.",
        left_out_footnote(catalog, sel.comparisons, query.effect),
    ]
    if pooled is not None:
        footnotes += [method_footnote(pooled), PREDICTION_NOTE if bands else "", not_pooled_footnote(pooled)]
    if any(f.derived for f in used):
        footnotes.append(DERIVED_NOTE)
    if any_hollow(used):
        footnotes.append(HOLLOW_NOTE)
    footnotes.append(count_note_footnote(used))
    footnotes.append(kept_note)
    footnotes.append(evidence_footnote(catalog, used))
    footnotes.append(source_footnote(catalog, used))
    abbreviation = query.effect.abbreviation
    overlay = ChartSpec(
        kind=ChartKind.FOREST,
        title=title,
        x_label=x_label,
        y_label="",
        series=spec_series,
        bands=tuple(bands),
        ref_lines=(RefLine(no_effect, vertical=True),),
        x_log=ratio,
        x_range=(lo_limit, hi_limit),
        y_range=layout.y_range,
        y_ticks=tuple(sorted(ticks, reverse=True)),
        y_headings=tuple(y for _, y in layout.headings),
        text_columns=(
            TextColumn(f"{abbreviation} (95% CI)", tuple(effect_cells)),
            TextColumn("n/N vs placebo", tuple(n_cells)),
            TextColumn("NNT (95% CI)", tuple(nnt_cells)),
        ),
        labels=(*favours_labels(no_effect, layout.header_y, harm=harm), *labels),
        footnotes=tuple(f for f in footnotes if f),
        warnings=tuple(
            w
            for w in (
                *(() if panelled else (absent_warning(catalog.drugs[d].name, why) for d, why in absent.items())),
                honesty_warning(used),
                *pooled_warnings(pooled),
            )
            if w
        ),
        left_out=left_out,
    )
    if not panelled:
        return overlay
    names = {d: catalog.drugs[d].name for d in sel.drug_order}
    return forest_panels(overlay, dict(layout.blocks), names, sel.drug_order, absent)


def _compact_nnt(text: str) -> str:
    """'NNT 6 (95% CI 3 to 245)' -> '6 (3 to 245)' under an 'NNT (95% CI)' heading; an NNH keeps its label."""
    return text.removeprefix("NNT ").replace("95% CI ", "")


def _fmt(value: float, ratio: bool) -> str:
    return f"{value:.2f}" if ratio else f"{value:+.1f} pp"

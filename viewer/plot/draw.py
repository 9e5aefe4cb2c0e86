"""The placed data of a spec as graphics items: series (lines, markers, intervals), bands and reference lines.

Where each mark goes was decided by the chart layer (:attr:`ChartSpec.placement`): view coordinates
(``log10`` on a log axis: pyqtgraph's ``ErrorBarItem``, ``ScatterPlotItem`` and ``InfiniteLine`` ignore
``PlotItem.setLogMode``, so only the *axis* is switched to log mode, for its tick labels), the ranges,
and which ends are arrowheads because the data run beyond the range (Qt's SVG generator writes no clip
paths, so nothing is drawn outside it). This module only turns those numbers into items.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPolygonItem

from viewer.charts.placement import Arrow, PlacedBand, PlacedSeries
from viewer.charts.spec import Band, ChartSpec, Mark, Orientation, RefLine, Series, SeriesStyle
from viewer.plot.axes import AXES, FRESH_AXES, axis_ticks, draw_text_columns, label_table, plan_grid
from viewer.plot.batching import ARROWS_Z, CAPS_Z, LINE_RUNS, MARKERS_Z, WHISKER_RUNS, Runs, ScatterColumns
from viewer.plot.hover import Focus, HoverTips
from viewer.plot.plots import handed_on
from viewer.plot.result import RenderedChart, SeriesItems
from viewer.plot.style import (
    ARROWS,
    CAP_H,
    CAP_V,
    Theme,
    cosmetic_pen,
    make_font,
    mark_look,
    no_pen,
    pg_symbol,
    shared_brush,
    shared_pen,
)
from viewer.plot.text import WrappedMessage
from viewer.plot.workarounds import inf_line_label_text, symbol_atlas

__all__ = ["draw_data", "draw_empty"]

LINES = "lines"  # the run key of every series' line: consecutive lines share one item whatever their pens


def draw_empty(out: RenderedChart, spec: ChartSpec, theme: Theme, reuse: RenderedChart | None = None) -> None:
    """The chart's message where its data would be; the marks ``reuse`` (the previous drawing) handed on are taken
    out, as a drawing with data takes out those it does not use."""
    plot = out.plot
    if reuse is not None:
        for item in handed_on(reuse):
            plot.removeItem(item)
    for name in AXES:
        out.axis_plan.set(name, visible=False)
    plot.setXRange(0.0, 1.0, padding=0)
    plot.setYRange(0.0, 1.0, padding=0)
    out.x_range = out.y_range = (0.0, 1.0)
    msg = WrappedMessage(
        spec.empty_message or "Nothing to show.", color=theme.muted, font=make_font(theme.label_pt, italic=True)
    )
    msg.setPos(0.5, 0.5)
    plot.addItem(msg)
    out.message = msg


def draw_data(
    out: RenderedChart,
    spec: ChartSpec,
    theme: Theme,
    scale: float,
    reuse: RenderedChart | None = None,
    *,
    rows: bool = False,
) -> None:
    """Draw the placed data of ``spec`` (:attr:`ChartSpec.placement`) into ``out.plot``.

    ``rows``: a stacked forest panel, a chart of horizontal rows whatever it holds. Its row labels are a
    table even with every text column left out (a narrow export) and with no row at all (an empty panel),
    so :func:`viewer.plot.panels.panel_steps` gives every panel's labels one width (the plots line up) and
    an empty panel shows no numbers of its own; its grid runs across the effect axis, as its neighbours'.
    """
    plot = out.plot
    placed = spec.placement
    xr, yr = placed.x_range, placed.y_range
    out.x_range, out.y_range = xr, yr
    plot.setXRange(*xr, padding=0)
    plot.setYRange(*yr, padding=0)

    plan = out.axis_plan
    xt = axis_ticks(placed.x_ticks, spec.x_log, xr)
    yt = axis_ticks(placed.y_ticks, spec.y_log, yr)
    for side, ticks, log, label in (("bottom", xt, spec.x_log, spec.x_label), ("left", yt, spec.y_log, spec.y_label)):
        plan.set(side, log=log, ticks=ticks, label=(label, theme.foreground, theme.label_pt) if label else "")
    horizontal_chart = rows or any(s.orientation is Orientation.HORIZONTAL for s in spec.series)
    if horizontal_chart:
        plan_grid(plan, "top", xt, spec.x_log, theme, scale)
    else:
        plan_grid(plan, "right", yt, spec.y_log, theme, scale)
    if not spec.show_axes:
        for name in AXES:
            plan.set(name, visible=False)
    labels = label_table(out, spec, theme) if rows or spec.text_columns or spec.y_headings else None
    if labels is not None:
        plan.set("left", visible=False)  # the row labels take its place
    out.axes = plan.apply(plot, reuse.axes if reuse is not None else FRESH_AXES)

    for band, placed_band in zip(spec.bands, placed.bands, strict=True):
        shown = placed_band is not None and not band.hidden  # hidden from its legend entry: placed, not drawn
        items = _draw_band(plot, band, placed_band, theme, scale) if shown and placed_band is not None else []
        out.bands[_unique(band.name, out.bands)] = items
    spare_lines = _spares(reuse.ref_lines if reuse is not None else [])
    for ref, position in zip(spec.ref_lines, placed.ref_lines, strict=True):
        if position is not None:
            _draw_ref_line(out, position, ref, theme, scale, spare_lines)
    _take_out(plot, spare_lines)

    markers, caps, arrows = ScatterColumns(), ScatterColumns(), ScatterColumns()
    lines, whiskers = Runs(), Runs()
    looks: dict[str, dict[Mark, tuple[QPen, QBrush]]] = {}  # by colour: a crowded chart has 400 series, 6 colours
    for series, placed_series in zip(spec.series, placed.series, strict=True):
        key = _unique(series.name, out.series)
        out.series[key] = _draw_series(
            plot, key, series, placed_series, markers, caps, arrows, lines, whiskers, theme, scale, looks
        )
    out.line_items = lines.draw(plot, LINE_RUNS, reuse.line_items if reuse is not None else [])
    out.whisker_items = whiskers.draw(plot, WHISKER_RUNS, reuse.whisker_items if reuse is not None else [])
    atlases = out.atlases
    if reuse is not None and reuse.hover is not None and reuse.markers is not None:
        reuse.hover.detach(reuse.markers)  # the markers item is handed on: its tooltips become the new drawing's
    for name, scatter, z in (("caps", caps, CAPS_Z), ("arrows", arrows, ARROWS_Z), ("markers", markers, MARKERS_Z)):
        previous = getattr(reuse, name) if reuse is not None else None
        item = scatter.item(plot, z, atlas=atlases.get(name), hoverable=name == "markers", previous=previous)
        if item is not None:
            atlases[name] = symbol_atlas(item)
        setattr(out, name, item)
    if out.markers is not None:
        own = {key: drawn.diamonds for key, drawn in out.series.items() if drawn.diamonds}
        out.focus = Focus(plot, spec, list(out.series), theme, scale, own)
        out.hover = HoverTips(plot.vb, {k: v.series for k, v in out.series.items()}, out.focus)  # kept: weak slot
        out.hover.attach(out.markers)
    if labels is not None:
        draw_text_columns(out, spec, theme, labels)
    spare_labels = _spares(reuse.labels if reuse is not None else [])
    _draw_labels(out, spec, theme, spare_labels)
    _take_out(plot, spare_labels)


def _spares(items: list[Any]) -> dict[Any, list[Any]]:
    """The previous drawing's text labels or reference lines by what they were made from, to be used again.

    Making a ``pg.TextItem`` (a text document) or a labelled ``pg.InfiniteLine`` costs ~0.5 ms, and taking
    one out of the plot and adding it again ~0.3 ms; the previous drawing's, left in the plot
    (:func:`viewer.plot.plots.reset_plot`), only need their new position.
    """
    spare: dict[Any, list[Any]] = {}
    for item in items:
        spare.setdefault(item.made_from, []).append(item)
    return spare


def _take_out(plot: Any, spare: dict[Any, list[Any]]) -> None:
    """Take the spares no drawing used out of the plot."""
    for items in spare.values():
        for item in items:
            plot.removeItem(item)


def _draw_labels(out: RenderedChart, spec: ChartSpec, theme: Theme, spare: dict[Any, list[Any]]) -> None:
    """Text in data coordinates (league-table cells, node names), one item per label (``spare``: the
    previous drawing's, by what they were made from)."""
    xs, ys = spec.placement.x_scale, spec.placement.y_scale
    for label in spec.labels:
        if not (xs.placeable(label.x) and ys.placeable(label.y)):
            continue
        made_from = (label.text, label.color or theme.foreground, label.anchor, label.fill, label.bold, theme.tick_pt)
        kept = spare.get(made_from)
        if kept:
            item = kept.pop()  # still in the plot
        else:
            fill = QBrush(QColor(label.fill)) if label.fill else None
            item = pg.TextItem(label.text, color=label.color or theme.foreground, anchor=label.anchor, fill=fill)
            item.setFont(make_font(theme.tick_pt, bold=label.bold))
            item.made_from = made_from
            out.plot.addItem(item)
        item.setPos(xs.view(label.x), ys.view(label.y))
        item.setToolTip(label.tooltip)
        out.labels.append(item)


def _draw_ref_line(
    out: RenderedChart,
    position: float,
    ref: RefLine,
    theme: Theme,
    scale: float,
    spare: dict[Any, list[Any]],
) -> None:
    vertical, label = ref.vertical, ref.label
    made_from = (vertical, label, ref.label_at, theme.reference, theme.axis_width * scale, theme.note_pt)
    kept = spare.get(made_from)
    if kept:
        line = kept.pop()  # still in the plot
        line.setValue(position)
        out.ref_lines.append(line)
        return
    line = pg.InfiniteLine(
        pos=position,
        angle=90 if vertical else 0,
        pen=cosmetic_pen(theme.reference, theme.axis_width * scale, dashed=True),
        movable=False,
    )
    line.setZValue(-5)
    line.made_from = made_from
    if label:
        text = inf_line_label_text(label)
        # A vertical line's label hangs from ``label_at`` (the top end by default), a horizontal one's ends there.
        anchor = (0, 0) if vertical else (1, 1)
        line.label = pg.InfLineLabel(
            line, text=text, position=ref.label_at, anchors=[anchor, anchor], color=theme.reference
        )
        line.label.setFont(make_font(theme.note_pt))
    out.plot.addItem(line)
    out.ref_lines.append(line)


def _unique(name: str, taken: dict[str, Any]) -> str:
    if name not in taken:
        return name
    k = 2
    while f"{name} [{k}]" in taken:
        k += 1
    return f"{name} [{k}]"


def _draw_band(plot: Any, band: Band, placed: PlacedBand, theme: Theme, scale: float) -> list[Any]:
    """Fitted curve plus its confidence band, as placed (clamped into the view: no SVG clipping)."""
    x = np.array(placed.x)
    items: list[Any] = []
    if placed.low and placed.high:
        fill = QColor(band.color)
        fill.setAlpha(theme.band_alpha)
        low = pg.PlotCurveItem(x=x, y=np.array(placed.low), pen=None)
        high = pg.PlotCurveItem(x=x, y=np.array(placed.high), pen=None)
        between = pg.FillBetweenItem(low, high, brush=QBrush(fill))
        between.setZValue(-10)
        plot.addItem(between)
        items.append(between)
    pen = cosmetic_pen(band.color, theme.line_width * scale)
    curve = pg.PlotCurveItem(x=x, y=np.array(placed.y), pen=pen, antialias=True)
    curve.setZValue(-9)
    plot.addItem(curve)
    items.append(curve)
    return items


def _draw_series(
    plot: Any,
    key: str,
    s: Series,
    placed: PlacedSeries,
    markers: ScatterColumns,
    caps: ScatterColumns,
    arrows: ScatterColumns,
    lines: Runs,
    whiskers: Runs,
    theme: Theme,
    scale: float,
    looks: dict[str, dict[Mark, tuple[QPen, QBrush]]],
) -> SeriesItems:
    """One series' marks into the shared columns and runs; ``looks``: marker pens and brushes by colour and mark
    (:func:`~viewer.plot.style.mark_look`), filled as colours come."""
    out = SeriesItems(series=s, indices=placed.indices)
    if not placed.points or s.hidden:  # hidden from its legend entry: placed, not drawn
        return out
    horizontal = s.orientation is Orientation.HORIZONTAL
    px = [p.x for p in placed.points]
    py = [p.y for p in placed.points]
    out.arrows += [(p.x, p.y, p.arrow) for p in placed.points if p.arrow is not None]
    xv, yv = np.array(px), np.array(py)

    if s.style is SeriesStyle.LINE and len(px) > 1:
        pen = shared_pen(s.color, (s.width or theme.line_width) * scale, dashed=s.dashed)
        out.line = lines.add(LINES, {"x": xv, "y": yv, "pen": pen})  # one run for every line, each its own pen

    if s.style is SeriesStyle.DIAMOND:
        out.diamonds = _draw_diamonds(plot, s, placed, horizontal, theme, scale)
    else:
        _draw_intervals(whiskers, out, s, placed, xv, yv, horizontal, theme, scale)

    interval_pen, no_brush = shared_pen(s.color, theme.interval_width * scale), shared_brush(None)
    n_caps = len(out.caps)
    caps.extend(
        [x for x, _y in out.caps],
        [y for _x, y in out.caps],
        CAP_V if horizontal else CAP_H,
        [theme.cap_size * scale] * n_caps,
        [interval_pen] * n_caps,
        [no_brush] * n_caps,
    )
    arrow_pen, arrow_brush = shared_pen(s.color, theme.axis_width * scale), shared_brush(s.color)
    for x, y, direction in out.arrows:
        arrows.add(x, y, ARROWS[direction], theme.arrow_size * scale, arrow_pen, arrow_brush)

    # Markers by evidence (mark_look: filled, tinted, dashed); a point beyond the range is an arrowhead, its marker
    # an invisible hover target.
    symbol = pg_symbol(s.symbol)
    size = theme.symbol_size * scale
    look = looks.get(s.color)
    if look is None:
        look = looks[s.color] = {mark: mark_look(s.color, mark, theme, scale) for mark in Mark}
    hidden = (no_pen(), no_brush)
    pens: list[QPen] = []
    brushes: list[QBrush] = []
    sizes: list[float] = []
    for p in placed.points:
        point = s.points[p.index]
        hover_only = p.arrow is not None or s.style is SeriesStyle.DIAMOND  # a diamond's marker: its hover target
        pen, brush = hidden if hover_only else look[point.drawn_mark]
        pens.append(pen)
        brushes.append(brush)
        sizes.append(size * math.sqrt(point.area) if point.area != 1.0 else size)
    data = [(key, p.index) for p in placed.points]
    out.marker_rows = tuple(markers.extend(px, py, symbol, sizes, pens, brushes, data))
    return out


DIAMOND_HALF_HEIGHT = 0.32  # in row units: a diamond fills two thirds of its forest-plot row


def _draw_diamonds(
    plot: Any, s: Series, placed: PlacedSeries, horizontal: bool, theme: Theme, scale: float
) -> list[Any]:
    """Pooled estimates as filled diamonds from the lower to the upper limit, as placed (clamped)."""
    pen = cosmetic_pen(s.color, theme.axis_width * scale)
    brush = QBrush(QColor(s.color))
    items = []
    h = DIAMOND_HALF_HEIGHT
    for p in placed.points:
        centre = p.x if horizontal else p.y
        low = centre if p.low is None else p.low
        high = centre if p.high is None else p.high
        if horizontal:
            corners = [(low, p.y), (centre, p.y + h), (high, p.y), (centre, p.y - h)]
        else:
            corners = [(p.x, low), (p.x + h, centre), (p.x, high), (p.x - h, centre)]
        polygon = QGraphicsPolygonItem(QPolygonF([QPointF(x, y) for x, y in corners]))
        polygon.setPen(pen)
        polygon.setBrush(brush)
        polygon.setZValue(MARKERS_Z - 1)
        plot.addItem(polygon)
        items.append(polygon)
    return items


def _draw_intervals(
    whiskers: Runs,
    out: SeriesItems,
    s: Series,
    placed: PlacedSeries,
    xv: np.ndarray,
    yv: np.ndarray,
    horizontal: bool,
    theme: Theme,
    scale: float,
) -> None:
    """Whiskers (ErrorBarItem, no beams), plus cap and arrowhead positions for the shared items.

    Caps are pixel-sized symbols, not ErrorBarItem beams: beams are in data units (their width
    would change with the axis span) and cannot be left off one end of a clipped interval.
    """
    sel: list[int] = []
    minus: list[float] = []
    plus: list[float] = []
    low_arrow, high_arrow = (Arrow.LEFT, Arrow.RIGHT) if horizontal else (Arrow.DOWN, Arrow.UP)
    arrows, caps = out.arrows, out.caps
    for k, p in enumerate(placed.points):  # one tight loop: a forest plot has up to 2,000 rows
        lo, hi = p.low, p.high
        if lo is None and hi is None:
            continue
        centre = p.x if horizontal else p.y
        if lo is not None:
            at = (lo, p.y) if horizontal else (p.x, lo)
            if p.low_arrow:
                arrows.append((*at, low_arrow))
            else:
                caps.append(at)
            below = centre - lo
            minus.append(below if below > 0.0 else 0.0)
        else:
            minus.append(0.0)
        if hi is not None:
            at = (hi, p.y) if horizontal else (p.x, hi)
            if p.high_arrow:
                arrows.append((*at, high_arrow))
            else:
                caps.append(at)
            above = hi - centre
            plus.append(above if above > 0.0 else 0.0)
        else:
            plus.append(0.0)
        sel.append(k)
    if not sel:
        return
    pen = shared_pen(s.color, theme.interval_width * scale)
    low, high = ("left", "right") if horizontal else ("bottom", "top")
    opts = {"x": xv[sel], "y": yv[sel], low: np.array(minus), high: np.array(plus), "beam": None, "pen": pen}
    out.intervals = whiskers.add(horizontal, opts)  # a run per orientation (its options' names), each its own pen

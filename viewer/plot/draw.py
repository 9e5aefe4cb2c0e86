"""The data of a spec as graphics items: series (lines, markers, intervals), bands and reference lines.

Log axes: pyqtgraph's ``ErrorBarItem``, ``ScatterPlotItem`` and ``InfiniteLine`` ignore
``PlotItem.setLogMode``, so every coordinate is transformed with ``log10`` here and only the *axis* is
switched to log mode, which affects nothing but the tick labels. Qt's SVG generator writes no clip
paths, so nothing may be drawn outside the view range: intervals, points and bands are clamped to it
and clamped ends get an arrowhead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor

from viewer.charts.spec import Band, ChartSpec, Series
from viewer.plot.axes import AXES, FRESH_AXES, draw_text_columns, plan_grid
from viewer.plot.batching import (
    ARROWS_Z,
    CAPS_Z,
    MARKERS_Z,
    Runs,
    ScatterColumns,
    line_item,
    whisker_item,
)
from viewer.plot.coords import AxisTransform, auto_span, clamp, fixed_range
from viewer.plot.hover import HoverTips
from viewer.plot.result import RenderedChart, SeriesItems
from viewer.plot.style import (
    ARROWS,
    CAP_H,
    CAP_V,
    SYMBOLS,
    Theme,
    cosmetic_pen,
    make_font,
    no_pen,
    shared_brush,
    shared_pen,
)
from viewer.plot.workarounds import inf_line_label_text

__all__ = ["draw_data", "draw_empty"]


def draw_empty(out: RenderedChart, spec: ChartSpec, theme: Theme) -> None:
    plot = out.plot
    for name in AXES:
        out.axis_plan.set(name, visible=False)
    plot.setXRange(0.0, 1.0, padding=0)
    plot.setYRange(0.0, 1.0, padding=0)
    out.x_range = out.y_range = (0.0, 1.0)
    msg = pg.TextItem(spec.empty_message or "Nothing to show.", color=theme.muted, anchor=(0.5, 0.5))
    msg.setFont(make_font(theme.label_pt, italic=True))
    msg.setPos(0.5, 0.5)
    plot.addItem(msg)
    out.message = msg


@dataclass(slots=True)
class _Prepared:
    """One series in view coordinates, before clamping."""

    series: Series
    idx: list[int]
    x: list[float]
    y: list[float]
    lo: list[float | None]  # interval ends along the interval axis (None: no interval)
    hi: list[float | None]


def _low_end(low: float | None, axis: AxisTransform) -> float | None:
    """View coordinate of a lower interval end; a bound <= 0 on a log axis lies at -infinity.

    -inf is then clamped to the range and drawn as an arrow, which is what such an interval is.
    """
    if low is None or math.isnan(low):
        return None
    return axis.fwd(low) if axis.ok(low) else -math.inf


def _prepare(series: Series, xa: AxisTransform, ya: AxisTransform) -> tuple[_Prepared, int]:
    ia = xa if series.orientation == "horizontal" else ya
    prep = _Prepared(series, [], [], [], [], [])
    dropped = 0
    for i, p in enumerate(series.points):
        if not (xa.ok(p.x) and ya.ok(p.y)):
            dropped += 1
            continue
        prep.idx.append(i)
        prep.x.append(xa.fwd(p.x))
        prep.y.append(ya.fwd(p.y))
        prep.lo.append(_low_end(p.low, ia))
        prep.hi.append(ia.fwd(p.high) if p.high is not None and ia.ok(p.high) else None)
    return prep, dropped


def _extent(
    preps: list[_Prepared], spec: ChartSpec, xa: AxisTransform, ya: AxisTransform
) -> tuple[list[float], list[float]]:
    xs: list[float] = []
    ys: list[float] = []
    for pr in preps:
        xs += pr.x
        ys += pr.y
        tgt = xs if pr.series.orientation == "horizontal" else ys
        tgt += [v for v in pr.lo + pr.hi if v is not None and math.isfinite(v)]
    for b in spec.bands:
        for x, y, lo, hi in zip(b.x, b.y, b.low or b.y, b.high or b.y, strict=False):
            if xa.ok(x):
                xs.append(xa.fwd(x))
                ys += [ya.fwd(v) for v in (y, lo, hi) if ya.ok(v)]
    for r in spec.ref_lines:
        ax, tgt = (xa, xs) if r.vertical else (ya, ys)
        if ax.ok(r.value):
            tgt.append(ax.fwd(r.value))
    for col in spec.text_columns:
        ys += [ya.fwd(y) for y, _ in col.cells if ya.ok(y)]
    return xs, ys


def draw_data(
    out: RenderedChart,
    spec: ChartSpec,
    xa: AxisTransform,
    ya: AxisTransform,
    theme: Theme,
    scale: float,
    reuse: RenderedChart | None = None,
) -> None:
    plot = out.plot
    preps: list[_Prepared] = []
    for s in spec.series:
        pr, dropped = _prepare(s, xa, ya)
        out.dropped += dropped
        preps.append(pr)

    xs, ys = _extent(preps, spec, xa, ya)
    xt = tuple((xa.fwd(v), label) for v, label in spec.x_ticks if xa.ok(v))
    yt = tuple((ya.fwd(v), label) for v, label in spec.y_ticks if ya.ok(v))
    xr = fixed_range(spec.x_range, xa) or auto_span(xs, xt)
    yr = fixed_range(spec.y_range, ya) or auto_span(ys, yt)
    out.x_range, out.y_range = xr, yr
    plot.setXRange(*xr, padding=0)
    plot.setYRange(*yr, padding=0)

    plan = out.axis_plan
    for side, ticks, log, label in (("bottom", xt, spec.x_log, spec.x_label), ("left", yt, spec.y_log, spec.y_label)):
        plan.set(side, log=log, ticks=ticks or None, label=(label, theme.foreground, theme.label_pt) if label else "")
    horizontal_chart = any(s.orientation == "horizontal" for s in spec.series)
    if horizontal_chart:
        plan_grid(plan, "top", xt, spec.x_log, theme, scale)
    else:
        plan_grid(plan, "right", yt, spec.y_log, theme, scale)
    out.axes = plan.apply(plot, reuse.axes if reuse is not None else FRESH_AXES)

    for band in spec.bands:
        out.bands[_unique(band.name, out.bands)] = _draw_band(plot, band, xa, ya, xr, yr, theme, scale)
    for ref in spec.ref_lines:
        _draw_ref_line(out, ref.value, ref.vertical, ref.label, xa if ref.vertical else ya, theme, scale)

    markers, caps, arrows = ScatterColumns(), ScatterColumns(), ScatterColumns()
    lines, whiskers = Runs(), Runs()
    for pr in preps:
        key = _unique(pr.series.name, out.series)
        out.series[key] = _draw_series(plot, key, pr, xr, yr, markers, caps, arrows, lines, whiskers, theme, scale)
    lines.draw(plot, line_item)
    whiskers.draw(plot, whisker_item)
    atlases = out.atlases
    for name, scatter, z in (("caps", caps, CAPS_Z), ("arrows", arrows, ARROWS_Z), ("markers", markers, MARKERS_Z)):
        item = scatter.item(plot, z, atlas=atlases.get(name), hoverable=name == "markers")
        if item is not None:
            atlases[name] = item.fragmentAtlas
        setattr(out, name, item)
    if out.markers is not None:
        out.hover = HoverTips(plot.vb, {k: v.series for k, v in out.series.items()})  # kept: weak slot ref
        out.hover.attach(out.markers)
    if spec.text_columns:
        draw_text_columns(out, spec, ya, theme)


def _draw_ref_line(
    out: RenderedChart, value: float, vertical: bool, label: str, ax: AxisTransform, theme: Theme, scale: float
) -> None:
    if not ax.ok(value):
        return
    line = pg.InfiniteLine(
        pos=ax.fwd(value),
        angle=90 if vertical else 0,
        pen=cosmetic_pen(theme.reference, theme.axis_width * scale, dashed=True),
        movable=False,
    )
    line.setZValue(-5)
    if label:
        text = inf_line_label_text(label)
        # Near the top end of a vertical line / right end of a horizontal one, inside the view.
        anchor = (0, 0) if vertical else (1, 1)
        line.label = pg.InfLineLabel(line, text=text, position=0.98, anchors=[anchor, anchor], color=theme.reference)
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


def _draw_band(
    plot: Any,
    band: Band,
    xa: AxisTransform,
    ya: AxisTransform,
    xr: tuple[float, float],
    yr: tuple[float, float],
    theme: Theme,
    scale: float,
) -> list[Any]:
    """Fitted curve plus its confidence band, clamped into the view (no SVG clipping)."""
    keep = [i for i, x in enumerate(band.x) if xa.ok(x) and ya.ok(band.y[i])]
    if not keep:
        return []
    x = np.clip([xa.fwd(band.x[i]) for i in keep], *xr)

    def ys(values: tuple[float, ...]) -> np.ndarray:
        return np.clip([ya.fwd(values[i]) if ya.ok(values[i]) else yr[0] for i in keep], *yr)

    items: list[Any] = []
    if band.low and band.high:
        fill = QColor(band.color)
        fill.setAlpha(theme.band_alpha)
        low = pg.PlotCurveItem(x=x, y=ys(band.low), pen=None)
        high = pg.PlotCurveItem(x=x, y=ys(band.high), pen=None)
        between = pg.FillBetweenItem(low, high, brush=QBrush(fill))
        between.setZValue(-10)
        plot.addItem(between)
        items.append(between)
    curve = pg.PlotCurveItem(x=x, y=ys(band.y), pen=cosmetic_pen(band.color, theme.line_width * scale), antialias=True)
    curve.setZValue(-9)
    plot.addItem(curve)
    items.append(curve)
    return items


def _draw_series(
    plot: Any,
    key: str,
    pr: _Prepared,
    xr: tuple[float, float],
    yr: tuple[float, float],
    markers: ScatterColumns,
    caps: ScatterColumns,
    arrows: ScatterColumns,
    lines: Runs,
    whiskers: Runs,
    theme: Theme,
    scale: float,
) -> SeriesItems:
    s = pr.series
    out = SeriesItems(series=s, indices=tuple(pr.idx))
    if not pr.idx:
        return out
    horizontal = s.orientation == "horizontal"

    # Marker positions, clamped into the view: a point beyond a fixed range becomes an arrowhead.
    px: list[float] = []
    py: list[float] = []
    outside: list[bool] = []
    for x0, y0 in zip(pr.x, pr.y, strict=True):
        x, sx = clamp(x0, xr)
        y, sy = clamp(y0, yr)
        px.append(x)
        py.append(y)
        outside.append(bool(sx or sy))
        if sx:
            out.arrows.append((x, y, "right" if sx > 0 else "left"))
        elif sy:
            out.arrows.append((x, y, "up" if sy > 0 else "down"))
    xv, yv = np.array(px), np.array(py)

    if s.style == "line" and len(px) > 1:
        pen = shared_pen(s.color, theme.line_width * scale, dashed=s.dashed)
        out.line = lines.add(pen, {"x": xv, "y": yv, "pen": pen})

    _draw_intervals(whiskers, out, pr, xv, yv, xr if horizontal else yr, horizontal, theme, scale)

    interval_pen, no_brush = shared_pen(s.color, theme.interval_width * scale), shared_brush(None)
    for x, y in out.caps:
        caps.add(x, y, CAP_V if horizontal else CAP_H, theme.cap_size * scale, interval_pen, no_brush)
    arrow_pen, arrow_brush = shared_pen(s.color, theme.axis_width * scale), shared_brush(s.color)
    for x, y, direction in out.arrows:
        arrows.add(x, y, ARROWS[direction], theme.arrow_size * scale, arrow_pen, arrow_brush)

    # Markers: hollow = white fill with coloured edge (secondary or unverified figure); a point clamped
    # into the range is an arrowhead, its marker an invisible hover target.
    symbol = s.symbol if s.symbol in SYMBOLS else "o"
    size = theme.symbol_size * scale
    filled_pen = shared_pen(s.color, theme.axis_width * scale, outline=True)
    filled_brush = shared_brush(s.color)
    hollow_pen, hollow_brush = shared_pen(s.color, theme.interval_width * scale), shared_brush(theme.background)
    hidden_pen = no_pen()
    rows = []
    for k, i in enumerate(pr.idx):
        if outside[k]:
            pen, brush = hidden_pen, no_brush
        elif s.points[i].hollow:
            pen, brush = hollow_pen, hollow_brush
        else:
            pen, brush = filled_pen, filled_brush
        rows.append(markers.add(px[k], py[k], symbol, size, pen, brush, (key, i)))
    out.marker_rows = tuple(rows)
    return out


def _draw_intervals(
    whiskers: Runs,
    out: SeriesItems,
    pr: _Prepared,
    xv: np.ndarray,
    yv: np.ndarray,
    rng: tuple[float, float],
    horizontal: bool,
    theme: Theme,
    scale: float,
) -> None:
    """Whiskers (ErrorBarItem, no beams), plus cap and arrowhead positions for the shared items.

    Caps are pixel-sized symbols, not ErrorBarItem beams: beams are in data units (their width
    would change with the axis span) and cannot be left off one end of a clipped interval.
    """
    s = pr.series
    sel: list[int] = []
    minus: list[float] = []
    plus: list[float] = []
    for k, i in enumerate(pr.idx):
        lo, hi = pr.lo[k], pr.hi[k]
        if lo is None and hi is None:
            continue
        p = s.points[i]
        centre = float(xv[k] if horizontal else yv[k])
        ends: list[float] = []
        for end, flagged, side in ((lo, p.clipped_low, -1), (hi, p.clipped_high, 1)):
            if end is None:
                ends.append(centre)
                continue
            v, hit = clamp(end, rng)
            ends.append(v)
            pos = (v, float(yv[k])) if horizontal else (float(xv[k]), v)
            if flagged or hit:
                direction = ("right" if side > 0 else "left") if horizontal else ("up" if side > 0 else "down")
                out.arrows.append((pos[0], pos[1], direction))
            else:
                out.caps.append(pos)
        sel.append(k)
        minus.append(max(centre - ends[0], 0.0))
        plus.append(max(ends[1] - centre, 0.0))
    if not sel:
        return
    pen = shared_pen(s.color, theme.interval_width * scale)
    low, high = ("left", "right") if horizontal else ("bottom", "top")
    opts = {"x": xv[sel], "y": yv[sel], low: np.array(minus), high: np.array(plus), "beam": None, "pen": pen}
    out.intervals = whiskers.add((pen, horizontal), opts)

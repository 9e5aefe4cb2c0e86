"""The markers' tooltips (the spec point's own provenance, escaped) and focus: the series under the mouse, or
picked in the legend or the points list, stands out while the rest of the chart fades."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg

from viewer.charts.hiding import name_parts
from viewer.charts.spec import ChartSpec, Mark, Orientation, Point, Series, SeriesStyle
from viewer.plot.batching import MARKERS_Z
from viewer.plot.style import ARROWS, cosmetic_pen, mark_look, pg_symbol
from viewer.plot.text import plain_tooltip

__all__ = ["FADED_OPACITY", "Focus", "HoverTips", "tooltip_text"]

FOCUS_Z = MARKERS_Z + 2  # the picked-out series is drawn above every other mark

_TOOLTIP_LIMIT = 3  # overlapping markers listed in one tooltip


def tooltip_text(series: Series, point: Point) -> str:
    """The hover text of ``point``: its provenance, or the series name, label and value."""
    if point.tooltip:
        return point.tooltip
    label = f" {point.label}" if point.label else ""
    value = point.x if series.orientation is Orientation.HORIZONTAL else point.y
    return f"{series.name}{label}: {value:g}"


class HoverTips:
    """Shows the escaped tooltips of the markers under the mouse on the plot's ViewBox.

    pyqtgraph's own ``tip=`` text is "x: … y: … data=…" and is not escaped; this looks the spec
    point up from the marker's data ``(series key, point index)``.
    """

    def __init__(self, vb: Any, series: dict[str, Series], focus: Focus | None = None) -> None:
        self._vb = vb
        self._series = series  # not the RenderedChart: no reference cycle keeping the plot alive
        self._focus = focus

    def attach(self, scatter: Any) -> None:
        scatter.sigHovered.connect(self._on_hover)

    def detach(self, scatter: Any) -> None:
        """Stop showing ``scatter``'s tooltips (the next drawing takes the item over, with its own series)."""
        scatter.sigHovered.disconnect(self._on_hover)

    def _on_hover(self, scatter: Any, points: Sequence[Any], ev: Any) -> None:
        if self._focus is not None:
            self._focus.set(points[0].data()[0] if len(points) else None)
        if not len(points):
            self._vb.setToolTip("")
            return
        tips = []
        for spot in points[:_TOOLTIP_LIMIT]:
            key, index = spot.data()
            series = self._series[key]
            tips.append(tooltip_text(series, series.points[index]))
        if len(points) > _TOOLTIP_LIMIT:
            tips.append(f"(and {len(points) - _TOOLTIP_LIMIT} more here)")
        self._vb.setToolTip(plain_tooltip("\n\n".join(tips)))


FADED_OPACITY = 0.2  # what the rest of a chart fades to while one series is picked out


class Focus:
    """Picks out one series of a drawn chart: every other data item fades and the series' line and markers
    are drawn again on top, thicker. Hovering a marker, a legend entry or a row of the points list sets it.

    Lines, whiskers and markers are batched across series (:mod:`viewer.plot.batching`), so the picked series
    is redrawn as its own overlay rather than by restyling shared items.
    """

    def __init__(
        self,
        plot: Any,
        spec: ChartSpec,
        keys: Sequence[str],
        theme: Any,
        scale: float,
        own: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        self._plot = plot
        self._own = own or {}  # items drawn for one series alone (a pooled diamond): kept as drawn, not faded
        self._spec = spec
        self._keys = list(keys)  # keys[k] names spec.series[k] (names made unique by the drawing)
        self._theme = theme
        self._scale = scale
        self.keys: tuple[str, ...] = ()  # the series picked out
        self._overlay: list[Any] = []
        self._faded: list[Any] = []

    def set(self, key: str | None) -> None:
        """Pick out the series ``key`` (None, or a key this chart does not hold: none)."""
        self.pick((key,) if key in self._keys and not self._spec.series[self._keys.index(key)].hidden else ())

    def set_label(self, label: str | None) -> None:
        """Pick out the series a legend entry names: the series itself, a drug's or a trial's series."""
        if not label:
            self.pick(())
            return
        named = zip(self._keys, self._spec.series, strict=True)
        self.pick(tuple(k for k, s in named if label in name_parts(s.name) and not s.hidden))

    def pick(self, keys: tuple[str, ...]) -> None:
        """Pick out the series ``keys`` (empty: none) and fade the rest."""
        if keys == self.keys:
            return
        self.clear()
        self.keys = keys
        if not keys:
            return
        vb = self._plot.vb
        kept = {id(i) for key in keys for i in self._own.get(key, ())}
        self._faded = [
            i for i in vb.addedItems if not isinstance(i, pg.InfiniteLine | pg.TextItem) and id(i) not in kept
        ]
        for item in self._faded:
            item.setOpacity(FADED_OPACITY)
        for key in keys:
            k = self._keys.index(key)
            self._overlay += self._drawn_again(self._spec.series[k], self._spec.placement.series[k])
        for item in self._overlay:
            self._plot.addItem(item)

    def _drawn_again(self, series: Series, placed: Any) -> list[Any]:
        """The series again, on top and heavier: its line, its intervals and its markers, each marker with the
        evidence mark, size (a forest square's area) and arrowhead it was drawn with."""
        if not placed.points:
            return []
        x = np.array([p.x for p in placed.points])
        y = np.array([p.y for p in placed.points])
        t, s = self._theme, self._scale
        items: list[Any] = []
        if series.style is SeriesStyle.LINE and len(x) > 1:
            line = pg.PlotCurveItem(x=x, y=y, pen=cosmetic_pen(series.color, 2 * t.line_width * s), antialias=True)
            line.setZValue(FOCUS_Z)
            items.append(line)
        items += _intervals_again(series, placed.points, 2 * t.interval_width * s)
        shown = [p for p in placed.points if series.style is not SeriesStyle.DIAMOND or p.arrow is not None]
        spots = [_spot_again(series, p, t, s) for p in shown]  # a pooled diamond stays as drawn (``own``)
        if spots:
            marks = pg.ScatterPlotItem(spots=spots, antialias=True)
            marks.setZValue(FOCUS_Z + 1)
            items.append(marks)
        return items

    def clear(self) -> None:
        """Nothing picked out: the chart as drawn."""
        for item in self._overlay:
            self._plot.removeItem(item)
        for item in self._faded:
            item.setOpacity(1.0)
        self._overlay, self._faded, self.keys = [], [], ()


def _spot_again(series: Series, placed: Any, theme: Any, scale: float) -> dict[str, Any]:
    """A picked-out marker: as drawn (its evidence mark, its area, or the arrowhead of a value beyond the axis),
    a third larger and with heavier pens."""
    symbol: Any
    if placed.arrow is not None:
        pen, brush = mark_look(series.color, Mark.PRIMARY, theme, 1.5 * scale)
        symbol, size = ARROWS[placed.arrow], theme.arrow_size
    else:
        point = series.points[placed.index]
        pen, brush = mark_look(series.color, point.drawn_mark, theme, 1.5 * scale)
        symbol, size = pg_symbol(series.symbol), theme.symbol_size * math.sqrt(point.area)
    return {"pos": (placed.x, placed.y), "symbol": symbol, "size": 1.3 * size * scale, "pen": pen, "brush": brush}


def _intervals_again(series: Series, points: Sequence[Any], width: float) -> list[Any]:
    """The series' intervals as one heavier line item (pairs of ends), or none."""
    horizontal = series.orientation is Orientation.HORIZONTAL
    ends: list[tuple[float, float]] = []
    for p in points:
        if p.low is None or p.high is None:
            continue
        ends += [(p.low, p.y), (p.high, p.y)] if horizontal else [(p.x, p.low), (p.x, p.high)]
    if not ends:
        return []
    xs, ys = np.array([e[0] for e in ends]), np.array([e[1] for e in ends])
    bars = pg.PlotCurveItem(x=xs, y=ys, pen=cosmetic_pen(series.color, width), connect="pairs")
    bars.setZValue(FOCUS_Z)
    return [bars]

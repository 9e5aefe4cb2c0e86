"""Draw a :class:`~viewer.charts.spec.ChartSpec` with pyqtgraph: the one renderer for screen and export.

The spec already holds every number, colour and word; this module only turns it into graphics items.
The same :func:`render` draws the on-screen chart (``scale=1``) and the exported figures, so what the
user sees is what lands in the PNG, SVG or PDF.

Design decisions, each forced by a pyqtgraph/Qt trap (see ``shared/reference/qt-pyqtgraph.md`` §2.2):

* ``scale`` is the factor by which the scene will be *magnified when painted* (device pixels per
  logical pixel: 1 on screen, ``dpi / 96`` for a PNG export). Text, layout and data coordinates
  follow the painter's transform by themselves, so fonts are given in points once and are **not**
  multiplied again. What does not follow the painter is multiplied by ``scale``: cosmetic pen widths
  and pixel-mode marker sizes. Otherwise a 300-dpi figure gets hairlines and pin-head markers.
* Log axes: pyqtgraph's ``ErrorBarItem``, ``BarGraphItem``, ``ScatterPlotItem`` and ``InfiniteLine``
  ignore ``PlotItem.setLogMode``. So the renderer transforms every coordinate with ``log10`` itself
  and switches only the *axis* to log mode, which affects nothing but the tick labels. Values
  that cannot be shown on a log axis (``<= 0``) are dropped and the drop is stated on the chart.
* Qt's SVG generator writes no clip paths, so nothing may be drawn outside the view range: when a
  range is fixed, intervals, points and bands are clamped to it and clamped ends get an arrowhead.
* Text from data files must never be interpreted as HTML: titles and notes use ``setPlainText``
  (:class:`PlainLabel`), axis and legend labels (pyqtgraph builds HTML for them) are escaped, and
  tooltips are escaped into explicit rich text.
* The legend lives in its own layout row (it never covers data) with ``ItemIgnoresTransformations``
  switched off so that it scales with the export.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QSizePolicy, QWidget

from viewer.charts.spec import Band, ChartSpec, Point, Series

__all__ = [
    "LIGHT",
    "ChartWidget",
    "PlainLabel",
    "RenderedChart",
    "SeriesItems",
    "Theme",
    "render",
    "tooltip_html",
]


@dataclass(frozen=True, slots=True)
class Theme:
    """Neutral colours, font sizes (points) and line weights (logical pixels at ``scale=1``).

    Data colours are not here on purpose: they come from the spec (Okabe-Ito), the theme only adds
    the greys and blacks of the frame, so a chart never gets a colour the chart layer did not choose.
    """

    background: str = "#FFFFFF"
    foreground: str = "#000000"
    muted: str = "#444444"  # footnotes
    reference: str = "#7F7F7F"  # reference lines (no effect)
    grid_alpha: float = 0.10
    title_pt: float = 12.0
    label_pt: float = 10.0
    tick_pt: float = 9.0
    legend_pt: float = 9.0
    note_pt: float = 8.0
    line_width: float = 1.75
    interval_width: float = 1.5
    axis_width: float = 1.0
    symbol_size: float = 9.0
    cap_size: float = 7.0
    arrow_size: float = 11.0
    band_alpha: int = 48


LIGHT = Theme()
"""Print-friendly default: white background, black axes."""

_TOOLTIP_LIMIT = 3
_SYMBOLS = frozenset({"o", "s", "t", "t1", "t2", "t3", "d", "+", "x", "p", "h", "star"})


# ---------------------------------------------------------------------------------------------
# Small Qt helpers
# ---------------------------------------------------------------------------------------------


def _font(points: float, *, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def _pen(color: str | QColor, width: float, *, dashed: bool = False) -> QPen:
    """A cosmetic pen; callers pass ``width * scale`` because cosmetic widths ignore the painter."""
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _outline(color: str) -> QColor:
    """A darker edge of the series colour, so light fills (Okabe-Ito yellow) stay visible on white."""
    return QColor(color).darker(140)


def tooltip_html(text: str) -> str:
    """Escape ``text`` into explicit Qt rich text.

    Qt guesses whether a tooltip is rich text (``Qt::mightBeRichText``); a trial name such as
    ``<b>`` would otherwise be interpreted. Escaping and wrapping it makes the guess irrelevant and
    keeps line breaks of multi-line provenance.
    """
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def _arrow_path(direction: str) -> QPainterPath:
    """A triangle with its *tip* at the origin, pointing ``direction`` (device coordinates, y down).

    Symbols are drawn centred on their position; putting the tip at the origin lets an arrowhead
    sit exactly on the range edge without spilling past the axis (the SVG has no clipping).
    """
    pts = {
        "up": [(0.0, 0.0), (-0.45, 1.0), (0.45, 1.0)],
        "down": [(0.0, 0.0), (-0.45, -1.0), (0.45, -1.0)],
        "left": [(0.0, 0.0), (1.0, -0.45), (1.0, 0.45)],
        "right": [(0.0, 0.0), (-1.0, -0.45), (-1.0, 0.45)],
    }[direction]
    path = QPainterPath()
    path.moveTo(*pts[0])
    for p in pts[1:]:
        path.lineTo(*p)
    path.closeSubpath()
    return path


def _cap_path(horizontal: bool) -> QPainterPath:
    """A one-unit line: the cap (beam) at the end of an interval, sized in pixels not data units."""
    path = QPainterPath()
    if horizontal:
        path.moveTo(-0.5, 0.0)
        path.lineTo(0.5, 0.0)
    else:
        path.moveTo(0.0, -0.5)
        path.lineTo(0.0, 0.5)
    return path


_ARROWS = {d: _arrow_path(d) for d in ("up", "down", "left", "right")}
_CAP_H = _cap_path(True)  # caps of vertical intervals
_CAP_V = _cap_path(False)  # caps of horizontal intervals


class PlainLabel(pg.GraphicsWidget):
    """A wrapping block of plain text for the layout (title, warnings, footnotes).

    Used instead of :class:`pyqtgraph.LabelItem` for two reasons: ``LabelItem`` feeds its text to
    ``setHtml`` (text from data files must never be interpreted), and it never wraps, so one long
    footnote would widen the whole layout past the window. The height follows the width it is
    given, like a paragraph.
    """

    def __init__(
        self,
        text: str,
        *,
        font: QFont,
        color: str,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        self.item = QGraphicsTextItem(self)
        self.item.setFont(font)
        self.item.setDefaultTextColor(QColor(color))
        doc = self.item.document()
        doc.setDocumentMargin(1.0)
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        self.item.setPlainText(text)
        self._natural_width = doc.idealWidth() + 2.0 * doc.documentMargin()
        self._height = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._wrap_to(self._natural_width)

    def text(self) -> str:
        """The text exactly as given (plain, never interpreted)."""
        return str(self.item.toPlainText())

    def _wrap_to(self, width: float) -> None:
        self.item.setTextWidth(max(width, 1.0))
        height = float(self.item.boundingRect().height())
        if height != self._height:
            self._height = height
            self.updateGeometry()

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:  # noqa: N802
        """Preferred = one line; minimum width small so long text wraps instead of widening."""
        if which == Qt.SizeHint.MinimumSize:
            return QSizeF(min(self._natural_width, 40.0), self._height)
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(1.0e6, self._height)
        return QSizeF(self._natural_width, self._height)

    def resizeEvent(self, ev: Any) -> None:  # noqa: N802
        """Re-wrap to the width the layout gave (the height may change, which re-runs the layout)."""
        self._wrap_to(float(self.size().width()))


class _LegendSample(pg.ItemSample):
    """A legend swatch drawn from the series style, not from a plot item.

    pyqtgraph's ``ItemSample`` draws symbols at the item's (already ×scale) size *inside* the scaled
    painter, which would double the scale in exports; it also hides the series on click, which a
    static chart must not allow.
    """

    def __init__(self, *, color: str, symbol: str | None, line: bool, dashed: bool, fill: str, scale: float, theme: Theme) -> None:
        super().__init__(None)
        self._color = color
        self._symbol = symbol
        self._line = line
        self._dashed = dashed
        self._fill = fill  # "", "bar" or "band"
        self._scale = scale
        self._theme = theme

    def paint(self, p: QPainter, *args: Any) -> None:
        """Draw line, symbol or swatch in a 20×20 logical box."""
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = self._theme
        if self._fill == "bar":
            p.setPen(_pen(_outline(self._color), t.axis_width * self._scale))
            p.setBrush(QBrush(QColor(self._color)))
            p.drawRect(QRectF(3, 3, 14, 14))
            return
        if self._fill == "band":
            band = QColor(self._color)
            band.setAlpha(t.band_alpha)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(band))
            p.drawRect(QRectF(0, 4, 20, 12))
        if self._line:
            p.setPen(_pen(self._color, t.line_width * self._scale, dashed=self._dashed))
            p.drawLine(QPointF(0, 10), QPointF(20, 10))
        if self._symbol:
            p.translate(10, 10)
            pg.graphicsItems.ScatterPlotItem.drawSymbol(
                p,
                self._symbol,
                t.symbol_size,
                _pen(_outline(self._color), t.axis_width * self._scale),
                QBrush(QColor(self._color)),
            )

    def mouseClickEvent(self, event: Any) -> None:  # noqa: N802
        """Ignore clicks: hiding a drug from a comparison chart by accident would mislead."""
        event.ignore()


# ---------------------------------------------------------------------------------------------
# Result object
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SeriesItems:
    """What was drawn for one series; ``indices[k]`` is the spec point index of drawn point ``k``."""

    series: Series
    indices: tuple[int, ...] = ()
    points: Any = None  # pg.ScatterPlotItem: markers, hoverable, carries the tooltips
    line: Any = None  # pg.PlotCurveItem
    bars: Any = None  # pg.BarGraphItem
    intervals: Any = None  # pg.ErrorBarItem
    caps: Any = None  # pg.ScatterPlotItem
    arrows: Any = None  # pg.ScatterPlotItem: clipped interval ends / out-of-range points

    def items(self) -> list[Any]:
        """Every graphics item of the series, in drawing order."""
        return [i for i in (self.bars, self.line, self.intervals, self.caps, self.arrows, self.points) if i is not None]


@dataclass(slots=True)
class RenderedChart:
    """Handles on what :func:`render` drew, for tests, hover and re-use by :class:`ChartWidget`.

    Coordinates stored in items are *view* coordinates: ``log10`` of the value on a log axis.
    """

    spec: ChartSpec
    plot: Any  # pg.PlotItem
    scale: float = 1.0
    series: dict[str, SeriesItems] = field(default_factory=dict)
    bands: dict[str, list[Any]] = field(default_factory=dict)
    ref_lines: list[Any] = field(default_factory=list)
    title: PlainLabel | None = None
    warnings: PlainLabel | None = None
    footnotes: PlainLabel | None = None
    legend: Any = None  # pg.LegendItem
    text_plot: Any = None  # pg.PlotItem sharing the main plot's y axis
    text_items: list[Any] = field(default_factory=list)  # pg.TextItem per cell
    message: Any = None  # pg.TextItem with spec.empty_message
    x_range: tuple[float, float] = (0.0, 1.0)  # view coordinates
    y_range: tuple[float, float] = (0.0, 1.0)
    dropped: int = 0  # points not drawable on a log axis
    spare_text_plot: Any = None  # the text-column PlotItem, kept for reuse by the next render

    @property
    def items_by_series(self) -> dict[str, list[Any]]:
        """Graphics items keyed by series name (duplicated names get `` [2]``, `` [3]``...)."""
        return {name: s.items() for name, s in self.series.items()}

    def tooltip_at(self, series_name: str, index: int) -> str:
        """The hover text of spec point ``index`` of a series, read back from the drawn marker.

        Raises ``LookupError`` when that point was not drawn (e.g. dose 0 on a log axis).
        """
        s = self.series[series_name]
        data = list(s.points.data["data"]) if s.points is not None else []
        if index not in data:
            raise LookupError(f"point {index} of {series_name!r} was not drawn")
        return _tooltip_text(s.series, s.series.points[int(index)])

    def drawn_xy(self, series_name: str) -> list[tuple[float, float]]:
        """Marker positions of a series in data units (log axes undone), in spec point order."""
        pts = self.series[series_name].points
        if pts is None:
            return []
        xs, ys = pts.getData()
        fx = _Axis(self.spec.x_log).back
        fy = _Axis(self.spec.y_log).back
        return [(fx(float(x)), fy(float(y))) for x, y in zip(xs, ys, strict=True)]


def _tooltip_text(series: Series, point: Point) -> str:
    if point.tooltip:
        return point.tooltip
    label = f" {point.label}" if point.label else ""
    value = point.x if series.orientation == "horizontal" else point.y
    return f"{series.name}{label}: {value:g}"


# ---------------------------------------------------------------------------------------------
# Coordinates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Axis:
    """Data → view coordinate for one axis (``log10`` on log axes)."""

    log: bool

    def ok(self, v: float | None) -> bool:
        return v is not None and math.isfinite(v) and (not self.log or v > 0)

    def fwd(self, v: float) -> float:
        return math.log10(v) if self.log else float(v)

    def back(self, v: float) -> float:
        return 10.0**v if self.log else v


def _span(values: Iterable[float], ticks: Sequence[tuple[float, str]], pad: float = 0.06) -> tuple[float, float]:
    """Auto range: data extent plus padding; categories get half a slot each side."""
    vals = [v for v in values if math.isfinite(v)]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    width = hi - lo
    if width <= 0:
        delta = abs(lo) * 0.1 or 0.5
        lo, hi = lo - delta, hi + delta
    else:
        lo, hi = lo - width * pad, hi + width * pad
    if ticks:
        tpos = [t for t, _ in ticks]
        lo, hi = min(lo, min(tpos) - 0.5), max(hi, max(tpos) + 0.5)
    return lo, hi


def _fixed(rng: tuple[float, float] | None, ax: _Axis) -> tuple[float, float] | None:
    if rng is None or not (ax.ok(rng[0]) and ax.ok(rng[1])) or rng[0] == rng[1]:
        return None
    a, b = ax.fwd(rng[0]), ax.fwd(rng[1])
    return (min(a, b), max(a, b))


def _clamp(v: float, rng: tuple[float, float]) -> tuple[float, int]:
    """Clamp into the range; the int says which side was hit (-1 low, +1 high, 0 inside)."""
    if v < rng[0]:
        return rng[0], -1
    if v > rng[1]:
        return rng[1], 1
    return v, 0


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _reset_plot(plot: Any) -> None:
    """Bring a reused PlotItem back to a blank state (creating one costs ~6 ms, too slow per redraw)."""
    plot.clear()
    for name in ("left", "bottom", "top", "right"):
        axis = plot.getAxis(name)
        axis.setTicks(None)
        axis.setLogMode(False)
        axis.setGrid(False)
        axis.setLabel(None)
        axis.showLabel(False)
    plot.hideAxis("top")
    plot.hideAxis("right")
    plot.showAxis("left")
    plot.showAxis("bottom")


def _new_plot() -> Any:
    plot = pg.PlotItem()
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def _style_axes(plot: Any, theme: Theme, scale: float) -> None:
    fg = theme.foreground
    tick_font = _font(theme.tick_pt)
    for name in ("left", "bottom", "top", "right"):
        axis = plot.getAxis(name)
        axis.setPen(_pen(fg, theme.axis_width * scale))
        axis.setTextPen(QColor(fg))
        axis.setTickFont(tick_font)
        axis.enableAutoSIPrefix(False)
    # The end labels of a fixed 0-100 % axis would be hidden for poking half a line out of the axis.
    plot.getAxis("left").setStyle(hideOverlappingLabels=False)


def _set_axis_label(plot: Any, side: str, text: str, theme: Theme) -> None:
    if not text:
        plot.getAxis(side).showLabel(False)
        return
    # AxisItem builds HTML around the label: escape it so a data-derived label is shown, not run.
    plot.setLabel(side, html.escape(text), **{"color": theme.foreground, "font-size": f"{theme.label_pt}pt"})


def render(
    spec: ChartSpec,
    layout: Any,
    *,
    scale: float = 1.0,
    theme: Theme = LIGHT,
    reuse: RenderedChart | None = None,
) -> RenderedChart:
    """Clear ``layout`` (a ``pg.GraphicsLayout``) and draw ``spec`` into it.

    ``scale`` multiplies cosmetic pen widths and pixel-sized markers: pass the factor by which
    the scene will be magnified when painted (1 on screen, ``dpi / 96`` for a PNG export).
    ``reuse`` hands back the previous result so its PlotItems are recycled: this keeps a redraw
    within a frame budget.
    """
    # Adding a fixed-height item to an empty top-level layout shrinks the layout widget to that
    # height for good (Qt bounds a top-level widget by its layout's maximum size); keep the size.
    geometry = layout.geometry()
    layout.clear()
    layout.setContentsMargins(10, 8, 14, 8)
    layout.setSpacing(2)

    plot = reuse.plot if reuse is not None else _new_plot()
    if reuse is not None:
        _reset_plot(plot)
    _style_axes(plot, theme, scale)
    out = RenderedChart(spec=spec, plot=plot, scale=scale)
    if reuse is not None:
        out.spare_text_plot = reuse.spare_text_plot  # kept even while unused: switching is frequent

    # The plot goes in first: it has no maximum height, so the layout never shrinks (see above).
    plot_row = 1 if spec.title else 0
    layout.addItem(plot, row=plot_row, col=0)
    if spec.title:
        out.title = PlainLabel(spec.title, font=_font(theme.title_pt, bold=True), color=theme.foreground, align=Qt.AlignmentFlag.AlignHCenter)
        layout.addItem(out.title, row=0, col=0, colspan=2)
    row = plot_row + 1

    xa, ya = _Axis(spec.x_log), _Axis(spec.y_log)
    warnings = list(spec.warnings)

    if spec.is_empty:
        _draw_empty(out, spec, theme)
    else:
        _draw_data(out, spec, xa, ya, theme, scale)
        if out.dropped:
            warnings.append(f"{out.dropped} value(s) ≤ 0 cannot be placed on the logarithmic axis and are not shown.")
        if spec.text_columns:
            text_plot = out.spare_text_plot
            if text_plot is None:
                text_plot = out.spare_text_plot = _new_plot()
            else:
                _reset_plot(text_plot)
            _draw_text_columns(out, text_plot, spec, theme, scale)
            layout.addItem(text_plot, row=plot_row, col=1)
        legend = _build_legend(spec, theme, scale)
        if legend is not None:
            out.legend = legend
            layout.addItem(legend, row=row, col=0, colspan=2)
            layout.layout.setAlignment(legend, Qt.AlignmentFlag.AlignHCenter)
            row += 1

    if warnings:
        out.warnings = PlainLabel("\n".join("⚠ " + w for w in warnings), font=_font(theme.legend_pt, bold=True), color=theme.foreground)
        layout.addItem(out.warnings, row=row, col=0, colspan=2)
        row += 1
    if spec.footnotes:
        out.footnotes = PlainLabel("\n".join(spec.footnotes), font=_font(theme.note_pt), color=theme.muted)
        layout.addItem(out.footnotes, row=row, col=0, colspan=2)
        row += 1
    for r in range(row):
        layout.layout.setRowStretchFactor(r, 100 if r == plot_row else 0)
    if geometry.isValid() and layout.parentLayoutItem() is None:
        layout.setGeometry(geometry)
    return out


def _draw_empty(out: RenderedChart, spec: ChartSpec, theme: Theme) -> None:
    plot = out.plot
    for name in ("left", "bottom", "top", "right"):
        plot.hideAxis(name)
    plot.setXRange(0.0, 1.0, padding=0)
    plot.setYRange(0.0, 1.0, padding=0)
    out.x_range = out.y_range = (0.0, 1.0)
    msg = pg.TextItem(spec.empty_message or "Nothing to show.", color=theme.muted, anchor=(0.5, 0.5))
    msg.setFont(_font(theme.label_pt, italic=True))
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
    lo: list[float | None]  # interval ends along the interval axis (None: no interval / invalid)
    hi: list[float | None]


def _prepare(series: Series, xa: _Axis, ya: _Axis) -> tuple[_Prepared, int]:
    horizontal = series.orientation == "horizontal"
    ia = xa if horizontal else ya
    prep = _Prepared(series, [], [], [], [], [])
    dropped = 0
    for i, p in enumerate(series.points):
        if not (xa.ok(p.x) and ya.ok(p.y)):
            dropped += 1
            continue
        prep.idx.append(i)
        prep.x.append(xa.fwd(p.x))
        prep.y.append(ya.fwd(p.y))
        # An interval end that cannot be shown on a log axis (<= 0) is treated as clipped.
        prep.lo.append(ia.fwd(p.low) if ia.ok(p.low) else (-math.inf if p.low is not None else None))
        prep.hi.append(ia.fwd(p.high) if ia.ok(p.high) else None)
    return prep, dropped


def _extent(preps: list[_Prepared], spec: ChartSpec, xa: _Axis, ya: _Axis) -> tuple[list[float], list[float]]:
    xs: list[float] = []
    ys: list[float] = []
    for pr in preps:
        xs += pr.x
        ys += pr.y
        tgt = xs if pr.series.orientation == "horizontal" else ys
        tgt += [v for v in pr.lo + pr.hi if v is not None and math.isfinite(v)]
        if pr.series.style == "bar":
            half = (pr.series.bar_width or 0.6) / 2
            if pr.series.orientation == "horizontal":
                xs.append(0.0)
                ys += [v + s for v in pr.y for s in (-half, half)]
            else:
                ys.append(0.0)
                xs += [v + s for v in pr.x for s in (-half, half)]
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
        ys += [y for y, _ in col.cells]
    return xs, ys


def _draw_data(out: RenderedChart, spec: ChartSpec, xa: _Axis, ya: _Axis, theme: Theme, scale: float) -> None:
    plot = out.plot
    preps: list[_Prepared] = []
    for s in spec.series:
        pr, dropped = _prepare(s, xa, ya)
        out.dropped += dropped
        preps.append(pr)

    xs, ys = _extent(preps, spec, xa, ya)
    xt = tuple((xa.fwd(v), label) for v, label in spec.x_ticks if xa.ok(v))
    yt = tuple((ya.fwd(v), label) for v, label in spec.y_ticks if ya.ok(v))
    xr = _fixed(spec.x_range, xa) or _span(xs, xt)
    yr = _fixed(spec.y_range, ya) or _span(ys, yt)
    out.x_range, out.y_range = xr, yr
    plot.setXRange(*xr, padding=0)
    plot.setYRange(*yr, padding=0)

    for side, ticks, log in (("bottom", xt, spec.x_log), ("left", yt, spec.y_log)):
        axis = plot.getAxis(side)
        axis.setLogMode(log)  # tick labels only; data are already log10
        if ticks:
            axis.setTicks([list(ticks)])
    _set_axis_label(plot, "bottom", spec.x_label, theme)
    _set_axis_label(plot, "left", spec.y_label, theme)
    horizontal_chart = any(s.orientation == "horizontal" for s in spec.series)
    if horizontal_chart:
        _grid(plot, "top", xt, spec.x_log, theme, scale)
    else:
        _grid(plot, "right", yt, spec.y_log, theme, scale)

    for band in spec.bands:
        out.bands[_unique(band.name, out.bands)] = _draw_band(plot, band, xa, ya, xr, yr, theme, scale)
    for ref in spec.ref_lines:
        ax = xa if ref.vertical else ya
        if not ax.ok(ref.value):
            continue
        line = pg.InfiniteLine(
            pos=ax.fwd(ref.value),
            angle=90 if ref.vertical else 0,
            pen=_pen(theme.reference, theme.axis_width * scale, dashed=True),
            movable=False,
        )
        line.setZValue(-5)
        if ref.label:
            # InfiniteLine formats its label with str.format: double the braces of literal text.
            text = ref.label.replace("{", "{{").replace("}", "}}")
            # Near the top end of a vertical line / right end of a horizontal one, inside the view.
            anchor = (0, 0) if ref.vertical else (1, 1)
            line.label = pg.InfLineLabel(line, text=text, position=0.98, anchors=[anchor, anchor], color=theme.reference)
            line.label.setFont(_font(theme.note_pt))
        plot.addItem(line)
        out.ref_lines.append(line)

    hover = _HoverTips(plot.vb)
    for pr in preps:
        items = _draw_series(plot, pr, xr, yr, theme, scale)
        if items.points is not None:
            hover.attach(items)
        out.series[_unique(pr.series.name, out.series)] = items


def _grid(plot: Any, side: str, ticks: Sequence[tuple[float, str]], log: bool, theme: Theme, scale: float) -> None:
    """Faint grid lines across the value axis, drawn by an otherwise invisible opposite axis.

    A grid on the labelled axis itself would cost its end labels: with a grid, pyqtgraph 0.14
    clips tick labels to the axis rectangle, so "0" and "100" of a fixed 0-100 % axis vanish.
    """
    plot.showAxis(side)
    axis = plot.getAxis(side)
    axis.setPen(QPen(Qt.PenStyle.NoPen))
    axis.setTickPen(_pen(theme.foreground, theme.axis_width * scale))
    axis.setStyle(showValues=False, tickLength=0)
    axis.setLogMode(log)  # same tick positions as the labelled axis
    if ticks:
        axis.setTicks([list(ticks)])
    axis.setGrid(int(255 * theme.grid_alpha))


def _unique(name: str, taken: dict[str, Any]) -> str:
    if name not in taken:
        return name
    k = 2
    while f"{name} [{k}]" in taken:
        k += 1
    return f"{name} [{k}]"


def _draw_band(
    plot: Any, band: Band, xa: _Axis, ya: _Axis, xr: tuple[float, float], yr: tuple[float, float], theme: Theme, scale: float
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
    curve = pg.PlotCurveItem(x=x, y=ys(band.y), pen=_pen(band.color, theme.line_width * scale), antialias=True)
    curve.setZValue(-9)
    plot.addItem(curve)
    items.append(curve)
    return items


def _draw_series(plot: Any, pr: _Prepared, xr: tuple[float, float], yr: tuple[float, float], theme: Theme, scale: float) -> SeriesItems:
    s = pr.series
    out = SeriesItems(series=s, indices=tuple(pr.idx))
    if not pr.idx:
        return out
    horizontal = s.orientation == "horizontal"
    color = QColor(s.color)
    symbol = s.symbol if s.symbol in _SYMBOLS else "o"

    # Marker positions, clamped into the view: a point beyond a fixed range becomes an arrowhead.
    px: list[float] = []
    py: list[float] = []
    arrows: list[tuple[float, float, str]] = []
    marker_out: list[bool] = []
    for x0, y0 in zip(pr.x, pr.y, strict=True):
        x, sx = _clamp(x0, xr)
        y, sy = _clamp(y0, yr)
        px.append(x)
        py.append(y)
        marker_out.append(bool(sx or sy))
        if sx:
            arrows.append((x, y, "right" if sx > 0 else "left"))
        elif sy:
            arrows.append((x, y, "up" if sy > 0 else "down"))
    xv, yv = np.array(px), np.array(py)

    if s.style == "bar":
        out.bars = _draw_bars(plot, s, pr, xv, yv, horizontal, theme, scale)
    elif s.style == "line" and len(px) > 1:
        out.line = pg.PlotCurveItem(x=xv, y=yv, pen=_pen(s.color, theme.line_width * scale, dashed=s.dashed), antialias=True)
        plot.addItem(out.line)

    _draw_intervals(plot, out, pr, xv, yv, xr if horizontal else yr, horizontal, arrows, theme, scale)

    if arrows:
        out.arrows = pg.ScatterPlotItem(
            x=[a[0] for a in arrows],
            y=[a[1] for a in arrows],
            symbol=[_ARROWS[a[2]] for a in arrows],
            size=theme.arrow_size * scale,
            pen=_pen(s.color, theme.axis_width * scale),
            brush=QBrush(color),
            antialias=True,
        )
        out.arrows.setZValue(2)
        plot.addItem(out.arrows)

    # Markers: hollow = white fill with coloured edge (secondary or unverified figure). For bars the
    # markers are invisible hover targets at the bar ends, so tooltips work there too.
    invisible = s.style == "bar"
    pens: list[QPen] = []
    brushes: list[QBrush] = []
    for k, i in enumerate(pr.idx):
        p = s.points[i]
        if invisible or marker_out[k]:
            pens.append(QPen(Qt.PenStyle.NoPen))
            brushes.append(QBrush(Qt.BrushStyle.NoBrush))
        elif p.hollow:
            pens.append(_pen(s.color, theme.interval_width * scale))
            brushes.append(QBrush(QColor(LIGHT.background)))
        else:
            pens.append(_pen(_outline(s.color), theme.axis_width * scale))
            brushes.append(QBrush(color))
    out.points = pg.ScatterPlotItem(
        x=xv,
        y=yv,
        symbol=symbol,
        size=(theme.symbol_size + (4 if invisible else 0)) * scale,
        pen=pens,
        brush=brushes,
        data=list(pr.idx),
        hoverable=True,
        tip=None,  # _HoverTips composes escaped tooltips across series
        antialias=True,
        name=s.name,
    )
    out.points.setZValue(3)
    plot.addItem(out.points)
    return out


def _draw_bars(
    plot: Any, s: Series, pr: _Prepared, xv: np.ndarray, yv: np.ndarray, horizontal: bool, theme: Theme, scale: float
) -> Any:
    width = s.bar_width or 0.6
    brushes = [QBrush(QColor(theme.background if s.points[i].hollow else s.color)) for i in pr.idx]
    pen = _pen(_outline(s.color), theme.axis_width * scale)
    if horizontal:
        bars = pg.BarGraphItem(x0=np.zeros_like(xv), width=xv, y=yv, height=width, brushes=brushes, pen=pen)
    else:
        bars = pg.BarGraphItem(x=xv, width=width, y0=np.zeros_like(yv), height=yv, brushes=brushes, pen=pen)
    bars.setZValue(-5)
    plot.addItem(bars)
    return bars


def _draw_intervals(
    plot: Any,
    out: SeriesItems,
    pr: _Prepared,
    xv: np.ndarray,
    yv: np.ndarray,
    rng: tuple[float, float],
    horizontal: bool,
    arrows: list[tuple[float, float, str]],
    theme: Theme,
    scale: float,
) -> None:
    """Whiskers (ErrorBarItem), pixel-sized caps on ends inside the view, arrowheads on clipped ends."""
    s = pr.series
    sel: list[int] = []
    minus: list[float] = []
    plus: list[float] = []
    caps: list[tuple[float, float]] = []
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
            v, hit = _clamp(end, rng)
            ends.append(v)
            pos = (v, float(yv[k])) if horizontal else (float(xv[k]), v)
            if flagged or hit:
                direction = ("right" if side > 0 else "left") if horizontal else ("up" if side > 0 else "down")
                arrows.append((pos[0], pos[1], direction))
            else:
                caps.append(pos)
        sel.append(k)
        minus.append(max(centre - ends[0], 0.0))
        plus.append(max(ends[1] - centre, 0.0))
    if not sel:
        return
    pen = _pen(s.color, theme.interval_width * scale)
    ex, ey = xv[sel], yv[sel]
    if horizontal:
        bars = pg.ErrorBarItem(x=ex, y=ey, left=np.array(minus), right=np.array(plus), beam=None, pen=pen)
    else:
        bars = pg.ErrorBarItem(x=ex, y=ey, bottom=np.array(minus), top=np.array(plus), beam=None, pen=pen)
    bars.setZValue(1)
    plot.addItem(bars)
    out.intervals = bars
    if caps:
        out.caps = pg.ScatterPlotItem(
            x=[c[0] for c in caps],
            y=[c[1] for c in caps],
            symbol=_CAP_V if horizontal else _CAP_H,
            size=theme.cap_size * scale,
            pen=pen,
            brush=QBrush(Qt.BrushStyle.NoBrush),
            antialias=True,
        )
        out.caps.setZValue(1)
        plot.addItem(out.caps)


class _HoverTips:
    """Shows the escaped tooltips of hovered markers on the plot's ViewBox.

    pyqtgraph's own ``tip=`` would let a series that is *not* under the cursor clear the tooltip
    another series has just set (each scatter receives hover events over its whole bounding
    rectangle), and it does not escape the text; this tracks which series owns the tooltip.
    """

    def __init__(self, vb: Any) -> None:
        self._vb = vb
        self._owner: Any = None

    def attach(self, items: SeriesItems) -> None:
        series = items.series

        def on_hover(scatter: Any, points: Sequence[Any], ev: Any) -> None:
            if len(points):
                tips = [_tooltip_text(series, series.points[int(pt.data())]) for pt in points[:_TOOLTIP_LIMIT]]
                self._vb.setToolTip(tooltip_html("\n\n".join(tips)))
                self._owner = scatter
            elif self._owner is scatter:
                self._vb.setToolTip("")
                self._owner = None

        items.points.sigHovered.connect(on_hover)


class _RowAligner:
    """Keeps the text-column ViewBox's y range such that each row ``y`` sits at the same height as
    in the main plot.

    pyqtgraph's ``setYLink`` is meant for this, but in 0.14 its offset correction has the wrong sign
    for non-inverted y axes (the rows drift by the height difference of the two views). The aligner
    recomputes from scene geometry whenever either view is resized. It is created once per text
    PlotItem and kept on it, so reusing plots does not pile up signal connections.
    """

    def __init__(self, main_vb: Any, text_vb: Any) -> None:
        self.main_vb = main_vb
        self.text_vb = text_vb
        self.y_range = (0.0, 1.0)
        main_vb.sigResized.connect(self.align)
        text_vb.sigResized.connect(self.align)

    def align(self, *_: Any) -> None:
        """Map the main view's y range through the vertical offset between the two views."""
        lo, hi = self.y_range
        main = self.main_vb.sceneBoundingRect()
        text = self.text_vb.sceneBoundingRect()
        if main.height() <= 0 or text.height() <= 0:
            self.text_vb.setYRange(lo, hi, padding=0)
            return
        per_px = (hi - lo) / main.height()
        top = hi - (text.top() - main.top()) * per_px
        self.text_vb.setYRange(top - text.height() * per_px, top, padding=0)


def _draw_text_columns(out: RenderedChart, text_plot: Any, spec: ChartSpec, theme: Theme, scale: float) -> None:
    """Text columns (n/N, NNT) in a narrow PlotItem beside the main plot, one cell per row ``y``.

    The two ViewBoxes have different heights (the main plot has a bottom axis, this one has the
    column titles on top), so the rows are lined up by :class:`_RowAligner`. Column titles are the
    tick labels of the top axis.
    """
    font = _font(theme.tick_pt)
    title_font = _font(theme.tick_pt, bold=True)
    fm, tfm = QFontMetricsF(font), QFontMetricsF(title_font)
    widths = [
        max([tfm.horizontalAdvance(c.title)] + [fm.horizontalAdvance(t) for _, t in c.cells]) + 18.0 for c in spec.text_columns
    ]
    total = sum(widths)
    text_plot.hideAxis("left")
    text_plot.hideAxis("bottom")
    text_plot.showAxis("top")
    top = text_plot.getAxis("top")
    top.setPen(QPen(Qt.PenStyle.NoPen))
    top.setTickPen(QPen(Qt.PenStyle.NoPen))
    top.setTextPen(QColor(theme.foreground))
    top.setTickFont(title_font)
    # tickAlpha=0: Qt's raster engine still leaves a 1-px dot for a zero-length NoPen tick.
    top.setStyle(tickLength=0, tickAlpha=0)
    vb = text_plot.vb
    vb.setMouseEnabled(x=False, y=False)
    text_plot.setFixedWidth(total)
    text_plot.setXRange(0.0, total, padding=0)
    aligner = getattr(text_plot, "row_aligner", None)
    if aligner is None or aligner.main_vb is not out.plot.vb:
        aligner = text_plot.row_aligner = _RowAligner(out.plot.vb, vb)
    aligner.y_range = out.y_range
    aligner.align()
    ticks = []
    left = 0.0
    for col, w in zip(spec.text_columns, widths, strict=True):
        centre = left + w / 2
        ticks.append((centre, col.title))
        for y, text in col.cells:
            if not (out.y_range[0] <= y <= out.y_range[1]):
                continue
            item = pg.TextItem(text, color=theme.foreground, anchor=(0.5, 0.5))
            item.setFont(font)
            item.setPos(centre, y)
            text_plot.addItem(item)
            out.text_items.append(item)
        left += w
    top.setTicks([ticks])
    out.text_plot = text_plot


def _build_legend(spec: ChartSpec, theme: Theme, scale: float) -> Any:
    entries: list[tuple[str, _LegendSample]] = []
    seen: set[str] = set()
    for s in spec.series:
        if not s.in_legend or not s.points or s.name in seen:
            continue
        seen.add(s.name)
        sample = _LegendSample(
            color=s.color,
            symbol=None if s.style == "bar" else (s.symbol if s.symbol in _SYMBOLS else "o"),
            line=s.style == "line",
            dashed=s.dashed,
            fill="bar" if s.style == "bar" else "",
            scale=scale,
            theme=theme,
        )
        entries.append((s.name, sample))
    for b in spec.bands:
        if b.name and b.name not in seen:
            seen.add(b.name)
            sample = _LegendSample(color=b.color, symbol=None, line=True, dashed=False, fill="band" if b.low else "", scale=scale, theme=theme)
            entries.append((b.name, sample))
    if not entries:
        return None
    legend = pg.LegendItem(labelTextColor=theme.foreground, labelTextSize=f"{theme.legend_pt}pt", colCount=min(len(entries), 4), horSpacing=14)
    # 0.14 sets ItemIgnoresTransformations, so the legend would stay 1x in a 300-dpi export.
    legend.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)
    for name, sample in entries:
        legend.addItem(sample, html.escape(name))  # legend labels are HTML LabelItems
    legend.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return legend


# ---------------------------------------------------------------------------------------------
# Widget
# ---------------------------------------------------------------------------------------------


class ChartWidget(pg.GraphicsLayoutWidget):
    """A static chart view: call :meth:`set_spec` on every change; the widget itself is kept.

    Pan, zoom, context menus and the "A" button are off: these are comparison charts, and a user
    who zoomed one drug's pane would silently break the shared scale.
    """

    def __init__(self, parent: QWidget | None = None, *, theme: Theme = LIGHT, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.theme = theme
        self.scale = scale
        self.setBackground(theme.background)
        self.setAntialiasing(True)
        self.spec: ChartSpec | None = None
        self.rendered: RenderedChart | None = None

    def set_spec(self, spec: ChartSpec) -> RenderedChart:
        """Replace the drawing with ``spec`` (recycles the plot items of the previous drawing)."""
        self.spec = spec
        self.rendered = render(spec, self.ci, scale=self.scale, theme=self.theme, reuse=self.rendered)
        return self.rendered

    def clear_chart(self) -> None:
        """Remove everything (e.g. before the widget is closed)."""
        self.ci.clear()
        self.spec = None
        self.rendered = None

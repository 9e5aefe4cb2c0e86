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
* Text from data files must never be interpreted as HTML: titles, notes and the legend are plain
  text (:class:`PlainLabel`, :class:`LegendBlock`), axis labels (pyqtgraph builds HTML for them)
  are escaped, tooltips are escaped into explicit rich text, and tick labels are drawn as plain text.
* The legend lives in its own layout row (it never covers data), has as many columns as fit the
  width, and scales with the export (pyqtgraph's ``LegendItem`` ignores transformations).
* Redraws are on the hot path: all markers of a chart are one ``ScatterPlotItem`` (hover included),
  caps and arrowheads one more each, and the PlotItem is recycled between specs. Consecutive series
  with the same pen share one line item and one whisker item (:class:`SharedPart`), each series still
  stroked on its own (same pixels); marker pens and brushes are shared objects and the symbol atlas
  is handed on, so no marker image is rendered again; text blocks that read the same are kept; the
  layout rows are placed with one layout pass; and only axis settings that changed are set again
  (any AxisItem setter throws its cached picture away).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QSizePolicy, QWidget

from viewer.charts.spec import Band, ChartSpec, Point, Series

__all__ = [
    "LIGHT",
    "ChartWidget",
    "LegendBlock",
    "PlainLabel",
    "RenderedChart",
    "SeriesItems",
    "SharedPart",
    "Theme",
    "render",
    "tooltip_html",
]


@dataclass(frozen=True, slots=True)
class Theme:
    """Neutral colours, font sizes (points) and line weights (logical pixels at ``scale=1``).

    Data colours are not here on purpose: they come from the spec (Okabe-Ito); the theme only adds
    the greys and blacks of the frame, so a chart never gets a colour the chart layer did not choose.
    """

    background: str = "#FFFFFF"
    foreground: str = "#000000"
    muted: str = "#444444"  # footnotes, empty-chart message
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

_TOOLTIP_LIMIT = 3  # overlapping markers listed in one tooltip
_SYMBOLS = frozenset({"o", "s", "t", "t1", "t2", "t3", "d", "+", "x", "p", "h", "star"})
_LAYOUT_MARGINS = (10, 8, 14, 8)  # left, top, right, bottom
_MARKERS_Z, _CAPS_Z, _ARROWS_Z = 3, 1, 2
_ATLAS_LIMIT = 2000  # symbols in a reused atlas; beyond it, a new scatter item starts a fresh one


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


# Marker styles are shared objects: pyqtgraph's SymbolAtlas keys its pre-rendered symbols by the
# *identity* of the pen and brush, so the same objects across redraws (with the atlas handed from
# one drawing to the next, see _Scatter.item) mean no symbol is rendered again. Treat them as
# read-only. Keyed by colour name and width: a bounded set (the palette times a few widths).
_STYLE_CACHE: dict[tuple[Any, ...], Any] = {}
_STYLE_CACHE_LIMIT = 512


def _cached(key: tuple[Any, ...], make: Any) -> Any:
    value = _STYLE_CACHE.get(key)
    if value is None:
        if len(_STYLE_CACHE) >= _STYLE_CACHE_LIMIT:
            _STYLE_CACHE.clear()
        value = _STYLE_CACHE[key] = make()
    return value


def _shared_pen(color: str, width: float, *, outline: bool = False, dashed: bool = False) -> QPen:
    """``_pen(color or its outline, width)``, the same object for the same arguments (read-only)."""
    return _cached(  # type: ignore[no-any-return]
        ("pen", color, width, outline, dashed),
        lambda: _pen(_outline(color) if outline else color, width, dashed=dashed),
    )


def _shared_brush(color: str | None) -> QBrush:
    """A solid brush of ``color`` (``None``: no brush), the same object for the same colour (read-only)."""
    if color is None:
        return _cached(("brush", None), lambda: QBrush(Qt.BrushStyle.NoBrush))  # type: ignore[no-any-return]
    return _cached(("brush", color), lambda: QBrush(QColor(color)))  # type: ignore[no-any-return]


def _no_pen() -> QPen:
    return _cached(("pen", None), lambda: QPen(Qt.PenStyle.NoPen))  # type: ignore[no-any-return]


def tooltip_html(text: str) -> str:
    """Escape ``text`` into explicit Qt rich text.

    Qt guesses whether a tooltip is rich text (``Qt::mightBeRichText``); a trial name such as
    ``<b>`` would otherwise be interpreted. Escaping and wrapping it makes the guess irrelevant and
    keeps the line breaks of multi-line provenance.
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
    """A one-unit line: the cap (beam) at the end of an interval, sized in pixels, not data units."""
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


# ---------------------------------------------------------------------------------------------
# Text blocks: title, notes, legend
# ---------------------------------------------------------------------------------------------


class PlainLabel(pg.GraphicsWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A wrapping block of plain text for the layout (title, warnings, footnotes, column titles).

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
        indent: float = 0.0,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        # What render() compares to keep this label for the next drawing instead of making a new one.
        self.made_from = (text, {"font": QFont(font), "color": color, "align": align, "indent": indent})
        self.item = QGraphicsTextItem(self)
        self.item.setFont(font)
        self.item.setDefaultTextColor(QColor(color))
        self.item.setX(indent)
        self._indent = indent
        doc = self.item.document()
        doc.setDocumentMargin(1.0)
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        self.item.setPlainText(text)
        self._natural_width = doc.idealWidth() + 2.0 * doc.documentMargin() + indent
        self._height = 0.0
        self._text_width = -1.0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # One line at first; without a size, the widget would size itself to its minimum width (40 px)
        # and wrap a long note into hundreds of lines, only for the layout to wrap it again.
        self.resize(self._natural_width, 0.0)
        self._wrap_to(self._natural_width)

    def text(self) -> str:
        """The text exactly as given (plain, never interpreted)."""
        return str(self.item.toPlainText())

    def _wrap_to(self, width: float) -> None:
        text_width = max(width - self._indent, 1.0)
        if text_width == self._text_width:  # every layout pass resizes; re-wrapping costs ~50 µs
            return
        self._text_width = text_width
        self.item.setTextWidth(text_width)
        height = float(self.item.boundingRect().height())
        if height != self._height:
            self._height = height
            self.updateGeometry()

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        """Preferred = one line; minimum width small so long text wraps instead of widening."""
        if which == Qt.SizeHint.MinimumSize:
            return QSizeF(min(self._natural_width, 40.0), self._height)
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(1.0e6, self._height)
        return QSizeF(self._natural_width, self._height)

    def resizeEvent(self, ev: Any) -> None:
        """Re-wrap to the width the layout gave (the height may change, which re-runs the layout)."""
        self._wrap_to(float(self.size().width()))


@dataclass(frozen=True, slots=True)
class _SampleStyle:
    """How a legend entry's swatch looks: the series' line, marker or fill."""

    color: str
    symbol: str | None
    line: bool
    dashed: bool = False
    fill: str = ""  # "", "bar" or "band"
    hollow: bool = False


_SAMPLE_W = 24.0
_LEGEND_GAP = 6.0  # swatch to text
_LEGEND_SPACING = 18.0  # between columns
_LEGEND_MAX_COLUMNS = 6


def _legend_columns(widths: Sequence[float], available: float) -> int:
    """The most columns (row-major) whose total width fits ``available``; at least one."""
    for columns in range(min(len(widths), _LEGEND_MAX_COLUMNS), 1, -1):
        col_max = [max(widths[c::columns]) for c in range(columns)]
        if sum(col_max) + _LEGEND_SPACING * (columns - 1) <= available:
            return columns
    return 1


class LegendBlock(pg.GraphicsWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """The legend: one item that lays its entries out in as many columns as fit its width.

    Replaces ``pg.LegendItem``, which (0.14) ignores transformations, so it stays 1x in a 300-dpi
    export; builds one HTML ``LabelItem`` per entry, about 0.6 ms each on the redraw path; keeps
    its column count whatever the width, so long trial names push the layout past the window; and
    hides a series when its swatch is clicked. Names are drawn as plain text (real text in SVG and
    PDF), elided in the middle only when a single column is still too wide.
    """

    def __init__(self, entries: Sequence[tuple[str, _SampleStyle]], *, theme: Theme, scale: float) -> None:
        super().__init__()
        self._entries = list(entries)
        self._theme = theme
        self._scale = scale
        self.made_from = (self._entries, theme, scale)  # render() keeps the legend while this is unchanged
        self._font = _font(theme.legend_pt)
        metrics = QFontMetricsF(self._font)
        self._metrics = metrics
        self._widths = [_SAMPLE_W + _LEGEND_GAP + metrics.horizontalAdvance(name) + 2.0 for name, _ in entries]
        self._row_h = max(metrics.height(), theme.symbol_size) + 5.0
        self._natural_width = sum(self._widths) + _LEGEND_SPACING * (len(self._widths) - 1)
        self._columns = 0
        self._height = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._flow(self._natural_width)

    def names(self) -> list[str]:
        """The entry names, in order."""
        return [name for name, _ in self._entries]

    def columns(self) -> int:
        """How many columns the entries currently use."""
        return self._columns

    def _flow(self, width: float) -> None:
        columns = _legend_columns(self._widths, width)
        height = math.ceil(len(self._entries) / columns) * self._row_h
        self._columns = columns
        if height != self._height:
            self._height = height
            self.updateGeometry()
        self.update()

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        """Preferred = all entries on one row; the height follows the width (see resizeEvent)."""
        if which == Qt.SizeHint.MinimumSize:
            return QSizeF(min(self._natural_width, 120.0), self._height)
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(1.0e6, self._height)
        return QSizeF(self._natural_width, self._height)

    def resizeEvent(self, ev: Any) -> None:
        """Re-flow the columns for the width the layout gave."""
        self._flow(float(self.size().width()))

    def boundingRect(self) -> QRectF:
        """The widget's rectangle (all painting stays inside it)."""
        return QRectF(0.0, 0.0, float(self.size().width()), float(self.size().height()))

    def paint(self, p: QPainter, *args: Any) -> None:
        """Draw the entries centred, row-major, each column as wide as its widest entry."""
        if not self._entries:
            return
        width = float(self.size().width())
        columns = max(self._columns, 1)
        col_w = [max(self._widths[c::columns]) for c in range(columns)]
        total = sum(col_w) + _LEGEND_SPACING * (columns - 1)
        if total > width:  # one column, still too wide: shrink it and elide the names
            col_w = [width]
            total = width
        lefts = [max((width - total) / 2.0, 0.0)]
        for w in col_w[:-1]:
            lefts.append(lefts[-1] + w + _LEGEND_SPACING)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setFont(self._font)
        for k, (name, style) in enumerate(self._entries):
            col, row = k % columns, k // columns
            x, y = lefts[col], row * self._row_h
            self._paint_sample(p, style, QRectF(x, y, _SAMPLE_W, self._row_h))
            text_w = col_w[col] - _SAMPLE_W - _LEGEND_GAP
            shown = self._metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, text_w)
            p.setPen(QColor(self._theme.foreground))
            p.drawText(
                QRectF(x + _SAMPLE_W + _LEGEND_GAP, y, text_w + 2.0, self._row_h),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )

    def _paint_sample(self, p: QPainter, style: _SampleStyle, box: QRectF) -> None:
        t, s = self._theme, self._scale
        cx, cy = box.center().x(), box.center().y()
        if style.fill == "bar":
            p.setPen(_pen(_outline(style.color), t.axis_width * s))
            p.setBrush(QBrush(QColor(style.color)))
            p.drawRect(QRectF(cx - 6, cy - 6, 12, 12))
            return
        if style.fill == "band":
            band = QColor(style.color)
            band.setAlpha(t.band_alpha)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(band))
            p.drawRect(QRectF(box.left(), cy - 6, box.width(), 12))
        if style.line:
            p.setPen(_pen(style.color, t.line_width * s, dashed=style.dashed))
            p.drawLine(QPointF(box.left(), cy), QPointF(box.right(), cy))
        if style.symbol:
            p.save()
            p.translate(cx, cy)
            pg.graphicsItems.ScatterPlotItem.drawSymbol(
                p,
                style.symbol,
                t.symbol_size,
                _pen(_outline(style.color), t.axis_width * s),
                QBrush(QColor(t.background if style.hollow else style.color)),
            )
            p.restore()


# ---------------------------------------------------------------------------------------------
# Result object
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SeriesItems:
    """What was drawn for one series.

    ``indices[k]`` is the spec point index of drawn point ``k``; its marker is row
    ``marker_rows[k]`` of the chart's shared :attr:`RenderedChart.markers`. ``caps`` and
    ``arrows`` list the positions (view coordinates) of this series' interval caps and arrowheads.
    """

    series: Series
    indices: tuple[int, ...] = ()
    marker_rows: tuple[int, ...] = ()
    line: Any = None  # SharedPart of a pg.PlotCurveItem (consecutive series with the same pen share one)
    bars: Any = None  # pg.BarGraphItem
    intervals: Any = None  # SharedPart of a pg.ErrorBarItem (likewise shared)
    caps: list[tuple[float, float]] = field(default_factory=list)
    arrows: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, "up"/"down"/"left"/"right"

    def items(self) -> list[Any]:
        """This series' graphics items: its bars, and its parts (:class:`SharedPart`) of line and whiskers.

        Markers, caps and arrows are rows of the chart's shared scatter items.
        """
        return [i for i in (self.bars, self.line, self.intervals) if i is not None]


@dataclass(slots=True)
class RenderedChart:
    """Handles on what :func:`render` drew, for tests, hover and re-use by :class:`ChartWidget`.

    Coordinates stored in items are *view* coordinates: ``log10`` of the value on a log axis.
    """

    spec: ChartSpec
    plot: Any  # pg.PlotItem
    scale: float = 1.0
    series: dict[str, SeriesItems] = field(default_factory=dict)
    markers: Any = None  # pg.ScatterPlotItem: every marker of the chart; hover shows tooltips
    caps: Any = None  # pg.ScatterPlotItem: interval caps
    arrows: Any = None  # pg.ScatterPlotItem: clipped interval ends and out-of-range points
    bands: dict[str, list[Any]] = field(default_factory=dict)
    ref_lines: list[Any] = field(default_factory=list)
    title: PlainLabel | None = None
    warnings: PlainLabel | None = None
    footnotes: PlainLabel | None = None
    legend: LegendBlock | None = None
    text_axes: list[Any] = field(default_factory=list)  # pg.AxisItem per text column, in the plot's grid
    text_titles: list[PlainLabel] = field(default_factory=list)
    message: Any = None  # pg.TextItem with spec.empty_message
    hover: Any = None  # _HoverTips: shows the markers' tooltips
    x_range: tuple[float, float] = (0.0, 1.0)  # view coordinates
    y_range: tuple[float, float] = (0.0, 1.0)
    dropped: int = 0  # points not drawable on a log axis
    atlases: dict[str, Any] = field(default_factory=dict)  # symbol atlases of markers/caps/arrows, for reuse
    axes: dict[str, dict[str, Any]] = field(default_factory=dict)  # the axes' state as drawn (_AxisPlan)
    axis_plan: Any = None  # _AxisPlan being filled while drawing

    @property
    def items_by_series(self) -> dict[str, list[Any]]:
        """Per-series graphics items keyed by series name (duplicates get `` [2]``, `` [3]``...)."""
        return {name: s.items() for name, s in self.series.items()}

    def spots(self, series_name: str) -> list[Any]:
        """The series' markers (``pg.SpotItem``: pos, pen, brush, data) in drawn order."""
        if self.markers is None:
            return []
        spots = self.markers.points()
        return [spots[row] for row in self.series[series_name].marker_rows]

    def tooltip_at(self, series_name: str, index: int) -> str:
        """The hover text of spec point ``index`` of a series, read back from the drawn marker.

        Raises ``LookupError`` when that point was not drawn (e.g. dose 0 on a log axis).
        """
        for spot in self.spots(series_name):
            key, i = spot.data()
            if i == index:
                series = self.series[key].series
                return _tooltip_text(series, series.points[i])
        raise LookupError(f"point {index} of {series_name!r} was not drawn")

    def drawn_xy(self, series_name: str) -> list[tuple[float, float]]:
        """Marker positions of a series in data units (log axes undone), in drawn order."""
        fx, fy = _Axis(self.spec.x_log).back, _Axis(self.spec.y_log).back
        return [(fx(float(s.pos().x())), fy(float(s.pos().y()))) for s in self.spots(series_name)]


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


def _new_plot() -> Any:
    plot = pg.PlotItem()
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def _reset_plot(previous: RenderedChart) -> Any:
    """Bring the previous drawing's PlotItem back to a blank state.

    Creating a PlotItem costs ~6 ms (axes, menus), too much for every redraw.
    """
    plot = previous.plot
    plot.clear()
    for axis in previous.text_axes:
        axis.unlinkFromView()
    for item in (*previous.text_axes, *previous.text_titles):
        plot.layout.removeItem(item)
        # The plot is out of the scene now (layout.clear()); unparent, or the stale column would
        # come back with the plot.
        item.setParentItem(None)
        if item.scene() is not None:
            item.scene().removeItem(item)
    return plot


_AXES = ("left", "bottom", "top", "right")
# The state of a PlotItem's axes as pyqtgraph creates them, in the terms of _AxisPlan.
_FRESH_AXES: dict[str, dict[str, Any]] = {
    name: {"visible": name in ("left", "bottom"), "log": False, "ticks": None, "grid": False, "label": ""}
    for name in _AXES
}


class _AxisPlan:
    """The wanted state of the plot's four axes, applied as the difference from the previous drawing.

    Every AxisItem setter throws away the axis' cached picture (tick positions, labels, grid lines),
    whether or not the value changed, and regenerating it is most of a redraw's paint time. So
    :func:`render` no longer resets the axes and sets them again: it writes what it wants here (a
    blank state, then styles and data) and :meth:`apply` calls only the setters whose value differs
    from what the previous drawing left (``RenderedChart.axes``). The result is the same state.
    Styles (``setStyle``) and the tick pen accumulate, as they always did: nothing resets them.
    """

    def __init__(self, theme: Theme, scale: float) -> None:
        self.want: dict[str, dict[str, Any]] = {
            name: {
                "visible": name in ("left", "bottom"),
                "pen": (theme.foreground, theme.axis_width * scale),  # None: no pen
                "text_pen": theme.foreground,
                "tick_font": theme.tick_pt,
                "auto_si": False,
                "style": {},
                "tick_pen": None,  # None: leave as it is
                "log": False,
                "ticks": None,
                "grid": False,
                "label": "",  # or (text, colour, points)
            }
            for name in _AXES
        }
        # The end labels of a fixed 0-100 % axis would be hidden for poking half a line out of the axis.
        self.want["left"]["style"] = {"hideOverlappingLabels": False}

    def set(self, name: str, **values: Any) -> None:
        self.want[name].update(values)

    def apply(self, plot: Any, previous: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Bring the axes from ``previous`` (as left by the last apply) to the wanted state; return it."""
        applied: dict[str, dict[str, Any]] = {}
        for name in _AXES:
            want, had = self.want[name], previous.get(name, {})
            axis = plot.getAxis(name)
            state = dict(want)

            def changed(key: str, want: dict[str, Any] = want, had: dict[str, Any] = had) -> bool:
                return key not in had or had[key] != want[key]

            if changed("visible"):
                plot.showAxis(name, want["visible"])
            if changed("pen"):
                pen = want["pen"]
                axis.setPen(QPen(Qt.PenStyle.NoPen) if pen is None else _pen(pen[0], pen[1]))
            if changed("text_pen"):
                axis.setTextPen(QColor(want["text_pen"]))
            if changed("tick_font"):
                axis.setTickFont(_font(want["tick_font"]))
            if changed("auto_si"):
                axis.enableAutoSIPrefix(want["auto_si"])
            had_style = had.get("style", {})
            style = {k: v for k, v in want["style"].items() if k not in had_style or had_style[k] != v}
            if style:
                axis.setStyle(**style)
            state["style"] = {**had_style, **want["style"]}
            if want["tick_pen"] is not None and changed("tick_pen"):
                axis.setTickPen(_pen(*want["tick_pen"]))
            elif want["tick_pen"] is None:
                state["tick_pen"] = had.get("tick_pen")
            if changed("log"):
                axis.setLogMode(want["log"])  # tick labels only; data are already log10
            if changed("ticks"):
                axis.setTicks(None if want["ticks"] is None else [list(want["ticks"])])
            if changed("grid"):
                axis.setGrid(want["grid"])
            if changed("label"):
                axis.setLabel(None)
                axis.showLabel(False)
                if want["label"]:
                    # AxisItem builds HTML around the label: escape it so a data-derived label is shown, not run.
                    text, color, points = want["label"]
                    css = {"color": color, "font-size": f"{points}pt"}
                    plot.setLabel(name, html.escape(text), **css)
            applied[name] = state
        return applied


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
    ``reuse`` hands back the previous result drawn into the same layout, so that its PlotItem is
    recycled: this keeps a redraw within a frame budget. Its title, legend, warnings and footnotes
    are kept too when they read the same, and rows of the layout that did not change stay in place
    (every ``GraphicsLayout.addItem`` runs a layout pass).
    """
    # Adding a fixed-height item to an empty top-level layout shrinks the layout widget to that
    # height for good (Qt bounds a top-level widget by its layout's maximum size); keep the size.
    geometry = layout.geometry()
    layout.setContentsMargins(*_LAYOUT_MARGINS)
    layout.setSpacing(2)

    plot = _reset_plot(reuse) if reuse is not None else _new_plot()
    out = RenderedChart(spec=spec, plot=plot, scale=scale)
    out.axis_plan = _AxisPlan(theme, scale)
    if reuse is not None:
        out.atlases = reuse.atlases

    rows: list[Any] = []
    if spec.title:
        out.title = _label(
            reuse.title if reuse is not None else None,
            spec.title,
            font=_font(theme.title_pt, bold=True),
            color=theme.foreground,
            align=Qt.AlignmentFlag.AlignHCenter,
        )
        rows.append(out.title)
    plot_row = len(rows)
    rows.append(plot)

    warnings = list(spec.warnings)
    if spec.is_empty:
        _draw_empty(out, spec, theme)
        out.axes = out.axis_plan.apply(plot, reuse.axes if reuse is not None else _FRESH_AXES)
    else:
        _draw_data(out, spec, _Axis(spec.x_log), _Axis(spec.y_log), theme, scale, reuse)
        if out.dropped:
            warnings.append(f"{out.dropped} value(s) ≤ 0 cannot be placed on the logarithmic axis and are not shown.")
        out.legend = _build_legend(spec, theme, scale, reuse.legend if reuse is not None else None)
        if out.legend is not None:
            rows.append(out.legend)

    if warnings:
        out.warnings = _label(
            reuse.warnings if reuse is not None else None,
            "\n".join("⚠ " + w for w in warnings),
            font=_font(theme.legend_pt, bold=True),
            color=theme.foreground,
        )
        rows.append(out.warnings)
    if spec.footnotes:
        out.footnotes = _label(
            reuse.footnotes if reuse is not None else None,
            "\n".join(spec.footnotes),
            font=_font(theme.note_pt),
            color=theme.muted,
        )
        rows.append(out.footnotes)
    _place_rows(layout, rows, plot_row)
    for r in range(len(rows)):
        layout.layout.setRowStretchFactor(r, 100 if r == plot_row else 0)
    if geometry.isValid() and layout.parentLayoutItem() is None:
        layout.setGeometry(geometry)
    return out


def _label(
    previous: PlainLabel | None,
    text: str,
    *,
    font: QFont,
    color: str,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> PlainLabel:
    """``PlainLabel(text, ...)``, or ``previous`` when it already shows exactly that."""
    if previous is not None and previous.made_from == (
        text,
        {"font": font, "color": color, "align": align, "indent": 0.0},
    ):
        return previous
    return PlainLabel(text, font=font, color=color, align=align)


def _place_rows(layout: Any, rows: list[Any], plot_row: int) -> None:
    """Put ``rows[r]`` in row ``r`` (column 0) of ``layout``, moving as little as possible.

    Rows that hold the same item already stay; a changed row gets its new item in place. Anything
    else (rows added, removed or reordered) clears the layout and adds all rows again, the plot
    first: it has no maximum height, so the layout never shrinks (see :func:`render`).
    """
    current = [layout.getItem(r, 0) for r in range(len(rows))]
    # GraphicsLayout.addItem activates the layout after every item: with a new note or legend at its
    # one-line width, the plot is resized to 40 px, then 0 px, then back (each resize relays the view
    # and invalidates the axes). Lay the rows out once, after the last change, instead.
    grid = layout.layout
    # New text blocks get the width they will have (a new one has sized itself to its minimum width,
    # 40 px, and wrapped to it), so the one layout pass finds their final heights.
    left, _top, right, _bottom = grid.getContentsMargins()
    width = float(layout.geometry().width()) - left - right
    if width > 0:
        for item in rows:
            if item not in layout.items and isinstance(item, PlainLabel | LegendBlock):
                item.resize(width, item.size().height())  # re-wraps (resizeEvent); the height follows
    grid.activate = _no_layout_pass
    try:
        if len(layout.items) == len(rows) and all(
            have is want or (have is not None and want not in layout.items)
            for have, want in zip(current, rows, strict=True)
        ):
            for r, (have, want) in enumerate(zip(current, rows, strict=True)):
                if have is not want:
                    layout.removeItem(have)
                    layout.addItem(want, row=r, col=0)
        else:
            layout.clear()
            layout.addItem(rows[plot_row], row=plot_row, col=0)
            for r, item in enumerate(rows):
                if r != plot_row:
                    layout.addItem(item, row=r, col=0)
    finally:
        del grid.activate  # back to QGraphicsLayout.activate
    grid.activate()


def _no_layout_pass() -> None:
    """Stands in for ``QGraphicsGridLayout.activate`` while :func:`_place_rows` changes the rows."""


def _draw_empty(out: RenderedChart, spec: ChartSpec, theme: Theme) -> None:
    plot = out.plot
    for name in _AXES:
        out.axis_plan.set(name, visible=False)
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
    lo: list[float | None]  # interval ends along the interval axis (None: no interval)
    hi: list[float | None]


def _low_end(low: float | None, axis: _Axis) -> float | None:
    """View coordinate of a lower interval end; a bound <= 0 on a log axis lies at -infinity.

    -inf is then clamped to the range and drawn as an arrow, which is what such an interval is.
    """
    if low is None or math.isnan(low):
        return None
    return axis.fwd(low) if axis.ok(low) else -math.inf


def _prepare(series: Series, xa: _Axis, ya: _Axis) -> tuple[_Prepared, int]:
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
        ys += [ya.fwd(y) for y, _ in col.cells if ya.ok(y)]
    return xs, ys


class _Scatter:
    """Columns of one shared ScatterPlotItem, filled series by series, created once at the end."""

    def __init__(self) -> None:
        self.x: list[float] = []
        self.y: list[float] = []
        self.symbol: list[Any] = []
        self.size: list[float] = []
        self.pen: list[QPen] = []
        self.brush: list[QBrush] = []
        self.data: list[Any] = []

    def add(self, x: float, y: float, symbol: Any, size: float, pen: QPen, brush: QBrush, data: Any = None) -> int:
        self.x.append(x)
        self.y.append(y)
        self.symbol.append(symbol)
        self.size.append(size)
        self.pen.append(pen)
        self.brush.append(brush)
        self.data.append(data)
        return len(self.x) - 1

    def item(self, plot: Any, z: float, *, atlas: Any = None, hoverable: bool = False) -> Any:
        """The ScatterPlotItem of these columns; ``atlas`` (a previous item's ``fragmentAtlas``) is reused.

        A new ScatterPlotItem starts with an empty symbol atlas and renders every (symbol, size, pen,
        brush) it meets again, ~80 images per redraw; the shared pens and brushes make the previous
        drawing's atlas valid for this one.
        """
        if not self.x:
            return None
        scatter = pg.ScatterPlotItem()
        if atlas is not None and len(atlas) <= _ATLAS_LIMIT:
            scatter.fragmentAtlas = atlas
        scatter.setData(
            x=np.array(self.x),
            y=np.array(self.y),
            symbol=self.symbol,
            size=self.size,
            pen=self.pen,
            brush=self.brush,
            data=self.data,
            hoverable=hoverable,
            tip=None,  # _HoverTips shows escaped tooltips instead of pyqtgraph's x/y/data text
            antialias=True,
        )
        scatter.setZValue(z)
        plot.addItem(scatter)
        return scatter


def _draw_data(
    out: RenderedChart,
    spec: ChartSpec,
    xa: _Axis,
    ya: _Axis,
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
    xr = _fixed(spec.x_range, xa) or _span(xs, xt)
    yr = _fixed(spec.y_range, ya) or _span(ys, yt)
    out.x_range, out.y_range = xr, yr
    plot.setXRange(*xr, padding=0)
    plot.setYRange(*yr, padding=0)

    plan = out.axis_plan
    for side, ticks, log, label in (("bottom", xt, spec.x_log, spec.x_label), ("left", yt, spec.y_log, spec.y_label)):
        plan.set(side, log=log, ticks=ticks or None, label=(label, theme.foreground, theme.label_pt) if label else "")
    horizontal_chart = any(s.orientation == "horizontal" for s in spec.series)
    if horizontal_chart:
        _grid(plan, "top", xt, spec.x_log, theme, scale)
    else:
        _grid(plan, "right", yt, spec.y_log, theme, scale)
    out.axes = plan.apply(plot, reuse.axes if reuse is not None else _FRESH_AXES)

    for band in spec.bands:
        out.bands[_unique(band.name, out.bands)] = _draw_band(plot, band, xa, ya, xr, yr, theme, scale)
    for ref in spec.ref_lines:
        _draw_ref_line(out, ref.value, ref.vertical, ref.label, xa if ref.vertical else ya, theme, scale)

    markers, caps, arrows = _Scatter(), _Scatter(), _Scatter()
    lines, whiskers = _Runs(), _Runs()
    for pr in preps:
        key = _unique(pr.series.name, out.series)
        out.series[key] = _draw_series(plot, key, pr, xr, yr, markers, caps, arrows, lines, whiskers, theme, scale)
    lines.draw(plot, _line_item)
    whiskers.draw(plot, _whisker_item)
    atlases = out.atlases
    for name, scatter, z in (("caps", caps, _CAPS_Z), ("arrows", arrows, _ARROWS_Z), ("markers", markers, _MARKERS_Z)):
        item = scatter.item(plot, z, atlas=atlases.get(name), hoverable=name == "markers")
        if item is not None:
            atlases[name] = item.fragmentAtlas
        setattr(out, name, item)
    if out.markers is not None:
        out.hover = _HoverTips(plot.vb, {k: v.series for k, v in out.series.items()})  # kept: weak slot ref
        out.hover.attach(out.markers)
    if spec.text_columns:
        _draw_text_columns(out, spec, ya, theme)


def _grid(
    plan: _AxisPlan, side: str, ticks: Sequence[tuple[float, str]], log: bool, theme: Theme, scale: float
) -> None:
    """Faint grid lines across the value axis, drawn by an otherwise invisible opposite axis.

    A grid on the labelled axis itself would cost its end labels: with a grid, pyqtgraph 0.14
    clips tick labels to the axis rectangle, so "0" and "100" of a fixed 0-100 % axis vanish.
    """
    plan.set(
        side,
        visible=True,
        pen=None,
        tick_pen=(theme.foreground, theme.axis_width * scale),
        # Major and first minor level only: the finest level (every 2 % on a 0-100 axis) adds ~40
        # full-width translucent lines, which cost most of a redraw's paint time and clutter the plot.
        style={"showValues": False, "tickLength": 0, "maxTickLevel": 1},
        log=log,  # same tick positions as the labelled axis
        ticks=tuple(ticks) or None,
        grid=int(255 * theme.grid_alpha),
    )


def _draw_ref_line(
    out: RenderedChart, value: float, vertical: bool, label: str, ax: _Axis, theme: Theme, scale: float
) -> None:
    if not ax.ok(value):
        return
    line = pg.InfiniteLine(
        pos=ax.fwd(value),
        angle=90 if vertical else 0,
        pen=_pen(theme.reference, theme.axis_width * scale, dashed=True),
        movable=False,
    )
    line.setZValue(-5)
    if label:
        # InfiniteLine formats its label with str.format: double the braces of literal text.
        text = label.replace("{", "{{").replace("}", "}}")
        # Near the top end of a vertical line / right end of a horizontal one, inside the view.
        anchor = (0, 0) if vertical else (1, 1)
        line.label = pg.InfLineLabel(line, text=text, position=0.98, anchors=[anchor, anchor], color=theme.reference)
        line.label.setFont(_font(theme.note_pt))
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
    xa: _Axis,
    ya: _Axis,
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
    curve = pg.PlotCurveItem(x=x, y=ys(band.y), pen=_pen(band.color, theme.line_width * scale), antialias=True)
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
    markers: _Scatter,
    caps: _Scatter,
    arrows: _Scatter,
    lines: _Runs,
    whiskers: _Runs,
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
        x, sx = _clamp(x0, xr)
        y, sy = _clamp(y0, yr)
        px.append(x)
        py.append(y)
        outside.append(bool(sx or sy))
        if sx:
            out.arrows.append((x, y, "right" if sx > 0 else "left"))
        elif sy:
            out.arrows.append((x, y, "up" if sy > 0 else "down"))
    xv, yv = np.array(px), np.array(py)

    if s.style == "bar":
        out.bars = _draw_bars(plot, s, pr, xv, yv, horizontal, theme, scale)
    elif s.style == "line" and len(px) > 1:
        pen = _shared_pen(s.color, theme.line_width * scale, dashed=s.dashed)
        out.line = lines.add(pen, {"x": xv, "y": yv, "pen": pen})

    _draw_intervals(whiskers, out, pr, xv, yv, xr if horizontal else yr, horizontal, theme, scale)

    interval_pen, no_brush = _shared_pen(s.color, theme.interval_width * scale), _shared_brush(None)
    for x, y in out.caps:
        caps.add(x, y, _CAP_V if horizontal else _CAP_H, theme.cap_size * scale, interval_pen, no_brush)
    arrow_pen, arrow_brush = _shared_pen(s.color, theme.axis_width * scale), _shared_brush(s.color)
    for x, y, direction in out.arrows:
        arrows.add(x, y, _ARROWS[direction], theme.arrow_size * scale, arrow_pen, arrow_brush)

    # Markers: hollow = white fill with coloured edge (secondary or unverified figure). For bars the
    # markers are invisible hover targets at the bar ends, so tooltips work there too.
    symbol = s.symbol if s.symbol in _SYMBOLS else "o"
    invisible = s.style == "bar"
    size = (theme.symbol_size + (4 if invisible else 0)) * scale
    filled_pen = _shared_pen(s.color, theme.axis_width * scale, outline=True)
    filled_brush = _shared_brush(s.color)
    hollow_pen, hollow_brush = _shared_pen(s.color, theme.interval_width * scale), _shared_brush(theme.background)
    no_pen = _no_pen()
    rows = []
    for k, i in enumerate(pr.idx):
        if invisible or outside[k]:
            pen, brush = no_pen, no_brush
        elif s.points[i].hollow:
            pen, brush = hollow_pen, hollow_brush
        else:
            pen, brush = filled_pen, filled_brush
        rows.append(markers.add(px[k], py[k], symbol, size, pen, brush, (key, i)))
    out.marker_rows = tuple(rows)
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
    whiskers: _Runs,
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
            v, hit = _clamp(end, rng)
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
    pen = _shared_pen(s.color, theme.interval_width * scale)
    low, high = ("left", "right") if horizontal else ("bottom", "top")
    opts = {"x": xv[sel], "y": yv[sel], low: np.array(minus), high: np.array(plus), "beam": None, "pen": pen}
    out.intervals = whiskers.add((pen, horizontal), opts)


class SharedPart:
    """One series' share of a graphics item drawn for several consecutive series at once.

    Consecutive series with the same pen are drawn as one item (one PlotCurveItem for their lines, one
    ErrorBarItem for their whiskers): ~30 fewer items to create, add and paint on every redraw, and the
    picture is the same (same pen, same stacking order). ``item`` is the shared pyqtgraph item; ``opts``
    holds this series' own data under the item's option names (``x``, ``y``, ``pen``; ``top``/``bottom``
    or ``left``/``right`` for whiskers), so ``opts`` and ``getData()`` read like the series' own item.
    Other attributes (``scene()``, ``zValue()``, ...) are the shared item's.
    """

    __slots__ = ("item", "opts")

    def __init__(self, opts: dict[str, Any]) -> None:
        self.item: Any = None  # set when the run is drawn
        self.opts = opts

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # pyqtgraph's name
        """This series' x and y (view coordinates), as ``PlotCurveItem.getData`` would return them."""
        return self.opts["x"], self.opts["y"]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.item, name)


class _Runs:
    """Parts of consecutive series that share a style key, drawn as one item per run (see SharedPart)."""

    def __init__(self) -> None:
        self.runs: list[tuple[Any, list[SharedPart]]] = []

    def add(self, key: Any, opts: dict[str, Any]) -> SharedPart:
        part = SharedPart(opts)
        if self.runs and self.runs[-1][0] == key:
            self.runs[-1][1].append(part)
        else:
            self.runs.append((key, [part]))
        return part

    def draw(self, plot: Any, make: Any) -> None:
        for _key, parts in self.runs:
            item = make(parts)
            plot.addItem(item)
            for part in parts:
                part.item = item


class _RunCurve(pg.PlotCurveItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """The lines of a run of series as one PlotCurveItem that strokes each series on its own.

    Holding all the points (NaN-free, with a connect mask) keeps pyqtgraph's bounds and padding; the
    paint strokes one path per series, as separate items did. One path with many sub-paths looks
    almost the same but is not: antialiased edges where lines cross blend once instead of twice, and
    Qt's rasterizer strokes such a path several times slower (~7x for 10 long polylines).
    """

    def __init__(self, parts: list[SharedPart]) -> None:
        x = np.concatenate([p.opts["x"] for p in parts])
        y = np.concatenate([p.opts["y"] for p in parts])
        connect = np.ones(len(x), dtype=bool)  # connect[i]: point i joins point i + 1
        connect[np.cumsum([len(p.opts["x"]) for p in parts]) - 1] = False
        super().__init__(x=x, y=y, pen=parts[0].opts["pen"], antialias=True, connect=connect)
        self._parts = [(p.opts["x"], p.opts["y"]) for p in parts]
        self._paths: list[QPainterPath] | None = None

    def paint(self, p: QPainter, *args: Any) -> None:
        """What ``PlotCurveItem.paint`` does for one curve (antialias, pen, path), once per series."""
        if self._paths is None:
            self._paths = [pg.arrayToQPath(x, y, connect="all", finiteCheck=True) for x, y in self._parts]
        aa = self._exportOpts.get("antialias", True) if self._exportOpts is not False else self.opts["antialias"]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, aa)
        p.setPen(self.opts["pen"])
        for path in self._paths:
            p.drawPath(path)


class _RunWhiskers(pg.ErrorBarItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """The whiskers (beamless error bars) of a run of series, stroked series by series (see _RunCurve)."""

    def __init__(self, parts: list[SharedPart]) -> None:
        opts = parts[0].opts
        names = [name for name in opts if name not in ("beam", "pen")]
        data = {name: np.concatenate([p.opts[name] for p in parts]) for name in names}
        super().__init__(**data, beam=None, pen=opts["pen"])
        self._parts = [{name: p.opts[name] for name in names} for p in parts]
        self._paths: list[QPainterPath] | None = None

    def paint(self, p: QPainter, *args: Any) -> None:
        """What ``ErrorBarItem.paint`` does (pen, path; the painter's antialiasing), once per series."""
        if self._paths is None:
            self._paths = [_whisker_path(**part) for part in self._parts]
        p.setPen(pg.mkPen(self.opts["pen"]))
        for path in self._paths:
            p.drawPath(path)


def _whisker_path(
    x: np.ndarray,
    y: np.ndarray,
    top: np.ndarray | None = None,
    bottom: np.ndarray | None = None,
    left: np.ndarray | None = None,
    right: np.ndarray | None = None,
) -> QPainterPath:
    """The path ``ErrorBarItem.drawPath`` builds for beamless bars, built the same way."""
    path = QPainterPath()
    if top is not None and bottom is not None:
        path.addPath(pg.arrayToQPath(pg.interweaveArrays(x, x), pg.interweaveArrays(y - bottom, y + top), "pairs"))
    if left is not None and right is not None:
        path.addPath(pg.arrayToQPath(pg.interweaveArrays(x - left, x + right), pg.interweaveArrays(y, y), "pairs"))
    return path


def _line_item(parts: list[SharedPart]) -> Any:
    """The lines of a run: a plain antialiased PlotCurveItem for one series, a _RunCurve for more."""
    if len(parts) == 1:
        return pg.PlotCurveItem(x=parts[0].opts["x"], y=parts[0].opts["y"], pen=parts[0].opts["pen"], antialias=True)
    return _RunCurve(parts)


def _whisker_item(parts: list[SharedPart]) -> Any:
    """The whiskers of a run: a plain beamless ErrorBarItem for one series, a _RunWhiskers for more."""
    bars = pg.ErrorBarItem(**parts[0].opts) if len(parts) == 1 else _RunWhiskers(parts)
    bars.setZValue(_CAPS_Z)
    return bars


class _HoverTips:
    """Shows the escaped tooltips of the markers under the mouse on the plot's ViewBox.

    pyqtgraph's own ``tip=`` text is "x: … y: … data=…" and is not escaped; this looks the spec
    point up from the marker's data ``(series key, point index)``.
    """

    def __init__(self, vb: Any, series: dict[str, Series]) -> None:
        self._vb = vb
        self._series = series  # not the RenderedChart: no reference cycle keeping the plot alive

    def attach(self, scatter: Any) -> None:
        scatter.sigHovered.connect(self._on_hover)

    def _on_hover(self, scatter: Any, points: Sequence[Any], ev: Any) -> None:
        if not len(points):
            self._vb.setToolTip("")
            return
        tips = []
        for spot in points[:_TOOLTIP_LIMIT]:
            key, index = spot.data()
            series = self._series[key]
            tips.append(_tooltip_text(series, series.points[index]))
        if len(points) > _TOOLTIP_LIMIT:
            tips.append(f"(and {len(points) - _TOOLTIP_LIMIT} more here)")
        self._vb.setToolTip(tooltip_html("\n\n".join(tips)))


_TEXT_COLUMN_OFFSET = 14.0  # gap between the plot (or the previous column) and a column's text


def _draw_text_columns(out: RenderedChart, spec: ChartSpec, ya: _Axis, theme: Theme) -> None:
    """Text columns (n/N, NNT) beside the plot, one cell per row ``y``.

    Each column is an extra right-hand AxisItem linked to the plot's ViewBox and placed in the
    PlotItem's own grid, in the ViewBox's row: its "tick labels" (the cells) are therefore mapped
    through the same y range over the same pixel rows, so they line up with the rows by
    construction, at any size. Tick labels are drawn as plain text. Titles sit above, in the row
    of the top axis.
    """
    plot = out.plot
    font = _font(theme.tick_pt)
    title_font = _font(theme.tick_pt, bold=True)
    for k, col in enumerate(spec.text_columns):
        axis = pg.AxisItem(
            "right",
            pen=QPen(Qt.PenStyle.NoPen),
            textPen=QColor(theme.foreground),
            tickPen=QPen(Qt.PenStyle.NoPen),
            linkView=plot.vb,
            maxTickLength=0,
        )
        # tickAlpha=0: Qt's raster engine still leaves a 1-px dot for a zero-length NoPen tick.
        axis.setStyle(tickLength=0, tickAlpha=0, tickTextOffset=int(_TEXT_COLUMN_OFFSET), hideOverlappingLabels=False)
        axis.setTickFont(font)
        axis.setTicks([[(ya.fwd(y), text) for y, text in col.cells if ya.ok(y)]])
        title = PlainLabel(col.title, font=title_font, color=theme.foreground, indent=_TEXT_COLUMN_OFFSET - 1.0)
        plot.layout.addItem(axis, 2, 3 + k)
        plot.layout.addItem(title, 1, 3 + k, Qt.AlignmentFlag.AlignBottom)
        plot.layout.setColumnSpacing(3 + k, 0)
        plot.layout.setColumnStretchFactor(3 + k, 0)  # the axis sizes itself to its widest cell
        out.text_axes.append(axis)
        out.text_titles.append(title)


def _build_legend(
    spec: ChartSpec, theme: Theme, scale: float, previous: LegendBlock | None = None
) -> LegendBlock | None:
    """The legend of ``spec``; ``previous`` when it already lists the same entries the same way."""

    def block(entries: list[tuple[str, _SampleStyle]]) -> LegendBlock:
        if previous is not None and previous.made_from == (entries, theme, scale):
            return previous
        return LegendBlock(entries, theme=theme, scale=scale)

    if spec.legend:  # the chart layer keyed colour and marker separately
        keyed = [
            (e.label, _SampleStyle(e.color, e.symbol if e.symbol in _SYMBOLS else None, e.line, hollow=e.hollow))
            for e in spec.legend
        ]
        return block(keyed)
    entries: list[tuple[str, _SampleStyle]] = []
    seen: set[str] = set()
    for s in spec.series:
        if not s.in_legend or not s.points or s.name in seen:
            continue
        seen.add(s.name)
        symbol = None if s.style == "bar" else (s.symbol if s.symbol in _SYMBOLS else "o")
        style = _SampleStyle(s.color, symbol, s.style == "line", s.dashed, "bar" if s.style == "bar" else "")
        entries.append((s.name, style))
    for b in spec.bands:
        if b.name and b.name not in seen:
            seen.add(b.name)
            entries.append((b.name, _SampleStyle(b.color, None, True, False, "band" if b.low else "")))
    return block(entries) if entries else None


# ---------------------------------------------------------------------------------------------
# Widget
# ---------------------------------------------------------------------------------------------


MIN_PLOT_HEIGHT_SHARE = 0.35  # the plot area keeps at least this share of the chart's height
MIN_PLOT_WIDTH_SHARE = 0.3  # ... and of its width (a forest plot's labels and text columns eat it)
MAX_SCREEN_ZOOM = 1.8  # on screen, text is never shrunk below 1/1.8 of its size to make a chart fit


def plot_fits(widget: pg.GraphicsLayoutWidget) -> bool:
    """Nothing runs past the scene, and the plot area is big enough for its rows and to be read."""
    rendered = widget.rendered
    spec = widget.spec
    scene_w, scene_h = widget.range.width(), widget.range.height()
    layout = widget.ci.geometry()
    if layout.width() > scene_w + 1 or layout.height() > scene_h + 1:
        return False
    if rendered is None or spec is None or spec.is_empty:
        return True
    rows = max([len(spec.y_ticks)] + [len(c.cells) for c in spec.text_columns])
    row_px = QFontMetricsF(_font(widget.theme.tick_pt)).height() + 2.0
    needed = max(MIN_PLOT_HEIGHT_SHARE * scene_h, rows * row_px)
    box = rendered.plot.vb
    return bool(box.height() >= needed and box.width() >= MIN_PLOT_WIDTH_SHARE * scene_w)


class ChartWidget(pg.GraphicsLayoutWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A static chart view: call :meth:`set_spec` on every change; the widget itself is kept.

    Pan, zoom, context menus and the "A" button are off: these are comparison charts, and a user
    who zoomed one drug's pane would silently break the shared scale.
    """

    def __init__(
        self, parent: QWidget | None = None, *, theme: Theme = LIGHT, scale: float = 1.0, auto_fit: bool = True
    ) -> None:
        super().__init__(parent)
        self.auto_fit = auto_fit  # the exporter sizes its own canvas instead
        self.theme = theme
        self.scale = scale
        self.setBackground(theme.background)
        self.setAntialiasing(True)
        self.spec: ChartSpec | None = None
        self.rendered: RenderedChart | None = None
        self.zoom = 1.0  # scene units per screen pixel (> 1 when a dense chart was fitted)
        self._fit_pending = False

    def set_spec(self, spec: ChartSpec) -> RenderedChart:
        """Replace the drawing with ``spec`` (recycles the plot of the previous drawing)."""
        self.spec = spec
        self.rendered = render(spec, self.ci, scale=self.scale, theme=self.theme, reuse=self.rendered)
        self._settle_layout()
        self._schedule_fit()
        return self.rendered

    def _settle_layout(self) -> None:
        """Finish the layout and the plot's view transform now, so that one paint shows the new chart.

        Left to the event loop, pyqtgraph updates the ViewBox transform inside the first paint
        (``prepareForPaint``); the items' geometry then changes mid-paint and the plot area is painted a
        second time (two paints per redraw, ~3 ms more on every click).
        """
        rendered = self.rendered
        layouts = [self.ci.layout] if rendered is None else [self.ci.layout, rendered.plot.layout]
        for _ in range(3):  # settling the outer layout can invalidate the plot's, and back
            pending = [layout for layout in layouts if not layout.isActivated()]
            if not pending:
                break
            for layout in pending:
                layout.activate()
        scene = self.scene()
        if scene is not None:
            scene.prepareForPaint()

    def resizeEvent(self, ev: Any) -> None:
        """Qt's resize, then a fresh fit of the chart to the new size."""
        super().resizeEvent(ev)
        self._schedule_fit()

    def _schedule_fit(self) -> None:
        if getattr(self, "auto_fit", False) and not self._fit_pending:  # resizes come during __init__ too
            self._fit_pending = True
            QTimer.singleShot(0, self.fit_to_view)

    def fit_to_view(self) -> None:
        """Zoom the scene out (up to ``MAX_SCREEN_ZOOM``) until the plot keeps its share of the pane.

        A dense chart (a long legend, a forest plot's label and text columns) in a small pane would
        otherwise squash the plot to a sliver. The exporter does the same on its canvas, so the screen
        shows what an export of the same shape shows.
        """
        self._fit_pending = False
        if self.closed or self.rendered is None or self.spec is None:
            return
        self.zoom = 1.0
        self._apply_zoom()
        while not plot_fits(self) and self.zoom < MAX_SCREEN_ZOOM:
            self.zoom = min(self.zoom * 1.15, MAX_SCREEN_ZOOM)
            self._apply_zoom()

    def _apply_zoom(self) -> None:
        width, height = max(self.width(), 1), max(self.height(), 1)
        rect = QRectF(0.0, 0.0, width * self.zoom, height * self.zoom)
        pg.GraphicsView.setRange(self, rect, padding=0, disableAutoPixel=self.zoom != 1.0)
        if self.zoom == 1.0:
            self.autoPixelRange = True
        for _ in range(2):  # wrapped notes and the legend change height once they know their width
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def clear_chart(self) -> None:
        """Remove everything (e.g. before the widget is closed)."""
        self.ci.clear()
        self.spec = None
        self.rendered = None

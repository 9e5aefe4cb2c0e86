"""The look of a chart: the theme (neutral colours, fonts, line weights) and shared pens, brushes and symbols.

``scale`` (see :func:`viewer.plot.render.render`) multiplies what does not follow the painter's
transform: cosmetic pen widths and pixel-sized markers. Fonts are given in points once and follow
the painter by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen

from viewer.charts.palette import LEGEND_GREY
from viewer.charts.placement import Arrow
from viewer.charts.spec import Mark, Marker

__all__ = [
    "ARROWS",
    "CAP_H",
    "CAP_V",
    "DARK",
    "LIGHT",
    "PG_SYMBOLS",
    "Theme",
    "cosmetic_pen",
    "make_font",
    "no_pen",
    "outline_color",
    "pg_symbol",
    "shared_brush",
    "shared_pen",
    "theme_for",
    "theme_named",
]

PG_SYMBOLS: dict[Marker, str] = {
    Marker.CIRCLE: "o",
    Marker.SQUARE: "s",
    Marker.TRIANGLE: "t",
    Marker.DIAMOND: "d",
    Marker.PENTAGON: "p",
    Marker.HEXAGON: "h",
    Marker.STAR: "star",
    Marker.PLUS: "+",
    Marker.CROSS: "x",
}
"""pyqtgraph's symbol code for each marker of the chart layer."""


def pg_symbol(marker: Marker | None) -> str:
    """The pyqtgraph symbol code of ``marker`` (a circle for anything unknown)."""
    return PG_SYMBOLS.get(marker, "o") if marker is not None else "o"


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
"""Print-friendly default: white background, black axes; every export unless asked otherwise."""

DARK = Theme(
    background="#1E1F22",
    foreground="#E8E8E8",
    muted="#B4B4B4",
    reference="#9A9A9A",
    grid_alpha=0.18,
    band_alpha=72,
)
"""For a dark desktop (and slides on a dark background): light text and frame on near-black; the data
colours stay those of the chart layer (Okabe-Ito), whose blue, vermillion, green and pink keep a contrast of
at least 3:1 against this background."""

_THEMES = {"light": LIGHT, "dark": DARK}


def theme_named(name: str) -> Theme:
    """The theme called ``name`` ('light' or 'dark', as the command line's ``--theme`` takes it)."""
    return _THEMES[name]


def theme_for(window: QColor) -> Theme:
    """The chart theme that matches a window background colour: dark on a dark palette, else light."""
    return DARK if window.lightnessF() < 0.5 else LIGHT


def make_font(points: float, *, bold: bool = False, italic: bool = False) -> QFont:
    """A font of ``points`` points (follows the painter: never multiplied by ``scale``)."""
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def cosmetic_pen(color: str | QColor, width: float, *, dashed: bool = False) -> QPen:
    """A cosmetic pen; callers pass ``width * scale`` because cosmetic widths ignore the painter."""
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def tint(color: str, background: str, share: float = 0.4) -> str:
    """``color`` mixed into ``background`` (``share`` of the colour): an opaque tint, alike in SVG and PDF."""
    c, b = QColor(color), QColor(background)
    pairs = ((c.red(), b.red()), (c.green(), b.green()), (c.blue(), b.blue()))
    return QColor(*(round(share * x + (1 - share) * y) for x, y in pairs)).name()


def neutral_on(color: str, theme: Theme) -> str:
    """The chart layer's neutral grey (trial shapes, evidence marks, comparators in the legend) in the
    theme's muted grey: #444 is that grey on white, but on the dark theme's near-black its tinted and
    filled evidence samples could not be told apart."""
    return theme.muted if color == LEGEND_GREY else color


def outline_color(color: str) -> QColor:
    """A darker edge of the series colour, so light fills (Okabe-Ito yellow) stay visible on white."""
    return QColor(color).darker(140)


# Marker styles are shared objects: pyqtgraph's SymbolAtlas keys its pre-rendered symbols by the
# *identity* of the pen and brush, so the same objects across redraws (with the atlas handed from
# one drawing to the next, see ScatterColumns.item) mean no symbol is rendered again. Treat them as
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


def shared_pen(color: str, width: float, *, outline: bool = False, dashed: bool = False) -> QPen:
    """``cosmetic_pen(color or its outline, width)``, the same object for the same arguments (read-only)."""
    return _cached(  # type: ignore[no-any-return]
        ("pen", color, width, outline, dashed),
        lambda: cosmetic_pen(outline_color(color) if outline else color, width, dashed=dashed),
    )


def shared_brush(color: str | None) -> QBrush:
    """A solid brush of ``color`` (``None``: no brush), the same object for the same colour (read-only)."""
    if color is None:
        return _cached(("brush", None), lambda: QBrush(Qt.BrushStyle.NoBrush))  # type: ignore[no-any-return]
    return _cached(("brush", color), lambda: QBrush(QColor(color)))  # type: ignore[no-any-return]


def mark_look(color: str, mark: Mark, theme: Theme, width: float) -> tuple[QPen, QBrush]:
    """A marker's pen and brush by the evidence behind it (jak-ra-evidence.md section 10): filled for a primary
    source, a tinted fill with a dark edge for a secondary one, the background with a dashed edge when recalled.
    ``width`` multiplies the pens (the export scale; more for a picked-out series)."""
    if mark is Mark.RECALLED:
        return shared_pen(color, theme.interval_width * width, dashed=True), shared_brush(theme.background)
    if mark is Mark.SECONDARY:
        tinted = tint(color, theme.background)
        return shared_pen(color, theme.interval_width * width, outline=True), shared_brush(tinted)
    return shared_pen(color, theme.axis_width * width, outline=True), shared_brush(color)


def no_pen() -> QPen:
    return _cached(("pen", None), lambda: QPen(Qt.PenStyle.NoPen))  # type: ignore[no-any-return]


def _arrow_path(direction: Arrow) -> QPainterPath:
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


ARROWS = {d: _arrow_path(d) for d in Arrow}
CAP_H = _cap_path(True)  # caps of vertical intervals
CAP_V = _cap_path(False)  # caps of horizontal intervals

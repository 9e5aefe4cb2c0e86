"""The legend: one item that flows its entries into as many columns as fit the chart's width."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy

from viewer.charts.spec import ChartSpec, Mark, SeriesStyle
from viewer.plot.style import Theme, cosmetic_pen, make_font, neutral_on, outline_color, pg_symbol, tint
from viewer.plot.workarounds import draw_symbol

__all__ = ["LegendBlock", "SampleStyle", "build_legend"]


@dataclass(frozen=True, slots=True)
class SampleStyle:
    """How a legend entry's swatch looks: the series' line, marker or band."""

    color: str
    symbol: str | None
    line: bool
    dashed: bool = False
    band: bool = False  # a translucent band behind the line (a fitted curve with its interval)
    hollow: bool = False
    mark: Mark | None = None  # an evidence mark's swatch, drawn as the chart draws points of that mark
    hidden: bool = False  # what the entry names is hidden (a click shows it again): swatch and name greyed


_SAMPLE_W = 24.0
_LEGEND_GAP = 6.0  # swatch to text
_LEGEND_SPACING = 18.0  # between columns
_LEGEND_MAX_COLUMNS = 6
_HIDDEN_OPACITY = 0.35  # a hidden entry's swatch


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
    its column count whatever the width, so long trial names push the layout past the window. A click
    on an entry calls ``on_click`` with its name (the canvas hides or shows what it names,
    :mod:`viewer.charts.hiding`). Names are drawn as plain text (real text in SVG and PDF), elided in
    the middle only when a single column is still too wide.
    """

    def __init__(self, entries: Sequence[tuple[str, SampleStyle]], *, theme: Theme, scale: float) -> None:
        super().__init__()
        self._entries = list(entries)
        self._theme = theme
        self._scale = scale
        self.made_from = (self._entries, theme, scale)  # render() keeps the legend while this is unchanged
        self._font = make_font(theme.legend_pt)
        metrics = QFontMetricsF(self._font)
        self._metrics = metrics
        self._widths = [_SAMPLE_W + _LEGEND_GAP + metrics.horizontalAdvance(name) + 2.0 for name, _ in entries]
        self._row_h = max(metrics.height(), theme.symbol_size) + 5.0
        self._natural_width = sum(self._widths) + _LEGEND_SPACING * (len(self._widths) - 1)
        self._columns = 0
        self._height = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._flow(self._natural_width)
        self.on_hover: Callable[[str | None], None] | None = None  # the entry under the mouse (focus)
        self.on_click: Callable[[str], None] | None = None  # an entry clicked (hide or show what it names)
        self.setAcceptHoverEvents(True)

    def entry_at(self, x: float, y: float) -> str | None:
        """The name of the entry drawn at (x, y) in this item's coordinates, or None."""
        columns = max(self._columns, 1)
        width = float(self.size().width())
        col_w = [max(self._widths[c::columns]) for c in range(columns)]
        total = sum(col_w) + _LEGEND_SPACING * (columns - 1)
        left = max((width - total) / 2.0, 0.0)
        row = int(y // self._row_h)
        for col, w in enumerate(col_w):
            if left <= x <= left + w:
                k = row * columns + col
                return self._entries[k][0] if 0 <= k < len(self._entries) and y >= 0 else None
            left += w + _LEGEND_SPACING
        return None

    def hoverMoveEvent(self, ev: Any) -> None:
        """Tell the chart which entry is under the mouse: its series stand out (focus)."""
        if self.on_hover is not None:
            pos = ev.pos()
            self.on_hover(self.entry_at(float(pos.x()), float(pos.y())))

    def _clicked(self, ev: Any) -> str | None:
        """The entry under a left-button event, when clicks are wanted."""
        if self.on_click is None or ev.button() != Qt.MouseButton.LeftButton:
            return None
        pos = ev.pos()
        return self.entry_at(float(pos.x()), float(pos.y()))

    def mousePressEvent(self, ev: Any) -> None:
        """A press on an entry is the legend's (its release hides or shows what the entry names)."""
        if self._clicked(ev) is None:
            ev.ignore()
            return
        ev.accept()

    def mouseReleaseEvent(self, ev: Any) -> None:
        """A click on an entry hides what it names, or shows it again."""
        name = self._clicked(ev)
        if name is not None and self.on_click is not None:
            ev.accept()
            self.on_click(name)

    def hidden(self) -> list[str]:
        """The names of the entries drawn greyed (what they name is hidden)."""
        return [name for name, style in self._entries if style.hidden]

    def hoverLeaveEvent(self, ev: Any) -> None:
        if self.on_hover is not None:
            self.on_hover(None)

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
            p.setOpacity(_HIDDEN_OPACITY if style.hidden else 1.0)  # a hidden entry: greyed, swatch and name
            self._paint_sample(p, style, QRectF(x, y, _SAMPLE_W, self._row_h))
            text_w = col_w[col] - _SAMPLE_W - _LEGEND_GAP
            shown = self._metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, text_w)
            p.setPen(QColor(self._theme.foreground))
            p.drawText(
                QRectF(x + _SAMPLE_W + _LEGEND_GAP, y, text_w + 2.0, self._row_h),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
        p.setOpacity(1.0)

    def _paint_sample(self, p: QPainter, style: SampleStyle, box: QRectF) -> None:
        t, s = self._theme, self._scale
        cx, cy = box.center().x(), box.center().y()
        if style.band:
            band = QColor(style.color)
            band.setAlpha(t.band_alpha)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(band))
            p.drawRect(QRectF(box.left(), cy - 6, box.width(), 12))
        if style.line:
            p.setPen(cosmetic_pen(style.color, t.line_width * s, dashed=style.dashed))
            p.drawLine(QPointF(box.left(), cy), QPointF(box.right(), cy))
        if style.symbol:
            p.save()
            p.translate(cx, cy)
            pen = cosmetic_pen(outline_color(style.color), t.axis_width * s)
            fill = t.background if style.hollow else style.color
            if style.mark is Mark.SECONDARY:
                pen, fill = (
                    cosmetic_pen(outline_color(style.color), t.interval_width * s),
                    tint(style.color, t.background),
                )
            elif style.mark is Mark.RECALLED:
                pen = cosmetic_pen(style.color, t.interval_width * s, dashed=True)
            draw_symbol(p, style.symbol, t.symbol_size, pen, QBrush(QColor(fill)))
            p.restore()


def build_legend(
    spec: ChartSpec, theme: Theme, scale: float, previous: LegendBlock | None = None
) -> LegendBlock | None:
    """The legend of ``spec``; ``previous`` when it already lists the same entries the same way."""

    def block(entries: list[tuple[str, SampleStyle]]) -> LegendBlock:
        if previous is not None and previous.made_from == (entries, theme, scale):
            return previous
        return LegendBlock(entries, theme=theme, scale=scale)

    if spec.legend:  # the chart layer keyed colour and marker separately
        keyed = [
            (
                e.label,
                SampleStyle(
                    neutral_on(e.color, theme),
                    pg_symbol(e.symbol) if e.symbol else None,
                    e.line,
                    e.dashed,
                    band=e.band,
                    hollow=e.hollow,
                    mark=e.mark,
                    hidden=e.hidden,
                ),
            )
            for e in spec.legend
        ]
        return block(keyed)
    entries: list[tuple[str, SampleStyle]] = []
    seen: set[str] = set()
    for s in spec.series:
        if not s.in_legend or not s.points or s.name in seen:
            continue
        seen.add(s.name)
        style = SampleStyle(
            neutral_on(s.color, theme), pg_symbol(s.symbol), s.style is SeriesStyle.LINE, s.dashed, hidden=s.hidden
        )
        entries.append((s.name, style))
    for b in spec.bands:
        if b.name and b.name not in seen:
            seen.add(b.name)
            entries.append((b.name, SampleStyle(b.color, None, True, False, band=bool(b.low), hidden=b.hidden)))
    return block(entries) if entries else None

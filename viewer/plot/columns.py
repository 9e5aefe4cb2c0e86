"""Text columns beside a plot (row labels, effect and CI, n/N, NNT), laid out once per chart.

pyqtgraph's ``AxisItem`` can show a column of text as tick labels, but it measures every label again on
every paint of its picture and on every resize (``generateDrawSpecs``): with a forest plot's four
columns of 40 to 2,000 rows that was most of a redraw. Here the cells are measured once, when the chart
is drawn (:class:`TextTable`), as ``QStaticText`` in plain-text mode (text from data files is never
interpreted); painting maps each cell's view ``y`` through the plot's ViewBox, so the rows line up with
the marks at any size, and only the cells in the exposed area are painted.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QStaticText
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy, QStyleOptionGraphicsItem, QWidget

__all__ = ["COLUMN_GAP", "ColumnHeader", "TextTable"]

_MEASURED = 24  # cells measured per column: the longest ones
COLUMN_GAP = 14.0  # between the plot (or the previous column) and a column's text
HEADING_INDENT = 10.0  # rows under a heading (a drug's name) are indented by this much


_LAID_OUT: OrderedDict[tuple[str, str], QStaticText] = OrderedDict()
_LAID_OUT_MAX = 20_000  # cells kept laid out across drawings (a 2,000-row forest plot has ~8,000)


def _static(text: str, font: QFont | None = None) -> QStaticText:
    """``text`` as plain-text ``QStaticText`` (cells come from data files: never rich text).

    With ``font``, the cell is taken from a bounded cache shared by all tables: a ``QStaticText`` keeps
    its layout once first drawn, so a cell that reads the same in the next drawing (a row label when only
    the outcome changed, or any cell when the user goes back) is not laid out again. ``QStaticText`` is
    implicitly shared; Qt lays it out again by itself when a painter's font or transform differs.
    """
    key = (text, font.key()) if font is not None else None
    if key is not None and (cached := _LAID_OUT.get(key)) is not None:
        _LAID_OUT.move_to_end(key)
        return cached
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    if key is not None:
        _LAID_OUT[key] = static
        if len(_LAID_OUT) > _LAID_OUT_MAX:
            _LAID_OUT.popitem(last=False)
    return static


class _Column:
    """One column's cells as arrays: view ``y`` (sorted for the paint's search), text, heading, x shift."""

    __slots__ = ("heading", "order", "shift", "sorted_ys", "texts", "ys")

    def __init__(self, cells: Sequence[tuple[float, str]], headings: frozenset[float], indent: bool) -> None:
        self.texts = [text for _y, text in cells]
        self.ys = np.fromiter((y for y, _text in cells), dtype=float, count=len(cells))
        self.heading = np.isin(self.ys, list(headings)) if headings else np.zeros(len(cells), dtype=bool)
        indented = indent and bool(self.heading.any())
        self.shift = np.where(self.heading, 0.0, HEADING_INDENT) if indented else np.zeros(len(cells))
        self.order = np.argsort(self.ys, kind="stable")  # cells by y: the rows in view are one slice of it
        self.sorted_ys = self.ys[self.order]

    def longest(self, count: int) -> np.ndarray:
        """Indices of the ``count`` cells with the most characters (a heading counts 4 more: bold)."""
        lengths = np.fromiter(map(len, self.texts), dtype=int, count=len(self.texts)) + 4 * self.heading
        if len(lengths) <= count:
            return np.arange(len(lengths))
        return np.argpartition(-lengths, count)[:count]


class TextTable(pg.GraphicsWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """Columns of text at the view rows of ``vb``, each as wide as its widest cell (plus the gap).

    ``columns`` are lists of (view ``y``, text) cells; each column is left-aligned after ``lead`` pixels
    (the gap from the plot) and at least as wide as its title in ``titles`` (drawn by
    :class:`ColumnHeader`). Cells at a ``y`` in ``headings`` are headings (bold); with ``indent`` set, the
    other cells are indented under them. The widths are fixed at construction (the layout gives the
    table exactly its width); the height follows the row of the layout the table sits in, the ViewBox's.
    The cells are held as arrays (one chart can have 2,000 rows in four columns): building the table is
    a few array operations, and a paint finds the rows in view by binary search and lays out only those.
    """

    def __init__(
        self,
        vb: Any,
        columns: Sequence[Sequence[tuple[float, str]]],
        *,
        font: QFont,
        color: str,
        lead: float = COLUMN_GAP,
        headings: frozenset[float] = frozenset(),
        indent: bool = False,
        titles: Sequence[str] = (),
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        self.vb = vb
        self.color = QColor(color)
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        metrics, bold_metrics = QFontMetricsF(self.font), QFontMetricsF(self.bold)
        self._line = metrics.height()
        self.lefts: list[float] = []
        self.widths: list[float] = []
        self.columns = [_Column(cells, headings, indent) for cells in columns]
        self._static: dict[tuple[int, int], QStaticText] = {}  # laid out when first painted
        self._lead = lead
        x = 0.0
        for k, column in enumerate(self.columns):
            # The widest cell is among the longest: measuring those few (not 2,000 cells) is what keeps a
            # redraw of a long chart cheap; a proportional font's widths differ by far less than the margin.
            width = max(
                [bold_metrics.horizontalAdvance(titles[k]) if k < len(titles) else 0.0]
                + [
                    float(column.shift[i])
                    + (bold_metrics if column.heading[i] else metrics).horizontalAdvance(column.texts[i])
                    for i in column.longest(_MEASURED)
                ]
            )
            self.lefts.append(x + lead)
            self.widths.append(width)
            x += lead + width
        self.total_width = x + (lead if columns else 0.0) * 0.5
        self.natural = tuple(self.widths)  # each column's own width, as measured; ``widen`` never goes below it
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def widen(self, widths: Sequence[float]) -> None:
        """Give the columns ``widths``, or their own widths where wider (stacked panels: the same columns line up from
        plot to plot). A table kept for a later drawing narrows again when its neighbours there are narrower."""
        x, self.lefts = 0.0, []
        self.widths = [max(own, want) for own, want in zip(self.natural, widths, strict=True)]
        for width in self.widths:
            self.lefts.append(x + self._lead)
            x += self._lead + width
        self.total_width = x + (self._lead if self.widths else 0.0) * 0.5
        self.updateGeometry()

    def texts(self) -> list[list[tuple[float, str]]]:
        """The cells as drawn, column by column: (view y, text)."""
        return [[(float(y), text) for y, text in zip(c.ys, c.texts, strict=True)] for c in self.columns]

    def static(self, column: int, row: int) -> QStaticText:
        """The cell's text laid out (plain text, never rich), made when first painted and kept."""
        key = (column, row)
        static = self._static.get(key)
        if static is None:
            font = self.bold if self.columns[column].heading[row] else self.font
            static = self._static[key] = _static(self.columns[column].texts[row], font)
        return static

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(self.total_width, 1.0e6)
        return QSizeF(self.total_width, 0.0)

    def boundingRect(self) -> QRectF:
        return QRectF(0.0, 0.0, self.size().width(), self.size().height())

    def row_to_local(self) -> tuple[float, float]:
        """``(a, b)`` with local y = a + b * view y: the ViewBox's mapping, read at paint time."""
        top = self.mapFromScene(self.vb.mapViewToScene(QPointF(0.0, 0.0))).y()
        one = self.mapFromScene(self.vb.mapViewToScene(QPointF(0.0, 1.0))).y()
        return float(top), float(one - top)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        a, b = self.row_to_local()
        exposed = option.exposedRect if option.exposedRect.isValid() else self.boundingRect()
        top, bottom = exposed.top() - self._line, exposed.bottom() + self._line
        if b == 0.0:
            return
        low, high = sorted(((top - a) / b, (bottom - a) / b))  # the view rows in the exposed area
        painter.setPen(self.color)
        bold = None  # drawStaticText draws in the painter's font (prepare() only lays the text out)
        for k, (left, column) in enumerate(zip(self.lefts, self.columns, strict=True)):
            first = int(np.searchsorted(column.sorted_ys, low, side="left"))
            last = int(np.searchsorted(column.sorted_ys, high, side="right"))
            for row in column.order[first:last]:
                heading = bool(column.heading[row])
                if heading is not bold:
                    painter.setFont(self.bold if heading else self.font)
                    bold = heading
                centre = a + b * float(column.ys[row])
                point = QPointF(left + float(column.shift[row]), centre - self._line / 2.0)
                painter.drawStaticText(point, self.static(k, int(row)))


class ColumnHeader(pg.GraphicsWidget):  # type: ignore[misc]
    """The titles of a :class:`TextTable`'s columns, bold, bottom-aligned above them."""

    def __init__(self, table: TextTable, titles: Sequence[str], *, font: QFont, color: str) -> None:
        super().__init__()
        self.table = table
        self.color = QColor(color)
        self.font = QFont(font)
        self.font.setBold(True)
        self.titles = [_static(t) for t in titles]
        self._height = QFontMetricsF(self.font).height() + 2.0
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def texts(self) -> list[str]:
        return [t.text() for t in self.titles]

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        return QSizeF(self.table.total_width, self._height)

    def boundingRect(self) -> QRectF:
        return QRectF(0.0, 0.0, self.size().width(), self.size().height())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(self.color)
        painter.setFont(self.font)
        top = self.size().height() - self._height + 1.0
        for left, title in zip(self.table.lefts, self.titles, strict=True):
            painter.drawStaticText(QPointF(left, top), title)

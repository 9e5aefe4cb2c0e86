"""Text columns beside a plot (row labels, effect and CI, n/N, NNT), laid out once per chart.

pyqtgraph's ``AxisItem`` can show a column of text as tick labels, but it measures every label again on
every paint of its picture and on every resize (``generateDrawSpecs``): with a forest plot's four
columns of 40 to 2,000 rows that was most of a redraw. Here the cells are measured once, when the chart
is drawn (:class:`TextTable`), as ``QStaticText`` in plain-text mode (text from data files is never
interpreted); painting maps each cell's view ``y`` through the plot's ViewBox, so the rows line up with
the marks at any size, and only the cells in the exposed area are painted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QStaticText
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy, QStyleOptionGraphicsItem, QWidget

__all__ = ["COLUMN_GAP", "Cell", "ColumnHeader", "TextTable"]

_MEASURED = 24  # cells measured per column: the longest ones
COLUMN_GAP = 14.0  # between the plot (or the previous column) and a column's text
HEADING_INDENT = 10.0  # rows under a heading (a drug's name) are indented by this much


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its row's view ``y``, the text, and whether it is a heading (bold, not indented)."""

    y: float
    text: str
    heading: bool = False


def _static(text: str, font: QFont) -> QStaticText:
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)  # never rich text: cells come from data files
    return static


class TextTable(pg.GraphicsWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """Columns of text at the view rows of ``vb``, each as wide as its widest cell (plus the gap).

    ``columns`` are lists of :class:`Cell`; each column is left-aligned after ``lead`` pixels (the gap
    from the plot) and at least as wide as its title in ``titles`` (drawn by :class:`ColumnHeader`).
    With ``indent`` set, non-heading cells are indented under their headings. The widths are fixed at
    construction (the layout gives the table exactly its width); the height follows the row of the
    layout the table sits in, the ViewBox's.
    """

    def __init__(
        self,
        vb: Any,
        columns: Sequence[Sequence[Cell]],
        *,
        font: QFont,
        color: str,
        lead: float = COLUMN_GAP,
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
        self.cells: list[list[tuple[float, float, str, bool]]] = []  # y, x offset, text, heading
        self._static: dict[tuple[int, int], QStaticText] = {}  # laid out when first painted
        x = 0.0
        with_headings = indent and any(c.heading for column in columns for c in column)
        for k, column in enumerate(columns):
            placed = [
                (cell.y, HEADING_INDENT if with_headings and not cell.heading else 0.0, cell.text, cell.heading)
                for cell in column
            ]
            # The widest cell is among the longest: measuring those few (not 2,000 cells) is what keeps a
            # redraw of a long chart cheap; a proportional font's widths differ by far less than the margin.
            longest = sorted(placed, key=lambda c: len(c[2]) + (4 if c[3] else 0), reverse=True)[:_MEASURED]
            width = max(
                [bold_metrics.horizontalAdvance(titles[k]) if k < len(titles) else 0.0]
                + [
                    shift + (bold_metrics if heading else metrics).horizontalAdvance(text)
                    for _y, shift, text, heading in longest
                ]
            )
            self.lefts.append(x + lead)
            self.widths.append(width)
            self.cells.append(placed)
            x += lead + width
        self.total_width = x + (lead if columns else 0.0) * 0.5
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def texts(self) -> list[list[tuple[float, str]]]:
        """The cells as drawn, column by column: (view y, text)."""
        return [[(y, text) for y, _x, text, _h in column] for column in self.cells]

    def static(self, column: int, row: int) -> QStaticText:
        """The cell's text laid out (plain text, never rich), made when first painted and kept."""
        key = (column, row)
        static = self._static.get(key)
        if static is None:
            _y, _x, text, heading = self.cells[column][row]
            static = self._static[key] = _static(text, self.bold if heading else self.font)
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
        painter.setPen(self.color)
        bold = None  # drawStaticText draws in the painter's font (prepare() only lays the text out)
        for k, (left, column) in enumerate(zip(self.lefts, self.cells, strict=True)):
            for row, (y, shift, _text, heading) in enumerate(column):
                centre = a + b * y
                if top <= centre <= bottom:
                    if heading is not bold:
                        painter.setFont(self.bold if heading else self.font)
                        bold = heading
                    painter.drawStaticText(QPointF(left + shift, centre - self._line / 2.0), self.static(k, row))


class ColumnHeader(pg.GraphicsWidget):  # type: ignore[misc]
    """The titles of a :class:`TextTable`'s columns, bold, bottom-aligned above them."""

    def __init__(self, table: TextTable, titles: Sequence[str], *, font: QFont, color: str) -> None:
        super().__init__()
        self.table = table
        self.color = QColor(color)
        self.font = QFont(font)
        self.font.setBold(True)
        self.titles = [_static(t, self.font) for t in titles]
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

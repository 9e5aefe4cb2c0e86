"""Text a chart shows as plain text: wrapping blocks (title, warnings, notes) and escaped tooltips.

Text from data files must never be interpreted as HTML: blocks are ``setPlainText``, and a tooltip is
escaped into explicit rich text (Qt would otherwise guess whether it is rich text).
"""

from __future__ import annotations

import html
from typing import Any, TypeVar

import pyqtgraph as pg
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QSizePolicy

__all__ = ["PlainLabel", "VerticalTitle", "plain_tooltip", "reuse_label", "reuse_vertical_title"]


_Text = TypeVar("_Text", "PlainLabel", "VerticalTitle")  # the text items a drawing hands on by their made_from


def plain_tooltip(text: str) -> str:
    """Escape ``text`` into explicit Qt rich text.

    Qt guesses whether a tooltip is rich text (``Qt::mightBeRichText``); a trial name such as
    ``<b>`` would otherwise be interpreted. Escaping and wrapping it makes the guess irrelevant and
    keeps the line breaks of multi-line provenance.
    """
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


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


class VerticalTitle(pg.GraphicsWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """An axis title read bottom to top, as tall as the layout cell it spans, centred in it (plain text).

    A grid of side-by-side panels in several rows titles its shared response axis once, beside every
    row: one title per row's first panel ran past its row's plot and into the next row's title when the
    text was longer than a row was tall ("Patients with serious adverse event (%)" in a 2x2 grid).
    """

    def __init__(self, text: str, *, font: QFont, color: str, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.made_from = (text, {"font": QFont(font), "color": color})
        self.item = QGraphicsTextItem(self)
        self.item.setFont(font)
        self.item.setDefaultTextColor(QColor(color))
        self.item.document().setDocumentMargin(1.0)
        option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.item.document().setDefaultTextOption(option)
        self.item.setPlainText(text)
        self.item.setRotation(-90.0)
        self._thick = float(self.item.boundingRect().height())  # one line, across the page
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)

    def text(self) -> str:
        return str(self.item.toPlainText())

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(self._thick, 1.0e6)
        return QSizeF(self._thick, 1.0)

    def resizeEvent(self, ev: Any) -> None:
        """Centre the line in the height the layout gave (wrapped, and wider, only past that height)."""
        height = float(self.size().height())
        self.item.setTextWidth(max(height, 1.0))
        thick = float(self.item.boundingRect().height())
        if thick != self._thick:
            self._thick = thick
            self.updateGeometry()
        self.item.setPos(0.0, height)  # rotated -90: its top-left corner at the cell's bottom-left


def reuse_label(
    previous: PlainLabel | None,
    text: str,
    *,
    font: QFont,
    color: str,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> PlainLabel:
    """``PlainLabel(text, ...)``, or ``previous`` when it already shows exactly that."""
    return _reused(previous, PlainLabel, text, {"font": font, "color": color, "align": align, "indent": 0.0})


def reuse_vertical_title(previous: object, text: str, *, font: QFont, color: str) -> VerticalTitle:
    """``VerticalTitle(text, ...)``, or ``previous`` when it is one that already shows exactly that."""
    return _reused(previous, VerticalTitle, text, {"font": font, "color": color})


def _reused(previous: object, make: type[_Text], text: str, style: dict[str, Any]) -> _Text:
    """``previous`` when it is a ``make`` made from ``text`` and ``style`` (its ``made_from``), else a new one."""
    if isinstance(previous, make) and previous.made_from == (text, style):
        return previous
    return make(text, **style)


class WrappedMessage(pg.TextItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """A plot's centred message (why a chart or panel is empty), wrapped to the plot's width.

    A ``pg.TextItem`` ignores the view's scaling, so an unwrapped message of 150 characters runs off
    both sides of a narrow plot. The width follows the ViewBox: ``viewTransformChanged`` runs whenever
    the view is resized, and the text is wrapped again to the new width (lines centred).
    """

    MARGIN = 24.0  # px kept clear on each side of the plot
    MIN_WIDTH = 120.0  # px: narrower than this, wrapping would leave a word a line
    PAD = 6.0  # px of ``fill`` around the text: grid lines stop short of the letters

    def __init__(self, text: str, *, color: QColor | str, font: QFont, fill: QColor | str | None = None) -> None:
        """``fill``: the chart's background behind the text (and :attr:`PAD` around it), so the grid lines of
        an empty panel (it has no data to hide) do not run through the words; None, no background."""
        super().__init__(text, color=color, anchor=(0.5, 0.5), fill=None if fill is None else QColor(fill))
        self.setFont(font)
        if fill is not None:
            self.textItem.document().setDocumentMargin(self.PAD)
        self.textItem.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
        self._wrapped_to = -1.0

    def viewTransformChanged(self) -> None:
        self._wrap()
        super().viewTransformChanged()

    def _wrap(self) -> None:
        view = self.getViewBox()
        if view is None:
            return
        width = max(self.MIN_WIDTH, float(view.width()) - 2 * self.MARGIN)
        if width != self._wrapped_to:
            self._wrapped_to = width
            self.setTextWidth(width)

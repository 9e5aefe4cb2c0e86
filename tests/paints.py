"""Counting the paints a widget receives: a redraw should cost one (see viewer.plot.workarounds.settle_layouts)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class PaintCount(QObject):
    """An event filter that counts the paint events of the widget it is installed on."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False

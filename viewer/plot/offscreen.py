"""A chart laid out offscreen at an export's size, and painted onto any device (image, SVG, PDF)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from viewer.charts.spec import ChartSpec
from viewer.plot.canvas import ChartWidget
from viewer.plot.fit import MIN_EXPORT_PT, Fit, fit, shrink_limit
from viewer.plot.style import LIGHT, Theme

__all__ = ["OffscreenChart", "paint_chart"]


class OffscreenChart:
    """A laid-out but never shown :class:`ChartWidget` for an export, sized to fit the chart.

    The canvas starts at the logical size of the export (``width_px / s`` with ``s = dpi / 96``).
    A small, high-resolution figure (1050 px at 300 dpi is 336 logical pixels: a journal column) may not
    hold a dense chart at the nominal font sizes. The fit rule (:func:`viewer.plot.fit.fit`) then
    enlarges the canvas (aspect kept) and the chart is scaled down onto the page, but never so far that
    text falls below 6 pt (:data:`~viewer.plot.fit.MIN_EXPORT_PT`); past that, the page grows taller at
    the width asked for (:attr:`height_factor`), and text columns that still do not fit are left out,
    named in a note. ``fitted`` says what was done.

    ``WA_DontShowOnScreen`` lets ``show()`` run the layout (an unshown widget exports at a
    default size) without a window flashing on a real desktop. The widget is closed and deleted
    on exit; a widget left alive at interpreter exit can crash the teardown. A ``QApplication``
    must exist.

    The layout settles by Qt's layout requests alone, and only this widget's deferred deletion is sent: no
    nested event loop. An export runs inside the window's action (File > Export, a pane's export): running
    the application's posted events there ran the window's own pending chart work (a fit, a drawing's next
    step, a pane's deferred redraw) nested inside it, and sending every pending deferred delete deleted objects
    that their event loop level still held; a nested event loop is where Qt reads a freed object.
    """

    def __init__(self, spec: ChartSpec, logical_w: int, logical_h: int, scale: float, theme: Theme = LIGHT) -> None:
        self.spec = spec
        self.size = (logical_w, logical_h)
        self.scale = scale
        self.theme = theme
        self.fitted = Fit()
        self.widget: ChartWidget | None = None

    @property
    def height_factor(self) -> float:
        """How much taller than asked the page is (1: as asked)."""
        return self.fitted.height

    def __enter__(self) -> ChartWidget:
        widget = ChartWidget(scale=self.scale, theme=self.theme, auto_fit=False)
        self.widget = widget
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.resize(*self.size)
        widget.set_spec(self.spec)
        widget.show()
        self._settle()
        self.fitted = fit(
            widget,
            limit=shrink_limit(self.theme, MIN_EXPORT_PT),
            magnify=lambda factor: self._resize(factor, 1.0),
            grow=lambda height: self._resize(self.fitted.factor, height),
            narrow=self._narrow,
        )
        return widget

    def _resize(self, factor: float, height: float) -> None:
        widget = self.widget
        assert widget is not None
        self.fitted.factor, self.fitted.height = factor, height
        widget.resize(round(self.size[0] * factor), round(self.size[1] * factor * height))
        widget.scale = self.scale / factor  # the painter now magnifies by scale / factor
        widget.set_spec(self.spec)
        self._settle()

    def _narrow(self, keep: int) -> None:
        widget = self.widget
        assert widget is not None
        widget.show_columns(keep)
        self._settle()

    def _settle(self) -> None:
        """This widget's posted events (its scene's queued polish and updates too) and every layout request, in
        two rounds: wrapped notes and the legend change height once they know their width."""
        widget = self.widget
        assert widget is not None
        for _ in range(2):
            for receiver in (widget.scene(), widget, widget.viewport()):
                QCoreApplication.sendPostedEvents(receiver, 0)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def __exit__(self, *exc: object) -> None:
        if self.widget is not None:
            self.widget.close()
            self.widget.deleteLater()
            QCoreApplication.sendPostedEvents(self.widget, QEvent.Type.DeferredDelete)  # this widget's alone
            self.widget = None


def paint_chart(widget: ChartWidget, painter: QPainter, width: float, height: float) -> None:
    """Paint the widget's scene into ``(0, 0, width, height)`` of an active painter.

    Items are put in export mode as pyqtgraph's own exporters do: markers are then drawn as
    vector paths instead of cached pixmaps (sharp in PDF/SVG). The background is painted
    explicitly: the view's background brush is not part of the scene.
    """
    scene = widget.scene()
    source = QRectF(0, 0, widget.width(), widget.height())
    target = QRectF(0, 0, width, height)
    background = QColor(widget.theme.background)
    opts: dict[str, Any] = {"antialias": True, "background": background, "painter": painter, "resolutionScale": 1.0}
    items = [item for item in scene.items() if hasattr(item, "setExportMode")]
    for item in items:
        item.setExportMode(True, opts)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.fillRect(target, background)
        scene.render(painter, target, source)
    finally:
        for item in items:
            item.setExportMode(False)

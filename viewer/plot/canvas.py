"""The chart canvas: a static pyqtgraph view that draws one spec after another, fitted to its size."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QWidget

from viewer.charts.spec import ChartSpec
from viewer.plot.fit import MAX_SCREEN_ZOOM, fit
from viewer.plot.render import render
from viewer.plot.result import RenderedChart
from viewer.plot.style import LIGHT, Theme
from viewer.plot.workarounds import set_scene_zoom, settle_layouts

__all__ = ["ChartWidget"]


class ChartWidget(pg.GraphicsLayoutWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A static chart view: call :meth:`set_spec` on every change; the widget itself is kept.

    Pan, zoom, context menus and the "A" button are off: these are comparison charts, and a user
    who zoomed one drug's pane would silently break the shared scale. ``auto_fit`` fits the chart to
    the widget after every change (:mod:`viewer.plot.fit`); an export sizes its own canvas instead.
    """

    def __init__(
        self, parent: QWidget | None = None, *, theme: Theme = LIGHT, scale: float = 1.0, auto_fit: bool = True
    ) -> None:
        super().__init__(parent)
        self.auto_fit = auto_fit
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
        layouts = [self.ci.layout, *self.rendered.layouts()]
        settle_layouts(self.scene(), layouts)
        self._schedule_fit()
        return self.rendered

    def resizeEvent(self, ev: Any) -> None:
        """Qt's resize, then a fresh fit of the chart to the new size."""
        super().resizeEvent(ev)
        self._schedule_fit()

    def _schedule_fit(self) -> None:
        if getattr(self, "auto_fit", False) and not self._fit_pending:  # resizes come during __init__ too
            self._fit_pending = True
            QTimer.singleShot(0, self.fit_to_view)

    def fit_to_view(self) -> None:
        """Zoom the scene out (up to ``MAX_SCREEN_ZOOM``) until the plot keeps its share of the pane."""
        self._fit_pending = False
        if self.closed or self.rendered is None or self.spec is None:
            return
        self._apply_zoom(1.0)
        self.zoom = fit(self, self._apply_zoom, MAX_SCREEN_ZOOM)

    def _apply_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        set_scene_zoom(self, max(self.width(), 1), max(self.height(), 1), zoom)
        for _ in range(2):  # wrapped notes and the legend change height once they know their width
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

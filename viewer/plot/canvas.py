"""The chart canvas: a static pyqtgraph view that draws one spec after another, fitted to its size.

A chart taller than the pane (a forest plot of four drugs, 50 rows) is laid out at the height its rows
need and scrolls (wheel, scroll bar, Page Up/Down, Home/End): text is never shrunk below 8 pt to make
it fit (:mod:`viewer.plot.fit`).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import QScrollBar, QWidget

from viewer.charts.hiding import hidable, hide
from viewer.charts.spec import ChartSpec
from viewer.plot.fit import MIN_SCREEN_PT, Fit, fit, shrink_limit
from viewer.plot.render import render_steps
from viewer.plot.result import RenderedChart
from viewer.plot.stepper import Phase, Stepper
from viewer.plot.style import Theme, theme_for
from viewer.plot.workarounds import set_scene_view, settle_layouts, unindexed

__all__ = ["ChartWidget"]

_SCROLL_KEYS = {
    Qt.Key.Key_PageDown: 0.9,
    Qt.Key.Key_PageUp: -0.9,
    Qt.Key.Key_Down: 0.1,
    Qt.Key.Key_Up: -0.1,
}


class ChartWidget(pg.GraphicsLayoutWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A static chart view: call :meth:`set_spec` on every change; the widget itself is kept.

    Pan, zoom, context menus and the "A" button are off: these are comparison charts, and a user
    who zoomed one drug's pane would silently break the shared scale. ``auto_fit`` fits the chart to
    the widget after every change (:mod:`viewer.plot.fit`); an export sizes its own canvas instead.
    ``spec`` is the chart as given; what is drawn (``rendered.spec``) may leave text columns out when
    the pane is too narrow, and says so. ``drawn`` is emitted when a drawing in steps is finished and fitted,
    before it is painted.
    """

    drawn = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, theme: Theme | None = None, scale: float = 1.0, auto_fit: bool = True
    ) -> None:
        super().__init__(parent)
        unindexed(self.scene())  # a redrawn chart's freed axes stayed in Qt's index: a crash in a later paint
        self.auto_fit = auto_fit
        self.follows_palette = theme is None  # on screen, the chart takes the window's light or dark look
        self.theme = theme if theme is not None else self._palette_theme()
        self.scale = scale
        self.setBackground(self.theme.background)
        self.setAntialiasing(True)
        self.spec: ChartSpec | None = None
        self._rendered: RenderedChart | None = None
        self._stepper: Stepper | None = None  # a drawing in steps, from its first panel to its last line shown
        self.fitted = Fit()  # how the chart was fitted to the pane (zoom, scroll height, columns kept)
        self._content: QRectF | None = None  # the scene area laid out, when it scrolls
        self._fit_pending = False
        self._fitted_size = None  # the widget size the chart was last fitted to
        self.footnotes_shown = True  # False folds the footnotes away on screen (exports always carry them)
        self.title_shown = True  # False folds the title away on screen (the window's controls then name it)
        self.hidden: set[str] = set()  # legend entries clicked: what they name is hidden on screen (not in exports)
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.setObjectName("chartScrollBar")
        self.scrollbar.hide()
        self.scrollbar.valueChanged.connect(self._scrolled)

    @property
    def zoom(self) -> float:
        """Scene units per screen pixel (> 1 only when a theme's text is large enough to be shrunk)."""
        return self.fitted.factor

    @property
    def content(self) -> QRectF:
        """The scene area the chart is laid out in: the visible range, or more when the chart scrolls."""
        return QRectF(self._content) if self._content is not None else QRectF(self.range)

    @property
    def rendered(self) -> RenderedChart | None:
        """What is drawn (None before the first spec); a drawing in steps is finished first, so no reader (a test,
        the hover, an export's check) ever sees one half made. One drawn and fitted but not yet painted stays so
        (the pane reads it for its banner in that turn)."""
        if self._stepper is not None:
            self._stepper.finish_panels()
        return self._rendered

    @property
    def drawing_shown(self) -> RenderedChart | None:
        """What is drawn, as it is: for the drawing in steps itself (:class:`~viewer.plot.stepper.Stepper`)."""
        return self._rendered

    @property
    def drawing(self) -> bool:
        """A drawing in steps (:meth:`draw_in_steps`) is drawing its panels."""
        return self._stepper is not None and self._stepper.phase is Phase.DRAWING

    def set_spec(self, spec: ChartSpec) -> RenderedChart:
        """Replace the drawing with ``spec`` (recycles the plot of the previous drawing)."""
        self.finish_drawing()
        self.spec = spec
        self._draw(self.fitted.keep)
        self._fitted_size = None
        self._schedule_fit()
        assert self._rendered is not None
        return self._rendered

    def draw_in_steps(self, spec: ChartSpec) -> None:
        """:meth:`set_spec` over several event-loop turns (:class:`~viewer.plot.stepper.Stepper`): a panel a turn
        (:func:`~viewer.plot.render.render_steps`), then the fit, so the window answers and repaints between them (a
        400-trial chart of four panels is 4 x ~25 ms to draw, ~40 ms to paint). The view keeps showing the previous
        drawing, its updates off, until the new one is fitted: the new chart is painted once, fitted, never half
        made."""
        self.finish_drawing()
        self._end_steps()
        self.spec = spec
        self._stepper = Stepper(self, self._draw_steps(self.fitted.keep))

    def finish_drawing(self) -> None:
        """Finish a drawing in steps now (all its remaining panels, or the paint it waits for), as :meth:`set_spec`
        would have drawn it, and show it."""
        if self._stepper is not None:
            self._stepper.finish()

    def _end_steps(self) -> None:
        """End a drawing in steps: its held lines and whiskers shown (the next drawing takes them over)."""
        if self._stepper is not None:
            self._stepper.end()

    def let_go(self, stepper: Stepper) -> None:
        """``stepper`` has nothing left to do."""
        if self._stepper is stepper:
            self._stepper = None

    def drawn_at_once(self) -> None:
        """A drawing in steps finished in one go (a reader asked for it): fitted in a later turn, as a spec set."""
        self._fitted_size = None
        self._schedule_fit()
        self.drawn.emit()

    def toggle_hidden(self, label: str) -> None:
        """Hide what the legend entry ``label`` names, or show it again (:mod:`viewer.charts.hiding`); the chart
        is drawn again after the click that asked it (the legend clicked is replaced by the redraw)."""
        if self.spec is None or not hidable(self.spec, label):
            return
        self.hidden ^= {label}
        QTimer.singleShot(0, self, lambda: self.set_spec(self.spec) if self.spec is not None else None)

    def show_columns(self, keep: int | None) -> None:
        """Draw the spec again with only its first ``keep`` text columns (None: all)."""
        self.finish_drawing()
        self.fitted.keep = keep
        self._draw(keep)

    def _draw(self, keep: int | None) -> None:
        self._end_steps()
        for _ in self._draw_steps(keep):
            pass

    def _draw_steps(self, keep: int | None) -> Iterator[None]:
        """Draw the spec (its first ``keep`` text columns), yielding between steps (see :meth:`draw_in_steps`)."""
        assert self.spec is not None
        shown = self.spec if keep is None else self.spec.narrowed(keep)
        shown = hide(shown, self.hidden) if self.hidden else shown
        self._rendered = yield from render_steps(
            shown, self.ci, scale=self.scale, theme=self.theme, reuse=self._rendered
        )
        toggle = weakref.WeakMethod(self.toggle_hidden)  # no cycle: a closed widget is freed at once, plots too

        def clicked(label: str) -> None:
            method = toggle()
            if method is not None:
                method(label)

        for chart in (self._rendered, *self._rendered.panels):
            if chart.legend is not None:
                chart.legend.on_click = clicked
        self._fold_text()
        # A chart with more columns may have stretched the layout past the view (to its minimum width);
        # the layout always gets the area the view lays out, no more.
        self.ci.setGeometry(self.content)
        settle_layouts(self.scene(), [self.ci.layout, *self._rendered.layouts()])
        yield  # drawn: the fit is a turn of its own (draw_in_steps)

    def _palette_theme(self) -> Theme:
        return theme_for(self.palette().color(QPalette.ColorRole.Window))

    def changeEvent(self, ev: QEvent) -> None:
        """A new palette (the desktop switched to dark, say) redraws a chart that follows it in its theme."""
        super().changeEvent(ev)
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if not getattr(self, "follows_palette", False) or ev.type() not in palette_events:
            return
        QTimer.singleShot(0, self, self._follow_palette)  # not inside the event: a widget may be going away

    def _follow_palette(self) -> None:
        theme = self._palette_theme()
        if self.closed or theme == self.theme:
            return
        self.theme = theme
        self.setBackground(theme.background)
        if self.spec is not None:
            self.finish_drawing()
            self._rendered = None  # nothing of the old look is reused
            self.ci.clear()
            self.set_spec(self.spec)

    def set_footnotes_shown(self, shown: bool) -> None:
        """Show or fold away the footnotes on screen (kept for every later drawing), and fit again."""
        if shown != self.footnotes_shown:
            self.footnotes_shown = shown
            self._refold()

    def set_title_shown(self, shown: bool) -> None:
        """Show or fold away the title on screen (kept for every later drawing), and fit again: a window
        whose controls name what the title says gives its line to the plot. Exports always carry it."""
        if shown != self.title_shown:
            self.title_shown = shown
            self._refold()

    def _refold(self) -> None:
        if self.drawing:
            return  # the drawing under way folds them when it ends, and is fitted then
        self._fold_text()
        self.ci.layout.invalidate()
        self._fitted_size = None
        self._schedule_fit()

    def _fold_text(self) -> None:
        drawn = self._rendered
        if drawn is None:
            return
        for block, shown in ((drawn.footnotes, self.footnotes_shown), (drawn.title, self.title_shown)):
            if block is None:
                continue
            # A hidden item keeps its row in pyqtgraph's grid layout: a user height of 0 frees the row, and -1
            # (unset) gives the label back its own size hint.
            height = -1.0 if shown else 0.0
            block.setMinimumHeight(height)
            block.setPreferredHeight(height)
            block.setMaximumHeight(height)
            block.setVisible(shown)

    def resizeEvent(self, ev: Any) -> None:
        """Qt's resize, then a fresh fit of the chart to the new size.

        Showing or hiding the scroll bar resizes the viewport (and calls this again) but not the widget:
        only a new widget size is fitted again, or a fit would undo itself forever.
        """
        super().resizeEvent(ev)
        if self.size() != getattr(self, "_fitted_size", None):
            self._schedule_fit()

    def _schedule_fit(self) -> None:
        if getattr(self, "auto_fit", False) and not self._fit_pending:  # resizes come during __init__ too
            self._fit_pending = True
            QTimer.singleShot(0, self, self.fit_if_pending)

    def fit_if_pending(self) -> None:
        """The fit asked for, unless one was made since (a drawing in steps fits when it ends)."""
        if self._fit_pending:
            self.fit_to_view()

    def fit_to_view(self) -> None:
        """Fit the chart to the pane (:func:`viewer.plot.fit.fit`): text never below 8 pt; rows get their
        height and the chart scrolls; columns that cannot be read are left out, and the chart says so."""
        self._fit_pending = False
        if self.closed or self.drawing or self._rendered is None or self.spec is None:
            return  # a drawing under way is fitted when it ends
        self._fitted_size = self.size()
        if self.fitted.keep is not None:
            self.show_columns(None)
        self.fitted = Fit()
        self._apply(1.0, 1.0)
        self.fitted = fit(
            self,
            limit=shrink_limit(self.theme, MIN_SCREEN_PT),
            magnify=lambda factor: self._apply(factor, 1.0),
            grow=lambda height: self._apply(self.fitted.factor, height),
            narrow=self._narrow,
        )

    def _narrow(self, keep: int) -> None:
        self.show_columns(keep)
        self._apply(self.fitted.factor, self.fitted.height)

    def _apply(self, zoom: float, height: float) -> None:
        """Lay the chart out ``zoom`` times the pane's size and ``height`` times taller, showing the top."""
        self.fitted.factor, self.fitted.height = zoom, height
        scrolls = height > 1.0
        bar = self.scrollbar.sizeHint().width() if scrolls else 0
        self.setViewportMargins(0, 0, bar, 0)
        width, view_h = max(self.width() - bar, 1) * zoom, max(self.height(), 1) * zoom
        self._content = QRectF(0.0, 0.0, width, view_h * height) if scrolls else None
        self.scrollbar.setVisible(scrolls)
        if scrolls:
            self.scrollbar.setGeometry(self.width() - bar, 0, bar, self.height())
            self.scrollbar.blockSignals(True)
            self.scrollbar.setRange(0, round(view_h * (height - 1.0)))
            self.scrollbar.setPageStep(round(view_h))
            self.scrollbar.setSingleStep(max(round(view_h / 20), 1))
            self.scrollbar.setValue(0)
            self.scrollbar.blockSignals(False)
        set_scene_view(self, QRectF(0.0, 0.0, width, view_h), self._content, zoom)
        for _ in range(2):  # wrapped notes and the legend change height once they know their width
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _scrolled(self, value: int) -> None:
        if self._content is None:
            return
        zoom = self.fitted.factor
        visible = QRectF(0.0, float(value), self._content.width(), max(self.height(), 1) * zoom)
        set_scene_view(self, visible, self._content, zoom)

    def wheelEvent(self, ev: QWheelEvent) -> None:
        """The wheel scrolls a chart taller than the pane (the plot itself does not zoom)."""
        if self.scrollbar.isVisible():
            self.scrollbar.setValue(self.scrollbar.value() - ev.angleDelta().y())
            ev.accept()
            return
        super().wheelEvent(ev)

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        """Page Up/Down, arrows, Home and End scroll a chart taller than the pane."""
        bar = self.scrollbar
        key = Qt.Key(ev.key())
        if bar.isVisible() and (key in _SCROLL_KEYS or key in (Qt.Key.Key_Home, Qt.Key.Key_End)):
            if key == Qt.Key.Key_Home:
                bar.setValue(bar.minimum())
            elif key == Qt.Key.Key_End:
                bar.setValue(bar.maximum())
            else:
                bar.setValue(bar.value() + round(_SCROLL_KEYS[key] * bar.pageStep()))
            ev.accept()
            return
        super().keyPressEvent(ev)

"""A chart drawn over several event-loop turns (:meth:`~viewer.plot.canvas.ChartWidget.draw_in_steps`): one object
from its first panel to its last line shown, owned by its widget.

A crowded chart (400 trials in four panels after File > Open of 1,000,000 arms) is ~25 ms a panel to draw and
~40 ms to paint; drawn in one turn it froze the window for 0.3-0.4 s. The :class:`Stepper` takes one step a turn
on its own timer, in three phases (:class:`Phase`): the panels, one a turn (the view's updates off, so the previous
chart stays on screen); then, fitted, the turn that records the axes' pictures before the first paint; then,
painted, the lines and whiskers shown a panel a turn. Its timer is its child and it is its widget's, so a deleted
widget takes both with it (no step ever reaches a deleted chart); a new drawing or a reader ends it first
(:meth:`Stepper.finish`, :meth:`Stepper.end`).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum, auto
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

from viewer.plot.result import RenderedChart
from viewer.plot.workarounds import record_axis_pictures, settle_layouts

if TYPE_CHECKING:
    from viewer.plot.canvas import ChartWidget

__all__ = ["STEP_MS", "Phase", "Stepper"]

# A step is taken on a timer of 1 ms, not 0: Qt sends a 0 ms single shot as a posted event, and posted events run
# before any timer or input, so the steps would be one stall.
STEP_MS = 1
AXIS_ROUNDS = 3  # an axis whose labels turn out wider asks for room, and the layout that gives it drops its picture


class Phase(Enum):
    """Where a drawing in steps is."""

    DRAWING = auto()  # a panel a turn; the view's updates off (the previous chart stays on screen)
    FITTING = auto()  # drawn: fitted to the pane in this turn (a narrowed fit redraws its columns: part of it)
    UNVEILING = auto()  # drawn and fitted, updates still off: the axes' pictures are recorded next turn, then painted
    REVEALING = auto()  # painted: its lines and whiskers are shown a panel a turn


class Stepper(QObject):
    """One drawing in steps of ``chart``: ``steps`` (its :meth:`~ChartWidget._draw_steps`) a turn at a time, then the
    fit, the axes' turn and the lines' turns. The chart holds it while it lasts (``chart._stepper``)."""

    def __init__(self, chart: ChartWidget, steps: Iterator[None]) -> None:
        super().__init__(chart)  # the chart's child: deleted with it, its timer too
        self._chart = chart
        self._steps: Iterator[None] | None = steps
        self._held: list[list[Any]] = []  # each panel's lines and whiskers, hidden until their turn
        self.phase = Phase.DRAWING
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(STEP_MS)
        self._timer.timeout.connect(self.turn)
        chart.setUpdatesEnabled(False)
        self._timer.start()

    def turn(self) -> None:
        """The next step of the phase the drawing is in."""
        if self.phase is Phase.DRAWING:
            self._draw_next()
        elif self.phase is Phase.UNVEILING:
            self._record_axes()
            self._unveil()
        else:
            self._reveal_next()

    def finish(self) -> None:
        """The drawing made whole now, as :meth:`~ChartWidget.set_spec` would have drawn it, and shown: its remaining
        panels (the chart then fits itself in a later turn), or the paint its axes were waiting for. Lines still
        held keep their turns; a drawing being fitted is the caller's own turn."""
        if self.phase is Phase.DRAWING:
            self.finish_panels()
        elif self.phase is Phase.UNVEILING:
            self._unveil()

    def finish_panels(self) -> None:
        """Draw every remaining panel now: a reader of the drawing never sees one half made."""
        steps, self._steps = self._steps, None
        if steps is None:
            return
        try:
            for _ in steps:
                pass
        finally:
            self._close()
        self._chart.drawn_at_once()

    def end(self) -> None:
        """Stop here: every held line and whisker shown (a new drawing takes them over), the view's updates on; a
        drawing being fitted (its columns narrowed, or a new spec from the pane's answer to ``drawn``) goes on."""
        if self.phase is Phase.FITTING:
            return
        while self._held:
            for item in self._held.pop():
                item.setVisible(True)
        self._close()

    def _draw_next(self) -> None:
        assert self._steps is not None
        try:
            more = next(self._steps, StopIteration) is not StopIteration
        except BaseException:  # a bug (the window's hook reports it): the view is not left frozen on the old chart
            self._steps = None
            self._close()
            raise
        if more:
            self._timer.start()
            return
        # the fit (and the pane's reaction to the finished chart); the axes' pictures the next turn, then one paint
        self._steps = None
        chart = self._chart
        self.phase = Phase.FITTING
        chart.fit_to_view()
        chart.drawn.emit()  # the window may show or hide its warning banner: the chart gets another size
        chart.fit_if_pending()
        drawn = chart.drawing_shown
        if drawn is None:
            self._unveil()
            return
        # the view transform too, or the first paint updates it and paints again
        settle_layouts(chart.scene(), [chart.ci.layout, *drawn.layouts()])
        self._hold_runs(drawn)
        self.phase = Phase.UNVEILING
        self._timer.start()

    def _record_axes(self) -> None:
        """The turn before the first paint: the axes' pictures recorded
        (:func:`~viewer.plot.workarounds.record_axis_pictures`), so that paint only plays them."""
        chart = self._chart
        drawn = chart.drawing_shown
        if drawn is None:
            return
        plots = [drawn.plot, *(panel.plot for panel in drawn.panels)]
        # What would otherwise run in and after the paint: the layouts' pending requests (an axis resized drops its
        # picture) and pyqtgraph's views' pending ranges, then the pictures; an axis whose labels turn out wider
        # asks for room, and the layout that gives it drops its picture: recorded again (at most twice).
        for _ in range(AXIS_ROUNDS):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            chart.scene().prepareForPaint()
            if not record_axis_pictures(plots, chart.mapToScene(chart.viewport().rect()).boundingRect()):
                break

    def _unveil(self) -> None:
        self.phase = Phase.REVEALING
        self._chart.setUpdatesEnabled(True)
        if self._held:
            self._timer.start()
        else:
            self._close()

    def _hold_runs(self, drawn: RenderedChart) -> None:
        """Hide the lines and whiskers of every panel until their turn: antialiased lines wider than a pixel are Qt's
        slow path (~0.1 ms a trial), so the first paint of 400 trials' panels took ~45 ms of lines alone, and one
        panel's 100 trials still ~10 ms of a 34 ms first paint (profiled: 202 drawPath calls). The first paint
        draws the markers, caps, axes and legends."""
        self._held = [[*panel.line_items, *panel.whisker_items] for panel in drawn.panels]
        for items in self._held:
            for item in items:
                item.setVisible(False)

    def _reveal_next(self) -> None:
        for item in self._held.pop(0):
            item.setVisible(True)
        if self._held:
            self._timer.start()
        else:
            self._close()

    def _close(self) -> None:
        """Nothing left to do: the view's updates on, and the chart let go of this drawing (deleted in a later turn)."""
        self._timer.stop()
        self._chart.setUpdatesEnabled(True)
        self._chart.let_go(self)
        self.deleteLater()

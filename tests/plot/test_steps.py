"""A chart drawn in steps (a crowded chart after File > Open): a panel an event-loop turn, painted once, fitted,
and the same picture as a drawing made at once; a change of panel count keeps the plots it can."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.paints import PaintCount
from tests.plot.test_panels import GROUPS, overlay
from tests.plot.test_render import dose_response_spec, shown_chart
from tests.plot.test_render_reuse import _image
from viewer.charts.panels import split_panels
from viewer.charts.spec import ChartSpec
from viewer.plot import panels
from viewer.plot.canvas import ChartWidget
from viewer.plot.stepper import Stepper


class FirstPaint(QObject):
    """Notes the size ``chart`` was fitted to when its view gets its first paint event."""

    def __init__(self, chart: ChartWidget) -> None:
        super().__init__()
        self.chart = chart
        self.fitted_to: list[Any] = []
        self.lines_shown: list[list[bool]] = []
        self.unrecorded: list[list[str]] = []  # the axes in view that the paint has to record its picture of

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.fitted_to:
            self.fitted_to.append(self.chart._fitted_size)
            panels = self.chart._rendered.panels if self.chart._rendered is not None else []
            self.lines_shown.append([all(i.isVisible() for i in p.line_items) for p in panels if p.line_items])
            visible = self.chart.mapToScene(self.chart.viewport().rect()).boundingRect()
            axes = [entry["item"] for p in panels for entry in p.plot.axes.values()]
            self.unrecorded.append(
                [
                    a.orientation
                    for a in axes
                    if a.isVisible() and a.picture is None and a.sceneBoundingRect().intersects(visible)
                ]
            )
        return False


def _four_panels() -> ChartSpec:
    return split_panels(overlay(), GROUPS)


def _settled(qtbot: QtBot, chart: ChartWidget) -> None:
    qtbot.waitUntil(lambda: chart._stepper is None and not chart._fit_pending, timeout=5000)
    for _ in range(3):
        QApplication.processEvents()


def test_a_chart_drawn_in_steps_draws_a_panel_a_turn_and_is_painted_once_fitted(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = shown_chart(qtbot)
    chart.set_spec(dose_response_spec())
    _settled(qtbot, chart)
    paints = PaintCount()
    chart.viewport().installEventFilter(paints)
    first_paint = FirstPaint(chart)
    chart.viewport().installEventFilter(first_paint)
    log: list[str] = []
    draw_panel, step = panels._draw_panel, Stepper.turn

    def drawn_panel(*args: Any, **kwargs: Any) -> Any:
        log.append("panel")
        return draw_panel(*args, **kwargs)

    def turn(self: Stepper) -> None:
        log.append(f"turn {self.phase.name} (painted {paints.count})")
        step(self)

    monkeypatch.setattr(panels, "_draw_panel", drawn_panel)
    monkeypatch.setattr(Stepper, "turn", turn)
    spec = _four_panels()
    chart.draw_in_steps(spec)
    assert chart.drawing and log == []  # nothing drawn in the turn that asked
    qtbot.waitUntil(lambda: paints.count > 0, timeout=5000)
    assert log.count("panel") == 4
    assert "panel,panel" not in ",".join(log)  # never two panels in one turn
    # nothing painted while drawing, fitting and recording the axes: the old chart stays shown; then the lines' turns
    before_lines = {e for e in log if "REVEALING" not in e}
    assert before_lines == {"panel", "turn DRAWING (painted 0)", "turn UNVEILING (painted 0)"}
    assert first_paint.fitted_to == [chart.size()]  # its first paint is of the chart fitted to the pane
    assert first_paint.lines_shown == [[False, False, False]]  # then a panel's lines a turn (the 4th is empty)
    assert first_paint.unrecorded == [[]]  # the axes' pictures were recorded in a turn before the paint
    _settled(qtbot, chart)
    drawn = chart.rendered
    assert drawn is not None and all(i.isVisible() for p in drawn.panels for i in (*p.line_items, *p.whisker_items))
    _settled(qtbot, chart)

    at_once = shown_chart(qtbot)
    at_once.set_spec(dose_response_spec())
    _settled(qtbot, at_once)
    at_once.set_spec(spec)
    _settled(qtbot, at_once)
    assert chart.rendered is not None and chart.rendered.spec == spec
    assert np.array_equal(_image(chart), _image(at_once))  # the same picture as a drawing made at once


def test_reading_a_drawing_in_steps_finishes_it(qtbot: QtBot) -> None:
    """No reader (hover, export checks, tests) ever sees a drawing half made: reading it finishes it."""
    chart = shown_chart(qtbot)
    chart.set_spec(dose_response_spec())
    spec = _four_panels()
    chart.draw_in_steps(spec)
    rendered = chart.rendered
    assert not chart.drawing and rendered is not None and rendered.spec == spec and len(rendered.panels) == 4
    chart.draw_in_steps(dose_response_spec())
    chart.set_spec(spec)  # a new spec while one is drawn in steps: the first is finished, then replaced
    assert chart.rendered is not None and chart.rendered.spec == spec
    _settled(qtbot, chart)


def test_a_change_of_panel_count_keeps_the_plots_it_can(qtbot: QtBot) -> None:
    """Three panels, then four: the three plots are drawn again (a new PlotItem costs ~10 ms), the fourth is new,
    and the chart looks as one drawn afresh."""
    three = split_panels(overlay(), GROUPS[:3])
    four = _four_panels()
    chart = shown_chart(qtbot)
    first = chart.set_spec(three)
    plots = [p.plot for p in first.panels]
    second = chart.set_spec(four)
    _settled(qtbot, chart)
    assert [p.plot for p in second.panels[:3]] == plots and second.panels[3].plot not in plots
    assert second.panel_grid is not first.panel_grid  # a grid of two columns instead of three

    fresh = shown_chart(qtbot)
    fresh.set_spec(four)
    _settled(qtbot, fresh)
    assert np.array_equal(_image(chart), _image(fresh))


def test_a_step_that_raises_leaves_the_view_live(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in a step reaches the window's boundary; the view is not left with its updates off."""
    chart = shown_chart(qtbot)
    chart.set_spec(dose_response_spec())
    _settled(qtbot, chart)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug in a panel")

    monkeypatch.setattr(panels, "_draw_panel", broken)
    chart.draw_in_steps(_four_panels())
    assert not chart.updatesEnabled()
    assert chart._stepper is not None
    with pytest.raises(RuntimeError, match="a bug in a panel"):
        chart._stepper.turn()
    assert not chart.drawing and chart.updatesEnabled()

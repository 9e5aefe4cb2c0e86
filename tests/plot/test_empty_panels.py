"""An empty panel shows only its message on the shared axis: no made-up dose axis (pyqtgraph's 0 to 1) beside
its neighbours' real ones, and its plot lines up with theirs; a recycled plot gets its axis back."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.plot.test_panels import GROUPS, overlay
from tests.plot.test_render import shown_chart
from viewer.charts.panels import PanelGroup, split_panels
from viewer.plot.canvas import ChartWidget
from viewer.plot.result import RenderedChart


@pytest.fixture
def chart(qtbot: QtBot) -> ChartWidget:
    return shown_chart(qtbot)


def bottom_axis_shown(panel: RenderedChart) -> bool:
    axis = panel.plot.getAxis("bottom")
    return bool(axis.textPen().color().alpha() > 0 and axis.pen().style() != Qt.PenStyle.NoPen)


def test_an_empty_side_by_side_panel_draws_no_dose_axis_and_lines_up(chart: ChartWidget, qtbot: QtBot) -> None:
    rendered = chart.set_spec(split_panels(overlay(), GROUPS))  # ruxolitinib (the 4th) is empty
    qtbot.wait(1)
    tofa, rux = rendered.panels[2], rendered.panels[3]
    assert rux.spec.is_empty and not tofa.spec.is_empty
    assert not bottom_axis_shown(rux) and bottom_axis_shown(tofa)
    assert rux.plot.getAxis("left").isVisible()  # the shared response axis stays
    a, b = tofa.plot.vb.sceneBoundingRect(), rux.plot.vb.sceneBoundingRect()
    assert a.top() == pytest.approx(b.top(), abs=1) and a.bottom() == pytest.approx(b.bottom(), abs=1)
    # the same plots drawn again with data in every panel: the recycled axis is drawn again
    full = (*GROUPS[:3], PanelGroup("rux", "Ruxolitinib"))
    spec = overlay()
    rux_series = replace(spec.series[2], name="Ruxolitinib · trial", group="rux")
    again = chart.set_spec(split_panels(replace(spec, series=(*spec.series, rux_series)), full))
    qtbot.wait(1)
    assert again.panels[3].plot is rux.plot  # recycled
    assert not again.panels[3].spec.is_empty and bottom_axis_shown(again.panels[3])

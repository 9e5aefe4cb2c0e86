"""A click on a legend entry hides what it names and a second click shows it again, on one plot and in panels;
the chart keeps its axes, greys the entry and says in a footnote what is hidden. Real clicks on the view."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from tests.plot.test_panels import GROUPS, overlay
from tests.plot.test_render import shown_chart
from viewer.charts.hiding import hide
from viewer.charts.panels import split_panels
from viewer.plot.canvas import ChartWidget
from viewer.plot.legend import LegendBlock


def test_hiding_is_chart_data_that_moves_no_axis() -> None:
    spec = overlay()
    hidden = hide(spec, {"Filgotinib · FINCH 2", "no such entry"})
    assert [s.hidden for s in hidden.series] == [False, True, False]
    assert hidden.placement.x_range == spec.placement.x_range and hidden.placement.y_range == spec.placement.y_range
    assert hidden.footnotes[-1] == "Hidden on screen (click its legend entry to show it again): Filgotinib · FINCH 2."
    assert hide(spec, {"no such entry"}) is spec  # nothing named: nothing changes, nothing said
    panels = hide(split_panels(spec, GROUPS), {"Tofacitinib · ORAL Solo"})
    assert [s.hidden for s in panels.all_series()] == [False, False, True]


def click_entry(qtbot: QtBot, chart: ChartWidget, legend: LegendBlock, name: str) -> None:
    """A left click at the middle of ``name``'s entry, through the view as a user's would go."""
    box = legend.boundingRect()
    spot = next(
        QPointF(x, y)
        for y in range(0, int(box.height()), 2)
        for x in range(0, int(box.width()), 4)
        if legend.entry_at(float(x), float(y)) == name
    )
    where = chart.mapFromScene(legend.mapToScene(spot + QPointF(8.0, 4.0)))
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_a_click_on_an_entry_hides_its_series_and_a_second_shows_it(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(overlay())
    qtbot.wait(1)
    ranges = (rendered.x_range, rendered.y_range)
    assert rendered.legend is not None
    click_entry(qtbot, chart, rendered.legend, "Filgotinib · FINCH 2")
    qtbot.waitUntil(lambda: chart.rendered is not None and chart.rendered.spots("Filgotinib · FINCH 2") == [])
    again = chart.rendered
    assert again is not None and again.legend is not None
    assert again.legend.names() == rendered.legend.names()  # the entry stays, greyed, to show it again
    assert again.legend.hidden() == ["Filgotinib · FINCH 2"]
    assert len(again.spots("Upadacitinib · SELECT-NEXT")) == 3 and (again.x_range, again.y_range) == ranges
    assert again.footnotes is not None and "Hidden on screen" in again.footnotes.made_from[0]
    assert chart.spec is not None and not any(s.hidden for s in chart.spec.series)  # exports draw it all
    click_entry(qtbot, chart, again.legend, "Filgotinib · FINCH 2")
    qtbot.waitUntil(lambda: chart.rendered is not None and len(chart.rendered.spots("Filgotinib · FINCH 2")) == 3)
    assert chart.rendered is not None and chart.rendered.legend is not None and chart.rendered.legend.hidden() == []


def test_in_panels_an_entry_hides_its_trial_in_its_panel(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(split_panels(overlay(), GROUPS))
    qtbot.wait(1)
    upa = rendered.panels[0]
    assert upa.legend is not None
    click_entry(qtbot, chart, upa.legend, "SELECT-NEXT")
    qtbot.waitUntil(lambda: chart.rendered is not None and chart.rendered.spots("Upadacitinib · SELECT-NEXT") == [])
    assert chart.rendered is not None
    assert len(chart.rendered.spots("Filgotinib · FINCH 2")) == 3  # the other panels as they were
    legend = chart.rendered.panels[0].legend
    assert legend is not None and legend.hidden() == ["SELECT-NEXT"]
    chart.rendered.focus_series("Upadacitinib · SELECT-NEXT")  # a hidden series is not picked out
    assert chart.rendered.panels[0].focus is None or chart.rendered.panels[0].focus.keys == ()

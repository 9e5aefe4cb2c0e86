"""Focus: hovering a marker, a legend entry or choosing a row of the points list picks out a series (drawn
again on top) and fades the rest; in panels too. Read from the drawn items, not pixels."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tests.plot.test_panels import GROUPS, overlay
from tests.plot.test_render import shown_chart
from viewer.charts.panels import split_panels
from viewer.plot.hover import FADED_OPACITY


def test_hovering_a_marker_picks_out_its_series_and_fades_the_rest(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(overlay())
    qtbot.wait(1)
    spot = rendered.spots("Filgotinib · FINCH 2")[1]
    rendered.hover._on_hover(rendered.markers, [spot], None)
    focus = rendered.focus
    assert focus.keys == ("Filgotinib · FINCH 2",)
    assert rendered.markers.opacity() == FADED_OPACITY  # every other marker fades (the batch is faded)
    line, marks = focus._overlay
    assert list(line.getData()[0]) == [0, 100, 200] and marks.zValue() > rendered.markers.zValue()
    rendered.hover._on_hover(rendered.markers, [], None)  # the mouse leaves: the chart as drawn
    assert focus.keys == () and rendered.markers.opacity() == 1.0
    assert all(item.scene() is None for item in (line, marks))


def test_a_legend_entry_and_the_points_list_pick_out_series_in_panels(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(split_panels(overlay(), GROUPS))
    qtbot.wait(1)
    upa = rendered.panels[0]
    assert upa.legend is not None and upa.legend.on_hover is not None
    box = upa.legend.boundingRect()
    name = upa.legend.entry_at(box.width() / 2, box.height() / 2)
    assert name == "SELECT-NEXT"  # its only entry, centred
    upa.legend.on_hover(name)
    assert upa.focus.keys == ("Upadacitinib · SELECT-NEXT",)
    upa.legend.on_hover(None)
    assert upa.focus.keys == ()
    rendered.focus_series("Tofacitinib · ORAL Solo")  # a row of the points list
    assert rendered.panels[2].focus.keys == ("Tofacitinib · ORAL Solo",)
    assert upa.focus.keys == () and rendered.panels[1].focus.keys == ()
    rendered.focus_series(None)
    assert all(p.focus is None or p.focus.keys == () for p in rendered.panels)


def test_the_window_points_list_picks_out_the_series(qtbot: Any, make_main_window: Any) -> None:
    from viewer.charts.spec import ChartKind

    window = make_main_window()
    pane = window.chart_pane
    spec = pane.chart(ChartKind.DOSE_RESPONSE).spec
    assert spec is not None
    name = spec.all_series()[0].name
    pane.drawer.point_selected.emit(name)
    rendered = pane.chart(ChartKind.DOSE_RESPONSE).rendered
    assert rendered is not None and rendered.panel_of(name).focus.keys == (name,)

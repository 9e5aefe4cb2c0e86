"""Focus: hovering a marker, a legend entry or choosing a row of the points list picks out a series (drawn
again on top) and fades the rest; in panels too. Read from the drawn items, not pixels."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from tests.plot.test_panels import GROUPS, overlay
from tests.plot.test_render import shown_chart
from viewer.charts.panels import split_panels
from viewer.charts.placement import Arrow
from viewer.charts.spec import (
    ChartKind,
    ChartSpec,
    Mark,
    Marker,
    Orientation,
    Point,
    RefLine,
    Series,
    SeriesStyle,
    TextLabel,
)
from viewer.plot.hover import FADED_OPACITY
from viewer.plot.style import ARROWS, tint


def test_hovering_a_marker_picks_out_its_series_and_fades_the_rest(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(overlay())
    qtbot.wait(1)
    spot = rendered.spots("Filgotinib · FINCH 2")[1]
    rendered.hover._on_hover(rendered.markers, [spot], None)
    focus = rendered.focus
    assert focus.keys == ("Filgotinib · FINCH 2",)
    assert rendered.markers.opacity() == FADED_OPACITY  # every other marker fades (the batch is faded)
    line, bars, marks = focus._overlay
    assert list(line.getData()[0]) == [0, 100, 200] and marks.zValue() > rendered.markers.zValue()
    assert list(bars.getData()[1]) == [26, 36, 53, 63, 61, 71]  # its intervals, heavier, on top too
    rendered.hover._on_hover(rendered.markers, [], None)  # the mouse leaves: the chart as drawn
    assert focus.keys == () and rendered.markers.opacity() == 1.0
    assert all(item.scene() is None for item in (line, bars, marks))


def test_a_redraw_while_a_series_is_picked_out_draws_every_marker_again_with_its_own_tooltip(qtbot: QtBot) -> None:
    """The shared scatter items are handed on to the next drawing: not faded, and hovering them shows the new
    drawing's series (the last drawing's tooltips are detached)."""
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(overlay())
    qtbot.wait(1)
    old_markers = rendered.markers
    rendered.hover._on_hover(rendered.markers, [rendered.spots("Filgotinib · FINCH 2")[1]], None)
    assert rendered.markers.opacity() == FADED_OPACITY
    picked: list[Any] = []
    rendered.focus.set = picked.append  # the old drawing's focus must hear nothing more
    again = chart.set_spec(overlay())
    assert again.markers is old_markers and again.markers.opacity() == 1.0
    assert all(item.opacity() == 1.0 for item in (again.caps, again.arrows) if item is not None)
    spot = again.spots("Filgotinib · FINCH 2")[1]
    again.markers.sigHovered.emit(again.markers, [spot], None)
    assert again.focus.keys == ("Filgotinib · FINCH 2",) and picked == []


def test_a_redraw_hands_on_its_lines_whiskers_reference_lines_and_labels(qtbot: QtBot) -> None:
    """A redraw gives the last drawing's line, whisker, reference-line and label items their new data in place (a
    new item and its trip out of the plot and back cost more): not faded, nothing of the last drawing left over,
    and what the next drawing does not draw is taken out."""
    chart = shown_chart(qtbot)
    spec = replace(overlay(), labels=(TextLabel(100.0, 20.0, "favours drug"),))
    first = chart.set_spec(spec)
    qtbot.wait(1)
    first.hover._on_hover(first.markers, [first.spots("Filgotinib · FINCH 2")[1]], None)
    assert {item.opacity() for item in (*first.line_items, *first.whisker_items)} == {FADED_OPACITY}

    def up(p: Point) -> Point:
        assert p.low is not None and p.high is not None
        return replace(p, y=p.y + 10, low=p.low + 10, high=p.high + 10)

    moved = replace(
        spec,
        series=tuple(replace(s, points=tuple(up(p) for p in s.points)) for s in spec.series),
        ref_lines=(RefLine(10.0, vertical=False),),
    )
    second = chart.set_spec(moved)
    for name in ("line_items", "whisker_items", "ref_lines", "labels"):
        old, new = getattr(first, name), getattr(second, name)
        assert len(new) == 1 and new[0] is old[0] and new[0].opacity() == 1.0, name
    ys = [p.y for s in moved.series for p in s.points]
    assert list(second.whisker_items[0].opts["y"]) == ys and list(second.line_items[0].getData()[1]) == ys
    assert second.ref_lines[0].value() == 10.0
    drawn = [second.markers, second.caps, *second.line_items, *second.whisker_items, *second.ref_lines, *second.labels]
    assert all(item.scene() is chart.scene() for item in drawn)
    assert {id(item) for item in second.plot.items} == {id(item) for item in drawn}  # nothing else, nothing older
    third = chart.set_spec(replace(overlay(), ref_lines=()))
    assert third.whisker_items[0] is first.whisker_items[0]
    assert first.ref_lines[0].scene() is None and first.labels[0].scene() is None


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


def test_a_picked_out_series_keeps_its_evidence_marks_areas_and_arrowheads(qtbot: QtBot) -> None:
    """The focus redraw used to fill every marker: a recalled or secondary figure looked primary while picked."""
    points = (
        Point(1.0, 3.0, 0.5, 2.0, mark=Mark.PRIMARY, area=2.25),
        Point(1.2, 2.0, 0.8, 1.9, mark=Mark.SECONDARY),
        Point(0.9, 1.0, 0.4, 1.5, mark=Mark.RECALLED),
        Point(30.0, 0.0, 12.0, 50.0),  # beyond the axis: an arrowhead
    )
    series = Series(
        "Upadacitinib", "#0072B2", Marker.SQUARE, points, style=SeriesStyle.SCATTER, orientation=Orientation.HORIZONTAL
    )
    spec = ChartSpec(ChartKind.FOREST, "RR", "RR", "", series=(series,), x_log=True, x_range=(0.2, 5.0))
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(spec)
    qtbot.wait(1)
    rendered.focus_series("Upadacitinib")
    marks = rendered.focus._overlay[-1]
    primary, secondary, recalled, arrow = marks.points()
    theme = chart.theme
    assert primary.brush().color().name() == "#0072b2"
    assert secondary.brush().color().name() == tint("#0072B2", theme.background)
    assert recalled.brush().color().name() == QColor(theme.background).name()
    assert recalled.pen().style() == Qt.PenStyle.DashLine and primary.pen().style() == Qt.PenStyle.SolidLine
    assert primary.size() == pytest.approx(1.5 * secondary.size())  # area 2.25: side 1.5 times
    assert arrow.symbol() is ARROWS[Arrow.RIGHT] and arrow.pos().x() == pytest.approx(math.log10(5.0))
    drawn = {round(s.pos().y()): s for s in rendered.spots("Upadacitinib")}
    assert drawn[2].brush().color() == secondary.brush().color()  # as the chart drew it, only larger

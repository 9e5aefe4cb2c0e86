"""Side-by-side panels title their shared x axis once, under the last row and across every column; the
response axis once per row; every panel keeps its tick labels."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.plot.test_panels import GROUPS, overlay
from tests.plot.test_render import shown_chart
from viewer.charts.panels import split_panels
from viewer.plot.text import PlainLabel


def _shared_titles(chart: object) -> list[PlainLabel]:
    grid = chart.rendered.panel_grid  # type: ignore[attr-defined]
    return [item for item in grid.items if isinstance(item, PlainLabel) and item.made_from[0] == overlay().x_label]


def test_a_grid_titles_its_dose_axis_once_under_the_last_row(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(split_panels(overlay(), GROUPS))
    qtbot.wait(1)
    assert not any(p.plot.getAxis("bottom").label.isVisible() for p in rendered.panels)
    assert all(p.plot.getAxis("bottom").style["showValues"] for p in rendered.panels)  # ticks kept everywhere
    (title,) = _shared_titles(chart)
    box = title.sceneBoundingRect()
    plots = [p.plot.sceneBoundingRect() for p in rendered.panels]
    bottom_row = plots[2:]
    assert box.top() >= max(p.bottom() for p in bottom_row) - 1  # under the last row's plots (and ticks)
    assert box.left() <= plots[2].left() + 1 and box.right() >= plots[3].right() - 1  # across both columns
    legends = [p.legend for p in rendered.panels[2:] if p.legend is not None]
    assert all(legend.sceneBoundingRect().top() >= box.bottom() - 1 for legend in legends)  # the legends below it


def test_a_row_of_three_shares_the_title_and_a_redraw_keeps_one(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(split_panels(overlay(), GROUPS[:3]))
    qtbot.wait(1)
    assert len(_shared_titles(chart)) == 1
    assert not any(p.plot.getAxis("bottom").label.isVisible() for p in rendered.panels)
    again = chart.set_spec(split_panels(overlay(), GROUPS[:3]))
    assert again.panel_grid is rendered.panel_grid and len(_shared_titles(chart)) == 1  # reused, not doubled


def test_a_single_panel_keeps_its_own_axis_title(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot)
    rendered = chart.set_spec(split_panels(overlay(), GROUPS[:1]))
    qtbot.wait(1)
    assert rendered.panels[0].plot.getAxis("bottom").label.isVisible()
    assert _shared_titles(chart) == []

"""A chart tab's widget is made when the tab is first shown, not at start-up (bench: startup_ratio), and a
user sees no difference: its shortcut shows it drawn, Tab reaches it, the remembered tab comes back drawn."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from viewer.charts.spec import ChartKind
from viewer.ui.chart_pane import TAB_TITLES, TabChart


def activated(make_main_window: Any, qtbot: Any, **kwargs: Any) -> Any:
    window = make_main_window(**kwargs)
    handle = window.windowHandle()
    handle.requestActivate()  # shortcuts reach the active window only
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_only_the_shown_tab_has_a_chart_at_start(make_main_window: Any) -> None:
    pane = make_main_window().chart_pane
    made = pane.charts.made()
    assert [c.objectName() for c in made] == ["chart-dose-response"]
    assert made[0].spec is not None and made[0].isVisible()
    assert pane.tabs.count() == len(TAB_TITLES) + 1  # every tab is there, with its title and tip
    assert [pane.tabs.tabText(i) for i in range(len(TAB_TITLES))] == list(TAB_TITLES.values())


def test_each_tab_shortcut_shows_its_chart_drawn(make_main_window: Any, qtbot: Any) -> None:
    window = activated(make_main_window, qtbot)
    pane = window.chart_pane
    for index, kind in enumerate(TAB_TITLES):
        qtbot.keyClick(window.catalog_pane.search, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
        assert pane.current_kind() is kind
        chart = pane.charts.made()[-1] if kind is not ChartKind.DOSE_RESPONSE else pane.chart(kind)
        assert isinstance(chart, TabChart) and chart is pane.chart(kind)
        assert chart.isVisible() and chart.spec is not None and chart.rendered is not None
        assert chart.size() == chart.parentWidget().size()  # laid out in its page before it was drawn
    assert len(pane.charts.made()) == len(TAB_TITLES)


def after_tab(qtbot: Any, widget: Any) -> Any:
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return QApplication.focusWidget()


def test_tab_reaches_a_chart_made_later_as_the_first_one(make_main_window: Any, qtbot: Any) -> None:
    """From the tab bar, Tab goes to the shown chart and then on to the drawer below it, for the chart made
    at start-up and for one made since (not last in the window, after the drawer made before it)."""
    window = activated(make_main_window, qtbot)
    pane = window.chart_pane
    bar = pane.tabs.tabBar()
    walks = []
    for kind in (ChartKind.DOSE_RESPONSE, ChartKind.FOREST):
        pane.show_kind(kind)
        bar.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(bar.hasFocus)
        chart = after_tab(qtbot, bar)
        assert chart is pane.chart(kind)
        walks.append(after_tab(qtbot, chart))
    assert walks[0] is walks[1] and pane.drawer.isAncestorOf(walks[0])


def test_the_remembered_tab_comes_back_drawn(make_main_window: Any, settings: Any) -> None:
    first = make_main_window()
    first.chart_pane.show_kind(ChartKind.SELECTIVITY)
    first.close()  # saves the tab
    pane = make_main_window(settings=settings).chart_pane
    assert pane.current_kind() is ChartKind.SELECTIVITY
    chart = pane.chart(ChartKind.SELECTIVITY)
    assert chart.isVisible() and chart.spec is not None and chart.spec.kind is ChartKind.SELECTIVITY

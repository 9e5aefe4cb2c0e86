"""Keyboard and accessibility: Tab through every pane and back with no trap, names on every control,
a chart described from its spec, point details without hover, shortcuts listed in Help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from viewer.charts.describe import describe, plotted_points
from viewer.charts.spec import ChartKind
from viewer.ui.main_window import MainWindow

Make = Callable[..., MainWindow]
MAX_PRESSES = 60


def shown_window(make_main_window: Make, qtbot: Any) -> MainWindow:
    window = make_main_window()
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def walk(qtbot: Any, start: QWidget, key: Qt.Key) -> list[QWidget]:
    """Press ``key`` from ``start`` until focus comes back to it; the widgets visited, in order."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    visited: list[QWidget] = [start]
    for _ in range(MAX_PRESSES):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, key)
        now = QApplication.focusWidget()
        assert now is not None
        if now is start:
            return visited
        visited.append(now)
    raise AssertionError(f"focus never came back after {MAX_PRESSES} presses: {[w.objectName() for w in visited]}")


def test_tab_goes_through_every_pane_and_back_without_a_trap(qtbot: Any, make_main_window: Make) -> None:
    window = shown_window(make_main_window, qtbot)
    search = window.catalog_pane.search
    forward = walk(qtbot, search, Qt.Key.Key_Tab)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    stops = [
        window.catalog_pane.table,
        window.datasets_pane.list,
        window.controls.outcome,
        window.chart_pane.tabs.tabBar(),
        chart,
        window.chart_pane.drawer.points,
        window.details_pane,
    ]
    for widget in stops:
        assert forward.count(widget) == 1, widget.objectName()  # reached, and left after one press
    order = [forward.index(w) for w in stops]
    assert order == sorted(order)  # catalog, controls, charts, details: left to right
    assert len(forward) < 35  # the whole window in a few dozen presses, not 60 in the drug table alone
    backward = walk(qtbot, search, Qt.Key.Key_Backtab)
    assert backward[1:] == list(reversed(forward[1:]))  # Shift+Tab retraces the same stops


def test_focus_is_visible_on_every_stop(qtbot: Any, make_main_window: Make) -> None:
    window = shown_window(make_main_window, qtbot)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    highlight = chart.palette().color(QPalette.ColorRole.Highlight).name()
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus)
    edge = chart.grab().toImage()
    assert edge.pixelColor(1, chart.height() // 2).name() == highlight  # a frame in the highlight colour
    window.chart_pane.tabs.tabBar().setFocus()
    qtbot.waitUntil(lambda: not chart.hasFocus())
    assert chart.grab().toImage().pixelColor(1, chart.height() // 2).name() != highlight  # gone with the focus
    for widget in walk(qtbot, window.catalog_pane.search, Qt.Key.Key_Tab):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.objectName()


def test_every_control_and_chart_has_an_accessible_name(qtbot: Any, make_main_window: Make) -> None:
    window = shown_window(make_main_window, qtbot)
    kinds = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QTextEdit, QTabBar)
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisibleTo(window):
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text.replace("&", "").strip() or isinstance(widget, QTabBar)):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    assert not unnamed, unnamed
    for kind, chart in window.chart_pane.charts.items():
        assert chart.accessibleName().endswith("chart"), kind
    spec = window.chart_pane.spec(ChartKind.DOSE_RESPONSE)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    assert chart.accessibleDescription() == describe(spec)
    assert spec.title in chart.accessibleDescription() and "Upadacitinib" in chart.accessibleDescription()
    assert f"{len(plotted_points(spec))} points" in chart.accessibleDescription()


def test_point_details_without_hover(qtbot: Any, make_main_window: Make) -> None:
    window = shown_window(make_main_window, qtbot)
    drawer = window.chart_pane.drawer
    window.view.points_action.trigger()
    assert drawer.panel.isVisible()
    spec = window.chart_pane.spec(ChartKind.DOSE_RESPONSE)
    points = plotted_points(spec)
    assert drawer.model.rowCount() == len(points) > 20
    drawer.table.setFocus()
    qtbot.keyClick(drawer.table, Qt.Key.Key_Down)
    row = drawer.table.currentIndex().row()
    assert drawer.detail.toPlainText() == points[row].details  # the marker's tooltip text, hover-free
    assert points[row].details in {p.tooltip for s in spec.all_series() for p in s.points}
    window.chart_pane.show_kind(ChartKind.FOREST)
    assert drawer.model.rowCount() == len(plotted_points(window.chart_pane.spec(ChartKind.FOREST)))


def test_space_ticks_the_current_drug_and_tab_leaves_the_table(qtbot: Any, make_main_window: Make) -> None:
    window = shown_window(make_main_window, qtbot)
    table = window.catalog_pane.table
    window.state.set_focused_drug("filgotinib")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    assert "filgotinib" not in window.state.query.drugs
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert "filgotinib" in window.state.query.drugs
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()


def test_help_lists_every_shortcut_from_the_actions(qtbot: Any, make_main_window: Make) -> None:
    window = shown_window(make_main_window, qtbot)
    dialog = window.view.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    keys = {keys for _what, keys, _where in rows}
    for action in (window.open_action, window.copy_action, window.details_action, *window.tab_actions):
        shown = action.shortcut().toString()
        assert any(shown in k for k in keys), action.text()
    assert ("Keyboard shortcuts", "Ctrl+/", "Help") in rows
    assert any(where == "Details pane" and "Ctrl+Tab" in k for _w, k, where in rows)
    assert dialog.table.tabKeyNavigation() is False

"""The registry dock's pane is built when the dock is first shown, not at start-up (bench: startup_ratio),
and a user sees no difference: the shortcut opens it whole, a dock left open comes back open, with its pane."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from viewer.ui.registry_pane import RegistryPane


def test_the_shortcut_opens_the_dock_with_its_pane(make_main_window: Any, qtbot: Any) -> None:
    window = make_main_window()
    dock = window.registry
    assert not dock.pane_built() and dock.widget() is None and not dock.isVisible()
    assert dock.toggle.shortcut().toString() == "Ctrl+Shift+F" and "(Ctrl+Shift+F)" in dock.toggle.toolTip()
    handle = window.windowHandle()
    handle.requestActivate()  # shortcuts reach the active window only
    qtbot.waitUntil(window.isActiveWindow)
    search = window.catalog_pane.search
    search.setFocus()
    qtbot.keyClick(search, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert dock.isVisible() and dock.toggle.isChecked()
    pane = dock.widget()
    assert isinstance(pane, RegistryPane) and pane is dock.pane and pane.isVisible()  # in the same turn
    assert pane.status.text() == "Not connected." and pane.location.isVisible()
    dock.toggle.trigger()
    assert not dock.isVisible() and dock.pane is pane  # hidden, kept


def test_a_dock_left_open_comes_back_open_with_its_pane(make_main_window: Any, settings: Any) -> None:
    first = make_main_window()
    first.registry.toggle.trigger()
    first.close()  # saves the window's state
    second = make_main_window(settings=settings)
    assert second.registry.isVisible() and second.registry.toggle.isChecked()
    assert isinstance(second.registry.widget(), RegistryPane) and second.registry.widget().isVisible()


def test_a_window_whose_dock_was_never_shown_closes_without_building_it(make_main_window: Any) -> None:
    window = make_main_window()
    window.close()
    assert not window.registry.pane_built()

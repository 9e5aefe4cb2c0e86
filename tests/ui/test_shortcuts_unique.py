"""Every command of the window can be reached from the keyboard, no two keys clash, and each says what it does.

Collected from the window itself: every QAction (menus, submenus, the Options pop-up, the panes), every
button's and field label's Alt key and the menu bar's; Qt's own (a search box's clear button, pyqtgraph's
scene menu, which the charts never show) and the pop-ups' holders are left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGraphicsScene, QLabel, QLineEdit, QMenu, QWidgetAction

from viewer.ui.main_window import MainWindow
from viewer.ui.theme import Theme

Make = Callable[..., MainWindow]


def commands(window: MainWindow) -> list[QAction]:
    return [
        a
        for a in window.findChildren(QAction)
        if a.text()
        and not a.isSeparator()
        and a.menu() is None
        and not isinstance(a, QWidgetAction)
        and not isinstance(a.parent(), (QLineEdit, QGraphicsScene))
    ]


def menu_commands(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += menu_commands(sub)
        elif not action.isSeparator():
            found.append(action)
    return found


def keys(window: MainWindow) -> list[tuple[str, str]]:
    """(key, what it does) for every key the window answers to."""
    actions = [a for a in window.findChildren(QAction) if not isinstance(a.parent(), (QLineEdit, QGraphicsScene))]
    found = [(k.toString(), a.text() or a.toolTip()) for a in actions for k in a.shortcuts() if not k.isEmpty()]
    found += [(QKeySequence.mnemonic(a.text()).toString(), a.text()) for a in window.menuBar().actions()]
    found += [
        (b.shortcut().toString(), b.text()) for b in window.findChildren(QAbstractButton) if not b.shortcut().isEmpty()
    ]
    labels = [label for label in window.findChildren(QLabel) if label.buddy() is not None]
    found += [(QKeySequence.mnemonic(label.text()).toString(), label.text()) for label in labels]
    return [(key, what) for key, what in found if key]


def test_no_two_commands_share_a_key(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    window.registry.toggle.trigger()  # the registry dock's keys too
    found = keys(window)
    assert len(found) > 50  # menus, Options, the fields' and toggles' Alt keys, the registry dock's
    assert ("Ctrl+Return", "") in found and ("Alt+B", "Place&bo-controlled") in found
    counts = Counter(key for key, _what in found)
    assert [(key, what) for key, what in found if counts[key] > 1] == []


def test_every_menu_command_has_a_key_a_tooltip_and_a_status_tip(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    in_menus = [a for m in window.menuBar().actions() if isinstance(m.menu(), QMenu) for a in menu_commands(m.menu())]
    recent = set(window.sessions.recent_menu.actions())  # files named by path: their tooltip is the path
    for action in in_menus:
        if action in recent:
            continue
        assert not action.shortcut().isEmpty(), action.text()
        assert action.toolTip() != action.text().replace("&", ""), action.text()  # not Qt's default: the text
        assert action.statusTip(), action.text()
    assert {"Follow the desktop", "Light", "Dark"} <= {a.text() for a in in_menus}  # View > Theme


def test_every_command_says_what_it_does(qtbot: Any, make_main_window: Make) -> None:
    """The Options pop-up's choices too: a tooltip (shown in the pop-up) and the status bar's line."""
    window = make_main_window()
    found = commands(window)
    assert {"Newcombe", "Random effects", "One panel per drug", "All trials"} <= {a.text() for a in found}
    silent = [
        a.text() for a in found if a.isEnabled() and (a.toolTip() == a.text().replace("&", "") or not a.statusTip())
    ]
    assert silent == []


def test_the_theme_keys_switch_the_theme(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for letter, theme in ((Qt.Key.Key_D, Theme.DARK), (Qt.Key.Key_L, Theme.LIGHT), (Qt.Key.Key_S, Theme.SYSTEM)):
        qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window, letter)
        assert window.settings.get_str("view/theme") == theme.value
        assert window.view.theme_actions[theme].isChecked()

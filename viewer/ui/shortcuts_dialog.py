"""Help > Keyboard shortcuts: every action's shortcut, read from the actions themselves, and the keys of each pane.

The list is generated, so a shortcut added to an action appears here without anyone editing a help text;
the pane keys (which are key handling, not actions) are listed once, in :data:`PANE_KEYS`.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

PANE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Move to the next or previous pane or control", "Tab, Shift+Tab", "Window"),
    ("Move between rows", "Up, Down, Page Up, Page Down", "Drug catalog"),
    ("Tick or untick the current drug for the charts", "Space", "Drug catalog"),
    ("Walk the source links; open the highlighted one", "Ctrl+Tab, Ctrl+Shift+Tab; Enter", "Details pane"),
    ("Scroll", "Up, Down, Page Up, Page Down, Home, End", "Details pane"),
    ("Open or close a cell's full text (on a question: the whole row)", "Enter, Space", "Compare table"),
    ("Copy the selected cells (tab-separated and HTML)", "Ctrl+C", "Compare table"),
    ("Step through the plotted points; the selected one's source shows beside", "Up, Down", "Points list"),
)


def action_rows(actions: Iterable[QAction], menus: Iterable[QMenu]) -> list[tuple[str, str, str]]:
    """(what, keys, where) for every action with a shortcut, named by the menu that holds it."""
    where: dict[int, str] = {}
    for menu in menus:
        for action in menu.actions():
            where.setdefault(id(action), menu.title().replace("&", ""))
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if not keys or id(action) in seen:
            continue
        seen.add(id(action))
        text = action.text().replace("&", "").rstrip("…").strip()
        rows.append((text, ", ".join(keys), where.get(id(action), "Window")))
    return rows


class ShortcutsDialog(QDialog):
    """A read-only table of shortcuts (keyboard-navigable, copyable with Ctrl+C per cell)."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys", "Where"])
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def rows(self) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        for r in range(self.table.rowCount()):
            what, keys, where = (self.table.item(r, c) for c in range(3))
            assert what is not None and keys is not None and where is not None
            out.append((what.text(), keys.text(), where.text()))
        return out

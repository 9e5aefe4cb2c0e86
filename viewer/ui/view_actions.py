"""The window's View and Help additions: theme, compact controls, chart notes, the points list, the details
toggle, the layout that adapts to a small window, and Help > Keyboard shortcuts.

Kept out of ``main_window`` (which composes the panes) as one object over the window's panes:

* **Theme** (View > Theme): the desktop's palette, or a fixed light or dark one; remembered.
* **A small window keeps its plot**: below :data:`NARROW` pixels wide the drugs and details panes start
  folded away (the "Drugs pane" and "Details pane" buttons in the status bar, Ctrl+Shift+B and
  Ctrl+Shift+D, bring them back; the controls then offer the drugs in a pop-up); below :data:`LOW`
  pixels high the controls fold into one row, which takes in the chart's Notes and Points toggles and
  stands in for the chart's title on screen, and the chart notes fold away. A user's own choices are
  remembered and win over these defaults until Reset layout.
* **The compare table shows every drug's details**, so the details pane steps aside while it is the
  current tab and comes back when another tab is chosen (unless the user brought it back meanwhile).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from viewer.ui.theme import Theme, apply_theme

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow
    from viewer.ui.settings import Settings
    from viewer.ui.shortcuts_dialog import ShortcutsDialog

NARROW = 1200  # below this window width the details pane starts folded away
LOW = 800  # below this window height the controls take one row and the chart notes fold away
# Ctrl+T, then the theme's letter: one chord each (no single key was free of the desktop's own: Ctrl+Alt+L and
# Ctrl+Alt+D lock the screen or show the desktop on common Linux desktops).
THEME_KEYS: dict[Theme, str] = {Theme.SYSTEM: "Ctrl+T, S", Theme.LIGHT: "Ctrl+T, L", Theme.DARK: "Ctrl+T, D"}


def saved_theme(settings: Settings) -> Theme:
    """The theme chosen in View > Theme last time (the desktop's when none was, or it cannot be read)."""
    value = settings.get_str("view/theme")
    return Theme(value) if value in set(Theme) else Theme.SYSTEM


def apply_saved_theme(settings: Settings) -> None:
    """Put the saved theme in force before the window is built, so every pane and chart is made in it
    (a chart built light and turned dark afterwards would be drawn twice at start-up)."""
    app = QApplication.instance()
    theme = saved_theme(settings)
    if isinstance(app, QApplication) and theme is not Theme.SYSTEM:
        apply_theme(app, theme)


class ViewActions(QObject):
    """Owns the actions; ``install`` puts them in the View and Help menus."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        settings = window.settings
        self._details_stepped_aside = False

        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_actions: dict[Theme, QAction] = {}
        for theme in Theme:
            action = QAction(theme.label, self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(THEME_KEYS[theme]))
            tip = f"Window theme: {theme.label.lower()}"
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(lambda _c=False, t=theme: self.set_theme(t))
            self.theme_group.addAction(action)
            self.theme_actions[theme] = action
        chosen = saved_theme(settings)
        self.theme_actions[chosen].setChecked(True)
        if chosen is not Theme.SYSTEM:
            self.set_theme(chosen)

        self.compact_action = window._action(
            "&Compact controls",
            "Ctrl+Shift+K",
            "Fold the chart controls into one row (the outcome and a summary of the rest)",
            window.controls.set_compact,
            checkable=True,
        )
        self.compact_action.setChecked(window.controls.is_compact())
        window.controls.compact_changed.connect(lambda on: self._sync_check(self.compact_action, on))
        self.notes_action = window._action(
            "Chart &notes",
            "Ctrl+Shift+N",
            "Show or fold away the footnotes and sources under the charts (exports always carry them)",
            window.chart_pane.show_notes,
            checkable=True,
        )
        self.notes_action.setChecked(True)
        window.chart_pane.drawer.notes.toggled.connect(lambda on: self._sync_check(self.notes_action, on))
        self.points_action = window._action(
            "&Points list",
            "Ctrl+Shift+P",
            "List the current chart's points with their sources (point details without a mouse)",
            window.chart_pane.drawer.points.setChecked,
            checkable=True,
        )
        window.chart_pane.drawer.points.toggled.connect(lambda on: self._sync_check(self.points_action, on))
        self.shortcuts_action = window._action(
            "&Keyboard shortcuts",
            "Ctrl+/",
            "Every keyboard shortcut and the keys of each pane",
            self.show_shortcuts,
        )
        window.addActions([self.compact_action, self.notes_action, self.points_action, self.shortcuts_action])
        window.addActions(list(self.theme_actions.values()))  # their keys work with the menu bar hidden too
        # The one-row controls carry the chart's Notes and Points toggles, and the row under the chart folds.
        self.notes_action.setIconText("Notes")
        self.points_action.setIconText("Points")
        window.controls.add_compact_actions([self.notes_action, self.points_action])
        window.controls.compact_changed.connect(self._follow_compact)
        self._follow_compact(window.controls.is_compact())
        # With the drugs pane folded away, the controls offer the drugs in a pop-up.
        window.controls.drugs.set_command(window.drugs_action)
        window.controls.drugs.take_rows(lambda: window.catalog_pane.model.rows)
        window.drugs_action.toggled.connect(lambda on: window.controls.set_drugs_shown(not on))
        window.controls.set_drugs_shown(not window.drugs_action.isChecked())

        # In the status bar, always in sight (the tab bar's corner would push the last tabs off it).
        self.drugs_button = self._pane_button(window.drugs_action, "drugsToggle", "Show or hide the drugs pane", 0)
        self.details_button = self._pane_button(
            window.details_action, "detailsToggle", "Show or hide the details pane", 1
        )
        window.details_action.toggled.connect(self._on_details_toggled)
        window.chart_pane.tabs.currentChanged.connect(lambda _i: self._follow_tab())

    def _pane_button(self, action: QAction, name: str, accessible: str, place: int) -> QToolButton:
        button = QToolButton(self._window)
        button.setObjectName(name)
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setAccessibleName(accessible)
        self._window.statusBar().insertPermanentWidget(place, button)
        return button

    def _follow_compact(self, on: bool) -> None:
        """One-row controls take in the chart's toggles and stand in for its title (they name its outcome,
        timepoint and population); every control shown gives both back."""
        self._window.chart_pane.drawer.set_bar_shown(not on)
        self._window.chart_pane.show_titles(not on)

    @staticmethod
    def _sync_check(action: QAction, on: bool) -> None:
        if action.isChecked() != on:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def install(self, view_menu: QMenu, help_menu: QMenu) -> None:
        theme_menu = QMenu("&Theme", view_menu)
        theme_menu.addActions(list(self.theme_actions.values()))
        first = view_menu.actions()[0]  # the window's own View entries come first: these go before them
        view_menu.insertActions(first, [self.compact_action, self.notes_action, self.points_action])
        view_menu.insertSeparator(first)
        view_menu.addSeparator()
        view_menu.addMenu(theme_menu)
        help_menu.insertAction(help_menu.actions()[0], self.shortcuts_action)

    # -- theme ----------------------------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self._sync_check(self.theme_actions[theme], True)
        self._window.settings.set("view/theme", theme.value)

    # -- layout ---------------------------------------------------------------------------------------

    def adapt(self, width: int, height: int) -> None:
        """The defaults for a window of this size (see the module docstring); called by Reset layout."""
        self._window.details_action.setChecked(width >= NARROW)
        self._window.drugs_action.setChecked(width >= NARROW)
        self._window.controls.set_compact(height < LOW)
        self._window.chart_pane.show_notes(height >= LOW)

    def restore(self) -> None:
        """The remembered compact controls and chart notes (the window restores the details pane itself)."""
        s = self._window.settings
        self._window.controls.set_compact(s.get_bool("view/compact_controls"))
        self._window.chart_pane.show_notes(s.get_bool("view/chart_notes"))

    def save(self) -> None:
        s = self._window.settings
        s.set("view/compact_controls", self._window.controls.is_compact())
        s.set("view/chart_notes", self._window.chart_pane.notes_shown())
        s.set("view/details_visible", self._window.details_action.isChecked() or self._details_stepped_aside)

    def _follow_tab(self) -> None:
        """On the compare table the details pane steps aside; it returns on leaving, if it stepped aside.
        The chart's Notes and Points toggles are off there (the table has neither)."""
        on_compare = self._window.chart_pane.current_kind() is None
        for action in (self.notes_action, self.points_action):
            action.setEnabled(not on_compare)
        details = self._window.details_action
        if on_compare and details.isChecked():
            details.setChecked(False)
            self._details_stepped_aside = True
        elif not on_compare and self._details_stepped_aside:
            self._details_stepped_aside = False
            details.setChecked(True)

    def _on_details_toggled(self, on: bool) -> None:
        if on:  # shown by the user (or by leaving the compare tab): nothing to bring back any more
            self._details_stepped_aside = False

    # -- help -----------------------------------------------------------------------------------------

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """Every action of the window with a shortcut (from the actions), then the keys of each pane."""
        from viewer.ui.shortcuts_dialog import PANE_KEYS, action_rows  # Help > Keyboard shortcuts only

        window = self._window
        menus = [m for a in window.menuBar().actions() if isinstance(m := a.menu(), QMenu)]
        actions = [a for m in menus for a in _walk(m)] + window.actions() + window.chart_pane.actions()
        return action_rows(actions, menus) + list(PANE_KEYS)

    def show_shortcuts(self) -> ShortcutsDialog:
        """The dialog and its Qt classes (QDialog, QTableWidget, QDialogButtonBox) are made on first use,
        not before the window's first paint."""
        from viewer.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.shortcut_rows(), self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog


def _walk(menu: QMenu) -> list[QAction]:
    """A menu's actions, submenus' included, in menu order."""
    out: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        out += _walk(sub) if isinstance(sub, QMenu) else [action]
    return out


__all__ = ["LOW", "NARROW", "ViewActions", "apply_saved_theme", "saved_theme"]

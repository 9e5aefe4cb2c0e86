"""The registry dock: View > Registry search (Ctrl+Shift+F) shows it on the window's left; its pane is built
the first time it is shown or asked for.

Most windows never search the registry, and the pane brings the registry client, its search and the
session files with it (~18 ms of imports and ~4 ms of widgets before the first paint on this machine:
``bench``, ``startup_ratio``). So the dock is made at start-up, as before (its action, shortcut and tooltip,
and the place and visibility ``QMainWindow.restoreState`` gives it), and only its pane waits: it is built
before the dock is first made visible, or when a reopened session has registry studies to read again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow

if TYPE_CHECKING:
    from viewer.charts.query import Query
    from viewer.session_file import RegistryRef
    from viewer.ui.loader import LoadOutcome
    from viewer.ui.registry_pane import RegistryPane
    from viewer.ui.settings import Settings
    from viewer.ui.state import AppState

SHORTCUT = "Ctrl+Shift+F"
TIP = "Search the whole ClinicalTrials.gov registry (AACT) and bring studies into the comparison"


class RegistryDock(QDockWidget):
    """The dock, hidden until asked for; :attr:`pane` builds the pane on first use."""

    def __init__(
        self, window: QMainWindow, state: AppState, settings: Settings, merge: Callable[[LoadOutcome], None]
    ) -> None:
        super().__init__("Registry (AACT)", window)
        self.setObjectName("registryDock")
        self._state, self._settings, self._merge = state, settings, merge
        self._pane: RegistryPane | None = None
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self)
        self.hide()
        self.toggle = self.toggleViewAction()
        self.toggle.setText("&Registry search")
        self.toggle.setShortcut(QKeySequence(SHORTCUT))
        self.toggle.setToolTip(f"{TIP} ({SHORTCUT})")
        self.toggle.setStatusTip(TIP)
        self.toggle.triggered.connect(self._toggled)

    @property
    def pane(self) -> RegistryPane:
        """The pane, built (and put in the dock) on first use."""
        if self._pane is None:
            from viewer.ui.registry_pane import RegistryPane  # the registry client and search: on first use

            self._pane = RegistryPane(self._state, self._settings, self._merge)
            self.setWidget(self._pane)
        return self._pane

    def pane_built(self) -> bool:
        return self._pane is not None

    def setVisible(self, visible: bool) -> None:
        """The pane is in the dock before the dock is first shown (by its action or a restored state), so
        the dock's first frame and size are those of the pane, as when it was built at start-up."""
        if visible:
            self.pane  # noqa: B018 (built for its side effect)
        super().setVisible(visible)

    def _toggled(self, on: bool) -> None:
        if on:
            self.pane.on_shown()

    def reopen(self, refs: Sequence[RegistryRef], query: Query) -> None:
        """Read a reopened session's registry studies again (the pane built if need be), then show ``query``."""
        self.pane.reopen(refs, query)

    def close_client(self) -> None:
        """Close the registry connection, if the pane ever opened one."""
        if self._pane is not None:
            self._pane.client.close()


def install_registry(
    window: QMainWindow, state: AppState, settings: Settings, merge: Callable[[LoadOutcome], None]
) -> RegistryDock:
    """The registry dock, hidden until asked for; ``merge`` is the window's own merge of a load."""
    return RegistryDock(window, state, settings, merge)

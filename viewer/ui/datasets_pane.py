"""The list of loaded datasets: the shipped catalog and the user's files, with Open and Remove.

Shipped datasets cannot be removed (they are the reference the user's files are read against); user
datasets can, and removing one simply rebuilds the catalog without it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset, Origin
from viewer.plot.text import plain_tooltip
from viewer.ui.state import AppState

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(dataset: Dataset) -> str:
    """One line: label, what kind, and how much it brought."""
    kind = "shipped" if dataset.origin is Origin.CURATED else dataset.origin.value
    counts = f"{len(dataset.drugs)} drugs, {len(dataset.trials)} trials, {len(dataset.results)} results"
    return f"{dataset.label} ({kind}: {counts})"


class DatasetsPane(QWidget):
    """Shows ``AppState.datasets``; the Open button offers the window's open actions (:meth:`set_open_actions`)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.title = QLabel("<b>Datasets</b>", self)
        self.list = QListWidget(self)
        self.list.setObjectName("datasetsList")
        self.list.setAccessibleName("Loaded datasets")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(lambda _c, _p: self._update_buttons())
        self.open_button = QPushButton("Open", self)
        self.open_button.setToolTip("Load a spreadsheet CSV, a ClinicalTrials.gov record or a dataset folder")
        self.remove_button = QPushButton("Re&move", self)  # Alt+M
        self.remove_button.setToolTip("Unload the selected user dataset (shipped data cannot be removed)")
        self.remove_button.clicked.connect(self.remove_selected)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.title)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)

        state.catalog_changed.connect(self._fill)
        self._fill(state.catalog)

    def set_open_actions(self, actions: list[QAction]) -> None:
        """The Open button drops down the same actions as the File menu (file or folder)."""
        menu = QMenu(self.open_button)
        menu.addActions(actions)
        self.open_button.setMenu(menu)

    def _fill(self, _catalog: Catalog) -> None:
        self.list.clear()
        for dataset in self._state.datasets:
            item = QListWidgetItem(describe(dataset))
            item.setData(PATH_ROLE, dataset.path)
            item.setToolTip(plain_tooltip(dataset.path))  # a path may contain '<': never interpreted
            self.list.addItem(item)
        self._update_buttons()

    def _selected(self) -> Dataset | None:
        item = self.list.currentItem()
        if item is None:
            return None
        path = item.data(PATH_ROLE)
        return next((d for d in self._state.datasets if d.path == path), None)

    def _update_buttons(self) -> None:
        dataset = self._selected()
        self.remove_button.setEnabled(dataset is not None and dataset.origin is not Origin.CURATED)

    def select_path(self, path: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(PATH_ROLE) == path:
                self.list.setCurrentRow(row)
                return

    def remove_selected(self) -> None:
        dataset = self._selected()
        if dataset is not None and dataset.origin is not Origin.CURATED:
            self._state.remove_dataset(dataset.path)

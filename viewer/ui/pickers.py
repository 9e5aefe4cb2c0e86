"""Pop-up check lists in the controls row: the trials of the ticked drugs, and the drugs themselves.

Each is a tool button whose pop-up holds a list of check boxes and one button under it. The drugs list
stands in for the drug table when a narrow window folds the drugs pane away, so the choice of drugs is
always one click from the chart.

A change of query or catalog updates only the button's text; the trials list is filled when its pop-up is
about to show (or when it is read). Refilling it on every change, hidden or not, cost 36 ms of each File > Open
swap at 2,000 drugs, 90 ms at 10,000 and 1.2 s at 100,000 (one ``QListWidgetItem`` per drug); and filled on
show, the drugs list still took 1.2 s to open at 100,000 drugs. The drugs list is a model
(:class:`DrugList`) over the drug table's rows, already in name order (built on the loader's worker): the view
asks for the rows it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from viewer.charts.query import MAX_DRUGS, Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import Drug
from viewer.ui.catalog_index import CatalogRows
from viewer.ui.state import AppState

Index = QModelIndex | QPersistentModelIndex

__all__ = ["DrugsButton", "TrialsButton"]


class PopupListButton(QToolButton):
    """A button whose pop-up is a list (``view``) and one button under it."""

    def __init__(self, state: AppState, view: QAbstractItemView, list_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._state = state
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        view.setObjectName(list_name)
        view.setMinimumSize(420, 320)
        self.under = QToolButton()  # the pop-up's one command, given by set_command
        self.under.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(view)
        column.addWidget(self.under)
        action = QWidgetAction(self)
        action.setDefaultWidget(holder)
        self.menu_ = QMenu(self)
        self.menu_.addAction(action)
        self.setMenu(self.menu_)

    def set_command(self, action: QAction) -> None:
        """The button under the list runs ``action`` (and closes the pop-up)."""
        self.under.setDefaultAction(action)
        self.under.clicked.connect(self.menu_.close)


class CheckListButton(PopupListButton):
    """A button whose pop-up is a list of checkable items (each holding an id) and a button under it."""

    def __init__(self, state: AppState, list_name: str, parent: QWidget | None = None) -> None:
        self._list = QListWidget()
        super().__init__(state, self._list, list_name, parent)
        self._rows: Callable[[], list[tuple[str, str, bool]]] | None = None  # the list's rows, when stale
        self._list.itemChanged.connect(self._on_item)
        self.menu_.aboutToShow.connect(self._fill_stale)

    def popup_list(self) -> QListWidget:
        """The pop-up's list, filled with the current rows (whoever reads it sees what the pop-up will show)."""
        self._fill_stale()
        return self._list

    def offer(self, rows: Callable[[], list[tuple[str, str, bool]]]) -> None:
        """The list's (text, id, checked) rows from now on, made by ``rows`` when the list is next shown or
        read; at once if the pop-up is open (a refused tick is unticked under the pointer)."""
        self._rows = rows
        if self.menu_.isVisible():
            self._fill_stale()

    def _fill_stale(self) -> None:
        """Replace the list with the offered rows, without reporting them as the user's changes."""
        rows, self._rows = self._rows, None
        if rows is None:
            return
        items = self._list
        items.blockSignals(True)
        items.clear()
        for text, key, checked in rows():
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            items.addItem(item)
        items.blockSignals(False)

    def checked_ids(self) -> list[str]:
        out = []
        items = self.popup_list()
        for row in range(items.count()):
            item = items.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _on_item(self, item: QListWidgetItem) -> None:
        raise NotImplementedError


class TrialsButton(CheckListButton):
    """The ticked drugs' trials with check boxes (all ticked = no filter)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, "trialsList", parent)
        self.setToolTip("Limit the charts to some trials of the ticked drugs")
        every = QAction("All trials", self)
        every.setToolTip("Show every trial of the ticked drugs again")
        every.setStatusTip(every.toolTip())
        every.triggered.connect(lambda: self._state.update_query(trials=()))
        self.set_command(every)
        self._trial_ids: frozenset[str] = frozenset()

    def sync(self, catalog: Catalog, query: Query) -> None:
        """Offer the trials of the ticked drugs; check those the query keeps (all when it keeps all)."""
        ids = {t for d in query.drugs for t in catalog.trials_of(d)}  # each the catalog's (from its columns)
        chosen = set(query.trials)

        def rows() -> list[tuple[str, str, bool]]:
            out = []
            # only the ticked drugs' trials are read (a Trial is made from its table when read)
            for trial in sorted(catalog.trials_among(ids), key=lambda t: t.name.casefold()):
                extra = ", ".join(p for p in (trial.population, trial.nct) if p)
                text = f"{trial.name} ({extra})" if extra else trial.name
                out.append((text, trial.id, not chosen or trial.id in chosen))
            return out

        self.offer(rows)
        self._trial_ids = frozenset(ids)
        shown = len(ids) if not chosen else len(ids & chosen)
        self.setText(f"All {len(ids)}" if not chosen else f"{shown} of {len(ids)}")

    def _on_item(self, _item: QListWidgetItem) -> None:
        checked = self.checked_ids()
        if not checked:
            self._state.notice.emit("At least one trial stays selected; 'All trials' selects every one again.")
            self.sync(self._state.catalog, self._state.query)
            return
        self._state.update_query(trials=() if len(checked) == len(self._trial_ids) else tuple(checked))


class DrugList(QAbstractListModel):
    """Every drug in name order, each with a check box ticked as the query has it: a model over the drug table's
    rows (:class:`~viewer.ui.catalog_index.CatalogRows`, name-sorted on the loader's worker), so a view shows
    100,000 drugs by asking for the few rows in sight."""

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self._state = state
        self._drugs: Sequence[Drug] = ()
        self._catalog: Catalog | None = None

    def show(self, drugs: Sequence[Drug], catalog: Catalog) -> None:
        """The rows of ``catalog``'s drugs in name order (a new catalog: new rows; the same: the ticks again)."""
        if catalog is self._catalog:
            self.ticks_changed()
            return
        self.beginResetModel()
        self._drugs, self._catalog = drugs, catalog
        self.endResetModel()

    def ticks_changed(self) -> None:
        if self._drugs:
            self.dataChanged.emit(self.index(0), self.index(len(self._drugs) - 1), [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._drugs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        drug = self._drugs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return drug.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if drug.id in self._state.query.drugs else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return drug.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A tick or untick in the list ticks the drug everywhere; a refused one (the state says why) shows the
        ticks as they are."""
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self._state.set_drug_ticked(self._drugs[index.row()].id, checked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class DrugsButton(PopupListButton):
    """Every drug of the catalog with a check box: the drug table's ticks, when the drugs pane is folded."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        self.view = QListView()
        super().__init__(state, self.view, "drugsList", parent)
        self.setToolTip(f"Tick up to {MAX_DRUGS} drugs to compare (the drug table's ticks)")
        self.view.setAccessibleName("Drugs to compare")
        self.view.setUniformItemSizes(True)  # one height for every row: no row measured to place the others
        self.model = DrugList(state)
        self.view.setModel(self.model)
        self._sorted: Callable[[], CatalogRows | None] = lambda: None
        self._stale = True
        self.menu_.aboutToShow.connect(self.fill)

    def take_rows(self, rows: Callable[[], CatalogRows | None]) -> None:
        """Where the drug table's rows come from (the catalog pane's model): the list shows them in their order."""
        self._sorted = rows

    def fill(self) -> None:
        """The list as the current catalog and ticks have it (when it is shown, or read)."""
        if not self._stale:
            return
        self._stale = False
        catalog = self._state.catalog
        rows = self._sorted()
        if rows is not None and rows.catalog is catalog:
            drugs: Sequence[Drug] = rows.drugs
        else:
            drugs = tuple(sorted(catalog.drugs.values(), key=lambda d: d.name.casefold()))
        self.model.show(drugs, catalog)

    def sync(self, catalog: Catalog, query: Query) -> None:
        """The button's text and tooltip name the ticked drugs; the list follows when next shown (at once if
        it is open)."""
        self._stale = True
        if self.menu_.isVisible():
            self.fill()
        names = [catalog.drugs[d].name for d in query.drugs if d in catalog.drugs]
        self.setText(f"{len(names)} of {len(catalog.drugs)}")
        self.setToolTip(f"Tick up to {MAX_DRUGS} drugs to compare. Ticked: {', '.join(names) or 'none'}")

"""Pop-up check lists in the controls row: the trials of the ticked drugs, and the drugs themselves.

Each is a tool button whose pop-up holds a list of check boxes and one button under it. The drugs list
stands in for the drug table when a narrow window folds the drugs pane away, so the choice of drugs is
always one click from the chart.

A change of query or catalog updates only the button's text; the list is filled when its pop-up is about to
show (or when it is read). Refilling it on every change, hidden or not, cost 36 ms of each File > Open swap
at 2,000 drugs, 90 ms at 10,000 and 1.2 s at 100,000 (one ``QListWidgetItem`` per drug).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
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
from viewer.ui.state import AppState

__all__ = ["DrugsButton", "TrialsButton"]


class CheckListButton(QToolButton):
    """A button whose pop-up is a list of checkable items (each holding an id) and a button under it."""

    def __init__(self, state: AppState, list_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._rows: Callable[[], list[tuple[str, str, bool]]] | None = None  # the list's rows, when stale
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._list = QListWidget()
        self._list.setObjectName(list_name)
        self._list.setMinimumSize(420, 320)
        self._list.itemChanged.connect(self._on_item)
        self.under = QToolButton()  # the pop-up's one command, given by set_command
        self.under.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self._list)
        column.addWidget(self.under)
        action = QWidgetAction(self)
        action.setDefaultWidget(holder)
        self.menu_ = QMenu(self)
        self.menu_.addAction(action)
        self.menu_.aboutToShow.connect(self._fill_stale)
        self.setMenu(self.menu_)

    def popup_list(self) -> QListWidget:
        """The pop-up's list, filled with the current rows (whoever reads it sees what the pop-up will show)."""
        self._fill_stale()
        return self._list

    def set_command(self, action: QAction) -> None:
        """The button under the list runs ``action`` (and closes the pop-up)."""
        self.under.setDefaultAction(action)
        self.under.clicked.connect(self.menu_.close)

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
        every.triggered.connect(lambda: self._state.update_query(trials=()))
        self.set_command(every)
        self._trial_ids: frozenset[str] = frozenset()

    def sync(self, catalog: Catalog, query: Query) -> None:
        """Offer the trials of the ticked drugs; check those the query keeps (all when it keeps all)."""
        ids = {t for d in query.drugs for t in catalog.trials_of(d) if t in catalog.trials}
        chosen = set(query.trials)

        def rows() -> list[tuple[str, str, bool]]:
            out = []
            for trial_id in sorted(ids, key=lambda t: catalog.trials[t].name.casefold()):
                trial = catalog.trials[trial_id]
                extra = ", ".join(p for p in (trial.population, trial.nct) if p)
                text = f"{trial.name} ({extra})" if extra else trial.name
                out.append((text, trial_id, not chosen or trial_id in chosen))
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


class DrugsButton(CheckListButton):
    """Every drug of the catalog with a check box: the drug table's ticks, when the drugs pane is folded."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, "drugsList", parent)
        self.setToolTip(f"Tick up to {MAX_DRUGS} drugs to compare (the drug table's ticks)")
        self._list.setAccessibleName("Drugs to compare")

    def sync(self, catalog: Catalog, query: Query) -> None:
        """Offer the catalog's drugs by name; check the ticked ones."""

        def rows() -> list[tuple[str, str, bool]]:
            drugs = sorted(catalog.drugs.values(), key=lambda d: d.name.casefold())
            return [(d.name, d.id, d.id in query.drugs) for d in drugs]

        self.offer(rows)
        names = [catalog.drugs[d].name for d in query.drugs if d in catalog.drugs]
        self.setText(f"{len(names)} of {len(catalog.drugs)}")
        self.setToolTip(f"Tick up to {MAX_DRUGS} drugs to compare. Ticked: {', '.join(names) or 'none'}")

    def _on_item(self, item: QListWidgetItem) -> None:
        key = str(item.data(Qt.ItemDataRole.UserRole))
        if not self._state.set_drug_ticked(key, item.checkState() == Qt.CheckState.Checked):
            self.sync(self._state.catalog, self._state.query)  # refused (the state said why): ticks as they are

"""The drug catalog as a Qt table model, plus the search/filter proxy over it.

The model is a thin, read-only view of ``AppState``: rows are the catalog's drugs, the check state of the
name column mirrors ``query.drugs``, and ticking asks the state (which may refuse a fifth drug). Search
matches what a prescriber types - generic names, brands, development codes, targets - normalised the way
``Catalog.find_drug`` normalises, so "abt 494", "ABT-494" and "abt494" are the same code.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from viewer.charts.query import Query
from viewer.domain.catalog import Catalog, normalise_name
from viewer.domain.model import Drug, Origin
from viewer.plot.text import plain_tooltip
from viewer.ui.state import AppState

AnyIndex = QModelIndex | QPersistentModelIndex

ALL: Final = ""  # the "no filter" value of the target and status combos


def compact_targets(targets: tuple[str, ...]) -> str:
    """'JAK1, JAK2, JAK3, TYK2' as 'JAK1/2/3, TYK2': the same facts in a column half as wide."""
    jaks = [t[3:] for t in targets if t.upper().startswith("JAK") and t[3:].isdigit()]
    others = [t for t in targets if not (t.upper().startswith("JAK") and t[3:].isdigit())]
    parts = (["JAK" + "/".join(jaks)] if jaks else []) + others
    return ", ".join(parts)


class Column(IntEnum):
    NAME = 0
    CLASS = 1
    TARGETS = 2
    STATUS = 3
    TRIALS = 4


HEADERS: Final[dict[Column, str]] = {
    Column.NAME: "Drug",
    Column.CLASS: "Class",
    Column.TARGETS: "Targets",
    Column.STATUS: "Status",
    Column.TRIALS: "Trials",
}
HEADER_TIPS: Final[dict[Column, str]] = {
    Column.NAME: "Tick up to 4 drugs to compare them in the charts",
    Column.CLASS: "Drug class",
    Column.TARGETS: "Kinases the drug is described as targeting",
    Column.STATUS: "Approved by at least one agency, investigational, or not in the catalog (status unknown)",
    Column.TRIALS: "Trials with at least one arm of this drug in the loaded data",
}

# where a drug came from, after its name: the shipped catalog, a user's file, or the registry (a
# ClinicalTrials.gov record or AACT); the tooltip names the datasets
ORIGIN_MARKS: Final[dict[Origin, str]] = {Origin.CURATED: "", Origin.USER: " (user)", Origin.REGISTRY: " (registry)"}
DRUG_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 1
SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 2


def _search_keys(drug: Drug) -> tuple[str, ...]:
    return tuple(normalise_name(n) for n in (drug.id, *drug.names(), *drug.targets))


class CatalogModel(QAbstractTableModel):
    """One row per drug of the catalog, sorted by name; the name column is checkable.

    The model sorts itself (:meth:`sort`, which the filter proxy forwards to): one Python sort per header
    click, instead of the proxy calling back into Python for every comparison. That matters when a
    cleared search puts thousands of rows back: a sorting proxy inserts each with a binary search of
    ``data(SORT_ROLE)`` calls (~470 ms for 9,000 of 10,000 drugs), an unsorted one keeps source order.
    """

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._drugs: tuple[Drug, ...] = ()
        self._trial_counts: tuple[int, ...] = ()
        self._search_text: tuple[str, ...] = ()
        self._ticked: frozenset[str] = frozenset()
        self._sources: dict[str, tuple[str, ...]] = {}  # drug id -> labels of the datasets that bring it
        self._sort_column = Column.NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._reload(state.catalog, state.query)
        state.catalog_changed.connect(self._on_catalog)
        state.query_changed.connect(self._on_query)

    # -- updates from the state ------------------------------------------------------------------

    def _reload(self, catalog: Catalog, query: Query) -> None:
        drugs = sorted(catalog.drugs.values(), key=lambda d: d.name.casefold())
        counts = {d.id: len(catalog.trials_of(d.id)) for d in drugs}
        sources: dict[str, dict[str, None]] = {}
        for dataset in catalog.datasets:
            for drug_id in (*(d.id for d in dataset.drugs), *(a.drug_id for a in dataset.arms)):
                sources.setdefault(drug_id, {})[dataset.label] = None
        self._sources = {drug_id: tuple(labels) for drug_id, labels in sources.items()}
        self._set_rows(self._sorted(drugs, counts), counts)
        self._ticked = frozenset(query.drugs)

    def _set_rows(self, drugs: list[Drug], counts: dict[str, int]) -> None:
        self._drugs = tuple(drugs)
        self._trial_counts = tuple(counts[d.id] for d in drugs)
        # Normalised once per catalog, not once per row and keystroke: with 10,000 drugs the filter would
        # otherwise normalise ~40,000 names on every key press (most of a keystroke's time). The keys are
        # alphanumeric, so a needle cannot match across the newline that joins them.
        self._search_text = tuple("\n".join(_search_keys(d)) for d in drugs)

    def _sorted(self, drugs: list[Drug], counts: dict[str, int]) -> list[Drug]:
        """``drugs`` (in name order) stably sorted by the current sort column and order."""
        column, descending = self._sort_column, self._sort_order == Qt.SortOrder.DescendingOrder
        if column is Column.NAME and not descending:
            return drugs
        if column is Column.TRIALS:
            return sorted(drugs, key=lambda d: counts[d.id], reverse=descending)
        return sorted(drugs, key=lambda d: self._display(d, counts[d.id], column).casefold(), reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by a column (the header's sort indicator); selections follow their drugs."""
        if not 0 <= column < len(Column):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._drugs[i.row()].id for i in persistent]
        self._sort_column, self._sort_order = Column(column), order
        counts = dict(zip((d.id for d in self._drugs), self._trial_counts, strict=True))
        by_name = sorted(self._drugs, key=lambda d: d.name.casefold())
        self._set_rows(self._sorted(by_name, counts), counts)
        rows = {d.id: row for row, d in enumerate(self._drugs)}
        self.changePersistentIndexList(
            persistent, [self.index(rows[d], i.column()) for d, i in zip(ids, persistent, strict=True)]
        )
        self.layoutChanged.emit()

    def _on_catalog(self, catalog: Catalog) -> None:
        self.beginResetModel()
        self._reload(catalog, self._state.query)
        self.endResetModel()

    def _on_query(self, query: Query) -> None:
        ticked = frozenset(query.drugs)
        changed = ticked ^ self._ticked
        self._ticked = ticked
        for row, drug in enumerate(self._drugs):
            if drug.id in changed:
                index = self.index(row, Column.NAME)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    # -- lookups ------------------------------------------------------------------------------------

    def drug_at(self, row: int) -> Drug:
        return self._drugs[row]

    def row_of(self, drug_id: str) -> int:
        """The row of a drug, or -1."""
        for row, drug in enumerate(self._drugs):
            if drug.id == drug_id:
                return row
        return -1

    def search_text(self, row: int) -> str:
        """Normalised id, names, brands, codes and targets of a row joined by newlines: one substring test
        covers them all."""
        return self._search_text[row]

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._drugs)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._drugs):
            return None
        drug = self._drugs[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(drug, self._trial_counts[index.row()], column)
        if role == SORT_ROLE:
            if column is Column.TRIALS:
                return self._trial_counts[index.row()]
            return self._display(drug, self._trial_counts[index.row()], column).casefold()
        if role == Qt.ItemDataRole.CheckStateRole and column is Column.NAME:
            return Qt.CheckState.Checked if drug.id in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(drug, self._sources.get(drug.id, ())))
        if role == DRUG_ID_ROLE:
            return drug.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.TRIALS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, drug: Drug, trials: int, column: Column) -> str:
        if column is Column.NAME:
            return drug.name + ORIGIN_MARKS[drug.origin]
        if column is Column.CLASS:
            return drug.drug_class
        if column is Column.TARGETS:
            return compact_targets(drug.targets)
        if column is Column.STATUS:
            return drug.approval_status
        return str(trials)

    @staticmethod
    def _tooltip(drug: Drug, sources: tuple[str, ...] = ()) -> str:
        lines = [drug.name]
        if drug.brands:
            lines.append("Brands: " + ", ".join(drug.brands))
        if drug.codes:
            lines.append("Codes: " + ", ".join(drug.codes))
        if drug.targets:
            lines.append("Targets: " + ", ".join(drug.targets))
        if sources:
            lines.append("Source: " + "; ".join(sources))
        return "\n".join(lines)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[Column(section)]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == Column.NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ticking asks the state; a refused tick (a fifth drug) leaves the box as it was."""
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != Column.NAME:
            return False
        state_value = value.value if isinstance(value, Qt.CheckState) else value
        ticked = state_value == Qt.CheckState.Checked.value
        return self._state.set_drug_ticked(self._drugs[index.row()].id, ticked)


class CatalogFilter(QSortFilterProxyModel):
    """Search as you type over names, brands, codes and targets, plus target and approval-status combos.

    The proxy only filters; sorting is forwarded to the :class:`CatalogModel` (see there why), so the
    visible rows keep the source model's order.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._target = ALL
        self._status = ALL
        self._catalog_model: CatalogModel | None = None
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def setSourceModel(self, source_model: QAbstractItemModel) -> None:
        self._catalog_model = source_model if isinstance(source_model, CatalogModel) else None
        super().setSourceModel(source_model)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source model (one Python sort) instead of the proxy (a Python call per comparison)."""
        if self._catalog_model is not None:
            self._catalog_model.sort(column, order)

    def set_search(self, text: str) -> None:
        needle = normalise_name(text)
        if needle != self._needle:
            self._refilter("_needle", needle)

    def set_target(self, target: str) -> None:
        if target != self._target:
            self._refilter("_target", target)

    def set_status(self, status: str) -> None:
        if status != self._status:
            self._refilter("_status", status)

    def _refilter(self, attribute: str, value: str) -> None:
        """Change one criterion and re-run the row filter.

        Qt 6.10 replaced ``invalidateRowsFilter`` (now deprecated, a warning in PySide6) by the
        begin/end pair; older supported versions only have the former.
        """
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            setattr(self, attribute, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # PySide6 < 6.10
            setattr(self, attribute, value)
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        """Called once per row on every keystroke (10,000 times for a large catalog): kept lean."""
        model = self._catalog_model
        if model is None or source_parent.isValid():
            return False
        if self._target or self._status:
            drug = model.drug_at(source_row)
            if self._target and self._target not in drug.targets:
                return False
            if self._status and drug.approval_status != self._status:
                return False
        return not self._needle or self._needle in model.search_text(source_row)

    def drug_ids(self) -> list[str]:
        """Ids of the visible rows, in view order (for tests and keyboard navigation)."""
        return [str(self.index(r, 0).data(DRUG_ID_ROLE)) for r in range(self.rowCount())]

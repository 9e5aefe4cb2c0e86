"""The drug catalog as a Qt table model, plus the search/filter proxy over it.

The model is a thin, read-only view of ``AppState``: rows are the catalog's drugs, the check state of the
name column mirrors ``query.drugs``, and ticking asks the state (which may refuse a fifth drug). Search
matches what a prescriber types - generic names, brands, development codes, targets - normalised the way
``Catalog.find_drug`` normalises, so "abt 494", "ABT-494" and "abt494" are the same code.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from viewer.charts.query import Query
from viewer.domain.catalog import Catalog, normalise_name
from viewer.domain.model import Drug
from viewer.plot.text import plain_tooltip
from viewer.ui.catalog_index import CatalogRows, Column, Rows, SearchIndex, cell_text
from viewer.ui.state import AppState

AnyIndex = QModelIndex | QPersistentModelIndex

ALL: Final = ""  # the "no filter" value of the target and status combos


COLUMNS: Final = tuple(Column)  # by position: ``Column(k)`` in ``data`` ran Enum's lookup for every cell painted
CELL_FLAGS: Final = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
NAME_FLAGS: Final = CELL_FLAGS | Qt.ItemFlag.ItemIsUserCheckable
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

DRUG_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 1


class CatalogModel(QAbstractTableModel):
    """One row per drug of the catalog, sorted by name; the name column is checkable.

    The rows come from a :class:`CatalogRows` built once per catalog: by the loader's worker for a
    loaded file (:meth:`offer`), else here. The model sorts itself (:meth:`sort`, which the filter
    forwards to): one Python sort per header click; the search index stays in name order and ``_rank``
    maps its rows to the sorted ones.
    """

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._offered: CatalogRows | None = None
        self._rows = CatalogRows.build(state.catalog)
        self.index_: SearchIndex = SearchIndex(self._rows)
        self._drugs: tuple[Drug, ...] = ()
        self._trial_counts: tuple[int, ...] = ()
        self._order: Rows | None = None  # sorted row -> name-order row; None: name order
        self._rank: Rows | None = None  # name-order row -> sorted row
        self._ticked: frozenset[str] = frozenset(state.query.drugs)
        self._sort_column = Column.NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._arrange()
        state.catalog_changed.connect(self._on_catalog)
        state.query_changed.connect(self._on_query)

    @property
    def rows(self) -> CatalogRows:
        return self._rows

    def offer(self, rows: CatalogRows) -> None:
        """Rows built off the GUI thread for the catalog about to be swapped in; used if it is that one."""
        self._offered = rows

    # -- updates from the state ------------------------------------------------------------------

    def _arrange(self) -> None:
        """``_drugs`` and the maps between sorted and name-order rows, for the current sort."""
        rows, column = self._rows, self._sort_column
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if column is Column.NAME and not descending:
            self._order = self._rank = None
            self._drugs, self._trial_counts = rows.drugs, rows.counts
            return
        if column is Column.TRIALS:
            counts = rows.counts
            order = sorted(range(len(counts)), key=counts.__getitem__, reverse=descending)
        else:
            texts = [cell_text(d, 0, column).casefold() for d in rows.drugs]
            order = sorted(range(len(texts)), key=texts.__getitem__, reverse=descending)  # stable
        self._order = np.array(order, dtype=np.intp)
        self._rank = np.empty(len(order), dtype=np.intp)
        self._rank[self._order] = np.arange(len(order), dtype=np.intp)
        self._drugs = tuple(rows.drugs[i] for i in order)
        self._trial_counts = tuple(rows.counts[i] for i in order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by a column (the header's sort indicator); selections follow their drugs."""
        if not 0 <= column < len(Column):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._drugs[i.row()].id for i in persistent]
        self._sort_column, self._sort_order = Column(column), order
        self._arrange()
        self.changePersistentIndexList(
            persistent, [self.index(self.row_of(d), i.column()) for d, i in zip(ids, persistent, strict=True)]
        )
        self.layoutChanged.emit()

    def _on_catalog(self, catalog: Catalog) -> None:
        offered, self._offered = self._offered, None
        self.beginResetModel()
        self._rows = offered if offered is not None and offered.catalog is catalog else CatalogRows.build(catalog)
        self.index_ = SearchIndex(self._rows)
        self._ticked = frozenset(self._state.query.drugs)
        self._arrange()
        self.endResetModel()

    def _on_query(self, query: Query) -> None:
        ticked = frozenset(query.drugs)
        changed = ticked ^ self._ticked
        self._ticked = ticked
        for drug_id in changed:
            row = self.row_of(drug_id)
            if row >= 0:
                index = self.index(row, Column.NAME)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    # -- lookups ------------------------------------------------------------------------------------

    def drug_at(self, row: int) -> Drug:
        return self._drugs[row]

    def cell(self, row: int, column: int) -> QModelIndex:
        """The index of a cell the caller knows is in the table (the filter's rows): ``index`` would ask
        ``rowCount`` and ``columnCount`` first, two more calls into Python for every cell a view paints."""
        return self.createIndex(row, column)

    def row_of(self, drug_id: str) -> int:
        """The row of a drug, or -1."""
        row = self._rows.position.get(drug_id, -1)
        return row if row < 0 or self._rank is None else int(self._rank[row])

    def widest(self, column: Column) -> list[QModelIndex]:
        """The cells of ``column`` with the longest texts (:attr:`CatalogRows.widest`), to size it by."""
        return [self.index(self.row_of(self._rows.drugs[row].id), column) for row in self._rows.widest[column]]

    def matching_rows(self, needle: str, target: str = ALL, status: str = ALL) -> Rows:
        """Ascending rows (in the current sort) matching the search; see :class:`SearchIndex`."""
        hits = self.index_.matches(needle, target, status)
        return hits if self._rank is None else np.sort(self._rank[hits])

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._drugs)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._drugs):
            return None
        drug = self._drugs[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(drug, self._trial_counts[index.row()], column)
        if role == Qt.ItemDataRole.CheckStateRole and column is Column.NAME:
            return Qt.CheckState.Checked if drug.id in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(drug, self._rows.sources.get(drug.id, ())))
        if role == DRUG_ID_ROLE:
            return drug.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.TRIALS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

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
        return NAME_FLAGS if index.column() == Column.NAME else CELL_FLAGS

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ticking asks the state; a refused tick (a fifth drug) leaves the box as it was."""
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != Column.NAME:
            return False
        state_value = value.value if isinstance(value, Qt.CheckState) else value
        ticked = state_value == Qt.CheckState.Checked.value
        return self._state.set_drug_ticked(self._drugs[index.row()].id, ticked)


class CatalogFilter(QAbstractProxyModel):
    """Search as you type over names, brands, codes and targets, plus target and approval-status combos.

    A proxy over the rows :meth:`CatalogModel.matching_rows` returns (numpy, no Python call per row; a
    ``QSortFilterProxyModel`` calls ``filterAcceptsRow`` once per row on every keystroke: ~100 ms at
    100,000 drugs). A filter change is a layout change, so the views keep their column widths, hidden
    columns and the current row when it stays visible. Sorting is forwarded to the source model.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._target = ALL
        self._status = ALL
        self._catalog_model: CatalogModel | None = None
        self._shown: Rows = np.empty(0, dtype=np.intp)  # proxy row -> source row, ascending
        self._saved: list[tuple[QModelIndex, str]] = []

    def setSourceModel(self, source_model: QAbstractItemModel) -> None:
        old = self._catalog_model
        if old is not None:
            for signal, slot in self._source_connections(old):
                signal.disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(source_model)
        self._catalog_model = source_model if isinstance(source_model, CatalogModel) else None
        if self._catalog_model is not None:
            for signal, slot in self._source_connections(self._catalog_model):
                signal.connect(slot)
        self._refresh()
        self.endResetModel()

    def _source_connections(self, model: CatalogModel) -> list[tuple[Any, Any]]:
        return [
            (model.modelAboutToBeReset, self.beginResetModel),
            (model.modelReset, self._after_source_reset),
            (model.layoutAboutToBeChanged, self._before_layout),
            (model.layoutChanged, self._after_layout),
            (model.dataChanged, self._on_source_data),
        ]

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
        """Change one criterion: a layout change, the persistent indexes following their drugs."""
        self._before_layout()
        setattr(self, attribute, value)
        self._after_layout()

    def _refresh(self) -> None:
        model = self._catalog_model
        self._shown = (
            np.empty(0, dtype=np.intp)
            if model is None
            else model.matching_rows(self._needle, self._target, self._status)
        )

    # -- following the source ---------------------------------------------------------------------

    def _after_source_reset(self) -> None:
        self._refresh()
        self.endResetModel()

    def _before_layout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        model = self._catalog_model
        self._saved = []
        if model is not None:
            for index in self.persistentIndexList():
                row = index.row()
                drug_id = model.drug_at(int(self._shown[row])).id if 0 <= row < len(self._shown) else ""
                self._saved.append((index, drug_id))

    def _after_layout(self) -> None:
        self._refresh()
        model = self._catalog_model
        saved, self._saved = self._saved, []
        if saved and model is not None:
            moved = [self._proxy_index(model.row_of(drug_id), index.column()) for index, drug_id in saved]
            self.changePersistentIndexList([index for index, _drug in saved], moved)
        self.layoutChanged.emit()

    def _on_source_data(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            first = self._proxy_index(row, top_left.column())
            if first.isValid():
                self.dataChanged.emit(first, self.index(first.row(), bottom_right.column()), roles)

    def _proxy_index(self, source_row: int, column: int) -> QModelIndex:
        position = int(np.searchsorted(self._shown, source_row))
        if source_row < 0 or position >= len(self._shown) or self._shown[position] != source_row:
            return QModelIndex()
        return self.index(position, column)

    # -- QAbstractProxyModel ----------------------------------------------------------------------

    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:
        model = self._catalog_model
        if model is None or not proxy_index.isValid() or proxy_index.row() >= len(self._shown):
            return QModelIndex()
        return model.cell(int(self._shown[proxy_index.row()]), proxy_index.column())

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        return self._proxy_index(source_index.row(), source_index.column())

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._shown) and 0 <= column < len(Column)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._catalog_model is None else len(Column)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._shown) > 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        model = self._catalog_model
        return model.headerData(section, orientation, role) if model is not None else None

    def drug_ids(self) -> list[str]:
        """Ids of the visible rows, in view order (for tests and keyboard navigation)."""
        model = self._catalog_model
        return [] if model is None else [model.drug_at(int(r)).id for r in self._shown]

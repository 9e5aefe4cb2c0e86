"""The side-by-side compare table: the ticked drugs as columns, one row per question a prescriber asks.

The cells are computed by ``viewer.charts.compare.build_compare``; this module only shows them, as plain
text (a view's display role is never interpreted as markup; tooltips are escaped explicitly).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from viewer.charts.compare import CompareTable
from viewer.ui.catalog_model import plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex


class CompareModel(QAbstractTableModel):
    """A read-only model over one :class:`CompareTable` (replaced whole on each query)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = CompareTable((), ())

    @property
    def table(self) -> CompareTable:
        return self._table

    def set_table(self, table: CompareTable) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._table.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._table.rows):
            return None
        title, cells = self._table.rows[index.row()]
        if index.column() >= len(cells):
            return None
        text = cells[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{self._table.columns[index.column()]} - {title}\n{text}")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._table.columns):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self._table.columns[section]
            return None
        if not 0 <= section < len(self._table.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._table.rows[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._table.rows[section][0])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def as_rows(self) -> tuple[tuple[str, ...], list[dict[str, str | int | float | None]]]:
        """Columns and rows for CSV export: the question, then one column per drug."""
        columns = ("question", *self._table.columns)
        rows: list[dict[str, str | int | float | None]] = []
        for title, cells in self._table.rows:
            row: dict[str, str | int | float | None] = {"question": title}
            row.update(zip(self._table.columns, cells, strict=False))
            rows.append(row)
        return columns, rows


class CompareView(QTableView):
    """Word-wrapped cells, rows tall enough for their text, drugs sharing the width equally."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compare_model = CompareModel(self)
        self.setModel(self.compare_model)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        vertical.setMaximumWidth(230)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.compare_model.modelReset.connect(self.resizeRowsToContents)

    def set_table(self, table: CompareTable) -> None:
        self.compare_model.set_table(table)

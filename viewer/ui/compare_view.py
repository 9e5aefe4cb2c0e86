"""The side-by-side compare table: the ticked drugs as columns, one row per question a prescriber asks.

The cells are computed by ``viewer.charts.compare.build_compare``; this module only shows them, as plain
text (a view's display role is never interpreted as markup; tooltips are escaped explicitly).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from viewer.charts.compare import CompareTable
from viewer.plot.text import plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex
QUESTION = 0  # the column holding each row's question


class CompareModel(QAbstractTableModel):
    """A read-only model over one :class:`CompareTable` (replaced whole on each query).

    Column 0 holds the question (a column, not a vertical header, so long questions wrap).
    """

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

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """The question column, then one column per drug (none at all for an empty table)."""
        if parent.isValid() or not self._table.rows:
            return 0
        return 1 + len(self._table.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._table.rows):
            return None
        title, cells = self._table.rows[index.row()]
        column = index.column()
        if column > len(cells):
            return None
        text = title if column == QUESTION else cells[column - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            heading = title if column == QUESTION else f"{self._table.columns[column - 1]} - {title}"
            return plain_tooltip(heading if column == QUESTION else f"{heading}\n{text}")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.FontRole and column == QUESTION:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section == QUESTION else self._table.columns[section - 1]
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
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.compare_model.modelReset.connect(self._after_reset)

    def _after_reset(self) -> None:
        """The question column at a fixed, readable width; the drugs share the rest equally."""
        if self.compare_model.columnCount() > 0:
            self.horizontalHeader().setSectionResizeMode(QUESTION, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(QUESTION, 170)
        self.resizeRowsToContents()

    def set_table(self, table: CompareTable) -> None:
        self.compare_model.set_table(table)

"""The catalog side of the window: search box, target and status filters, and the drug table.

The table's current row is the *focused* drug (the details pane describes it); the check boxes are the
*compared* drugs (the charts draw them). Keeping the two apart lets a prescriber read about a fifth drug
without disturbing a four-drug comparison.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.charts.query import MAX_DRUGS
from viewer.domain.model import ApprovalStatus
from viewer.ui.catalog_index import Column
from viewer.ui.catalog_model import ALL, DRUG_ID_ROLE, HEADERS, CatalogFilter, CatalogModel
from viewer.ui.state import AppState

STATUSES = tuple(ApprovalStatus)


class CatalogPane(QWidget):
    """Search and tick drugs; the current row sets ``AppState.focused_drug``."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.model = CatalogModel(state, self)
        self.proxy = CatalogFilter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setObjectName("catalogSearch")
        self.search.setPlaceholderText("Search name, brand, code or target (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Matches generic names, brands (Rinvoq), codes (ABT-494) and targets (JAK1)")
        self.search.setAccessibleName("Search the catalog")
        self.search.textChanged.connect(self.proxy.set_search)

        self.target_combo = QComboBox(self)
        self.target_combo.setToolTip("Show only drugs with this target")
        self.target_combo.setAccessibleName("Target filter")
        self.target_combo.currentIndexChanged.connect(self._on_target)
        self.status_combo = QComboBox(self)
        self.status_combo.setToolTip("Show only approved, investigational or not-in-the-catalog drugs")
        self.status_combo.setAccessibleName("Approval status filter")
        for combo in (self.target_combo, self.status_combo):  # narrow panes elide the choice, never clip it
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self.status_combo.addItem("Any status", ALL)
        for status in STATUSES:
            self.status_combo.addItem(status.value.capitalize(), status.value)
        self.status_combo.currentIndexChanged.connect(self._on_status)

        self.table = QTableView(self)
        self.table.setObjectName("catalogTable")
        self.table.setAccessibleName("Drug catalog")
        self.table.setAccessibleDescription(
            "One row per drug. Space ticks the current drug for the charts (up to four); the current row's "
            "details show in the details pane. Arrow keys move between rows; Tab leaves the table."
        )
        # Tab leaves the table (Qt's default walks every cell: a 60-press trap); arrows move inside it.
        self.table.setTabKeyNavigation(False)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._hidden_by_user: set[int] = set()
        self._shown_by_user: set[int] = set()
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.modelReset.connect(self._after_reset)
        self.proxy.layoutChanged.connect(self._after_filter)

        self.hint = QLabel(f"Tick up to {MAX_DRUGS} drugs to compare; select a row for its details.", self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("catalogHint")
        self.hint.setStyleSheet("color: palette(placeholder-text);")

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.target_combo, 1)
        filters.addWidget(self.status_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)

        self._fill_targets()
        state.focused_drug_changed.connect(self.select_drug)
        self._fit_columns()
        self.select_drug(state.focused_drug)

    # -- filters ------------------------------------------------------------------------------------

    def _fill_targets(self) -> None:
        current = self.target_combo.currentData() or ALL
        targets = self.model.rows.targets
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItem("Any target", ALL)
        for target in targets:
            self.target_combo.addItem(target, target)
        index = self.target_combo.findData(current)
        self.target_combo.setCurrentIndex(max(index, 0))
        self.target_combo.blockSignals(False)
        self.proxy.set_target(str(self.target_combo.currentData() or ALL))

    def _on_target(self, _index: int) -> None:
        self.proxy.set_target(str(self.target_combo.currentData() or ALL))

    def _on_status(self, _index: int) -> None:
        self.proxy.set_status(str(self.status_combo.currentData() or ALL))

    # -- focus --------------------------------------------------------------------------------------

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._state.set_focused_drug(str(current.data(DRUG_ID_ROLE)))

    def select_drug(self, drug_id: str, *, scroll: bool = True) -> None:
        """Make ``drug_id`` the current row; when the filter hides it, no row is current.

        A current row left on another drug would contradict the details pane, and clicking that row
        would not focus its drug (the current row does not change).
        """
        row = self.model.row_of(drug_id)
        index = self.proxy.mapFromSource(self.model.index(row, Column.NAME)) if row >= 0 else QModelIndex()
        if not index.isValid():
            self.table.selectionModel().clear()
            return
        if self.table.currentIndex().row() == index.row():
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        if scroll:
            self.table.scrollTo(index)

    def _after_reset(self) -> None:
        self._fill_targets()
        self._fit_columns()
        self.select_drug(self._state.focused_drug)

    def _after_filter(self) -> None:
        """The focused drug's row is current again when a filter brings it back (never scrolled to: the
        list stays where the user is reading)."""
        if not self.table.currentIndex().isValid():
            self.select_drug(self._state.focused_drug, scroll=False)

    def _fit_columns(self) -> None:
        """Size columns to their content; hide the class column while every drug has the same class.

        A column repeating one value ("JAK inhibitor") only pushes the useful ones off screen; it comes
        back as soon as a dataset brings another class, and the header's menu shows it on demand.
        """
        uniform = len(self.model.rows.classes) <= 1
        self.table.setColumnHidden(Column.CLASS, uniform and Column.CLASS not in self._shown_by_user)
        for column in Column:
            if column in self._hidden_by_user:
                self.table.setColumnHidden(column, True)
            self._fit(column)

    def _fit(self, column: Column) -> None:
        """Size ``column`` as ``resizeColumnToContents`` would over every row, measuring only the cells with
        its longest texts (:attr:`CatalogRows.widest`; filtered-out rows count too, so a search never
        narrows a column): Qt measured the visible rows and 50 more through the filter, 25 ms a swap."""
        table, header = self.table, self.table.horizontalHeader()
        option = QStyleOptionViewItem()
        table.initViewItemOption(option)
        delegate = table.itemDelegate()
        content = max((delegate.sizeHint(option, index).width() for index in self.model.widest(column)), default=0)
        grid = 1 if table.showGrid() else 0  # as QTableView::sizeHintForColumn adds
        table.setColumnWidth(column, max(content + grid if content else 0, header.sectionSizeHint(column)))

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for column in Column:
            if column is Column.NAME:
                continue
            action = menu.addAction(HEADERS[column])
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))
        menu.deleteLater()

    def set_column_visible(self, column: Column, visible: bool) -> None:
        """Show or hide a column at the user's request (kept across catalog changes)."""
        (self._shown_by_user.add if visible else self._shown_by_user.discard)(column)
        (self._hidden_by_user.discard if visible else self._hidden_by_user.add)(column)
        self.table.setColumnHidden(column, not visible)
        if visible:
            self._fit(column)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def visible_drug_ids(self) -> list[str]:
        return self.proxy.drug_ids()

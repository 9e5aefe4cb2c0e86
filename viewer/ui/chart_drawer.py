"""The bar under a chart: its notes shown or folded away, and its points as a table the keyboard can walk.

On a small window the footnotes and sources can take a third of a chart pane; folding them (the "Notes"
toggle, remembered) gives the plot that room while the warnings stay drawn on the chart. The "Points"
toggle opens a table of every plotted point (series, label, value, interval, evidence mark) and, for the
selected row, the full provenance its marker's tooltip shows: point details without a mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.charts.describe import PlottedPoint, plotted_points
from viewer.charts.spec import ChartSpec
from viewer.ui.theme import pane_colours

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Series", "Point", "Value", "95% CI", "Evidence")


class PointsModel(QAbstractTableModel):
    """The points of one chart spec as rows (replaced whole with each spec)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._points: tuple[PlottedPoint, ...] = ()

    def set_spec(self, spec: ChartSpec | None, points: tuple[PlottedPoint, ...] | None = None) -> None:
        """The points of ``spec``; ``points``, when given, are ``plotted_points(spec)`` worked out already
        (a loaded file's chart: on the loader's worker)."""
        self.beginResetModel()
        self._points = points if points is not None else plotted_points(spec) if spec is not None else ()
        self.endResetModel()

    def point(self, row: int) -> PlottedPoint | None:
        return self._points[row] if 0 <= row < len(self._points) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._points)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        point = self.point(index.row()) if index.isValid() else None
        if point is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (point.series, point.label, f"{point.value:.4g}", point.interval, point.mark)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None


class ChartDrawer(QWidget):
    """A one-line bar (Notes, Points toggles) and, when Points is on, the table and the selected point's text.

    ``notes_toggled`` carries whether the chart should draw its footnotes; ``point_selected`` the series name
    of the point chosen in the table (for the chart to pick out its trial).
    """

    notes_toggled = Signal(bool)
    point_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartDrawer")
        self.notes = self._toggle("&Notes", "Show or fold away the chart's footnotes and sources (warnings stay)")
        self.notes.setChecked(True)
        self.points = self._toggle("Po&ints", "List every plotted point with its source: point details without a mouse")
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # follows a palette switched later

        self._not_shown: list[str] = []
        self.missing = QLabel(self)
        self.missing.setObjectName("notShown")
        self.missing.setTextFormat(Qt.TextFormat.PlainText)
        self.missing.setWordWrap(True)
        self.missing.hide()
        self._style_missing()

        self.model = PointsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("pointsTable")
        self.table.setAccessibleName("Plotted points")
        self.table.setAccessibleDescription("Every point of the chart; the selected point's source shows beside it.")
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("pointDetails")
        self.detail.setAccessibleName("Selected point's source")
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        self.panel = QSplitter(Qt.Orientation.Horizontal, self)
        self.panel.addWidget(self.table)
        self.panel.addWidget(self.detail)
        self.panel.setStretchFactor(0, 3)
        self.panel.setStretchFactor(1, 2)
        self.panel.setVisible(False)
        self.panel.setMaximumHeight(220)

        self.bar = QWidget(self)  # folded away when the window's one-row controls carry the same toggles
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(4, 0, 4, 0)
        bar.setSpacing(6)
        bar.addWidget(self.notes)
        bar.addWidget(self.points)
        bar.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.missing)
        layout.addWidget(self.bar)
        layout.addWidget(self.panel)
        self.notes.toggled.connect(self.notes_toggled)
        self.points.toggled.connect(self._show_points)
        self.notes.toggled.connect(lambda _on: self._label_toggles())
        self.points.toggled.connect(lambda _on: self._label_toggles())
        self._notes_count = 0
        self._label_toggles()

    def set_bar_shown(self, on: bool) -> None:
        """Show the row of toggles, or fold it away (the window's one-row controls then hold them); the
        not-shown warning and the points table stay."""
        self.bar.setVisible(on)

    def not_shown(self) -> list[str]:
        return list(self._not_shown)

    def _style_missing(self) -> None:
        c = pane_colours(self.palette())
        self.missing.setStyleSheet(
            f"QLabel#notShown {{ background: {c.banner_fill}; color: {c.banner_text}; padding: 2px 6px; }}"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_missing()

    def _label_toggles(self) -> None:
        """▾ when open, ▸ when folded (with how many notes are folded away)."""
        folded = f" ({self._notes_count})" if self._notes_count and not self.notes.isChecked() else ""
        self.notes.setText(("▾ " if self.notes.isChecked() else "▸ ") + "&Notes" + folded)
        self.points.setText(("▾ " if self.points.isChecked() else "▸ ") + "Po&ints")

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", ""))
        button.setCheckable(True)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def set_spec(
        self,
        spec: ChartSpec | None,
        not_shown: list[str] | None = None,
        points: tuple[PlottedPoint, ...] | None = None,
    ) -> None:
        """Show the points of ``spec`` (None: no chart, e.g. the compare table) and the ticked drugs it
        neither draws nor names, each with its reason; ``points`` as for :meth:`PointsModel.set_spec`."""
        self.model.set_spec(spec, points)
        self._not_shown = list(not_shown or [])
        self.missing.setText("⚠ Not in this chart: " + "; ".join(self._not_shown) if self._not_shown else "")
        self.missing.setVisible(bool(self._not_shown))
        n = self.model.rowCount()
        self._notes_count = len(spec.footnotes) if spec is not None else 0
        self.count.setText(f"{n} point{'s' if n != 1 else ''} plotted")
        self._label_toggles()
        self.detail.clear()
        if self.points.isChecked() and n:
            self.table.selectRow(0)

    def _show_points(self, on: bool) -> None:
        self.panel.setVisible(on)
        if on and self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        point = self.model.point(current.row())
        self.detail.setPlainText(point.details if point is not None else "")
        if point is not None:
            self.point_selected.emit(point.series)

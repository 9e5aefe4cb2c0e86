"""The side-by-side compare grid: the ticked drugs as columns, one compact line per question a prescriber asks.

Each cell shows its one-line summary (the key number with its interval, trial and evidence mark) so four
drugs fit one screen; a cell opens to its full text (the rule it follows, every other candidate, the
sources) by a click on its ▸, a double click, Enter or Space; a click on a question opens its whole row.
Ctrl+C copies the selected cells (or the whole grid) in full as tab-separated text and as an HTML table.

The cells are computed by ``viewer.charts.compare.build_compare``; this module only shows them, as plain
text (nothing is interpreted as markup: the painter draws text, the HTML copy and tooltips are escaped).
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from viewer.charts.compare import MARK_KEY, CompareCell, CompareTable
from viewer.plot.text import plain_tooltip
from viewer.ui.theme import pane_colours

AnyIndex = QModelIndex | QPersistentModelIndex
QUESTION = 0  # the column holding each row's question
PAD = 4  # pixels left and right of a cell's text, and above and below it where the height allows
MIN_PAD_Y = 1  # pixels above and below a cell's text when the grid would otherwise scroll (1024x700)
SOURCE_BREAK = " · "  # where a cell's source line breaks ("DMARD-IR, month 3 · ORAL Solo 5 mg BID")
ELSEWHERE = "‡ "  # starts a cell's source line when its figure is not at the row's population and timepoint
FOLDED_HEADER = "One line a row · ▸ opens"
FOLDED_TIP = (
    "The grid is too short for every row's second line (a question's rule, a figure's source): each row shows "
    "its first line, ‡ where the figure is from another population or timepoint. ▸ or Enter opens a cell; a "
    "click on a question opens its row (its rule too). The tooltips and the copied table have everything."
)
OPEN, CLOSED = "▾ ", "▸ "
EXPANDED_ROLE = Qt.ItemDataRole.UserRole + 1  # bool: the cell shows its full text
EXPANDABLE_ROLE = Qt.ItemDataRole.UserRole + 2  # bool: the cell has more than its summary
NOTE_ROLE = Qt.ItemDataRole.UserRole + 3  # str: the rule or note under a question


class CompareModel(QAbstractTableModel):
    """A read-only model over one :class:`CompareTable` (replaced whole on each query).

    Column 0 holds the question (a column, not a vertical header, so its rule can sit under it). Which
    cells are open is kept by (question, drug), so a cell stays open while the query changes around it.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = CompareTable((), ())
        self._open: set[tuple[str, str]] = set()
        self.folded = False  # set by the view (CompareView.fit_rows): rows show one line, questions no rule

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

    def cell(self, index: AnyIndex) -> CompareCell | None:
        if not index.isValid() or index.column() == QUESTION or index.row() >= len(self._table.rows):
            return None
        cells = self._table.rows[index.row()].cells
        return cells[index.column() - 1] if index.column() - 1 < len(cells) else None

    def _key(self, index: AnyIndex) -> tuple[str, str]:
        return self._table.rows[index.row()].title, self._table.columns[index.column() - 1]

    def is_open(self, index: AnyIndex) -> bool:
        cell = self.cell(index)
        return cell is not None and cell.expandable and self._key(index) in self._open

    def set_open(self, index: AnyIndex, on: bool) -> None:
        cell = self.cell(index)
        if cell is None or not cell.expandable or self.is_open(index) == on:
            return
        (self._open.add if on else self._open.discard)(self._key(index))
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, EXPANDED_ROLE])

    def toggle(self, index: AnyIndex) -> None:
        """Open or close a cell; on a question, open the whole row (or close it when all of it is open)."""
        if not index.isValid():
            return
        if index.column() != QUESTION:
            self.set_open(index, not self.is_open(index))
            return
        row = [self.index(index.row(), c) for c in range(1, self.columnCount())]
        closed = [i for i in row if self.data(i, EXPANDABLE_ROLE) and not self.is_open(i)]
        for i in row:
            self.set_open(i, bool(closed))

    def set_all_open(self, on: bool) -> None:
        for r in range(self.rowCount()):
            for c in range(1, self.columnCount()):
                self.set_open(self.index(r, c), on)

    def text(self, index: AnyIndex) -> str:
        """The full text of a cell (a question with its rule), as copied and exported."""
        row = self._table.rows[index.row()]
        if index.column() == QUESTION:
            return row.full_title
        cell = self.cell(index)
        return cell.full if cell is not None else ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._table.rows):
            return None
        row = self._table.rows[index.row()]
        column = index.column()
        if column > len(row.cells):
            return None
        cell = self.cell(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return row.title
            return cell.full if self.is_open(index) else cell.summary
        if role == NOTE_ROLE:
            if column != QUESTION or (
                self.folded
                and not any(self._key(self.index(index.row(), c)) in self._open for c in range(1, self.columnCount()))
            ):
                return ""  # folded: a question's rule shows with its row open
            return row.note
        if role == EXPANDED_ROLE:
            return self.is_open(index)
        if role == EXPANDABLE_ROLE:
            return cell is not None and cell.expandable
        if role == Qt.ItemDataRole.ToolTipRole:
            if cell is None:
                return plain_tooltip(f"{self.text(index)}\nClick to open every cell of this row.")
            heading = f"{self._table.columns[column - 1]} - {row.title}"
            return plain_tooltip(f"{heading}\n{cell.full}\n\n{MARK_KEY}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if cell is None:
                return self.text(index)
            state = " (open)" if self.is_open(index) else " (press Enter for the full text)" if cell.expandable else ""
            return spoken((cell.full if self.is_open(index) else cell.summary).replace("\n", "; ")) + state
        if role == Qt.ItemDataRole.FontRole and column == QUESTION:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == QUESTION:
                return FOLDED_HEADER if self.folded else ""
            return self._table.columns[section - 1]
        if role == Qt.ItemDataRole.ToolTipRole and section == QUESTION and self.folded:
            return FOLDED_TIP
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def as_rows(self) -> tuple[tuple[str, ...], list[dict[str, str | int | float | None]]]:
        """Columns and rows for CSV export: the question (with its rule), then each drug's full text."""
        columns = ("question", *self._table.columns)
        rows: list[dict[str, str | int | float | None]] = []
        for title, cells in self._table.text_rows():
            row: dict[str, str | int | float | None] = {"question": title}
            row.update(zip(self._table.columns, cells, strict=False))
            rows.append(row)
        return columns, rows


class CompareDelegate(QStyledItemDelegate):
    """Draws a closed cell as its summary lines, each elided to the column; an open one word-wrapped in full.

    A question is drawn bold with its rule under it in the muted colour. Closed cells with more to show
    start with ▸ (a click on it opens the cell), open ones with ▾. ``pad_y`` is the space above and below
    the text, and ``split`` whether a closed cell's source line too long for its column is broken in two at
    its " · " (a fallback figure's "population, timepoint · trial arm": else the trial is elided), both set
    by the view (:meth:`CompareView.fit_rows`) so four drugs fit the screen.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pad_y = PAD
        self.split = False
        self.fold = False

    def closed_lines(self, text: str, width: int, metrics: QFontMetrics) -> list[str]:
        """The lines a closed cell shows: its text's lines, the second broken at " · " when ``split`` is on
        and it does not fit ``width`` (the first line, the number, is never broken)."""
        lines = text.split("\n")
        if self.fold:  # the first line only; a figure from elsewhere keeps its ‡ (after the ▸ one clicks)
            first = lines[0]
            if any(line.startswith(ELSEWHERE) for line in lines[1:]):
                mark = next((m for m in (CLOSED, OPEN) if first.startswith(m)), "")
                first = mark + ELSEWHERE + first[len(mark) :]
            return [first]
        if not self.split or len(lines) < 2 or metrics.horizontalAdvance(lines[1]) <= width:
            return lines
        head, sep, tail = lines[1].partition(SOURCE_BREAK)
        return [lines[0], head, tail, *lines[2:]] if sep else lines

    def _lines(self, index: AnyIndex) -> tuple[str, str]:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if index.data(EXPANDABLE_ROLE):
            text = (OPEN if index.data(EXPANDED_ROLE) else CLOSED) + text
        return text, str(index.data(NOTE_ROLE) or "")

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        text, note = self._lines(index)
        width = max(option.rect.width() - 2 * PAD, 40)
        bold = QFont(option.font)
        bold.setBold(index.column() == QUESTION)
        metrics = QFontMetrics(bold)
        if index.data(EXPANDED_ROLE):
            flags = int(Qt.TextFlag.TextWordWrap)
            height = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text).height()
        else:
            height = len(self.closed_lines(text, width, metrics)) * metrics.lineSpacing()
        if note:
            height += (note.count("\n") + 1) * QFontMetrics(option.font).lineSpacing()
        return QSize(width + 2 * PAD, height + 2 * self.pad_y)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, note = self._lines(index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # background, selection and focus frame, as the style draws them
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = opt.rect.adjusted(PAD, self.pad_y, -PAD, -self.pad_y)
        painter.save()
        painter.setClipRect(opt.rect)
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, role))
        metrics = QFontMetrics(opt.font)
        top = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        if index.data(EXPANDED_ROLE):
            painter.drawText(rect, int(top | Qt.TextFlag.TextWordWrap), text)
        else:
            y = rect.top()
            for line in self.closed_lines(text, rect.width(), metrics):
                shown = metrics.elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
                painter.drawText(QRect(rect.left(), y, rect.width(), metrics.lineSpacing()), int(top), shown)
                y += metrics.lineSpacing()
            if note:
                plain = QFont(opt.font)
                plain.setBold(False)
                painter.setFont(plain)
                if not selected:
                    painter.setPen(pane_colours(opt.palette).muted)
                note_metrics = QFontMetrics(plain)
                for line in note.split("\n"):
                    shown = note_metrics.elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
                    painter.drawText(QRect(rect.left(), y, rect.width(), note_metrics.lineSpacing()), int(top), shown)
                    y += note_metrics.lineSpacing()
        painter.restore()


class CompareView(QTableView):
    """The grid: drugs sharing the width equally, rows as tall as their (mostly one-line) summaries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compare_model = CompareModel(self)
        self.setModel(self.compare_model)
        self.delegate = CompareDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setObjectName("compareTable")
        self.setAccessibleName("Compare table")
        self.setAccessibleDescription(
            "The ticked drugs side by side, one row per question. Enter or Space opens a cell's full text; "
            "Control+C copies the selected cells as a table; Tab leaves the table."
        )
        self.setWordWrap(True)  # the view then gives the delegate each column's width for the row heights
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab leaves the grid; arrows move between cells
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.verticalHeader().hide()
        # rows sized by fit_rows from their cells alone: ResizeToContents also asks the (hidden) header, whose
        # font keeps every row at least 18 px tall
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setMinimumSectionSize(1)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.compare_model.modelReset.connect(self._after_reset)
        self.compare_model.dataChanged.connect(self.fit_rows)  # a cell opened or closed

    def _after_reset(self) -> None:
        """The question column as wide as its longest title (within limits); the drugs share the rest equally;
        a row that says the same for every drug (a refusal, a caveat) is one cell across the drugs."""
        self.clearSpans()
        model = self.compare_model
        if model.columnCount() == 0:
            return
        self.horizontalHeader().setSectionResizeMode(QUESTION, QHeaderView.ResizeMode.Fixed)
        self._fit_question_column()
        for r, row in enumerate(model.table.rows):
            if row.same_for_all:
                self.setSpan(r, 1, 1, len(row.cells))
        self.fit_rows()

    def fit_rows(self) -> None:
        """Rows as full and airy as the height allows, the text never smaller: a source line too long for its
        column is broken in two where the grid still fits (1440x900; at 1024x700 it is elided), then the space
        above and below each row's text shrinks (down to :data:`MIN_PAD_Y`) before the grid would scroll; where
        even that scrolls (an 11 pt desktop font at 1024x700: 86 px), each row is folded to its first line and
        the question column's header says so (:data:`FOLDED_HEADER`), a cell's ▸ opening the rest."""
        rows = self.compare_model.rowCount()
        if not rows:
            return
        delegate, model = self.delegate, self.compare_model
        was_folded = model.folded
        # an unshown grid has no height of its own yet: it folds once shown (resizeEvent) if it must
        steps = ((False, True), (False, False), (True, False)) if self.isVisible() else ((False, True), (False, False))
        for fold, split in steps:
            delegate.fold = model.folded = fold
            delegate.split, delegate.pad_y = split, 0
            texts = [self.sizeHintForRow(r) for r in range(rows)]  # each row's text, no space around it
            spare = self.viewport().height() - sum(texts)
            if spare >= rows * 2 * MIN_PAD_Y:
                break
        delegate.pad_y = max(MIN_PAD_Y, min(PAD, spare // (2 * rows)))
        if model.folded != was_folded:
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, QUESTION, QUESTION)
        for r, text in enumerate(texts):  # a cell's hint is its text and pad_y above and below: not measured again
            self.setRowHeight(r, text + 2 * delegate.pad_y)

    def _fit_question_column(self) -> None:
        """Titles shown whole where the width allows: at most a quarter of the grid, at least 12 characters."""
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        widest = max((metrics.horizontalAdvance(r.title) for r in self.compare_model.table.rows), default=0)
        floor = metrics.horizontalAdvance("M") * 12
        ceiling = max(floor, self.viewport().width() // 4)
        self.setColumnWidth(QUESTION, min(max(widest + 2 * PAD + 4, floor), ceiling))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.compare_model.columnCount():
            self._fit_question_column()
            self.fit_rows()

    def set_table(self, table: CompareTable) -> None:
        self.compare_model.set_table(table)

    def content_height(self) -> int:
        """The height the whole grid needs (header and every row as shown), to check it fits a screen."""
        rows = sum(self.rowHeight(r) for r in range(self.compare_model.rowCount()))
        return self.horizontalHeader().height() + rows + 2 * self.frameWidth()

    # -- opening cells ---------------------------------------------------------------------------

    def _on_marker(self, index: QModelIndex, pos: QPoint) -> bool:
        """Whether ``pos`` is on the ▸/▾ of a cell (or anywhere on a question)."""
        if index.column() == QUESTION:
            return True
        if not index.data(EXPANDABLE_ROLE):
            return False
        rect = self.visualRect(index)
        return pos.x() - rect.left() <= PAD + self.fontMetrics().horizontalAdvance(CLOSED) + 2

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        index = self.indexAt(pos)
        if event.button() == Qt.MouseButton.LeftButton and index.isValid() and self._on_marker(index, pos):
            self.compare_model.toggle(index)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.column() != QUESTION:
            self.compare_model.toggle(index)
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.currentIndex().isValid():
            self.compare_model.toggle(self.currentIndex())
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        """Ctrl+C here copies the grid's cells, before any window-wide shortcut sees it."""
        copy = QKeySequence.StandardKey.Copy
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and event.matches(copy):
            event.accept()
            return True
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Copy", QKeySequence(QKeySequence.StandardKey.Copy), self.copy)
        menu.addAction("Copy the whole table", lambda: self.copy(whole=True))
        menu.addSeparator()
        menu.addAction("Open every cell", lambda: self.compare_model.set_all_open(True))
        menu.addAction("Close every cell", lambda: self.compare_model.set_all_open(False))
        menu.exec(event.globalPos())
        menu.deleteLater()

    # -- copying ---------------------------------------------------------------------------------

    def table_text(self, *, whole: bool = False) -> tuple[str, str]:
        """The selected cells (the whole grid when none is, or ``whole``) as TSV and as an HTML table,
        each cell in full, with the drug names as the header row."""
        model = self.compare_model
        chosen = [] if whole else self.selectionModel().selectedIndexes()
        rows = sorted({i.row() for i in chosen}) or list(range(model.rowCount()))
        columns = sorted({i.column() for i in chosen}) or list(range(model.columnCount()))
        picked = {(i.row(), i.column()) for i in chosen}
        header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
        body = [
            [model.text(model.index(r, c)) if not picked or (r, c) in picked else "" for c in columns] for r in rows
        ]
        tsv = "\n".join("\t".join(_tsv_field(v) for v in line) for line in [header, *body])
        cells = "".join(
            "<tr>" + "".join(f"<{tag}>{html.escape(v).replace(chr(10), '<br>')}</{tag}>" for v in line) + "</tr>"
            for tag, lines in (("th", [header]), ("td", body))
            for line in lines
        )
        return tsv, f"<table border='1' cellspacing='0' cellpadding='3'>{cells}</table>"

    def copy(self, *, whole: bool = False) -> None:
        tsv, table = self.table_text(whole=whole)
        mime = QMimeData()
        mime.setText(tsv)
        mime.setHtml(table)
        QGuiApplication.clipboard().setMimeData(mime)


SPOKEN = {"●": "primary source,", "◐": "secondary source,", "○": "recalled,", "‡": "elsewhere:", "⚠": "warning:"}
"""The cells' marks in words for a screen reader (a symbol is read as 'black circle', 'double dagger')."""


def spoken(text: str) -> str:
    """``text`` with the evidence marks, the ‡ of a figure from elsewhere and the ⚠ of a boxed warning said
    in words, as :data:`viewer.charts.compare.MARK_KEY` and the row's note explain them on screen."""
    return "".join(SPOKEN.get(ch, ch) for ch in text)


def _tsv_field(value: str) -> str:
    """A TSV field as spreadsheets paste it: quoted (quotes doubled) when it holds a tab, newline or quote."""
    if any(ch in value for ch in '\t\n"'):
        return '"' + value.replace('"', '""') + '"'
    return value

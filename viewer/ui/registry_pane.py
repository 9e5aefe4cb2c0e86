"""The registry pane: search the whole ClinicalTrials.gov registry (AACT) and bring studies into the comparison.

The user names the registry once (a ``postgresql://`` URL or the path of the local copy; remembered without
any password), types a drug, and sees as they type the drug names the registry writes with their study
counts, and the newest matching studies. Ticked studies are read off the GUI thread (Cancel stops the
read) through the same rules as a ClinicalTrials.gov file, and their drugs join the catalog pane beside the
curated ones, marked with their source. Every cap is said where it applies: the study list shows the
newest :data:`~viewer.domain.registry.search.MAX_STUDIES` of all that match, and at most that many studies
are brought in at once.

Picking more studies from the same registry re-reads the union of those already brought in and the new
ones (one dataset per registry), so only the chosen studies are ever held in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.charts.query import Query
from viewer.domain.model import Dataset
from viewer.domain.registry import DrugHit, SearchQuery, StudyHit
from viewer.domain.registry.location import dataset_path, default_registry, is_postgres, shown_location
from viewer.domain.registry.search import MAX_STUDIES
from viewer.session import LoadResult
from viewer.session_file import RegistryRef
from viewer.ui import errors
from viewer.ui.loader import LoadOutcome
from viewer.ui.registry_client import Found, Opened, RegistryClient, Reply, Request
from viewer.ui.settings import Settings
from viewer.ui.state import AppState

AnyIndex = QModelIndex | QPersistentModelIndex
TYPING_PAUSE_MS: Final = 150  # a search starts when typing pauses this long


class DrugsModel(QAbstractTableModel):
    """Drug names as the registry writes them, with how many matching studies name each."""

    HEADERS = ("Drug (as registered)", "Studies")

    def __init__(self) -> None:
        super().__init__()
        self.hits: tuple[DrugHit, ...] = ()

    def set_hits(self, hits: Sequence[DrugHit]) -> None:
        self.beginResetModel()
        self.hits = tuple(hits)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 2

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.name if index.column() == 0 else f"{hit.studies:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.studies:,} matching studies name {hit.name!r}; click to list them"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class StudyColumn(IntEnum):
    NCT = 0
    PHASE = 1
    STATUS = 2
    RESULTS = 3
    ENROLLED = 4
    TITLE = 5


STUDY_HEADERS: Final = ("NCT", "Phase", "Status", "Results", "N", "Title")


class StudiesModel(QAbstractTableModel):
    """Matching studies, newest NCT number first; the NCT column is ticked to bring a study in, and the
    studies already in the comparison (brought in from this registry) are set in bold."""

    def __init__(self) -> None:
        super().__init__()
        self.hits: tuple[StudyHit, ...] = ()
        self.ticked: set[str] = set()
        self.brought: frozenset[str] = frozenset()

    def set_brought(self, ncts: Sequence[str]) -> None:
        self.brought = frozenset(ncts)
        if self.hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.hits) - 1, len(StudyColumn) - 1))

    def listed_brought(self) -> int:
        return sum(h.nct in self.brought for h in self.hits)

    def set_hits(self, hits: Sequence[StudyHit]) -> None:
        self.beginResetModel()
        self.hits = tuple(hits)
        self.endResetModel()

    def set_ticked(self, ncts: Sequence[str]) -> None:
        self.ticked = set(ncts)
        if self.hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.hits) - 1, 0))

    def ticked_in_order(self) -> list[str]:
        return [h.nct for h in self.hits if h.nct in self.ticked] + sorted(self.ticked - {h.nct for h in self.hits})

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(StudyColumn)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        hit, column = self.hits[index.row()], StudyColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                StudyColumn.NCT: hit.nct,
                StudyColumn.PHASE: hit.phase.replace("PHASE", "").replace("/", ", ") or "–",
                StudyColumn.STATUS: hit.status.replace("_", " ").lower(),
                StudyColumn.RESULTS: hit.results_posted.isoformat() if hit.results_posted else "none",
                StudyColumn.ENROLLED: "" if hit.enrollment is None else f"{hit.enrollment:,}",
                StudyColumn.TITLE: " ".join(hit.title.split()),
            }[column]
        if role == Qt.ItemDataRole.CheckStateRole and column is StudyColumn.NCT:
            return Qt.CheckState.Checked if hit.nct in self.ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.FontRole and hit.nct in self.brought:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ToolTipRole:
            title = " ".join(hit.title.split())
            if hit.nct in self.brought:
                return f"{title}\nIn the comparison (brought in from this registry)"
            return title + ("" if hit.results_posted else "\nNo results posted: nothing to chart")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return STUDY_HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == StudyColumn.NCT:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != StudyColumn.NCT:
            return False
        nct = self.hits[index.row()].nct
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        (self.ticked.add if checked else self.ticked.discard)(nct)
        self.dataChanged.emit(index, index)
        return True


def registry_ncts(datasets: Sequence[Dataset], label: str) -> list[str]:
    """The studies already brought in from the registry ``label`` (its one dataset), in order."""
    return [t.nct for d in datasets if d.path == dataset_path(label) for t in d.trials if t.nct]


class RegistryPane(QWidget):
    """Location, search boxes, the drug and study lists, and the button that brings ticked studies in."""

    def __init__(
        self,
        state: AppState,
        settings: Settings,
        merge: Callable[[LoadOutcome], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.settings, self.merge = state, settings, merge
        self.client = RegistryClient(self)
        self.client.replied.connect(self._on_reply)
        state.catalog_changed.connect(self._mark_brought)  # studies brought in or removed
        self.label = ""  # the open registry, as shown (no password)
        self.snapshot = ""
        self._progress: QProgressDialog | None = None
        self._reading: tuple[str, ...] = ()
        self._reopening: list[RegistryRef] = []  # a session's registry studies still to read, then its query
        self._reopen_query: Query | None = None
        self._matching = -1  # how many studies the last search matched (-1: no search yet)
        self._connecting = False

        self.location = QLineEdit(settings.get_str("registry/location") or shown_location(default_registry()))
        self.location.setObjectName("registryLocation")
        self.location.setPlaceholderText("postgresql://user@host/aact or the local copy (aact.duckdb)")
        self.location.setToolTip(
            "AACT on PostgreSQL (a postgresql:// URL; the password comes from PGPASSWORD or ~/.pgpass and is "
            "never remembered) or the local copy built by `drug-viewer registry import`"
        )
        self.location.returnPressed.connect(self.connect_registry)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setToolTip("Open this registry (Enter in the box)")
        self.connect_button.clicked.connect(self.connect_registry)
        browse = QPushButton("Bro&wse…")
        browse.setToolTip("Choose the local copy (a .duckdb file)")
        browse.clicked.connect(self._browse)
        self.status = QLabel("Not connected.")
        self.status.setObjectName("registryStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # server messages are shown, never interpreted
        self.status.setWordWrap(True)

        self.text = QLineEdit()
        self.text.setObjectName("registryText")
        self.text.setPlaceholderText("Drug: name, brand, code or MeSH term")
        self.text.setToolTip("Study counts per drug update as you type")
        self.text.setClearButtonEnabled(True)
        self.condition = QLineEdit()
        self.condition.setPlaceholderText("Condition (name or MeSH term)")
        self.condition.setClearButtonEnabled(True)
        self.with_results = QCheckBox("With res&ults")
        self.with_results.setToolTip("Only studies with posted results (the others have nothing to chart)")
        self.with_results.setChecked(True)
        self.placebo = QCheckBox("Place&bo-controlled")
        self.placebo.setToolTip("Only studies with a placebo comparator arm")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.search_now)
        for box in (self.text, self.condition):
            box.textChanged.connect(lambda _t: self._timer.start())
        for check in (self.with_results, self.placebo):
            check.toggled.connect(lambda _c: self._timer.start())

        self.drugs = DrugsModel()
        self.drug_view = self._table(self.drugs)
        self.drug_view.clicked.connect(self._drug_clicked)
        self.studies = StudiesModel()
        self.study_view = self._table(self.studies)
        self.study_view.horizontalHeader().setSectionResizeMode(StudyColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        self.shown = QLabel("")
        self.shown.setObjectName("registryShown")
        self.shown.setWordWrap(True)
        self.shown.setTextFormat(Qt.TextFormat.PlainText)
        self.tick_all = QPushButton("Tic&k listed")
        self.tick_all.setToolTip(f"Tick every listed study with results (at most {MAX_STUDIES})")
        self.tick_all.clicked.connect(self._tick_listed)
        self.add_button = QPushButton("Add to comparison")
        self.add_button.setObjectName("registryAdd")
        self.add_button.setToolTip(
            f"Read the ticked studies and compare their drugs (Ctrl+Return); at most {MAX_STUDIES} at once"
        )
        self.add_button.clicked.connect(self.add_ticked)
        add_shortcut = QAction(self)
        add_shortcut.setShortcut(QKeySequence("Ctrl+Return"))
        add_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add_shortcut.triggered.connect(self.add_ticked)
        self.addAction(add_shortcut)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        where = QHBoxLayout()
        where.addWidget(self.location, 1)
        where.addWidget(browse)
        where.addWidget(self.connect_button)
        layout.addLayout(where)
        layout.addWidget(self.status)
        layout.addWidget(self.text)
        layout.addWidget(self.condition)
        checks = QHBoxLayout()
        checks.addWidget(self.with_results)
        checks.addWidget(self.placebo)
        checks.addStretch(1)
        layout.addLayout(checks)
        lists = QSplitter(Qt.Orientation.Vertical)
        lists.addWidget(self.drug_view)
        lists.addWidget(self.study_view)
        lists.setSizes([140, 260])
        layout.addWidget(lists, 1)
        layout.addWidget(self.shown)
        buttons = QHBoxLayout()
        buttons.addWidget(self.tick_all)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout.addLayout(buttons)
        self._enable(False)

    @staticmethod
    def _table(model: QAbstractTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(22)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        view.setWordWrap(False)
        return view

    def _enable(self, connected: bool) -> None:
        for widget in (self.text, self.condition, self.with_results, self.placebo, self.tick_all, self.add_button):
            widget.setEnabled(connected)

    # -- actions ----------------------------------------------------------------------------------

    def connect_registry(self) -> None:
        typed = self.location.text().strip()
        if not typed:
            self.status.setText("Name a registry first: a postgresql:// URL or the local copy's path.")
            return
        shown = shown_location(typed)
        if shown != typed:
            self.location.setText(shown)  # the password is used for this connection only, never kept
        self.settings.set("registry/location", shown)
        self.status.setText(f"Connecting to {shown}…")
        self._enable(False)
        self._connecting = True
        self.client.open(typed)

    def on_shown(self) -> None:
        """Shown by the user: connect to the remembered registry (a URL, or a local copy that exists) once."""
        typed = self.location.text().strip()
        if not self.label and not self._connecting and (is_postgres(typed) or Path(typed).is_file()):
            self.connect_registry()
        self.text.setFocus()

    def reopen(self, refs: Sequence[RegistryRef], query: Query) -> None:
        """Read a session's registry studies again (each registry in turn), then show its query."""
        self._reopening, self._reopen_query = list(refs), query
        self._reopen_next()

    def _reopen_next(self) -> None:
        if not self._reopening:
            query, self._reopen_query = self._reopen_query, None
            if query is not None:
                self.state.set_query(query)
            return
        ref = self._reopening[0]
        if self.label == ref.location:
            self._reopening.pop(0)
            self.bring_in(ref.studies)
            return
        self.location.setText(ref.location)
        self.connect_registry()  # on opening, _on_reply comes back here and reads the studies

    def _stop_reopening(self, why: str) -> None:
        if self._reopening:
            names = ", ".join(r.location for r in self._reopening)
            self._reopening, self._reopen_query = [], None
            self.status.setText(f"{why} The session opened without the studies of {names}.")

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "Local AACT copy", str(Path.home()), "DuckDB (*.duckdb);;All (*)")
        if path:
            self.location.setText(path)
            self.connect_registry()

    def query(self) -> SearchQuery:
        return SearchQuery(
            text=self.text.text(),
            condition=self.condition.text(),
            has_results=True if self.with_results.isChecked() else None,
            placebo_controlled=self.placebo.isChecked(),
            limit=MAX_STUDIES,
        )

    def search_now(self) -> None:
        self._timer.stop()
        if self.label:
            self.client.search(self.query())

    def _drug_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.text.setText(self.drugs.hits[index.row()].name)
            self.search_now()

    def _tick_listed(self) -> None:
        listed = [h.nct for h in self.studies.hits if h.results_posted][:MAX_STUDIES]
        self.studies.set_ticked(sorted(self.studies.ticked | set(listed)))

    def add_ticked(self) -> None:
        """Read the ticked studies (with those already brought in from this registry) into the comparison."""
        ticked = self.studies.ticked_in_order()
        if not ticked:
            self.status.setText("Tick the studies to bring in (the box beside each NCT id).")
            return
        if len(ticked) > MAX_STUDIES:
            self.status.setText(f"{len(ticked)} studies ticked: at most {MAX_STUDIES} can be brought in at once.")
            return
        self.bring_in(ticked)

    def bring_in(self, ncts: Sequence[str]) -> None:
        """Read ``ncts`` (plus those already in from this registry) off the GUI thread, with Cancel."""
        wanted = tuple(dict.fromkeys([*registry_ncts(self.state.datasets, self.label), *ncts]))
        self._reading = wanted
        self.status.setText(f"Reading {len(wanted)} stud{'y' if len(wanted) == 1 else 'ies'} from {self.label}…")
        self._open_progress(len(wanted))
        self.client.read(wanted, self.state.session)

    def _open_progress(self, count: int) -> None:
        dialog = QProgressDialog(f"Reading {count} registry studies…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Reading the registry")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel_read)
        self._progress = dialog

    def cancel_read(self) -> None:
        self.client.cancel_read()
        self._close_progress()
        self.status.setText("Reading cancelled; the comparison is unchanged.")
        self._stop_reopening("Reading cancelled.")

    def _close_progress(self) -> None:
        if self._progress is not None:
            dialog, self._progress = self._progress, None
            dialog.canceled.disconnect(self.cancel_read)
            dialog.close()
            dialog.deleteLater()

    # -- replies ----------------------------------------------------------------------------------

    def _on_reply(self, reply: Reply) -> None:
        if reply.request is Request.OPEN:
            self._connecting = False
        if reply.request is Request.READ:
            self._close_progress()
        if reply.bug is not None:
            self.status.setText("Stopped on an unexpected error; nothing changed.")
            errors.report_unexpected(self, reply.bug.summary, reply.bug.details)
            return
        if reply.error:
            self._show_error(reply)
            return
        value = reply.value
        if isinstance(value, Opened):
            self.label, self.snapshot = value.label, value.snapshot
            self.status.setText(f"{value.label}: AACT snapshot {value.snapshot}.")
            self._enable(True)
            self.search_now()
            if self._reopening:
                self._reopen_next()
        elif isinstance(value, Found):
            self._show_found(value)
        elif isinstance(value, LoadResult):
            count = len(self._reading)
            self.status.setText(f"Brought in {count} stud{'y' if count == 1 else 'ies'} from {self.label}.")
            self.studies.set_ticked([])
            self.merge(LoadOutcome(value.paths, value))
            if self._reopen_query is not None:
                self._reopen_next()

    def _show_error(self, reply: Reply) -> None:
        if reply.request in (Request.OPEN, Request.READ) and self._reopen_query is not None:
            query = self._reopen_query
            self._stop_reopening(f"Could not read the session's registry studies: {reply.error}.")
            self.state.set_query(query)
            return
        if reply.request is Request.OPEN:
            self.label = ""
            self._enable(False)
            self.status.setText(f"Could not open the registry: {reply.error}")
        elif reply.request is Request.READ:
            self.status.setText(f"Nothing was brought in: {reply.error}")
        else:
            self.status.setText(f"Search failed: {reply.error}")

    def _show_found(self, found: Found) -> None:
        self.drugs.set_hits(found.drugs)
        self.studies.set_hits(found.studies)
        self._matching = found.matching
        self._mark_brought()

    def _mark_brought(self, *_changed: object) -> None:
        """Bold the listed studies already in the comparison and say how many there are."""
        self.studies.set_brought(registry_ncts(self.state.datasets, self.label) if self.label else [])
        listed, matching = len(self.studies.hits), self._matching
        if matching < 0:
            return
        if matching > listed:
            text = (
                f"Showing the newest {listed:,} of {matching:,} matching studies "
                f"(at most {MAX_STUDIES} are listed and brought in at once); narrow the search for the others."
            )
        else:
            text = f"{listed:,} matching stud{'y' if listed == 1 else 'ies'}."
        if brought := self.studies.listed_brought():
            text += f" {brought:,} of them {'is' if brought == 1 else 'are'} in the comparison (bold)."
        if not self.text.text().strip() and listed:
            text += " Type a drug to see study counts per drug."
        self.shown.setText(text)

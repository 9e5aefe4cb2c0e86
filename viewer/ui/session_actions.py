"""File > Save session, Open session, Recent sessions, and Export report (Ctrl+Shift+E) for the window.

A session file (:mod:`viewer.session_file`) names the datasets by path and content hash, the query and the
chart; opening one loads its user datasets through the window's loader and then shows its query and
chart, so the picture is the one that was saved. A dataset that moved or changed is named in a message
and the rest opens; a file that is not a session is refused with its problems and nothing changes.
The recent sessions are remembered in QSettings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from viewer import __version__
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.errors import DataError
from viewer.paths import data_root
from viewer.ui import errors
from viewer.ui.chart_pane import ChartPane
from viewer.ui.settings import Settings
from viewer.ui.state import AppState

if TYPE_CHECKING:  # the session file format (its dataclasses, json, the registry's locations): on first use,
    # not before the window's first paint (bench: startup_ratio)
    from viewer.session_file import RegistryRef, SessionFile

OpenWithQuery = Callable[[Sequence[Path], Query], bool]

RECENT_KEY = "session/recent"
MAX_RECENT = 8
REPORT_FILTER = "PDF report (*.pdf);;HTML report (*.html)"


def session_filter() -> str:
    from viewer.session_file import SUFFIX

    return f"drug-viewer session (*{SUFFIX} *.json);;All files (*)"


class SessionActions:
    """The session and report actions of one window; ``install`` adds them to its File menu.

    ``open_with_query`` loads files in the window's background loader and then shows the query.
    """

    def __init__(
        self,
        window: QMainWindow,
        state: AppState,
        chart_pane: ChartPane,
        settings: Settings,
        open_with_query: OpenWithQuery,
    ) -> None:
        self.window = window
        self.state = state
        self.chart_pane = chart_pane
        self.settings = settings
        self.open_with_query = open_with_query
        #: reads a session's registry studies again, then shows its query (the registry pane sets it)
        self.reopen_registry: Callable[[tuple[RegistryRef, ...], Query], None] | None = None
        self.save_action = self._action(
            "&Save session…",
            QKeySequence.StandardKey.Save,
            "Save datasets, drugs, query and chart to a file",
            self.save_dialog,
        )
        self.open_action = self._action(
            "Open s&ession…",
            QKeySequence("Ctrl+Alt+O"),
            "Reopen a saved session: its datasets, drugs, query and chart",
            self.open_dialog,
        )
        self.report_action = self._action(
            "Export &report…",
            QKeySequence("Ctrl+Shift+E"),
            "Export a report (PDF or HTML): chart, numbers, methods, caveats, warnings and sources",
            self.report_dialog,
        )
        self.recent_menu = QMenu("Recent sessions", window)
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey, tip: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(shortcut)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def install(self, file_menu: QMenu, before: QAction) -> None:
        file_menu.insertActions(before, [self.open_action])
        file_menu.insertMenu(before, self.recent_menu)
        file_menu.insertActions(before, [self.save_action])
        file_menu.insertSeparator(before)
        file_menu.insertActions(before, [self.report_action])
        file_menu.insertSeparator(before)

    # -- recent ---------------------------------------------------------------------------------

    def recent(self) -> list[str]:
        return self.settings.get_list(RECENT_KEY)

    def _remember(self, path: Path) -> None:
        text = str(path.resolve())
        self.settings.set(RECENT_KEY, [text, *(p for p in self.recent() if p != text)][:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = self.recent()
        if not paths:
            self.recent_menu.addAction("No recent sessions").setEnabled(False)
            return
        for text in paths:
            action = self.recent_menu.addAction(Path(text).name)
            action.setToolTip(text)
            action.triggered.connect(lambda _c=False, p=text: self.open_session(Path(p)))

    # -- save -----------------------------------------------------------------------------------

    def current(self, session_dir: Path) -> SessionFile:
        """The window's state as a session: datasets in load order, the query, the chart on show."""
        from viewer.session_file import ExportSize, SessionFile, dataset_ref, registry_refs

        refs = tuple(
            dataset_ref(Path(d.path), data_root=data_root(), session_dir=session_dir)
            for d in self.state.datasets
            if Path(d.path).exists()  # registry studies are read from no file
        )
        kind = self.chart_pane.current_kind() or ChartKind.DOSE_RESPONSE
        return SessionFile(refs, self.state.query, kind, ExportSize(), __version__, registry_refs(self.state.datasets))

    def save_to(self, path: Path) -> Path:
        """Write the session to ``path`` atomically; raises ``viewer.export.ExportError``."""
        from viewer.export import write_atomically
        from viewer.session_file import to_json

        written = write_atomically(path, to_json(self.current(path.parent)).encode("utf-8"))
        self._remember(written)
        return written

    def save_dialog(self) -> None:
        from viewer.session_file import SUFFIX

        suggested = str(self.settings.start_folder() / f"drug-viewer{SUFFIX}")
        path, _filter = QFileDialog.getSaveFileName(self.window, "Save session", suggested, session_filter())
        if not path:
            return
        self.settings.remember_folder(Path(path))
        target = Path(path) if path.endswith((SUFFIX, ".json")) else Path(path + SUFFIX)
        from viewer.export import ExportError

        try:
            written = self.save_to(target)
        except ExportError as exc:
            errors.message_box(self.window, QMessageBox.Icon.Warning, "Session not saved", str(exc))
            return
        self.window.statusBar().showMessage(f"Session saved to {written}", 8000)

    # -- open -----------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        start = str(self.settings.start_folder())
        path, _filter = QFileDialog.getOpenFileName(self.window, "Open session", start, session_filter())
        if path:
            self.settings.remember_folder(Path(path))
            self.open_session(Path(path))

    def open_session(self, path: Path) -> bool:
        """Reopen a session; False when the file is not a readable session (nothing changes then)."""
        from viewer.session_file import DatasetStatus, read_session, resolve_datasets

        window = self.window
        try:
            session = read_session(path)
        except DataError as exc:
            errors.message_box(
                window,
                QMessageBox.Icon.Warning,
                "Could not open the session",
                f"{path} is not a session drug-viewer can open; nothing was changed.",
                exc.message(),
            )
            return False
        resolved = resolve_datasets(session.datasets, data_root=data_root(), session_dir=path.parent)
        notes = [r.message() for r in resolved if r.status is not DatasetStatus.FOUND]
        wanted = [r.path for r in resolved if r.path is not None and not r.ref.shipped]
        keep = {str(p.resolve()) for p in wanted}
        for dataset in self.state.user_datasets():
            if str(Path(dataset.path).resolve()) not in keep:
                self.state.remove_dataset(dataset.path)
        self._remember(path)
        self.chart_pane.show_kind(session.chart)
        if wanted:
            self.open_with_query([p for p in wanted if p is not None], session.query)
        else:
            self.state.set_query(session.query)  # fitted to the catalog by the state
        if session.registry and self.reopen_registry is not None:
            self.reopen_registry(session.registry, session.query)  # read again off the GUI thread
        if notes:
            errors.message_box(
                window,
                QMessageBox.Icon.Information,
                "Session opened with changes",
                "Some datasets of this session are not as they were saved; the rest of the session is open.",
                "\n".join(notes),
            )
        window.statusBar().showMessage(f"Opened session {path}", 8000)
        return True

    # -- report ---------------------------------------------------------------------------------

    def report_kind(self) -> ChartKind:
        kind = self.chart_pane.current_kind()
        return kind if kind in (ChartKind.DOSE_RESPONSE, ChartKind.FOREST, ChartKind.TOLERABILITY) else ChartKind.FOREST

    def export_report_to(self, path: Path) -> Path:
        """The report of the window's selection on its chart; raises ExportError or ReportError."""
        from viewer.export.report import export_report

        return export_report(path, self.state.catalog, self.state.query, self.report_kind(), self.state.datasets)

    def report_dialog(self) -> None:
        from viewer.export import ExportError
        from viewer.export.report import ReportError

        suggested = str(self.settings.start_folder() / "drug-viewer-report.pdf")
        path, chosen = QFileDialog.getSaveFileName(self.window, "Export report", suggested, REPORT_FILTER)
        if not path:
            return
        self.settings.remember_folder(Path(path))
        target = Path(path)
        if target.suffix.lower() not in (".pdf", ".html"):
            target = target.with_name(target.name + (".html" if "HTML" in chosen else ".pdf"))
        try:
            written = self.export_report_to(target)
        except (ExportError, ReportError) as exc:
            errors.message_box(self.window, QMessageBox.Icon.Warning, "Report not exported", str(exc))
            return
        self.window.statusBar().showMessage(f"Report saved to {written}", 8000)

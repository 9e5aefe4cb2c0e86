"""The main window: catalog | charts | details, the menus, file loading and remembered settings.

The window composes the panes and wires them to one :class:`AppState`; it holds no chart logic. Files are
read by :class:`Loader` off the GUI thread, and a file that fails leaves the catalog as it was, because the
catalog is only ever rebuilt from datasets that loaded completely.

Export and copy live in :mod:`viewer.ui.export_actions`, a base of the window.

Public handles for scripts, soak tests and benchmarks::

    window = build_main_window(settings=Settings(QSettings(ini, QSettings.Format.IniFormat)))
    window.state.update_query(outcome="ACR50", adjusted=True)   # any Query field
    window.state.set_drug_ticked("filgotinib", True)            # False when refused (a fifth drug)
    window.state.set_focused_drug("baricitinib")                # the details pane follows
    window.open_paths([Path("my.csv")])                          # async; window.loader.finished fires
    window.chart_pane.show_kind(ChartKind.FOREST)                # rebuilt on show
    window.chart_pane.spec(ChartKind.FOREST)                     # the up-to-date ChartSpec
    window.export_chart_to(Path("f.png"), 1920, 1080, 96)        # raises ExportError
    window.export_data_to(Path("f.csv"))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__
from viewer.charts.query import MAX_DRUGS, Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import KEPT_OUT, Origin
from viewer.domain.readers import SUPPORTED
from viewer.gc_policy import freeze_long_lived, paused_gc
from viewer.paths import shipped_datasets
from viewer.session import Session
from viewer.ui import errors
from viewer.ui.catalog_pane import CatalogPane
from viewer.ui.chart_pane import ChartPane
from viewer.ui.controls import Controls
from viewer.ui.datasets_pane import DatasetsPane
from viewer.ui.details_pane import DISCLAIMER, DetailsPane
from viewer.ui.export_actions import WindowExports
from viewer.ui.icon import about_pixmap, app_icon
from viewer.ui.large_selection import CrowdingBar, ask_to_tick
from viewer.ui.loader import Loader, LoadOutcome
from viewer.ui.registry_dock import install_registry
from viewer.ui.session_actions import SessionActions
from viewer.ui.settings import Settings
from viewer.ui.shipped_cache import load_shipped
from viewer.ui.state import AppState
from viewer.ui.swap import Swap, new_drugs, prepare_swap
from viewer.ui.view_actions import ViewActions, apply_saved_theme

APP_TITLE = "drug-viewer"
DEFAULT_SIZE = (1440, 900)
SPLIT = (340, 720, 380)  # catalog | charts | details at the default size
OPEN_FILTER = ";;".join(
    (
        "Evidence files (*.csv *.json *.xml)",
        "Spreadsheet CSV (*.csv)",
        "ClinicalTrials.gov record (*.json *.xml)",
        "All files (*)",
    )
)
TAB_AIR = 24  # px beside the chart tabs (splitter handles, frame) when the layout makes room for them
TAB_SHORTCUTS = ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "Ctrl+6", "Ctrl+7", "Ctrl+8")


class MainWindow(WindowExports):
    """Three resizable regions over one :class:`AppState`; see the module docstring for the handles."""

    def __init__(self, state: AppState, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.settings = settings
        self.loader = Loader(self)
        self.loader.finished.connect(self._on_loaded)
        self._startup_query: Query | None = None
        self._startup_focus = ""
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.setObjectName("mainWindow")

        self.catalog_pane = CatalogPane(state)
        self.datasets_pane = DatasetsPane(state)
        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.setObjectName("sideSplitter")
        self.side_splitter.addWidget(self.catalog_pane)
        self.side_splitter.addWidget(self.datasets_pane)
        self.side_splitter.setStretchFactor(0, 1)
        self.side_splitter.setStretchFactor(1, 0)
        self.side_splitter.setSizes([600, 160])

        self.controls = Controls(state)
        self.chart_pane = ChartPane(state)
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.crowding_bar = CrowdingBar(state)
        self.crowding_bar.choose.clicked.connect(self.controls.trials.showMenu)
        self.chart_pane.tabs.currentChanged.connect(
            lambda _i: self.crowding_bar.show_kind(self.chart_pane.current_kind())
        )
        self.crowding_bar.show_kind(self.chart_pane.current_kind())
        column.addWidget(self.controls)
        column.addWidget(self.crowding_bar)
        column.addWidget(self.chart_pane, 1)

        self.details_pane = DetailsPane(state)
        self.details_pane.link_refused.connect(
            lambda url: self.statusBar().showMessage(f"Only web links (http, https) are opened; not: {url}", 8000)
        )

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.side_splitter)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.details_pane)
        for index, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(index, stretch)
        self.catalog_pane.setMinimumWidth(220)
        self.details_pane.setMinimumWidth(200)
        self.setCentralWidget(self.splitter)

        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("catalogSummary")
        self.statusBar().addPermanentWidget(self.summary)
        self._show_summary(state.catalog)

        self._make_actions()
        self._make_menus()
        self.datasets_pane.set_open_actions([self.open_action, self.open_folder_action])
        state.catalog_changed.connect(self._show_summary)
        state.catalog_changed.connect(lambda _c: self._remember_user_paths())  # a crash loses no dataset
        state.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.chart_pane.tabs.currentChanged.connect(lambda _i: self._update_actions())
        self._update_actions()
        self.resize(*DEFAULT_SIZE)
        self.reset_layout()

    # -- actions and menus ------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: str | QKeySequence | QKeySequence.StandardKey,
        tip: str,
        slot: Callable[..., object],
        *,
        checkable: bool = False,
    ) -> QAction:
        """An action with its shortcut shown in the tooltip, and the same words as its status tip."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        return action

    def _pane_toggle(self, text: str, shortcut: str, tip: str, pane: QWidget) -> QAction:
        """A checked action that shows or hides ``pane``."""
        action = self._action(text, shortcut, tip, pane.setVisible, checkable=True)
        action.setChecked(True)
        return action

    def _make_actions(self) -> None:
        self.open_action = self._action(
            "&Open dataset…",
            QKeySequence.StandardKey.Open,
            "Load a spreadsheet CSV or a ClinicalTrials.gov record",
            self.open_dialog,
        )
        self.open_folder_action = self._action(
            "Open dataset &folder…",
            "Ctrl+Shift+O",
            "Load a dataset folder (CSV tables and drug monographs)",
            self.open_folder_dialog,
        )
        self.export_chart_action = self._action(
            "&Export chart…", "Ctrl+E", "Save the current chart as PNG, SVG or PDF", self.export_chart_dialog
        )
        self.export_data_action = self._action(
            "Export &data…",
            "Ctrl+Alt+E",
            "Save the numbers behind the current chart or table as CSV",
            self.export_data_dialog,
        )
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, "Close drug-viewer", self.close)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.copy_action = self._action(
            "&Copy chart",
            QKeySequence.StandardKey.Copy,
            "Copy the current chart (or the compare table) to the clipboard",
            self.copy_chart,
        )
        # Only when the chart area has focus: Ctrl+C in the search box or the details keeps copying text.
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.chart_pane.addAction(self.copy_action)
        self.find_action = self._action(
            "&Find drug", QKeySequence.StandardKey.Find, "Search the catalog", self.catalog_pane.focus_search
        )
        self.details_action = self._pane_toggle(
            "&Details pane", "Ctrl+Shift+D", "Show or hide the focused drug's details", self.details_pane
        )
        self.datasets_action = self._pane_toggle(
            "Data&sets list", "Ctrl+Shift+L", "Show or hide the list of loaded datasets", self.datasets_pane
        )
        self.drugs_action = self._pane_toggle(
            "Dru&gs pane",
            "Ctrl+Shift+B",
            "Show or hide the drug list and the datasets (folded away on a narrow window)",
            self.side_splitter,
        )
        self.reset_layout_action = self._action(
            "&Reset layout", "Ctrl+Shift+R", "Restore the default pane sizes and show every pane", self.reset_layout
        )
        self.tab_actions: list[QAction] = []
        for index, shortcut in enumerate(TAB_SHORTCUTS):
            title = self.chart_pane.tabs.tabText(index)
            action = self._action(
                f"Show {title}",
                shortcut,
                f"Switch to the {title} tab",
                lambda _c=False, i=index: self.chart_pane.tabs.setCurrentIndex(i),
            )
            self.tab_actions.append(action)
        self.about_action = self._action(
            "&About drug-viewer",
            QKeySequence.StandardKey.HelpContents,
            "Data sources, version and disclaimer",
            self.show_about,
        )
        self.about_action.setShortcut(QKeySequence("F1"))
        self.addActions(
            [self.find_action, self.details_action, self.datasets_action, self.drugs_action, *self.tab_actions]
        )

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.open_action, self.open_folder_action])
        file_menu.addSeparator()
        file_menu.addActions([self.export_chart_action, self.export_data_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.sessions = SessionActions(self, self.state, self.chart_pane, self.settings, self.open_with_query)
        self.sessions.install(file_menu, before=self.export_chart_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.copy_action, self.find_action])
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.drugs_action, self.details_action, self.datasets_action])
        self.registry = install_registry(self, self.state, self.settings, self._on_loaded)
        self.sessions.reopen_registry = self.registry.reopen
        view_menu.addAction(self.registry.toggle)
        view_menu.addSeparator()
        view_menu.addActions(self.tab_actions)
        view_menu.addSeparator()
        view_menu.addAction(self.reset_layout_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)
        self.view = ViewActions(self)
        self.view.install(view_menu, help_menu)

    def _update_actions(self) -> None:
        on_chart = self.chart_pane.current_kind() is not None
        self.export_chart_action.setEnabled(on_chart)
        self.copy_action.setText("&Copy chart" if on_chart else "&Copy table")

    def _show_summary(self, catalog: Catalog) -> None:
        self.summary.setText(catalog.summary())
        labels = [d.label for d in self.state.datasets if d.origin is Origin.CURATED]
        self.setWindowTitle(f"{APP_TITLE} — {labels[0]}" if labels else APP_TITLE)

    def reset_layout(self) -> None:
        """Default pane sizes, scaled to the window, and the panes a window of this size shows.

        The side panes scale with the window but not below a readable width; on a small screen the
        charts give up the least, since they are what the window is for (a narrow window folds the side
        panes away: :meth:`ViewActions.adapt`).
        """
        self.details_action.setChecked(True)
        self.datasets_action.setChecked(True)
        self.drugs_action.setChecked(True)
        width = max(self.width(), 800)
        total = sum(SPLIT)
        catalog = max(round(width * SPLIT[0] / total * 0.95), 230) if width < DEFAULT_SIZE[0] else SPLIT[0]
        details = max(round(width * SPLIT[2] / total * 0.9), 240) if width < DEFAULT_SIZE[0] else SPLIT[2]
        # Every chart tab in sight: the side panes give the tab bar the width it needs (a larger desktop font
        # widens the tabs), the details pane first, neither below its readable width.
        tabs = self.chart_pane.tabs.tabBar().sizeHint().width() + TAB_AIR
        short = max(tabs - (width - catalog - details), 0)
        given = min(short, max(details - 240, 0))
        details -= given
        catalog -= min(short - given, max(catalog - 230, 0))
        self.splitter.setSizes([catalog, width - catalog - details, details])
        height = max(self.height() - 60, 400)
        self.side_splitter.setSizes([round(height * 0.78), round(height * 0.22)])
        self.view.adapt(self.width(), self.height())

    # -- loading --------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        start = str(self.settings.start_folder())
        files, _filter = QFileDialog.getOpenFileNames(self, "Open dataset", start, OPEN_FILTER)
        if files:
            self.settings.remember_folder(Path(files[0]))
            self.open_paths([Path(f) for f in files])

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open dataset folder", str(self.settings.start_folder()))
        if folder:
            self.settings.remember_folder(Path(folder))
            self.open_paths([Path(folder)])

    def open_paths(self, paths: Sequence[Path]) -> bool:
        """Load files or folders in the background; False (with a status note) while another load runs."""
        paths = [Path(p) for p in paths]
        if self.loader.is_busy():
            self.statusBar().showMessage("Still loading the previous files; try again when they are in.", 6000)
            return False
        if not paths:
            return False
        self.statusBar().showMessage("Loading " + ", ".join(p.name for p in paths) + "…")
        kind, wanted = self.chart_pane.current_kind(), self._startup_query
        return self.loader.load(
            paths, self.state.session, prepare=lambda session, result: prepare_swap(session, result, kind, wanted)
        )

    def open_with_query(self, paths: Sequence[Path], query: Query) -> bool:
        """Load ``paths``, then show ``query`` (a reopened session) instead of the files' own drugs."""
        self._startup_query, self._startup_focus = query, self.state.focused_drug
        started = self.open_paths(paths)
        if not started:
            self._startup_query = None
        return started

    def restore_user_paths(self, extra: Sequence[Path] = ()) -> None:
        """Reopen the remembered user datasets (plus ``extra``); drop and report those that have gone."""
        remembered = [Path(p) for p in self.settings.user_paths()]
        gone = [p for p in remembered if not p.exists()]
        present = [p for p in remembered if p.exists()]
        if gone:
            self.settings.set_user_paths([str(p) for p in present])
            note = "No longer found, removed from the remembered datasets: " + ", ".join(str(p) for p in gone)
            self.statusBar().showMessage(note, 15000)
            QTimer.singleShot(0, lambda: self._warn("Remembered datasets not found", note))
        paths = list(dict.fromkeys([*present, *(Path(p) for p in extra)]))
        if paths:
            self._startup_query = self.settings.load_query()
            self._startup_focus = self.settings.get_str("view/focused_drug")
            self.open_paths(paths)

    def _on_loaded(self, outcome: LoadOutcome) -> None:
        startup_query, self._startup_query = self._startup_query, None
        if outcome.cancelled:
            self.statusBar().showMessage("Loading cancelled; nothing changed.", 8000)
            return
        if outcome.bug is not None:
            self.statusBar().showMessage("Loading stopped on an unexpected error; the catalog is unchanged.", 10000)
            errors.report_unexpected(self, outcome.bug.summary, outcome.bug.details)
            return
        result = outcome.result
        if result is not None and result.datasets:
            swap = outcome.prepared
            if isinstance(swap, Swap):  # built on the worker: the table's rows, maybe the next chart
                self.catalog_pane.model.offer(swap.rows)
                if swap.chart is not None:
                    self.chart_pane.offer(swap.chart)
            if startup_query is not None:
                self.state.apply(result, lambda _session: startup_query, self._startup_focus)
            else:
                after = result.catalog or self.state.catalog
                fresh = new_drugs(self.state.catalog, result)
                outcomes = result.outcome_ids
                # never ticks drugs whose charts would hold thousands of trials without asking
                shown = fresh if ask_to_tick(self, after, tuple(fresh[:MAX_DRUGS])) else []
                self.state.apply(
                    result, lambda session: session.showing(shown, result.datasets, outcomes), fresh[0] if fresh else ""
                )
            names = ", ".join(d.label for d in result.datasets)
            self.statusBar().showMessage(f"Loaded {names}. {self.state.catalog.summary()}", 10000)
            self.datasets_pane.select_path(result.datasets[-1].path)
        if outcome.errors:
            self._report_errors(outcome)
        self._note_kept_out(outcome)
        skipped = [(d, s) for d in outcome.datasets for s in d.skipped if KEPT_OUT not in s]
        if skipped:
            details = "\n".join(f"{d.label}: {s}" for d, s in skipped)
            errors.message_box(
                self,
                QMessageBox.Icon.Information,
                "Partly imported",
                f"{len(skipped)} item(s) were left out of the import; everything else was loaded.",
                details,
                "Show Details lists each item left out and why.",
            )

    def _note_kept_out(self, outcome: LoadOutcome) -> None:
        """Registry outcomes of a kind no effect chart shows are routine: a status-bar note (the list in its
        tooltip), not a dialog. Anything else a file left out still opens the "Partly imported" box."""
        kept_out = [(d, x) for d in outcome.datasets for x in d.excluded_outcomes]
        if not kept_out:
            return
        counts = Counter(x.kind.value for _d, x in kept_out)
        summary = "; ".join(f"{kind} {count}" for kind, count in counts.most_common())
        self.statusBar().showMessage(
            # the pointer first: at 1024 px the pane buttons cut the message's end
            f"{len(kept_out)} registry outcome(s) kept out of the effect charts (hover for the list): {summary}.",
            20000,
        )
        self.statusBar().setToolTip(
            "\n".join(f"{d.label}: {x.title} ({x.kind.value}: {x.reason})" for d, x in kept_out)
        )

    def _report_errors(self, outcome: LoadOutcome) -> None:
        count = len(outcome.errors)
        names = ", ".join(p.name for p, _e in outcome.errors)
        parts = [f"{path}\n{error.message()}" for path, error in outcome.errors]
        self.statusBar().showMessage(f"Could not load {names}; the catalog is unchanged.", 10000)
        errors.message_box(
            self,
            QMessageBox.Icon.Warning,
            "Could not load data",
            f"{count} file{'s' if count != 1 else ''} could not be loaded: {names}.\n"
            "What was loaded before is unchanged.",
            "\n\n".join(parts),
            f"drug-viewer opens {SUPPORTED}. Show Details lists every problem with its place in the file.",
        )

    def _remember_user_paths(self) -> None:
        self.settings.set_user_paths([d.path for d in self.state.user_datasets()])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept local files and folders dragged onto the window."""
        mime = event.mimeData()
        if mime.hasUrls() and any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # -- help -----------------------------------------------------------------------------------

    def show_about(self) -> None:
        lines = [f"drug-viewer {__version__}", "", "Loaded data:"]
        lines += [f"  • {d.label} ({'shipped' if d.origin is Origin.CURATED else d.path})" for d in self.state.datasets]
        lines += [
            "",
            "Every figure names its source and evidence level (hover a point, or see the details pane).",
            "",
            DISCLAIMER,
        ]
        errors.message_box(
            self, QMessageBox.Icon.Information, "About drug-viewer", "\n".join(lines), pixmap=about_pixmap()
        )

    # -- settings -------------------------------------------------------------------------------

    def restore_settings(self) -> None:
        """Geometry, layout, tab and focus from the settings; anything unreadable keeps the default."""
        s = self.settings
        geometry = s.get_bytes("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = s.get_bytes("window/state")
        if not state.isEmpty():
            self.restoreState(state)
        for key, splitter in (("window/splitter", self.splitter), ("window/side_splitter", self.side_splitter)):
            blob = s.get_bytes(key)
            if not blob.isEmpty() and not splitter.restoreState(blob):
                self.reset_layout()
        self.details_action.setChecked(s.get_bool("view/details_visible"))
        self.datasets_action.setChecked(s.get_bool("view/datasets_visible"))
        self.drugs_action.setChecked(s.get_bool("view/drugs_visible"))
        self.view.restore()
        tab = s.get_int("view/tab")
        if 0 <= tab < self.chart_pane.tabs.count():
            self.chart_pane.tabs.setCurrentIndex(tab)
        focused = s.get_str("view/focused_drug")
        if focused in self.state.catalog.drugs:
            self.state.set_focused_drug(focused)

    def fit_to_screen(self) -> None:
        """On a first launch (no remembered geometry), the default size but never larger than the screen,
        laid out for that size (a small screen folds the details pane and the controls away)."""
        if not self.settings.get_bytes("window/geometry").isEmpty():
            return
        screen = self.screen().availableGeometry()
        self.resize(min(DEFAULT_SIZE[0], screen.width()), min(DEFAULT_SIZE[1], screen.height()))
        self.reset_layout()

    def save_settings(self) -> None:
        s = self.settings
        s.set("window/geometry", self.saveGeometry())
        s.set("window/state", self.saveState())
        s.set("window/splitter", self.splitter.saveState())
        s.set("window/side_splitter", self.side_splitter.saveState())
        s.set("view/details_visible", self.details_action.isChecked())
        s.set("view/datasets_visible", self.datasets_action.isChecked())
        s.set("view/drugs_visible", self.drugs_action.isChecked())
        self.view.save()
        s.set("view/tab", self.chart_pane.tabs.currentIndex())
        s.set("view/focused_drug", self.state.focused_drug)
        s.save_query(self._startup_query or self.state.query)
        self._remember_user_paths()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember everything, and let a running load finish its file (its result is dropped)."""
        self.save_settings()
        self.loader.cancel()
        self.loader.wait_idle()
        self.registry.close_client()
        super().closeEvent(event)

    def _warn(self, title: str, text: str) -> None:
        errors.message_box(self, QMessageBox.Icon.Warning, title, text)


def build_main_window(
    extra_paths: Sequence[Path] | None = None,
    settings: Settings | None = None,
    *,
    shipped: Sequence[Path] | None = None,
    install_excepthook: bool = True,
    shipped_cache: Path | None = None,
) -> MainWindow:
    """Build the window: shipped data now, remembered user files and ``extra_paths`` in the background.

    The shipped data is read on the GUI thread (the first window must show real data at once), or taken
    from ``shipped_cache`` when that holds exactly what a read would give (:mod:`viewer.ui.shipped_cache`;
    the app passes the user's cache file); a shipped dataset that breaks a rule is reported in a dialog,
    and a bug in reading it is not caught here: it stops the start-up with its traceback, like any bug
    before the window exists.

    ``settings`` defaults to the application's QSettings; tests pass an INI in a temporary folder and
    ``shipped`` to choose the curated data; ``install_excepthook=False`` leaves pytest's hook alone.
    """
    settings = settings or Settings(QSettings())
    session = Session(like_with_like=True)  # several drugs start on one population and timepoint
    with paused_gc():  # on the GUI thread, before any worker exists
        failures = load_shipped(session, shipped_datasets() if shipped is None else shipped, shipped_cache)
    session.set_query(settings.load_query())
    state = AppState(session=session)
    apply_saved_theme(settings)  # every pane and chart is built in the theme it will be shown in
    window = MainWindow(state, settings)
    window.setWindowIcon(app_icon())
    if install_excepthook:
        errors.install_excepthook(lambda: window)
    window.restore_settings()
    if failures:
        details = "\n\n".join(f"{p}\n{e.message()}" for p, e in failures)
        QTimer.singleShot(
            0,
            lambda: errors.message_box(
                window,
                QMessageBox.Icon.Critical,
                "Shipped data could not be read",
                "Part of the shipped catalog has errors and was not loaded.",
                details,
            ),
        )
    # What start-up built (modules, widgets, the shipped catalog) lives as long as the window: frozen, the
    # collector never rescans it, and a load's first collection (GcPause.begin) scans only what came after
    # (at start-up, before any load, it took ~100 ms of GUI stall at the start of the first File > Open).
    freeze_long_lived(collect=False)
    window.restore_user_paths(list(extra_paths or ()))
    return window

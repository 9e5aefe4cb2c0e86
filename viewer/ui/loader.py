"""Reading datasets off the GUI thread, with a progress dialog and a Cancel button.

A large ClinicalTrials.gov record or a folder of CSVs can take seconds to parse; done on the GUI thread
that freezes the window (no repaint, no Cancel). The readers are pure functions of a path and an immutable
catalog, so one worker thread can run them safely and hand back plain values. Cancelling discards the
result: a file half-read is never merged.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError, Problem
from viewer.domain.model import Dataset, Origin
from viewer.domain.readers import load_path
from viewer.ui.state import merge_datasets


@dataclass(frozen=True)
class LoadOutcome:
    """What one request produced: datasets read, and for each failed path its DataError."""

    paths: tuple[Path, ...]
    datasets: tuple[Dataset, ...] = ()
    errors: tuple[tuple[Path, DataError], ...] = ()
    cancelled: bool = False
    details: dict[Path, str] = field(default_factory=dict)  # traceback text of unexpected failures
    catalog: Catalog | None = None  # the loaded catalog merged with these datasets, built off the GUI thread


def load_all(paths: Sequence[Path], catalog: Catalog, origin: Origin = Origin.USER) -> LoadOutcome:
    """Read each path against the catalog plus what this request already read (so a later file can
    name a drug an earlier file brought). Any failure is kept per path; the others still load.
    """
    base = catalog.datasets
    datasets: list[Dataset] = []
    errors: list[tuple[Path, DataError]] = []
    details: dict[Path, str] = {}
    for path in paths:
        current = Catalog.from_datasets((*base, *datasets)) if datasets else catalog
        try:
            datasets.append(load_path(path, current, origin=origin))
        except DataError as exc:
            errors.append((path, exc))
        except Exception as exc:  # a reader bug or an OS error must not kill the worker silently
            errors.append((path, DataError([Problem(str(path), "", "", f"could not be read: {exc}")])))
            details[path] = traceback.format_exc()
    return LoadOutcome(tuple(paths), tuple(datasets), tuple(errors), details=details)


class _Signals(QObject):
    """Lives on the GUI thread; emitted from the worker, so the connection is queued."""

    progress = Signal(int, int, str)  # job, index, path
    done = Signal(int, object)  # job, LoadOutcome


class _Worker(QRunnable):
    def __init__(self, job: int, paths: tuple[Path, ...], catalog: Catalog, origin: Origin, signals: _Signals) -> None:
        super().__init__()
        self.job, self.paths, self.catalog, self.origin, self.signals = job, paths, catalog, origin, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            self._run()
        finally:
            # PySide6 (6.11) keeps the Python side of an auto-deleted runnable alive for good when it
            # finishes before start() has returned (a quickly failing file): drop what it references,
            # or each such load keeps a whole catalog alive.
            del self.catalog, self.paths

    def _run(self) -> None:
        outcomes: list[LoadOutcome] = []
        catalog = self.catalog
        for i, path in enumerate(self.paths):
            self.signals.progress.emit(self.job, i, str(path))
            one = load_all([path], catalog, self.origin)
            outcomes.append(one)
            if one.datasets:
                catalog = Catalog.from_datasets((*catalog.datasets, *one.datasets))
        datasets = tuple(d for o in outcomes for d in o.datasets)
        merged = LoadOutcome(
            self.paths,
            datasets,
            tuple(e for o in outcomes for e in o.errors),
            details={k: v for o in outcomes for k, v in o.details.items()},
            catalog=Catalog.from_datasets(merge_datasets(self.catalog.datasets, datasets)) if datasets else None,
        )
        self.signals.done.emit(self.job, merged)


class Loader(QObject):
    """Runs :func:`load_all` on a worker thread; ``finished`` arrives on the GUI thread.

    One request at a time: ``load`` returns False while busy. ``cancel`` ends the request at once for
    the user (``finished`` with ``cancelled=True``); the worker's late result is then dropped.
    """

    started = Signal(object)  # tuple[Path, ...]
    finished = Signal(object)  # LoadOutcome

    def __init__(self, parent_widget: QWidget | None = None, *, show_progress: bool = True) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self.show_progress = show_progress
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._job = 0
        self._busy_paths: tuple[Path, ...] = ()
        self._dialog: QProgressDialog | None = None

    def is_busy(self) -> bool:
        return bool(self._busy_paths)

    def load(self, paths: Sequence[Path], catalog: Catalog, origin: Origin = Origin.USER) -> bool:
        if self.is_busy() or not paths:
            return False
        self._job += 1
        self._busy_paths = tuple(paths)
        if self.show_progress:
            self._open_dialog(len(paths))
        self.started.emit(self._busy_paths)
        self._pool.start(_Worker(self._job, self._busy_paths, catalog, origin, self._signals))
        return True

    def cancel(self) -> None:
        if not self.is_busy():
            return
        paths = self._busy_paths
        self._job += 1  # the running worker's result no longer matches: it will be dropped
        self._finish(LoadOutcome(paths, cancelled=True))

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until the worker thread is done (window close, tests); queued results still pending."""
        return bool(self._pool.waitForDone(msecs))

    def _open_dialog(self, count: int) -> None:
        dialog = QProgressDialog("", "Cancel", 0, count if count > 1 else 0, self._parent_widget)
        label = QLabel("Loading…", dialog)
        label.setTextFormat(Qt.TextFormat.PlainText)  # file names are shown, never interpreted
        dialog.setLabel(label)
        dialog.setWindowTitle("Loading data")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # a quick load never flashes a dialog
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self._dialog = dialog

    @Slot(int, int, str)
    def _on_progress(self, job: int, index: int, path: str) -> None:
        if job != self._job or self._dialog is None:
            return
        self._dialog.setLabelText(f"Reading {Path(path).name} ({index + 1} of {len(self._busy_paths)})…")
        if self._dialog.maximum() > 0:
            self._dialog.setValue(index)

    @Slot(int, object)
    def _on_done(self, job: int, outcome: object) -> None:
        if job != self._job or not isinstance(outcome, LoadOutcome):
            return
        self._finish(outcome)

    def _finish(self, outcome: LoadOutcome) -> None:
        self._busy_paths = ()
        if self._dialog is not None:
            dialog, self._dialog = self._dialog, None
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()
        self.finished.emit(outcome)

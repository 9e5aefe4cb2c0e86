"""Reading datasets off the GUI thread, with a progress dialog and a Cancel button: the window's load boundary.

A large ClinicalTrials.gov record or a folder of CSVs can take seconds to parse; done on the GUI thread
that freezes the window (no repaint, no Cancel). The session's read is a pure function of the paths and
an immutable catalog, so one worker thread runs it and hands back a :class:`LoadResult`, which the window
merges on the GUI thread. Cancelling discards the result: a file half-read is never merged.

Errors: a file that breaks a rule comes back as a ``DataError`` in the result. Anything else raised while
reading is a bug: the worker catches it (the one place it is caught), and ``finished`` carries it as
:class:`Unexpected`, so the window shows the unexpected-error dialog and keeps what it had loaded.

The garbage collector is paused from the moment a request starts (after one collection, cheap then)
until its result has been handed on, switched on the GUI thread only (:mod:`viewer.gc_policy`): the
worker's read builds hundreds of thousands of objects without cycles, and the collector would rescan
them again and again.

The GUI thread's part is a swap: the window's ``prepare`` (:func:`viewer.ui.swap.prepare_swap`) runs on the
worker after the read, so the catalog's cached lists, the drug table's rows and the next chart arrive
ready with the result.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from viewer.domain.errors import DataError
from viewer.domain.model import Dataset, Origin
from viewer.gc_policy import GcPause
from viewer.session import LoadResult, Session


@dataclass(frozen=True)
class Unexpected:
    """A bug met while reading: one line for the dialog ("KeyError: 'x'") and the traceback for the log."""

    summary: str
    details: str

    @classmethod
    def from_exception(cls, exc: BaseException) -> Unexpected:
        return cls(f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)))


@dataclass(frozen=True)
class LoadOutcome:
    """What one request ended with: the session's result, a cancel, or a bug."""

    paths: tuple[Path, ...]
    result: LoadResult | None = None
    cancelled: bool = False
    bug: Unexpected | None = None
    prepared: object = None  # what the loader's ``prepare`` made of the result, on the worker

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        return self.result.datasets if self.result else ()

    @property
    def errors(self) -> tuple[tuple[Path, DataError], ...]:
        return self.result.errors if self.result else ()


LOAD_SWITCH_INTERVAL_S = 0.0005
"""The interpreter's thread switch interval while a load runs (Python's default: 5 ms). Whenever the GUI thread
needs the GIL from the reading worker it waits up to one interval; showing the loading dialog reaches a
Python override in many widgets, and at 5 ms a handoff that show stalled the window 400-800 ms at
1,000,000 arms (110 ms at 0.5 ms; `bench.ui_stall`, under the test lock)."""
SHOW_AFTER_MS = 400  # the progress dialog appears once a load has taken this long


class PaintInOneHold(QObject):
    """Installed on a window while a load reads: each repaint of the window is run from here, in Python, so
    the GIL is taken once for the whole paint rather than once for each Python override it reaches.

    Qt's event loop runs without the GIL; a paint then takes it back from the reading worker for every call
    into Python (a table's ``data`` and ``mapToSource`` for each cell, pyqtgraph's items), each after up to
    one switch interval. The window's repaint when the loading dialog shows (the window turns inactive)
    made ~1,000 such calls: 50-140 ms of stall at 1,000,000 arms (``bench.ui_stall``), where the same paint
    with the GIL held throughout takes a few milliseconds, the worker waiting meanwhile (a 200 x 10 table
    painted 5 times beside a spinning thread: 2.4 s -> 0.36 s). The paint itself is Qt's own
    (``QWidget.event`` with the window's update request): the same regions, the same pixels."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest and isinstance(watched, QWidget):
            watched.event(event)
            return True
        return False


class _Signals(QObject):
    """Lives on the GUI thread; emitted from the worker, so the connection is queued."""

    progress = Signal(int, int, str)  # job, index, path
    done = Signal(int, object)  # job, LoadOutcome


Prepare = Callable[[Session, LoadResult], object]
"""Work on a read's result that the GUI thread would otherwise do after the swap (indexes, caches, the next
chart); pure: it reads the session the request started from and the result."""


class _Worker(QRunnable):
    def __init__(
        self, job: int, paths: tuple[Path, ...], session: Session, origin: Origin, signals: _Signals, prepare: Prepare
    ) -> None:
        super().__init__()
        self.job, self.paths, self.session, self.origin, self.signals = job, paths, session, origin, signals
        self.prepare = prepare
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            outcome = self._read()
        finally:
            # PySide6 (6.11) keeps the Python side of an auto-deleted runnable alive for good when it
            # finishes before start() has returned (a quickly failing file): drop what it references,
            # or each such load keeps a whole catalog alive.
            del self.session, self.prepare
        self.signals.done.emit(self.job, outcome)

    def _read(self) -> LoadOutcome:
        def progress(index: int, path: Path) -> None:
            self.signals.progress.emit(self.job, index, str(path))

        try:
            result = self.session.read(self.paths, self.origin, progress)
            prepared = self.prepare(self.session, result) if result.catalog is not None else None
            return LoadOutcome(self.paths, result, prepared=prepared)
        except Exception as exc:  # the boundary: a reader bug reaches the window as a bug, on the GUI thread
            return LoadOutcome(self.paths, bug=Unexpected.from_exception(exc))


def _prepare_nothing(_session: Session, _result: LoadResult) -> None:
    return None


class Loader(QObject):
    """Runs :meth:`Session.read` on a worker thread; ``finished`` arrives on the GUI thread.

    One request at a time: ``load`` returns False while busy. ``cancel`` ends the request at once for
    the user (``finished`` with ``cancelled=True``); the worker's late result is then dropped.
    ``load``'s ``prepare`` runs on the worker after a read that loaded something (its value:
    ``outcome.prepared``), so the GUI thread only swaps in what is ready.
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
        self._gc_pause = GcPause()
        self._switch_interval: float | None = None  # the interval before the running load lowered it
        self._paint_hold = PaintInOneHold(self)

    def is_busy(self) -> bool:
        return bool(self._busy_paths)

    def load(
        self, paths: Sequence[Path], session: Session, origin: Origin = Origin.USER, prepare: Prepare | None = None
    ) -> bool:
        """Read ``paths`` against what ``session`` holds now; the result is merged by whoever listens.
        ``prepare`` (if any) makes ``outcome.prepared`` on the worker."""
        if self.is_busy() or not paths:
            return False
        self._job += 1
        self._busy_paths = tuple(paths)
        if self.show_progress:
            self._open_dialog(len(paths))
        self.started.emit(self._busy_paths)
        self._gc_pause.begin(collect=True)  # while cheap: the loaded catalogs are frozen (gc_policy)
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(LOAD_SWITCH_INTERVAL_S)
        if self._parent_widget is not None:
            self._parent_widget.window().installEventFilter(self._paint_hold)
        work = prepare or _prepare_nothing
        self._pool.start(_Worker(self._job, self._busy_paths, session, origin, self._signals, work))
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
        dialog.setMinimumDuration(SHOW_AFTER_MS)  # a quick load never flashes a dialog
        # Qt restarts its show timer only from a value at the minimum: a new dialog's value is below it (-1),
        # so without this the dialog kept the constructor's default and first showed after 4 s.
        dialog.setValue(0)
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
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None
        if self._parent_widget is not None:
            self._parent_widget.window().removeEventFilter(self._paint_hold)
        try:
            self.finished.emit(outcome)  # the merge runs here, still without collector passes
        finally:
            self._gc_pause.end()

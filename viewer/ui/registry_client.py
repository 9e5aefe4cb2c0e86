"""The registry off the GUI thread: open it, search it as the user types, read the picked studies.

A search of the whole registry takes tens to hundreds of milliseconds and a read of a few hundred studies
seconds; either on the GUI thread freezes the window. One worker thread owns the registry connection and
runs every request in turn (a PostgreSQL or DuckDB connection is used by one thread at a time), and each
result comes back on the GUI thread tagged with its request number: a search overtaken by the next
keystroke, or a read the user cancelled, is dropped when it arrives. Cancel also asks the engine to stop
the running statement (:meth:`RegistrySource.interrupt`), so the next request does not wait behind it.

Errors: a ``DataError`` (wrong password, server down, schema too old, no such study) comes back as a
message for the pane; anything else is a bug and comes back as :class:`Unexpected` for the error dialog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.registry import DrugHit, SearchQuery, StudyHit
from viewer.domain.registry.location import dataset_path, shown_location
from viewer.session import LoadResult, Session, merge_datasets
from viewer.ui.loader import Unexpected

if TYPE_CHECKING:
    from viewer.domain.registry import RegistrySource


class Request(StrEnum):
    OPEN = "open"
    SEARCH = "search"
    READ = "read"


@dataclass(frozen=True)
class Opened:
    label: str  # without a password
    snapshot: str


@dataclass(frozen=True)
class Found:
    query: SearchQuery
    drugs: tuple[DrugHit, ...]
    studies: tuple[StudyHit, ...]
    matching: int  # studies matching in all (the list shows at most query.limit)


@dataclass(frozen=True)
class Reply:
    """What one request ended with: its value, a user-facing error, or a bug."""

    request: Request
    job: int
    value: Opened | Found | LoadResult | None = None
    error: str = ""
    bug: Unexpected | None = None


class _Signals(QObject):
    done = Signal(object)  # Reply, emitted on the worker thread, delivered queued on the GUI thread


class _Job(QRunnable):
    def __init__(self, request: Request, job: int, work: Callable[[], object], signals: _Signals) -> None:
        super().__init__()
        self.request, self.job, self.work, self.signals = request, job, work, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            reply = Reply(self.request, self.job, value=self.work())  # type: ignore[arg-type]
        except DataError as exc:
            reply = Reply(self.request, self.job, error=exc.message())
        except Exception as exc:  # the boundary: a bug reaches the window's error dialog, on the GUI thread
            reply = Reply(self.request, self.job, bug=Unexpected.from_exception(exc))
        finally:
            del self.work  # see Loader: PySide6 may keep a finished runnable alive
        self.signals.done.emit(reply)


class RegistryClient(QObject):
    """Requests to one registry at a time; ``replied`` carries each current :class:`Reply` on the GUI thread."""

    replied = Signal(object)  # Reply

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._source: RegistrySource | None = None  # touched on the worker thread only
        self._lock = threading.Lock()  # guards _running, read by cancel on the GUI thread
        self._running: Request | None = None
        self._jobs = dict.fromkeys(Request, 0)
        self.location = ""  # as shown: no password

    # -- requests (GUI thread) ----------------------------------------------------------------------

    def open(self, location: str) -> int:
        """Open ``location`` (replacing the registry open now); the full URL stays in this call only."""
        self.location = shown_location(location)
        self._jobs[Request.SEARCH] += 1  # results of the previous registry no longer apply
        self._jobs[Request.READ] += 1
        return self._submit(Request.OPEN, lambda: self._open(location))

    def search(self, query: SearchQuery) -> int:
        return self._submit(Request.SEARCH, lambda: self._search(query))

    def read(self, ncts: Sequence[str], session: Session) -> int:
        """Read ``ncts`` into one dataset merged over what ``session`` holds now (nothing changes until the
        window applies the result)."""
        base, catalog = session.datasets, session.catalog
        chosen = tuple(ncts)
        return self._submit(Request.READ, lambda: self._read(chosen, base, catalog))

    def cancel_read(self) -> None:
        """Drop the running read's result and ask the engine to stop it."""
        self._jobs[Request.READ] += 1
        with self._lock:
            if self._running is Request.READ and self._source is not None:
                self._source.interrupt()

    def is_current(self, reply: Reply) -> bool:
        return reply.job == self._jobs[reply.request]

    def wait_idle(self, msecs: int = 30000) -> bool:
        return bool(self._pool.waitForDone(msecs))

    def close(self) -> None:
        """End every request and close the connection (window close)."""
        self.cancel_read()
        self._pool.waitForDone(30000)
        if self._source is not None:
            self._source.close()
            self._source = None

    def _submit(self, request: Request, work: Callable[[], object]) -> int:
        self._jobs[request] += 1
        job = self._jobs[request]

        def tracked() -> object:
            with self._lock:
                self._running = request
            try:
                return work()
            finally:
                with self._lock:
                    self._running = None

        self._pool.start(_Job(request, job, tracked, self._signals))
        return job

    @Slot(object)
    def _on_done(self, reply: object) -> None:
        if isinstance(reply, Reply) and self.is_current(reply):
            self.replied.emit(reply)

    # -- work (worker thread) -----------------------------------------------------------------------

    def _open(self, location: str) -> Opened:
        previous, self._source = self._source, None
        if previous is not None:
            previous.close()
        from viewer.domain.registry import open_registry  # the ClinicalTrials.gov readers: not on the start path

        source = open_registry(location)
        with self._lock:
            self._source = source
        return Opened(source.label, source.snapshot())

    def _opened(self) -> RegistrySource:
        if self._source is None:
            raise DataError.single(self.location or "registry", "", "", "no registry is open: connect first")
        return self._source

    def _search(self, query: SearchQuery) -> Found:
        source = self._opened()
        drugs = tuple(source.search_drugs(query)) if query.text.strip() else ()
        studies = tuple(source.search_studies(query))
        matching = len(studies) if len(studies) < query.limit else source.count_studies(query)
        return Found(query, drugs, studies, matching)

    def _read(self, ncts: tuple[str, ...], base: tuple, catalog: Catalog) -> LoadResult:  # type: ignore[type-arg]
        source = self._opened()
        # the studies already in from this registry are read again with the new ones and replace their
        # dataset: read them against the catalog without it, or their drugs would seem known already
        kept = tuple(d for d in base if d.path != dataset_path(source.label))
        dataset = source.load(ncts, catalog if len(kept) == len(base) else Catalog.from_datasets(kept))
        merged = Catalog.from_datasets(merge_datasets(base, (dataset,)))
        return LoadResult((Path(dataset.path),), base, (dataset,), (), merged)

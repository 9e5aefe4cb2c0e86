"""The shipped catalog, kept as read: the window's start-up takes it from a cache file written the first time.

Reading the shipped folders (seven TOML monographs, the CSV tables, every figure checked against the rules)
takes 15-30 ms on the GUI thread before the first paint, plus ~10 ms importing the readers and ``tomllib``
(``bench``: ``startup_ratio``). What that read makes are plain immutable values, so the window keeps them
in one pickle under the user's cache folder and reads them back in ~5 ms.

The cache is used only when it was written from exactly these inputs: the key names the cache format, the
interpreter, the application's version, and the size and modification time of every shipped file and of
every module of the ``viewer`` package (a changed figure, reader or model class reads the folders again).
A key that differs, a missing or unreadable file, or a read with errors (the window reports them; nothing is
cached then) all mean the folders are read as before; the file is written atomically (temporary file, then
rename), so a crash never leaves half of one. The cache holds no user data: only the shipped catalog.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths

import viewer
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset, Origin
from viewer.session import Session

CACHE_FORMAT = 1
CACHE_NAME = "shipped-catalog.pickle"
Key = tuple[object, ...]


def cache_file() -> Path:
    """Where the window keeps the shipped catalog: the platform's cache folder (``$XDG_CACHE_HOME`` or
    ``~/.cache`` on Linux), ``drug-viewer``."""
    root = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericCacheLocation)
    return Path(root) / "drug-viewer" / CACHE_NAME


def _stats(folder: Path, suffix: str = "") -> list[tuple[str, int, int]]:
    """(path, size, mtime in ns) of every file under ``folder`` ending with ``suffix``, bytecode folders left out."""
    found: list[tuple[str, int, int]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found += _stats(Path(entry.path), suffix)
            elif entry.name.endswith(suffix):
                stat = entry.stat()
                found.append((entry.path, stat.st_size, stat.st_mtime_ns))
    return found


def cache_key(folders: Sequence[Path]) -> Key:
    """What the cached catalog was read from and by: see the module docstring."""
    executable = Path(sys.executable)
    code = sorted(_stats(Path(viewer.__file__).parent, ".py"))
    data = [sorted(_stats(folder)) for folder in folders]
    return (CACHE_FORMAT, sys.version, str(executable), executable.stat().st_mtime_ns, viewer.__version__, code, data)


def _cached(cache: Path, key: Key) -> tuple[Dataset, ...] | None:
    """The datasets kept in ``cache`` under ``key``, or None (no file, another key, a damaged file: the key
    is plain data any version reads; what follows a matching key was written by this very code)."""
    try:
        with cache.open("rb") as stream:
            if pickle.load(stream) != key:
                return None
            datasets = pickle.load(stream)
    except (OSError, EOFError, ValueError, pickle.UnpicklingError):
        return None
    if not isinstance(datasets, tuple) or not all(isinstance(d, Dataset) for d in datasets):
        return None
    return datasets


def _keep(cache: Path, key: Key, datasets: tuple[Dataset, ...]) -> None:
    """Write the cache atomically; a folder that cannot be written only means no cache next time."""
    temporary = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        stream = temporary.open("wb")
    except OSError:
        return
    try:
        with stream:
            pickle.dump(key, stream, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(datasets, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
    except OSError:
        temporary.unlink(missing_ok=True)


def load_shipped(session: Session, folders: Sequence[Path], cache: Path | None) -> list[tuple[Path, DataError]]:
    """Load the shipped ``folders`` into an empty ``session``, from ``cache`` when it holds exactly them
    (None: always read); returns the folders that broke a rule, with why (none when taken from the cache)."""
    assert not session.datasets, "the shipped catalog is loaded first"
    if cache is None:
        return list(session.load(folders, Origin.CURATED).errors)
    key = cache_key(folders)
    datasets = _cached(cache, key)
    if datasets is not None:
        session.set_datasets(datasets)
        return []
    result = session.load(folders, Origin.CURATED)
    if not result.errors:
        _keep(cache, key, session.datasets)
    return list(result.errors)

"""Files written safely: all or nothing, with the mode a normal save would give, and a cause the user can read.

Every format is produced in memory first and then written with :func:`write_atomically`: a temporary
file in the destination folder, ``fsync``, ``os.replace``. A failed export therefore never leaves a
half-written file behind, and never destroys the file it was meant to replace.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["ExportError", "write_atomically", "write_csv"]


class ExportError(Exception):
    """An export could not be written; the message names the path and the cause for the user."""


_CAUSES = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EISDIR: "is a directory",
    errno.ENOENT: "folder does not exist",
    errno.ENOTDIR: "a parent in the path is not a folder",
    errno.ENAMETOOLONG: "file name too long",
}


def _cause(exc: OSError) -> str:
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return exc.strerror or str(exc)


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` would race other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all or nothing.

    The temporary file lives in the destination folder so that ``os.replace`` is a same-file-system
    rename. On any ``OSError`` the temporary file is removed and :class:`ExportError` is raised; an
    existing file at ``path`` is only replaced once the new content is safely on disk.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"cannot write to {path}: is a directory")
    folder = path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            # mkstemp creates 0600; give the file the mode a normal save would (or keep the old one).
            try:
                mode = path.stat().st_mode & 0o777
            except OSError:
                mode = 0o666 & ~_umask()
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise ExportError(f"cannot write to {path}: {_cause(exc)}") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def write_csv(rows: Sequence[Mapping[str, object]], columns: Sequence[str], path: Path) -> Path:
    """Write ``rows`` as CSV (UTF-8, header = ``columns``, missing keys empty, extra keys ignored).

    ``None`` becomes an empty cell; everything else goes through ``str``.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return write_atomically(Path(path), buffer.getvalue().encode("utf-8"))

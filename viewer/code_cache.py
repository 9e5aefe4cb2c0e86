"""The functions ``dataclasses`` writes, compiled once per machine instead of once per start.

``@dataclass`` writes ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` (and for a frozen class
``__setattr__`` and ``__delattr__``) as source text and runs each through ``exec``, which compiles it: on
this machine's Python (built without profile-guided optimisation) about 0.3 ms a function, so the ~76
dataclasses the window defines before its first paint cost 60-150 ms of compiling, the largest part of
what the app adds to a bare PySide6 + pyqtgraph window (``bench``: ``startup_ratio``; the command line
pays it too). The text is the same on every start, so :func:`install` gives ``dataclasses`` an ``exec``
that looks the compiled code up by its text (``marshal``, ~2 µs a function) in a file in the user's
cache folder, compiles what it does not find exactly as ``exec`` would (``compile(text, "<string>",
"exec")``, no inherited flags: ``dataclasses`` has no ``__future__`` import), and runs it as ``exec``
would. The classes are the same: the same bytecode from the same text. The file is keyed by the
interpreter (bytecode magic number and version); one that is damaged or foreign is read past and
replaced, and the file is written, atomically, only when this process compiled something new.

Only the front ends (:mod:`viewer.app`) install it: it replaces a name in a standard-library module for
the whole process, as :mod:`viewer.gc_policy` switches the collector.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
from contextlib import suppress
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

CACHE_NAME = "dataclass-code.marshal"
KEY = (MAGIC_NUMBER, sys.version)
MAX_ENTRIES = 5000  # far above what the app makes (~500); past it, only what this process used is kept


class CodeCache:
    """Compiled code by source text, read from and written back to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.code: dict[str, CodeType] = _read(path)
        self.compiled = 0  # texts this process compiled (not found in the file)
        self.used: set[str] = set()  # texts this process ran

    def exec(self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> None:
        """``exec`` as ``dataclasses`` calls it; a text is compiled once and then found by its text."""
        if not isinstance(source, str):
            builtins.exec(source, globals, locals)
            return
        self.used.add(source)
        code = self.code.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.code[source] = code
            self.compiled += 1
        builtins.exec(code, globals, locals)

    def save(self) -> None:
        """Write the file (temporary file, then replace) when this process compiled anything; a folder
        that cannot be written leaves no file and no temporary file."""
        if not self.compiled:
            return
        if len(self.code) > MAX_ENTRIES:  # old versions' code piled up: keep this version's
            self.code = {text: self.code[text] for text in self.used}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps((KEY, self.code)))
            os.replace(temporary, self.path)
        except OSError:
            with suppress(OSError):  # no folder to hold it either
                temporary.unlink(missing_ok=True)
            return
        self.compiled = 0


def _read(path: Path) -> dict[str, CodeType]:
    """The file's code when it was written by this interpreter; otherwise nothing (it will be replaced)."""
    try:
        key, code = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if key != KEY or not isinstance(code, dict):
        return {}
    return {text: c for text, c in code.items() if isinstance(text, str) and isinstance(c, CodeType)}


def cache_folder() -> Path:
    """The user's cache folder for drug-viewer, where Qt's ``GenericCacheLocation`` puts it on Linux
    (``$XDG_CACHE_HOME`` or ``~/.cache``; the platform's own elsewhere)."""
    if os.environ.get("XDG_CACHE_HOME"):
        root = Path(os.environ["XDG_CACHE_HOME"])
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        root = Path(os.environ["LOCALAPPDATA"])
    else:
        root = Path.home() / ".cache"
    return root / "drug-viewer"


def install(path: Path | None = None) -> CodeCache:
    """Give ``dataclasses`` the caching ``exec`` (idempotent) and save new code when the process exits."""
    cache = installed()
    if cache is None:
        cache = CodeCache(path or cache_folder() / CACHE_NAME)
        vars(dataclasses)["exec"] = cache.exec
        atexit.register(cache.save)
    return cache


def installed() -> CodeCache | None:
    """The cache ``dataclasses`` uses, if any."""
    owner = getattr(vars(dataclasses).get("exec"), "__self__", None)
    return owner if isinstance(owner, CodeCache) else None


def uninstall() -> None:
    """``dataclasses`` back on the builtin ``exec`` (tests)."""
    cache = installed()
    if cache is not None:
        atexit.unregister(cache.save)
        del vars(dataclasses)["exec"]

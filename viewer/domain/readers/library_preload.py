"""A package's compiled extension modules opened before their import, without the interpreter lock.

Importing an extension module opens its shared library (``dlopen``) while CPython holds its global
interpreter lock (``Python/dynload_shlib.c``; ``ctypes.CDLL`` holds it too), and opening pyarrow's
(``pyarrow.lib`` links libarrow, tens of megabytes to map and relocate) took 95-140 ms from a cold disk
cache. The first Arrow parse runs on the window's loader thread, so its GUI thread could not repaint
meanwhile (issue 17's File > Open stall, ``bench/ui_stall.py``). A foreign function called through
``ctypes`` runs with the lock released, so here the C library's own ``dlopen`` opens the same files first,
called that way; the import then finds each library open (``dlopen`` of an open library returns it at
once) and only initialises the module: the longest hold 95-140 ms -> 37-47 ms, cold.

The libraries are opened with the import system's flags (``sys.getdlopenflags``) and stay open, as an
imported extension's library does. Opening them runs their C++ static constructors and no Python code, so
a thread importing meanwhile (holding the lock, waiting for the loader's) cannot deadlock with this one
(holding the loader's, not needing the lock). On a system without ``dlopen`` (Windows) nothing is opened
here and the import opens them as before.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def open_extensions(package: str, modules: Iterable[str]) -> list[Path]:
    """Open the shared libraries of ``package``'s extension ``modules`` (names inside the package) that are
    not imported yet; returns the files opened. A file that is missing or fails to open is left to the
    import, which reports what is wrong with it: this only moves work off the lock."""
    wanted = [name for name in modules if f"{package}.{name}" not in sys.modules]
    dlopen = _dlopen() if wanted else None
    if dlopen is None:
        return []
    spec = importlib.util.find_spec(package)  # finds the package without importing it
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    opened = []
    for name in wanted:
        for path in _extension_files(folders, name)[:1]:
            if dlopen(os.fsencode(path), sys.getdlopenflags()):
                opened.append(path)
    return opened


def _dlopen() -> Callable[[bytes, int], int | None] | None:
    """The C library's ``dlopen``, called as a foreign function (so with the lock released), if there is one."""
    if os.name != "posix":
        return None
    try:
        function = ctypes.CDLL(None).dlopen  # the process's own symbols: the C library's dlopen
    except (OSError, AttributeError):
        return None
    function.restype, function.argtypes = ctypes.c_void_p, (ctypes.c_char_p, ctypes.c_int)
    return function


def _extension_files(folders: Iterable[str], name: str) -> list[Path]:
    """The files an import of extension module ``name`` could load, in the import system's order."""
    return [
        Path(folder) / f"{name}{suffix}"
        for folder in folders
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        if (Path(folder) / f"{name}{suffix}").is_file()
    ]

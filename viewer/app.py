"""Start-up: parse the command line, then either run a command headless or open the window.

Kept free of work so the first window appears fast: Qt, the charts and the readers are imported only
on the path that needs them.

The cyclic garbage collector is paused while the front ends import and the window is built: Qt's
bindings, pyqtgraph and the app make some 100,000 objects in those imports and no garbage worth a
collection, and the collector would scan them again and again (~160 collections, 30-50 ms of a start-up
or an export on this machine, ``bench``: ``startup_ratio``, ``cli_png_vs_matplotlib_ratio``). The window
freezes what it built (:func:`viewer.gc_policy.freeze_long_lived`), so the collector, on again after the
build, never scans it; the command line's imports go to the oldest generation (:class:`GcPause`).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from viewer import code_cache
from viewer.gc_policy import paused_gc

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow
    from viewer.ui.settings import Settings

# The sonames Qt's xcb platform plugin loads (Qt 6.5+ needs xcb-cursor): found by loading them, as Qt will.
XCB_LIBRARIES = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1")
XCB_HINT = (
    "drug-viewer: Qt cannot open a window here: the X11 (xcb) libraries {missing} are missing.\n"
    "On Debian or Ubuntu install them with:\n"
    "  sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1\n"
    "Charts can still be exported without a window: drug-viewer export --help"
)
NO_DISPLAY_HINT = (
    "drug-viewer: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so no window can open.\n"
    "Run it on a desktop, under xvfb-run, or export charts headless: drug-viewer export --help"
)


def display_problem() -> str:
    """Why Qt would abort instead of opening a window, said in words a user can act on, or ''."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform not in ("", "xcb"):
        return ""
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return ""
    if not os.environ.get("DISPLAY"):
        return NO_DISPLAY_HINT
    missing = [soname.split(".so")[0] for soname in XCB_LIBRARIES if not loadable(soname)]
    return XCB_HINT.format(missing=", ".join(missing)) if missing else ""


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds and loads the library ``soname``, as Qt's plugin will (~0.1 ms a
    library: ``ctypes.util.find_library`` ran ``ldconfig -p`` for each name, 5-25 ms of every launch)."""
    import ctypes  # only a window needs it

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def build_window(
    data: Sequence[Path] = (), settings: Settings | None = None, *, install_excepthook: bool = True
) -> MainWindow:
    """The main window over the shipped catalog (``data`` loads in the background), imported and built with
    the collector paused (module docstring); a ``QApplication`` must exist. The shipped catalog comes from
    the user's cache folder once it was read there (:mod:`viewer.ui.shipped_cache`). ``bench/startup_probe.py``
    times this, the window's start-up. The functions ``dataclasses`` writes come compiled from the user's
    cache folder too (:mod:`viewer.code_cache`)."""
    code_cache.install()
    with paused_gc():
        from viewer.ui.main_window import build_main_window
        from viewer.ui.shipped_cache import cache_file

        return build_main_window(
            extra_paths=list(data),
            settings=settings,
            install_excepthook=install_excepthook,
            shipped_cache=cache_file(),
        )


def launch(data: Sequence[Path], *, smoke: bool = False, session: Path | None = None) -> int:
    problem = display_problem()
    if problem:
        sys.stderr.write(problem + "\n")
        return 1
    with paused_gc():  # Qt's bindings and the application too (module docstring)
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from viewer.paths import APP_ID
        from viewer.ui.icon import app_icon

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setOrganizationName("drug-viewer")
        app.setApplicationName("drug-viewer")
        QApplication.setDesktopFileName(APP_ID)  # ties the window to the installed desktop entry and its icon
        QApplication.setWindowIcon(app_icon())
        window = build_window(data)
    window.fit_to_screen()
    if session is not None:
        window.sessions.open_session(session)
    window.show()
    if smoke:
        QTimer.singleShot(0, window.close)
    return int(app.exec())


def main(argv: Sequence[str] | None = None, *, program: bool = False) -> int:
    """Run a command headless, or open the window; the exit code. ``program``: this is the whole process
    (:func:`run`), so a command leaves at once when it is done (module docstring)."""
    with paused_gc():  # module docstring
        from viewer.cli import build_parser, run_command

    args = build_parser().parse_args(argv)
    if args.command is not None:
        code = run_command(args)
        return leave_now(code) if program else code
    return launch(args.data, smoke=args.smoke, session=args.session)


def run() -> int:
    """The program's entry point (the ``drug-viewer`` script, ``python -m viewer``), with the functions
    ``dataclasses`` writes compiled once per machine (:mod:`viewer.code_cache`)."""
    code_cache.install()
    return main(program=True)


def leave_now(code: int) -> int:
    """End the process with ``code`` without freeing its objects one by one (module docstring): flush the
    standard streams, run the ``atexit`` handlers, flush again, ``os._exit``. Returns ``code`` for the
    ordinary exit instead when that could lose something: a thread still running (the interpreter would
    wait for it), or a stream that cannot be flushed (a closed pipe: the interpreter reports it as ever).

    The handlers run through ``atexit._run_exitfuncs``, a private function, because there is no public one:
    the module's public API is ``register`` and ``unregister`` (docs.python.org/3/library/atexit.html), and
    the interpreter runs the handlers only from its own exit (CPython 3.11 ``Py_FinalizeEx`` in
    Python/pylifecycle.c: non-daemon threads joined, ``_PyAtExit_Call``, the standard streams flushed, then
    the modules and objects freed, which is what leaving at once saves). The one public route, a handler
    registered before all others that calls ``os._exit`` (handlers run last-registered first), ends the
    process before any handler registered ahead of it runs, and no public call tells whether one was:
    a handler would be skipped unseen. ``_run_exitfuncs`` (Modules/atexitmodule.c) runs every handler, logs
    a failing one through ``sys.unraisablehook`` as the exit does, and clears the list, so none runs twice.
    A Python without it gets the ordinary exit. ``tests/cli/test_exit.py`` fails if a handler stops running.
    """
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None or threading.active_count() > 1 or not _flushed():
        return code
    run_handlers()
    _flushed()
    os._exit(code)


def _flushed() -> bool:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream
        return False
    return True

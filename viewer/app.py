"""Start-up: parse the command line, then either run a command headless or open the window.

Kept free of work so the first window appears fast: Qt, the charts and the readers are imported only
on the path that needs them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

XCB_LIBRARIES = ("xcb-cursor", "xcb-icccm", "xcb-keysyms")
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
    import ctypes.util  # only a window needs it (ctypes and tempfile: ~10 ms the export command need not pay)

    missing = [f"lib{name}" for name in XCB_LIBRARIES if ctypes.util.find_library(name) is None]
    return XCB_HINT.format(missing=", ".join(missing)) if missing else ""


def launch(data: Sequence[Path], *, smoke: bool = False, session: Path | None = None) -> int:
    problem = display_problem()
    if problem:
        sys.stderr.write(problem + "\n")
        return 1
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from viewer.paths import APP_ID
    from viewer.ui.icon import app_icon
    from viewer.ui.main_window import build_main_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("drug-viewer")
    app.setApplicationName("drug-viewer")
    QApplication.setDesktopFileName(APP_ID)  # ties the window to the installed desktop entry and its icon
    QApplication.setWindowIcon(app_icon())
    window = build_main_window(extra_paths=list(data))
    window.fit_to_screen()
    if session is not None:
        window.sessions.open_session(session)
    window.show()
    if smoke:
        QTimer.singleShot(0, window.close)
    return int(app.exec())


def main(argv: Sequence[str] | None = None) -> int:
    from viewer.cli import build_parser, run_command

    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run_command(args)
    return launch(args.data, smoke=args.smoke, session=args.session)

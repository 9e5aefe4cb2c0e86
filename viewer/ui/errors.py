"""What happens when something goes wrong: message boxes, and a last-resort hook for unexpected errors.

An exception escaping a slot would otherwise print to a terminal the user never sees (and, with PySide6,
may abort). The hook logs the full traceback to a file in the application data folder, shows a dialog the
user can copy the details from, and returns, so the window stays usable and the bug can still be reported.
With the loader (which reports a bug met on its worker thread through :func:`report_unexpected`), the
hook is the window's error boundary: a bug is shown as a bug, never as a problem with the user's file.
All dialogs of the window go through :func:`message_box`, so tests replace one thing to keep them from
blocking.
"""

from __future__ import annotations

import datetime as _dt
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

LOG_NAME = "errors.log"
Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str = "",
    informative: str = "",
    pixmap: QPixmap | None = None,
) -> None:
    """A modal message with optional detailed text (the problem list, a traceback) to expand and copy;
    ``pixmap`` replaces the standard icon (the About box shows the application's).

    Text is set as plain text: file names and problems come from user files.
    """
    box = QMessageBox(parent)
    box.setIcon(icon)
    if pixmap is not None:
        box.setIconPixmap(pixmap)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
    box.deleteLater()  # a child of the window: kept alive (with its text) by every dialog shown otherwise


def log_path() -> Path:
    """``errors.log`` in the per-user application data folder (``~/.local/share/<org>/<app>`` on Linux)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".drug-viewer") / LOG_NAME


def write_log(text: str, path: Path | None = None) -> Path | None:
    """Append a dated entry; returns the file, or None when it cannot be written (never raises)."""
    target = path or log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as handle:
            handle.write(f"=== {_dt.datetime.now().isoformat(timespec='seconds')} ===\n{text}\n")
    except OSError:
        return None
    return target


class ExceptionHook:
    """``sys.excepthook`` replacement: log, show, carry on. ``dialog`` is replaceable for tests."""

    def __init__(self, parent: Callable[[], QWidget | None] | None = None, log_file: Path | None = None) -> None:
        self._parent = parent or (lambda: QApplication.activeWindow())
        self.log_file = log_file
        self.dialog: Callable[[QWidget | None, str, str], None] = self._show
        self._showing = False
        self.previous: Hook | None = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        self.report(f"{exc_type.__name__}: {exc}", text)

    def report(self, summary: str, details: str) -> None:
        """Log ``details`` (a traceback), echo it to stderr and show ``summary`` ("KeyError: 'x'")."""
        written = write_log(details, self.log_file)
        sys.stderr.write(details)
        if self._showing:  # an error inside the dialog's own event loop: logged, not stacked
            return
        where = f"The details were written to {written}." if written else "The log file could not be written."
        text = f"An unexpected error occurred: {summary}\n\n{where}\nThe window stays open; you can carry on."
        self._showing = True
        try:
            self.dialog(self._parent(), text, details)
        finally:
            self._showing = False

    @staticmethod
    def _show(parent: QWidget | None, summary: str, details: str) -> None:
        message_box(parent, QMessageBox.Icon.Critical, "Unexpected error", summary, details)


def report_unexpected(parent: QWidget | None, summary: str, details: str) -> None:
    """A bug caught at a boundary other than the hook (the loader's worker thread), reported the way the
    hook reports one: through the installed hook when there is one, so the log and dialog are the same."""
    hook = sys.excepthook
    if not isinstance(hook, ExceptionHook):
        hook = ExceptionHook(lambda: parent)
    hook.report(summary, details)


def install_excepthook(
    parent: Callable[[], QWidget | None] | None = None, log_file: Path | None = None
) -> ExceptionHook:
    """Install (once) and return the hook; the previous hook is kept on it for restoring."""
    current = sys.excepthook
    if isinstance(current, ExceptionHook):
        return current
    hook = ExceptionHook(parent, log_file)
    hook.previous = current
    sys.excepthook = hook
    return hook

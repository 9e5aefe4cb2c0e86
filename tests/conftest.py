import os

if not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

# Shared fixtures. Qt is imported lazily inside them, so the domain and chart tests never load it.

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from viewer.domain.catalog import Catalog
    from viewer.session import Session
    from viewer.ui.main_window import MainWindow
    from viewer.ui.settings import Settings


def shipped_session() -> "Session":
    """A fresh session over the shipped catalog, loaded the way both front ends load it."""
    from viewer.domain.model import Origin
    from viewer.paths import shipped_datasets
    from viewer.session import Session

    session = Session()
    result = session.load(shipped_datasets(), Origin.CURATED)
    assert result.ok, result.errors
    return session


@pytest.fixture(scope="session")
def shipped_catalog() -> "Catalog":
    """The shipped catalog, read once per run (a Catalog is immutable)."""
    return shipped_session().catalog


@pytest.fixture
def settings(tmp_path: Path) -> "Settings":
    """An isolated QSettings INI in tmp_path: tests never read or write the user's configuration."""
    from PySide6.QtCore import QSettings

    from viewer.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "viewer.ini"), QSettings.Format.IniFormat))


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Record every QMessageBox instead of blocking on it; a file dialog in a test is a bug.

    Only active when the test already imported Qt widgets, so pure tests stay Qt-free.
    """
    boxes: list[dict[str, Any]] = []
    if "PySide6.QtWidgets" not in sys.modules:
        yield boxes
        return
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    def fake_exec(box: QMessageBox) -> int:
        boxes.append(
            {
                "icon": box.icon(),
                "title": box.windowTitle(),
                "text": box.text(),
                "informative": box.informativeText(),
                "details": box.detailedText(),
                "pixmap": box.iconPixmap(),
            }
        )
        return int(QMessageBox.StandardButton.Ok.value)

    def no_file_dialog(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a test opened a file dialog; call the window's *_to()/open_paths() methods instead")

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, no_file_dialog)
    yield boxes


@pytest.fixture
def make_main_window(qtbot: Any, settings: "Settings") -> Callable[..., "MainWindow"]:
    """Build the main window like the app does, on the shipped data, with the tmp settings.

    ``make_main_window(settings=..., extra_paths=[...], shipped=[...], show=True)``; waits until the
    background load of remembered or extra files is done. qtbot closes the window at teardown.
    """
    from viewer.ui.main_window import build_main_window

    def make(
        *,
        settings: "Settings" = settings,
        extra_paths: Sequence[Path] = (),
        shipped: Sequence[Path] | None = None,
        show: bool = True,
    ) -> "MainWindow":
        window = build_main_window(list(extra_paths), settings, shipped=shipped, install_excepthook=False)
        window.loader.show_progress = False
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: not window.loader.is_busy(), timeout=20000)
        return window

    return make


@pytest.fixture
def planted_reader_bug(monkeypatch: pytest.MonkeyPatch) -> Path:
    """A KeyError planted deep in the spreadsheet reader; returns a spreadsheet that reaches it.

    Only a bug can raise KeyError there, so whatever reports it must report a bug (exit 1, the
    unexpected-error dialog), never a problem with the file.
    """
    from viewer.domain.readers import spreadsheet

    def planted(*_args: object, **_kwargs: object) -> None:
        raise KeyError("planted")

    monkeypatch.setattr(spreadsheet, "_trial", planted)
    return Path(__file__).resolve().parent / "data" / "migraine_spreadsheet.csv"

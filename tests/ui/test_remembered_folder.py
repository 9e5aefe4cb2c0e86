"""File dialogs open where the user last opened or saved a file, in this window and the next one (QSettings)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

Make = Callable[..., MainWindow]
RECORD = Path(__file__).resolve().parents[1] / "data" / "ctgov" / "NCT03064438.json"


def test_the_next_dialog_opens_in_the_folder_of_the_last_file(
    qtbot: Any, make_main_window: Make, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trials = tmp_path / "trials"
    trials.mkdir()
    record = trials / RECORD.name
    shutil.copy(RECORD, record)
    asked: list[tuple[str, str]] = []

    def open_files(_parent: object, title: str, start: str, _filter: str) -> tuple[list[str], str]:
        asked.append((title, start))
        return [str(record)], ""

    def save_file(_parent: object, title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append((title, suggested))
        return "", ""  # cancelled

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_files)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file)
    window = make_main_window()
    window.open_action.trigger()
    qtbot.waitUntil(lambda: not window.loader.is_busy(), timeout=20000)
    window.export_data_action.trigger()
    window.sessions.save_dialog()
    assert asked == [
        ("Open dataset", str(Path.home())),  # nothing remembered yet
        ("Export data", str(trials / "dose-response.csv")),
        ("Save session", str(trials / "drug-viewer.dvsession.json")),
    ]
    window.close()
    again = make_main_window(settings=Settings(settings.qsettings))
    again.open_action.trigger()
    assert asked[-1] == ("Open dataset", str(trials))  # remembered between runs
    shutil.rmtree(trials)
    again.open_action.trigger()
    assert asked[-1] == ("Open dataset", str(Path.home()))  # a folder since removed: home again

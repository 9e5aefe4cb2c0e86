"""A window remembers its outcome in QSettings; one remembered before registry outcome ids joined their parts
with a middle dot (issue 17) reopens the same outcome, as a saved session does (``outcome_ids``)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

Make = Callable[..., MainWindow]
RECORD = Path(__file__).resolve().parents[1] / "data" / "ctgov" / "NCT03064438.json"
MEASURE = (
    "Number of Participants With Erythema Score Based on Local Tolerability as Assessed by the Investigator "
    "at Day 1 (Post-application) and Weeks 2, 4, 8, and 14"
)
OLD = f"{MEASURE} — Week 14 — Score 0 (clear)"  # as the window remembered it before issue 17
NEW = f"{MEASURE} · Week 14 · Score 0 (clear)"


def old_settings(ini: Path, user_paths: list[str]) -> None:
    """An INI as an earlier drug-viewer wrote it: the record among the user's datasets, its outcome chosen."""
    written = QSettings(str(ini), QSettings.Format.IniFormat)
    written.setValue("query/drugs", json.dumps(["accud1"]))
    written.setValue("query/outcome", OLD)
    written.setValue("data/user_paths", json.dumps(user_paths))
    written.sync()
    del written


def test_a_remembered_em_dash_outcome_reopens_that_outcome(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    record = tmp_path / RECORD.name
    shutil.copy(RECORD, record)
    ini = tmp_path / "old.ini"
    old_settings(ini, [str(record)])
    window = make_main_window(settings=Settings(QSettings(str(ini), QSettings.Format.IniFormat)))
    qtbot.waitUntil(window.chart_pane.up_to_date)
    assert window.state.query.outcome == NEW
    assert window.state.query.drugs == ("accud1",)  # the remembered comparison, not the record's own
    assert window.controls.outcome.currentData() == NEW
    # written back at once in this version's spelling: the next start reads it as it is
    assert QSettings(str(ini), QSettings.Format.IniFormat).value("query/outcome") == NEW


def test_an_em_dash_outcome_without_a_registry_record_is_kept(tmp_path: Path) -> None:
    """Only the registry readers wrote em-dash ids: a spreadsheet's own outcome with one stays as it is."""
    ini = tmp_path / "old.ini"
    old_settings(ini, [str(tmp_path / "trials.csv")])
    assert Settings(QSettings(str(ini), QSettings.Format.IniFormat)).load_query().outcome == OLD

"""The session file, pure: written and read back, datasets found, moved, changed or missing, and bad
files refused with their place and rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from viewer.charts.query import DiffCI, DoseAxis, Effect, PanelMode, Query, RateCI
from viewer.charts.spec import ChartKind
from viewer.domain.errors import DataError
from viewer.paths import data_root, shipped_datasets
from viewer.session_file import (
    DatasetStatus,
    ExportSize,
    SessionFile,
    content_hash,
    dataset_ref,
    from_json,
    read_session,
    resolve_datasets,
    to_json,
)

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "tests" / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"

QUERY = Query(
    drugs=("upadacitinib", "tofacitinib", "baricitinib"),
    outcome="ACR50",
    timepoint="week 12",
    population="MTX-IR",
    trials=("select-next",),
    adjusted=True,
    effect=Effect.OR,
    diff_ci=DiffCI.WALD,
    rate_ci=RateCI.CLOPPER_PEARSON,
    dose_axis=DoseAxis.APPROVED,
    panels=PanelMode.NONE,
    emax=True,
    verified_only=True,
    ae_term="serious infection",
)


def saved(tmp_path: Path) -> tuple[SessionFile, Path]:
    record = tmp_path / "records" / RECORD.name
    record.parent.mkdir()
    shutil.copyfile(RECORD, record)
    session_dir = tmp_path / "sessions"
    session_dir.mkdir()
    refs = tuple(dataset_ref(p, data_root=data_root(), session_dir=session_dir) for p in (*shipped_datasets(), record))
    return SessionFile(refs, QUERY, ChartKind.FOREST, ExportSize(1050, 700, 300), "0.1.0"), session_dir


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    session, _ = saved(tmp_path)
    text = to_json(session)
    assert from_json(text, "s.json") == session
    document = json.loads(text)
    assert document["format"] == "drug-viewer-session" and document["chart"] == "forest"
    assert document["query"]["effect"] == "or" and document["query"]["drugs"][0] == "upadacitinib"
    shipped, record = document["datasets"][0], document["datasets"][-1]
    assert shipped["shipped"] is True and shipped["path"] == "jak-ra"
    assert record["relative"] == "../records/NCT02552212_ctgov_v2.json"
    assert record["sha256"] == content_hash(RECORD)


def test_folder_hash_follows_names_and_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    shutil.copytree(shipped_datasets()[0], folder)
    before = content_hash(folder)
    assert before == content_hash(shipped_datasets()[0])
    (folder / "trials.csv").rename(folder / "trials2.csv")
    assert content_hash(folder) != before


def test_datasets_found_moved_changed_and_missing(tmp_path: Path) -> None:
    session, session_dir = saved(tmp_path)
    found = resolve_datasets(session.datasets, data_root=data_root(), session_dir=session_dir)
    assert [r.status for r in found] == [DatasetStatus.FOUND] * len(found)
    assert all(r.message() == "" for r in found)

    # the record and the session move together: found beside the session file, by its relative path
    moved_root = tmp_path / "elsewhere"
    moved_root.mkdir()
    shutil.move(tmp_path / "records", moved_root / "records")
    shutil.move(session_dir, moved_root / "sessions")
    moved = resolve_datasets(session.datasets, data_root=data_root(), session_dir=moved_root / "sessions")
    assert moved[-1].status is DatasetStatus.MOVED
    assert "opened from" in moved[-1].message() and "same content" in moved[-1].message()

    # moved away from the session too: missing, named, the rest found
    shutil.move(moved_root / "records", tmp_path / "gone")
    missing = resolve_datasets(session.datasets, data_root=data_root(), session_dir=moved_root / "sessions")
    assert missing[-1].status is DatasetStatus.MISSING and missing[-1].path is None
    assert RECORD.name in missing[-1].message() and "opens without it" in missing[-1].message()
    assert missing[0].status is DatasetStatus.FOUND

    # back in place but edited: changed, opened as it is now
    (tmp_path / "records").mkdir()
    edited = tmp_path / "records" / RECORD.name
    edited.write_bytes(RECORD.read_bytes() + b"\n")
    changed = resolve_datasets(session.datasets, data_root=data_root(), session_dir=session_dir)
    assert changed[-1].status is DatasetStatus.CHANGED and changed[-1].path == edited
    assert "changed since the session was saved" in changed[-1].message()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "not JSON"),
        ("{", "not JSON"),
        ("[]", "not a drug-viewer session"),
        ('{"format": "drug-viewer-session", "version": 9}', "version 9; this drug-viewer reads version 1"),
        ('{"format": "drug-viewer-session", "version": 1, "chart": "pie"}', "$: chart: unknown value 'pie'"),
        (
            '{"format": "drug-viewer-session", "version": 1, "query": {"effect": "hr", "drugs": "upa"}}',
            "$.query: drugs: expected list",
        ),
        (
            '{"format": "drug-viewer-session", "version": 1, "datasets": [{"path": "x", "sha256": "12"}]}',
            "$.datasets[0]: sha256: expected 64 lowercase hexadecimal digits",
        ),
        ('{"format": "drug-viewer-session", "version": 1, "export": {"dpi": true}}', "$.export: dpi: expected int"),
        ('{"format": "drug-viewer-session", "version": 1, "query": {"colour": 1}}', "colour: not a query option"),
    ],
)
def test_bad_session_files_are_refused_with_place_and_rule(text: str, expected: str) -> None:
    with pytest.raises(DataError) as caught:
        from_json(text, "bad.json")
    assert expected in caught.value.message()
    assert all(p.file == "bad.json" for p in caught.value.problems)


def test_every_problem_reported_at_once() -> None:
    text = '{"format": "drug-viewer-session", "version": 1, "chart": "pie", "query": {"effect": "hr", "emax": 1}}'
    with pytest.raises(DataError) as caught:
        from_json(text, "bad.json")
    assert len(caught.value.problems) == 3


def test_unreadable_file_is_a_data_error(tmp_path: Path) -> None:
    binary = tmp_path / "s.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match="cannot read the session file"):
        read_session(binary)
    with pytest.raises(DataError, match="cannot read the session file"):
        read_session(tmp_path / "none.json")


OLD_SESSION = ROOT / "tests" / "data" / "sessions" / "log-dose-before-dose-axis.dvsession.json"


def test_a_session_saved_before_dose_axes_reopens_on_the_log_axis_it_chose() -> None:
    """Written by drug-viewer at 53345e8 (``log_dose`` was a switch then); read as ``dose_axis`` now."""
    text = OLD_SESSION.read_text(encoding="utf-8")
    assert '"log_dose": true' in text and "dose_axis" not in text
    session = read_session(OLD_SESSION)
    assert session.query.dose_axis is DoseAxis.LOG
    assert session.query.drugs == ("upadacitinib", "baricitinib") and session.chart is ChartKind.DOSE_RESPONSE
    assert "log_dose" not in json.loads(to_json(session))["query"]  # saved again: the new option only
    linear = from_json(text.replace('"log_dose": true', '"log_dose": false'), "old.json")
    assert linear.query.dose_axis is DoseAxis.LINEAR
    both = text.replace('"log_dose": true', '"log_dose": true, "dose_axis": "approved"')
    assert from_json(both, "old.json").query.dose_axis is DoseAxis.APPROVED  # the newer option wins


def test_an_old_log_dose_that_is_not_a_switch_is_refused() -> None:
    text = OLD_SESSION.read_text(encoding="utf-8").replace('"log_dose": true', '"log_dose": "yes"')
    with pytest.raises(DataError) as caught:
        from_json(text, "old.json")
    assert '$.query: log_dose: expected bool, found "yes"' in caught.value.message()

"""File > Save session / Open session / Recent and Export report in the window, with pytest-qt."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf

from viewer.charts.query import Effect
from viewer.charts.spec import ChartKind
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "tests" / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"
Make = Callable[..., MainWindow]


def fresh_settings(tmp_path: Path, name: str) -> Settings:
    from PySide6.QtCore import QSettings

    return Settings(QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))


def wait_loaded(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.loader.is_busy(), timeout=20000)


def test_save_reopen_export_gives_the_same_bytes(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    record = tmp_path / "data" / RECORD.name
    record.parent.mkdir()
    shutil.copyfile(RECORD, record)
    first = make_main_window(extra_paths=[record])
    first.state.set_query(
        first.state.query.with_(drugs=("upadacitinib", "tofacitinib"), outcome="ACR50", effect=Effect.OR)
    )
    first.chart_pane.show_kind(ChartKind.FOREST)
    before = first.export_chart_to(tmp_path / "before.png", 1200, 800, 96)
    saved = first.sessions.save_to(tmp_path / "s.dvsession.json")
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["chart"] == "forest" and document["query"]["effect"] == "or"
    assert [d.get("shipped", False) for d in document["datasets"]] == [True, False]

    second = make_main_window(settings=fresh_settings(tmp_path, "second"))
    assert second.state.query != first.state.query
    assert second.sessions.open_session(saved)
    wait_loaded(qtbot, second)
    assert second.state.query == first.state.query
    assert [d.path for d in second.state.user_datasets()] == [str(record)]
    assert second.chart_pane.current_kind() is ChartKind.FOREST
    after = second.export_chart_to(tmp_path / "after.png", 1200, 800, 96)
    assert after.read_bytes() == before.read_bytes()
    assert second.sessions.recent() == [str(saved.resolve())]


def test_moved_dataset_is_named_and_the_rest_opens(
    qtbot: Any, make_main_window: Make, tmp_path: Path, message_boxes: list[dict[str, Any]]
) -> None:
    record = tmp_path / "data" / RECORD.name
    record.parent.mkdir()
    shutil.copyfile(RECORD, record)
    first = make_main_window(extra_paths=[record])
    first.state.set_query(first.state.query.with_(drugs=("baricitinib",), outcome="ACR70"))
    saved = (
        first.sessions.save_to(tmp_path / "sessions" / "s.json") if (tmp_path / "sessions").mkdir() is None else None
    )
    assert saved is not None
    record.unlink()
    second = make_main_window(settings=fresh_settings(tmp_path, "second"))
    assert second.sessions.open_session(saved)
    wait_loaded(qtbot, second)
    (box,) = [b for b in message_boxes if b["title"] == "Session opened with changes"]
    assert str(record) in box["details"] and "the session opens without it" in box["details"]
    assert second.state.query.drugs == ("baricitinib",) and second.state.query.outcome == "ACR70"


def test_corrupt_session_changes_nothing(
    make_main_window: Make, tmp_path: Path, message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    window.state.set_query(window.state.query.with_(outcome="ACR50"))
    query, datasets = window.state.query, window.state.datasets
    broken = tmp_path / "s.json"
    broken.write_text('{"format": "drug-viewer-session", "version": 1, "query": {"effect": "hr"}}', encoding="utf-8")
    assert not window.sessions.open_session(broken)
    (box,) = message_boxes
    assert box["title"] == "Could not open the session" and "nothing was changed" in box["text"]
    assert "$.query: effect: unknown value 'hr'" in box["details"]
    assert window.state.query == query and window.state.datasets == datasets
    assert window.sessions.recent() == []


def test_recent_menu_lists_saved_sessions(make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    for name in ("a.json", "b.json", "a.json"):
        window.sessions.save_to(tmp_path / name)
    window.sessions._fill_recent()
    titles = [a.text() for a in window.sessions.recent_menu.actions()]
    assert titles == ["a.json", "b.json"]


def test_export_report_from_the_window(make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    assert window.sessions.report_action.shortcut().toString() == "Ctrl+Shift+E"
    window.chart_pane.show_kind(ChartKind.DOSE_RESPONSE)
    written = window.sessions.export_report_to(tmp_path / "r.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(written).pages)
    assert "response by daily dose" in text and "Methods" in text
    html = window.sessions.export_report_to(tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<svg" in html and "<script" not in html

"""A query that selects nothing, in the window: a clear empty state, never a crash, never an empty file."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.domain.minidata import write_dataset
from viewer import session as session_module
from viewer.charts.spec import ChartKind
from viewer.export import ExportError
from viewer.ui.main_window import MainWindow

Make = Callable[..., MainWindow]


def test_an_empty_chart_is_shown_as_such_and_never_exported(
    qtbot: Any, make_main_window: Make, tmp_path: Path, message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    with qtbot.waitSignal(window.chart_pane.rebuilt, timeout=5000):
        window.state.update_query(drugs=("ruxolitinib",), outcome="ACR20")  # ruxolitinib has no ACR20 results
    spec = window.chart_pane.spec(ChartKind.DOSE_RESPONSE)
    assert spec.is_empty
    assert spec.empty_message == (
        "No ACR20 figures for Ruxolitinib with the current filters.\n"
        "(ACR20: no results of Ruxolitinib for this outcome)\nThe data offers: SVR35."
    )
    with pytest.raises(ExportError, match=r"Nothing to export: .*no results of Ruxolitinib for this outcome"):
        window.export_chart_to(tmp_path / "empty.png", 800, 600, 96)
    with pytest.raises(ExportError, match="Nothing to export"):
        window.export_data_to(tmp_path / "empty.csv", ChartKind.FOREST)
    window._run_export(lambda: window.export_chart_to(tmp_path / "empty.svg", 800, 600, 96))
    assert [b["title"] for b in message_boxes] == ["Export failed"]
    assert "the data offers: SVR35" in message_boxes[0]["text"]
    assert list(tmp_path.glob("empty.*")) == []
    window.state.update_query(drugs=("upadacitinib",))
    assert not window.chart_pane.spec(ChartKind.DOSE_RESPONSE).is_empty


def test_the_collector_is_paused_by_the_gui_thread_for_the_whole_load(
    qtbot: Any, make_main_window: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused when the request starts, resumed after the merge, both on the GUI thread; the worker only reads."""
    folder = write_dataset(tmp_path / "gated")
    gate = threading.Event()
    seen: list[tuple[bool, bool]] = []
    real = session_module.load_path

    def gated(path: Path, catalog: Any, *, origin: Any) -> Any:
        seen.append((threading.current_thread() is threading.main_thread(), gc.isenabled()))
        assert gate.wait(20)
        return real(path, catalog, origin=origin)

    window = make_main_window()
    monkeypatch.setattr(session_module, "load_path", gated)
    assert gc.isenabled()
    window.open_paths([folder])
    assert not gc.isenabled()
    merged: list[bool] = []
    window.state.catalog_changed.connect(lambda _c: merged.append(gc.isenabled()))
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        gate.set()
    assert seen == [(False, False)]  # read on the worker, with the collector paused by the GUI thread
    assert merged == [False]  # the merge on the GUI thread ran inside the same pause
    assert gc.isenabled()
    assert "testinib" in window.state.catalog.drugs


def test_cancelling_a_load_resumes_the_collector(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    window.open_paths([write_dataset(tmp_path / "x")])
    window.loader.cancel()
    assert gc.isenabled()
    window.loader.wait_idle()

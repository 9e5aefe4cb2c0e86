"""Large selections stay usable: opening a file asks before ticking drugs whose charts would hold thousands
of trials, and a crowded chart says so and offers a filter (the numbers are the chart layer's)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

import bench.generate as gen
from viewer.charts.crowding import ASK_ABOVE_TRIALS, LEGIBLE_TRIALS
from viewer.charts.spec import ChartKind
from viewer.ui import chart_pane
from viewer.ui.main_window import MainWindow

Make = Callable[..., MainWindow]
NEW_DRUGS = ("drug0000", "drug0001", "drug0002", "drug0003")


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four new drugs with 1,200 trials between them (300 each, 5 arms a trial): bench/generate.py's data."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gen, "DRUGS", 4)
        return gen.generate(tmp_path_factory.mktemp("crowded") / "four-drugs", trial_count=1_200)


def _open(qtbot: Any, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.loader.finished, timeout=60_000):
        assert window.open_paths([path])


def test_opening_a_file_asks_before_ticking_thousands_of_trials_and_keeps_the_comparison(
    qtbot: Any, make_main_window: Make, crowded: Path, message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    before = window.state.query.drugs
    _open(qtbot, window, crowded)  # the recorded box answers as a closed box does: the default
    assert len(window.state.catalog.trials_of("drug0000")) == 300
    questions = [b for b in message_boxes if b["title"] == "Compare the new drugs?"]
    assert len(questions) == 1 and "1,200 trials" in questions[0]["text"]
    assert ASK_ABOVE_TRIALS < 1_200
    assert window.state.query.drugs == before  # nothing ticked without a yes
    assert window.state.focused_drug == "drug0000"  # the new data is described, and in the table to tick
    assert window.catalog_pane.model.row_of("drug0000") >= 0
    assert not window.crowding_bar.isVisibleTo(window)


def test_a_yes_ticks_them_and_the_crowded_chart_offers_the_largest_trials(
    qtbot: Any, make_main_window: Make, crowded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer_yes(box: QMessageBox) -> int:
        asked.append(box.text())
        return int(QMessageBox.StandardButton.Yes.value)

    monkeypatch.setattr(QMessageBox, "exec", answer_yes)
    window = make_main_window()
    window.chart_pane.show_kind(ChartKind.DOSE_RESPONSE)
    _open(qtbot, window, crowded)
    assert len(asked) == 1
    assert window.state.query.drugs == NEW_DRUGS

    spec = window.chart_pane.spec(ChartKind.DOSE_RESPONSE)
    legible = LEGIBLE_TRIALS[ChartKind.DOSE_RESPONSE]
    assert spec.warnings[0].startswith("1,200 trials selected: more than this chart shows legibly")
    bar = window.crowding_bar
    assert bar.isVisibleTo(window) and "1,200 trials" in bar.label.text()
    assert bar.keep.text() == f"Keep the {legible} largest"

    bar.keep.click()
    trials = window.state.query.trials
    assert len(trials) == legible
    catalog = window.state.catalog
    sizes = {t: sum(a.n or 0 for a in catalog.arms_of(t)) for d in NEW_DRUGS for t in catalog.trials_of(d)}
    assert min(sizes[t] for t in trials) >= sorted(sizes.values(), reverse=True)[legible - 1]  # the largest
    assert not bar.isVisibleTo(window)
    assert not any("trials selected" in w for w in window.chart_pane.spec(ChartKind.DOSE_RESPONSE).warnings)

    window.chart_pane.show_kind(ChartKind.FOREST)  # 80 trials: more than a forest plot shows legibly
    assert bar.isVisibleTo(window) and bar.keep.text() == f"Keep the {LEGIBLE_TRIALS[ChartKind.FOREST]} largest"
    window.chart_pane.show_kind(ChartKind.SELECTIVITY)  # no trials in it: nothing to say
    assert not bar.isVisibleTo(window)


def test_a_yes_draws_the_chart_the_worker_prepared_a_panel_a_turn(
    qtbot: Any, make_main_window: Make, crowded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,200 trials: built on the GUI thread after the yes, the chart held the window 241 ms; the worker builds
    it while the question waits (a no leaves it unused), and the window draws it a panel a turn."""
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: int(QMessageBox.StandardButton.Yes.value))
    on_gui: list[ChartKind] = []
    build = chart_pane.build_chart

    def spy(kind: ChartKind, catalog: Any, query: Any) -> Any:
        if threading.current_thread() is threading.main_thread():
            on_gui.append(kind)
        return build(kind, catalog, query)

    monkeypatch.setattr(chart_pane, "build_chart", spy)
    window = make_main_window()
    window.chart_pane.show_kind(ChartKind.DOSE_RESPONSE)
    chart = window.chart_pane.charts[ChartKind.DOSE_RESPONSE]
    steps: list[bool] = []
    window.loader.finished.connect(lambda _outcome: chart.drawn.connect(lambda: steps.append(chart.drawing)))
    on_gui.clear()  # the window's first chart
    _open(qtbot, window, crowded)
    assert window.state.query.drugs == NEW_DRUGS
    qtbot.waitUntil(
        lambda: chart.spec is not None and len(chart.spec.panels) == 4 and not chart.drawing, timeout=30_000
    )
    assert on_gui == []
    assert steps == [False]  # drawn in steps, then finished
    assert chart.rendered is not None and len(chart.rendered.panels) == 4
    assert chart.rendered.spec.warnings[0].startswith("1,200 trials selected")

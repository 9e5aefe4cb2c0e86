"""A layout that adapts: at 1024x700 the chart keeps at least half the window, nothing is clipped there,
at 1440x900 or at 2x scale; the controls fold into one row, the notes and the details pane fold away."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ui.layout_check import FOUR, clipped, measures
from viewer.charts.spec import ChartKind
from viewer.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
Make = Callable[..., MainWindow]


def sized(make_main_window: Make, qtbot: Any, width: int, height: int) -> MainWindow:
    window = make_main_window()
    window.resize(width, height)
    window.reset_layout()
    window.state.update_query(drugs=FOUR)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    qtbot.waitUntil(lambda: chart.rendered is not None and not chart._fit_pending)
    qtbot.wait(30)
    return window


def test_at_1024x700_the_chart_keeps_at_least_half_the_window(qtbot: Any, make_main_window: Make) -> None:
    window = sized(make_main_window, qtbot, 1024, 700)
    m = measures(window)
    assert m["chart_share"] >= 0.5, m  # type: ignore[operator]
    assert m["clipped"] == [], m["clipped"]
    # the controls in one row, the details pane and the footnotes folded (each one click away)
    assert window.controls.is_compact() and window.controls.height() <= 2 * window.controls.outcome.height()
    assert not window.details_pane.isVisible() and window.view.details_button.isVisible()
    assert not window.chart_pane.notes_shown()
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    assert chart.rendered is not None and chart.rendered.footnotes is not None
    assert chart.rendered.footnotes.geometry().height() == 0  # its row gives the plot its room
    # the warnings are never folded away
    assert window.chart_pane.warnings_visible()


def test_folded_notes_give_the_plot_room_and_come_back(qtbot: Any, make_main_window: Make) -> None:
    window = sized(make_main_window, qtbot, 1024, 700)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    assert chart.rendered is not None
    folded = chart.rendered.plot.vb.sceneBoundingRect().height() / chart.zoom
    window.view.notes_action.trigger()
    assert window.chart_pane.notes_shown()
    qtbot.waitUntil(lambda: not chart._fit_pending)
    qtbot.wait(30)
    assert chart.rendered.footnotes is not None and chart.rendered.footnotes.geometry().height() > 20
    shown = chart.rendered.plot.vb.sceneBoundingRect().height() / chart.zoom
    # On screen, in pixels: the notes took height from the plot, or (text never shrinks, the plot keeps
    # its share) the chart grew taller and scrolls to them.
    assert folded > shown or chart.fitted.height > 1.0
    # exports carry every footnote whatever the screen shows
    assert window.chart_pane.spec(ChartKind.DOSE_RESPONSE).footnotes == chart.spec.footnotes  # type: ignore[union-attr]


def test_the_wide_window_shows_everything(qtbot: Any, make_main_window: Make) -> None:
    window = sized(make_main_window, qtbot, 1440, 900)
    assert not window.controls.is_compact() and window.details_pane.isVisible()
    assert window.chart_pane.notes_shown()
    assert clipped(window) == []
    bar = window.chart_pane.tabs.tabBar()
    assert all(bar.rect().contains(bar.tabRect(i)) for i in range(bar.count()))  # every tab in sight


def test_every_tab_in_sight_at_1024x700(qtbot: Any, make_main_window: Make) -> None:
    window = sized(make_main_window, qtbot, 1024, 700)
    bar = window.chart_pane.tabs.tabBar()
    assert all(bar.rect().contains(bar.tabRect(i)) for i in range(bar.count()))


def test_the_users_choices_are_remembered(qtbot: Any, make_main_window: Make, settings: Any) -> None:
    window = sized(make_main_window, qtbot, 1440, 900)
    window.controls.set_compact(True)
    window.chart_pane.show_notes(False)
    window.save_settings()
    again = make_main_window(settings=settings)
    assert again.controls.is_compact() and not again.chart_pane.notes_shown()
    assert again.view.compact_action.isChecked() and not again.view.notes_action.isChecked()


@pytest.mark.parametrize("size", ["1024x700", "1440x900"])
def test_nothing_is_clipped_at_2x_scale(size: str, tmp_path: Path) -> None:
    """A 2x screen (QT_SCALE_FACTOR=2: a 2048x1400 framebuffer for a 1024x700 window) lays out the same."""
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    shot = tmp_path / "2x.png"
    out = subprocess.run(
        [sys.executable, "-m", "tests.ui.layout_check", size, str(shot)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    m = json.loads(out.stdout.strip().splitlines()[-1])
    assert m["clipped"] == [], m["clipped"]
    assert m["window"] == [int(v) for v in size.split("x")]
    if size == "1024x700":
        assert m["chart_share"] >= 0.5, m
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == tuple(2 * int(v) for v in size.split("x"))  # drawn at 2x

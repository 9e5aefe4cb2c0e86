"""A chart's scene keeps no BSP index (:func:`viewer.plot.workarounds.unindexed`): pyqtgraph's grid axis told Qt's
index of its new rect too late, and a later paint read the freed axis (the window soak's segfault, uaf17)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QGraphicsScene
from pytestqt.qtbot import QtBot

from tests.plot.test_render import shown_chart

ROOT = Path(__file__).resolve().parents[2]

# The window's sequence, in one chart: a chart with data (its right axis draws the grid), redrawn empty (the grid
# turned off), then as panels (the single plot and its axes freed), then painted.
REDRAWS = textwrap.dedent(
    """
    import gc
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from tests.plot.test_panels import GROUPS, overlay
    from tests.plot.test_render import dose_response_spec
    from viewer.charts.panels import split_panels
    from viewer.charts.spec import ChartKind, ChartSpec
    from viewer.plot.canvas import ChartWidget

    def settle():
        for _ in range(5):
            app.processEvents()

    chart = ChartWidget()
    chart.resize(900, 560)
    chart.show()
    settle()
    chart.set_spec(dose_response_spec())
    settle()
    shown = chart.mapToScene(chart.viewport().rect()).boundingRect()
    chart.scene().items(shown)
    empty = ChartSpec(kind=ChartKind.DOSE_RESPONSE, title="t", x_label="x", y_label="y", empty_message="None")
    chart.set_spec(empty)
    settle()
    chart.scene().items(shown)
    chart.set_spec(split_panels(overlay(), GROUPS))
    settle()
    gc.collect()
    print("items", len(chart.scene().items(shown)), flush=True)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc tunables poison freed memory")
def test_a_chart_redrawn_empty_then_as_panels_paints_without_reading_a_freed_axis() -> None:
    """Fails without the workaround: the process dies of a segfault in the paint after the panels (glibc's tunables
    fill freed memory, so reading the freed axis always crashes instead of now and then)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "GLIBC_TUNABLES": "glibc.malloc.tcache_count=0:glibc.malloc.perturb=165",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", REDRAWS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("items ")


def test_pyqtgraph_changes_a_grid_axis_rect_before_it_tells_the_scene(qtbot: QtBot) -> None:
    """The library behaviour the workaround stands for: ``AxisItem.setGrid`` sets the grid (the axis' bounding rect
    then covers its view, or no longer does) and calls ``prepareGeometryChange`` after; Qt asks for it before."""
    chart = shown_chart(qtbot)
    assert chart.scene().itemIndexMethod() is QGraphicsScene.ItemIndexMethod.NoIndex
    axis = pg.AxisItem("top")
    seen: list[Any] = []
    axis.prepareGeometryChange = lambda: seen.append(axis.grid)  # what the rect depends on, when Qt is told
    axis.setGrid(128)
    assert seen == [128]

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
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QToolButton

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


def test_at_1024x700_the_plot_keeps_at_least_half_the_window(qtbot: Any, make_main_window: Make) -> None:
    """Four drugs in four panels: their plotting areas (ViewBoxes) together cover half the window."""
    window = sized(make_main_window, qtbot, 1024, 700)
    m = measures(window)
    assert m["panels"] == 4, m
    assert m["plot_share"] >= 0.5, m  # type: ignore[operator]
    assert m["clipped"] == [], m["clipped"]
    # the controls in one row, the drugs and details panes and the footnotes folded (each one click away)
    assert window.controls.is_compact() and window.controls.height() <= 2 * window.controls.outcome.height()
    assert not window.details_pane.isVisible() and window.view.details_button.isVisible()
    assert not window.catalog_pane.isVisible() and window.view.drugs_button.isVisible()
    assert not window.chart_pane.notes_shown()
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    assert chart.rendered is not None and chart.rendered.footnotes is not None
    assert chart.rendered.footnotes.geometry().height() == 0  # its row gives the plot its room
    # the one row names what the chart's title says, so the title gives its line to the plot (on screen only)
    assert chart.rendered.title is not None and chart.rendered.title.geometry().height() == 0
    assert "MTX-IR" in chart.spec.title and "MTX-IR" in window.controls.compact_summary.toolTip()  # type: ignore[union-attr]
    # the chart's Notes and Points toggles sit in that row, not in a row of their own under the chart
    assert not window.chart_pane.drawer.bar.isVisible()
    row = [b.defaultAction() for b in window.controls.findChildren(QToolButton) if b.isVisible()]
    assert window.view.notes_action in row and window.view.points_action in row
    # the warnings are never folded away
    assert window.chart_pane.warnings_visible()


def checked(button: Any, row: int) -> bool:
    model = button.model
    return bool(model.data(model.index(row), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked)


def tick(button: Any, row: int, state: Qt.CheckState) -> None:
    model = button.model
    assert model.setData(model.index(row), state, Qt.ItemDataRole.CheckStateRole)


def test_the_compact_row_offers_the_drugs_while_their_pane_is_folded(qtbot: Any, make_main_window: Make) -> None:
    window = sized(make_main_window, qtbot, 1024, 700)
    drugs = window.controls.drugs
    assert drugs.isVisible() and drugs.text() == f"4 of {len(window.state.catalog.drugs)}"
    drugs.fill()
    rows = range(drugs.model.rowCount())
    names = [drugs.model.data(drugs.model.index(r)) for r in rows]
    assert names == sorted(names, key=str.casefold)
    ticked = {names[r] for r in rows if checked(drugs, r)}
    assert ticked == {window.state.catalog.drugs[d].name for d in FOUR}
    # unticking in the pop-up unticks the drug everywhere; a fifth drug is refused and stays unticked
    row = names.index(window.state.catalog.drugs["filgotinib"].name)
    tick(drugs, row, Qt.CheckState.Unchecked)
    assert "filgotinib" not in window.state.query.drugs
    tick(drugs, row, Qt.CheckState.Checked)
    assert "filgotinib" in window.state.query.drugs
    spare = next(r for r in rows if not checked(drugs, r))
    tick(drugs, spare, Qt.CheckState.Checked)
    assert len(window.state.query.drugs) == 4 and not checked(drugs, spare)
    # the pop-up's button brings the drugs pane back, and the pop-up steps aside
    drugs.under.click()
    assert window.catalog_pane.isVisible() and not drugs.isVisible()


def test_every_control_shown_gives_the_title_and_the_toggles_back(qtbot: Any, make_main_window: Make) -> None:
    window = sized(make_main_window, qtbot, 1024, 700)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    window.controls.more.click()
    assert not window.controls.is_compact()
    qtbot.waitUntil(lambda: not chart._fit_pending)
    qtbot.wait(30)
    assert chart.rendered is not None and chart.rendered.title is not None
    assert chart.rendered.title.geometry().height() > 10
    assert window.chart_pane.drawer.bar.isVisible()
    assert not any(b.isVisible() and b.defaultAction() is window.view.notes_action
                   for b in window.controls.findChildren(QToolButton))  # fmt: skip
    # what is exported never depends on the screen's folds
    assert window.chart_pane.spec(ChartKind.DOSE_RESPONSE).title == chart.spec.title  # type: ignore[union-attr]


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
    assert window.catalog_pane.isVisible() and not window.controls.drugs.isVisible()
    assert window.chart_pane.notes_shown() and window.chart_pane.titles_shown()
    assert clipped(window) == []
    bar = window.chart_pane.tabs.tabBar()
    assert all(bar.rect().contains(bar.tabRect(i)) for i in range(bar.count()))  # every tab in sight


def test_every_tab_in_sight_at_1440x900_with_a_larger_desktop_font(
    qtbot: Any, make_main_window: Make, qapp: QApplication
) -> None:
    """An 11 pt desktop font (GNOME's default) widens the tabs past the default centre column: the side
    panes make room, so Compare is not behind scroll arrows."""
    before = qapp.font()
    font = QFont(before)
    font.setPointSizeF(11.0)
    qapp.setFont(font)
    try:
        window = sized(make_main_window, qtbot, 1440, 900)
        bar = window.chart_pane.tabs.tabBar()
        assert bar.sizeHint().width() > 720  # wider than the centre column of the default split
        assert all(bar.rect().contains(bar.tabRect(i)) for i in range(bar.count()))
        assert window.details_pane.width() >= 240 and window.catalog_pane.width() >= 220
    finally:
        qapp.setFont(before)


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
        assert m["plot_share"] >= 0.5, m
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == tuple(2 * int(v) for v in size.split("x"))  # drawn at 2x


def test_the_chart_toggles_are_off_on_the_compare_table(qtbot: Any, make_main_window: Make) -> None:
    window = sized(make_main_window, qtbot, 1024, 700)
    buttons = [b for b in window.controls.findChildren(QToolButton) if b.defaultAction() is window.view.notes_action]
    window.chart_pane.show_kind(None)
    assert buttons and not any(b.isEnabled() for b in buttons)
    window.view.notes_action.trigger()  # its shortcut does nothing there either
    assert not window.chart_pane.notes_shown()
    window.chart_pane.show_kind(ChartKind.FOREST)
    assert all(b.isEnabled() for b in buttons)

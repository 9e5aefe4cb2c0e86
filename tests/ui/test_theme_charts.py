"""Charts on screen follow the window's theme, from the first one drawn; exports stay white.

A saved dark theme is put in force before the window is built, and a theme switched while the window is
open redraws every chart (the visible one and those on hidden tabs). A chart must not carry a style sheet
of its own for this: a child widget with one keeps the palette it was polished with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from viewer.charts.spec import ChartKind
from viewer.plot.style import DARK, LIGHT
from viewer.ui.main_window import MainWindow
from viewer.ui.theme import WCAG_AA, Theme, contrast_ratio, dark_palette

Make = Callable[..., MainWindow]


@pytest.fixture
def restore_theme(qapp: QApplication) -> Iterator[None]:
    """The application's style and palette as they were before the test."""
    palette, style = qapp.palette(), qapp.style().name()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)


def _drawn_background(window: MainWindow, kind: ChartKind) -> str:
    """The colour the chart paints in its top-left corner (inside its margins: no text, no frame)."""
    chart = window.chart_pane.chart(kind)
    return chart.grab().toImage().pixelColor(4, 4).name()


def _brightest_contrast(label: QLabel) -> float:
    """The contrast of the label's most distinct drawn pixel against its window colour: its text's."""
    image: QImage = label.grab().toImage()
    background = label.palette().color(QPalette.ColorRole.Window)
    pixels = (image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height()))
    return max(contrast_ratio(p, background) for p in pixels)


def test_a_saved_dark_theme_draws_the_first_chart_dark(
    qtbot: Any, make_main_window: Make, settings: Any, restore_theme: None
) -> None:
    settings.set("view/theme", "dark")
    window = make_main_window(settings=settings)
    window.resize(1440, 900)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    qtbot.waitUntil(lambda: chart.rendered is not None and not chart._fit_pending)
    assert chart.theme == DARK
    assert _drawn_background(window, ChartKind.DOSE_RESPONSE) == QColor(DARK.background).name()
    assert window.view.theme_actions[Theme.DARK].isChecked()
    # the quiet labels beside the chart are drawn in the dark palette's colours, readable on it
    for label in (window.chart_pane.drawer.count, window.controls.compact_summary):
        assert label.palette().color(label.foregroundRole()) == dark_palette().color(QPalette.ColorRole.PlaceholderText)
    assert _brightest_contrast(window.chart_pane.drawer.count) >= WCAG_AA


def test_a_theme_switched_in_the_open_window_redraws_every_chart(
    qtbot: Any, make_main_window: Make, restore_theme: None, tmp_path: Path
) -> None:
    window = make_main_window()
    charts = window.chart_pane.charts
    window.view.set_theme(Theme.LIGHT)
    qtbot.waitUntil(lambda: all(c.theme == LIGHT for c in charts.values()))
    window.view.set_theme(Theme.DARK)
    qtbot.waitUntil(lambda: all(c.theme == DARK for c in charts.values()), timeout=5000)
    assert _drawn_background(window, ChartKind.DOSE_RESPONSE) == QColor(DARK.background).name()
    window.chart_pane.show_kind(ChartKind.FOREST)  # a tab hidden during the switch
    assert _drawn_background(window, ChartKind.FOREST) == QColor(DARK.background).name()
    # an export from the dark window is still print-ready white
    out = window.export_chart_to(tmp_path / "forest.png", 800, 600, 96)
    assert QImage(str(out)).pixelColor(2, 2).name() == "#ffffff"
    window.view.set_theme(Theme.LIGHT)
    qtbot.waitUntil(lambda: all(c.theme == LIGHT for c in charts.values()), timeout=5000)
    assert _drawn_background(window, ChartKind.FOREST) == "#ffffff"

"""Measures of the window's layout shared by the layout tests and their 2x-scale subprocess.

``python -m tests.ui.layout_check WIDTHxHEIGHT`` builds the window on the shipped data with four drugs
ticked at that (logical) size under whatever ``QT_SCALE_FACTOR`` the environment sets, and prints the
measures as JSON: a high-DPI scale factor can only be set before Qt starts, hence the subprocess.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")
CONTROLS = (QAbstractButton, QComboBox, QLabel, QLineEdit)


def _inside_a_scroll_area(widget: QWidget, window: QWidget) -> bool:
    """Content of a scroll area or a tab bar may lie beyond its viewport: that is scrolling, not clipping."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, (QAbstractScrollArea, QTabBar)):
            return True
        parent = parent.parentWidget()
    return False


def clipped(window: QWidget) -> list[str]:
    """Visible controls cut off: outside the window or their parent, or squeezed below their minimum size."""
    found: list[str] = []
    bounds = window.rect()
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(window) or widget.isWindow():
            continue
        if _inside_a_scroll_area(widget, window):
            continue
        name = f"{type(widget).__name__}:{widget.objectName() or widget.accessibleName()}"
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not bounds.contains(rect):
            found.append(f"{name} outside the window {rect.getRect()}")
        parent = widget.parentWidget()
        if parent is not None and not parent.rect().contains(widget.geometry()):
            found.append(f"{name} outside its parent {widget.geometry().getRect()} > {parent.rect().getRect()}")
        hint = widget.minimumSizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            hint.setWidth(0)  # a wrapping label narrows by wrapping
        if widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height():
            found.append(f"{name} squeezed to {widget.width()}x{widget.height()} < {hint.width()}x{hint.height()}")
    return found


def plot_pixels(chart: Any) -> int:
    """The on-screen area of the chart's plotting areas (its ViewBoxes: the one plot's, or every panel's),
    in the chart widget's pixels, clipped to what the view shows."""
    rendered = chart.rendered
    if rendered is None:
        return 0
    viewport = chart.viewport().rect()
    total = 0
    for drawn in rendered.panels or [rendered]:
        box = chart.mapFromScene(drawn.plot.vb.sceneBoundingRect()).boundingRect().intersected(viewport)
        total += max(box.width(), 0) * max(box.height(), 0)
    return total


def measures(window: QWidget) -> dict[str, object]:
    """The chart's share of the window (its canvas, and the plot areas inside it) and what is clipped."""
    from viewer.charts.spec import ChartKind

    pane = window.chart_pane  # type: ignore[attr-defined]
    chart = pane.chart(ChartKind.DOSE_RESPONSE)
    area = window.width() * window.height()
    return {
        "window": [window.width(), window.height()],
        "panels": len(chart.rendered.panels) if chart.rendered is not None else 0,
        "chart_share": chart.width() * chart.height() / area,
        "plot_share": plot_pixels(chart) / area,
        "controls_height": window.controls.height(),  # type: ignore[attr-defined]
        "details_visible": window.details_pane.isVisible(),  # type: ignore[attr-defined]
        "drugs_visible": window.catalog_pane.isVisible(),  # type: ignore[attr-defined]
        "clipped": clipped(window),
    }


def build(width: int, height: int, folder: Path) -> QWidget:
    from viewer.ui.main_window import build_main_window
    from viewer.ui.settings import Settings

    settings = Settings(QSettings(str(folder / "layout.ini"), QSettings.Format.IniFormat))
    window = build_main_window([], settings, install_excepthook=False)
    window.resize(width, height)
    window.reset_layout()
    window.state.update_query(drugs=FOUR)
    window.show()
    return window


def main(argv: list[str]) -> int:
    width, height = (int(v) for v in argv[0].split("x"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        window = build(width, height, Path(tmp))
        for _ in range(10):
            app.processEvents()
        result = measures(window)
        if len(argv) > 1:
            window.grab().save(argv[1])
        window.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

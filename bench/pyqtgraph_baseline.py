"""The other reference of ``drug-viewer export``: a minimal pyqtgraph script exporting the same chart as a PNG.

Self-contained on purpose, like ``bench/matplotlib_baseline.py`` (whose Wilson interval it repeats): each
reference is what a user would write alone, importing nothing of ours.

Reads the arm-level CSV, computes Wilson intervals, draws the rates and whiskers in one ``PlotWidget`` and
writes a 1920x1080 PNG with pyqtgraph's ``ImageExporter``: the floor of any program that draws with
pyqtgraph (Qt and pyqtgraph imports, one offscreen paint, the PNG encode).
"""

from __future__ import annotations

import csv
import math
import sys

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtWidgets import QApplication

Z = 1.959963984540054


def wilson(x: int, n: int) -> tuple[float, float]:
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def main(source: str, out: str) -> None:
    app = QApplication(sys.argv[:1])
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dose = np.array([float(r["daily_dose_mg"]) for r in rows])
    x = [int(r["responders"]) for r in rows]
    n = [int(r["n"]) for r in rows]
    rate = np.array([100 * a / b for a, b in zip(x, n, strict=True)])
    ci = [wilson(a, b) for a, b in zip(x, n, strict=True)]
    low = rate - np.array([100 * c[0] for c in ci])
    high = np.array([100 * c[1] for c in ci]) - rate
    widget = pg.PlotWidget(background="w", title=f"{rows[0]['outcome']}: response rate by daily dose")
    widget.resize(1920, 1080)
    plot = widget.getPlotItem()
    plot.setLabel("bottom", "Daily dose (mg/day)")
    plot.setLabel("left", "Patients responding (%)")
    plot.setYRange(0, 100)
    plot.addLegend()
    plot.addItem(pg.ErrorBarItem(x=dose, y=rate, top=high, bottom=low, beam=0.5, pen="b"))
    plot.plot(dose, rate, pen="b", symbol="o", symbolBrush="b", name=rows[0]["trial"])
    exporter = pyqtgraph.exporters.ImageExporter(plot)
    exporter.parameters()["width"] = 1920
    exporter.export(out)
    app.quit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

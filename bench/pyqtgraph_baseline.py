"""The other reference of ``drug-viewer export``: a minimal pyqtgraph script exporting the same chart as a PNG.

Like ``bench/matplotlib_baseline.py``, what a user would write alone, importing nothing of the app: the arms
and their Wilson intervals from the CSV (:mod:`bench.arm_rates`, shared by both references), the rates and
whiskers drawn in one ``PlotWidget``, a 1920x1080 PNG written with pyqtgraph's ``ImageExporter``: the floor of
any program that draws with pyqtgraph (Qt and pyqtgraph imports, one offscreen paint, the PNG encode).

    python -m bench.pyqtgraph_baseline DATA.csv OUT.png
"""

from __future__ import annotations

import sys

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtWidgets import QApplication

from bench.arm_rates import read_arm_rates


def main(source: str, out: str) -> None:
    app = QApplication(sys.argv[:1])
    arms = read_arm_rates(source)
    first = arms.rows[0]
    dose, rate = np.array(arms.dose), np.array(arms.rate)
    widget = pg.PlotWidget(background="w", title=f"{first['outcome']}: response rate by daily dose")
    widget.resize(1920, 1080)
    plot = widget.getPlotItem()
    plot.setLabel("bottom", "Daily dose (mg/day)")
    plot.setLabel("left", "Patients responding (%)")
    plot.setYRange(0, 100)
    plot.addLegend()
    plot.addItem(
        pg.ErrorBarItem(x=dose, y=rate, top=np.array(arms.above), bottom=np.array(arms.below), beam=0.5, pen="b")
    )
    plot.plot(dose, rate, pen="b", symbol="o", symbolBrush="b", name=first["trial"])
    exporter = pyqtgraph.exporters.ImageExporter(plot)
    exporter.parameters()["width"] = 1920
    exporter.export(out)
    app.quit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

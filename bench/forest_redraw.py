"""Forest plot redraw against bare pyqtgraph drawing the same squares and whiskers, at 40 and 2,000 rows.

The reference is what a developer would write with pyqtgraph alone: one ``ScatterPlotItem`` of squares
and one ``ErrorBarItem`` of whiskers in a ``PlotWidget`` of the same size, cleared and drawn again. The
app draws the full chart: labels with drug headings, three text columns, favours labels, the legend and
notes. Each redraw alternates between two specs (the effect changes) and is timed from ``set_spec`` to
the end of a synchronous paint (``grab``); the two are timed alternately in one run, medians reported,
so machine noise hits both alike. Targets (issue 16/17): ratio <= 2 at 40 rows, <= 3 at 2,000.

    QT_QPA_PLATFORM=offscreen python -m bench.forest_redraw
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

from viewer.charts.forest_layout import ForestLayout, effect_cell, favours_labels, square_area
from viewer.charts.palette import drug_colour
from viewer.charts.spec import (
    ChartKind,
    ChartSpec,
    Marker,
    Orientation,
    Point,
    RefLine,
    Series,
    SeriesStyle,
    TextColumn,
)
from viewer.plot.canvas import ChartWidget

SIZE = (1440, 900)
TARGETS = {40: 2.0, 2000: 3.0}


def forest(rows: int, seed: int) -> tuple[ChartSpec, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A four-drug forest spec of ``rows`` arms, and its centres, y, and whisker lengths (view units)."""
    rng = random.Random(seed)
    arms = [(f"drug{k % 4}", rng.randint(20, 700), rng.uniform(0.9, 6.0), rng.uniform(0.15, 0.6)) for k in range(rows)]
    arms.sort(key=lambda a: a[0])
    layout = ForestLayout(arms, lambda a: a[0])
    biggest = max(a[1] for a in arms)
    series: dict[str, list[Point]] = {}
    ticks = [(y, d) for d, y in layout.headings]
    effect, counts, nnt = [], [], []
    for (drug, n, value, spread), y in zip(arms, layout.rows, strict=True):
        low, high = value * math.exp(-spread * 1.96), value * math.exp(spread * 1.96)
        series.setdefault(drug, []).append(
            Point(value, y, low, high, label=f"{drug} {n}", tooltip=f"{drug}\nn={n}", area=square_area(n, biggest))
        )
        ticks.append((y, f"{n} mg QD · TRIAL-{n}"))
        effect.append((y, effect_cell(value, low, high, True)))
        counts.append((y, f"{n // 2}/{n} vs {n // 4}/{n}"))
        nnt.append((y, f"{n % 9 + 2} (2 to {n % 40 + 5})"))
    spec = ChartSpec(
        ChartKind.FOREST,
        f"Synthetic forest, {rows} arms",
        "Risk ratio vs placebo (log scale)",
        "",
        series=tuple(
            Series(d, drug_colour(k), Marker.SQUARE, tuple(pts), SeriesStyle.SCATTER, Orientation.HORIZONTAL)
            for k, (d, pts) in enumerate(series.items())
        ),
        ref_lines=(RefLine(1.0, vertical=True),),
        x_log=True,
        x_range=(0.2, 20.0),
        y_range=layout.y_range,
        y_ticks=tuple(sorted(ticks, reverse=True)),
        y_headings=tuple(y for _, y in layout.headings),
        text_columns=(
            TextColumn("RR (95% CI)", tuple(effect)),
            TextColumn("n/N vs placebo", tuple(counts)),
            TextColumn("NNT (95% CI)", tuple(nnt)),
        ),
        labels=favours_labels(1.0, layout.header_y, harm=False),
        footnotes=("Synthetic data for timing.",),
    )
    pts = [p for s in spec.series for p in s.points]
    xs = np.log10([p.x for p in pts])
    ys = np.array([p.y for p in pts])
    left = xs - np.log10([p.low or p.x for p in pts])
    right = np.log10([p.high or p.x for p in pts]) - xs
    return spec, xs, ys, left, right


def _bare(widget: Any, data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, y, left, right = data
    plot = widget.getPlotItem()
    plot.clear()
    plot.addItem(pg.ErrorBarItem(x=x, y=y, left=left, right=right, beam=0, pen=pg.mkPen("#0072B2")))
    plot.addItem(pg.ScatterPlotItem(x=x, y=y, symbol="s", size=9, brush="#0072B2", pen=None))


def measure(rows: int, repeats: int) -> tuple[float, float]:
    """Median redraw (ms) of the app's forest chart and of bare pyqtgraph at ``rows`` arms."""
    specs = [forest(rows, seed) for seed in (1, 2)]
    app_widget = ChartWidget(auto_fit=False)
    bare = pg.PlotWidget(background="w")
    for w in (app_widget, bare):
        w.resize(*SIZE)
        w.show()
    app_times, bare_times = [], []
    QApplication.processEvents()
    for k in range(repeats + 2):
        spec, *data = specs[k % 2]
        start = time.perf_counter()
        app_widget.set_spec(spec)
        app_widget.grab()
        mid = time.perf_counter()
        _bare(bare, (data[0], data[1], data[2], data[3]))
        bare.grab()
        end = time.perf_counter()
        if k >= 2:  # warm-up
            app_times.append(mid - start)
            bare_times.append(end - mid)
    for w in (app_widget, bare):
        w.close()
    return 1000 * statistics.median(app_times), 1000 * statistics.median(bare_times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    _app = QApplication.instance() or QApplication([])
    failed = False
    for rows, target in TARGETS.items():
        app_ms, bare_ms = measure(rows, args.repeats)
        ratio = app_ms / bare_ms
        failed |= ratio > target
        verdict = "pass" if ratio <= target else "FAIL"
        print(f"forest redraw, {rows} rows: app {app_ms:.1f} ms, bare pyqtgraph {bare_ms:.1f} ms, "
              f"ratio {ratio:.2f}x (target <= {target:.0f}x) {verdict}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

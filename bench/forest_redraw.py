"""The synthetic forest plot that :mod:`bench.redraw` times at 40 and 2,000 rows against bare pyqtgraph.

Four drugs, seeded arms, the full chart the app draws: labels with drug headings, three text columns
(effect and CI, n/N, NNT), favours labels, the legend and a note; or, as the window draws a forest plot of
two or more drugs by default, one stacked panel per drug (:func:`viewer.charts.forest_panels.forest_panels`),
each titled with its drug instead of a heading row. Synthetic: never evidence.
"""

from __future__ import annotations

import math
import random

from viewer.charts.forest_layout import ForestLayout, effect_cell, favours_labels, square_area
from viewer.charts.forest_panels import forest_panels
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


def forest(rows: int, seed: int, *, panels: bool = False) -> ChartSpec:
    """A four-drug forest spec of ``rows`` arms (``panels``: one stacked panel per drug)."""
    rng = random.Random(seed)
    arms = [(f"drug{k % 4}", rng.randint(20, 700), rng.uniform(0.9, 6.0), rng.uniform(0.15, 0.6)) for k in range(rows)]
    arms.sort(key=lambda a: a[0])
    layout = ForestLayout(arms, lambda a: a[0], with_headings=not panels)
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
            Series(d, drug_colour(k), Marker.SQUARE, tuple(pts), SeriesStyle.SCATTER, Orientation.HORIZONTAL, group=d)
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
    if panels:
        drugs = [d for d, _block in layout.blocks]
        spec = forest_panels(spec, dict(layout.blocks), {d: d for d in drugs}, drugs, {})
    return spec

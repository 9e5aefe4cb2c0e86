"""What the profiles of the misses pointed at when they were analysed, shown under each miss in RESULTS.md.

These are readings of the profiles (cProfile, ``-X importtime`` and the redraw phase split), written once
and kept with the benchmark; the figures around them are regenerated on every run. Update a note when
the code it names changes; a note is only shown while its key misses (or, without a target, always).
"""

from __future__ import annotations

ANALYSED = "2026-11-26"

NOTES: dict[str, str] = {
    "redraw_p95_ms": (
        "Render (`viewer/ui/render.py`) is the largest phase and paint the second; the chart build is small "
        "since `viewer.domain.comparisons` was vectorised. Every redraw clears the recycled PlotItem and "
        "re-creates and re-adds a PlotCurveItem and an ErrorBarItem per series, two ScatterPlotItems that "
        "re-render their symbol atlas (~80 `renderSymbol` calls), new PlainLabel and LegendBlock text layouts "
        "(~20 `setTextWidth` calls) and several layout passes, each item add running pyqtgraph's `itemChange` "
        "bookkeeping. Reaching 16 ms needs an incremental renderer: keep the items and update them with "
        "`setData`/`setText`, share one symbol atlas between redraws, and draw the intervals and lines of one "
        "colour as one item. Paint: the axes regenerate their QPicture after every range change, and the "
        "grid, curves and error bars are antialiased paths."
    ),
    "redraw_large_p95_ms": (
        "Render grows with the number of series: 4 drugs x 10 trials are 40 series, so ~80 pyqtgraph items "
        "re-created per redraw (see the shipped-data note; grouping the items by colour would make it 8). The "
        "max column shows gen-2 garbage-collector pauses of 120-240 ms once 100,000 arms are live; when three "
        "land in the 60 samples they set the p95. `gc.freeze()` after a dataset is merged (e.g. at the end of "
        "`AppState.set_datasets`) took them under 1 ms in a trial run (max redraw 241 -> 80 ms)."
    ),
    "load_100k_s": (
        "All in `viewer/domain/readers`: `fields.read_rows` builds a dict per row (the dict comprehension at "
        "fields.py:160) and every cell goes through `fields.text`/`number`/`count` (3 million `text` calls for "
        "300,000 rows); `_read_results` is ~60% of the load. Reading rows as tuples with column indices found "
        "once from the header, and converting whole columns (or skipping the per-cell calls for empty optional "
        "fields), removes most of that Python call overhead. The RSS (~245 MB) is within target."
    ),
    "cli_vs_matplotlib_ratio": (
        "The command is import-bound: pyqtgraph and Qt's widgets take ~190 ms (the price of drawing with the "
        "same renderer as the window) against ~360 ms for `matplotlib.pyplot`. The avoidable part is "
        "`viewer/cli.py: load()`, which reads the whole shipped JAK catalog (~45-50 ms, ~10% of the command) "
        "even when the chart only uses the CSV's own drugs: loading the shipped data only when `--drug` names "
        "a drug the files do not bring should put the ratio at or under 1.0. The PNG encode (`QImage.save`, "
        "~40 ms) is the next largest piece."
    ),
    "load_stall_max_ms": (
        "The worker thread keeps the window responsive while it reads (stalls of ~100 ms, GIL hand-overs); the "
        "long stall is the merge in the `finished` slot on the GUI thread: `AppState.set_datasets` rebuilds "
        "the Catalog there (~210 ms; the worker could build it and hand it over), `CatalogPane._fit_columns` "
        "sizes columns with `resizeColumnToContents`, which calls the model's Python `data()` ~42,000 times "
        "(~250 ms; `horizontalHeader().setResizeContentsPrecision(100)` or font metrics of the longest strings "
        "would do), the dose-response chart is built twice (`set_datasets` emits `query_changed`, then "
        "`MainWindow._show_new_data` ticks a drug; ~190 ms, ~110 ms of it in `stats.number_needed`), and the "
        "outcome/timepoint/population scans run twice (`valid_query` ~55 ms, `Controls._fill` ~55 ms; the "
        "controls could reuse `settings._vocabulary`)."
    ),
}

"""What the profiles of the misses pointed at when they were analysed, shown under each miss in RESULTS.md.

These are readings of the profiles (cProfile, ``-X importtime`` and the redraw phase split), written once
and kept with the benchmark; the figures around them are regenerated on every run. Update a note when
the code it names changes; a note is only shown while its key misses (or, without a target, always).
"""

from __future__ import annotations

ANALYSED = "2026-11-26"

NOTES: dict[str, str] = {
    "redraw_p95_ms": (
        "After the renderer was made incremental (shared line and whisker items per colour, a reused symbol "
        "atlas, text blocks kept when unchanged, one layout pass) the shipped redraw sits at the target, a "
        "run above or below it with this VM's noise. What remains is paint more than render: the x range "
        "changes with the outcome, so the axes regenerate their QPicture, and curves, legend and text are "
        "antialiased; in `set_spec`, three new scatter items and any changed labels."
    ),
    "redraw_large_p95_ms": (
        "Render grows with the number of series (4 drugs x 10 trials); gen-2 garbage-collector pauses over "
        "100,000 live arms are avoided by `gc.freeze()` after each dataset merge (`AppState._rebuilt`)."
    ),
    "load_100k_s": (
        "All in `viewer/domain/readers`: the cyclic GC is paused during the load and the new objects go "
        "straight to the oldest generation; plain count rows take a fast path. What is left is Python call "
        "overhead per row (`fields.read_rows` builds a dict per row, arms go through the per-field checks)."
    ),
    "cli_vs_matplotlib_ratio": (
        "The command is import-bound: `import pyqtgraph` alone is ~136 ms (`pyqtgraph.Qt` ~54 ms of it), the "
        "price of drawing with the same renderer as the window so both export the same picture. The shipped "
        "catalog costs ~19 ms after imports and the PNG encode ~39 ms (Qt quality 80, already the lighter "
        "zlib level)."
    ),
    "load_stall_max_ms": (
        "The worker thread reads the files and merges the catalog, so the window stays responsive while it "
        "reads (stalls of ~100 ms are GIL hand-overs). The long stall is the `finished` slot on the GUI "
        "thread: one full `gc.collect()` before `gc.freeze()` (~127 ms over 100,000 arms, measured; it "
        "buys GC-pause-free redraws afterwards), the catalog table reset, the controls refill and the chart "
        "rebuild."
    ),
}

"""What the profiles of the misses pointed at when they were analysed, shown under each miss in RESULTS.md.

These are readings of the profiles, written once and kept with the benchmark; the figures around them are
regenerated on every run. A note is keyed by the figure's key, or by the key without its size
(``load_ratio`` for ``load_ratio_1m``). Update a note when the code it names changes.
"""

from __future__ import annotations

ANALYSED = "2026-12-03"

NOTES: dict[str, str] = {
    "redraw_forest_40_ratio": (
        "Nothing dominates: at 40 rows a redraw is ~6 ms of `set_spec` (three scatter items made and their spots "
        "styled, the row labels and three text columns, the favours labels and the reference line re-added, the "
        "PlotItem cleared) and ~8 ms of paint (the text cells, title, legend and notes the bare plot does not "
        "have, and antialiasing, which bare pyqtgraph leaves off). What would close the gap: keeping the scatter "
        "items and calling setData on them (hover is attached per item), and keeping items in the plot instead "
        "of clearing and re-adding them."
    ),
    "redraw_forest_2000_ratio": (
        "After spot styles went in one pass and text columns into arrays: the per-point work left is "
        "pyqtgraph's own (`SymbolAtlas._keys` and `_measureSpotSizes` per spot, a square's size differing per "
        "weight), the whisker loop and the first layout of 8,000 text cells, kept per spec for the next drawing."
    ),
    "redraw_dose_response_ratio": (
        "Four panels: 12 AxisItems regenerate their pictures on every change of outcome (every panel's dose "
        "range changes; the grid is drawn by a third, invisible axis per panel), ~60% of the first paint after "
        "a change; bare pyqtgraph has 8 axes and no grid. In `set_spec`, ~35 line, whisker and scatter items "
        "are made and added (one line and whisker item per trial: each trial has its own colour)."
    ),
    "cli_png_vs_matplotlib_ratio": (
        "The command is import-bound: `import pyqtgraph` alone is ~130 ms (`pyqtgraph.Qt` copies every Qt name, "
        "creating ~640 Python enums), the price of drawing with the same renderer as the window so both export "
        "the same picture; the pyqtgraph exporter script pays the same imports (the row below). The registry "
        "readers, the other chart builders and ctypes are no longer imported by the command."
    ),
}

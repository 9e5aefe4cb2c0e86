"""What the profiles of the misses pointed at when they were analysed, shown under each miss in RESULTS.md.

These are readings of the profiles, written once and kept with the benchmark; the figures around them are
regenerated on every run. A note is keyed by the figure's key, or by the key without its size
(``load_ratio`` for ``load_ratio_1m``). Update a note when the code it names changes.
"""

from __future__ import annotations

ANALYSED = "2026-12-03"

NOTES: dict[str, str] = {
    "redraw_forest_40_ratio": (
        "Nothing dominates. The scatter items are handed on (setData, not made and re-added) and the text "
        "columns laid out once per spec; left per redraw: the plot's other items taken out and added again "
        "(whiskers per drug colour, favours labels, the reference line), the vertical grid stroked by "
        "pyqtgraph (a translucent aliased line is blended a pixel at a time; filling gains nothing for a "
        "vertical one), and the paint of what the bare plot does not have: text cells, title, legend, notes."
    ),
    "redraw_forest_2000_ratio": (
        "After spot styles went in one pass and text columns into arrays: the per-point work left is "
        "pyqtgraph's own (`SymbolAtlas._keys` and `_measureSpotSizes` per spot, a square's size differing per "
        "weight), the whisker loop and the first layout of 8,000 text cells, kept per spec for the next drawing."
    ),
    "redraw_forest_panels_40_ratio": (
        "Four stacked panels, each a forest plot of its drug's rows: as the single forest plot, four times over "
        "(items re-added per panel, the vertical grid of each panel stroked by pyqtgraph); the bare reference "
        "has four plots too, so the ratio is near the single plot's."
    ),
    "redraw_forest_panels_2000_ratio": (
        "As `redraw_forest_2000_ratio`, split over four panels: per-spot work in pyqtgraph (atlas keys, spot "
        "sizes) and the text cells of the rows shown."
    ),
    "redraw_dose_response_ratio": (
        "Four panels: 12 AxisItems regenerate on a change of outcome, legitimately (every panel's dose range "
        "changes, and the legends' heights differ, so the plots' heights change). The grid's translucent lines "
        "were 2-3 ms a panel of paint (Qt blends an aliased translucent line a pixel at a time) and are now "
        "filled as one-pixel rectangles on screen, the same pixels (`GridAxis`); the scatter items are handed "
        "on. Left: the tick labels of 8 axes (`generateDrawSpecs` ~1 ms an axis), ~25 line and whisker items "
        "made per redraw (one per trial: each trial has its own colour)."
    ),
    "cli_png_vs_matplotlib_ratio": (
        "The command is import-bound: `import pyqtgraph` alone is ~130 ms (`pyqtgraph.Qt` copies every Qt name, "
        "creating ~640 Python enums), the price of drawing with the same renderer as the window so both export "
        "the same picture; the pyqtgraph exporter script pays the same imports (the row below). The registry "
        "readers, the other chart builders and ctypes are no longer imported by the command."
    ),
}

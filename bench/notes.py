"""What the profiles of the misses pointed at when they were analysed, shown under each miss in RESULTS.md.

These are readings of the profiles, written once and kept with the benchmark; the figures around them are
regenerated on every run. A note is keyed by the figure's key, or by the key without its size
(``load_ratio`` for ``load_ratio_1m``). Update a note when the code it names changes.
"""

from __future__ import annotations

ANALYSED = "2026-12-03"

NOTES: dict[str, str] = {
    "redraw_forest_40_ratio": (
        "Nothing dominates. The grid is stroked opaque beneath the data (`GridAxis`, ~0.2 ms a paint); the "
        "scatter, whisker, reference-line and label items are handed on (new data in place) and the text "
        "columns laid out once per spec. Left per redraw is the paint of what the bare plot does not have: "
        "the text cells (~160 `QStaticText`, ~1.8 ms), the legend (~0.5 ms), title and notes."
    ),
    "redraw_forest_2000_ratio": (
        "Spots are set as numpy columns and the symbol atlas asked once per distinct style (`set_spots`). "
        "Left: the per-point loops that build the series, their whiskers and caps (`_draw_series`, about half "
        "of `set_spec`), the object columns of 6,000 spots, and the paint of the whole 2,000-row whisker path "
        "of which the scrolled view shows a 35th."
    ),
    "redraw_forest_panels_40_ratio": (
        "Four stacked panels, each a forest plot of its drug's rows: as the single forest plot, four times over "
        "(items handed on in each panel, each panel's vertical grid stroked opaque beneath its data); the bare "
        "reference has four plots too, so the ratio is near the single plot's."
    ),
    "redraw_forest_panels_2000_ratio": (
        "As `redraw_forest_2000_ratio`, split over four panels: the per-point loops that build the series and "
        "the text cells of the rows shown."
    ),
    "redraw_dose_response_ratio": (
        "Four panels: 12 AxisItems regenerate on a change of outcome, legitimately (every panel's dose range "
        "changes, and the legends' heights differ, so the plots' heights change). The grid's translucent lines "
        "were 2-3 ms a panel of paint (Qt blends an aliased translucent line a pixel at a time) and are now "
        "stroked opaque beneath the data in their colour composed over the background (`GridAxis`); the "
        "scatter, line and whisker items are handed on. Left: the tick labels of 8 axes (`generateDrawSpecs` "
        "~1 ms an axis)."
    ),
    "cli_png_vs_matplotlib_ratio": (
        "The command is import-bound: `import pyqtgraph` alone is ~130 ms (`pyqtgraph.Qt` copies every Qt name, "
        "creating ~640 Python enums), the price of drawing with the same renderer as the window so both export "
        "the same picture; the pyqtgraph exporter script pays the same imports (the row below). The registry "
        "readers, the other chart builders and ctypes are no longer imported by the command."
    ),
}

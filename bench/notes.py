"""What the profiles of the misses pointed at when they were analysed, shown under each miss in RESULTS.md.

These are readings of the profiles, written once and kept with the benchmark; the figures around them are
regenerated on every run. A note is keyed by the figure's key, or by the key without its size
(``load_ratio`` for ``load_ratio_1m``). Update a note when the code it names changes.
"""

from __future__ import annotations

ANALYSED = "2026-12-03"

NOTES: dict[str, str] = {
    "cli_png_vs_matplotlib_ratio": (
        "The command is import-bound: `import pyqtgraph` alone is ~130 ms (`pyqtgraph.Qt` about half of it), the "
        "price of drawing with the same renderer as the window so both export the same picture. The "
        "pyqtgraph exporter script pays the same imports (its ratio is the row below)."
    ),
}

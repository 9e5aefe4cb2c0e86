"""The benchmark's keys, their targets and units, and the small statistics every section shares."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Target:
    """One reported figure: ``limit`` is an upper bound (None: reported for information only)."""

    key: str
    what: str
    unit: str
    limit: float | None

    def passes(self, value: float) -> bool | None:
        return None if self.limit is None else value <= self.limit


TARGETS: tuple[Target, ...] = (
    Target("startup_s", "launch to first painted main window", "s", 1.0),
    Target("startup_ratio", "startup over a bare PySide6 + pyqtgraph window", "x", 2.0),
    Target("redraw_p95_ms", "selection/outcome change to chart painted, shipped data", "ms", 16.0),
    Target("redraw_large_p95_ms", "the same on the 100,000-arm dataset", "ms", 50.0),
    Target("search_p95_ms", "one keystroke in the catalog search, 10,000 drugs", "ms", 16.0),
    Target("load_100k_s", "load + validate the 100,000-arm dataset", "s", 2.0),
    Target("load_100k_rss_mb", "peak resident memory of that load", "MB", 300.0),
    Target("export_png_ms", "1920x1080 PNG export, in-process", "ms", 150.0),
    Target("export_svg_ms", "1920x1080 SVG export, in-process", "ms", 150.0),
    Target("export_pdf_ms", "1920x1080 PDF export, in-process", "ms", 200.0),
    Target("cli_vs_matplotlib_ratio", "`drug-viewer export` over a plain matplotlib script", "x", 1.0),
    Target("effects_100k_ms", "4 effect measures on 100,000 arm pairs (best of 5)", "ms", None),
    Target("load_stall_max_ms", "longest GUI stall while the 100k dataset loads in the window", "ms", None),
)
BY_KEY: dict[str, Target] = {t.key: t for t in TARGETS}


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile (of 60 samples: the 57th smallest)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))

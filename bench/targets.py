"""The benchmark's keys and their targets (issue 17), and the small statistics every section shares.

Every figure is a ratio of ours to a reference measured in the same run, except the few the issue sets
in absolute terms (a keystroke's budget, the longest GUI stall, the memory of a registry study). Keys
that carry a size end in it (``_1k`` ... ``_1m``: arms; search: drugs; the load of adverse events: rows).
"""

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


SIZE_NAMES = {1_000: "1k", 10_000: "10k", 100_000: "100k", 1_000_000: "1m"}


def _sized(key: str, what: str, unit: str, limits: dict[str, float | None]) -> tuple[Target, ...]:
    return tuple(Target(f"{key}_{name}", f"{what}, {name}", unit, limits.get(name)) for name in SIZE_NAMES.values())


TARGETS: tuple[Target, ...] = (
    Target("startup_ratio", "launch to first paint / bare PySide6 + pyqtgraph window", "x", 1.3),
    Target("redraw_dose_response_ratio", "dose-response redraw, 4 drugs in panels / bare pyqtgraph", "x", 2.0),
    Target("redraw_forest_40_ratio", "forest redraw, 40 trials / bare pyqtgraph", "x", 2.0),
    Target("redraw_forest_2000_ratio", "forest redraw, 2,000 trials / bare pyqtgraph", "x", 3.0),
    Target("redraw_forest_panels_40_ratio", "forest redraw in drug panels, 40 trials / bare pyqtgraph", "x", 2.0),
    Target("redraw_forest_panels_2000_ratio", "forest redraw in drug panels, 2,000 trials / bare pyqtgraph", "x", 3.0),
    Target("cli_png_vs_matplotlib_ratio", "`drug-viewer export` PNG / matplotlib script", "x", 1.0),
    Target("cli_png_vs_pyqtgraph_ratio", "`drug-viewer export` PNG / minimal pyqtgraph exporter", "x", None),
    *_sized("load_ratio", "load / csv + tomllib parse", "x", {"100k": 1.5, "1m": 1.5}),
    *_sized("load_memory_ratio", "load peak memory / parse peak memory", "x", {"100k": 1.3, "1m": 1.3}),
    *_sized("load_ae_ratio", "load of N adverse events / csv + tomllib parse", "x", {"100k": 1.5, "1m": 1.5}),
    *_sized("load_ae_memory_ratio", "load of N adverse events, peak memory / parse", "x", {"100k": 1.3, "1m": 1.3}),
    *_sized("effects_ratio", "effects, columnar / vectorised functions", "x", {"100k": 3.0, "1m": 3.0}),
    *_sized("effects_object_ratio", "effects, object path / vectorised functions", "x", {}),
    *_sized("export_ratio", "export of 4 drugs / matplotlib + numpy script", "x", {"1m": 1.0}),
    *_sized("search_ratio", "search keystroke (drugs) / list comprehension", "x", {}),
    *_sized("search_ms", "search keystroke (drugs), median", "ms", {"100k": 16.0}),
    *_sized("stall_ms", "longest GUI stall on File > Open", "ms", {"1m": 100.0}),
    Target("registry_kb_max", "memory kept per registry study, largest real record", "KB", 20.0),
)
BY_KEY: dict[str, Target] = {t.key: t for t in TARGETS}


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile (of 60 samples: the 57th smallest)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))

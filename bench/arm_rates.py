"""What both command-line references (``bench/matplotlib_baseline.py``, ``bench/pyqtgraph_baseline.py``) do
before they draw: read the arm-level CSV and compute each arm's response rate with its Wilson interval.

Plain ``csv`` and ``math``, importing nothing of the app: the references stand for what a user would write
alone. The Wilson score interval (Wilson 1927; Newcombe 1998, method 3) at z = 1.959963984540054, as the app
computes it; the whisker lengths below and above the rate, in percent.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass

Z = 1.959963984540054


def wilson(x: int, n: int) -> tuple[float, float]:
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


@dataclass(frozen=True, slots=True)
class ArmRates:
    """The arms of the CSV in file order: daily dose, rate (%) and the whiskers below and above it (%)."""

    rows: list[dict[str, str]]
    dose: list[float]
    rate: list[float]
    below: list[float]
    above: list[float]


def read_arm_rates(source: str) -> ArmRates:
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dose = [float(r["daily_dose_mg"]) for r in rows]
    x = [int(r["responders"]) for r in rows]
    n = [int(r["n"]) for r in rows]
    rate = [100 * a / b for a, b in zip(x, n, strict=True)]
    ci = [wilson(a, b) for a, b in zip(x, n, strict=True)]
    below = [r - 100 * c[0] for r, c in zip(rate, ci, strict=True)]
    above = [100 * c[1] - r for r, c in zip(rate, ci, strict=True)]
    return ArmRates(rows, dose, rate, below, above)

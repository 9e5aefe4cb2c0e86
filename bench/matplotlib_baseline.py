"""What a user would otherwise write: read the arm-level CSV, compute Wilson intervals, plot, save a PNG."""

from __future__ import annotations

import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

Z = 1.959963984540054


def wilson(x: int, n: int) -> tuple[float, float]:
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def main(source: str, out: str) -> None:
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dose = [float(r["daily_dose_mg"]) for r in rows]
    x = [int(r["responders"]) for r in rows]
    n = [int(r["n"]) for r in rows]
    rate = [100 * a / b for a, b in zip(x, n, strict=True)]
    ci = [wilson(a, b) for a, b in zip(x, n, strict=True)]
    low = [r - 100 * c[0] for r, c in zip(rate, ci, strict=True)]
    high = [100 * c[1] - r for r, c in zip(rate, ci, strict=True)]
    fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=100)
    ax.errorbar(dose, rate, yerr=[low, high], marker="o", capsize=4, label=rows[0]["trial"])
    ax.set_xlabel("Daily dose (mg/day)")
    ax.set_ylabel("Patients responding (%)")
    ax.set_title(f"{rows[0]['outcome']}: response rate by daily dose")
    ax.set_ylim(0, 100)
    ax.legend()
    fig.text(0.01, 0.01, f"Source: {rows[0]['citation']}", fontsize=8)
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

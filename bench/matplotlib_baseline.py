"""What a user would otherwise write: read the arm-level CSV, compute Wilson intervals, plot, save a PNG.

python -m bench.matplotlib_baseline DATA.csv OUT.png
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench.arm_rates import read_arm_rates


def main(source: str, out: str) -> None:
    arms = read_arm_rates(source)
    first = arms.rows[0]
    fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=100)
    ax.errorbar(arms.dose, arms.rate, yerr=[arms.below, arms.above], marker="o", capsize=4, label=first["trial"])
    ax.set_xlabel("Daily dose (mg/day)")
    ax.set_ylabel("Patients responding (%)")
    ax.set_title(f"{first['outcome']}: response rate by daily dose")
    ax.set_ylim(0, 100)
    ax.legend()
    fig.text(0.01, 0.01, f"Source: {first['citation']}", fontsize=8)
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

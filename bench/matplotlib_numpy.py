"""The reference of an export from a large dataset: a matplotlib script reading the CSV tables with numpy.

What a user would otherwise write for ``drug-viewer export --data FOLDER --drug A --drug B ...``: load the
arm and result tables of a dataset folder (``bench/generate.py``'s layout) with ``numpy.loadtxt``, keep
ACR20 for the drugs asked, compute each arm's rate and Wilson interval (vectorised), draw one series per
drug and save a 1920x1080 PNG.

    python bench/matplotlib_numpy.py FOLDER OUT.png DRUG [DRUG ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

Z = 1.959963984540054


def table(path: Path, columns: tuple[str, ...]) -> list[np.ndarray]:
    """The named columns of a CSV file as string arrays (the generated files quote nothing)."""
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=str, usecols=[header.index(c) for c in columns], ndmin=2)
    return [data[:, k] for k in range(len(columns))]


def main(folder: str, out: str, drugs: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    root = Path(folder)
    arm_id, arm_drug, dose, _n = table(root / "arms.csv", ("id", "drug", "daily_dose_mg", "n"))
    res_arm, outcome, responders, res_n = table(root / "results.csv", ("arm", "outcome", "responders", "n"))
    order = np.argsort(arm_id)
    keep = outcome == "ACR20"
    where = order[np.searchsorted(arm_id, res_arm[keep], sorter=order)]
    x = responders[keep].astype(float)
    n = np.where(res_n[keep] == "", _n[where], res_n[keep]).astype(float)
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=100)
    for drug in drugs:
        mine = arm_drug[where] == drug
        d = dose[where][mine].astype(float)
        rate = 100 * p[mine]
        err = [rate - 100 * (centre - half)[mine], 100 * (centre + half)[mine] - rate]
        ax.errorbar(d, rate, yerr=err, marker="o", linestyle="none", capsize=3, label=drug)
    ax.set_xlabel("Daily dose (mg/day)")
    ax.set_ylabel("Patients responding (%)")
    ax.set_title("ACR20: response rate by daily dose")
    ax.set_ylim(0, 100)
    ax.legend()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])

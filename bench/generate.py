"""A seeded synthetic dataset at the scale of the benchmark: 2,000 drugs, 20,000 trials, 100,000 arms.

Generated, never committed (bench/large/ is git-ignored): the numbers are random and cite a synthetic
source, so they can never be mistaken for evidence. :func:`dataset` gives the same dataset at another
number of arms (5 a trial, the 2,000 drugs), generated once into ``bench/large/core-ARMS``.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

from viewer.domain.readers.dataset import ARM_COLUMNS, RESULT_COLUMNS, TRIAL_COLUMNS

DRUGS, TRIALS, ARMS_PER_TRIAL = 2_000, 20_000, 5
POPULATIONS = ("MTX-IR", "TNF-IR", "csDMARD-IR", "MTX-naive", "bDMARD-IR")
OUTCOMES = {"ACR20": 1.0, "ACR50": 0.6}
COMMON = {"source": "SYN", "level": "verified"}


LARGE = Path(__file__).resolve().parent / "large"


def dataset(arms: int) -> Path:
    """The seeded dataset at ``arms`` arms in ``bench/large/core-ARMS``, generated on first use."""
    folder = LARGE / f"core-{arms}"
    if not folder.is_dir():  # written aside and renamed: an interrupted run leaves no half dataset behind
        partial = LARGE / f".core-{arms}-partial"
        shutil.rmtree(partial, ignore_errors=True)
        generate(partial, trial_count=max(arms // ARMS_PER_TRIAL, 1))
        partial.rename(folder)
    return folder


def generate(root: Path, seed: int = 20261126, trial_count: int | None = None) -> Path:
    """Write the dataset into ``root``: ``trial_count`` trials (default :data:`TRIALS`) of 5 arms each."""
    rng = random.Random(seed)
    (root / "drugs").mkdir(parents=True, exist_ok=True)
    (root / "sources.csv").write_text("id,citation,kind\nSYN,Synthetic benchmark data (not evidence),article\n")
    for i in range(DRUGS):
        (root / "drugs" / f"drug{i:04d}.toml").write_text(
            f'id = "drug{i:04d}"\nname = "Syntinib {i:04d}"\nclass = "synthetic"\n'
            f'codes = ["SYN-{i:04d}"]\ntargets = ["JAK{1 + i % 3}"]\n'
        )
    with (
        (root / "trials.csv").open("w", newline="") as trial_file,
        (root / "arms.csv").open("w", newline="") as arm_file,
        (root / "results.csv").open("w", newline="") as result_file,
    ):
        trials = csv.DictWriter(trial_file, TRIAL_COLUMNS, restval="")
        arms = csv.DictWriter(arm_file, ARM_COLUMNS, restval="")
        results = csv.DictWriter(result_file, RESULT_COLUMNS, restval="")
        for writer in (trials, arms, results):
            writer.writeheader()
        for t in range(TRIALS if trial_count is None else trial_count):
            trial = f"t{t:05d}"
            population = rng.choice(POPULATIONS)
            trials.writerow({"id": trial, "name": f"SYN-{t:05d}", "population": population, **COMMON})
            placebo_rate = rng.uniform(0.1, 0.4)
            for a in range(ARMS_PER_TRIAL):
                dose = 0 if a == 0 else 5 * 2 ** (a - 1)
                n = rng.randint(30, 300)
                arm = f"{trial}-{a}"
                arms.writerow(
                    {
                        "id": arm, "trial": trial, "role": "drug" if dose else "placebo",
                        "drug": f"drug{t % DRUGS:04d}" if dose else "", "label": f"{dose} mg QD" if dose else "Placebo",
                        "daily_dose_mg": dose, "n": n, **COMMON,
                    }
                )  # fmt: skip
                rate = placebo_rate + 0.4 * dose / (10 + dose)
                for outcome, share in OUTCOMES.items():
                    responders = min(n, round(rate * share * n + rng.gauss(0, 2)))
                    results.writerow(
                        {"trial": trial, "arm": arm, "outcome": outcome, "timepoint": "week 12",
                         "responders": max(responders, 0), **COMMON}
                    )  # fmt: skip
    return root


if __name__ == "__main__":
    print(generate(LARGE))

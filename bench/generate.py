"""A seeded synthetic dataset at the scale of the benchmark: 2,000 drugs, 20,000 trials, 100,000 arms.

Generated, never committed (bench/large/ is git-ignored): the numbers are random and cite a synthetic
source, so they can never be mistaken for evidence. :func:`dataset` gives the same dataset at another
number of arms (5 a trial, the 2,000 drugs), generated once into ``bench/large/core-ARMS``;
:func:`adverse_dataset` a folder of N adverse-event rows (two terms an arm, no results) for the figure of
loading them, in ``bench/large/ae-ROWS``: its own random numbers, so the core datasets stay as they were.
"""

from __future__ import annotations

import csv
import random
import shutil
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from viewer.domain.readers.dataset import AE_COLUMNS, ARM_COLUMNS, RESULT_COLUMNS, TRIAL_COLUMNS

DRUGS, TRIALS, ARMS_PER_TRIAL = 2_000, 20_000, 5
POPULATIONS = ("MTX-IR", "TNF-IR", "csDMARD-IR", "MTX-naive", "bDMARD-IR")
OUTCOMES = {"ACR20": 1.0, "ACR50": 0.6}
COMMON = {"source": "SYN", "level": "verified"}
AE_TERMS = 2  # rows of adverse_events.csv an arm: a count on the arm's n, and a percentage of its own n


LARGE = Path(__file__).resolve().parent / "large"


def dataset(arms: int) -> Path:
    """The seeded dataset at ``arms`` arms in ``bench/large/core-ARMS``, generated on first use."""
    return _generated(f"core-{arms}", trial_count=max(arms // ARMS_PER_TRIAL, 1))


def adverse_dataset(rows: int) -> Path:
    """A seeded folder of ``rows`` adverse-event rows (:data:`AE_TERMS` an arm, the arms' trials, no results)
    in ``bench/large/ae-ROWS``, generated on first use."""
    trials = max(rows // (AE_TERMS * ARMS_PER_TRIAL), 1)
    return _generated(f"ae-{rows}", trial_count=trials, results=False, adverse_events=True)


def _generated(name: str, **options: Any) -> Path:
    folder = LARGE / name
    if not folder.is_dir():  # written aside and renamed: an interrupted run leaves no half dataset behind
        partial = LARGE / f".{name}-partial"
        shutil.rmtree(partial, ignore_errors=True)
        generate(partial, **options)
        partial.rename(folder)
    return folder


def generate(
    root: Path,
    seed: int = 20261126,
    trial_count: int | None = None,
    *,
    results: bool = True,
    adverse_events: bool = False,
) -> Path:
    """Write the dataset into ``root``: ``trial_count`` trials (default :data:`TRIALS`) of 5 arms each, with
    two results an arm (``results``; else results.csv is its header) and :data:`AE_TERMS` adverse events an
    arm (``adverse_events``, drawn from a random stream of their own: the other tables are the same either
    way)."""
    rng = random.Random(seed)
    ae_rng = random.Random(seed + 1)
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
        (root / "adverse_events.csv").open("w", newline="") if adverse_events else nullcontext() as ae_file,
    ):
        trials = csv.DictWriter(trial_file, TRIAL_COLUMNS, restval="")
        arms = csv.DictWriter(arm_file, ARM_COLUMNS, restval="")
        result_rows = csv.DictWriter(result_file, RESULT_COLUMNS, restval="")
        events = csv.DictWriter(ae_file, AE_COLUMNS, restval="") if ae_file is not None else None
        for writer in (trials, arms, result_rows, events):
            if writer is not None:
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
                    if results:
                        result_rows.writerow(
                            {"trial": trial, "arm": arm, "outcome": outcome, "timepoint": "week 12",
                             "responders": max(responders, 0), **COMMON}
                        )  # fmt: skip
                if events is not None:
                    _adverse_rows(events, ae_rng, trial, arm, n)
    return root


def _adverse_rows(events: csv.DictWriter[str], rng: random.Random, trial: str, arm: str, n: int) -> None:
    """An arm's adverse events: any adverse event as a count on the arm's n, serious infection as a
    percentage (one decimal, as printed) of an n of its own, from which the reader derives the count."""
    affected = rng.randint(n // 4, n * 3 // 4)
    events.writerow(
        {"trial": trial, "arm": arm, "term": "any adverse event", "serious": "no", "affected": affected,
         "timepoint": "week 12", **COMMON}
    )  # fmt: skip
    at_risk = n - rng.randint(0, 3)
    serious = rng.randint(0, at_risk // 10)
    events.writerow(
        {"trial": trial, "arm": arm, "term": "serious infection", "serious": "yes",
         "percent": f"{100 * serious / at_risk:.1f}", "at_risk": at_risk, "timepoint": "week 12", **COMMON}
    )  # fmt: skip


if __name__ == "__main__":
    print(generate(LARGE))

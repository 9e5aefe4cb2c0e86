"""A seeded synthetic dataset at the scale of the benchmark: 2,000 drugs, 20,000 trials, 100,000 arms.

Generated, never committed (bench/large/ is git-ignored): the numbers are random and cite a synthetic
source, so they can never be mistaken for evidence.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

DRUGS, TRIALS, ARMS_PER_TRIAL = 2_000, 20_000, 5
POPULATIONS = ("MTX-IR", "TNF-IR", "csDMARD-IR", "MTX-naive", "bDMARD-IR")


def generate(root: Path, seed: int = 20261126) -> Path:
    rng = random.Random(seed)
    (root / "drugs").mkdir(parents=True, exist_ok=True)
    (root / "sources.csv").write_text("id,citation,pmid,doi,nct,url,locator,note\nSYN,Synthetic benchmark data,,,,,,\n")
    for i in range(DRUGS):
        (root / "drugs" / f"drug{i:04d}.toml").write_text(
            f'id = "drug{i:04d}"\nname = "Syntinib {i:04d}"\nclass = "synthetic"\n'
            f'codes = ["SYN-{i:04d}"]\ntargets = ["JAK{1 + i % 3}"]\n'
        )
    with (
        (root / "trials.csv").open("w", newline="") as tf,
        (root / "arms.csv").open("w", newline="") as af,
        (root / "results.csv").open("w", newline="") as rf,
    ):
        trials, arms, results = csv.writer(tf), csv.writer(af), csv.writer(rf)
        trials.writerow("id,name,nct,phase,population,background,primary_timepoint,randomised_n,indication,source,level,note".split(","))
        arms.writerow("id,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,source,level,note".split(","))
        results.writerow("trial,arm,outcome,timepoint,responders,percent,n,source,level,note".split(","))
        for t in range(TRIALS):
            drug = f"drug{t % DRUGS:04d}"
            tid = f"t{t:05d}"
            trials.writerow([tid, f"SYN-{t:05d}", "", "2", rng.choice(POPULATIONS), "", "week 12", "", "", "SYN", "verified", ""])
            placebo_rate = rng.uniform(0.1, 0.4)
            for a in range(ARMS_PER_TRIAL):
                n = rng.randint(30, 300)
                dose = 0 if a == 0 else 5 * 2 ** (a - 1)
                role, arm_drug = ("placebo", "") if a == 0 else ("drug", drug)
                aid = f"{tid}-{a}"
                arms.writerow([aid, tid, role, arm_drug, "Placebo" if a == 0 else f"{dose} mg QD", dose or "", "mg", "QD", dose, n, "SYN", "verified", ""])
                p = placebo_rate + (0.4 * dose / (10 + dose))
                for outcome in ("ACR20", "ACR50"):
                    x = sum(rng.random() < p for _ in range(0)) or round(p * n * (1 if outcome == "ACR20" else 0.6))
                    results.writerow([tid, aid, outcome, "week 12", min(x, n), "", "", "SYN", "verified", ""])
    return root


if __name__ == "__main__":
    print(generate(Path(__file__).resolve().parent / "large"))

"""Write the shipped catalog's ACR20 MTX-IR network (upadacitinib, tofacitinib, baricitinib) as CSV for R.

Run from the repository root with the project's venv: ``.venv/bin/python tests/r/export_jak.py``; then
``Rscript tests/r/reference.R``. The CSV is what the app itself selects (evidence_pool.gather), so the R
reference values check the same numbers the window and the command line show.
"""

from __future__ import annotations

import csv
from pathlib import Path

from viewer.charts.evidence_pool import gather
from viewer.charts.query import Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import Origin
from viewer.paths import shipped_datasets
from viewer.session import Session

OUT = Path(__file__).resolve().parents[1] / "data" / "r_reference" / "jak_acr20_mtxir.csv"


def main() -> None:
    session = Session()
    session.load(shipped_datasets(), Origin.CURATED)
    catalog = session.catalog
    pool = gather(catalog, Query(population="MTX-IR", outcome="ACR20"))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["study", "trt", "xi", "ni", "drug", "daily_mg"])
        for trial in pool.trials:
            for arm in trial.arms:
                drug, daily = _drug_dose(catalog, trial.trial, arm.treatment)
                writer.writerow([trial.trial, arm.treatment, arm.responders, arm.n, drug, daily])


def _drug_dose(catalog: Catalog, trial_id: str, node: str) -> tuple[str, str]:
    from viewer.charts.evidence_pool import node_name

    for arm in catalog.arms_of(trial_id):
        if node_name(catalog, arm) == node:
            daily = "" if arm.daily_dose_mg is None else f"{arm.daily_dose_mg:g}"
            return arm.drug_id or "placebo", daily if arm.drug_id else "0"
    return "", ""


if __name__ == "__main__":
    main()

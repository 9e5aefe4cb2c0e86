"""A study read from AACT rows gives the same figures as the same study read from its v2 JSON.

The rows are made from the real record by AACT's own mapping (tests/registry/aact_rows.py cites each
model file); no database is needed here, so this runs everywhere. The engine tests repeat it through
PostgreSQL and the local copy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.registry.aact_rows import rows_for
from tests.registry.figures import figures, skipped_rules
from viewer.domain.readers.ctgov import build_dataset, read_ctgov_json
from viewer.domain.registry.rows import record_from_rows, stamp_provenance

DATA = Path(__file__).parents[1] / "data" / "ctgov"
RECORD = DATA / "NCT02552212_ctgov_v2.json"


def from_rows(path: Path) -> object:
    study = json.loads(path.read_text(encoding="utf-8"))
    nct = study["protocolSection"]["identificationModule"]["nctId"]
    rows = rows_for(study)
    per_study = {table: [r for r in table_rows if r["nct_id"] == nct] for table, table_rows in rows.items()}
    record, index = record_from_rows(nct, per_study, "AACT 2026-12-01")
    dataset = build_dataset(record, None, f"ClinicalTrials.gov {nct}", path)
    return stamp_provenance(dataset, index, "2026-12-01")


def test_same_figures_from_rows_and_json() -> None:
    json_data = read_ctgov_json(RECORD, None)
    aact = from_rows(RECORD)
    assert figures(aact) == figures(json_data)  # type: ignore[arg-type]
    assert len(json_data.results) > 0 and len(json_data.adverse_events) > 0 and json_data.sponsor_analyses


def test_the_same_things_are_left_out_for_the_same_reasons() -> None:
    json_data = read_ctgov_json(RECORD, None)
    aact = from_rows(RECORD)
    assert skipped_rules(aact) == skipped_rules(json_data)  # type: ignore[arg-type]


def test_every_figure_names_its_aact_rows_group_title_and_snapshot() -> None:
    aact = from_rows(RECORD)
    first = next(r for r in aact.results if "ASDAS-MI" in r.outcome_id)  # type: ignore[attr-defined]
    assert "NCT02552212" in first.provenance
    assert "ctgov.outcome_measurements id=" in first.provenance
    assert "ctgov.result_groups id=" in first.provenance
    assert "'Placebo (FAS)'" in first.provenance or "'CZP 200 mg Q2W (FAS)'" in first.provenance
    assert first.provenance.endswith("AACT snapshot 2026-12-01")
    for event in aact.adverse_events:  # type: ignore[attr-defined]
        assert "ctgov.reported_event" in event.provenance and "AACT snapshot 2026-12-01" in event.provenance
    for analysis in aact.sponsor_analyses:  # type: ignore[attr-defined]
        assert "ctgov.outcome_analyses id=" in analysis.provenance


@pytest.mark.parametrize("value", [None, "", "NA"])
def test_missing_values_stay_missing(value: object) -> None:
    from viewer.domain.registry.rows import text

    assert text(value) in {"", "NA"}

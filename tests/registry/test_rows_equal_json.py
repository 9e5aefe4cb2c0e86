"""A study read from AACT rows gives the same figures as the same study read from its v2 JSON.

Every v2 JSON record in tests/data/ctgov/ (four real studies, origins in its README) is read both ways.
The rows are made from the record by AACT's own mapping (tests/registry/aact_rows.py cites each model
file); no database is needed here, so this runs everywhere. The engine tests repeat it through
PostgreSQL and the local copy.

What AACT does not keep makes the only differences, each asserted here rather than hidden: an outcome
reported by class (AACT drops class denominators) is kept out of the AACT reading with its reason, and a
study with no individual adverse event has no AE time frame in AACT.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from tests.registry.aact_rows import rows_for
from tests.registry.figures import figures, skipped_rules
from viewer.domain.model import Dataset
from viewer.domain.readers.ctgov import build_dataset, read_ctgov_json
from viewer.domain.readers.ctgov.outcomes import CLASS_DENOMINATORS_LOST
from viewer.domain.registry.rows import record_from_rows, stamp_provenance

DATA = Path(__file__).parents[1] / "data" / "ctgov"
RECORD = DATA / "NCT02552212_ctgov_v2.json"
V2_RECORDS = sorted(DATA.glob("*.json"))


def from_rows(path: Path) -> Dataset:
    study = json.loads(path.read_text(encoding="utf-8"))
    nct = study["protocolSection"]["identificationModule"]["nctId"]
    rows = rows_for(study)
    per_study = {table: [r for r in table_rows if r["nct_id"] == nct] for table, table_rows in rows.items()}
    record, index = record_from_rows(nct, per_study, "AACT 2026-12-01")
    dataset = build_dataset(record, None, f"ClinicalTrials.gov {nct}", path)
    return stamp_provenance(dataset, index, "2026-12-01")


def test_four_real_v2_records_are_compared() -> None:
    assert [p.name for p in V2_RECORDS] == [
        "NCT00763412.json",
        "NCT02210780.json",
        "NCT02552212_ctgov_v2.json",
        "NCT03064438.json",
    ]


def lost_by_class(dataset: Dataset) -> set[str]:
    """Outcome titles the AACT reading kept out because AACT has no class denominators."""
    return {x.title for x in dataset.excluded_outcomes if x.reason == CLASS_DENOMINATORS_LOST}


@pytest.mark.parametrize("path", V2_RECORDS, ids=lambda p: p.stem)
def test_same_figures_from_rows_and_json(path: Path) -> None:
    json_data, aact = read_ctgov_json(path, None), from_rows(path)
    want, got = figures(json_data), figures(aact)
    for part in ("drugs", "trials", "arms", "sponsor_analyses"):
        assert got[part] == want[part], part
    lost = lost_by_class(aact)
    measures = {o.id: o.measure or o.id for o in json_data.outcomes}
    kept = [r for r in want["results"] if measures[r["outcome_id"]] not in lost]
    assert got["results"] == kept
    assert not lost_by_class(json_data)
    no_events = not _individual_events(path)
    for mine, theirs in zip(got["adverse_events"], want["adverse_events"], strict=True):
        if no_events and mine["timepoint"] == "":
            theirs = {**theirs, "timepoint": ""}  # AACT keeps the AE time frame only on event rows
        assert mine == theirs


def _individual_events(path: Path) -> list[dict[str, Any]]:
    study = json.loads(path.read_text(encoding="utf-8"))
    module = study.get("resultsSection", {}).get("adverseEventsModule", {})
    return [*module.get("seriousEvents", []), *module.get("otherEvents", [])]


def test_the_reading_shows_what_each_record_yields() -> None:
    """Hand-checked counts: what each study gives from AACT, so a silent change in either reading shows."""
    yields = {}
    for path in V2_RECORDS:
        aact = from_rows(path)
        yields[path.stem] = (len(aact.results), len(aact.adverse_events), len(aact.sponsor_analyses))
    assert yields == {
        "NCT00763412": (0, 4, 0),
        "NCT02210780": (12, 22, 3),
        "NCT02552212_ctgov_v2": (25, 235, 5),
        "NCT03064438": (12, 28, 1),  # 52 from the JSON less the erythema scores: 5 visits x 4 scores x 2 arms
    }
    erythema = lost_by_class(from_rows(DATA / "NCT03064438.json"))
    assert erythema == {
        "Number of Participants With Erythema Score Based on Local Tolerability as Assessed by the Investigator "
        "at Day 1 (Post-application) and Weeks 2, 4, 8, and 14"
    }


@pytest.mark.parametrize("path", V2_RECORDS, ids=lambda p: p.stem)
def test_the_same_things_are_left_out_for_the_same_reasons(path: Path) -> None:
    json_data, aact = read_ctgov_json(path, None), from_rows(path)
    lost = lost_by_class(aact)
    extra = [r for r in skipped_rules(aact) if r not in skipped_rules(json_data)]
    assert all(any(title in r for title in lost) for r in extra), extra
    assert [r for r in skipped_rules(json_data) if r not in skipped_rules(aact)] == []


def test_every_figure_names_its_aact_rows_group_title_and_snapshot() -> None:
    aact = from_rows(RECORD)
    first = next(r for r in aact.results if "ASDAS-MI" in r.outcome_id)
    assert "NCT02552212" in first.provenance
    assert "ctgov.outcome_measurements id=" in first.provenance
    assert "ctgov.result_groups id=" in first.provenance
    assert "'Placebo (FAS)'" in first.provenance or "'CZP 200 mg Q2W (FAS)'" in first.provenance
    assert first.provenance.endswith("AACT snapshot 2026-12-01")
    for event in aact.adverse_events:
        assert "ctgov.reported_event" in event.provenance and "AACT snapshot 2026-12-01" in event.provenance
    for analysis in aact.sponsor_analyses:
        assert "ctgov.outcome_analyses id=" in analysis.provenance


def test_a_study_read_from_aact_keeps_its_rows_as_parts_and_writes_the_same_lines() -> None:
    """Issue 17: the AACT rows and snapshot of each figure are parts (a code and an id per row), not a line
    of text each: NCT02552212 read from AACT kept 128 KB, 80 KB with compact tables, 43 KB with parts."""
    from_rows(RECORD)  # imports and caches are not the study's
    gc.collect()
    tracemalloc.start()
    try:
        aact = from_rows(RECORD)
        gc.collect()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (glaucoma,) = [e for e in aact.adverse_events if e.term == "Glaucoma (serious)" and "group EG001;" in e.provenance]
    assert glaucoma.provenance == (
        "NCT02552212; serious adverse event 'Glaucoma'; group EG001; affected '1' of at risk '159'; time frame "
        "'From Baseline up to the End of Safety Follow-up Extension Period (up to Week 156)'; record 2022-08-18; "
        "AACT ctgov.reported_events id=2, ctgov.result_groups id=76 'CZP 200 mg Q2W (SS)'; AACT snapshot 2026-12-01"
    )
    assert aact.results[0].provenance.endswith(
        "; record 2022-08-18; AACT ctgov.outcomes id=1, ctgov.outcome_measurements id=1, ctgov.result_groups id=4; "
        "AACT snapshot 2026-12-01"
    )
    assert len(aact.adverse_events) == 235
    assert kept < 60_000


@pytest.mark.parametrize("value", [None, "", "NA"])
def test_missing_values_stay_missing(value: object) -> None:
    from viewer.domain.registry.rows import text

    assert text(value) in {"", "NA"}

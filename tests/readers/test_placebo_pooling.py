"""Placebo groups are pooled only within one results table, never across tables (issue 14).

A constructed v2 record (no real record with several placebo groups in one table was found in reach:
/work/notes/hunt14-evidence.md lists where I looked): two dose cohorts, each randomised against its own
placebo cohort. ACR20 reports all four groups, so each dose is compared with both placebo cohorts pooled;
ACR50 reports only the first cohort, so its dose is compared with that cohort's placebo alone; adverse
events pool the placebo rows of one term and seriousness, never a serious row with an other one.
The figures go in as a file and come out of `drug-viewer export` as CSV rows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.charts.test_placement_csv import export_csv
from tests.readers.test_ctgov_json import _study

GROUPS = ("ABT-494 15 mg QD", "Placebo Cohort 1", "ABT-494 30 mg QD", "Placebo Cohort 2")
POOLED = "pooled: Placebo Cohort 1 + Placebo Cohort 2"


def _measure(title: str, counts: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """A count-of-participants outcome table holding only the groups in ``counts`` (affected, analysed)."""
    ids = {title: f"OG00{i}" for i, title in enumerate(GROUPS)}
    return {
        "type": "PRIMARY", "title": title, "reportingStatus": "POSTED", "paramType": "COUNT_OF_PARTICIPANTS",
        "unitOfMeasure": "Participants", "timeFrame": "Week 12",
        "groups": [{"id": ids[g], "title": g, "description": ""} for g in counts],
        "denoms": [{"units": "Participants", "counts": [
            {"groupId": ids[g], "value": str(n)} for g, (_, n) in counts.items()
        ]}],
        "classes": [{"categories": [{"measurements": [
            {"groupId": ids[g], "value": str(k)} for g, (k, _) in counts.items()
        ]}]}],
    }  # fmt: skip


def _events(term: str, counts: tuple[tuple[int, int], ...]) -> dict[str, Any]:
    stats = [{"groupId": f"EG00{i}", "numAffected": k, "numAtRisk": n} for i, (k, n) in enumerate(counts)]
    return {"term": term, "organSystem": "Gastrointestinal disorders", "stats": stats}


def _two_cohorts(tmp_path: Path) -> Path:
    study = _study()
    arms = study["protocolSection"]["armsInterventionsModule"]
    arms["armGroups"] = [
        {"label": g, "type": "PLACEBO_COMPARATOR" if "Placebo" in g else "EXPERIMENTAL"} for g in GROUPS
    ]
    arms["interventions"] = [
        {"type": "DRUG", "name": "ABT-494", "armGroupLabels": [GROUPS[0], GROUPS[2]]},
        {"type": "DRUG", "name": "Placebo", "armGroupLabels": [GROUPS[1], GROUPS[3]]},
    ]
    results = study["resultsSection"]
    results["outcomeMeasuresModule"]["outcomeMeasures"] = [
        _measure("ACR20 Response at Week 12", dict(zip(GROUPS, ((30, 50), (5, 25), (36, 50), (3, 25)), strict=True))),
        _measure("ACR50 Response at Week 12", {GROUPS[0]: (20, 50), GROUPS[1]: (2, 25)}),
    ]
    results["adverseEventsModule"] = {
        "timeFrame": "12 weeks",
        "eventGroups": [{"id": f"EG00{i}", "title": g} for i, g in enumerate(GROUPS)],
        "seriousEvents": [_events("Pneumonia", ((1, 50), (0, 25), (2, 50), (1, 25)))],
        "otherEvents": [
            _events("Nausea", ((7, 50), (1, 25), (9, 50), (2, 25))),
            _events("Pneumonia", ((3, 50), (2, 25), (4, 50), (3, 25))),
        ],
    }
    path = tmp_path / "two_cohorts.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    return path


def _rows(tmp_path: Path, *args: str) -> dict[str, tuple[str, str, str, str, str]]:
    rows = export_csv(tmp_path, "--data", str(_two_cohorts(tmp_path)), "--drug", "ABT-494", *args)
    return {
        r["arm"]: (r["responders"], r["n"], r["placebo_arm"], r["placebo_responders"], r["placebo_n"]) for r in rows
    }


def test_placebo_cohorts_in_one_table_are_pooled(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "--chart", "forest", "--outcome", "ACR20 Response at Week 12")
    assert rows == {
        "ABT-494 15 mg QD": ("30", "50", POOLED, "8", "50"),
        "ABT-494 30 mg QD": ("36", "50", POOLED, "8", "50"),
    }


def test_a_placebo_cohort_missing_from_a_table_is_not_pooled_into_it(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "--chart", "forest", "--outcome", "ACR50 Response at Week 12")
    assert rows == {"ABT-494 15 mg QD": ("20", "50", "Placebo Cohort 1", "2", "25")}


def test_adverse_events_pool_placebo_rows_of_one_seriousness_only(tmp_path: Path) -> None:
    other = _rows(tmp_path, "--chart", "tolerability", "--ae", "Pneumonia", "--population", "")
    serious = _rows(tmp_path, "--chart", "tolerability", "--ae", "Pneumonia (serious)", "--population", "")
    assert {arm: row[2:] for arm, row in other.items()} == {
        "ABT-494 15 mg QD": (POOLED, "5", "50"),
        "ABT-494 30 mg QD": (POOLED, "5", "50"),
    }
    assert {arm: row[2:] for arm, row in serious.items()} == {
        "ABT-494 15 mg QD": (POOLED, "1", "50"),
        "ABT-494 30 mg QD": (POOLED, "1", "50"),
    }

"""ClinicalTrials.gov API v2 JSON: a real record (NCT02552212), synthetic records and bad input."""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from viewer.domain.catalog import Catalog
from viewer.domain.compact import RecordTable
from viewer.domain.comparisons import adverse_figures, compare
from viewer.domain.errors import DataError
from viewer.domain.model import (
    ApprovalStatus,
    ArmRole,
    Dataset,
    Direction,
    Drug,
    EvidenceLevel,
    Origin,
    OutcomeKind,
    Result,
)
from viewer.domain.readers.ctgov import read_ctgov_json
from viewer.domain.readers.ctgov.cited import AnalysisCited

DATA = Path(__file__).resolve().parent.parent / "data" / "ctgov"
CZP = DATA / "NCT02552212_ctgov_v2.json"
ASDAS = (
    "Percentage of Subjects With Ankylosing Spondylitis Disease Activity Score Major Improvement (ASDAS-MI) "
    "Response Criteria Response at Week 52"
)
BACKGROUND = "Number of Subjects Without Relevant Changes to Background Medication From Baseline to Week 52"
PLACEBO = "nct02552212-placebo"
CZP_ARM = "nct02552212-czp-200-mg-q2w"


@pytest.fixture(scope="module")
def czp() -> Dataset:
    return read_ctgov_json(CZP, None)


def _result(ds: Dataset, outcome: str, arm: str) -> Result:
    (found,) = [r for r in ds.results if r.outcome_id == outcome and r.arm_id == arm]
    return found


def _write(tmp_path: Path, document: object, name: str = "study.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _study(
    values: tuple[str, str] = ("60.0", "30.0"),
    denoms: tuple[str | None, str | None] = ("100", "100"),
    intervention: str = "ABT-494",
    nct: str = "NCT09999999",
) -> dict[str, Any]:
    """A minimal v2 study: one binary outcome with an active and a placebo group."""
    groups = [("OG000", f"{intervention} 15 mg QD"), ("OG001", "Placebo")]
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": "A synthetic trial", "acronym": "SYN"},
            "statusModule": {"lastUpdatePostDateStruct": {"date": "2024-01-02"}},
            "designModule": {"phases": ["PHASE2"], "enrollmentInfo": {"count": 200}},
            "conditionsModule": {"conditions": ["Rheumatoid Arthritis"]},
            "armsInterventionsModule": {
                "armGroups": [
                    {
                        "label": f"{intervention} 15 mg QD",
                        "type": "EXPERIMENTAL",
                        "interventionNames": [f"Drug: {intervention}"],
                    },
                    {"label": "Placebo", "type": "PLACEBO_COMPARATOR", "interventionNames": ["Drug: Placebo"]},
                ],
                "interventions": [
                    {"type": "DRUG", "name": intervention, "armGroupLabels": [f"{intervention} 15 mg QD"]},
                    {"type": "DRUG", "name": "Placebo", "armGroupLabels": ["Placebo"]},
                ],
            },
        },
        "resultsSection": {
            "outcomeMeasuresModule": {
                "outcomeMeasures": [
                    {
                        "type": "PRIMARY",
                        "title": "ACR20 Response at Week 12",
                        "reportingStatus": "POSTED",
                        "paramType": "NUMBER",
                        "unitOfMeasure": "percentage of participants",
                        "timeFrame": "Week 12",
                        "groups": [{"id": g, "title": t, "description": ""} for g, t in groups],
                        "denoms": [
                            {
                                "units": "Participants",
                                "counts": [
                                    {"groupId": g, "value": n}
                                    for (g, _), n in zip(groups, denoms, strict=True)
                                    if n is not None
                                ],
                            }
                        ],
                        "classes": [
                            {
                                "categories": [
                                    {
                                        "measurements": [
                                            {"groupId": g, "value": v} for (g, _), v in zip(groups, values, strict=True)
                                        ]
                                    }
                                ]
                            }
                        ],
                    }
                ]
            },
            "adverseEventsModule": {
                "timeFrame": "12 weeks",
                "eventGroups": [
                    {
                        "id": "EG000",
                        "title": f"{intervention} 15 mg QD",
                        "seriousNumAffected": 2,
                        "seriousNumAtRisk": 100,
                    },
                    {"id": "EG001", "title": "Placebo", "seriousNumAffected": 1, "seriousNumAtRisk": 100},
                    {"id": "EG002", "title": "Open-label extension", "seriousNumAffected": 0, "seriousNumAtRisk": 50},
                ],
                "otherEvents": [
                    {
                        "term": "Nausea",
                        "organSystem": "Gastrointestinal disorders",
                        "stats": [
                            {"groupId": "EG000", "numAffected": 7, "numAtRisk": 100},
                            {"groupId": "EG001", "numAffected": 3, "numAtRisk": 100},
                        ],
                    }
                ],
            },
        },
        "hasResults": True,
    }


# --- the real record ------------------------------------------------------------------------------------


def test_trial_and_source(czp: Dataset) -> None:
    (trial,) = czp.trials
    assert (trial.id, trial.nct, trial.name) == ("nct02552212", "NCT02552212", "C-AXSPAND")
    assert trial.phase == "Phase 3"
    assert trial.randomised_n == 317
    assert "Nonradiographic Axial Spondyloarthritis" in trial.population
    assert trial.indication == trial.population
    assert trial.level is EvidenceLevel.VERIFIED
    assert trial.origin is Origin.REGISTRY
    assert czp.origin is Origin.REGISTRY
    (source,) = czp.sources
    assert source.id == "NCT02552212" == trial.source_id
    assert source.citation.startswith("ClinicalTrials.gov NCT02552212: Multicenter Study Evaluating Certolizumab")
    assert source.citation.endswith("(record updated 2022-08-18)")
    assert source.url == "https://clinicaltrials.gov/study/NCT02552212"
    assert source.locator == "results section"


def test_percentages_become_derived_counts(czp: Dataset) -> None:
    placebo, active = _result(czp, ASDAS, PLACEBO), _result(czp, ASDAS, CZP_ARM)
    assert (placebo.responders, placebo.n, placebo.percent) == (11, 158, 7.0)  # 7.0% of 158 = 11.06
    assert (active.responders, active.n, active.percent) == (75, 159, 47.2)  # 47.2% of 159 = 75.05
    assert placebo.derived
    assert active.derived
    assert placebo.timepoint == "Week 52"


def test_count_outcome_is_reported_not_derived(czp: Dataset) -> None:
    placebo, active = _result(czp, BACKGROUND, PLACEBO), _result(czp, BACKGROUND, CZP_ARM)
    assert (placebo.responders, placebo.n) == (48, 158)
    assert (active.responders, active.n) == (115, 159)
    assert not placebo.derived
    assert placebo.percent is None


def test_sponsor_odds_ratio_is_kept(czp: Dataset) -> None:
    (analysis,) = [a for a in czp.sponsor_analyses if a.outcome_id == ASDAS]
    assert "Odds Ratio" in analysis.param_type
    assert analysis.value == 15.231
    assert (analysis.ci_low, analysis.ci_high, analysis.ci_percent) == (7.336, 31.623, 95.0)
    assert analysis.p_value == "<0.001"
    assert analysis.method == "Regression, Logistic"
    assert analysis.arm_ids == (PLACEBO, CZP_ARM)
    assert "logistic regression" in analysis.provenance
    # the five analyses compare the same two groups: one tuple of arm ids, one of group ids (issue 17)
    assert len(czp.sponsor_analyses) == 5 and len({id(a.arm_ids) for a in czp.sponsor_analyses}) == 1
    assert len({id(a.cited.group_ids) for a in czp.sponsor_analyses if isinstance(a.cited, AnalysisCited)}) == 1


def test_arms_roles_doses_and_drug(czp: Dataset) -> None:
    arms = {a.id: a for a in czp.arms}
    assert arms[PLACEBO].role is ArmRole.PLACEBO
    assert arms[PLACEBO].drug_id == ""
    active = arms[CZP_ARM]
    assert (active.role, active.dose, active.unit, active.frequency) == (ArmRole.DRUG, 200.0, "mg", "Q2W")
    assert active.daily_dose_mg == pytest.approx(200 / 14)
    assert active.label == "CZP 200 mg Q2W"  # "(FAS)" dropped: it names the analysis set, not the arm
    assert "loading" in active.note
    (drug,) = czp.drugs
    assert active.drug_id == drug.id == "certolizumabpegol"
    assert drug.name == "Certolizumab Pegol"
    assert drug.origin is Origin.REGISTRY
    assert drug.note == "from ClinicalTrials.gov NCT02552212"
    assert drug.codes == ("CDP870",)
    assert drug.brands == ("Cimzia",)


def test_five_adverse_event_groups_share_arms_with_outcomes(czp: Dataset) -> None:
    arm_ids = {e.arm_id for e in czp.adverse_events}
    assert len(arm_ids) == 5
    assert {PLACEBO, CZP_ARM} <= arm_ids
    assert arm_ids <= {a.id for a in czp.arms}
    switch = next(a for a in czp.arms if a.label == "Placebo->OL CZP")
    assert switch.role is ArmRole.DRUG  # it received certolizumab, open label
    assert "not a randomised comparison" in switch.note


def test_adverse_event_terms_and_totals(czp: Dataset) -> None:
    totals = {(e.arm_id, e.term): e for e in czp.adverse_events if e.term == "serious adverse event"}
    assert (
        totals[(PLACEBO, "serious adverse event")].affected,
        totals[(PLACEBO, "serious adverse event")].at_risk,
    ) == (
        4,
        158,
    )
    other = {e.arm_id: e for e in czp.adverse_events if e.term == "any other adverse event"}
    assert (other[CZP_ARM].affected, other[CZP_ARM].at_risk) == (75, 159)
    diarrhoea = {e.arm_id: e for e in czp.adverse_events if e.term == "Diarrhoea"}
    assert (diarrhoea[CZP_ARM].affected, diarrhoea[CZP_ARM].at_risk, diarrhoea[CZP_ARM].serious) == (8, 159, False)
    glaucoma = {e.arm_id: e for e in czp.adverse_events if e.term == "Glaucoma (serious)"}
    assert glaucoma[CZP_ARM].serious


def test_serious_and_other_events_are_compared_with_their_own_placebo_row(czp: Dataset) -> None:
    """Issue 14 #9: the record says serious diarrhoea 1/159 vs 0/158 and other diarrhoea 8/159 vs 10/158."""
    catalog = Catalog.from_datasets([czp])
    found = {}
    for term in ("Diarrhoea (serious)", "Diarrhoea"):
        events = [e for e in czp.adverse_events if e.term == term]
        (comparison,) = compare(adverse_figures(catalog, events), harm=True)
        assert comparison.placebo_label == "Placebo"  # one placebo row, never "pooled: Placebo + Placebo"
        assert comparison.placebo is not None
        found[term] = (comparison.treated.count, comparison.treated.n, comparison.placebo.count, comparison.placebo.n)
    assert found == {"Diarrhoea (serious)": (1, 159, 0, 158), "Diarrhoea": (8, 159, 10, 158)}


def test_provenance_on_every_result(czp: Dataset) -> None:
    placebo = _result(czp, ASDAS, PLACEBO)
    assert placebo.provenance == (
        f"NCT02552212; outcome '{ASDAS}'; time frame 'Week 52'; group OG000 'Placebo (FAS)'; "
        "raw value '7.0' percentage of subjects; n 158 from outcome denominators; derived; record 2022-08-18"
    )
    assert all(r.provenance.startswith("NCT02552212; outcome '") for r in czp.results)
    assert all(r.source_id == "NCT02552212" for r in czp.results)


def test_outcomes_registered_and_continuous_ones_listed(czp: Dataset) -> None:
    assert ASDAS in {o.id for o in czp.outcomes}
    assert {r.outcome_id for r in czp.results} <= {o.id for o in czp.outcomes}
    kept_out = {x.location.rsplit(".", 1)[-1]: x for x in czp.excluded_outcomes}
    assert len(kept_out) == 23
    assert kept_out["outcomeMeasures[12]"].kind is OutcomeKind.CONTINUOUS
    assert kept_out["outcomeMeasures[12]"].reason == "least squares mean of 'scores on a scale'"
    assert kept_out["outcomeMeasures[2]"].kind is OutcomeKind.NOT_POSTED  # listed without any measurement
    assert sum("kept out: continuous measure" in s for s in czp.skipped) == 22


# --- synthetic records ----------------------------------------------------------------------------------


def test_catalog_drug_matched_by_code(tmp_path: Path) -> None:
    upadacitinib = Drug(id="upadacitinib", name="Upadacitinib", codes=("ABT-494",))
    catalog = Catalog.from_datasets([Dataset(label="t", path="", origin=Origin.CURATED, drugs=(upadacitinib,))])
    ds = read_ctgov_json(_write(tmp_path, _study()), catalog)
    active = [a for a in ds.arms if a.role is ArmRole.DRUG]
    assert active
    assert all(a.drug_id == "upadacitinib" for a in active)
    assert ds.drugs == ()  # nothing new: the catalog already knows it
    main = next(a for a in active if a.label == "ABT-494 15 mg QD")
    assert (main.dose, main.frequency, main.daily_dose_mg) == (15.0, "QD", 15.0)


def test_unknown_drug_without_catalog_becomes_a_registry_drug(tmp_path: Path) -> None:
    ds = read_ctgov_json(_write(tmp_path, _study()), None)
    (drug,) = ds.drugs
    assert (drug.id, drug.name, drug.codes) == ("abt494", "ABT-494", ())
    placebo = next(a for a in ds.arms if a.role is ArmRole.PLACEBO)
    assert placebo.daily_dose_mg == 0.0


def test_adverse_event_group_without_outcome_group_is_marked(tmp_path: Path) -> None:
    ds = read_ctgov_json(_write(tmp_path, _study()), None)
    extension = next(a for a in ds.arms if a.label == "Open-label extension")
    assert "not a randomised outcome group" in extension.note
    assert extension.n == 50
    assert {a.label for a in ds.arms if "not a randomised outcome group" not in a.note} == {
        "ABT-494 15 mg QD",
        "Placebo",
    }


def test_percentage_over_100_is_skipped_and_the_rest_imported(tmp_path: Path) -> None:
    ds = read_ctgov_json(_write(tmp_path, _study(values=("160.0", "30.0"))), None)
    assert [(r.responders, r.n) for r in ds.results] == [(30, 100)]
    (line,) = [s for s in ds.skipped if "outside 0 to 100" in s]
    assert line.startswith(
        "study.json:resultsSection.outcomeMeasuresModule.outcomeMeasures[0].classes[0].categories[0]"
        ".measurements[0]: value:"
    )


def test_group_without_denominator_is_skipped(tmp_path: Path) -> None:
    ds = read_ctgov_json(_write(tmp_path, _study(denoms=("100", None))), None)
    assert [(r.responders, r.n) for r in ds.results] == [(60, 100)]
    (line,) = [s for s in ds.skipped if "no denominator" in s]
    assert "resultsSection.outcomeMeasuresModule.outcomeMeasures[0].denoms[0]" in line
    assert "OG001" in line


@pytest.mark.parametrize("missing", ["NA", "NR"])
def test_na_values_stay_missing_never_zero(tmp_path: Path, missing: str) -> None:
    study = _study(values=(missing, "30.0"))
    measurement = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["classes"][0]
    measurement["categories"][0]["measurements"][0]["comment"] = "Not estimable: too few responders"
    ds = read_ctgov_json(_write(tmp_path, study), None)
    result = next(r for r in ds.results if r.arm_id.endswith("abt-494-15-mg-qd"))
    assert (result.responders, result.percent, result.n) == (None, None, 100)
    assert missing in result.note
    assert "too few responders" in result.note


def test_percentage_that_fits_no_whole_count_is_flagged(tmp_path: Path) -> None:
    ds = read_ctgov_json(_write(tmp_path, _study(values=("33.3", "30.0"), denoms=("10", "100"))), None)
    odd = next(r for r in ds.results if r.n == 10)
    assert (odd.responders, odd.derived) == (3, True)
    assert "fits no whole count" in odd.note
    fine = next(r for r in ds.results if r.n == 100)
    assert fine.note == ""


def test_round_half_up(tmp_path: Path) -> None:
    ds = read_ctgov_json(_write(tmp_path, _study(values=("12.5", "37.5"), denoms=("4", "4"))), None)
    assert sorted(r.responders or 0 for r in ds.results) == [1, 2]  # 0.5 -> 1 and 1.5 -> 2


def test_classes_and_categories_give_readable_ids_and_class_denoms_win(tmp_path: Path) -> None:
    study = _study()
    outcome = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    week24 = copy.deepcopy(outcome["classes"][0])
    week24["title"] = "Week 24"
    week24["denoms"] = [{"units": "Participants", "counts": [{"groupId": "OG000", "value": "80"}]}]
    outcome["classes"][0]["title"] = "Week 12"
    outcome["classes"].append(week24)
    ds = read_ctgov_json(_write(tmp_path, study), None)
    ids = {o.id for o in ds.outcomes}
    assert ids == {"ACR20 Response at Week 12 · Week 12", "ACR20 Response at Week 12 · Week 24"}
    later = [r for r in ds.results if r.outcome_id.endswith("Week 24")]
    assert [(r.n, r.responders) for r in later] == [(80, 48)]  # the class has no n for placebo
    assert any("OG001 has no denominator" in s for s in ds.skipped)
    parts = {(o.measure, o.class_title, o.category_title) for o in ds.outcomes}
    assert parts == {("ACR20 Response at Week 12", "Week 12", ""), ("ACR20 Response at Week 12", "Week 24", "")}


def test_outcome_ids_joining_parts_are_made_from_them_and_the_catalog_finds_each() -> None:
    """NCT03064438's 26 outcome ids join a measure's title, a class and a category (~190 characters each,
    6.2 KB): its outcomes are a table that makes each id from the parts it holds anyway (issue 17)."""
    ds = read_ctgov_json(DATA / "NCT03064438.json", None)
    assert isinstance(ds.outcomes, RecordTable) and len(ds.outcomes) == 26
    erythema = [o for o in ds.outcomes if o.class_title == "Week 4"]
    assert [o.id for o in erythema] == [
        f"{o.measure} · Week 4 · Score {k}"
        for k, o in zip(("0 (clear)", "1 (mild)", "2 (moderate)", "3 (severe)"), erythema, strict=True)
    ]
    assert all(o.title == o.id for o in ds.outcomes)
    ids = [o.id for o in ds.outcomes]
    assert {r.outcome_id for r in ds.results} <= set(ids)
    catalog = Catalog.from_datasets([ds])
    assert [catalog.outcomes[i] for i in ids] == list(ds.outcomes) and "ACR20" in catalog.outcomes
    assert all(catalog.outcomes.get(r.outcome_id) is not None for r in ds.results)
    assert [r.provenance for r in catalog.results] == [r.provenance for r in ds.results]
    czp = read_ctgov_json(CZP, None)  # each id a measure's title: that very string, no table needed
    assert isinstance(czp.outcomes, tuple) and all(r.outcome_id in {o.id for o in czp.outcomes} for r in czp.results)


def test_percentage_that_fits_several_whole_counts_is_flagged(tmp_path: Path) -> None:
    """'1.0%' of 4,996 fits 48 to 52 participants: the count is used, and flagged, as the spreadsheet does."""
    ds = read_ctgov_json(_write(tmp_path, _study(values=("1.0", "30.0"), denoms=("4996", "100"))), None)
    wide = next(r for r in ds.results if r.n == 4996)
    assert wide.responders == 50
    assert "fits 5 whole counts (48 to 52); 50 used" in wide.note


def _add_group(study: dict[str, Any], group_id: str, title: str, value: str, n: str) -> None:
    outcome = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    outcome["groups"].append({"id": group_id, "title": title})
    outcome["denoms"][0]["counts"].append({"groupId": group_id, "value": n})
    outcome["classes"][0]["categories"][0]["measurements"].append({"groupId": group_id, "value": value})


def test_active_comparator_and_control_arms(tmp_path: Path) -> None:
    study = _study()
    module = study["protocolSection"]["armsInterventionsModule"]
    module["armGroups"] += [
        {"label": "Adalimumab 40 mg EOW", "type": "ACTIVE_COMPARATOR", "interventionNames": ["Biological: Adalimumab"]},
        {"label": "Control", "type": "PLACEBO_COMPARATOR", "interventionNames": ["Other: Vehicle cream"]},
    ]
    module["interventions"].append({"type": "BIOLOGICAL", "name": "Adalimumab", "otherNames": ["Humira", "D2E7"]})
    _add_group(study, "OG002", "Adalimumab 40 mg EOW", "50.0", "100")
    _add_group(study, "OG003", "Control group", "20.0", "50")
    ds = read_ctgov_json(_write(tmp_path, study), None)
    arms = {a.label: a for a in ds.arms}
    assert (arms["ABT-494 15 mg QD"].role, arms["ABT-494 15 mg QD"].drug_id) == (ArmRole.DRUG, "abt494")
    adalimumab = arms["Adalimumab 40 mg EOW"]
    assert (adalimumab.role, adalimumab.drug_id, adalimumab.frequency) == (ArmRole.ACTIVE, "adalimumab", "Q2W")
    assert adalimumab.daily_dose_mg == pytest.approx(40 / 14)
    assert arms["Control group"].role is ArmRole.PLACEBO  # decided by the protocol arm type
    assert {d.id: d.codes for d in ds.drugs}["adalimumab"] == ("D2E7",)


def test_page_of_studies_imports_the_sound_ones(tmp_path: Path) -> None:
    without_results = _study(nct="NCT09999998")
    del without_results["resultsSection"]
    page = {"studies": [_study(), without_results], "nextPageToken": "abc"}
    ds = read_ctgov_json(_write(tmp_path, page), None)
    assert [t.nct for t in ds.trials] == ["NCT09999999"]
    assert any("NCT09999998 has no posted results" in s for s in ds.skipped)


# --- bad input: always one DataError naming the file ----------------------------------------------------


def _problem(exc: pytest.ExceptionInfo[DataError]) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


def test_truncated_json(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes(CZP.read_bytes()[:5000])
    with pytest.raises(DataError) as exc:
        read_ctgov_json(path, None)
    assert exc.value.problems[0].file == "cut.json"
    assert "truncated" in _problem(exc)


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("Patients: 12\nResponders: 5\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_ctgov_json(path, None)
    assert "notes.json:line 1 column 1: is not JSON" in _problem(exc)


def test_not_a_registry_record(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        read_ctgov_json(_write(tmp_path, {"name": "something else"}), None)
    assert "not a ClinicalTrials.gov record" in _problem(exc)


def test_record_without_results(tmp_path: Path) -> None:
    document = json.loads(CZP.read_text(encoding="utf-8"))
    del document["resultsSection"]
    with pytest.raises(DataError) as exc:
        read_ctgov_json(_write(tmp_path, document, "noresults.json"), None)
    (problem,) = exc.value.problems
    assert (problem.file, problem.location) == ("noresults.json", "resultsSection")
    assert "has no posted results" in problem.rule


def test_binary_and_empty_files(tmp_path: Path) -> None:
    for name, data in (("empty.json", b""), ("binary.json", b"\xff\xfe\x00\x01garbage")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DataError):
            read_ctgov_json(path, None)


def _paths(node: object, here: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*here, i))


def test_every_node_replaced_by_junk_gives_a_dataset_or_a_data_error(tmp_path: Path) -> None:
    """A cheap structural fuzz: no wrong type anywhere may raise anything but DataError."""
    base = _study()
    junk: list[object] = [None, 7, -1.5, "x", True, [], {}, [1, "a"], {"a": 1}, "1e999", "NaN"]
    path = tmp_path / "fuzz.json"
    for where in list(_paths(base))[1:]:
        for value in junk:
            document = copy.deepcopy(base)
            node: Any = document
            for step in where[:-1]:
                node = node[step]
            node[where[-1]] = value
            path.write_text(json.dumps(document), encoding="utf-8")
            with contextlib.suppress(DataError):
                read_ctgov_json(path, None)


# --- issue 14: read as a careful reviewer reads ---------------------------------------------------------


def _outcome(study: dict[str, Any]) -> dict[str, Any]:
    measure: dict[str, Any] = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    return measure


def test_class_title_n_is_the_denominator_and_named_in_provenance(tmp_path: Path) -> None:
    """Issue 14 #2: 30.8% at 'Month 6 (n= 117)' is 36/117, not 40/130 from the outcome-level n."""
    study = _study(values=("30.8", "10.0"), denoms=("130", "100"))
    measure = _outcome(study)
    measure["groups"] = measure["groups"][:1]
    measure["denoms"][0]["counts"] = measure["denoms"][0]["counts"][:1]
    measure["classes"][0]["title"] = "Month 6 (n= 117)"
    measure["classes"][0]["categories"][0]["measurements"] = measure["classes"][0]["categories"][0]["measurements"][:1]
    ds = read_ctgov_json(_write(tmp_path, study), None)
    (result,) = ds.results
    assert (result.responders, result.n) == (36, 117)
    assert "n 117 from class title 'Month 6 (n= 117)'" in result.provenance


def test_class_title_n_for_several_groups_is_not_guessed(tmp_path: Path) -> None:
    study = _study()
    _outcome(study)["classes"][0]["title"] = "Month 6 (n= 117)"
    ds = read_ctgov_json(_write(tmp_path, study), None)
    assert not ds.results
    assert any("gives one n for 2 groups" in s for s in ds.skipped)


def test_proportion_on_a_zero_to_one_scale_is_read(tmp_path: Path) -> None:
    study = _study(values=("0.60", "0.30"))
    _outcome(study)["unitOfMeasure"] = "proportion of participants"
    ds = read_ctgov_json(_write(tmp_path, study), None)
    assert sorted((r.responders, r.percent) for r in ds.results) == [(30, 30.0), (60, 60.0)]
    assert all(r.derived for r in ds.results)


def test_number_of_responders_is_a_count(tmp_path: Path) -> None:
    study = _study(values=("60", "30"))
    _outcome(study)["unitOfMeasure"] = "number of responders"
    ds = read_ctgov_json(_write(tmp_path, study), None)
    assert sorted((r.responders, r.derived) for r in ds.results) == [(30, False), (60, False)]


def test_kaplan_meier_percentage_is_kept_out_with_its_reason(tmp_path: Path) -> None:
    study = _study()
    _outcome(study)["title"] = "Percentage of Participants Alive at 6 Months (Kaplan-Meier)"
    ds = read_ctgov_json(_write(tmp_path, study), None)
    assert not ds.results
    (excluded,) = ds.excluded_outcomes
    assert excluded.kind is OutcomeKind.TIME_TO_EVENT
    assert "kaplan-meier" in excluded.reason.casefold()
    assert excluded.location == "resultsSection.outcomeMeasuresModule.outcomeMeasures[0]"


def test_adverse_events_posted_as_an_outcome_are_a_harm(tmp_path: Path) -> None:
    study = _study()
    _outcome(study)["title"] = "Participants With Treatment-Emergent Adverse Events"
    ds = read_ctgov_json(_write(tmp_path, study), None)
    (outcome,) = ds.outcomes
    assert outcome.direction is Direction.HARM


def test_registry_drug_approval_status_is_unknown_not_investigational(tmp_path: Path) -> None:
    ds = read_ctgov_json(_write(tmp_path, _study()), None)
    (drug,) = ds.drugs
    assert drug.approval_status is ApprovalStatus.NOT_IN_CATALOG
    assert Drug(id="x", name="X").approval_status is ApprovalStatus.INVESTIGATIONAL  # curated, no approval


def test_combination_dose_stays_with_its_drug(tmp_path: Path) -> None:
    """Issue 14 #4: 'cisplatin 40 mg/m^2 weekly + radiotherapy': the radiotherapy arm gets no mg dose."""
    study = _study(intervention="Radiotherapy")
    arms = study["protocolSection"]["armsInterventionsModule"]
    arms["interventions"].append({"type": "DRUG", "name": "Cisplatin", "armGroupLabels": []})
    measure = _outcome(study)
    measure["groups"][0]["title"] = "Radiotherapy 70 Gy + Cisplatin 40 mg/m^2 weekly"
    ds = read_ctgov_json(_write(tmp_path, study), None)
    arm = next(a for a in ds.arms if a.label.startswith("Radiotherapy 70 Gy"))
    assert arm.drug_id == "radiotherapy"
    assert (arm.dose, arm.unit, arm.daily_dose_mg) == (None, "", None)


def test_an_abbreviation_is_read_within_one_description_never_across_two() -> None:
    """The descriptions are searched as one text (a search per text left memory behind): one ending with
    the drug's name and the next starting with a bracket must not make an abbreviation."""
    from viewer.domain.readers.ctgov.drugs import DrugEntry, RecordDrugs

    entry = DrugEntry("certolizumab", "Certolizumab pegol", ["Certolizumab pegol"])
    texts = ["Certolizumab pegol (CZP) 200 mg", "then Certolizumab pegol", "(OL) for all", "certolizumab-pegol\n(ABC)"]
    assert RecordDrugs._abbreviations(entry, texts) == ["CZP", "ABC"]

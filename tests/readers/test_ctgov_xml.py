"""Legacy ClinicalTrials.gov XML: SUSTAIN 5 (NCT02305381), unsafe XML and bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from viewer.domain.errors import DataError
from viewer.domain.model import ArmRole, Dataset, EvidenceLevel, Origin, OutcomeKind, Result
from viewer.domain.readers.ctgov import read_ctgov_xml

DATA = Path(__file__).resolve().parent.parent / "data" / "ctgov"
SUSTAIN5 = DATA / "NCT02305381_SUSTAIN5_ctgov_legacy.xml"
HBA1C = "HbA1c Below 7.0% (53 mmol/Mol) American Diabetes Association (ADA) Target"
LOW = "nct02305381-semaglutide-0.5-mg"
HIGH = "nct02305381-semaglutide-1.0-mg"
PLACEBO = "nct02305381-placebo"
MMRM = "Missing data imputed from a mixed model for repeated measurements"
# The real record's HbA1c targets are MMRM-imputed percentages, so they are kept out of the effect charts.
# The reading rules for a crude percentage are tested on a variant with that sentence reworded (and so
# read as a crude percentage of participants): every number in it is the record's own.
CRUDE_TEXT = SUSTAIN5.read_text(encoding="utf-8").replace(MMRM, "Missing data handled as described")

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<clinical_study><brief_title>&lol9;</brief_title></clinical_study>
"""


@pytest.fixture(scope="module")
def sustain5() -> Dataset:
    return read_ctgov_xml(SUSTAIN5, None)


@pytest.fixture(scope="module")
def crude5(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    path = tmp_path_factory.mktemp("crude") / SUSTAIN5.name
    path.write_text(CRUDE_TEXT, encoding="utf-8")
    return read_ctgov_xml(path, None)


def _result(ds: Dataset, outcome: str, arm: str) -> Result:
    (found,) = [r for r in ds.results if r.outcome_id == outcome and r.arm_id == arm]
    return found


def _variant(tmp_path: Path, old: str, new: str, name: str = "variant.xml") -> Path:
    text = CRUDE_TEXT
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- SUSTAIN 5 --------------------------------------------------------------------------------------------


def test_imputed_hba1c_targets_are_kept_out_as_model_based(sustain5: Dataset) -> None:
    excluded = {x.title: x for x in sustain5.excluded_outcomes}
    assert excluded[HBA1C].kind is OutcomeKind.ADJUSTED
    assert "mixed model" in excluded[HBA1C].reason
    assert not sustain5.results
    kinds = sorted(x.kind.name for x in sustain5.excluded_outcomes)
    assert kinds == ["ADJUSTED"] * 2 + ["CONTINUOUS"] * 6  # HbA1c change in % is a continuous lab value


def test_hba1c_target_against_the_pooled_placebo(crude5: Dataset) -> None:
    low, high, placebo = (_result(crude5, HBA1C, arm) for arm in (LOW, HIGH, PLACEBO))
    assert (low.responders, low.n, low.percent) == (80, 132, 60.6)
    assert (high.responders, high.n, high.percent) == (103, 131, 78.6)
    assert (placebo.responders, placebo.n, placebo.percent) == (14, 133, 10.5)
    assert low.derived
    assert high.derived
    assert placebo.derived
    assert low.timepoint == "After 30 weeks treatment"
    assert low.level is EvidenceLevel.VERIFIED
    assert low.count_note == ""  # 60.6% of 132 fits 80 alone


def test_pooled_placebo_is_one_arm(sustain5: Dataset) -> None:
    placebo = [a for a in sustain5.arms if a.role is ArmRole.PLACEBO]
    assert [a.id for a in placebo] == [PLACEBO]
    assert "pools protocol arms" in placebo[0].note
    assert "Semaglutide Placebo 0.5 mg/Week" in placebo[0].note
    assert placebo[0].n == 133


def test_semaglutide_doses_once_weekly(sustain5: Dataset) -> None:
    arms = {a.id: a for a in sustain5.arms}
    for arm_id, dose in ((LOW, 0.5), (HIGH, 1.0)):
        arm = arms[arm_id]
        assert (arm.role, arm.dose, arm.unit, arm.frequency) == (ArmRole.DRUG, dose, "mg", "QW")
        assert arm.daily_dose_mg == pytest.approx(dose / 7)
        assert "titrated" in arm.note  # 0.25 mg for 4 weeks first
        assert arm.drug_id == "semaglutide"


def test_semaglutide_becomes_a_registry_drug(sustain5: Dataset) -> None:
    (drug,) = sustain5.drugs
    assert (drug.id, drug.name, drug.origin) == ("semaglutide", "Semaglutide", Origin.REGISTRY)  # shown capitalised
    assert drug.note == "from ClinicalTrials.gov NCT02305381"


def test_trial_source_and_provenance(sustain5: Dataset, crude5: Dataset) -> None:
    (trial,) = sustain5.trials
    assert (trial.id, trial.name, trial.phase, trial.randomised_n) == ("nct02305381", "SUSTAIN™ 5", "Phase 3", 397)
    assert trial.population == "Diabetes; Diabetes Mellitus, Type 2"
    (source,) = sustain5.sources
    assert source.citation.endswith("(record updated 2018-07-18)")
    assert source.url == "https://clinicaltrials.gov/study/NCT02305381"
    low = _result(crude5, HBA1C, LOW)
    assert low.provenance == (
        f"NCT02305381; outcome '{HBA1C}'; time frame 'After 30 weeks treatment'; group O1 'Semaglutide 0.5 mg'; "
        "raw value '60.6' percentage of subjects; n 132 from outcome denominators; derived; record 2018-07-18"
    )


def test_sponsor_analyses_only_for_read_outcomes(sustain5: Dataset) -> None:
    # the posted treatment differences belong to HbA1c change, a continuous outcome that is not imported
    assert sustain5.sponsor_analyses == ()
    assert sum("kept out" in s for s in sustain5.skipped) == len(sustain5.excluded_outcomes) == 8


def test_adverse_events(sustain5: Dataset) -> None:
    events = {(e.arm_id, e.term): e for e in sustain5.adverse_events}
    nausea = events[(LOW, "Nausea")]
    assert (nausea.affected, nausea.at_risk, nausea.serious) == (15, 132, False)
    assert (events[(HIGH, "serious adverse event")].affected, events[(HIGH, "serious adverse event")].at_risk) == (
        12,
        131,
    )
    assert events[(PLACEBO, "any other adverse event")].affected == 34
    assert {e.arm_id for e in sustain5.adverse_events} == {LOW, HIGH, PLACEBO}
    assert all(a.note.find("not a randomised outcome group") < 0 for a in sustain5.arms)


def test_percentage_over_100_is_skipped_and_the_rest_imported(tmp_path: Path) -> None:
    path = _variant(tmp_path, '<measurement group_id="O1" value="60.6"/>', '<measurement group_id="O1" value="160.6"/>')
    ds = read_ctgov_xml(path, None)
    assert not [r for r in ds.results if r.outcome_id == HBA1C and r.arm_id == LOW]
    assert _result(ds, HBA1C, HIGH).responders == 103
    (line,) = [s for s in ds.skipped if "outside 0 to 100" in s]
    assert line.startswith("variant.xml:clinical_study/clinical_results/outcome_list/outcome[7]/measure/class_list")


def test_group_without_denominator_is_skipped(tmp_path: Path) -> None:
    text = CRUDE_TEXT
    start = text.index(f"<title>{HBA1C}</title>")
    cut = text.index('<count group_id="O3" value="133"/>', start)
    path = tmp_path / "nodenom.xml"
    path.write_text(text[:cut] + text[cut + len('<count group_id="O3" value="133"/>') :], encoding="utf-8")
    ds = read_ctgov_xml(path, None)
    assert not [r for r in ds.results if r.outcome_id == HBA1C and r.arm_id == PLACEBO]
    assert _result(ds, HBA1C, LOW).responders == 80
    assert any("O3 has no denominator" in s and "outcome[7]/measure/analyzed_list" in s for s in ds.skipped)


def test_na_value_is_missing_not_zero(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        '<measurement group_id="O3" value="10.5"/>',
        '<measurement group_id="O3" value="NA">Not calculated</measurement>',
    )
    placebo = _result(read_ctgov_xml(path, None), HBA1C, PLACEBO)
    assert (placebo.responders, placebo.percent, placebo.n) == (None, None, 133)
    assert "NA" in placebo.note
    assert "Not calculated" in placebo.note


# --- unsafe and bad input -------------------------------------------------------------------------------


def test_billion_laughs_is_rejected_at_once(tmp_path: Path) -> None:
    path = tmp_path / "lol.xml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(DataError) as exc:
        read_ctgov_xml(path, None)
    assert time.perf_counter() - started < 0.5
    (problem,) = exc.value.problems
    assert (problem.file, problem.location, problem.field) == ("lol.xml", "line 2", "DOCTYPE")
    assert "refused" in problem.rule


def test_billion_laughs_in_utf16_is_rejected_too(tmp_path: Path) -> None:
    path = tmp_path / "lol16.xml"
    path.write_bytes(BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))
    with pytest.raises(DataError) as exc:
        read_ctgov_xml(path, None)
    assert exc.value.problems[0].field == "DOCTYPE"


def test_external_entity_is_rejected_without_reading_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE clinical_study [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>\n'
        "<clinical_study><brief_title>&xxe;</brief_title></clinical_study>\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as exc:
        read_ctgov_xml(path, None)
    assert exc.value.problems[0].file == "xxe.xml"
    assert "refused" in str(exc.value)
    assert "TOP-SECRET" not in str(exc.value)


def test_undeclared_entity_is_a_parse_error_not_an_expansion(tmp_path: Path) -> None:
    path = tmp_path / "undeclared.xml"
    path.write_text("<clinical_study><brief_title>&lol9;</brief_title></clinical_study>", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_ctgov_xml(path, None)
    assert "not well-formed XML" in str(exc.value)


def test_non_xml_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("Responders: 12 of 40\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_ctgov_xml(path, None)
    (problem,) = exc.value.problems
    assert (problem.file, problem.location) == ("notes.xml", "line 1 column 0")
    assert "not well-formed XML" in problem.rule


def test_truncated_xml(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(SUSTAIN5.read_bytes()[:60000])
    with pytest.raises(DataError) as exc:
        read_ctgov_xml(path, None)
    assert exc.value.problems[0].file == "cut.xml"
    assert "truncated" in str(exc.value)


def test_other_xml_is_not_a_registry_record(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<catalog><book/></catalog>", encoding="utf-8")
    with pytest.raises(DataError, match=r"not a ClinicalTrials\.gov record"):
        read_ctgov_xml(path, None)


def test_record_without_results(tmp_path: Path) -> None:
    text = SUSTAIN5.read_text(encoding="utf-8")
    start, end = text.index("<clinical_results>"), text.index("</clinical_results>") + len("</clinical_results>")
    path = tmp_path / "noresults.xml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_ctgov_xml(path, None)
    (problem,) = exc.value.problems
    assert problem.file == "noresults.xml"
    assert problem.rule == "NCT02305381 has no posted results"


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        read_ctgov_xml(tmp_path / "absent.xml", None)


@pytest.mark.parametrize("keep", [0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_any_cut_of_the_record_gives_a_data_error(tmp_path: Path, keep: float) -> None:
    data = SUSTAIN5.read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(DataError):
        read_ctgov_xml(path, None)

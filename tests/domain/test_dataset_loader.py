"""The dataset loader: what a valid folder gives, and one located message per broken rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain.minidata import FILES, TEN_MISTAKES_FILES, replace_line, write_dataset
from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError, Rule
from viewer.domain.model import ArmRole, EvidenceLevel, SourceKind
from viewer.domain.readers import load_path
from viewer.domain.readers.dataset import load_dataset


def test_valid_dataset_loads_with_derived_counts(tmp_path: Path) -> None:
    ds = load_dataset(write_dataset(tmp_path))
    assert [d.id for d in ds.drugs] == ["testinib"]
    assert ds.drugs[0].approved_doses[0].daily_mg == 10.0
    assert {a.role for a in ds.arms} == {ArmRole.PLACEBO, ArmRole.DRUG}
    derived = next(r for r in ds.results if r.arm_id == "t1-10")
    assert (derived.responders, derived.n, derived.derived, derived.percent) == (55, 100, True, 55.0)
    counted = next(r for r in ds.results if r.arm_id == "t1-20")
    assert (counted.responders, counted.derived) == (62, False)
    assert ds.adverse_events[1].affected == 4
    assert ds.adverse_events[1].at_risk == 100


def test_catalog_lookups(tmp_path: Path) -> None:
    catalog = Catalog.from_datasets([load_dataset(write_dataset(tmp_path))])
    assert catalog.find_drug("tst101") is catalog.drugs["testinib"]
    assert catalog.find_drug("TESTA") is catalog.drugs["testinib"]
    assert catalog.find_drug("nothing") is None
    assert catalog.trials_of("testinib") == ("t1",)
    assert len(catalog.arms_of("t1")) == 3
    assert catalog.outcome_ids() == ("ACR20",)
    assert catalog.adverse_event_terms() == ("headache",)


def test_unverified_n_makes_a_derived_count_unverified(tmp_path: Path) -> None:
    arms = replace_line("arms.csv", 3, "t1-10,t1,drug,testinib,10 mg QD,10,mg,QD,10,100,S1,unverified,")
    ds = load_dataset(write_dataset(tmp_path, arms))
    derived = next(r for r in ds.results if r.arm_id == "t1-10")
    assert derived.level is EvidenceLevel.UNVERIFIED


def test_percentage_that_fits_no_count_is_flagged(tmp_path: Path) -> None:
    results = replace_line("results.csv", 3, "t1,t1-10,ACR20,week 12,,55.55,,S1,verified,")
    ds = load_dataset(write_dataset(tmp_path, results))
    derived = next(r for r in ds.results if r.arm_id == "t1-10")
    assert derived.responders == 56
    assert "fits no whole count" in derived.note


RULES = [
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR20,,30,,,S1,verified,"),
        "results.csv:row 2: timepoint: is required",
        id="missing-field",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,abc,,,S1,verified,"),
        "results.csv:row 2: responders: must be a number, not 'abc'",
        id="wrong-type",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,12.5,,,S1,verified,"),
        "results.csv:row 2: responders: must be a whole number, not '12.5'",
        id="not-whole",
    ),
    pytest.param(
        replace_line("arms.csv", 3, "t1-10,t9,drug,testinib,10 mg QD,10,mg,QD,10,100,S1,verified,"),
        "arms.csv:row 3: trial: unknown trial 't9'",
        id="arm-of-unknown-trial",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-xx,ACR20,week 12,30,,,S1,verified,"),
        "results.csv:row 2: arm: unknown arm 't1-xx'",
        id="unknown-arm",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,130,,,S1,verified,"),
        "results.csv:row 2: responders: 130 is more than n = 100",
        id="responders-above-n",
    ),
    pytest.param(
        replace_line("arms.csv", 2, "t1-pbo,t1,placebo,,Placebo,,,,0,-5,S1,verified,"),
        "arms.csv:row 2: n: must not be negative, got -5",
        id="negative-count",
    ),
    pytest.param(
        replace_line("results.csv", 3, "t1,t1-10,ACR20,week 12,,120,,S1,verified,"),
        "results.csv:row 3: percent: must be between 0 and 100, got 120",
        id="percent-over-100",
    ),
    pytest.param(
        {"arms.csv": FILES["arms.csv"] + "t1-pbo,t1,drug,testinib,30 mg QD,30,mg,QD,30,100,S1,verified,\n"},
        "arms.csv:row 5: id: duplicate id 't1-pbo' (first at row 2)",
        id="duplicate-id",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,30,,,,verified,"),
        "results.csv:row 2: source: every figure needs a source",
        id="figure-without-source",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,30,,,S7,verified,"),
        "results.csv:row 2: source: unknown source 'S7' (not in sources.csv)",
        id="unknown-source",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,30,,,S1,maybe,"),
        "results.csv:row 2: level: must be one of verified, secondary, unverified, not 'maybe'",
        id="unknown-level",
    ),
    pytest.param(
        replace_line("results.csv", 2, "t1,t1-pbo,ACR99,week 12,30,,,S1,verified,"),
        "results.csv:row 2: outcome: unknown outcome 'ACR99' (add it to outcomes.csv)",
        id="unknown-outcome",
    ),
    pytest.param(
        replace_line("arms.csv", 3, "t1-10,t1,drug,nodrug,10 mg QD,10,mg,QD,10,100,S1,verified,"),
        "arms.csv:row 3: drug: unknown drug 'nodrug' (no monograph in drugs/)",
        id="unknown-drug",
    ),
    pytest.param(
        replace_line("arms.csv", 1, "id,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,source,level,notes"),
        "arms.csv:row 1: notes: unknown column",
        id="unknown-column",
    ),
    pytest.param(
        replace_line("trials.csv", 2, "t1,TEST-1,NCT0123,2,MTX-IR,MTX,week 12,300,ra,S1,verified,"),
        "trials.csv:row 2: nct: must be NCT followed by 8 digits, not 'NCT0123'",
        id="bad-nct",
    ),
    pytest.param(
        {"drugs/testinib.toml": FILES["drugs/testinib.toml"].replace("ic50_nm = 10.0", "ic50_nm = -1")},
        "drugs/testinib.toml:selectivity[0]: ic50_nm: must be a positive number of nanomolar, not -1",
        id="bad-ic50",
    ),
    pytest.param(
        {"drugs/testinib.toml": FILES["drugs/testinib.toml"] + "[[boxed_warning]]\ntext = 'x'\nlevel = 'verified'\n"},
        "drugs/testinib.toml:boxed_warning[0]: source: every figure needs a source",
        id="monograph-fact-without-source",
    ),
    pytest.param(
        {"sources.csv": FILES["sources.csv"] + "S2,Other,article,,,,javascript:alert(1),,\n"},
        "sources.csv:row 3: url: must be an http(s) address, not 'javascript:alert(1)'",
        id="non-http-url",
    ),
    pytest.param(
        {"sources.csv": FILES["sources.csv"].replace(",article,", ",,")},
        "sources.csv:row 2: kind: is required",
        id="source-without-kind",
    ),
    pytest.param(
        {"sources.csv": FILES["sources.csv"].replace(",article,", ",blog,")},
        "sources.csv:row 2: kind: must be one of article, abstract, label, regulatory, registry, review, summary, "
        "news, "
        "press-release, copy, recalled, not 'blog'",
        id="unknown-kind",
    ),
    pytest.param(
        {"sources.csv": FILES["sources.csv"] + "S2,Forum,summary,,,,,,\n"}
        | replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,30,,,S2,verified,"),
        "results.csv:row 2: level: 'verified' cannot rest on source 'S2', a summary: only an article, abstract, label, "
        "regulatory document or registry record makes 'verified'; use 'secondary'",
        id="verified-result-on-a-summary",
    ),
    pytest.param(
        {"sources.csv": FILES["sources.csv"] + "S2,Mirror,copy,,,,,,\n"}
        | {
            "drugs/testinib.toml": FILES["drugs/testinib.toml"] + "[[boxed_warning]]\ntext = 'x'\nsource = 'S2'\n"
            "level = 'verified'\n"
        },
        "drugs/testinib.toml:boxed_warning[0]: level: 'verified' cannot rest on source 'S2', a copy: only an article, "
        "abstract, label, regulatory document or registry record makes 'verified'; use 'secondary'",
        id="verified-statement-on-a-copy",
    ),
    pytest.param(
        {"sources.csv": FILES["sources.csv"] + "S2,Recalled,recalled,,,,,,\n"}
        | replace_line("results.csv", 2, "t1,t1-pbo,ACR20,week 12,30,,,S2,secondary,"),
        "results.csv:row 2: level: must be unverified: source 'S2' is recalled (confirmed by no readable source)",
        id="secondary-on-a-recalled-source",
    ),
]


def test_a_review_source_fails_every_verified_row_at_once(tmp_path: Path) -> None:
    """A source re-classified as a review makes each verified figure on it a located problem, and loads nothing."""
    with pytest.raises(DataError) as info:
        load_dataset(write_dataset(tmp_path, {"sources.csv": FILES["sources.csv"].replace(",article,", ",review,")}))
    places = [(p.file, p.location, p.field) for p in info.value.problems]
    assert ("results.csv", "row 2", "level") in places and ("adverse_events.csv", "row 3", "level") in places
    assert ("drugs/testinib.toml", "selectivity[0]", "level") in places
    assert len(places) == 11  # trial, 3 arms, 3 results, 2 adverse events, 2 monograph entries


def test_secondary_figures_on_a_review_load(tmp_path: Path) -> None:
    files = {name: text.replace(",verified,", ",secondary,") for name, text in FILES.items() if name.endswith(".csv")}
    files["sources.csv"] = FILES["sources.csv"].replace(",article,", ",review,")
    files["drugs/testinib.toml"] = FILES["drugs/testinib.toml"].replace('"verified"', '"secondary"')
    ds = load_dataset(write_dataset(tmp_path, files))
    assert {r.level for r in ds.results} == {EvidenceLevel.SECONDARY}
    assert ds.sources[0].kind is SourceKind.REVIEW


@pytest.mark.parametrize(("overrides", "message"), RULES)
def test_each_rule_gives_one_located_message(tmp_path: Path, overrides: dict[str, str], message: str) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(write_dataset(tmp_path, overrides))
    assert [str(p) for p in info.value.problems] == [message]


def test_ten_mistakes_give_ten_located_messages(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(write_dataset(tmp_path, TEN_MISTAKES_FILES))
    problems = info.value.problems
    assert len(problems) == 10
    assert [p.location for p in problems] == [f"row {i}" for i in range(2, 12)]
    assert all(p.file == "results.csv" and p.field and p.rule for p in problems)
    assert info.value.message().startswith("10 problems found")


def test_not_a_dataset_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is not a dataset folder"):
        load_dataset(tmp_path)
    with pytest.raises(DataError, match="does not exist"):
        load_path(tmp_path / "missing.csv")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(DataError, match=r"unsupported file type \.txt"):
        load_path(tmp_path / "notes.txt")


def test_binary_and_non_utf8_files_are_reported(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    (tmp_path / "results.csv").write_bytes(b"\xff\x00garbage")  # no byte-order mark: neither UTF-8 nor UTF-16
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path)
    assert info.value.problems[0].file == "results.csv"
    assert "not UTF-8 text" in info.value.problems[0].rule
    assert "CSV UTF-8" in info.value.problems[0].rule  # says how to re-save it
    assert info.value.problems[0].kind is Rule.ENCODING


def test_broken_toml_is_located(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(write_dataset(tmp_path, {"drugs/testinib.toml": 'id = "testinib\n'}))
    assert info.value.problems[0].file == "drugs/testinib.toml"
    assert "not valid TOML" in info.value.problems[0].rule


def test_plain_rows_and_fully_checked_rows_give_the_same_results(tmp_path: Path) -> None:
    """A plain count on its arm's n takes the fast path; the same figure with n spelled out takes the
    checked path. Both must give the same Result."""
    plain = load_dataset(write_dataset(tmp_path / "plain"))
    spelled = (
        FILES["results.csv"]
        .replace("week 12,30,,,S1", "week 12,30,,100,S1")
        .replace("week 12,62,,,S1", "week 12,62,,100,S1")
    )
    checked = load_dataset(write_dataset(tmp_path / "checked", {"results.csv": spelled}))
    assert plain.results == checked.results

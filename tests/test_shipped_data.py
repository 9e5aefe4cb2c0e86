"""The shipped catalog (data/jak-ra), checked on the raw files with the standard library only.

These tests hold the curated figures to the evidence reference (shared/reference/jak-ra-evidence.md):
every figure names a known source and an evidence level, every reference between files resolves, and a
few published numbers are pinned so an accidental edit cannot change them silently.
"""

from __future__ import annotations

import csv
import tomllib
import warnings
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "jak-ra"
LEVELS = {"verified", "secondary", "unverified"}
DRUG_IDS = {"upadacitinib", "tofacitinib", "baricitinib", "filgotinib", "peficitinib", "ruxolitinib"}
STANDARD_OUTCOMES = {"ACR20", "ACR50", "ACR70", "DAS28-CRP<2.6", "DAS28-CRP<=3.2"}
POPULATIONS = {
    "MTX-IR", "TNF-IR", "bDMARD-IR", "csDMARD-IR", "DMARD-IR", "MTX-naive", "MTX-treated", "not stated",
    "myelofibrosis",
}  # fmt: skip
KINDS = {
    "article", "abstract", "label", "regulatory", "registry", "review", "summary", "news", "press-release", "copy",
    "recalled",
}  # fmt: skip
PRIMARY_KINDS = {"article", "abstract", "label", "regulatory", "registry"}

COLUMNS = {
    "sources.csv": ("id", "citation", "kind", "pmid", "doi", "nct", "url", "locator", "note"),
    "trials.csv": (
        "id", "name", "nct", "phase", "population", "background", "primary_timepoint", "randomised_n",
        "indication", "source", "level", "note",
    ),
    "arms.csv": (
        "id", "trial", "role", "drug", "label", "dose", "unit", "frequency", "daily_dose_mg", "n", "source",
        "level", "note",
    ),
    "results.csv": ("trial", "arm", "outcome", "timepoint", "responders", "percent", "n", "source", "level", "note"),
    "adverse_events.csv": (
        "trial", "arm", "term", "serious", "affected", "percent", "at_risk", "timepoint", "source", "level", "note",
    ),
    "outcomes.csv": ("id", "title", "description"),
    "safety_rates.csv": (
        "analysis", "trial", "drug", "group", "role", "daily_dose_mg", "term", "events", "patient_years", "rate",
        "rate_low", "rate_high", "period", "source", "level", "note",
    ),
    "hazard_ratios.csv": (
        "trial", "term", "group", "drug", "comparator", "hr", "low", "high", "source", "level", "note",
    ),
}  # fmt: skip
FACT_TABLES = ("mechanism", "approved_dose", "half_life", "boxed_warning")


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, strict=True))


def header(name: str) -> list[str]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def read_drugs() -> dict[str, dict[str, Any]]:
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted((DATA / "drugs").glob("*.toml"))}


@pytest.fixture(scope="module")
def sources() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in read_csv("sources.csv")}


@pytest.fixture(scope="module")
def trials() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in read_csv("trials.csv")}


@pytest.fixture(scope="module")
def arms() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in read_csv("arms.csv")}


@pytest.fixture(scope="module")
def results() -> list[dict[str, str]]:
    return read_csv("results.csv")


@pytest.fixture(scope="module")
def adverse_events() -> list[dict[str, str]]:
    return read_csv("adverse_events.csv")


@pytest.fixture(scope="module")
def drugs() -> dict[str, dict[str, Any]]:
    return read_drugs()


def result(results: list[dict[str, str]], arm: str, outcome: str, timepoint: str) -> dict[str, str]:
    rows = [r for r in results if r["arm"] == arm and r["outcome"] == outcome and r["timepoint"] == timepoint]
    assert len(rows) == 1, f"expected one {outcome} at {timepoint} for {arm}, found {len(rows)}"
    return rows[0]


# --- structure --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_table_has_exactly_the_documented_columns(name: str) -> None:
    got = header(name)
    assert len(got) == len(set(got)), f"{name}: duplicate columns"
    assert set(got) == set(COLUMNS[name]), f"{name}: {sorted(set(got) ^ set(COLUMNS[name]))}"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_has_as_many_cells_as_the_header(name: str) -> None:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, strict=True))
    width = len(rows[0])
    assert all(len(row) == width for row in rows[1:])


def test_dataset_label() -> None:
    meta = tomllib.loads((DATA / "dataset.toml").read_text(encoding="utf-8"))
    assert meta["label"] == "JAK inhibitors in RA (curated)"
    assert set(meta) <= {"label", "description"}


@pytest.mark.parametrize(
    ("name", "key"), [("sources.csv", "id"), ("trials.csv", "id"), ("arms.csv", "id"), ("outcomes.csv", "id")]
)
def test_ids_are_unique(name: str, key: str) -> None:
    ids = [r[key] for r in read_csv(name)]
    assert all(ids), f"{name}: empty id"
    assert len(ids) == len(set(ids)), f"{name}: duplicates {sorted({i for i in ids if ids.count(i) > 1})}"


def test_results_are_unique_per_arm_outcome_and_timepoint(results: list[dict[str, str]]) -> None:
    keys = [(r["arm"], r["outcome"], r["timepoint"]) for r in results]
    assert len(keys) == len(set(keys))


def test_sources_have_a_citation_and_only_http_urls(sources: dict[str, dict[str, str]]) -> None:
    for s in sources.values():
        assert s["citation"].strip(), s["id"]
        assert not s["url"] or s["url"].startswith(("http://", "https://")), s["id"]
        assert not s["pmid"] or s["pmid"].isdigit(), s["id"]
        nct = s["nct"]
        assert not nct or (len(nct) == 11 and nct.startswith("NCT") and nct[3:].isdigit()), s["id"]


# --- references and levels -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["trials.csv", "arms.csv", "results.csv", "adverse_events.csv"])
def test_every_row_names_a_known_source_and_level(name: str, sources: dict[str, dict[str, str]]) -> None:
    for line, row in enumerate(read_csv(name), start=2):
        assert row["source"] in sources, f"{name}:{line}: unknown source {row['source']!r}"
        assert row["level"] in LEVELS, f"{name}:{line}: level {row['level']!r}"


def test_every_monograph_figure_names_a_known_source_and_level(
    drugs: dict[str, dict[str, Any]], sources: dict[str, dict[str, str]]
) -> None:
    for drug_id, drug in drugs.items():
        for key in (*FACT_TABLES, "selectivity", "approval"):
            for i, table in enumerate(drug.get(key, [])):
                where = f"{drug_id}.{key}[{i}]"
                assert table["source"] in sources, f"{where}: unknown source {table['source']!r}"
                assert table["level"] in LEVELS, f"{where}: level {table['level']!r}"


def test_trials_are_well_formed(trials: dict[str, dict[str, str]]) -> None:
    for t in trials.values():
        assert t["name"], t["id"]
        assert t["population"] in POPULATIONS, t["id"]
        assert not t["randomised_n"] or t["randomised_n"].isdigit(), t["id"]
        nct = t["nct"]
        assert not nct or (len(nct) == 11 and nct.startswith("NCT") and nct[3:].isdigit()), t["id"]


def test_every_arm_belongs_to_a_known_trial_and_drug(
    arms: dict[str, dict[str, str]], trials: dict[str, dict[str, str]], drugs: dict[str, dict[str, Any]]
) -> None:
    for a in arms.values():
        assert a["trial"] in trials, a["id"]
        assert a["role"] in {"drug", "placebo", "active"}, a["id"]
        if a["role"] == "drug":
            assert a["drug"] in drugs, a["id"]
        elif a["role"] == "active":
            assert a["drug"], a["id"]
        else:
            assert not a["drug"], a["id"]
        assert a["label"], a["id"]
        assert not a["n"] or (a["n"].isdigit() and int(a["n"]) > 0), a["id"]
        for field in ("dose", "daily_dose_mg"):
            assert not a[field] or float(a[field]) >= 0, (a["id"], field)


def test_every_trial_has_arms(arms: dict[str, dict[str, str]], trials: dict[str, dict[str, str]]) -> None:
    with_arms = {a["trial"] for a in arms.values()}
    assert set(trials) == with_arms


def test_bid_arms_count_twice_the_dose_a_day(arms: dict[str, dict[str, str]]) -> None:
    for a in arms.values():
        if a["daily_dose_mg"] and a["dose"] and a["frequency"] in {"QD", "BID"}:
            factor = 2 if a["frequency"] == "BID" else 1
            assert float(a["daily_dose_mg"]) == factor * float(a["dose"]), a["id"]


@pytest.mark.parametrize("name", ["results.csv", "adverse_events.csv"])
def test_every_figure_points_to_an_arm_of_its_trial(name: str, arms: dict[str, dict[str, str]]) -> None:
    for line, row in enumerate(read_csv(name), start=2):
        assert row["arm"] in arms, f"{name}:{line}: unknown arm {row['arm']!r}"
        assert arms[row["arm"]]["trial"] == row["trial"], f"{name}:{line}: arm of another trial"


def test_every_outcome_is_standard_or_defined(results: list[dict[str, str]]) -> None:
    defined = {r["id"] for r in read_csv("outcomes.csv")}
    assert {"DAS28-ESR<2.6", "DAS28<2.6", "SVR35"} <= defined
    assert {r["outcome"] for r in results} <= STANDARD_OUTCOMES | defined


@pytest.mark.parametrize(
    ("name", "count", "n"), [("results.csv", "responders", "n"), ("adverse_events.csv", "affected", "at_risk")]
)
def test_counts_and_percentages_are_in_range(name: str, count: str, n: str, arms: dict[str, dict[str, str]]) -> None:
    for line, row in enumerate(read_csv(name), start=2):
        assert row[count] or row["percent"], f"{name}:{line}: neither {count} nor percent"
        if row["percent"]:
            assert 0 <= float(row["percent"]) <= 100, f"{name}:{line}"
        denominator = row[n] or arms[row["arm"]]["n"]
        if row[count]:
            assert row[count].isdigit(), f"{name}:{line}"
            assert denominator, f"{name}:{line}: a count without n"
            assert int(row[count]) <= int(denominator), f"{name}:{line}"


def test_adverse_event_flags(adverse_events: list[dict[str, str]]) -> None:
    assert {r["serious"] for r in adverse_events} <= {"yes", "no"}


# --- drugs ------------------------------------------------------------------------------------------


def test_the_six_drugs_are_present(drugs: dict[str, dict[str, Any]]) -> None:
    assert set(drugs) == DRUG_IDS
    for drug_id, drug in drugs.items():
        assert drug["id"] == drug_id
        assert drug["class"] == "JAK inhibitor"
        for key in ("name", "brands", "codes", "targets"):
            assert drug[key], (drug_id, key)


@pytest.mark.parametrize(
    ("drug_id", "code"),
    [
        ("upadacitinib", "ABT-494"),
        ("tofacitinib", "CP-690,550"),
        ("baricitinib", "LY3009104"),
        ("baricitinib", "INCB028050"),
        ("filgotinib", "GLPG0634"),
        ("filgotinib", "GS-6034"),
        ("peficitinib", "ASP015K"),
        ("ruxolitinib", "INCB018424"),
    ],
)
def test_development_codes(drugs: dict[str, dict[str, Any]], drug_id: str, code: str) -> None:
    assert code in drugs[drug_id]["codes"]


def test_selectivity_values_are_positive_known_kinases(drugs: dict[str, dict[str, Any]]) -> None:
    for drug in drugs.values():
        for s in drug.get("selectivity", []):
            assert s["target"] in {"JAK1", "JAK2", "JAK3", "TYK2"}
            assert s["ic50_nm"] > 0
            assert s["qualifier"] in {"", ">", "<", "~"}


def test_baricitinib_ic50s_and_their_sources(drugs: dict[str, dict[str, Any]]) -> None:
    by_target = {s["target"]: s for s in drugs["baricitinib"]["selectivity"]}
    assert by_target["JAK1"]["ic50_nm"] == 5.9
    assert by_target["JAK2"]["ic50_nm"] == 5.7
    assert by_target["TYK2"]["ic50_nm"] == 53
    assert (by_target["JAK3"]["qualifier"], by_target["JAK3"]["ic50_nm"]) == (">", 400)
    # JAK1/JAK2 read in the Fridman 2010 abstract (B11); JAK3/TYK2 only in SmPC text on a third-party copy (B10)
    assert {t: (s["source"], s["level"]) for t, s in by_target.items()} == {
        "JAK1": ("B11", "verified"), "JAK2": ("B11", "verified"),
        "JAK3": ("B10", "secondary"), "TYK2": ("B10", "secondary"),
    }  # fmt: skip


def test_tofacitinib_has_no_ic50_because_only_ranges_exist(drugs: dict[str, dict[str, Any]]) -> None:
    assert not drugs["tofacitinib"].get("selectivity")


def test_unverified_ic50s_stay_unverified(drugs: dict[str, dict[str, Any]]) -> None:
    for drug_id in ("upadacitinib", "filgotinib", "peficitinib"):
        assert {s["level"] for s in drugs[drug_id]["selectivity"]} == {"unverified"}


@pytest.mark.parametrize("drug_id", ["upadacitinib", "baricitinib", "tofacitinib"])
def test_2021_boxed_warning_items(drugs: dict[str, dict[str, Any]], drug_id: str) -> None:
    text = " ".join(f["text"].lower() for f in drugs[drug_id]["boxed_warning"])
    for item in ("serious infections", "mortality", "malignanc", "mace", "thrombosis"):
        assert item in text, (drug_id, item)


def test_ruxolitinib_has_no_boxed_warning_but_a_note(drugs: dict[str, dict[str, Any]]) -> None:
    rux = drugs["ruxolitinib"]
    assert not rux.get("boxed_warning")
    assert "not included in the 2021" in rux["note"].lower()


@pytest.mark.parametrize(
    ("drug_id", "agency", "date", "level"),
    [
        ("upadacitinib", "FDA", "2019-08", "secondary"),
        ("upadacitinib", "EMA", "2019-12-16", "verified"),
        ("baricitinib", "EMA", "2017-02", "secondary"),
        ("baricitinib", "FDA", "2018-05", "secondary"),
        ("filgotinib", "EMA", "2020-09", "secondary"),
        ("filgotinib", "PMDA", "2020-09", "secondary"),
        ("peficitinib", "PMDA", "2019-03-26", "secondary"),
        ("tofacitinib", "FDA", "2012-11-06", "verified"),
        ("tofacitinib", "EMA", "2017-03-22", "verified"),
        ("ruxolitinib", "FDA", "2011", "secondary"),
    ],
)
def test_approvals(drugs: dict[str, dict[str, Any]], drug_id: str, agency: str, date: str, level: str) -> None:
    found = [a for a in drugs[drug_id]["approval"] if a["agency"] == agency and a["date"] == date]
    assert len(found) == 1
    assert found[0]["level"] == level


# --- published figures --------------------------------------------------------------------------------


def test_balance_1(
    trials: dict[str, dict[str, str]], arms: dict[str, dict[str, str]], results: list[dict[str, str]]
) -> None:
    trial = trials["balance-1"]
    assert (trial["nct"], trial["population"], trial["randomised_n"]) == ("NCT01960855", "TNF-IR", "276")
    expected = {"pbo": ("56", "34"), "upa-3bid": ("55", "53"), "upa-6bid": ("55", "58"),
                "upa-12bid": ("55", "71"), "upa-18bid": ("55", "67")}  # fmt: skip
    for suffix, (n, percent) in expected.items():
        arm = arms[f"balance-1-{suffix}"]
        assert (arm["n"], arm["source"], arm["level"]) == (n, "U3", "verified")
        row = result(results, arm["id"], "ACR20", "week 12")
        assert (row["percent"], row["level"]) == (percent, "unverified")
    assert {a["daily_dose_mg"] for a in arms.values() if a["trial"] == "balance-1"} == {"0", "6", "12", "24", "36"}


def test_balance_2(
    trials: dict[str, dict[str, str]], arms: dict[str, dict[str, str]], results: list[dict[str, str]]
) -> None:
    assert (trials["balance-2"]["nct"], trials["balance-2"]["population"]) == ("NCT02066389", "MTX-IR")
    expected = {"pbo": ("50", "46"), "upa-3bid": ("50", "62"), "upa-6bid": ("50", "68"),
                "upa-12bid": ("50", "80"), "upa-18bid": ("49", "64"), "upa-24qd": ("49", "76")}  # fmt: skip
    for suffix, (n, percent) in expected.items():
        arm = arms[f"balance-2-{suffix}"]
        assert (arm["n"], arm["level"]) == (n, "verified")
        row = result(results, arm["id"], "ACR20", "week 12")
        assert (row["percent"], row["level"]) == (percent, "unverified")
    assert arms["balance-2-upa-24qd"]["daily_dose_mg"] == "24"


def test_select_next_arm_sizes_are_unverified(arms: dict[str, dict[str, str]], results: list[dict[str, str]]) -> None:
    for suffix, n, acr20 in (("pbo", "221", "36"), ("upa-15qd", "221", "64"), ("upa-30qd", "219", "66")):
        arm = arms[f"select-next-{suffix}"]
        assert (arm["n"], arm["level"]) == (n, "unverified")
        row = result(results, arm["id"], "ACR20", "week 12")
        assert (row["percent"], row["source"], row["level"]) == (acr20, "U10", "secondary")  # a review's table


def test_select_sunrise_adverse_events(adverse_events: list[dict[str, str]]) -> None:
    rows = {(r["arm"], r["term"]): r for r in adverse_events if r["trial"] == "select-sunrise"}
    assert rows[("select-sunrise-upa-30qd", "discontinuation due to adverse event")]["percent"] == "14.0"
    assert rows[("select-sunrise-upa-30qd", "serious infection")]["at_risk"] == "50"
    assert rows[("select-sunrise-pbo", "any adverse event")]["percent"] == "49.0"
    # Table 2 of U9 (evidence audit 2.2): the infection gradient and the serious-infection zeros
    infection = [rows[(f"select-sunrise-{arm}", "infection")] for arm in ("pbo", "upa-7.5qd", "upa-15qd", "upa-30qd")]
    assert [(r["affected"], r["percent"], r["at_risk"]) for r in infection] == [
        ("", "22.4", "49"), ("", "36.7", "49"), ("16", "", "49"), ("22", "", "50"),
    ]  # fmt: skip
    serious = [rows[(f"select-sunrise-{arm}", "serious infection")] for arm in ("pbo", "upa-7.5qd")]
    assert [(r["affected"], r["at_risk"]) for r in serious] == [("0", "49"), ("0", "49")]
    assert {(r["source"], r["level"]) for r in rows.values()} == {("U9", "verified")}


def test_oral_surveillance_infections(arms: dict[str, dict[str, str]], adverse_events: list[dict[str, str]]) -> None:
    """T22 (PMC9606533 Table 2): patients with events per arm, the arm sizes from its column headings."""
    ids = ("oral-surveillance-tofa-5bid", "oral-surveillance-tofa-10bid", "oral-surveillance-tnfi")
    assert [(arms[a]["n"], arms[a]["source"], arms[a]["level"]) for a in ids] == [
        ("1455", "T22", "verified"), ("1456", "T22", "verified"), ("1451", "T22", "verified"),
    ]  # fmt: skip
    rows = {(r["arm"], r["term"]): r for r in adverse_events if r["trial"] == "oral-surveillance"}
    assert [rows[(a, "serious infection")]["affected"] for a in ids] == ["141", "169", "119"]
    assert [rows[(a, "herpes zoster")]["affected"] for a in ids] == ["180", "178", "58"]
    assert {(r["source"], r["level"], r["timepoint"]) for r in rows.values()} == {("T22", "verified", "not stated")}


def test_ra_build(arms: dict[str, dict[str, str]], results: list[dict[str, str]]) -> None:
    expected = {"pbo": ("228", "39", "2"), "bari-2qd": ("229", "66", "11"), "bari-4qd": ("227", "62", "9")}
    for suffix, (n, acr20, das) in expected.items():
        arm = arms[f"ra-build-{suffix}"]
        assert arm["n"] == n
        row = result(results, arm["id"], "ACR20", "week 12")
        assert (row["percent"], row["source"], row["level"]) == (acr20, "B2", "secondary")  # a review's table
        assert result(results, arm["id"], "DAS28<2.6", "week 12")["percent"] == das


def test_jada_per_dose_acr20_stays_recalled(results: list[dict[str, str]]) -> None:
    assert result(results, "jada-pbo", "ACR20", "week 12")["level"] == "secondary"
    for suffix in ("bari-1qd", "bari-2qd", "bari-4qd", "bari-8qd"):
        assert result(results, f"jada-{suffix}", "ACR20", "week 12")["level"] == "unverified"
        assert result(results, f"jada-{suffix}", "ACR50", "week 12")["level"] == "secondary"  # B2, a review


def test_finch_1_counts(arms: dict[str, dict[str, str]], results: list[dict[str, str]]) -> None:
    expected = {"pbo": (237, 475), "fil-100qd": (335, 480), "fil-200qd": (364, 475), "ada": (229, 325)}
    for suffix, (responders, n) in expected.items():
        row = result(results, f"finch-1-{suffix}", "ACR20", "week 12")
        assert (int(row["responders"]), int(row["n"] or arms[row["arm"]]["n"])) == (responders, n)
        assert (row["source"], row["level"]) == ("F6", "verified")


def test_oral_solo_month_3(arms: dict[str, dict[str, str]], results: list[dict[str, str]]) -> None:
    for suffix, n, acr20 in (("pbo", "122", "26"), ("tofa-5bid", "243", "59"), ("tofa-10bid", "245", "65")):
        arm = arms[f"oral-solo-{suffix}"]
        assert arm["n"] == n
        row = result(results, arm["id"], "ACR20", "month 3")
        assert (row["percent"], row["source"], row["level"]) == (acr20, "T2", "secondary")  # label on a mirror
    assert not [r for r in results if r["arm"] == "oral-solo-pbo" and r["timepoint"] == "month 6"]


def test_comfort_1_is_myelofibrosis_and_unverified(
    trials: dict[str, dict[str, str]], results: list[dict[str, str]]
) -> None:
    assert trials["comfort-1"]["indication"] == "myelofibrosis"
    rows = [r for r in results if r["trial"] == "comfort-1"]
    assert {r["outcome"] for r in rows} == {"SVR35"}
    assert {r["level"] for r in rows} == {"unverified"}


def test_approximate_figures_are_unverified_and_say_so(
    results: list[dict[str, str]], arms: dict[str, dict[str, str]]
) -> None:
    for row in [*results, *arms.values()]:
        if "approximate" in row["note"].lower():
            assert row["level"] == "unverified", row


def test_every_source_has_a_known_kind(sources: dict[str, dict[str, str]]) -> None:
    assert {s["kind"] for s in sources.values()} <= KINDS
    assert sources["UNV"]["kind"] == "recalled"
    for weak, kind in (("B2", "review"), ("U10", "review"), ("T5", "summary"), ("F9", "summary"), ("T2", "copy")):
        assert sources[weak]["kind"] == kind  # the evidence audit's level-inflation findings (section 2.1)


def _ceiling(kind: str) -> str:
    return "verified" if kind in PRIMARY_KINDS else "unverified" if kind == "recalled" else "secondary"


def test_no_level_is_stronger_than_its_source_kind_allows(sources: dict[str, dict[str, str]]) -> None:
    rank = {"unverified": 0, "secondary": 1, "verified": 2}
    tables = ("trials.csv", "arms.csv", "results.csv", "adverse_events.csv", "safety_rates.csv", "hazard_ratios.csv")
    sourced = [(f"{name}:{line}", row) for name in tables for line, row in enumerate(read_csv(name), start=2)]
    for drug_id, drug in read_drugs().items():
        for key in (*FACT_TABLES, "selectivity", "approval"):
            sourced += [(f"{drug_id}.{key}[{i}]", t) for i, t in enumerate(drug.get(key, []))]
    for where, row in sourced:
        kind = sources[row["source"]]["kind"]
        assert rank[row["level"]] <= rank[_ceiling(kind)], f"{where}: {row['level']} on {row['source']} ({kind})"


def test_audit_fixes_each_with_its_source(
    trials: dict[str, dict[str, str]], arms: dict[str, dict[str, str]], results: list[dict[str, str]],
    adverse_events: list[dict[str, str]],
) -> None:  # fmt: skip
    """Evidence audit sections 2.3-2.7 and 3: frequencies, populations, n, FINCH 2 and 3, ORAL Standard's period."""
    for prefix, doses in (("jadc-bari-", (4, 7, 10)), ("jadn-bari-", (1, 2, 4, 8))):
        for dose in doses:
            arm = arms[f"{prefix}{dose}"]
            assert (arm["frequency"], arm["daily_dose_mg"], arm["source"]) == ("QD", str(dose), "B1")
    assert (trials["jadc"]["population"], trials["jadn"]["population"]) == ("DMARD-IR", "MTX-treated")
    assert {arms[a]["daily_dose_mg"] for a in ("ra-begin-bari-4", "ra-begin-bari-4-mtx")} == {"4"}
    assert (arms["raj3-pefi-100"]["daily_dose_mg"], arms["raj3-pefi-150"]["daily_dose_mg"]) == ("100", "150")
    assert (trials["select-beyond"]["randomised_n"], trials["select-beyond"]["source"]) == ("499", "U11")
    row = result(results, "finch-2-fil-200qd", "ACR20", "week 12")
    assert (row["percent"], row["n"]) == ("66.0", "147")  # 97/147 = 66.0%; 98/148 would print 66.2%
    for arm, percent in (("finch-3-fil-200qd-mtx", "81"), ("finch-3-mtx", "71")):
        row = result(results, arm, "ACR20", "week 24")
        assert (row["percent"], row["source"], row["level"]) == (percent, "F17", "verified")
    assert {r["timepoint"] for r in adverse_events if r["trial"] == "oral-standard"} == {"not stated"}
    assert "headache (<5%)" in trials["balance-2"]["note"]
    assert "every dose except 3 mg BID" in trials["balance-2"]["note"]


def test_recalled_source_is_only_used_for_unverified_figures() -> None:
    for name in ("trials.csv", "arms.csv", "results.csv", "adverse_events.csv"):
        for row in read_csv(name):
            if row["source"] == "UNV":
                assert row["level"] == "unverified", (name, row)
    for drug in read_drugs().values():
        for key in (*FACT_TABLES, "selectivity", "approval"):
            for table in drug.get(key, []):
                if table["source"] == "UNV":
                    assert table["level"] == "unverified"


# --- the real loader ------------------------------------------------------------------------------------


def test_the_project_loader_accepts_the_catalog() -> None:
    from viewer.domain.catalog import Catalog
    from viewer.domain.readers.dataset import load_dataset

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dataset = load_dataset(DATA)
    assert not dataset.skipped
    assert dataset.label == "JAK inhibitors in RA (curated)"
    assert {d.id for d in dataset.drugs} == DRUG_IDS
    catalog = Catalog.from_datasets([dataset])
    assert (len(catalog.drugs), len(catalog.trials), len(catalog.arms)) == (6, 33, 132)
    assert (len(catalog.results), len(catalog.adverse_events), len(catalog.sources)) == (200, 38, 107)
    assert (len(catalog.safety_rates), len(catalog.hazard_ratios)) == (118, 4)
    balance1 = catalog.arms_of("balance-1")
    assert sum(a.n or 0 for a in balance1) == 276  # U3: 276 randomised


def test_every_verified_figure_rests_on_a_primary_source() -> None:
    """Through the real loader: whatever a user sees as verified was read in a primary document."""
    from viewer.domain.catalog import Catalog
    from viewer.domain.model import EvidenceLevel
    from viewer.domain.readers.dataset import load_dataset

    catalog = Catalog.from_datasets([load_dataset(DATA)])
    sourced = [*catalog.results, *catalog.adverse_events, *catalog.arms.values(), *catalog.trials.values()]
    sourced += [*catalog.safety_rates, *catalog.hazard_ratios]
    for drug in catalog.drugs.values():
        sourced += [*drug.mechanism, *drug.selectivity, *drug.approved_doses, *drug.half_life, *drug.approvals]
        sourced += drug.boxed_warnings
    verified = [f for f in sourced if f.level is EvidenceLevel.VERIFIED]
    assert verified
    for figure in verified:
        kind = catalog.sources[figure.source_id].kind
        assert kind is not None and kind.is_primary, figure


def test_class_safety_rates_from_primary_sources_only(sources: dict[str, dict[str, str]]) -> None:
    """Exposure-adjusted rates: the six class outcomes, primary sources (one copy, secondary), values pinned."""
    rows = read_csv("safety_rates.csv")
    assert {r["term"] for r in rows} == {
        "serious infection", "herpes zoster", "MACE", "VTE", "malignancy excluding NMSC", "death",
    }  # fmt: skip
    not_primary = {(r["source"], r["level"]) for r in rows if sources[r["source"]]["kind"] not in PRIMARY_KINDS}
    assert not_primary == {("B19", "secondary")}  # Winthrop 2020's numbers were readable only on a copy
    compare = {(r["group"], r["term"]): r for r in rows if r["analysis"] == "SELECT-COMPARE through 264 weeks"}
    upa, ada = compare[("Any UPA 15 mg QD", "herpes zoster")], compare[("Any ADA 40 mg EOW", "herpes zoster")]
    assert (upa["events"], upa["patient_years"], upa["rate"]) == ("127", "4496.6", "2.8")  # U28 Table 1
    assert (ada["events"], ada["patient_years"], ada["rate"]) == ("17", "1472.4", "1.2")
    oral = [r for r in rows if r["analysis"] == "ORAL Surveillance"]
    assert [(r["events"], r["patient_years"], r["rate"]) for r in oral] == [
        ("62", "5491", "1.13"), ("60", "5312", "1.13"), ("42", "5482", "0.77"),
    ]  # fmt: skip
    hrs = read_csv("hazard_ratios.csv")
    assert (hrs[0]["group"], hrs[0]["hr"], hrs[0]["low"], hrs[0]["high"]) == (
        "Combined tofacitinib doses", "1.48", "1.04", "2.09",
    )  # fmt: skip
    # The MACE HR was read only on a copy of the NEJM abstract: it ships, but as secondary (section 10).
    (mace,) = [h for h in hrs if h["term"] == "MACE"]
    assert (mace["hr"], mace["low"], mace["high"], mace["level"]) == ("1.33", "0.91", "1.94", "secondary")
    assert sources[mace["source"]]["kind"] == "copy"
    continuous = {
        (r["group"], r["term"]): (r["events"], r["patient_years"], r["rate"], r["rate_low"], r["rate_high"])
        for r in rows if r["source"] == "U30"
    }  # fmt: skip
    assert continuous[("Continuous UPA 15 mg QD (n=398)", "MACE")] == ("2", "1573.0", "0.1", "0.0", "0.5")
    assert continuous[("Continuous ADA 40 mg EOW (n=168)", "VTE")] == ("3", "582.4", "0.5", "0.1", "1.5")
    tofacitinib = {r["term"]: (r["rate"], r["rate_low"], r["rate_high"]) for r in rows if r["source"] == "T19"}
    assert tofacitinib == {"death": ("0.3", "0.2", "0.3")}  # RMD Open 2020;6:e001395 abstract ('Mortality')
    table3 = {
        r["term"]: (r["events"], r["patient_years"], r["rate"], r["rate_low"], r["rate_high"])
        for r in rows if r["source"] == "T20" and r["group"].startswith("All tofacitinib doses")
    }  # fmt: skip
    assert table3 == {
        "serious infection": ("576", "", "2.5", "2.3", "2.7"),
        "herpes zoster": ("782", "", "3.6", "3.4", "3.9"),
        "malignancy excluding NMSC": ("177", "", "0.8", "0.7", "0.9"),
        "MACE": ("85", "", "0.4", "0.3", "0.5"),
        "VTE": ("59", "", "0.3", "0.2", "0.3"),
    }  # fmt: skip (the same paper's Table 3: IRs not n/total PY, so no patient-years)
    naive = {
        (r["group"], r["term"]): (r["rate"], r["rate_low"], r["rate_high"])
        for r in rows if r["analysis"] == "Tofacitinib phase 3, bDMARD-naive"
    }  # fmt: skip
    assert naive[("Placebo (N=465, 149.5 PY)", "serious infection")] == ("2", "0.6", "6.2")  # T21 Table 4
    assert naive[("Tofacitinib 10 mg BID (N=898, 917.4 PY)", "death")] == ("0.4", "0.2", "1.2")
    assert naive[("Placebo (N=465, 149.5 PY)", "malignancy excluding NMSC")] == ("0", "", "")  # printed 0
    risk = {(r["group"].split(" (")[0], r["term"]): r["rate"] for r in rows if r["source"] == "B20"}
    assert risk[("Patients at risk", "death")] == "0.78" and risk[("Patients at low risk", "death")] == "0.04"
    drugs_with_rates = {r["drug"] for r in rows if r["role"] == "drug"}
    assert drugs_with_rates == {"upadacitinib", "tofacitinib", "baricitinib", "filgotinib", "peficitinib"}

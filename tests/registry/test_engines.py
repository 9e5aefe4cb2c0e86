"""The same behaviour from both engines: PostgreSQL with AACT's published schema (as AACT serves it, and
with the search tables of ``registry prepare``), and the local copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.registry.conftest import DDL
from tests.registry.figures import figures, skipped_rules
from viewer.domain.errors import DataError
from viewer.domain.readers.ctgov import read_ctgov_json
from viewer.domain.registry import SearchQuery, open_registry

RECORD = Path(__file__).parents[1] / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"


@pytest.fixture(scope="module")
def aact_pg_prepared(make_database: Any, aact_rows: Any) -> str:
    """Another database of the same rows, with the search tables built by ``registry prepare``."""
    from viewer.domain.registry.pgprepare import prepare_postgres

    url = str(make_database(DDL.read_text(encoding="utf-8"), aact_rows))
    prepare_postgres(url)
    return url


@pytest.fixture(params=["postgresql", "postgresql-prepared", "local"])
def registry_location(request: pytest.FixtureRequest) -> str:
    """Each engine in turn (this module's tests also on a prepared PostgreSQL database)."""
    name = {"postgresql": "aact_pg", "postgresql-prepared": "aact_pg_prepared", "local": "aact_local"}[request.param]
    location = str(request.getfixturevalue(name))
    with open_registry(location) as registry:
        assert registry.prepared is (request.param != "postgresql")
    return location


def test_a_study_from_the_registry_gives_the_same_figures_as_its_json(registry_location: str) -> None:
    with open_registry(registry_location) as registry:
        from_registry = registry.load(["NCT02552212"], None)
    from_json = read_ctgov_json(RECORD, None)
    assert figures(from_registry) == figures(from_json)
    assert skipped_rules(from_registry) == skipped_rules(from_json)
    assert len(from_registry.results) == 25 and len(from_registry.adverse_events) == 235


@pytest.mark.parametrize("nct", ["NCT00763412", "NCT02210780", "NCT03064438"])
def test_the_other_real_studies_read_through_each_engine_as_from_their_rows(registry_location: str, nct: str) -> None:
    """Each engine gives what the rows give without a database (which test_rows_equal_json compares to the JSON)."""
    from tests.registry.test_rows_equal_json import from_rows

    with open_registry(registry_location) as registry:
        from_registry = registry.load([nct], None)
    without_db = from_rows(RECORD.with_name(f"{nct}.json"))
    assert figures(from_registry) == figures(without_db)
    assert skipped_rules(from_registry) == skipped_rules(without_db)


def test_provenance_names_table_ids_group_title_and_snapshot(registry_location: str) -> None:
    with open_registry(registry_location) as registry:
        assert registry.snapshot() == "2026-12-01"
        dataset = registry.load(["NCT02552212"], None)
    placebo = next(r for r in dataset.results if r.outcome_id.startswith("Percentage of Subjects With Ankylosing"))
    assert "NCT02552212" in placebo.provenance
    assert "ctgov.outcome_measurements id=" in placebo.provenance and "ctgov.result_groups id=" in placebo.provenance
    assert "'Placebo (FAS)'" in placebo.provenance
    assert placebo.provenance.endswith("AACT snapshot 2026-12-01")
    assert "AACT snapshot 2026-12-01" in dataset.sources[0].citation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("certolizumab", "certolizumab pegol"),  # intervention name
        ("Cimzia", "certolizumab pegol"),  # other name (brand)
        ("cdp870", "certolizumab pegol"),  # other name (code)
    ],
)
def test_drug_search_by_name_other_name_and_code(registry_location: str, text: str, expected: str) -> None:
    with open_registry(registry_location) as registry:
        hits = registry.search_drugs(SearchQuery(text=text))
    assert [(h.name, h.studies) for h in hits] == [(expected, 1)]


def test_mesh_terms_are_searched_and_ancestors_are_not(registry_location: str) -> None:
    with open_registry(registry_location) as registry:
        # 'Spondylarthritis' is only a MeSH condition term of this study, not one of its condition names
        assert [s.nct for s in registry.search_studies(SearchQuery(condition="spondylarthritis"))] == ["NCT02552212"]
        # a MeSH ancestor ('Tumor Necrosis Factor Inhibitors') is a class, not a drug of the study
        assert registry.search_drugs(SearchQuery(text="tumor necrosis factor")) == []


ALL = ["NCT03064438", "NCT02552212", "NCT02210780", "NCT00763412"]  # newest NCT numbers first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (SearchQuery(condition="spondyl"), ["NCT02552212"]),
        (SearchQuery(condition="psoriasis"), []),
        (SearchQuery(condition="rosacea"), ["NCT03064438"]),  # MeSH 'Rosacea' (the name says 'Acne Rosacea')
        (SearchQuery(phase="3"), ["NCT02552212"]),
        (SearchQuery(phase="phase 2"), ["NCT03064438", "NCT02210780"]),
        (SearchQuery(phase="phase 1"), []),
        (SearchQuery(status="completed"), ALL),
        (SearchQuery(status="recruiting"), []),
        (SearchQuery(has_results=True), ALL),
        (SearchQuery(has_results=False), []),
        # NCT02210780's placebo arm is typed EXPERIMENTAL: the registry's own type decides
        (SearchQuery(placebo_controlled=True), ["NCT03064438", "NCT02552212", "NCT00763412"]),
        (SearchQuery(text="50%_"), []),  # LIKE wildcards in user text are literal
    ],
)
def test_study_filters(registry_location: str, query: SearchQuery, expected: list[str]) -> None:
    with open_registry(registry_location) as registry:
        studies = registry.search_studies(query)
    assert [s.nct for s in studies] == expected


def test_selection_by_nct_drug_and_condition(registry_location: str) -> None:
    with open_registry(registry_location) as registry:
        assert registry.select(ncts=["nct02552212"]) == ["NCT02552212"]
        assert registry.select(drugs=["cimzia"]) == ["NCT02552212"]
        assert registry.select(conditions=["axial spondyloarthritis"]) == ["NCT02552212"]
        assert registry.select(drugs=["cimzia"], conditions=["asthma"]) == []
        with pytest.raises(DataError, match="not an NCT id"):
            registry.select(ncts=["12345"])
        for unicode_digits in UNICODE_DIGITS:  # a digit of another script is not an NCT id (it was to \d)
            with pytest.raises(DataError, match="not an NCT id"):
                registry.select(ncts=[unicode_digits])


UNICODE_DIGITS = ("NCT\u0660\u0662\u0665\u0665\u0662\u0662\u0661\u0662", "NCT0255221\u00b2")  # Arabic-Indic; '²'


@pytest.mark.parametrize("nct", UNICODE_DIGITS)
def test_a_record_whose_nct_id_has_other_digits_is_refused_as_the_registry_refuses_it(nct: str, tmp_path: Path) -> None:
    """One check of an NCT id (``readers.fields.is_nct``) for a record's own id, the registry's --nct, a
    trial row and a session file's studies."""
    record = tmp_path / "record.json"
    record.write_text(RECORD.read_text(encoding="utf-8").replace("NCT02552212", nct), encoding="utf-8")
    with pytest.raises(DataError, match="not NCT followed by 8 digits"):
        read_ctgov_json(record, None)


def test_unknown_or_empty_selection_is_bad_input(registry_location: str) -> None:
    with open_registry(registry_location) as registry:
        with pytest.raises(DataError, match="no such study"):
            registry.load(["NCT00000001"], None)
        with pytest.raises(DataError, match="no study selected"):
            registry.load([], None)


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(text="c"),
        SearchQuery(text="z"),  # 2 of certolizumab pegol's 3 terms (name, 'cimzia'; not 'cdp870'): counted from rows
        SearchQuery(text="ab"),
        SearchQuery(text="cimzia"),
        SearchQuery(text="placebo", has_results=True),
        SearchQuery(text="a", condition="spondyl", placebo_controlled=True),
        SearchQuery(text="dupilumab", phase="2"),
    ],
)
def test_the_prepared_search_table_gives_the_rows_of_the_aact_tables(aact_local: Path, query: SearchQuery) -> None:
    """The local copy searches one table built at import; it must answer exactly as the AACT tables do."""
    import duckdb

    from viewer.domain.registry import prepared as tables
    from viewer.domain.registry.local import duck_sql
    from viewer.domain.registry.search import count_sql, drugs_sql, studies_sql

    fast = {drugs_sql: tables.drugs_sql, studies_sql: tables.studies_sql, count_sql: tables.count_sql}
    conn = duckdb.connect(str(aact_local), read_only=True)
    try:
        for build in (drugs_sql, studies_sql, count_sql):
            plain, prepared = build(query), build(query, True)
            assert "search_terms" in prepared[0] and "search_terms" not in plain[0]
            expected = conn.execute(duck_sql(plain[0]), plain[1]).fetchall()
            assert conn.execute(duck_sql(prepared[0]), prepared[1]).fetchall() == expected
            if tables.applies(query):
                sql, params = fast[build](query)
                assert conn.execute(duck_sql(sql), params).fetchall() == expected
            assert expected or build is not drugs_sql or query.text == "placebo"
    finally:
        conn.close()


def test_a_copy_without_the_search_table_still_searches(aact_local: Path, tmp_path: Path) -> None:
    import shutil

    import duckdb

    older = tmp_path / "older.duckdb"
    shutil.copyfile(aact_local, older)
    with duckdb.connect(str(older)) as conn:
        for table in ("search_terms", "drug_terms", "drug_totals"):
            conn.execute(f"DROP TABLE drug_viewer.{table}")
    with open_registry(str(aact_local)) as new, open_registry(str(older)) as old:
        assert new.prepared and not old.prepared  # type: ignore[attr-defined]
        query = SearchQuery(text="ab")
        assert old.search_drugs(query) == new.search_drugs(query)
        assert old.search_studies(query) == new.search_studies(query)

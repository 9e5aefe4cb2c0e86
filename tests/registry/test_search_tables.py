"""The search tables answer exactly as AACT's own tables do, on a generated registry of 3,000 studies with
the benchmark's skew (a few drugs in hundreds of studies, brands, codes and MeSH terms sharing letters),
for every prefix a user types and with or without "with results": in the local copy (built at import) and
in a PostgreSQL database (built by ``registry prepare``), where they serve only their own snapshot."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from bench.registry_generate import generate
from tests.registry.conftest import DDL
from viewer.domain.registry import prepared
from viewer.domain.registry.flatfiles import import_flatfiles
from viewer.domain.registry.local import duck_sql
from viewer.domain.registry.search import SearchQuery, count_sql, drugs_sql, studies_sql

TEXTS = (
    "a",
    "ab",
    "ada",
    "adalimumab",
    "s",
    "se",
    "sema",
    "i",
    "in",
    "umab",
    "syntinib-00",
    "syntinib-01",
    "zz",
    "-",
    "1",
)


@pytest.fixture(scope="module")
def generated_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    generate(root, 3000)
    return root


@pytest.fixture(scope="module")
def generated(generated_files: Path) -> Path:
    copy = generated_files / "aact.duckdb"
    import_flatfiles(generated_files / "20261201_pipe-delimited-export.zip", copy)
    return copy


@pytest.fixture(scope="module")
def generated_pg(generated_files: Path, pg_server_url: str) -> Iterator[str]:
    """The same 3,000 studies COPYed into PostgreSQL (the benchmark's load), with the search tables built."""
    import psycopg

    from bench.registry_bench import postgres_load

    name = "dv_search_tables"
    url, _ = postgres_load(pg_server_url, generated_files, name)
    yield url
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def compare(run: Any) -> None:
    """Every prefix, with and without "with results": the search tables' rows equal the AACT tables'."""
    compared = 0
    for text in TEXTS:
        for has_results in (None, True):
            q = SearchQuery(text=text, has_results=has_results, limit=500)
            assert prepared.applies(q)
            for fast, plain in (
                (prepared.drugs_sql, drugs_sql),
                (prepared.studies_sql, studies_sql),
                (prepared.count_sql, count_sql),
            ):
                got, want = run(*fast(q)), run(*plain(q))
                assert got == want, (text, has_results, fast.__name__)
                compared += len(want)
    assert compared > 2000  # the prefixes match many drugs and studies, not a few


def test_the_search_tables_count_as_the_aact_tables_do(generated: Path) -> None:
    conn = duckdb.connect(str(generated), read_only=True)
    try:
        compare(lambda sql, params: conn.execute(duck_sql(sql), params).fetchall())
        several = conn.execute("SELECT count(*) FROM drug_viewer.drug_totals WHERE terms > 1").fetchone()
        assert several is not None and several[0] > 10  # drugs with brands, codes or MeSH terms besides the name
    finally:
        conn.close()


def test_other_filters_use_the_general_search() -> None:
    assert not prepared.applies(SearchQuery(text="a", condition="psoriasis"))
    assert not prepared.applies(SearchQuery(text="a", has_results=False))
    assert not prepared.applies(SearchQuery(text=""))
    assert prepared.applies(SearchQuery(text="a", has_results=True))


def test_postgres_search_tables_count_as_the_aact_tables_do(generated_pg: str) -> None:
    import psycopg

    with psycopg.connect(generated_pg) as conn:
        compare(lambda sql, params: [tuple(r) for r in conn.execute(sql, params).fetchall()])


def test_postgres_searches_the_tables_of_its_own_snapshot_only(generated_pg: str) -> None:
    """A registry opened on a prepared database reads the search tables (same answers); once a newer
    snapshot is restored (a later ``studies.updated_at``) it searches AACT's own tables until rebuilt."""
    import psycopg

    from viewer.domain.registry import open_registry
    from viewer.domain.registry.pgprepare import prepare_postgres

    q = SearchQuery(text="ada", has_results=True, limit=100)
    with open_registry(generated_pg) as registry:
        assert registry.prepared
        fast = (registry.search_drugs(q), registry.search_studies(q), registry.count_studies(q))
    assert fast[0] and fast[1] and fast[2] > 0
    with psycopg.connect(generated_pg) as conn:
        conn.execute("UPDATE ctgov.studies SET updated_at = updated_at + interval '1 day'")
    try:
        with open_registry(generated_pg) as registry:
            assert not registry.prepared
            assert (registry.search_drugs(q), registry.search_studies(q), registry.count_studies(q)) == fast
        assert prepare_postgres(generated_pg).snapshot == "2026-12-02"
        with open_registry(generated_pg) as registry:
            assert registry.prepared
            assert registry.snapshot() == "2026-12-02"
    finally:
        with psycopg.connect(generated_pg) as conn:
            conn.execute("UPDATE ctgov.studies SET updated_at = updated_at - interval '1 day'")
        prepare_postgres(generated_pg)


def test_prepare_on_the_command_line(generated_pg: str) -> None:
    from viewer.cli import build_parser, run_command

    out, err = io.StringIO(), io.StringIO()
    assert run_command(build_parser().parse_args(["registry", "prepare", generated_pg]), out, err) == 0
    assert "search tables in postgresql://postgres@127.0.0.1:" in out.getvalue()
    assert "snapshot 2026-12-01" in out.getvalue()
    assert ":" + generated_pg.split(":")[2].split("@")[0] + "@" not in out.getvalue()  # never the password


def test_prepare_refused_leaves_the_database_as_it_was(make_database: Any) -> None:
    """A user who may not create tables (AACT's public server) gets a clear refusal; nothing is built."""
    import psycopg

    from viewer.domain.errors import DataError
    from viewer.domain.registry.pgprepare import prepare_postgres

    url = str(make_database(DDL.read_text(encoding="utf-8"), None))
    reader = url.replace("postgresql://postgres:", "postgresql://dv_reader:")
    password = url.split(":")[2].split("@")[0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS dv_reader")
        conn.execute(f"CREATE ROLE dv_reader LOGIN PASSWORD '{password}'")  # type: ignore[arg-type]
        conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        conn.execute(f"REVOKE CREATE ON DATABASE {url.rsplit('/', 1)[1]} FROM PUBLIC")  # type: ignore[arg-type]
    try:
        with pytest.raises(DataError, match="may not create tables"):
            prepare_postgres(reader)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT to_regclass('drug_viewer.search_terms')").fetchone() == (None,)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP OWNED BY dv_reader")
            conn.execute("DROP ROLE dv_reader")

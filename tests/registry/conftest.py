"""Registry fixtures: a real PostgreSQL server and a real local copy, both holding AACT rows of real studies.

The server comes from ``DRUG_VIEWER_TEST_PG`` (set by ``.ci/run``) or is started here from Debian's
``postgresql``. Outside CI, a machine where no server can be started skips the PostgreSQL tests with the
reason; under CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.registry.aact_rows import Rows, insert_sql, rows_for, write_flatfiles

DATA = Path(__file__).parents[1] / "data"
DDL = DATA / "aact" / "ctgov_subset.sql"
STUDIES = tuple(sorted((DATA / "ctgov").glob("*.json")))  # the four real v2 records, README gives origins
SNAPSHOT_ZIP = "20261201_pipe-delimited-export.zip"


def real_studies() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in STUDIES]


@pytest.fixture(scope="session")
def aact_rows() -> Rows:
    return rows_for(*real_studies())


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    url = os.environ.get("DRUG_VIEWER_TEST_PG", "")
    if url:
        yield url
        return
    from tests.registry.pgserver import start

    try:
        server = start()
    except Exception as exc:  # any reason a server cannot be started here
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the PostgreSQL tests but no server could be started: {exc}")
        pytest.skip(f"no PostgreSQL server could be started ({type(exc).__name__}: {exc}); set DRUG_VIEWER_TEST_PG")
    try:
        yield server.url
    finally:
        server.stop()


def with_database(url: str, name: str) -> str:
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


@pytest.fixture(scope="session")
def make_database(pg_server_url: str) -> Iterator[Any]:
    """make_database(ddl, rows, after="") -> URL of a fresh database; all dropped at the end of the session."""
    import psycopg

    made: list[str] = []

    def make(ddl: str, rows: Rows | None, after: str = "") -> str:
        name = f"dv_aact_{secrets.token_hex(4)}"
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        made.append(name)
        url = with_database(pg_server_url, name)
        with psycopg.connect(url) as conn:
            conn.execute(ddl)  # type: ignore[arg-type]
            for sql, values in insert_sql(rows or {}):
                conn.execute(sql, values)  # type: ignore[arg-type]
            if after:
                conn.execute(after)  # type: ignore[arg-type]
        return url

    yield make
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        for name in made:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def aact_pg(make_database: Any, aact_rows: Rows) -> str:
    """URL of a database with AACT's ctgov schema (published DDL) and the real studies' rows."""
    return str(make_database(DDL.read_text(encoding="utf-8"), aact_rows))


@pytest.fixture(scope="session")
def aact_local(tmp_path_factory: pytest.TempPathFactory, aact_rows: Rows) -> Path:
    """A local copy imported from an AACT-shaped flat-file zip of the same rows."""
    from viewer.domain.registry.flatfiles import import_flatfiles

    base = tmp_path_factory.mktemp("aact")
    archive = write_flatfiles(base / SNAPSHOT_ZIP, aact_rows)
    destination = base / "aact.duckdb"
    import_flatfiles(archive, destination)
    return destination


@pytest.fixture(params=["postgresql", "local"])
def registry_location(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: the same tests run against PostgreSQL and the embedded copy."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("aact_pg"))
    return str(request.getfixturevalue("aact_local"))

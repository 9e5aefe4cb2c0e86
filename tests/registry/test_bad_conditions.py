"""Every way a registry can fail gives a clear DataError, shows no password and loses nothing loaded before."""

from __future__ import annotations

import shutil
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.registry.aact_rows import Rows, write_flatfiles
from tests.registry.conftest import DDL, SNAPSHOT_ZIP
from tests.registry.figures import figures
from tests.registry.pgserver import free_port
from viewer.domain.errors import DataError
from viewer.domain.registry import open_registry
from viewer.domain.registry.flatfiles import ImportCancelled, import_flatfiles
from viewer.domain.registry.location import redact
from viewer.domain.registry.pgprepare import prepare_postgres

# --- PostgreSQL -------------------------------------------------------------------------------------------


def _password(url: str) -> str:
    return url.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]


@pytest.mark.parametrize("connect", [open_registry, prepare_postgres], ids=["open", "prepare"])
def test_wrong_password_is_named_and_never_shown(aact_pg: str, connect: Any) -> None:
    """Opening a registry and preparing its search tables say a refused connection in the same words."""
    password = _password(aact_pg)
    wrong = aact_pg.replace(f":{password}@", ":not-the-password-0451@")
    with pytest.raises(DataError) as caught:
        connect(wrong)
    message = str(caught.value)
    assert "refused the user name or password" in message
    assert "not-the-password-0451" not in message and password not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_loaded_label_never_holds_the_password(aact_pg: str) -> None:
    with open_registry(aact_pg) as registry:
        assert _password(aact_pg) not in registry.label
        dataset = registry.load(["NCT02552212"], None)
    assert _password(aact_pg) not in repr(dataset)


def test_unreachable_server_fails_fast(aact_pg: str) -> None:
    url = aact_pg.rsplit("@", 1)[0] + f"@127.0.0.1:{free_port()}/aact"
    with pytest.raises(DataError, match=r"cannot connect|did not answer"):
        open_registry(url, timeout_s=2)


def test_slow_server_hits_the_statement_timeout(aact_pg: str) -> None:
    import psycopg

    with open_registry(aact_pg, timeout_s=0.5) as registry:
        before = registry.load(["NCT02552212"], None)
        with psycopg.connect(aact_pg) as blocker:
            blocker.execute("LOCK TABLE ctgov.studies IN ACCESS EXCLUSIVE MODE")  # held until the block ends
            with pytest.raises(DataError, match=r"did not answer within 0.5 s \(statement timeout\)"):
                registry.load(["NCT02552212"], None)
            blocker.rollback()
        after = registry.load(["NCT02552212"], None)  # the same connection still works
    assert figures(after) == figures(before)


def test_connection_dropped_mid_read(aact_pg: str) -> None:
    import psycopg

    with open_registry(aact_pg) as registry:
        before = registry.load(["NCT02552212"], None)
        pid = registry.conn.info.backend_pid  # type: ignore[attr-defined]
        stream = registry._stream("SELECT g FROM generate_series(1, 50000) g", [])  # several batches
        next(stream)  # the server-side cursor is open and part-read
        with psycopg.connect(aact_pg, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        with pytest.raises(DataError, match="connection to the server was lost"):
            list(stream)
        with pytest.raises(DataError, match="connection to the server was lost"):
            registry.load(["NCT02552212"], None)  # the dropped connection is not silently reused
    assert len(before.results) == 25  # what was loaded before is untouched


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("ALTER TABLE ctgov.result_groups DROP COLUMN outcome_id", "ctgov.result_groups.outcome_id"),  # older
        ("ALTER TABLE ctgov.outcome_measurements RENAME COLUMN param_value TO value", "param_value"),  # newer
        ("DROP TABLE ctgov.reported_event_totals", "ctgov.reported_event_totals"),
    ],
)
def test_schema_older_or_newer_than_expected(make_database: Any, aact_rows: Rows, change: str, named: str) -> None:
    url = make_database(DDL.read_text(encoding="utf-8"), aact_rows, change)
    with pytest.raises(DataError, match="older or newer AACT") as caught:
        open_registry(url)
    assert named in str(caught.value)


def test_not_an_aact_database(make_database: Any) -> None:
    url = make_database("CREATE TABLE unrelated (x integer)", None)
    with pytest.raises(DataError, match="no 'ctgov' schema"):
        open_registry(url)


def test_the_session_is_read_only(aact_pg: str) -> None:
    import psycopg

    with open_registry(aact_pg) as registry:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            registry._rows("CREATE TABLE ctgov.scratch (x integer)", [])
        registry.conn.rollback()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://reader:s3cret@db.example:5432/aact", "postgresql://reader@db.example:5432/aact"),
        (
            "postgresql://reader@db.example/aact?password=s3cret&sslmode=require",
            "postgresql://reader@db.example/aact?sslmode=require",
        ),
        ("postgres://u:p%40ss@h/d", "postgres://u@h/d"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown


# --- the local copy ----------------------------------------------------------------------------------------


@pytest.fixture
def copy_and_zip(tmp_path: Path, aact_local: Path, aact_rows: Rows) -> tuple[Path, Path]:
    """A working local copy (the 'previous' one) and a fresh zip of the same rows."""
    destination = tmp_path / "aact.duckdb"
    shutil.copy(aact_local, destination)
    return destination, write_flatfiles(tmp_path / SNAPSHOT_ZIP, aact_rows)


def _still_usable(destination: Path) -> None:
    with open_registry(str(destination)) as registry:
        assert len(registry.load(["NCT02552212"], None).results) == 25


def test_missing_local_copy_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="registry import"):
        open_registry(str(tmp_path / "nothing.duckdb"))


def test_a_file_that_is_not_a_local_copy(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_bytes(b"not a database" * 100)
    with pytest.raises(DataError, match="not a usable local AACT copy"):
        open_registry(str(bogus))


def test_partial_zip_download(copy_and_zip: tuple[Path, Path]) -> None:
    destination, archive = copy_and_zip
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(DataError, match="not a readable zip archive"):
        import_flatfiles(archive, destination)
    _still_usable(destination)


def test_corrupt_member_fails_its_crc(copy_and_zip: tuple[Path, Path], tmp_path: Path) -> None:
    destination, archive = copy_and_zip
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo("reported_events.txt")
    data = bytearray(archive.read_bytes())
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"reported_events\.txt"):
        import_flatfiles(archive, destination)
    _still_usable(destination)


def test_zip_without_a_needed_table(copy_and_zip: tuple[Path, Path], aact_rows: Rows, tmp_path: Path) -> None:
    destination, _ = copy_and_zip
    (tmp_path / "x").mkdir()
    archive = write_flatfiles(tmp_path / "x" / SNAPSHOT_ZIP, aact_rows, skip=("outcome_counts",))
    with pytest.raises(DataError, match=r"lacks outcome_counts\.txt"):
        import_flatfiles(archive, destination)
    _still_usable(destination)


def test_cancelled_import_keeps_the_previous_copy_and_resumes(copy_and_zip: tuple[Path, Path]) -> None:
    destination, archive = copy_and_zip
    seen: list[str] = []

    def progress(what: str, done: int, total: int) -> None:
        seen.append(what)

    stop = threading.Event()

    def cancelled() -> bool:
        if len(set(seen)) >= 4:
            stop.set()
        return stop.is_set()

    with pytest.raises(ImportCancelled, match="run it again to resume"):
        import_flatfiles(archive, destination, progress, cancelled)
    _still_usable(destination)
    assert destination.with_name(destination.name + ".partial").exists()
    report = import_flatfiles(archive, destination, progress)
    assert report.tables_resumed >= 3 and report.studies == 4
    assert report.snapshot == "2026-12-01" and report.snapshot_from == "file name"
    assert not destination.with_name(destination.name + ".partial").exists()
    _still_usable(destination)


def test_pg_variables_and_pgpass_fill_an_empty_url(
    aact_pg: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(aact_pg)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{parts.hostname}:{parts.port}:{parts.path.lstrip('/')}:{parts.username}:{parts.password}\n")
    pgpass.chmod(0o600)
    for name, value in (
        ("PGHOST", parts.hostname),
        ("PGPORT", str(parts.port)),
        ("PGUSER", parts.username),
        ("PGDATABASE", parts.path.lstrip("/")),
        ("PGPASSFILE", str(pgpass)),
    ):
        monkeypatch.setenv(name, value or "")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with open_registry("postgresql://") as registry:
        assert registry.label == f"postgresql://{parts.username}@{parts.hostname}:{parts.port}{parts.path}"
        assert len(registry.load(["NCT02552212"], None).results) == 25

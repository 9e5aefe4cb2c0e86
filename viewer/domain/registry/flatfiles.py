"""``drug-viewer registry import AACT_FLATFILES.zip``: AACT's pipe-delimited export -> the local copy.

AACT writes each table with ``COPY table TO STDOUT WITH DELIMITER '|' CSV HEADER`` into ``table.txt``
and zips them as ``YYYYMMDD_pipe-delimited-export.zip`` (``app/models/clinical_trials/table_exporter.rb``
of github.com/ctti-clinicaltrials/aact). Only the tables and columns in ``schema.TABLES`` are kept,
cast to AACT's types and sorted by study, so a study's rows sit together on disk.

Safety: the copy is built in ``NAME.partial`` beside the destination and moved over it in one rename
only when complete, so a cancelled, failed or corrupt import leaves the previous copy usable. The
partial file records which tables are done and from which zip; running the same import again resumes
after the last finished table.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from viewer.domain.errors import DataError, Problem
from viewer.domain.registry.prepared import BUILD
from viewer.domain.registry.schema import META_SCHEMA, SCHEMA, TABLES

Progress = Callable[[str, int, int], None]  # (what, bytes done, bytes in all)
CHUNK = 1 << 20
FORMAT = "3"  # 3: with the search tables of prepared.py


# what zipfile raises on a damaged member: bad CRC, cut-off stream, broken deflate data, unknown method
_UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error, NotImplementedError)


class ImportCancelled(Exception):
    """The user stopped the import; the previous copy is untouched and a rerun resumes."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    destination: Path
    snapshot: str
    snapshot_from: str  # "file name" or "zip entry dates"
    studies: int
    tables_resumed: int


def _fail(zip_path: Path, location: str, rule: str) -> DataError:
    return DataError([Problem(zip_path.name, location, "", rule)])


def _snapshot_date(zip_path: Path, archive: zipfile.ZipFile) -> tuple[str, str]:
    found = re.search(r"(20\d{2})(\d{2})(\d{2})", zip_path.name)
    if found:
        try:
            year, month, day = (int(g) for g in found.groups())
            return datetime(year, month, day).date().isoformat(), "file name"
        except ValueError:
            pass
    newest = max((info.date_time for info in archive.infolist()), default=None)
    if newest is None:
        return "date unknown", "nothing"
    return datetime(*newest).date().isoformat(), "zip entry dates"


def _members(zip_path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    by_name = {Path(info.filename).name.casefold(): info for info in archive.infolist() if not info.is_dir()}
    members: dict[str, zipfile.ZipInfo] = {}
    missing = []
    for table in TABLES:
        info = by_name.get(f"{table}.txt")
        if info is None:
            missing.append(f"{table}.txt")
        else:
            members[table] = info
    if missing:
        raise _fail(
            zip_path,
            "",
            f"lacks {', '.join(missing)}: not AACT's pipe-delimited export, or a partial download",
        )
    return members


def _source_key(zip_path: Path) -> str:
    stat = zip_path.stat()
    return f"{zip_path.name}:{stat.st_size}:{int(stat.st_mtime)}:{FORMAT}"


def import_flatfiles(
    zip_path: Path,
    destination: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Build the local copy at ``destination`` from the zip; DataError on a bad zip, ImportCancelled on stop."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except FileNotFoundError:
        raise _fail(zip_path, "", "does not exist") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(zip_path, "", f"is not a readable zip archive (corrupt or partial download: {exc})") from None
    with archive:
        members = _members(zip_path, archive)
        snapshot, snapshot_from = _snapshot_date(zip_path, archive)
        partial = destination.with_name(destination.name + ".partial")
        destination.parent.mkdir(parents=True, exist_ok=True)
        key = _source_key(zip_path)
        conn = _open_partial(partial, key)
        try:
            done = {str(t) for (t,) in conn.execute(f"SELECT table_name FROM {META_SCHEMA}.import_state").fetchall()}
            total = sum(members[t].file_size for t in TABLES)
            reached = sum(members[t].file_size for t in done if t in members)
            for table in TABLES:
                if table in done:
                    continue
                if cancelled is not None and cancelled():
                    raise ImportCancelled(f"import stopped before {table}; run it again to resume")
                reached = _import_table(
                    conn, zip_path, archive, members[table], table, partial, reached, total, progress, cancelled
                )
                conn.execute(f"INSERT INTO {META_SCHEMA}.import_state VALUES (?)", [table])
                conn.execute("CHECKPOINT")
            if progress is not None:
                progress("search table", total, total)
            for statement in BUILD:  # the local copy's search tables (prepared.py), built once here
                conn.execute(statement)
            studies = int(conn.execute(f"SELECT count(*) FROM {SCHEMA}.studies").fetchone()[0])  # type: ignore[index]
            info = {
                "snapshot": snapshot,
                "snapshot_from": snapshot_from,
                "source": zip_path.name,
                "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "format": FORMAT,
            }
            conn.execute(f"DELETE FROM {META_SCHEMA}.import_info")
            conn.executemany(f"INSERT INTO {META_SCHEMA}.import_info VALUES (?, ?)", list(info.items()))
            conn.execute("CHECKPOINT")
        finally:
            conn.close()
        os.replace(partial, destination)
        wal = partial.with_name(partial.name + ".wal")
        if wal.exists():
            wal.unlink()
        if progress is not None:
            progress("done", total, total)
        return ImportReport(destination, snapshot, snapshot_from, studies, len(done))


def _open_partial(partial: Path, key: str) -> duckdb.DuckDBPyConnection:
    """The half-built copy of this same zip, or a fresh one (a stale or broken partial is discarded)."""
    if partial.exists():
        try:
            conn = duckdb.connect(str(partial))
            row = conn.execute(f"SELECT value FROM {META_SCHEMA}.import_info WHERE key = 'source_key'").fetchone()
            if row is not None and row[0] == key:
                return conn
            conn.close()
        except duckdb.Error:
            pass
        partial.unlink()
        wal = partial.with_name(partial.name + ".wal")
        if wal.exists():
            wal.unlink()
    conn = duckdb.connect(str(partial))
    conn.execute(f"CREATE SCHEMA {SCHEMA}")
    conn.execute(f"CREATE SCHEMA {META_SCHEMA}")
    conn.execute(f"CREATE TABLE {META_SCHEMA}.import_info (key VARCHAR, value VARCHAR)")
    conn.execute(f"CREATE TABLE {META_SCHEMA}.import_state (table_name VARCHAR)")
    conn.execute(f"INSERT INTO {META_SCHEMA}.import_info VALUES ('source_key', ?)", [key])
    return conn


def _header(zip_path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    with archive.open(info) as raw:
        line = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="").readline()
    return next(csv.reader([line], delimiter="|", quotechar='"'), [])


def _import_table(
    conn: duckdb.DuckDBPyConnection,
    zip_path: Path,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    table: str,
    partial: Path,
    reached: int,
    total: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    """Extract one member (checking its CRC), load the kept columns, return the new byte position."""
    try:
        header = _header(zip_path, archive, info)
    except _UNREADABLE as exc:
        raise _fail(zip_path, info.filename, f"cannot be read (corrupt or partial download: {exc})") from None
    wanted = TABLES[table]
    lacking = [name for name, _ in wanted if name not in header]
    if lacking:
        raise _fail(
            zip_path,
            info.filename,
            f"has no column {', '.join(lacking)}: an AACT export older or newer than this version reads",
        )
    scratch = partial.with_name(f"{partial.name}.{table}.txt")
    try:
        with archive.open(info) as source, scratch.open("wb") as out:
            while chunk := source.read(CHUNK):
                out.write(chunk)
                reached += len(chunk)
                if progress is not None:
                    progress(table, min(reached, total), total)
                if cancelled is not None and cancelled():
                    raise ImportCancelled(f"import stopped while reading {table}; run it again to resume")
    except _UNREADABLE as exc:
        scratch.unlink(missing_ok=True)
        raise _fail(zip_path, info.filename, f"is corrupt or cut short ({exc}); the previous copy is kept") from None
    except ImportCancelled:
        scratch.unlink(missing_ok=True)
        raise
    select = ", ".join(f'TRY_CAST("{name}" AS {kind.value}) AS {name}' for name, kind in wanted)
    order = "nct_id, id" if any(name == "id" for name, _ in wanted) else "nct_id"
    try:
        conn.execute(
            f"CREATE OR REPLACE TABLE {SCHEMA}.{table} AS SELECT {select} FROM read_csv(?, delim = '|', "
            "header = true, quote = '\"', escape = '\"', all_varchar = true, null_padding = true, "
            f"parallel = false) ORDER BY {order}",
            [str(scratch)],
        )
    except duckdb.Error as exc:
        raise _fail(
            zip_path, info.filename, f"is not a readable pipe-delimited table ({str(exc).splitlines()[0]})"
        ) from None
    finally:
        scratch.unlink(missing_ok=True)
    return reached

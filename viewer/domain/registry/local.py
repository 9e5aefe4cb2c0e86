"""The embedded local copy of AACT: one DuckDB file built by ``drug-viewer registry import``.

DuckDB because the registry questions are analytical (scan every intervention name for a substring,
count studies per drug) and DuckDB answers them on a laptop in milliseconds from a single file, with no
server to run, and it reads AACT's pipe-delimited export directly. The tables keep AACT's names and the
``ctgov`` schema, so the same SQL runs here and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from viewer.domain.registry.schema import DRUG_TOTALS, META_SCHEMA
from viewer.domain.registry.source import RegistrySource

BATCH = 5000


def duck_sql(sql: str) -> str:
    """psycopg's '%s' placeholders as DuckDB's '?'; the shared SQL has no other percent sign."""
    return sql.replace("%s", "?")


class LocalRegistry(RegistrySource):
    def __init__(self, path: Path) -> None:
        self.label = str(path)
        self.path = path
        if not path.is_file():
            raise self.error("no local AACT copy here; build one with `drug-viewer registry import AACT_FLATFILES.zip`")
        try:
            self.conn = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise self.error(f"is not a usable local AACT copy ({str(exc).splitlines()[0]})") from None
        ready = False
        try:
            self.check_schema()
            rows = self._rows(f"SELECT value FROM {META_SCHEMA}.import_info WHERE key = %s", ["snapshot"])
            # a copy built before the search tables existed still searches, through the AACT tables
            self.prepared = bool(
                self._rows(
                    "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
                    DRUG_TOTALS.split("."),
                )
            )
            ready = True
        except duckdb.Error as exc:
            raise self.error(f"is not a complete local AACT copy ({str(exc).splitlines()[0]})") from None
        finally:
            if not ready:  # a refused schema or a bug: close the copy, let the error travel on
                self.conn.close()
        self._snapshot = str(rows[0][0]) if rows else "date unknown"

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        return self.conn.execute(duck_sql(sql), list(params)).fetchall()

    def _stream(self, sql: str, params: Sequence[object]) -> Iterator[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            cur.execute(duck_sql(sql), list(params))
            while batch := cur.fetchmany(BATCH):
                yield from batch
        finally:
            cur.close()

    def snapshot(self) -> str:
        return self._snapshot

    def interrupt(self) -> None:
        """Stop the running query (from another thread); the read then fails and is discarded."""
        self.conn.interrupt()

    def close(self) -> None:
        self.conn.close()

"""AACT on PostgreSQL through psycopg 3: the public AACT server or a local restore of its snapshot.

Connection: a ``postgresql://`` URL, or the standard ``PG*`` variables and ``~/.pgpass`` (libpq reads
them whenever the URL leaves a part out). The session is read-only (``default_transaction_read_only``
and read-only transactions), every statement has a timeout, and large reads go through a server-side
cursor. A password never reaches a label, a message or a log: the label is rebuilt from the connection
without it, and libpq's own messages never contain it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import count
from typing import Any

import psycopg
from psycopg import errors

from viewer.domain.errors import DataError
from viewer.domain.registry.location import connect_rule, redact
from viewer.domain.registry.pgprepare import INFO, SNAPSHOT_SQL, snapshot_text
from viewer.domain.registry.schema import DRUG_TOTALS, SCHEMA
from viewer.domain.registry.source import RegistrySource

_CURSORS = count(1)
_BATCH = 5000


class PostgresRegistry(RegistrySource):
    def __init__(self, url: str, *, timeout_s: float = 15.0) -> None:
        self.label = redact(url)
        self.timeout_s = timeout_s
        self._snapshot: str | None = None
        try:
            self.conn = psycopg.connect(
                url,
                connect_timeout=max(2, round(timeout_s)),
                autocommit=True,
                application_name="drug-viewer",
            )
        except psycopg.Error as exc:
            raise self._connect_error(exc) from None
        info = self.conn.info
        self.label = f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}"
        ready = False
        try:
            with self._translated():
                millis = str(max(1, round(timeout_s * 1000)))
                self.conn.execute("SELECT set_config('statement_timeout', %s, false)", [millis])
                self.conn.execute("SELECT set_config('default_transaction_read_only', 'on', false)")
                # a server-side cursor is planned for its first 10% of rows by default: for "WHERE nct_id =
                # ANY(...) ORDER BY id" that walked the whole primary key (10x slower at 500,000 studies);
                # every cursor here is read to its end
                self.conn.execute("SELECT set_config('cursor_tuple_fraction', '1', false)")
            self.conn.autocommit = False
            self.conn.read_only = True
            self.check_schema()
            self.prepared = self._search_tables_current()
            ready = True
        finally:
            if not ready:  # a refused schema or a bug: close the connection, let the error travel on
                self.conn.close()

    def _connect_error(self, exc: psycopg.Error) -> DataError:
        return self.error(connect_rule(exc, self.timeout_s))

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """psycopg's failures in words a user can act on; the transaction is always ended."""
        try:
            yield
        except errors.QueryCanceled:
            self._rollback()
            raise self.error(
                f"the server did not answer within {self.timeout_s:g} s (statement timeout); nothing was loaded"
            ) from None
        except errors.InsufficientPrivilege:
            self._rollback()
            raise self.error(f"this user may not read the {SCHEMA} tables") from None
        except psycopg.OperationalError as exc:
            self._rollback()
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise self.error(
                f"the connection to the server was lost ({detail}); nothing from this read was kept"
            ) from None

    def _rollback(self) -> None:
        """End the transaction; a connection the server dropped is closed for good (later use says so)."""
        if self.conn.broken:
            self.conn.close()
            return
        try:
            if not self.conn.closed:
                self.conn.rollback()
        except psycopg.Error:
            self.conn.close()

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._translated():
            try:
                with self.conn.cursor() as cur:
                    cur.execute(sql, list(params))  # composed here; user text only as params
                    return list(cur.fetchall())
            finally:
                self._rollback()

    def _stream(self, sql: str, params: Sequence[object]) -> Iterator[tuple[Any, ...]]:
        with self._translated():
            cur = self.conn.cursor(name=f"drug_viewer_{next(_CURSORS)}")
            try:
                cur.itersize = _BATCH
                cur.execute(sql, list(params))
                yield from cur
            finally:
                if self.conn.broken:
                    self.conn.close()  # a closed connection lets the cursor close without a round trip
                try:
                    cur.close()
                except psycopg.Error:
                    self.conn.close()
                    cur.close()
                self._rollback()

    def _search_tables_current(self) -> bool:
        """Whether ``registry prepare`` built the search tables (pgprepare.py) from this very snapshot."""
        rows = self._rows("SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL", [DRUG_TOTALS, INFO])
        if not rows or not rows[0][0]:
            return False
        built = self._rows(f"SELECT value FROM {INFO} WHERE key = 'snapshot'", [])
        return bool(built) and built[0][0] == self.snapshot()

    def snapshot(self) -> str:
        """AACT reloads every study daily; the newest ``studies.updated_at`` dates this copy."""
        if self._snapshot is None:
            rows = self._rows(SNAPSHOT_SQL, [])
            self._snapshot = snapshot_text(rows[0][0] if rows else None)
        return self._snapshot

    def interrupt(self) -> None:
        """Ask the server to stop the running statement (from another thread); the read then fails."""
        if not self.conn.closed:
            self.conn.cancel_safe(timeout=2.0)

    def close(self) -> None:
        self.conn.close()

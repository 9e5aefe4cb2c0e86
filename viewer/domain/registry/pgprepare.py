"""The local copy's search tables on a PostgreSQL restore of AACT (``drug-viewer registry prepare URL``).

Over AACT's own tables the drug search scans three of them and de-duplicates every (study, drug) pair on
each keystroke: at 500,000 studies the first letter took 1.9 s and the window's whole keystroke (drug
counts, newest studies, match count) 8.9 to 19 s on PostgreSQL (``bench/REGISTRY.md``). A database the
user may write to (a local restore of AACT's snapshot) can keep the same search tables as the local copy
(:mod:`viewer.domain.registry.prepared`, the same statements) in the ``drug_viewer`` schema, with btree
indexes on term and drug, and the snapshot they were built from. The search uses them only while that
snapshot is the database's own (AACT reloads daily: tables of an older snapshot would miss studies), and
AACT's public server, which is read-only, keeps the search over its own tables.

Everything is built in one transaction: a failure or a refusal leaves the tables as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import errors

from viewer.domain.errors import DataError
from viewer.domain.registry.location import connect_rule, redact
from viewer.domain.registry.prepared import BUILD
from viewer.domain.registry.schema import DRUG_TERMS, DRUG_TOTALS, META_SCHEMA, SCHEMA, SEARCH_TERMS

INFO = f"{META_SCHEMA}.import_info"  # (key, value): 'snapshot', as in the local copy
# DuckDB skips row groups of other terms in the table sorted by term; PostgreSQL needs indexes for that.
# The window asks for studies with results (13% of the rows): read from the covering index alone (an
# index-only scan once VACUUM has set the visibility map), the first letter's rows took 30 ms, not 275 ms.
INDEXES = (
    f"CREATE INDEX ON {SEARCH_TERMS} (term)",
    f"CREATE INDEX ON {SEARCH_TERMS} (drug)",
    f"CREATE INDEX ON {SEARCH_TERMS} (results, term) INCLUDE (nct_id)",
    f"CREATE INDEX ON {DRUG_TOTALS} (drug)",
)
SNAPSHOT_SQL = f"SELECT max(updated_at) FROM {SCHEMA}.studies"


@dataclass(frozen=True, slots=True)
class PrepareReport:
    label: str  # the database, without a password
    snapshot: str  # the AACT snapshot the tables were built from
    terms: int  # rows of the search table: (study, drug, term)


def snapshot_text(value: object) -> str:
    """``max(studies.updated_at)`` as the ISO date the registry shows ('date unknown' when empty)."""
    date = getattr(value, "date", None)
    return date().isoformat() if callable(date) else "date unknown"


def prepare_postgres(url: str) -> PrepareReport:
    """Build (or rebuild) the search tables in the database at ``url``; DataError when it cannot."""
    label = redact(url)
    try:
        conn = psycopg.connect(url, autocommit=True, application_name="drug-viewer")
    except psycopg.Error as exc:  # refused or unreachable: the same words as any registry connection
        raise _error(label, connect_rule(exc, None)) from None
    try:
        with conn:
            label = f"postgresql://{conn.info.user}@{conn.info.host}:{conn.info.port}/{conn.info.dbname}"
            with conn.transaction():
                conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}")
                for statement in (*BUILD, *INDEXES):
                    conn.execute(statement)  # composed here from constants
                conn.execute(f"CREATE TABLE IF NOT EXISTS {INFO} (key VARCHAR, value VARCHAR)")
                conn.execute(f"DELETE FROM {INFO} WHERE key = 'snapshot'")
                row = conn.execute(SNAPSHOT_SQL).fetchone()
                snapshot = snapshot_text(row[0] if row else None)
                conn.execute(f"INSERT INTO {INFO} VALUES ('snapshot', %s)", [snapshot])
                counted = conn.execute(f"SELECT count(*) FROM {SEARCH_TERMS}").fetchone()
            # outside the transaction (VACUUM cannot run in one): statistics, and the visibility map that
            # lets the covering index answer alone
            for table in (SEARCH_TERMS, DRUG_TERMS, DRUG_TOTALS):
                conn.execute(f"VACUUM ANALYZE {table}")
    except errors.InsufficientPrivilege:
        raise _error(label, "this user may not create tables here (AACT's public server is read-only)") from None
    except errors.UndefinedTable as exc:
        raise _error(label, f"not an AACT database ({str(exc).splitlines()[0]})") from None
    except psycopg.OperationalError as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise _error(label, f"cannot build the search tables: {detail}") from None
    return PrepareReport(label, snapshot, int(counted[0]) if counted else 0)


def _error(label: str, rule: str) -> DataError:
    return DataError.single(label, "", "", rule)

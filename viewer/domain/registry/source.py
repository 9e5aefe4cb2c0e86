"""One registry interface over two engines: AACT on PostgreSQL, or the embedded local copy (DuckDB).

Both run the same SQL (``search.py``, ``read_sql``); an engine only supplies a connection, the way it
streams rows and the way it words its own failures. Every failure a user can cause or meet (wrong
credentials, a server that is down or slow, a schema this reader does not know, a connection dropped
mid-read, a missing or broken local copy) leaves as a ``DataError`` that names the registry without any
password, and nothing loaded before is touched: a Dataset is returned only when a read completed.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError, Problem
from viewer.domain.model import Dataset
from viewer.domain.readers.ctgov.build import build_dataset, combine
from viewer.domain.readers.fields import is_nct
from viewer.domain.registry import prepared as search_tables
from viewer.domain.registry.location import dataset_path
from viewer.domain.registry.rows import Row, record_from_rows, stamp_provenance
from viewer.domain.registry.schema import SCHEMA, TABLES, columns, missing_columns
from viewer.domain.registry.search import (
    MAX_STUDIES,
    DrugHit,
    SearchQuery,
    StudyHit,
    count_sql,
    drugs_sql,
    studies_sql,
)


class RegistrySource(ABC):
    """Search the registry and bring chosen studies in as Datasets, through the file readers' rules."""

    #: how the user named it, with no password: 'postgresql://reader@host:5432/aact' or a file path
    label: str
    #: whether searches read the search tables (prepared.py: the local copy builds them at import, a
    #: PostgreSQL restore by `registry prepare`, used only while they are of its snapshot)
    prepared: bool = False

    # engine parts

    @abstractmethod
    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """All rows of a small query (search, schema check)."""

    @abstractmethod
    def _stream(self, sql: str, params: Sequence[object]) -> Iterator[tuple[Any, ...]]:
        """Rows of a large read, fetched in batches (a server-side cursor on PostgreSQL)."""

    @abstractmethod
    def snapshot(self) -> str:
        """The date of the registry copy, as ISO text ('2026-12-01'), or 'date unknown'."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def interrupt(self) -> None:
        """Stop the statement running on another thread (the window's Cancel); that read then fails."""

    def __enter__(self) -> RegistrySource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def error(self, rule: str, field: str = "") -> DataError:
        return DataError([Problem(self.label, "", field, rule)])

    # shared behaviour

    def check_schema(self) -> None:
        """Refuse a database whose ctgov tables lack a column this reader uses (older or newer AACT)."""
        rows = self._rows(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s",
            [SCHEMA],
        )
        present: dict[str, set[str]] = {}
        for table, column in rows:
            present.setdefault(str(table), set()).add(str(column))
        if not present:
            raise self.error(f"has no '{SCHEMA}' schema: not an AACT database (or the user may not read it)")
        missing = missing_columns(present)
        if missing:
            shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
            raise self.error(
                f"AACT schema differs from the one this version reads (older or newer AACT): missing {shown}"
            )

    def search_drugs(self, query: SearchQuery) -> list[DrugHit]:
        fast = self.prepared and search_tables.applies(query)
        sql, params = search_tables.drugs_sql(query) if fast else drugs_sql(query, self.prepared)
        return [DrugHit(str(name), int(count)) for name, count in self._rows(sql, params)]

    def search_studies(self, query: SearchQuery) -> list[StudyHit]:
        fast = self.prepared and search_tables.applies(query)
        sql, params = search_tables.studies_sql(query) if fast else studies_sql(query, self.prepared)
        return [
            StudyHit(str(nct), str(title or ""), str(phase or ""), str(status or ""), posted, enrol)
            for nct, title, phase, status, posted, enrol in self._rows(sql, params)
        ]

    def count_studies(self, query: SearchQuery) -> int:
        """How many studies match (the lists show at most ``query.limit``; the window says so)."""
        fast = self.prepared and search_tables.applies(query)
        sql, params = search_tables.count_sql(query) if fast else count_sql(query, self.prepared)
        rows = self._rows(sql, params)
        return int(rows[0][0]) if rows else 0

    def select(
        self,
        ncts: Sequence[str] = (),
        drugs: Sequence[str] = (),
        conditions: Sequence[str] = (),
        capped: list[str] | None = None,
    ) -> list[str]:
        """NCT ids for --nct / --drug / --condition: named ones as given, the rest studies with results.

        Each drug and condition brings at most :data:`MAX_STUDIES` studies, the newest; when one matches
        more, a sentence saying so is appended to ``capped`` (the command line prints it)."""
        chosen = [n.strip().upper() for n in ncts]
        bad = [n for n in chosen if not is_nct(n)]
        if bad:
            raise self.error(f"not an NCT id: {', '.join(bad)} (expected NCT followed by 8 digits)", "--nct")
        if drugs or conditions:
            for drug in drugs or [""]:
                for condition in conditions or [""]:
                    q = SearchQuery(text=drug, condition=condition, has_results=True, limit=MAX_STUDIES)
                    found = [s.nct for s in self.search_studies(q)]
                    chosen += found
                    if len(found) == MAX_STUDIES and capped is not None:
                        matching = self.count_studies(q)
                        if matching > MAX_STUDIES:
                            what = " and ".join(
                                f"{k} {v!r}" for k, v in (("drug", drug), ("condition", condition)) if v
                            )
                            capped.append(
                                f"{what} matches {matching:,} studies with results: the newest {MAX_STUDIES} are used "
                                f"(at most {MAX_STUDIES} per drug or condition); name studies with --nct for others"
                            )
        return list(dict.fromkeys(chosen))

    def read_rows(self, ncts: Sequence[str]) -> dict[str, dict[str, list[Row]]]:
        """table -> rows for each study, every table read in AACT id order."""
        out: dict[str, dict[str, list[Row]]] = {n: {t: [] for t in TABLES} for n in ncts}
        for table in TABLES:
            cols = columns(table)
            order = "id" if "id" in cols else "nct_id"
            # one array parameter, not one per study: both engines plan it once, whatever the selection size
            sql = f"SELECT {', '.join(cols)} FROM {SCHEMA}.{table} WHERE nct_id = ANY(%s) ORDER BY {order}"
            for values in self._stream(sql, [list(ncts)]):
                row = dict(zip(cols, values, strict=True))
                out[str(row["nct_id"])][table].append(row)
        return out

    def load(self, ncts: Sequence[str], catalog: Catalog | None) -> Dataset:
        """The chosen studies as one Dataset; only these studies' rows are ever held in memory."""
        if not ncts:
            raise self.error("no study selected (give --nct, --drug or --condition)")
        snapshot = self.snapshot()
        rows = self.read_rows(ncts)
        parts: list[Dataset] = []
        problems: list[Problem] = []
        file = f"AACT {snapshot}"
        for nct in ncts:
            study = rows[nct]
            if not study["studies"]:
                problems.append(Problem(self.label, nct, "nct_id", "no such study in this AACT copy"))
                continue
            if not study["outcomes"] and not study["reported_events"]:
                problems.append(Problem(self.label, nct, "outcomes", f"{nct} has no posted results in AACT"))
                continue
            record, index = record_from_rows(nct, study, file)
            label = f"ClinicalTrials.gov {nct} (AACT {snapshot})"
            try:
                dataset = build_dataset(record, catalog, label, Path(self.label))
            except DataError as exc:
                problems.extend(exc.problems)
                continue
            parts.append(dataclasses.replace(stamp_provenance(dataset, index, snapshot), path=dataset_path(self.label)))
        if not parts:
            raise DataError(problems)
        if len(parts) == 1 and not problems:
            return parts[0]
        skipped = [f"{p} (study not imported)" for p in problems]
        combined = combine(
            f"AACT {self.label} ({len(parts)} studies, snapshot {snapshot})", Path(self.label), parts, skipped
        )
        return dataclasses.replace(combined, path=dataset_path(self.label))

"""Compact record tables: the same records out as went in, made when read, and a catalog reads them in place.

Issue 17: a registry study's adverse events and results are held as dictionary-encoded columns
(``viewer.domain.compact``); every consumer must see the same figures, value for value and object for
object, and the catalog must not rebuild every row as an object when it merges the study.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from viewer.domain import sliced
from viewer.domain.catalog import Catalog
from viewer.domain.compact import NESTED, RecordChain, RecordTable, TableBuilder, chained
from viewer.domain.model import AdverseEvent, EvidenceLevel, Result
from viewer.domain.readers import load_path

DATA = Path(__file__).resolve().parent.parent / "data" / "ctgov"
CZP = DATA / "NCT02552212_ctgov_v2.json"  # 5 arms, 25 results, 235 adverse-event rows


@dataclass(frozen=True, slots=True)
class Part:
    group: str
    value: str


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    count: int | float | bool | None
    share: float | None = None
    part: Part | None = None


def _rows() -> list[Row]:
    title = "".join(["Week ", "12"])  # a string made at run time, not a shared constant
    return [
        Row(title, 1, 0.0),
        Row("Week 12", 1.0, -0.0),  # equal to the first row's values, printed otherwise
        Row(title, True, float("nan")),
        Row("Week 24", None, 2.5, Part("OG000", "12")),
        Row("Week 24", 0),
    ]


def test_each_record_is_equal_to_the_one_put_in_and_prints_the_same() -> None:
    rows = _rows()
    table = RecordTable.of(Row, rows)
    assert len(table) == len(rows)
    for got, put in zip(table, rows, strict=True):
        assert repr(got) == repr(put)  # 1, 1.0 and True stay apart; -0.0 stays -0.0
        assert type(got.count) is type(put.count)
    assert [repr(table[i]) for i in range(-len(rows), 0)] == [repr(r) for r in rows]
    assert table[3].part is rows[3].part  # the value objects that went in, not copies
    with pytest.raises(IndexError):
        table[len(rows)]


def test_a_table_compares_and_hashes_as_the_tuple_of_its_records() -> None:
    rows = [r for r in _rows() if r.share == r.share]  # nan is never equal to itself
    table = RecordTable.of(Row, rows)
    assert table == tuple(rows)
    assert tuple(rows) == table
    assert hash(table) == hash(tuple(rows))
    assert table != tuple(rows[:-1])
    assert table[1:3] == tuple(rows[1:3])
    assert table.column("name") == [r.name for r in rows]
    assert table.column("part") == [r.part for r in rows]


def test_a_field_with_one_value_is_held_once_and_many_records_as_a_table() -> None:
    parts = [Part(f"OG{k:03d}", str(k)) for k in range(NESTED + 1)]
    rows = [Row("same", k, None, part) for k, part in enumerate(parts)]
    builder = TableBuilder(Row)
    for r in rows:
        builder.add(name=r.name, count=r.count, part=r.part)  # ``share`` takes its default
    table = builder.table()
    assert list(table) == rows
    assert len({id(r.name) for r in table}) == 1
    assert table.column("share") == [None] * len(rows)
    assert [r.part for r in table] == parts  # made from the nested table when read, equal by value


def test_a_chain_reads_its_parts_in_place_in_order() -> None:
    rows = _rows()
    first = RecordTable.of(Row, rows[:2])
    middle = (rows[2],)
    last = RecordTable.of(Row, rows[3:])
    joined = chained([first, (), middle, last])
    assert isinstance(joined, RecordChain)
    assert [repr(joined[i]) for i in range(len(rows))] == [repr(r) for r in rows]
    assert [repr(r) for r in joined] == [repr(r) for r in rows]
    assert repr(joined[-1]) == repr(rows[-1])
    assert [repr(v) for v in joined.column("count")] == [repr(r.count) for r in rows]
    assert sliced.attribute(joined, "part") == [r.part for r in rows]  # read from the codes, as columns do
    with pytest.raises(IndexError):
        joined[len(rows)]
    assert chained([tuple(rows[:2]), tuple(rows[2:])]) == tuple(rows)
    assert isinstance(chained([tuple(rows[:2]), tuple(rows[2:])]), tuple)  # no table: a tuple, as before


def _kept(make: Callable[[], object]) -> tuple[int, object]:
    """Heap kept by what ``make`` returns, after a collection (as bench/core_measure.registry_memory)."""
    gc.collect()
    tracemalloc.start()
    try:
        made = make()
        gc.collect()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return kept, made


def test_a_registry_study_keeps_its_figures_as_tables_and_the_catalog_reads_them_in_place() -> None:
    load_path(CZP, None)  # imports and caches are not the study's
    kept, ds = _kept(lambda: load_path(CZP, None))
    assert isinstance(ds.adverse_events, RecordTable) and isinstance(ds.results, RecordTable)
    assert len(ds.adverse_events) == 235 and len(ds.results) == 25
    assert kept < 45_000  # 196 KB with a provenance line per figure, 74 KB with an object per figure
    own = {id(o) for o in ds.outcomes}  # a result's provenance names the dataset's Outcome, not a copy
    assert all(id(getattr(r.cited, "outcome", None)) in own for r in ds.results)

    merged, catalog = _kept(lambda: Catalog.from_datasets([ds]))
    assert isinstance(catalog, Catalog)
    assert catalog.adverse_events == ds.adverse_events and catalog.results == ds.results
    assert merged < 8_000  # 235 AdverseEvent objects alone would be 34 KB
    every = list(catalog.adverse_events)
    columns = catalog.columns.adverse_events  # built from the codes: the same counts as the records hold
    assert columns.count.tolist() == [float("nan") if e.affected is None else e.affected for e in every]
    assert all(isinstance(e, AdverseEvent) and e.level is EvidenceLevel.VERIFIED for e in every)
    assert catalog.adverse_events_of(ds.trials[0].id) == tuple(every)
    assert all(isinstance(r, Result) for r in catalog.results_of(ds.trials[0].id))

"""Compact record tables: the same records out as went in, made when read, and a catalog reads them in place.

Issue 17: a registry study's adverse events and results are held as dictionary-encoded columns
(``viewer.domain.compact``); every consumer must see the same figures, value for value and object for
object, and the catalog must not rebuild every row as an object when it merges the study.
"""

from __future__ import annotations

import ast
import dataclasses
import gc
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from viewer.domain import sliced
from viewer.domain.catalog import Catalog
from viewer.domain.compact import NESTED, RecordChain, RecordTable, TableBuilder, chained
from viewer.domain.model import KEPT_OUT, AdverseEvent, EvidenceLevel, Result
from viewer.domain.readers import load_path
from viewer.domain.sequences import Floats, Texts

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "ctgov"
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


@pytest.mark.parametrize(
    "names",
    [
        ["Anaemia (serious)", "Nausea", "", "Week 12"],  # ASCII, one empty
        ["Sjögren's syndrome", "Erythème", "Nausea"],  # Latin-1: one byte a character
        ["Week 12 — Score 0 (clear)", "Ω", "😀 rash", "Nausea"],  # beyond Latin-1: held as UTF-8
        [f"resultsSection.outcomeMeasuresModule.outcomeMeasures[{k}]" for k in (0, 1, 12, 103)],  # shared ends
        [f"clinical_study/clinical_results/outcome_list/outcome[{k}]/measure" for k in ("", "2", "12")],  # only ends
        ["ab" * 60, "ab" * 50, "ab" * 55],  # the shared end may not overlap the shared beginning of the shortest
        ["x" * 200, "Nausea", "y" * 100],  # ends past 255: an array, not bytes
    ],
)
def test_a_text_field_is_held_as_one_text_and_read_back_exactly(names: list[str]) -> None:
    rows = [Row(name, k) for k, name in enumerate(names * 2)]
    table = RecordTable.of(Row, rows, text=("name",))
    (kept,) = [values for _k, values, field in table._varying if field == "name"]
    assert isinstance(kept, Texts) and len(kept) == len(names)
    assert list(table) == rows and [table[i] for i in range(len(rows))] == rows
    assert table.column("name") == [r.name for r in rows]
    assert kept.strings() == names and list(kept) == names
    plain = RecordTable.of(Row, rows)  # not named as text: the very strings that went in
    assert all(got.name is put.name for got, put in zip(plain, rows, strict=True))


def test_a_text_field_of_two_strings_keeps_the_very_strings() -> None:
    """Two strings cost less as a tuple than as a text and its ends (and a group id or unit the record
    shares with its other figures is not copied)."""
    shared = ["".join(["OG00", str(k)]) for k in range(2)]
    rows = [Row(shared[k % 2], k) for k in range(6)]
    table = RecordTable.of(Row, rows, text=("name",))
    assert list(table) == rows and all(got.name is put.name for got, put in zip(table, rows, strict=True))


def test_numbers_with_a_fraction_are_held_as_doubles_and_read_back_bit_for_bit() -> None:
    shares = [0.1, None, -0.0, 0.0, float("nan"), 2.5, 1e300, 5e-324]
    rows = [Row("x", k, share) for k, share in enumerate(shares)]
    table = RecordTable.of(Row, rows)
    (kept,) = [values for _k, values, field in table._varying if field == "share"]
    assert isinstance(kept, Floats)
    assert [repr(r) for r in table] == [repr(r) for r in rows]
    assert [repr(table[i]) for i in range(len(rows))] == [repr(r) for r in rows]
    assert [repr(v) for v in table.column("share")] == [repr(v) for v in shares]
    assert [type(v) for v in table.column("count")] == [int] * len(rows)  # whole numbers stay ints


def test_a_column_replaced_gives_the_table_of_the_replaced_records_and_shares_the_rest() -> None:
    rows = [Row(f"term {k % 3}", k, k / 7, None) for k in range(40)]
    parts = [Part(f"OG{k % 5:03d}", str(k)) for k in range(40)]
    table = RecordTable.of(Row, rows, text=("name",))
    replaced = table.with_column("part", parts)
    assert list(replaced) == [dataclasses.replace(r, part=p) for r, p in zip(rows, parts, strict=True)]
    assert replaced.column("name") == table.column("name") and replaced.column("share") == table.column("share")
    assert [k for k, _v, _n in replaced._varying] == sorted(k for k, _v, _n in replaced._varying)
    assert list(table.with_column("count", [7] * 40)) == [dataclasses.replace(r, count=7) for r in rows]
    with pytest.raises(ValueError, match="39 values for a table of 40 rows"):
        table.with_column("part", parts[1:])


def test_a_field_is_handed_over_coded_and_an_empty_table_names_no_value() -> None:
    rows = _rows()
    table = RecordTable.of(Row, rows)
    values, codes = table.coded("name")
    assert [values[c] for c in codes] == [r.name for r in rows] and len(values) == 2
    values, codes = RecordTable.of(Row, [Row("same", 1)] * 3).coded("name")
    assert list(values) == ["same"] and list(codes) == [0, 0, 0]
    values, codes = RecordTable.of(Row, []).coded("count")
    assert list(values) == [] and list(codes) == []  # not [None]: a column converts every value it is given


def test_a_table_of_a_readers_codes_reads_pickles_and_is_replaced_as_one_it_packed_itself() -> None:
    """``from_codes`` packs a columnar reader's numpy codes in numpy's memory (numpy copies them without the
    interpreter lock): its records, columns, pickled copy (the shipped catalog's cache) and a column
    replaced are those of the table built row by row from the same records."""
    import pickle

    import numpy as np

    rows = [Row(f"term {k % 3}", k % 300, None, None) for k in range(1000)]
    values = [[f"term {k}" for k in range(3)], list(range(300)), [None], [None]]
    codes = [np.arange(1000) % 3, (np.arange(1000) % 300).astype(np.int32), np.zeros(1000), np.zeros(1000)]
    table = RecordTable.from_codes(Row, values, codes)
    assert list(table) == rows and table[299] == rows[299]
    assert table.column("count") == [r.count for r in rows]
    assert list(table.coded("name")[1]) == [k % 3 for k in range(1000)]
    copied = pickle.loads(pickle.dumps(table))
    assert list(copied) == rows and copied.column("name") == [r.name for r in rows]
    assert list(table.with_column("share", [0.5] * 1000)) == [dataclasses.replace(r, share=0.5) for r in rows]


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
    ds = load_path(CZP, None)
    assert isinstance(ds.adverse_events, RecordTable) and isinstance(ds.results, RecordTable)
    assert len(ds.adverse_events) == 235 and len(ds.results) == 25
    # in a fresh interpreter, as the bench measures: after other tests re's cache is full and every pattern
    # the reader compiles replaces one (kilobytes that are not the study's)
    measure = "from bench.core_measure import registry_memory; print(registry_memory())"
    found = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, check=True, cwd=ROOT)
    kept = {r["record"]: r["kept_kb"] for r in ast.literal_eval(found.stdout)}
    assert kept[CZP.name] < 23.5  # 196 KB with a provenance line per figure, 74 KB with an object per figure, 34
    # KB with a string object per term, note and kept-out outcome's title and place, 25 with a tuple per coded
    # column and per analysis's groups, 23 since; 22.3 with the event columns its term or group decides held by
    # them. Outcome ids made when read from the measure, class and category they join: 20.2 -> 13.1, 22.9 -> 19.7
    assert kept["NCT03064438.json"] < 15 and kept["NCT01207388.xml"] < 21
    assert isinstance(ds.excluded_outcomes, RecordTable) and len(ds.excluded_outcomes) == 23
    assert sum(KEPT_OUT in line for line in ds.skipped) == 23  # each kept-out line written from its row
    own = {id(o.measure) for o in ds.outcomes}  # a result's provenance names the outcome's measure, not a copy
    assert all(id(getattr(r.cited, "measure", None)) in own for r in ds.results)

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

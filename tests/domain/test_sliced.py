"""The sliced C loops give exactly what the one-call loops they replace give: same values, same order, same
codes, same lines, same errors (the slices are made tiny here so that every boundary case is crossed)."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

import numpy as np
import pytest

from viewer.domain import sliced
from viewer.domain.columns import CatalogColumns
from viewer.domain.errors import DataError
from viewer.domain.model import Origin
from viewer.domain.readers.guard import decode
from viewer.paths import shipped_datasets
from viewer.session import Session


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sliced, "SLICE", 7)
    monkeypatch.setattr(sliced, "TEXT_SLICE", 5)


@dataclass
class Record:
    name: str


def test_the_sliced_loops_match_the_whole_loops(tiny: None) -> None:
    rng = random.Random(17)
    values = [rng.choice("abcdefghij") * rng.randint(1, 3) for _ in range(101)]
    assert sliced.attribute((Record(v) for v in values), "name") == values
    assert sliced.first_seen(values) == list(dict.fromkeys(values))
    assert sliced.positions(values[:0]) == {}
    keys = list(dict.fromkeys(values))
    assert sliced.positions(keys) == dict(zip(keys, range(len(keys)), strict=True))
    assert sliced.order(values) == sorted(range(len(values)), key=values.__getitem__)  # stable among equal keys
    table = {v: k for k, v in enumerate(keys)}
    codes = sliced.array(values, lambda part: np.fromiter(map(table.__getitem__, part), np.int32), np.int32)
    assert codes.tolist() == [table[v] for v in values]
    floats = sliced.array([1.5, None, 3.0] * 9, lambda part: np.array(part, np.float64), np.float64)
    assert np.array_equal(floats, np.array([1.5, None, 3.0] * 9, dtype=np.float64), equal_nan=True)
    runs = sorted(values)  # runs of equal values, some crossing a slice's end
    for seq in (runs, values, values[:1], values[:0]):
        assert sliced.changes(seq).tolist() == [k == 0 or seq[k] != seq[k - 1] for k in range(len(seq))]
    indexed: dict[str, Record] = {"kept": Record("kept")}
    records = [Record(v) for v in values]
    sliced.index(records, "name", indexed)
    whole = {r.name: r for r in records}
    assert list(indexed) == ["kept", *whole] and all(indexed[k] is r for k, r in whole.items())  # the last wins
    assert sliced.pick(values, [100, 0, 7, 7, 8]) == [values[100], values[0], values[7], values[7], values[8]]
    assert sliced.equal(values, tuple(values)) and sliced.equal([], ())
    assert not sliced.equal(values, values[:-1]) and not sliced.equal(values, [*values[:-1], "z"])


@pytest.mark.parametrize(
    "text",
    [
        "a,b\nc,d\n",
        "a,b\r\nc,d\r\ne,f",  # Excel's line ends, and no end on the last line
        "a,b\rc,d\re,f\r",  # old Mac line ends
        'a,"multi\nline\r\ncell",b\nc,"x\ry",d\n' * 4,  # line ends inside quoted cells
        "\n\n\nx\n",
        "",
        "no line end at all, and longer than a slice",
    ],
)
def test_the_lines_and_rows_of_a_text_are_those_of_one_string_buffer(tiny: None, text: str) -> None:
    whole = list(io.StringIO(text, newline=""))
    assert list(sliced.lines(text)) == whole
    assert "".join(sliced.lines(text)) == text
    one, parts = csv.reader(io.StringIO(text, newline="")), csv.reader(sliced.lines(text))
    assert list(parts) == list(one)
    assert parts.line_num == one.line_num


def test_decoding_in_slices_gives_the_same_text_and_the_same_error(tiny: None) -> None:
    text = "Placébo, 5 µg — ß\n" * 5
    for encoding in ("utf-8-sig", "utf-16"):
        data = (b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + text.encode(
            "utf-8" if encoding == "utf-8-sig" else "utf-16"
        )
        assert sliced.decode(data, encoding) == text
    broken = text.encode() + b"\xff" + text.encode()
    with pytest.raises(UnicodeDecodeError) as whole:
        broken.decode("utf-8-sig")
    with pytest.raises(UnicodeDecodeError) as parts:
        sliced.decode(broken, "utf-8-sig")
    assert parts.value.start == whole.value.start
    with pytest.raises(DataError) as refused:
        decode("x.csv", broken, what="a CSV table")
    assert refused.value.problems[0].location == f"byte {whole.value.start}"


@pytest.mark.parametrize("slice_size", [3, 1 << 15])
def test_figures_find_their_arm_codes_by_runs_or_by_lookup(monkeypatch: pytest.MonkeyPatch, slice_size: int) -> None:
    """A figure table naming its arms run by run in the arms' order is coded without the id -> code table;
    any other order, a gap or an unknown arm is looked up, with -1 for an arm the catalog lacks."""
    from viewer.domain.columns import ArmColumns, TrialColumns, _Positions

    monkeypatch.setattr(sliced, "SLICE", slice_size)
    session = Session()
    session.load(shipped_datasets(), Origin.CURATED)
    catalog = session.catalog
    arms = ArmColumns.of(catalog.arms, TrialColumns.of(catalog.trials))
    ids = list(catalog.arms)
    in_order = [a for a in ids for _ in range(3)]
    assert arms.codes_of(in_order).tolist() == [k for k in range(len(ids)) for _ in range(3)]
    assert isinstance(arms.code, _Positions) and arms.code._table is None  # no lookup was needed
    shuffled = [*ids[5:], "no such arm", *ids[:5], ids[0], ids[0]]
    assert arms.codes_of(shuffled).tolist() == [ids.index(a) if a in ids else -1 for a in shuffled]
    assert arms.codes_of(ids[1:]).tolist() == list(range(1, len(ids)))  # the first arm has no figure
    assert arms.codes_of([]).tolist() == []
    assert dict(arms.code) == {a: k for k, a in enumerate(ids)}


def test_catalog_columns_built_in_slices_equal_those_built_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session()
    session.load(shipped_datasets(), Origin.CURATED)
    catalog = session.catalog
    whole = CatalogColumns.of(catalog.trials, catalog.arms, catalog.results, catalog.adverse_events)
    monkeypatch.setattr(sliced, "SLICE", 3)
    parts = CatalogColumns.of(catalog.trials, catalog.arms, catalog.results, catalog.adverse_events)
    for table in ("trials", "arms", "results", "adverse_events"):
        a, b = getattr(whole, table), getattr(parts, table)
        for name in a.__slots__:
            x, y = getattr(a, name), getattr(b, name)
            if isinstance(x, np.ndarray):
                assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), (table, name)
            else:
                assert x == y, (table, name)
    assert len(whole.results.trial) == len(catalog.results) > 3

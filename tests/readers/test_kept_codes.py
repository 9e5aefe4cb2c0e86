"""Issue 17, the columnar reader without its copies: the codes of the rows taken are kept as int32 in arrays
grown in place (``columnar.Kept``), and the results reader reads its arms' trial, n and level from the arm
table's codes instead of every arm's value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.generate import generate
from viewer.domain.by_id import ById
from viewer.domain.compact import RecordTable
from viewer.domain.readers import columnar, load_path
from viewer.domain.readers.result_columns import ResultColumns


def test_kept_rows_are_int32_in_order_across_batches_and_growth() -> None:
    kept = columnar.Kept()
    assert len(kept) == 0
    rng = np.random.default_rng(17)
    expected: list[list[int]] = [[], []]
    for size in (3, 0, 2000, 5, 70_000):  # past the first allocation, and the second
        ok = rng.random(size) < 0.8
        numbers, codes = np.arange(size, dtype=np.int64) + 2, rng.integers(0, 1 << 20, size)
        kept.add(ok, [numbers, codes])
        expected[0] += numbers[ok].tolist()
        expected[1] += codes[ok].tolist()
    out = kept.columns()
    assert [column.dtype for column in out] == [np.int32, np.int32]
    assert [column.tolist() for column in out] == expected
    kept.add(np.ones(100_000, dtype=np.bool_), [np.zeros(100_000, dtype=np.int64)] * 2)  # grown after a hand-over
    assert [column.tolist() for column in out] == expected  # the views handed over still read their rows
    assert [column.tolist() for column in kept.columns()] == [row + [0] * 100_000 for row in expected]


def test_room_reserved_for_a_counted_table_is_made_once_and_more_rows_still_grow() -> None:
    """Arrow counts a table's rows before they are read (``Parsed.rows``): the kept columns are made for all
    of them at once, so no batch copies what was kept before it; rows past the count still fit."""
    kept = columnar.Kept()
    kept.reserve(5000)
    kept.add(np.ones(3000, dtype=np.bool_), [np.arange(3000), np.arange(3000) % 7])
    early = kept.columns()
    kept.add(np.arange(2000) % 2 == 0, [np.arange(3000, 5000), np.arange(2000) % 5])
    late = kept.columns()
    assert all(np.shares_memory(a, b) for a, b in zip(early, late, strict=True))  # the same arrays, not copied
    kept.add(np.ones(4000, dtype=np.bool_), [np.arange(5000, 9000), np.zeros(4000, dtype=np.int64)])  # past the room
    numbers, codes = kept.columns()
    assert numbers.tolist() == [*range(3000), *range(3000, 5000, 2), *range(5000, 9000)]
    assert codes.tolist() == [k % 7 for k in range(3000)] + [k % 5 for k in range(0, 2000, 2)] + [0] * 4000
    assert [a.tolist() for a in early] == [list(range(3000)), [k % 7 for k in range(3000)]]  # views still read


def test_a_table_arrow_reads_reserves_its_rows_in_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The results of a table Arrow parses are kept in columns made once for the rows it counted."""
    folder = generate(tmp_path / "gen", trial_count=200)
    monkeypatch.setattr(columnar, "ARROW_BYTES", 0)  # every table is parsed by Arrow
    reserved: list[int] = []
    reserve = columnar.Kept.reserve
    monkeypatch.setattr(columnar.Kept, "reserve", lambda self, rows: reserved.append(rows) or reserve(self, rows))
    dataset = load_path(folder, None)
    assert len(dataset.results) in reserved


def test_the_results_reader_takes_its_arms_codes_from_the_arm_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each arm's trial, n and level as the results reader codes them: from the table's codes, each distinct
    value once (no arm's value read one by one), the codes naming what each arm holds."""
    arms = load_path(generate(tmp_path / "gen", trial_count=50), None).arms
    assert isinstance(arms, RecordTable)
    records = list(arms)

    column = RecordTable.column

    def every_value(self: Any, name: str) -> list[Any]:
        assert name == "id", f"every arm's {name} read"  # (the ids are the values themselves, in order)
        return column(self, name)

    monkeypatch.setattr(RecordTable, "column", every_value)
    columns = ResultColumns(ById([arms]), {"ACR20"}, {"SYN": None})  # type: ignore[dict-item]
    assert columns.arm_ids == [a.id for a in records]
    assert [columns.trials.values[k] for k in columns.arm_trial.tolist()] == [a.trial_id for a in records]
    assert [columns.ns.values[k] for k in columns.arm_n.tolist()] == [a.n for a in records]
    assert [columnar.LEVELS[k] for k in columns.arm_level.tolist()] == [a.level for a in records]

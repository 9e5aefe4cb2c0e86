"""The plain rows of a dataset folder's results.csv read by columns into a compact table of Result.

The common result row is a whole count of responders on its arm's n with nothing to report (a 1,000,000-arm
file is mostly such rows): what it holds is its arm (whose trial, n and level it takes), an outcome, a
timepoint, the count, a source, a level and a note. Here a batch of such rows is judged on columns
(``readers.columnar``) and kept as codes, and the rows end as a :class:`~viewer.domain.compact.RecordTable`
built from the codes: no Result object is made until one is read. Every condition is one the row path
checks and passes (the quick row of ``readers.plain_rows`` was the same list), so both give the same
records; any other row goes through the full checks with its row number, and its Result takes its place in
file order among the table's rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.domain.compact import RecordTable, field_names, value_key
from viewer.domain.model import Arm, Result
from viewer.domain.readers.columnar import (
    BAD,
    FAIL,
    LEVELS,
    Batch,
    BoolArray,
    Coder,
    IdCoder,
    IntArray,
    Kept,
    Sourcing,
    by_id,
    empty,
    level_codes,
    recoded,
    required,
    stripped,
    taker,
    weaker,
)
from viewer.domain.readers.sourcing import SourceKinds

Codes = npt.NDArray[np.integer[Any]]
LARGEST = 1 << 62  # counts at or above this are left to the row path (numpy compares int64)
NAMES = ("trial", "arm", "outcome", "timepoint", "responders", "percent", "n", "source", "level", "note")


def _count(cell: str) -> int:
    """A plain whole count, as the quick row takes it (ASCII digits), within int64; else FAIL."""
    return int(cell) if cell.isascii() and cell.isdigit() and len(cell) < 19 else FAIL


def _arm_n(n: int | None) -> int:
    """An arm's n a result row can rest on (at least 1), within int64; else FAIL."""
    return n if n is not None and 1 <= n < LARGEST else FAIL


class ResultColumns:
    """Reads results.csv's plain rows by columns (:meth:`batch`) and makes their table (:meth:`table`).

    ``arms`` is the dataset's arms by id (the last arm of a repeated id, as the row path looks it up),
    ``outcome_ids`` the outcomes a result may name, ``source_ids`` the sources and their kinds.
    """

    def __init__(self, arms: Mapping[str, Arm], outcome_ids: set[str], source_ids: SourceKinds) -> None:
        arms = by_id(arms)
        self.arm_ids = list(arms)
        self.arm_codes = IdCoder(self.arm_ids)
        self.trials = Coder()  # the arms' trials; a row names its arm's
        self.ns = Coder(_arm_n)
        # each arm's trial, n and level from the arm table's codes: each distinct value coded once, the arms'
        # codes mapped in numpy (a million arms' values read and coded one by one took ~0.8 s, issue 17)
        self.arm_trial = recoded(arms, "trial_id", self.trials)
        self.arm_n = recoded(arms, "n", self.ns)
        self.arm_level = level_codes(arms)
        self.outcomes = Coder(lambda cell: cell if cell in outcome_ids else FAIL)
        self.timepoints = Coder(required)
        self.responders = Coder(_count)
        self.sourcing, self.notes = Sourcing(source_ids), Coder(stripped)
        self._kept = Kept()  # numbers, arm, outcome ... of rows taken

    def batch(self, header: list[str], rows: int) -> Batch:
        """The batch taker for a table with this header and ``rows`` rows (0: not counted yet; see
        ``columnar.read_columns``)."""
        self._kept.reserve(rows)
        return taker(header, NAMES, self._take)

    def _take(
        self,
        numbers: IntArray,
        trial: Sequence[str],
        arm: Sequence[str],
        outcome: Sequence[str],
        timepoint: Sequence[str],
        responders: Sequence[str],
        percent: Sequence[str],
        n: Sequence[str],
        source: Sequence[str],
        level: Sequence[str],
        note: Sequence[str],
    ) -> BoolArray:
        """Keep the codes of the rows every condition holds for; say which rows are declined."""
        if not self.arm_ids:
            return np.ones(len(numbers), dtype=np.bool_)
        arms = self.arm_codes(arm)
        ok: BoolArray = arms != BAD
        arms[~ok] = 0
        n_code = self.arm_n[arms]
        ok &= n_code != BAD
        ok &= self.trials.lookup(trial) == self.arm_trial[arms]
        outcomes, timepoints, counts = self.outcomes(outcome), self.timepoints(timepoint), self.responders(responders)
        ok &= (outcomes != BAD) & (timepoints != BAD) & (counts != BAD) & empty(percent) & empty(n)
        counted = np.array(self.responders.values or [0], dtype=np.int64)[np.maximum(counts, 0)]
        ok &= counted <= np.array(self.ns.values or [0], dtype=np.int64)[np.maximum(n_code, 0)]
        fine, row_level, sources = self.sourcing(source, level)
        ok &= fine
        levels = weaker(row_level, self.arm_level[arms])
        notes = self.notes(note)
        self._kept.add(ok, (numbers, arms, outcomes, timepoints, counts, sources, levels, notes))
        return ~ok

    def table(self, full: list[tuple[int, Result]]) -> Sequence[Result]:
        """The results in file order: the rows taken by columns, with ``full`` (each Result the row path
        made, with its row number) in their places."""
        if not len(self._kept):
            return tuple(result for _, result in full)
        numbers, arms, outcomes, timepoints, counts, sources, levels, notes = self._kept.columns()
        zero = np.zeros(len(numbers), dtype=np.int32)
        columns: list[tuple[Sequence[object], Codes]] = [
            (self.trials.values, self.arm_trial[arms]),
            (list(self.arm_ids), arms),
            (self.outcomes.values, outcomes),
            (self.timepoints.values, timepoints),
            (self.ns.values, self.arm_n[arms]),
            (self.responders.values, counts),
            ([None], zero),
            ([False], zero),
            (self.sourcing.sources.values, sources),
            (list(LEVELS), levels),
            (self.notes.values, notes),
            ([""], zero),
            ([""], zero),
        ]
        if full:
            columns = _merged(columns, numbers, full)
        values, codes = [], []
        for field_values, field_codes in columns:
            if len(field_values) > 1 and len(field_codes) and field_codes.min() == field_codes.max():
                field_values = [field_values[int(field_codes[0])]]
                field_codes = np.zeros(len(field_codes), dtype=np.int32)  # (merged: longer than ``zero``)
            values.append(field_values)
            codes.append(field_codes)
        return RecordTable.from_codes(Result, values, codes)


def _merged(
    columns: list[tuple[Sequence[object], Codes]], numbers: Codes, full: list[tuple[int, Result]]
) -> list[tuple[Sequence[object], Codes]]:
    """``columns`` with the fields of the ``full`` results inserted at their row numbers (the values each
    field lacks added to its values)."""
    places = np.searchsorted(numbers, np.array([number for number, _ in full], dtype=np.int64))
    rows = list(map(attrgetter(*field_names(Result)), (result for _, result in full)))
    out: list[tuple[Sequence[object], Codes]] = []
    for k, (values, codes) in enumerate(columns):
        values = list(values)
        known = {value_key(v): code for code, v in enumerate(values)}
        added = []
        for row in rows:
            code = known.setdefault(value_key(row[k]), len(values))
            if code == len(values):
                values.append(row[k])
            added.append(code)
        out.append((values, np.insert(codes, places, np.array(added, dtype=np.int64))))
    return out

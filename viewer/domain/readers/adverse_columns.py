"""The plain rows of a dataset folder's adverse_events.csv read by columns into a compact table of AdverseEvent.

An adverse-event row is a term's count in one arm: affected of at risk, or a printed percentage of at risk
from which the count is derived (``stats.count_from_percent``), at risk being the row's own or its arm's n.
A table of every term of every arm is mostly such rows repeating a handful of values per column (the terms,
a timepoint, a source, a level), so here a batch of them is judged on columns (``readers.columnar``), kept
as codes and ends as a :class:`~viewer.domain.compact.RecordTable`: no AdverseEvent is made until one is
read (issue 17). Every condition is one the row path (``dataset._read_adverse_events``) checks and passes,
so both give the same records; any other row (a padded cell, a count that is not plain digits, a
percentage that fits no whole count or several) goes through the full checks with its row number, and its
AdverseEvent takes its place in file order among the table's rows (tests/readers/test_adverse_columns.py
reads every broken case both ways).

A derived count is worked out in whole numbers on the percentage as printed: a cell of digits ``P`` with
``d`` decimals is ``P / 10**d`` percent exactly (``count_from_percent`` reads the float's ``repr``, the
same decimal for a cell of at most 9 digits), so the count and the counts that fit are integer divisions,
exact in int64 for an n under :data:`WIDE`: no Python call per row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.domain.compact import RecordTable
from viewer.domain.model import AdverseEvent, Arm
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
    level_codes,
    recoded,
    required,
    stripped,
    taker,
    weaker,
)
from viewer.domain.readers.sourcing import SourceKinds

NAMES = ("trial", "arm", "term", "serious", "affected", "percent", "at_risk", "timepoint", "source", "level", "note")
WIDE = 1 << 31  # an n at or above this is left to the row path (a derived count's products stay within int64)
NONE = -1  # a count, n or percentage a row does not give
TALLIED = 1 << 22  # whole numbers below this are told apart by a tally, larger ones by a sort
_FLAGS = dict.fromkeys(("", "no", "false", "0", "n"), False) | dict.fromkeys(("yes", "true", "1", "y"), True)
_PERCENT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,6})?")  # at most 9 digits: the float's repr is the same decimal


def _serious(cell: str) -> bool:
    """A yes/no cell as ``Row.flag`` reads it; anything else FAIL."""
    flag = _FLAGS.get(cell.strip().lower())
    return FAIL if flag is None else flag


def _count(cell: str) -> int | None:
    """An empty cell (None) or a plain whole count (ASCII digits, within int64); else FAIL."""
    if not cell:
        return None
    return int(cell) if cell.isascii() and cell.isdigit() and len(cell) < 19 else FAIL


def _at_risk(cell: str) -> int | None:
    """An empty cell (None) or a plain n of at least 1, under :data:`WIDE`; else FAIL."""
    n = _count(cell)
    return n if n is None or (n is not FAIL and 1 <= n < WIDE) else FAIL


def _arm_n(n: int | None) -> int | None:
    """An arm's n a row without its own may rest on: none, or at least 1 and under :data:`WIDE`; else FAIL."""
    return n if n is None or 1 <= n < WIDE else FAIL


def _percent(cell: str) -> tuple[float, int, int] | None:
    """An empty cell (None) or a plain percentage of 0 to 100: its value, its digits as a whole number and
    its decimals (``P / 10**d``); else FAIL."""
    if not cell:
        return None
    plain = _PERCENT.fullmatch(cell) is not None and float(cell) <= 100.0
    whole, _, decimals = cell.partition(".")
    return (float(cell), int(whole + decimals), len(decimals)) if plain else FAIL


def _numbers(values: Sequence[Any], pick: int | None = None) -> IntArray:
    """Per code, a coder's whole-number value (``pick``: that item of a tuple value), :data:`NONE` for None,
    with one more item for :data:`BAD` (read by a declined row only)."""
    numbers = [NONE if v is None else v if pick is None else v[pick] for v in values]
    return np.array([*numbers, NONE], dtype=np.int64)


def _derived(
    count: IntArray, derived: BoolArray, digits: IntArray, decimals: IntArray, n: IntArray
) -> tuple[IntArray, BoolArray]:
    """``count`` with each ``derived`` row's count from its percentage (``digits / 10**decimals``) of ``n``,
    rounded half up as ``count_from_percent`` rounds, and whether each row is fine: a derived count must be
    the only whole count that fits its percentage as printed (else the row path writes the note saying so)."""
    scale = 200 * np.power(10, np.maximum(decimals, 0), dtype=np.int64)  # 2 * 100 * 10**d
    twice = 2 * np.maximum(digits, 0) * np.maximum(n, 0)  # the percentage of n, times ``scale``
    rounded = (twice + scale // 2) // scale
    first = np.maximum(-((n - twice) // scale), 0)  # the counts within half a printed unit: first .. last
    last = np.minimum((twice + n) // scale, n)
    fits: BoolArray = ~derived | (last == first)
    return np.where(derived, rounded, count), fits


class AdverseColumns:
    """Reads adverse_events.csv's plain rows by columns (:meth:`batch`) and makes their table (:meth:`table`).

    ``arms`` is the dataset's arms by id (the last arm of a repeated id, as the row path looks it up) and
    ``source_ids`` the sources and their kinds.
    """

    def __init__(self, arms: Mapping[str, Arm], source_ids: SourceKinds) -> None:
        arms = by_id(arms)
        self.arm_ids = list(arms)
        self.arm_codes = IdCoder(self.arm_ids)
        self.trials = Coder()  # the arms' trials; a row names its arm's
        # each arm's trial, n and level from the arm table's codes (``columnar.recoded``): no Arm made
        self.arm_trial = recoded(arms, "trial_id", self.trials)
        arm_ns = Coder(_arm_n)
        self.arm_n_code = recoded(arms, "n", arm_ns)
        self.arm_n = _numbers(arm_ns.values)[self.arm_n_code]  # NONE where the arm has no n (or an unusable one)
        self.arm_level = level_codes(arms)
        self.terms, self.flags, self.timepoints = Coder(required), Coder(_serious), Coder(stripped)
        self.counts, self.percents, self.ns = Coder(_count), Coder(_percent), Coder(_at_risk)
        self.sourcing, self.notes = Sourcing(source_ids), Coder(stripped)
        self._kept = Kept()  # numbers, arm, term ... of the rows taken

    def batch(self, header: list[str], rows: int) -> Batch:
        """The batch taker for a table with this header and ``rows`` rows (0: not counted yet; see
        ``columnar.read_columns``)."""
        self._kept.reserve(rows)
        return taker(header, NAMES, self._take)

    def _take(self, numbers: IntArray, *cells: Sequence[str]) -> BoolArray:
        """Keep the codes of the rows every condition holds for; say which rows are declined."""
        trial, arm, term, serious, affected, percent, at_risk, timepoint, source, level, note = cells
        if not self.arm_ids:
            return np.ones(len(numbers), dtype=np.bool_)
        arms = self.arm_codes(arm)
        ok: BoolArray = arms != BAD
        arms[~ok] = 0
        ok &= self.trials.lookup(trial) == self.arm_trial[arms]
        terms, flags, counts = self.terms(term), self.flags(serious), self.counts(affected)
        percents, own_ns = self.percents(percent), self.ns(at_risk)
        ok &= (terms != BAD) & (flags != BAD) & (counts != BAD) & (percents != BAD) & (own_ns != BAD)
        fine, row_level, sources = self.sourcing(source, level)
        ok &= fine
        own_n = _numbers(self.ns.values)[own_ns]
        by_arm = own_n == NONE  # no n of its own: the arm's, and the arm's level when it has one
        ok &= ~by_arm | (self.arm_n_code[arms] != BAD)
        n = np.where(by_arm, self.arm_n[arms], own_n)
        levels = np.where(by_arm & (n != NONE), weaker(row_level, self.arm_level[arms]), row_level)
        count = _numbers(self.counts.values)[counts]
        digits, decimals = _numbers(self.percents.values, 1)[percents], _numbers(self.percents.values, 2)[percents]
        has_count, has_percent, has_n = count != NONE, digits != NONE, n != NONE
        ok &= has_count | has_percent  # neither: "affected or percent is required"
        ok &= ~(has_count & has_n) | (count <= n)
        derived = ~has_count & has_percent & has_n
        count, fits = _derived(count, derived, digits, decimals, n)
        ok &= fits & (count < WIDE)  # kept in 32 bits (``columnar.Kept``): a larger count goes the row path
        timepoints, notes = self.timepoints(timepoint), self.notes(note)
        taken = (numbers, arms, terms, flags, count, percents, n, derived, sources, levels, timepoints, notes)
        self._kept.add(ok, taken)
        return ~ok

    def table(self, full: list[tuple[int, AdverseEvent]]) -> Sequence[AdverseEvent]:
        """The adverse events in file order: the rows taken by columns, with ``full`` (each AdverseEvent the
        row path made, with its row number) in their places."""
        if not len(self._kept):
            return tuple(event for _, event in full)
        numbers, arms, terms, flags, counts, percents, ns, derived, sources, levels, timepoints, notes = (
            self._kept.columns()
        )
        zero = np.zeros(len(numbers), dtype=np.int8)
        percent_values, percents = _floats(self.percents.values, percents)
        columns: list[tuple[Sequence[object], npt.NDArray[np.integer[Any]]]] = [
            (self.trials.values, self.arm_trial[arms]),
            (self.arm_ids, arms),
            (self.terms.values, terms),
            _whole(ns),
            _whole(counts),
            (percent_values, percents),
            ((False, True), derived),
            (self.sourcing.sources.values, sources),
            (LEVELS, levels),
            (self.timepoints.values, timepoints),
            (self.flags.values, flags),
            (self.notes.values, notes),
            (("",), zero),
        ]
        values, codes = zip(*(_used(v, c) for v, c in columns), strict=True)
        return RecordTable.in_file_order(AdverseEvent, values, codes, numbers, full)


def _whole(numbers: npt.NDArray[np.integer[Any]]) -> tuple[list[int | None], npt.NDArray[np.integer[Any]]]:
    """A column of whole numbers (:data:`NONE`: None) as its distinct values, in order, and a code a row: the
    values tallied when they are under :data:`TALLIED` (no sort of a million counts), else sorted."""
    shifted = numbers.astype(np.int64) - NONE  # None first, at 0
    top = int(shifted.max()) if len(shifted) else 0
    if top < TALLIED:
        present = np.flatnonzero(np.bincount(shifted))
        place = np.zeros(top + 1, dtype=np.int32)
        place[present] = np.arange(len(present), dtype=np.int32)
        distinct, codes = present + NONE, place[shifted]
    else:
        distinct, codes = np.unique(numbers, return_inverse=True)
    return [None if v == NONE else v for v in distinct.tolist()], codes.reshape(-1)


def _floats(
    percents: Sequence[tuple[float, int, int] | None], codes: npt.NDArray[np.integer[Any]]
) -> tuple[list[float | None], npt.NDArray[np.int32]]:
    """The percentages' values (cells of one value, "5" and "5.0", coded as one) and a code a row into them."""
    values = [None if p is None else p[0] for p in percents]
    first = {value: k for k, value in reversed(list(enumerate(values)))}  # (no -0.0: the cells have no sign)
    return values, np.array([first[v] for v in values], dtype=np.int32)[codes]


def _used(
    values: Sequence[object], codes: npt.NDArray[np.integer[Any]]
) -> tuple[Sequence[object], npt.NDArray[np.integer[Any]]]:
    """Only the values some row names, and the codes into those (a table of a value a row, as the arms' ids,
    as it is); counted, not sorted."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(values)))
    if len(used) == len(values):
        return values, codes
    if len(used) == 1:
        return [values[int(used[0])]], np.zeros(len(codes), dtype=np.int8)
    renumbered = np.zeros(len(values), dtype=np.int32)
    renumbered[used] = np.arange(len(used), dtype=np.int32)
    return [values[k] for k in used.tolist()], renumbered[codes]

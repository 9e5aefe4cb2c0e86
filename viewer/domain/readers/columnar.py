"""A CSV table read by columns: rows parsed by ``csv`` in batches, each batch turned into columns, each
column checked once per distinct value and the rows then judged in numpy on codes.

A table of 1,000,000 arms is mostly plain rows that repeat a handful of values per column (a source, a
level, an outcome, a timepoint) and refer to ids that come in runs (an arm's results together, the arms in
their own order). Checking such a table cell by cell costs a Python call per row (the row path:
``fields.read_rows`` with a ``quick`` hook); here each batch of rows is transposed in C (``zip(*rows)``), a
column's distinct values are found in C (``dict.fromkeys``) and checked once in Python, and a row's verdict
is an array operation on codes. Rows that break any condition go through the unchanged row path with their
own row number (:func:`read_columns`), so every problem reads as before.

A table of :data:`ARROW_BYTES` or more is parsed by Arrow instead when its bytes allow
(``readers.arrow_csv``): each block of rows then comes as a :class:`Coded` column per field (its distinct
cells and a code per row), and the coders below check each distinct cell of a block once and code the rows
by an array lookup, with no Python call per row. Any doubt about the bytes, and every smaller table (no
``pyarrow`` import: start-up and the shipped catalog do not pay for it), goes through ``csv`` as above.

The conditions are those of the row path (``readers.plain_rows`` for the cells, ``fields.Row`` for the
rows): the tests read broken tables both ways and compare (tests/readers/test_columnar.py).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import compress, islice, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

import numpy as np
import numpy.typing as npt

from viewer.domain import sliced
from viewer.domain.by_id import ById, HashIndex, Keys
from viewer.domain.compact import key_of
from viewer.domain.model import EvidenceLevel
from viewer.domain.readers.fields import Problems, Row, Table, open_table, read_rows, row_of
from viewer.domain.readers.library_preload import open_extensions
from viewer.domain.readers.sourcing import SourceKinds, level_rule

if TYPE_CHECKING:
    from viewer.domain.readers import arrow_csv

IntArray = npt.NDArray[np.int64]
R = TypeVar("R")
T = TypeVar("T")
G = TypeVar("G", bound=np.generic)
BoolArray = npt.NDArray[np.bool_]

BATCH = 1 << 10  # rows turned into columns at a time: a batch that stays in the CPU cache (16k rows took 2x as long)
PARSE_SLICE = BATCH  # rows csv parses in one C loop (~1 ms: the window reads on a worker thread)
BAD = -1  # the code of a value that fails its column's condition
_NEW = -2  # a cell not coded yet
ARROW_BYTES = 4 << 20
"""A table this large is parsed by Arrow when its bytes allow (``readers.arrow_csv``): importing pyarrow
costs ~0.1 s, what ``csv`` and the coding spend on a few MB (100,000 arms: a 6 MB arms.csv, a 10 MB
results.csv and a 0.9 MB trials.csv)."""


FAIL: Any = object()  # what a converter returns for a cell that fails its column's condition


def stripped(cell: str) -> str:
    """Free text as a Row reads it: stripped."""
    return cell.strip()


def required(cell: str) -> str:
    """Text a row must have: stripped, and not empty (else FAIL)."""
    return cell.strip() or FAIL


def whole(cell: str) -> int | None:
    """An empty cell (None) or a whole number in ASCII digits; else FAIL."""
    if not cell:
        return None
    return int(cell) if cell.isascii() and cell.isdigit() else FAIL


class Coded(Sequence[str]):
    """A column of cells as Arrow hands it over: its distinct cells (``values``) and each row's position
    among them (``codes``). The coders below work on ``values`` and index the result by ``codes``."""

    def __init__(self, values: list[str], codes: npt.NDArray[np.integer[Any]]) -> None:
        self.values = values
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return Coded(self.values, self.codes[index])
        return self.values[int(self.codes[index])]

    def rows(self, of_values: npt.NDArray[G]) -> npt.NDArray[G]:
        """Each row's item of an array of one item per distinct cell (a code, a flag)."""
        out: npt.NDArray[G] = of_values[self.codes]
        return out

    def cells(self) -> Sequence[str]:
        """Every row's cell (the values themselves when each row has a value of its own, in order: ids)."""
        codes = self.codes
        if len(self.values) == len(codes) and bool((codes == np.arange(len(codes))).all()):
            return self.values
        return column_of(self.values, codes)


def stripped_cells(column: Sequence[str]) -> Sequence[str]:
    """Every row's cell, stripped (each distinct cell of a Coded column stripped once)."""
    if isinstance(column, Coded):
        return Coded(list(map(str.strip, column.values)), column.codes).cells()
    return list(map(str.strip, column))


class Coder:
    """Codes of a column's cells, each distinct cell converted once (``convert``: its value, or
    :data:`FAIL` when the cell fails the column's condition: code :data:`BAD`; no ``convert``: the cell
    itself, coded in C); equal values share one code, the values kept in :attr:`values` in order of first
    appearance."""

    def __init__(self, convert: Callable[[Any], Any] | None = None) -> None:
        self.convert = convert
        self.values: list[Any] = []
        self._codes: dict[str, int] = {}  # a cell as written -> its code
        self._kept: dict[Any, int] = {}  # a value -> its code
        self._tested: dict[Callable[[Any], bool], BoolArray] = {}  # each test's last flags (see flags)

    def _code(self, cell: str) -> int:
        value = cell if self.convert is None else self.convert(cell)
        if value is FAIL:
            code = BAD
        else:
            code = self._kept.setdefault(key_of(value), len(self.values))
            if code == len(self.values):
                self.values.append(value)
        self._codes[cell] = code
        return code

    def __call__(self, column: Sequence[Any]) -> IntArray:
        """Every cell's code (a column of one cell repeated costs one comparison a row, in C); a long
        column (an attribute of every arm) a slice at a time (``sliced``: the GIL is handed on between)."""
        if isinstance(column, Coded):
            return column.rows(self(column.values))
        codes = self._codes
        if not column:
            return np.zeros(0, dtype=np.int64)
        if len(column) > sliced.SLICE:
            return np.concatenate([self(part) for _start, part in sliced.slices(column)])
        first = column[0]
        if column[-1] == first and column[len(column) // 2] == first and column.count(first) == len(column):
            return np.full(len(column), codes[first] if first in codes else self._code(first), dtype=np.int64)
        found = np.fromiter(map(codes.get, column, repeat(_NEW)), dtype=np.int64, count=len(column))
        new = found == _NEW
        if new.any():  # cells not seen before: each coded once, then read again
            unseen = list(compress(column, new.tolist()))
            cells = list(dict.fromkeys(unseen))
            if self.convert is None:  # the cells are the values: coded in C (200,000 trial ids)
                codes.update(zip(cells, range(len(self.values), len(self.values) + len(cells)), strict=True))
                self.values += cells
            elif not self._bare_values(cells):
                for cell in cells:
                    self._code(cell)
            found[new] = np.fromiter(map(codes.__getitem__, unseen), dtype=np.int64, count=len(unseen))
        return found

    def _bare_values(self, cells: list[str]) -> bool:
        """Code distinct new ``cells`` in C when each is its own value, new: text (``stripped``, ``required``)
        none of whose cells is empty or padded or has a value coded before (200,000 trial names); else
        code nothing and say so."""
        if self.convert not in (stripped, required) or "" in cells:
            return False
        if not all(map(str.__eq__, cells, map(str.strip, cells))) or not self._kept.keys().isdisjoint(cells):
            return False
        start = len(self.values)
        self._kept.update(zip(cells, range(start, start + len(cells)), strict=True))  # text is its own key
        self._codes.update(zip(cells, range(start, start + len(cells)), strict=True))
        self.values += cells
        return True

    def flags(self, test: Callable[[Any], bool]) -> BoolArray:
        """``test`` of each value so far, by code, with False for :data:`BAD` (the last item); each value is
        tested once, as it comes."""
        tested = self._tested.get(test)
        if tested is None or len(tested) != len(self.values) + 1:
            tested = self._tested[test] = np.array([*map(test, self.values), False], dtype=np.bool_)
        return tested

    def lookup(self, column: Sequence[str]) -> IntArray:
        """The codes of cells seen before, :data:`BAD` for any other (nothing is added)."""
        if isinstance(column, Coded):
            return column.rows(self.lookup(column.values))
        return np.fromiter(map(self._codes.get, column, [BAD] * len(column)), dtype=np.int64, count=len(column))


def empty(column: Sequence[str]) -> BoolArray:
    """Whether each cell is empty (as written: a blank cell is not empty)."""
    if isinstance(column, Coded):
        return column.rows(empty(column.values))
    blanks = column.count("")
    if blanks in (0, len(column)):  # no cell empty (ids, counts), or every one (n and percent)
        return np.full(len(column), bool(blanks), dtype=np.bool_)
    return np.fromiter(map(str.__eq__, column, [""] * len(column)), dtype=np.bool_, count=len(column))


def runs(column: Sequence[str]) -> IntArray:
    """Where each run of equal cells starts (the first cell starts one)."""
    return np.flatnonzero(sliced.changes(column))


class IdCoder:
    """Positions of cells in a list of distinct ids (:data:`BAD` for a cell that is none of them), found
    by runs: a table lists each id's rows together and the ids in their own order, so each run's first
    cell is compared with the id expected next, and looked up only when the order breaks."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = ids
        self._next = 0  # the position expected for the next run
        self._table: dict[str, int] | None = None

    def __call__(self, column: Sequence[Any]) -> IntArray:
        if isinstance(column, Coded):  # a block's distinct ids, in order of first appearance: each a run
            return column.rows(self._firsts(column.values))
        starts = runs(column)
        codes = self._firsts(list(map(column.__getitem__, starts.tolist())))
        return np.repeat(codes, np.diff(starts, append=len(column)))

    def _firsts(self, firsts: Sequence[str]) -> IntArray:
        """The positions of the runs' first cells (``firsts``: no two neighbours equal)."""
        ids, at = self.ids, self._next
        if at and firsts[0] == ids[at - 1]:
            at -= 1  # the run that ended the last batch goes on
        if firsts == ids[at : at + len(firsts)]:
            codes = np.arange(at, at + len(firsts), dtype=np.int64)
        else:
            if self._table is None:
                self._table = dict(zip(ids, range(len(ids)), strict=True))
            table = self._table
            codes = np.fromiter(map(table.get, firsts, [BAD] * len(firsts)), dtype=np.int64, count=len(firsts))
        self._next = int(codes[-1]) + 1 if codes[-1] != BAD else 0
        return codes


LEVELS = tuple(EvidenceLevel)
LEVEL_CODE = {level: k for k, level in enumerate(LEVELS)}
_STRENGTH = np.array([level.strength for level in LEVELS], dtype=np.int64)


def by_id(records: Mapping[str, R]) -> ById[R]:
    """``records`` as a :class:`ById` (a dataset's arms are one already; a plain mapping is made one)."""
    return records if isinstance(records, ById) else ById((tuple(records.values()),))


def recoded(records: ById[Any], name: str, coder: Coder) -> npt.NDArray[np.int32]:
    """Each record's code of field ``name`` in ``coder`` (:data:`BAD` where its value fails the coder's
    condition), each distinct value of the table's column converted once: a million arms' values read and
    coded one by one took ~0.8 s (issue 17)."""
    values, codes = records.coded(name)
    out: npt.NDArray[np.int32] = coder(list(values)).astype(np.int32)[codes]
    return out


def level_codes(records: ById[Any]) -> IntArray:
    """Each record's evidence level as its code in :data:`LEVELS`, from the table's column."""
    levels, codes = records.coded("level")
    out: IntArray = np.array([LEVEL_CODE[level] for level in levels], dtype=np.int64)[codes]
    return out


def weaker(first: IntArray, second: IntArray) -> IntArray:
    """The less checked of two levels, row by row (codes into :data:`LEVELS`; ``EvidenceLevel.weaker``)."""
    return np.where(_STRENGTH[first] <= _STRENGTH[second], first, second)


class Sourcing:
    """The source and level cells of rows, judged as pairs: a row is taken when its level cell names a
    level (``EvidenceLevel.parse``) that may rest on the source its source cell names exactly
    (``level_rule``); each distinct pair of cells is worked out once."""

    def __init__(self, source_ids: SourceKinds) -> None:
        self.source_ids = source_ids
        self.sources, self._levels = Coder(), Coder()
        self._pairs: dict[tuple[str, str], tuple[int, int]] = {}  # (level, source) cells -> (level code, fine)

    def _pair(self, raw_level: str, raw_source: str) -> tuple[int, int]:
        pair = (raw_level, raw_source)
        if pair not in self._pairs:
            level = EvidenceLevel.parse(raw_level)
            kind = self.source_ids.get(raw_source)
            fine = level is not None and kind is not None and not level_rule(level, kind, raw_source)
            self._pairs[pair] = (LEVEL_CODE[level], 1) if fine and level is not None else (0, 0)
        return self._pairs[pair]

    def __call__(self, source: Sequence[str], level: Sequence[str]) -> tuple[BoolArray, IntArray, IntArray]:
        """Whether each row's pair is fine, its level code and its source's code (into ``sources.values``)."""
        sources, levels = self.sources(source), self._levels(level)
        width = len(self.sources.values)
        distinct, inverse = np.unique(levels * width + sources, return_inverse=True)
        level_of, source_of = self._levels.values, self.sources.values
        verdicts = np.array(
            [self._pair(level_of[p // width], source_of[p % width]) for p in distinct.tolist()], dtype=np.int64
        ).reshape(-1, 2)
        fine: BoolArray = verdicts[inverse, 1] == 1
        return fine, verdicts[inverse, 0], sources


def positions(header: list[str], names: Sequence[str]) -> list[int | None]:
    """Where each of ``names`` is in the header (the last of equal names, as a Row reads them); None for a
    column the table lacks (its cells read empty)."""
    where = {name: k for k, name in enumerate(header)}
    return [where.get(name) for name in names]


class Declined:
    """The rows a columnar read leaves to the row path: their row numbers and cells, in file order."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[str]]] = []

    def add(self, numbers: IntArray, rows: Sequence[list[str]], which: BoolArray) -> None:
        """The rows of a batch where ``which`` holds (``numbers``: each row's number)."""
        self.rows += zip(compress(numbers.tolist(), which), compress(rows, which), strict=True)

    def add_coded(self, numbers: IntArray, columns: Sequence[Coded], which: BoolArray) -> None:
        """The rows of a block of Coded columns where ``which`` holds, their cells made column by column in
        C (a table whose rows all go the long way, percentages say, declines every row)."""
        places = np.flatnonzero(which)
        cells = [column_of(column.values, column.codes[places]) for column in columns]
        self.rows += zip(numbers[places].tolist(), map(list, zip(*cells, strict=True)), strict=True)

    def read(self, table: Table, problems: Problems) -> Iterator[Row]:
        """The declined rows as the row path reads them (a blank line skipped, extra cells a problem)."""
        for number, cells in self.rows:
            row = row_of(table, cells, number, problems)
            if row is not None:
                yield row


def column_of(values: Sequence[T], codes: npt.NDArray[np.integer[Any]]) -> Sequence[T]:
    """The values of ``codes``, a slice at a time (``sliced``: another thread gets the interpreter between);
    one value repeated when every code is the same."""
    if len(codes) and codes.min() == codes.max():
        return [values[int(codes[0])]] * len(codes)
    out: list[T] = []
    for start in range(0, len(codes), sliced.SLICE):
        out += map(values.__getitem__, codes[start : start + sliced.SLICE].tolist())
    return out


class Kept:
    """The row numbers and codes of the rows a columnar read takes, each column one int32 array: each
    batch's rows are copied in once, where a list of each batch's int64 arrays joined at the end cost a
    million arms 0.3-1 s (issue 17), and the columns are handed over as views at the width a big table packs
    its codes in (``compact.RecordTable``: four bytes once a column has more than 65,536 values, as the ids
    of so many rows have).

    When the table's rows are counted before it is read (Arrow's parse), room for all of them is made at
    once (:meth:`reserve`; pages not written to are never touched). Otherwise a full array doubles into a
    new one that numpy fills without the interpreter lock: ``ndarray.resize`` zero-fills, and its ``realloc``
    may copy, while holding it, 25-80 ms a column at a million arms, a stall of the window's GUI thread
    while its worker reads (``viewer.domain.sliced``). Views handed out by :meth:`columns` keep the arrays
    they view."""

    def __init__(self) -> None:
        self._codes: list[npt.NDArray[np.int32]] = []
        self._len = 0
        self._room = BATCH  # rows the first arrays are made for

    def __len__(self) -> int:
        return self._len

    def reserve(self, rows: int) -> None:
        """Make room for ``rows`` rows when the first batch is kept (a table's row count, known before it
        is read); more grow as usual."""
        self._room = max(self._room, rows)

    def add(self, ok: BoolArray, columns: Sequence[npt.NDArray[np.integer[Any]]]) -> None:
        """Keep the rows of a batch where ``ok`` holds (``columns``: the batch's numbers and codes, each
        below 2**31: a row number or a position among a column's values)."""
        start = self._len
        end = start + int(np.count_nonzero(ok))
        if not self._codes:
            self._codes = [np.empty(max(end, self._room), dtype=np.int32) for _ in columns]
        elif end > len(self._codes[0]):
            size = max(end, 2 * len(self._codes[0]))
            self._codes = [_grown(codes[:start], size) for codes in self._codes]
        every = end - start == len(ok)
        for kept, column in zip(self._codes, columns, strict=True):
            kept[start:end] = column if every else column[ok]  # (np.compress casting into place: 4x as long)
        self._len = end

    def columns(self) -> list[npt.NDArray[np.int32]]:
        """The rows' numbers, then each column's codes, of every row kept (views of the arrays)."""
        return [codes[: self._len] for codes in self._codes]


def _grown(codes: npt.NDArray[np.int32], size: int) -> npt.NDArray[np.int32]:
    """A new array of ``size`` that starts with ``codes`` (copied by numpy without the interpreter lock; the
    rest left unwritten, so its pages are not touched until rows are kept there)."""
    out = np.empty(size, dtype=np.int32)
    out[: len(codes)] = codes
    return out


class Keyed:
    """The columnar read of a table whose rows have unique ids (arms, trials): each subclass names its
    columns (``NAMES``, the id first) and judges a batch (``_take``, which keeps the ids and codes of the rows
    it takes with :meth:`keep`); a repeated id is the caller's to handle (:meth:`repeated`)."""

    NAMES: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._ids: list[str] = []  # the stripped ids of the rows taken
        self._keys: Keys | None = None  # the same with their hash index, once :meth:`repeated` found none repeated
        self._kept = Kept()  # each row's number, then its codes

    @property
    def ids(self) -> Sequence[str]:
        """The stripped ids of the rows taken, in order; once :meth:`repeated` has found none repeated, as
        ``by_id.Keys`` with their hash index, so that a table keyed by them hands the index on to a
        ``by_id.ById`` (the catalog's), which then sorts no hash again."""
        return self._ids if self._keys is None else self._keys

    def batch(self, header: list[str], rows: int) -> Batch:
        """The batch taker for a table with this header and ``rows`` rows (0: not counted yet; see
        :func:`read_columns`)."""
        self._kept.reserve(rows)
        return taker(header, self.NAMES, self._take)

    def _take(self, numbers: IntArray, *cells: Sequence[str]) -> BoolArray:
        """Keep the rows every condition holds for (:meth:`keep`); say which rows are declined."""
        raise NotImplementedError

    def keep(self, ids: Sequence[str], ok: BoolArray, numbers: IntArray, *codes: IntArray) -> BoolArray:
        """Keep the ids, numbers and codes of the rows where ``ok`` holds; return the rows declined."""
        self._ids += compress(ids, ok.tolist())
        self._kept.add(ok, (numbers, *codes))
        return ~ok

    def kept(self) -> list[npt.NDArray[np.int32]]:
        """The rows' numbers, then each column's codes, of every row taken."""
        return self._kept.columns()

    def repeated(self, declined: Iterable[str]) -> bool:
        """Whether an id of the rows taken is repeated among them or among the ``declined`` rows' ids, found
        through the ids' sorted hashes (``by_id.HashIndex``: one sort where a set of every id and the
        catalog's sort of the same ids cost twice, issue 17); when none is, :attr:`ids` carries the index."""
        ids = self._ids
        index = HashIndex.of(ids)
        if any(index.repeats(ids, index.equal_runs())) or any(index.find(ids, key) for key in declined):
            return True
        self._keys = Keys(ids, index)
        return False


Batch = Callable[[IntArray, Sequence[Sequence[str]]], BoolArray]


def taker(header: list[str], names: Sequence[str], take: Callable[..., BoolArray]) -> Batch:
    """A batch taker handing ``take`` a batch's row numbers and its cells of each of ``names``, in that order
    (blank cells for a column the header lacks): what each columnar reader's ``batch`` returns."""
    at = positions(header, names)

    def batch(numbers: IntArray, columns: Sequence[Sequence[str]]) -> BoolArray:
        blank = [""] * len(numbers)
        return take(numbers, *(blank if k is None else columns[k] for k in at))

    return batch


"""Takes a batch of full-width rows (each row's number, the columns in header order) and says which rows it
declines."""


def read_columns(
    path: Path,
    problems: Problems,
    *,
    required: tuple[str, ...],
    allowed: tuple[str, ...],
    batch: Callable[[list[str], int], Batch],
    unique: tuple[str, ...] = (),
) -> tuple[Iterator[Row], bool]:
    """Read a table by columns: ``batch(header, rows)`` takes each batch of full-width rows (``rows``: how many
    the table holds when Arrow counted them, else 0); the rows it declines
    and rows of another width are read by the row path, in file order. Returns those rows, and whether the
    table was read by columns at all.

    It is not when it cannot be read (no rows: the problem is recorded as ``read_rows`` records it) or is
    not valid CSV: then every row is read by ``read_rows``, which records where the table breaks after
    reading every row before it (nothing is recorded here until the whole table has parsed). A table of
    :data:`ARROW_BYTES` or more is parsed by Arrow when its bytes allow (:func:`_read_by_arrow`; ``unique``:
    the columns of a value a row, read uncoded).
    """
    if _size(path) >= ARROW_BYTES:
        open_extensions("pyarrow", ("lib", "_csv"))  # opened off the interpreter lock (library_preload)
        from viewer.domain.readers import arrow_csv  # here: a small table never imports pyarrow

        parsed = arrow_csv.parse(path, required=required, allowed=allowed, unique=unique)
        if parsed is not None:
            return _read_by_arrow(path, parsed, problems, batch), True
    table = open_table(path, problems, required=required, allowed=allowed)
    if table is None:
        return iter(()), False
    take, width, declined = batch(table.header, 0), len(table.header), Declined()
    number = 2  # the header is row 1
    try:
        while rows := _batch(table.reader):
            numbers = np.arange(number, number + len(rows), dtype=np.int64)
            number += len(rows)
            try:
                columns = list(zip(*rows, strict=True))
            except ValueError:  # rows of unequal widths
                columns = []
            if len(columns) != width:  # rows of another width than the header's go the long way
                fit = np.fromiter(map(width.__eq__, map(len, rows)), dtype=np.bool_, count=len(rows))
                declined.add(numbers, rows, ~fit)
                rows, numbers = list(compress(rows, fit.tolist())), numbers[fit]
                columns = list(zip(*rows, strict=True))
            if rows:
                declined.add(numbers, rows, take(numbers, columns))
    except csv.Error:
        return read_rows(path, problems, required=required, allowed=allowed), False
    declined.rows.sort(key=lambda row: row[0])
    return declined.read(table, problems), True


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # open_table says why


def _read_by_arrow(
    path: Path, parsed: arrow_csv.Parsed, problems: Problems, batch: Callable[[list[str], int], Batch]
) -> Iterator[Row]:
    """:func:`read_columns` on the blocks Arrow parsed: each block's columns :class:`Coded`, its row
    numbers counted as ``csv`` counts them (a record a line: ``arrow_csv``), the declined rows' cells made."""
    take, declined = batch(parsed.header, parsed.rows), Declined()
    number = 2  # the header is row 1
    for block in parsed.blocks:
        columns = [Coded(values, codes) for values, codes in block]
        numbers = np.arange(number, number + len(columns[0]), dtype=np.int64)
        number += len(numbers)
        if len(numbers):
            declined.add_coded(numbers, columns, take(numbers, columns))
    return declined.read(Table(path.name, parsed.header, csv.reader(())), problems)


def _batch(reader: Iterator[list[str]]) -> list[list[str]]:
    """The next :data:`BATCH` rows (fewer at the end), parsed a slice at a time."""
    rows: list[list[str]] = []
    while len(rows) < BATCH and (part := list(islice(reader, PARSE_SLICE))):
        rows += part
    return rows

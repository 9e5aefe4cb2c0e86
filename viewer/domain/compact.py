"""Many records of one class held as a small columnar table, each record made only when it is asked for.

A registry study lists every adverse-event term for every group (235 rows in a 5-arm record) and every
result of every outcome; as objects, each row costs 150-300 bytes of slots and references even when all it
holds is shared (issue 17: the objects alone were half of what a study kept). Most fields of such rows take
a handful of values (the trial, the level, the time frame, the groups, the terms), so a
:class:`RecordTable` dictionary-encodes them, the way a columnar store does: per field either one value for
every row, or a code per row into the field's distinct values, the codes of all fields packed in one
``array`` of the narrowest width that holds them (a byte per field and row for up to 256 distinct values).

The table is an immutable :class:`~collections.abc.Sequence` of the records: ``table[i]`` and iteration
make each record when asked (a frozen dataclass equal to the one that went in, field by field, holding the
very value objects that went in), so every consumer sees the same figures; nothing is cached, so nothing
grows with use. :class:`RecordChain` strings tables (and tuples) end to end for a catalog, without copying
their rows into objects.

Values are encoded by type and value (``1``, ``1.0`` and ``True`` stay apart; a float by its exact bits, so
``-0.0`` stays ``-0.0``); a field's values must be hashable, as the records' own hashing requires.

A field named as the table's own text (``text=``: an adverse-event term, an organ-system note, a kept-out
outcome's title and place) keeps its distinct strings as one text and where each ends (:class:`Texts`): a
string object costs 49 bytes before its first character (74 once one character is outside Latin-1), and a
record's terms are a hundred short strings that nothing else holds (issue 17). Text other objects of the
record hold too (an arm's id, an outcome's id) stays a tuple of those very strings, never a second copy.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import MISSING, fields
from itertools import chain
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from viewer.domain.sequences import WIDTHS, Floats, Joined, ReadSequence, Texts
from viewer.domain.sliced import attribute, slices

if TYPE_CHECKING:
    import numpy.typing as npt

R = TypeVar("R")

# A table's packed codes: an ``array`` it packed itself, or a ``memoryview`` (of the typecode's format) of the
# numpy memory a columnar reader's codes were packed in (:meth:`RecordTable.from_codes`): both read alike
Codes: TypeAlias = "array[int] | memoryview"


# Values that are their own key: text, a whole number or None equals only a value of its own type here (a float,
# a bool and every other value is keyed with its type, so 1, 1.0 and True never share a code)
_PLAIN = frozenset({str, int, type(None)})


def value_key(value: object) -> object:
    """The dictionary key of a value not in ``_PLAIN``: its type and value, a float by its bits."""
    kind = type(value)
    if kind is float:
        return (kind, value.hex())  # type: ignore[attr-defined]
    return (kind, value)


def key_of(value: object) -> object:
    """The dictionary key of any value as a table codes it: text, a whole number or None itself (``_PLAIN``),
    any other value its :func:`value_key`."""
    return value if type(value) in _PLAIN else value_key(value)


_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type[Any]) -> tuple[str, ...]:
    """The field names of a record class, in order (one tuple per class, shared by its tables)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _code_row(
    row: Sequence[object], codes: list[list[int]], tables: list[dict[object, int]], values: list[list[object]]
) -> None:
    """One row's values in field order, each coded (text, a count or None is its own key: ``value_key``)."""
    for value, field_codes, table, field_values in zip(row, codes, tables, values, strict=True):
        key = value if type(value) in _PLAIN else value_key(value)
        code = table.get(key)
        if code is None:
            code = table[key] = len(field_values)
            field_values.append(value)
        field_codes.append(code)


class TableBuilder(Generic[R]):
    """Collects the rows of one record class, field by field, then packs them (:meth:`table`).

    ``add`` takes the record's fields as keywords, its defaults filled in, so a reader writes a row as it
    would construct the record, and no record object is made.
    """

    def __init__(self, cls: type[R], *, text: Iterable[str] = (), follows: Mapping[str, str] | None = None) -> None:
        """``text``: the fields whose strings are the table's own (kept as :class:`Texts`); ``follows``: fields
        whose value another field's value may decide (see :class:`RecordTable`)."""
        self.cls = cls
        found = fields(cls)  # type: ignore[arg-type]
        self.names = field_names(cls)
        self.text = frozenset(text)
        self.follows = follows
        self._defaults = {f.name: f.default for f in found if f.default is not MISSING}
        self._codes: list[list[int]] = [[] for _ in found]
        self._tables: list[dict[object, int]] = [{} for _ in found]
        self._values: list[list[object]] = [[] for _ in found]

    def __len__(self) -> int:
        return len(self._codes[0])

    def add(self, **row: object) -> None:
        """One row; every field without a default must be given (a missing one is a bug: KeyError)."""
        defaults = self._defaults
        self._append([row[name] if name in row else defaults[name] for name in self.names])

    def extend(self, records: Iterable[R]) -> None:
        """Rows from records of the class (a table made from objects: a merge, a re-stamped copy)."""
        names = self.names
        get = attrgetter(*names) if len(names) > 1 else lambda record: (getattr(record, names[0]),)
        for record in records:
            self._append(get(record))

    def _append(self, row: Sequence[object]) -> None:
        _code_row(row, self._codes, self._tables, self._values)

    def table(self, *, nest: bool = True) -> RecordTable[R]:
        """The rows so far, packed (``nest``: see ``_distinct``)."""
        return RecordTable(
            self.cls, self.names, self._values, self._codes, nest=nest, text=self.text, follows=self.follows
        )


_FEW = 4  # distinct numbers up to which a tuple of them costs no more than an array
_FEW_TEXTS = 2  # distinct strings up to which a tuple of them costs less than a Texts (~170 bytes before the text)


def encode(values: Iterable[object]) -> tuple[list[object], list[int]]:
    """One column's distinct values and every row's code into them (keyed as ``TableBuilder`` keys them: equal
    values of one type share a code)."""
    codes: list[list[int]] = [[]]
    distinct: list[list[object]] = [[]]
    tables: list[dict[object, int]] = [{}]
    for value in values:
        _code_row((value,), codes, tables, distinct)
    return distinct[0], codes[0]


_Column = tuple[int, Sequence[object], str, Sequence[int]]  # field index, distinct values, name, a code a row

NESTED = 16  # distinct values of one record class above which a field's values are a table themselves


def _distinct(values: Sequence[object], nest: bool, text: bool) -> Sequence[object]:
    """A field's distinct values: a tuple; the strings of a ``text`` field as :class:`Texts`; numbers with a
    fraction (and None) as :class:`Floats`; or, when
    there are many and all are records of one frozen dataclass (a registry result's provenance parts, one
    per row), a table of them, made when read, its own text fields named by the class's ``OWN_TEXT``. One
    level only: the records such a part refers to (a result's Outcome) are the dataset's own objects, kept
    as they are rather than made again, equal but apart, from a table of their own."""
    kinds: set[type] = set()
    for _start, part in slices(values):  # in C, a slice at a time (a million arm ids: 0.9 s as a comprehension)
        kinds.update(map(type, part))
    if text and kinds == {str} and len(values) > _FEW_TEXTS:
        return Texts(values)  # type: ignore[arg-type]
    if len(values) > _FEW and float in kinds and kinds <= {float, type(None)}:
        return Floats(values)  # type: ignore[arg-type]
    if nest and len(values) > NESTED and len(kinds) == 1:
        (kind,) = kinds
        params = getattr(kind, "__dataclass_params__", None)
        if params is not None and params.frozen and all(f.init for f in fields(kind)):
            return RecordTable.of(kind, values, nest=False, text=getattr(kind, "OWN_TEXT", ()))
    return values if isinstance(values, tuple) else tuple(values)  # (a table's ids with their index: by_id.Keys)


def _readable(values: Sequence[object]) -> Sequence[object]:
    """A field's distinct values as one pass over many rows reads them (a Texts' strings made once)."""
    if isinstance(values, Texts | Joined):
        return values.strings()
    return values.numbers() if isinstance(values, Floats) else values


def _followers(
    names: Sequence[str],
    values: Sequence[Sequence[object]],
    codes: Sequence[Sequence[int]],
    follows: Mapping[str, str],
    length: int,
) -> dict[int, tuple[int, list[int]]]:
    """Of the fields ``follows`` names, those whose code every row's code of the field named with it decides
    (both coded, the deciding one with fewer values than rows and deciding no other way): per following
    field's index, the deciding field's index and the following field's code per deciding code."""
    found: dict[int, tuple[int, list[int]]] = {}
    deciding: set[int] = set()
    for name, by in follows.items():
        k, key = names.index(name), names.index(by)
        if len(values[k]) < 2 or not 1 < len(values[key]) < length or key in found or k in deciding:
            continue
        own: list[int] = [-1] * len(values[key])
        for by_code, code in zip(codes[key], codes[k], strict=True):
            if own[by_code] != code:
                if own[by_code] >= 0:
                    break
                own[by_code] = code
        else:
            found[k] = (key, own)
            deciding.add(key)
    return found


class RecordTable(ReadSequence[R]):
    """Records of one frozen dataclass as dictionary-encoded columns (see the module docstring).

    A column whose value another column's decides in every row (a registry adverse event's organ system and
    seriousness follow its term, its number at risk and provenance its group: four of seven columns of
    NCT02552212's 235 rows, issue 17) may be held as that: a code per distinct value of the other column in
    place of a code a row (``follows``: the fields that may, each with the field that would decide it; a
    field the rows do not bear out keeps a code a row)."""

    __slots__ = ("_cls", "_codes", "_fields", "_follow", "_len", "_template", "_values")

    def __init__(
        self,
        cls: type[R],
        names: Sequence[str],
        values: Sequence[Sequence[object]],
        codes: Sequence[Sequence[int]],
        *,
        nest: bool = True,
        text: Iterable[str] = (),
        follows: Mapping[str, str] | None = None,
    ) -> None:
        """Per field (``names``), its distinct ``values`` and every row's code into them; ``text``: the
        fields whose strings are the table's own (see the module docstring); ``follows``: see the class."""
        own = frozenset(text)
        template: list[object] = [v[0] if len(v) == 1 else None for v in values]
        varying = [
            (k, _distinct(v, nest, names[k] in own), names[k], codes[k]) for k, v in enumerate(values) if len(v) > 1
        ]
        length = len(codes[0]) if codes else 0
        self._assemble(cls, length, template, varying, _followers(names, values, codes, follows or {}, length))

    def _assemble(
        self,
        cls: type[R],
        length: int,
        template: list[object],
        varying: Sequence[_Column],
        follow: Mapping[int, tuple[int, list[int]]] | None = None,
        packed: Codes | None = None,
    ) -> None:
        """Set the table from its one-value fields (``template``), its coded columns, in field order, and the
        columns among them that ``follow`` another (by field index: the other's, and its code per value);
        ``packed``: the coded columns' codes already packed one after the other (none follows another)."""
        self._cls = cls
        self._len = length
        self._template = template
        # a coded column is its field's index (one byte) and its distinct values: a (field, values, name)
        # tuple a column was 64 bytes more, ~1.4 KB of a registry study's ~23 columns (issue 17)
        self._fields = bytes(k for k, *_ in varying)
        self._values = tuple(v for _k, v, *_ in varying)
        if packed is not None:
            self._codes, self._follow = packed, b""
            return
        widest = max((len(v) for _k, v, _name, _codes in varying), default=0)
        typecode = next(code for code, limit in WIDTHS if widest <= limit)
        follow = follow or {}
        packed = array(typecode)
        # the columns of a code a row first, column after column (column j's rows at j*n .. j*n+n-1 when
        # none follows another), then each following column's code per value of the column it follows
        for k, *_, column in varying:
            if k not in follow:
                packed.extend(column.tolist() if isinstance(column, array) and column.typecode != typecode else column)
        for k, *_ in varying:
            if k in follow:
                packed.extend(follow[k][1])
        self._codes = packed
        # per coded column: 0, or 1 + the place among the coded columns of the column it follows
        self._follow = bytes(1 + self._fields.index(follow[k][0]) if k in follow else 0 for k in self._fields)
        if not any(self._follow):
            self._follow = b""

    def _layout(self) -> list[tuple[int, int]]:
        """Per coded column: where its codes start in the packed array, and where the codes of the column
        it follows start (-1: it has a code a row of its own)."""
        n, follow = self._len, self._follow
        if not follow:
            return [(j * n, -1) for j in range(len(self._fields))]
        starts, at = [0] * len(follow), 0
        for j, f in enumerate(follow):
            if not f:
                starts[j], at = at, at + n
        for j, f in enumerate(follow):
            if f:
                starts[j], at = at, at + len(self._values[f - 1])
        return [(starts[j], starts[f - 1] if f else -1) for j, f in enumerate(follow)]

    def _column_codes(self, j: int, layout: Sequence[tuple[int, int]]) -> Codes:
        """Coded column ``j``'s code a row (a following column's read through the column it follows)."""
        n, codes = self._len, self._codes
        start, key = layout[j]
        if key < 0:
            return codes[start : start + n]
        assert isinstance(codes, array)  # only _assemble's own packing has followers (from_codes: none)
        own = codes[start : start + len(self._values[self._follow[j] - 1])]
        return array(codes.typecode, map(own.__getitem__, codes[key : key + n]))

    @property
    def _varying(self) -> list[tuple[int, Sequence[object], str]]:
        """Each coded column's field index, distinct values and field name, in field order."""
        names = field_names(self._cls)
        return [(k, v, names[k]) for k, v in zip(self._fields, self._values, strict=True)]

    def with_column(self, name: str, values: Iterable[object]) -> RecordTable[R]:
        """This table with every row's ``name`` replaced by ``values`` (one a row, in order), the other
        columns shared as they are: a re-stamped copy of a study's figures (``registry.rows``) is coded
        once, without making each record, replacing it and coding it again."""
        k = field_names(self._cls).index(name)
        distinct, codes = encode(values)
        n = self._len
        if len(codes) != n:
            raise ValueError(f"{len(codes)} values for a table of {n} rows")
        template = self._template.copy()
        template[k] = distinct[0] if len(distinct) == 1 else None
        layout = self._layout()
        varying: list[_Column] = [
            (j_k, v, field, self._column_codes(j, layout))
            for j, (j_k, v, field) in enumerate(self._varying)
            if j_k != k
        ]
        if len(distinct) > 1:
            varying.append((k, _distinct(distinct, True, False), name, codes))
            varying.sort(key=itemgetter(0))
        table: RecordTable[R] = RecordTable.__new__(RecordTable)
        table._assemble(self._cls, n, template, varying)
        return table

    def with_values(self, name: str, values: Sequence[object]) -> RecordTable[R]:
        """This table with field ``name``'s distinct values held as ``values``, which must equal them in order
        (a sequence that makes them when read, such as :class:`Joined`), every code and other column shared.
        A field of one value keeps it (the template holds it)."""
        j = self._fields.find(field_names(self._cls).index(name))
        if j < 0:
            return self
        if list(_readable(self._values[j])) != list(_readable(values)):
            raise ValueError(f"the values given for {name} are not the table's")
        table: RecordTable[R] = RecordTable.__new__(RecordTable)
        table._cls, table._len, table._template, table._fields, table._codes, table._follow = (
            self._cls,
            self._len,
            self._template,
            self._fields,
            self._codes,
            self._follow,
        )
        table._values = (*self._values[:j], values, *self._values[j + 1 :])
        return table

    @classmethod
    def of(
        cls, record_class: type[R], records: Iterable[R], *, nest: bool = True, text: Iterable[str] = ()
    ) -> RecordTable[R]:
        """A table of ``records`` (all of ``record_class``; ``text``: its fields of own text)."""
        builder = TableBuilder(record_class, text=text)
        builder.extend(records)
        return builder.table(nest=nest)

    @classmethod
    def from_codes(
        cls, record_class: type[R], values: Sequence[Sequence[object]], codes: Sequence[npt.NDArray[Any]]
    ) -> RecordTable[R]:
        """A table from numpy code arrays, one per field (``values``: the field's values, each row's code
        into them, not negative; a field of one value may give any codes), packed without a Python loop per
        row (a columnar reader's results: ``viewer.domain.readers.result_columns``).

        The codes are packed in numpy's memory, held through a ``memoryview`` of the typecode's format (it
        reads as the ``array`` would): numpy copies them without the interpreter lock, whereas an ``array``
        filled from them copied a million arms' codes, and faulted in their pages, holding it (70-230 ms, a
        stall of the window's GUI thread while its worker reads: ``viewer.domain.sliced``)."""
        import numpy as np

        names = field_names(record_class)
        template: list[object] = [v[0] if len(v) == 1 else None for v in values]
        widest = max((len(v) for v in values if len(v) > 1), default=0)
        typecode = next(code for code, limit in WIDTHS if widest <= limit)
        width = np.dtype(f"u{array(typecode).itemsize}")  # its buffer's format is the typecode
        coded = [(k, v, codes[k]) for k, v in enumerate(values) if len(v) > 1]
        rows = len(codes[0]) if len(codes) else 0
        packed = np.empty(rows * len(coded), dtype=width)  # each column's codes after the last one's
        varying: list[_Column] = []
        for j, (k, v, column) in enumerate(coded):
            packed[j * rows : (j + 1) * rows] = column  # copied (and cast) by numpy, without the lock
            varying.append((k, _distinct(v, True, False), names[k], ()))
        table: RecordTable[R] = cls.__new__(cls)
        table._assemble(record_class, rows, template, varying, packed=memoryview(packed.data))
        return table

    @classmethod
    def in_file_order(
        cls,
        record_class: type[R],
        values: Sequence[Sequence[object]],
        codes: Sequence[npt.NDArray[Any]],
        numbers: npt.NDArray[Any],
        full: Sequence[tuple[int, R]],
    ) -> RecordTable[R]:
        """:meth:`from_codes` of the rows a columnar reader took (``numbers``: their row numbers, in order)
        with the records ``full`` (each with its row number: the rows read the long way) in their places,
        each of their values coded into its field's (appended when new, keyed as ``TableBuilder`` keys it)."""
        if not full:
            return cls.from_codes(record_class, values, codes)
        import numpy as np  # here, as in ``sliced``: the registry's tables are made without numpy

        places = np.searchsorted(numbers, [number for number, _ in full]) + np.arange(len(full))
        taken = np.ones(len(numbers) + len(full), dtype=np.bool_)
        taken[places] = False
        names = field_names(record_class)
        known = [list(v) for v in values]
        tables = [{v if type(v) in _PLAIN else value_key(v): k for k, v in reversed(list(enumerate(v)))} for v in known]
        extra: list[list[int]] = [[] for _ in names]
        for _, record in full:
            _code_row([getattr(record, name) for name in names], extra, tables, known)
        merged_codes = []
        for field_values, field_codes, added in zip(values, codes, extra, strict=True):
            out = np.empty(len(taken), dtype=np.int64)
            out[taken] = field_codes if len(field_values) > 1 else 0  # a field of one value: any codes
            out[places] = added
            merged_codes.append(out)
        return cls.from_codes(record_class, known, merged_codes)

    def __len__(self) -> int:
        return self._len

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        """The slots to pickle (the window's cache of the shipped catalog), codes held in numpy's memory as
        an ``array`` of the same codes (a ``memoryview`` is not picklable); they load back as that array."""
        state = {name: getattr(self, name) for name in self.__slots__}
        if isinstance(self._codes, memoryview):
            codes = array(self._codes.format)
            codes.frombytes(self._codes.cast("B"))
            state["_codes"] = codes
        return None, state

    def _item(self, index: int) -> R:
        n = self._len
        args = self._template.copy()
        codes = self._codes
        if self._follow:
            for (start, key), k, values in zip(self._layout(), self._fields, self._values, strict=True):
                args[k] = values[codes[start + (index if key < 0 else codes[key + index])]]
        else:
            for j, (k, values) in enumerate(zip(self._fields, self._values, strict=True)):
                args[k] = values[codes[j * n + index]]
        return self._cls(*args)

    def __iter__(self) -> Iterator[R]:
        n, make, args = self._len, self._cls, self._template.copy()
        layout = self._layout()
        columns = [
            (k, _readable(values), self._column_codes(j, layout))
            for j, (k, values) in enumerate(zip(self._fields, self._values, strict=True))
        ]
        for i in range(n):
            for k, values, codes in columns:
                args[k] = values[codes[i]]
            yield make(*args)

    def coded(self, name: str) -> tuple[Sequence[Any], Codes]:
        """One field as its distinct values and every row's code into them, as the table holds it: what the
        catalog's columns read instead of the values row by row (``columns._column``)."""
        return self._coded(name)

    def _coded(self, name: str) -> tuple[Sequence[Any], Codes]:
        n = self._len
        k = field_names(self._cls).index(name)
        j = self._fields.find(k)
        if j >= 0:
            return _readable(self._values[j]), self._column_codes(j, self._layout())
        if not n:  # an empty table has no value to name (its template holds None for every field)
            return [], array("B")
        return [self._template[k]], array("B", bytes(n))

    def column(self, name: str) -> list[Any]:
        """Every row's value of one field, without making the records (``[r.<name> for r in self]``)."""
        values, codes = self._coded(name)
        if len(values) == len(codes) > 1 and in_order(codes):  # a value a row, in order (an arm table's ids)
            return list(values)
        get, out = values.__getitem__, list[Any]()
        for _start, part in slices(codes):  # a slice at a time: a million arms' trials held the GIL for 80 ms
            out += map(get, part)
        return out

    def __repr__(self) -> str:
        return f"RecordTable({self._cls.__name__}, {self._len} rows)"


def code_array(codes: Codes) -> npt.NDArray[Any]:
    """A table's codes (``RecordTable.coded``) as a numpy array of their width, read in place."""
    import numpy as np

    return np.frombuffer(codes, dtype=f"u{codes.itemsize}")


def in_order(codes: Codes) -> bool:
    """Whether ``codes`` are 0, 1, 2, ... (one comparison in numpy: a million ids read by code took 0.3 s)."""
    import numpy as np

    return bool(np.array_equal(code_array(codes), np.arange(len(codes))))


class RecordChain(ReadSequence[R]):
    """Several sequences of records (tables, tuples) end to end, read in place: a catalog's figures."""

    __slots__ = ("_ends", "_parts")

    def __init__(self, parts: Iterable[Sequence[R]]) -> None:
        self._parts = tuple(p for p in parts if len(p))
        ends, total = [], 0
        for part in self._parts:
            total += len(part)
            ends.append(total)
        self._ends = tuple(ends)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def _item(self, index: int) -> R:
        part = bisect_right(self._ends, index)
        return self._parts[part][index - (self._ends[part - 1] if part else 0)]

    def __iter__(self) -> Iterator[R]:
        return chain.from_iterable(self._parts)

    @property
    def parts(self) -> tuple[Sequence[R], ...]:
        """The sequences end to end (a table among them read from its codes by the catalog's columns)."""
        return self._parts

    def column(self, name: str) -> list[Any]:
        """Every row's value of one field, part after part, a table's without making its records."""
        out: list[Any] = []
        for part in self._parts:
            out += attribute(part, name)
        return out

    def __repr__(self) -> str:
        return f"RecordChain({len(self._parts)} parts, {len(self)} rows)"


def chained(parts: Iterable[Sequence[R]]) -> Sequence[R]:
    """``parts`` end to end: a tuple when no part is a table (as before), else a chain reading the tables
    in place, neighbouring tuples joined into one so that a lookup bisects few parts."""
    joined: list[Sequence[R]] = []
    run: list[R] = []
    for part in parts:
        if isinstance(part, RecordTable | RecordChain):
            if run:
                joined.append(tuple(run))
                run = []
            joined.append(part)
        else:
            run.extend(part)
    if not joined:
        return tuple(run)
    if run:
        joined.append(tuple(run))
    return RecordChain(joined)

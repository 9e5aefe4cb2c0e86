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
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import MISSING, fields
from itertools import chain
from operator import attrgetter
from typing import Any, Generic, TypeVar, overload

from viewer.domain.sliced import attribute

R = TypeVar("R")

_WIDTHS = (("B", 1 << 8), ("H", 1 << 16), ("I", 1 << 32))  # array typecodes by how many values they code


# Values that are their own key: text, a whole number or None equals only a value of its own type here (a float,
# a bool and every other value is keyed with its type, so 1, 1.0 and True never share a code)
_PLAIN = frozenset({str, int, type(None)})


def _key(value: object) -> object:
    """The dictionary key of a value not in ``_PLAIN``: its type and value, a float by its bits."""
    kind = type(value)
    if kind is float:
        return (kind, value.hex())  # type: ignore[attr-defined]
    return (kind, value)


_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type[Any]) -> tuple[str, ...]:
    """The field names of a record class, in order (one tuple per class, shared by its tables)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


class TableBuilder(Generic[R]):
    """Collects the rows of one record class, field by field, then packs them (:meth:`table`).

    ``add`` takes the record's fields as keywords, its defaults filled in, so a reader writes a row as it
    would construct the record, and no record object is made.
    """

    def __init__(self, cls: type[R]) -> None:
        self.cls = cls
        found = fields(cls)  # type: ignore[arg-type]
        self.names = field_names(cls)
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
        """One row's values in field order, each coded (text, a count or None is its own key: ``_key``)."""
        for value, codes, table, values in zip(row, self._codes, self._tables, self._values, strict=True):
            key = value if type(value) in _PLAIN else _key(value)
            code = table.get(key)
            if code is None:
                code = table[key] = len(values)
                values.append(value)
            codes.append(code)

    def table(self, *, nest: bool = True) -> RecordTable[R]:
        """The rows so far, packed (``nest``: see ``_distinct``)."""
        return RecordTable(self.cls, self.names, self._values, self._codes, nest=nest)


class ReadSequence(Sequence[R]):
    """A sequence whose items are made when read: equal to a tuple (or another such sequence) of the same
    items in the same order, and hashed as that tuple, so a record holding one compares as with a tuple."""

    __slots__ = ()

    def _item(self, index: int) -> R:
        """The item at ``index`` (0 <= index < len(self)), made now."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[R, ...]: ...

    def __getitem__(self, index: int | slice) -> R | tuple[R, ...]:
        n = len(self)
        if isinstance(index, slice):
            return tuple(self._item(i) for i in range(*index.indices(n)))
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._item(index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReadSequence | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))


NESTED = 16  # distinct values of one record class above which a field's values are a table themselves


def _distinct(values: Sequence[object], nest: bool) -> Sequence[object]:
    """A field's distinct values: a tuple, or, when there are many and all are records of one frozen
    dataclass (a registry result's provenance parts, one per row), a table of them, made when read. One
    level only: the records such a part refers to (a result's Outcome) are the dataset's own objects, kept
    as they are rather than made again, equal but apart, from a table of their own."""
    kinds = {type(v) for v in values}
    if nest and len(values) > NESTED and len(kinds) == 1:
        (kind,) = kinds
        params = getattr(kind, "__dataclass_params__", None)
        if params is not None and params.frozen and all(f.init for f in fields(kind)):  # type: ignore[arg-type]
            return RecordTable.of(kind, values, nest=False)
    return tuple(values)


class RecordTable(ReadSequence[R]):
    """Records of one frozen dataclass as dictionary-encoded columns (see the module docstring)."""

    __slots__ = ("_cls", "_codes", "_len", "_template", "_varying")

    def __init__(
        self,
        cls: type[R],
        names: Sequence[str],
        values: Sequence[Sequence[object]],
        codes: Sequence[Sequence[int]],
        *,
        nest: bool = True,
    ) -> None:
        """Per field (``names``), its distinct ``values`` and every row's code into them."""
        self._cls = cls
        self._len = len(codes[0]) if codes else 0
        self._template: list[object] = [v[0] if len(v) == 1 else None for v in values]
        varying = [(k, _distinct(v, nest)) for k, v in enumerate(values) if len(v) > 1]
        self._varying = tuple((k, v, names[k]) for k, v in varying)
        widest = max((len(v) for _k, v in varying), default=0)
        typecode = next(code for code, limit in _WIDTHS if widest <= limit)
        packed = array(typecode)
        for k, _v in varying:
            packed.extend(codes[k])  # column after column: column j holds rows j*n .. j*n+n-1
        self._codes = packed

    @classmethod
    def of(cls, record_class: type[R], records: Iterable[R], *, nest: bool = True) -> RecordTable[R]:
        """A table of ``records`` (all of ``record_class``)."""
        builder = TableBuilder(record_class)
        builder.extend(records)
        return builder.table(nest=nest)

    def __len__(self) -> int:
        return self._len

    def _item(self, index: int) -> R:
        n = self._len
        args = self._template.copy()
        codes = self._codes
        for j, (k, values, _name) in enumerate(self._varying):
            args[k] = values[codes[j * n + index]]
        return self._cls(*args)

    def __iter__(self) -> Iterator[R]:
        n, make, args = self._len, self._cls, self._template.copy()
        columns = [(k, values, self._codes[j * n : (j + 1) * n]) for j, (k, values, _name) in enumerate(self._varying)]
        for i in range(n):
            for k, values, codes in columns:
                args[k] = values[codes[i]]
            yield make(*args)

    def column(self, name: str) -> list[Any]:
        """Every row's value of one field, without making the records (``[r.<name> for r in self]``)."""
        n = self._len
        for j, (_k, values, field_name) in enumerate(self._varying):
            if field_name == name:
                return list(map(values.__getitem__, self._codes[j * n : (j + 1) * n]))
        return [self._template[field_names(self._cls).index(name)]] * n

    def __repr__(self) -> str:
        return f"RecordTable({self._cls.__name__}, {self._len} rows)"


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

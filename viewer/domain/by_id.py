"""Records of several sequences looked up by id, without a dictionary entry or an object per record.

A catalog's arms are each dataset's arms merged by id, later datasets winning on a duplicate id (a user's own
edit), as ``dict.update`` merges them: an id keeps the place where it first came, and names the record that
came last. At 1,000,000 arms such a dict cost 0.4 s and ~90 MB to fill, and filling it made every arm an object
(issue 17); a chart then looks up a few hundred arms. :class:`ById` is that mapping over the sequences as they
are (a dataset folder's arms are a ``compact.RecordTable``, made only when read): an id is found through the
ids' hashes sorted once with numpy (16 bytes an id, one vector sort), a binary search and a comparison with
the id itself (hashes may collide), and a record is read from its sequence only when asked for. After
:data:`MANY` lookups (a pass over every figure: the audit) a plain ``{id: place}`` dict is made instead,
as one lookup in it is faster than a binary search.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence, ValuesView
from itertools import accumulate, chain
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from viewer.domain import sliced
from viewer.domain.compact import code_array, encode, in_order

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

R = TypeVar("R")

MANY = 1 << 14  # lookups after which one dict of every id serves them (see the module docstring)


class ById(Mapping[str, R], Generic[R]):
    """``{r.id: r}`` over ``parts`` (sequences of records with an ``id``), merged as ``dict.update`` merges."""

    __slots__ = ("_asked", "_ends", "_hashed", "_ids", "_parts", "_places", "_table")

    def __init__(self, parts: Iterable[Sequence[R]]) -> None:
        self._parts = tuple(p for p in parts if len(p))
        self._ends = list(accumulate(map(len, self._parts)))  # where each part's records end
        self._reset()

    def _reset(self) -> None:
        self._ids: list[str] | None = None  # every record's id, part after part
        self._hashed: HashIndex | None = None  # the ids' hashes, sorted
        self._places: npt.NDArray[np.intp] | None = None  # per distinct id in order: its last record; None: 1:1
        self._table: dict[str, int] | None = None
        self._asked = 0

    def __getstate__(self) -> tuple[Sequence[R], ...]:
        return self._parts  # the indexes are made again when used

    def __setstate__(self, state: tuple[Sequence[R], ...]) -> None:
        ById.__init__(self, state)

    @property
    def parts(self) -> tuple[Sequence[R], ...]:
        """The sequences merged (a table among them read from its codes by the catalog's columns)."""
        return self._parts

    def ids(self) -> list[str]:
        """Every record's id, part after part (duplicates included: see :meth:`rows`)."""
        if self._ids is None:
            out: list[str] = []
            for part in self._parts:
                out += sliced.attribute(part, "id")
            self._ids = out
        return self._ids

    def rows(self) -> npt.NDArray[np.intp] | None:
        """Per key in order, the place (among every record, part after part) of its record; None when no id
        is repeated, so that the keys are the records in order (known without looking for one part whose
        ids are its distinct values: a dataset folder's arm table, read only when no id repeats)."""
        if self._hashed is None and len(self._parts) == 1 and _distinct_ids(self._parts[0]):
            return None
        self._index()
        return self._places

    def _index(self) -> None:
        """Sort the hashes (once: a part's own sorted hashes are used as they are, ``Keys``); find the
        repeated ids among equal hashes."""
        if self._hashed is not None:
            return
        import numpy as np  # here: a catalog of a few arms (the shipped one, at start-up) needs none

        ids, starts = self.ids(), [0, *self._ends]
        hashed = HashIndex.merged(
            [_own_index(part) or HashIndex.of(ids[starts[k] : starts[k + 1]]) for k, part in enumerate(self._parts)]
        )
        places = None
        runs = hashed.equal_runs()
        if runs:  # equal hashes: a repeated id (or a collision, told apart by the ids themselves)
            last = np.arange(len(ids), dtype=np.intp)  # per record: the place of its id's last record
            first = np.ones(len(ids), dtype=np.bool_)  # per record: whether its id comes first there
            for found in hashed.repeats(ids, runs):
                last[found[0]] = found[-1]
                first[found[1:]] = False
            if not bool(first.all()):
                places = last[first]
        self._hashed, self._places = hashed, places

    def _place(self, key: str) -> int:
        """The place of ``key``'s record among every record (its last, for a repeated id); -1: none."""
        table = self._table
        if table is not None:
            return table.get(key, -1)
        self._asked += 1
        if self._asked > MANY:
            self._table = sliced.positions(self.ids())  # a later record of an id overwrites the earlier
            return self._table.get(key, -1)
        self._index()
        assert self._hashed is not None
        return max(self._hashed.find(self.ids(), key), default=-1)  # an id's last record wins

    def _record(self, place: int) -> R:
        part = bisect_right(self._ends, place)
        return self._parts[part][place - (self._ends[part - 1] if part else 0)]

    def at(self, k: int) -> R:
        """The record of the ``k``-th key (the catalog's columns code the arms in this order)."""
        places = self.rows()
        return self._record(k if places is None else int(places[k]))

    def __getitem__(self, key: str) -> R:
        place = self._place(key)
        if place < 0:
            raise KeyError(key)
        return self._record(place)

    def get(self, key: str, default: Any = None) -> Any:
        place = self._place(key)
        return default if place < 0 else self._record(place)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._place(key) >= 0

    def __len__(self) -> int:
        places = self.rows()
        if places is not None:
            return len(places)
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[str]:
        places = self.rows()
        ids = self.ids()
        return iter(ids) if places is None else map(ids.__getitem__, places.tolist())

    def values(self) -> _Values[R]:
        return _Values(self)

    def column(self, name: str) -> list[Any]:
        """Every key's record's field ``name``, in key order, a table's read from its codes (no record made)."""
        out: list[Any] = []
        for part in self._parts:
            out += sliced.attribute(part, name)
        places = self.rows()
        return out if places is None else sliced.pick(out, places.tolist())

    def coded(self, name: str) -> tuple[Sequence[Any], npt.NDArray[np.unsignedinteger[Any]]]:
        """Every key's record's field ``name`` as distinct values and a code per key into them, in key order:
        a dataset folder's arm table's column as the table holds it (no value read a row at a time), any
        other's coded here (``compact.encode``)."""
        import numpy as np

        part = self._parts[0] if len(self._parts) == 1 else None
        if part is not None and hasattr(part, "coded") and self.rows() is None:
            values, codes = part.coded(name)
            return values, code_array(codes)
        distinct, found = encode(self.column(name))
        return distinct, np.array(found, dtype=np.uint32)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return len(self) == len(other) and all(
                k in other and other[k] == v for k, v in zip(self, self.values(), strict=True)
            )
        return NotImplemented

    def __repr__(self) -> str:
        return f"ById({len(self._parts)} parts, {len(self)} records)"


class HashIndex:
    """Ids found through their hashes: the hashes sorted with numpy (16 bytes an id, one vector sort) and the
    ids' places in that order; an id is found by a binary search and a comparison with the id itself (hashes
    may collide). A reader that checks a table's ids for repeats makes one (``readers.columnar.Keyed``) and
    hands it on with the ids (:class:`Keys`), so the catalog's :class:`ById` sorts no hash again."""

    __slots__ = ("hashes", "order")

    def __init__(self, hashes: npt.NDArray[np.int64], order: npt.NDArray[np.intp]) -> None:
        self.hashes = hashes  # sorted
        self.order = order  # the places of the ids, in the order of their hashes

    @classmethod
    def of(cls, ids: Sequence[str]) -> HashIndex:
        """The index of ``ids`` (the ids of one hash in any order)."""
        import numpy as np

        hashes = sliced.array(ids, lambda part: np.fromiter(map(hash, part), np.int64, len(part)), np.int64)
        order = np.argsort(hashes)
        return cls(hashes[order], order)

    @classmethod
    def merged(cls, indexes: Sequence[HashIndex]) -> HashIndex:
        """One index of several sequences of ids end to end (each's index, in order): its sorted runs merged
        by a stable sort, which a run of sorted hashes makes a merge."""
        if len(indexes) == 1:
            return indexes[0]
        import numpy as np

        if not indexes:
            return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.intp))
        starts = np.cumsum([0] + [len(index.hashes) for index in indexes[:-1]])
        hashes = np.concatenate([index.hashes for index in indexes])
        order = np.concatenate([index.order + start for index, start in zip(indexes, starts, strict=True)])
        merge = np.argsort(hashes, kind="stable")
        return cls(hashes[merge], order[merge])

    def equal_runs(self) -> list[npt.NDArray[np.intp]]:
        """The runs of two or more equal hashes, each as the positions (in hash order) it holds but its last."""
        import numpy as np

        same = np.flatnonzero(self.hashes[1:] == self.hashes[:-1])
        if not len(same):
            return []
        # a run of equal hashes from s to e holds s .. e-1 in ``same``: split it where it stops counting up
        return np.split(same, np.flatnonzero(np.diff(same) != 1) + 1)

    def repeats(self, ids: Sequence[str], runs: Sequence[npt.NDArray[np.intp]]) -> Iterator[list[int]]:
        """The places of each id found more than once among equal hashes (``runs``), in order."""
        for run in runs:
            start, end = int(run[0]), int(run[-1]) + 2
            seen: dict[str, list[int]] = {}
            for place in sorted(self.order[start:end].tolist()):
                seen.setdefault(ids[place], []).append(place)
            yield from (found for found in seen.values() if len(found) > 1)

    def find(self, ids: Sequence[str], key: str) -> list[int]:
        """The places of ``key`` among ``ids`` (the ids indexed)."""
        try:
            wanted = hash(key)
        except TypeError:  # an unhashable key is in no dict either
            return []
        import numpy as np

        hashes, order, found = self.hashes, self.order, []
        low = int(np.searchsorted(hashes, wanted))
        while low < len(hashes) and hashes[low] == wanted:
            place = int(order[low])
            if ids[place] == key:
                found.append(place)
            low += 1
        return found


class Keys(tuple[str, ...]):
    """A table's distinct ids, a value a row in row order, with their :class:`HashIndex` (``hashed``): a
    ``compact.RecordTable`` keeps the tuple as its id column's values, and a :class:`ById` over the table
    uses the index. Pickled as a plain tuple: a string's hash is its process's own."""

    hashed: HashIndex

    def __new__(cls, ids: Iterable[str], hashed: HashIndex) -> Keys:
        keys = super().__new__(cls, ids)
        keys.hashed = hashed
        return keys

    def __reduce__(self) -> tuple[type[tuple[str, ...]], tuple[tuple[str, ...]]]:
        return tuple, (tuple(self),)


def _own_index(part: Sequence[Any]) -> HashIndex | None:
    """The hash index a table's ids came with (:class:`Keys`, when they are its rows' ids in row order)."""
    coded = getattr(part, "coded", None)
    if coded is None:
        return None
    values, codes = coded("id")
    return values.hashed if isinstance(values, Keys) and len(values) == len(part) and in_order(codes) else None


def _distinct_ids(part: Sequence[Any]) -> bool:
    """Whether ``part`` holds its ids coded, one distinct id a record (``compact.RecordTable.coded``)."""
    coded = getattr(part, "coded", None)
    return coded is not None and len(coded("id")[0]) == len(part)


class _Values(ValuesView[R]):
    """A :class:`ById`'s records in key order; a field of every one read by ``column`` (``sliced.attribute``)."""

    _mapping: ById[R]

    def __iter__(self) -> Iterator[R]:
        mapping = self._mapping
        places = mapping.rows()
        if places is None:
            return chain.from_iterable(mapping.parts)
        return map(mapping._record, places.tolist())

    def column(self, name: str) -> list[Any]:
        return self._mapping.column(name)

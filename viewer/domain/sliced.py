"""Loops in C over millions of records, run in slices so that another thread gets the interpreter between them.

A loop that runs in C (``map`` with ``attrgetter``, ``np.fromiter``, ``dict(zip(...))``, ``bytes.decode``,
``io.StringIO``) holds CPython's global interpreter lock until it ends. The window reads a file on a worker
thread, and one such loop over the 2,000,000 results of a 1,000,000-arm dataset held the lock for 0.1-0.7 s:
the GUI thread could not repaint or take a click meanwhile (a heartbeat on the GUI thread measures it,
``bench/ui_stall.py``). CPython hands the lock to a waiting thread between two bytecodes once its switch
interval (``sys.getswitchinterval()``, 5 ms) has passed, so each function here runs its C loop over slices of
:data:`SLICE` items from a Python loop: the same result in the same order, with a hand-over point between
slices (a few milliseconds apart), for one Python iteration per slice.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice, zip_longest
from operator import attrgetter, eq, ne
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import numpy.typing as npt

T = TypeVar("T")

SLICE = 1 << 15  # items per C loop: 32,768 lookups or attribute reads take 2-10 ms
TEXT_SLICE = 1 << 20  # characters (or bytes) per slice of a text: ~1 ms to decode or to copy


def slices(values: Sequence[T]) -> Iterator[tuple[int, Sequence[T]]]:
    """``values`` in consecutive slices of :data:`SLICE` items, each with the position it starts at."""
    for start in range(0, len(values), SLICE):
        yield start, values[start : start + SLICE]


def attribute(records: Iterable[object], name: str) -> list[Any]:
    """``[r.<name> for r in records]``, read in C a slice at a time (a compact table's column is read from
    its codes, without making its records: ``viewer.domain.compact``)."""
    column = getattr(records, "column", None)
    if column is not None:
        return column(name)  # type: ignore[no-any-return]
    get, remaining, out = attrgetter(name), iter(records), []
    while part := list(map(get, islice(remaining, SLICE))):
        out += part
    return out


def index(records: Iterable[T], key: str, into: dict[Any, T]) -> None:
    """``into.update((r.<key>, r) for r in records)``, in C a slice at a time."""
    get, remaining = attrgetter(key), iter(records)
    while part := list(islice(remaining, SLICE)):
        into.update(zip(map(get, part), part, strict=True))


def array(values: Sequence[T], convert: Callable[[Sequence[T]], npt.ArrayLike], dtype: Any) -> npt.NDArray[Any]:
    """One array of ``convert(part)`` for consecutive slices ``part`` of ``values`` (``convert`` gives one
    item per value: ``np.fromiter(map(table.get, part), ...)``, ``np.array(part, ...)``)."""
    import numpy as np  # here: the readers import this module, and a text read needs no numpy

    out: npt.NDArray[Any] = np.empty(len(values), dtype=dtype)
    for start, part in slices(values):
        out[start : start + len(part)] = convert(part)
    return out


def changes(values: Sequence[T]) -> npt.NDArray[Any]:
    """Whether each value differs from the one before it (the first does): where each run of equal values
    starts, as a bool array."""
    import numpy as np

    out = np.ones(len(values), dtype=np.bool_)
    for start, part in slices(values):
        skip = 1 if start == 0 else 0  # the first value has none before it
        before = values[start - 1 + skip : start + len(part) - 1]
        out[start + skip : start + len(part)] = np.fromiter(
            map(ne, part[skip:], before), dtype=np.bool_, count=len(part) - skip
        )
    return out


def pick(values: Sequence[T], places: Sequence[int]) -> list[T]:
    """``[values[k] for k in places]``."""
    get, out = values.__getitem__, list[T]()
    for _start, part in slices(places):
        out += map(get, part)
    return out


def equal(first: Sequence[T], second: Sequence[T]) -> bool:
    """Whether two sequences hold equal items in the same order (a list may equal a tuple here)."""
    if len(first) != len(second):
        return False
    return all(all(map(eq, part, second[start : start + len(part)])) for start, part in slices(first))


def positions(keys: Sequence[str]) -> dict[str, int]:
    """``{key: its position}`` (``dict(zip(keys, range(len(keys))))``), filled a slice at a time."""
    out: dict[str, int] = {}
    for start, part in slices(keys):
        out.update(zip(part, range(start, start + len(part)), strict=True))
    return out


def order(keys: Sequence[str]) -> list[int]:
    """The positions of ``keys`` in the order of the keys (``sorted(range(len(keys)), key=keys.__getitem__)``,
    stable): each slice sorted, then sorted runs merged in pairs (Python's sort merges two sorted runs in one
    pass, so the last merge of 200,000 ids takes ~30 ms where one sort of them in random order took 0.5 s)."""
    key = keys.__getitem__
    runs = [sorted(range(start, start + len(part)), key=key) for start, part in slices(keys)]
    while len(runs) > 1:
        pairs: Iterable[tuple[list[int], list[int]]] = zip_longest(runs[::2], runs[1::2], fillvalue=[])
        runs = [sorted(first + second, key=key) for first, second in pairs]
    return runs[0] if runs else []


def first_seen(values: Sequence[str]) -> list[str]:
    """The distinct ``values`` in order of first appearance (``list(dict.fromkeys(values))``)."""
    seen: dict[str, None] = {}
    for _start, part in slices(values):
        seen.update(dict.fromkeys(part))
    return list(seen)


def decode(data: bytes, encoding: str) -> str:
    """``data.decode(encoding)``, decoded a megabyte at a time (the same text, or the same error: a slice
    that fails is decoded again whole, so the error's byte offset is the whole file's)."""
    if len(data) <= TEXT_SLICE:
        return data.decode(encoding)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        parts = [decoder.decode(data[i : i + TEXT_SLICE]) for i in range(0, len(data), TEXT_SLICE)]
        parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return data.decode(encoding)  # raises again, with the offset in the whole of ``data``
    return "".join(parts)


def lines(text: str) -> Iterator[str]:
    """The lines ``io.StringIO(text, newline="")`` yields (ends kept, ``\\r``, ``\\n`` and ``\\r\\n`` alike),
    without copying the whole text into one buffer first (0.6 s for 100 MB): a :class:`io.StringIO` per
    slice of about a megabyte, each ending just after a ``\\n``, so no line and no ``\\r\\n`` is cut."""
    return chain.from_iterable(map(_line_reader, _text_slices(text)))


def _line_reader(part: str) -> io.StringIO:
    return io.StringIO(part, newline="")


def _text_slices(text: str) -> Iterator[str]:
    start = 0
    while start < len(text):
        cut = text.find("\n", start + TEXT_SLICE)
        end = len(text) if cut < 0 else cut + 1
        yield text[start:end]
        start = end

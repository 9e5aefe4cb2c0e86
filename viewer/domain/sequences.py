"""Sequences held compactly, each item made when it is read: the values of a table's columns (``compact``).

:class:`ReadSequence` compares and hashes as the tuple of its items, so a record holding one is equal to a
record holding that tuple. :class:`Texts` keeps strings as one text and where each ends (:class:`Deflated`:
deflated, for words a study repeats), :class:`Joined` strings made of shared parts, :class:`Floats` numbers as
an array of doubles: each a string object or float less per value (issue 17: a registry study's strings and
objects were most of what it kept).
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain
from typing import TypeVar, cast, overload

T = TypeVar("T")

WIDTHS = (("B", 1 << 8), ("H", 1 << 16), ("I", 1 << 32))  # array typecodes by how many values they code


class ReadSequence(Sequence[T]):
    """A sequence whose items are made when read: equal to a tuple (or another such sequence) of the same
    items in the same order, and hashed as that tuple, so a record holding one compares as with a tuple."""

    __slots__ = ()

    def _item(self, index: int) -> T:
        """The item at ``index`` (0 <= index < len(self)), made now."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
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


class Texts(ReadSequence[str]):
    """Strings held as one text and the offset where each ends; each string made when read.

    The text is a ``str`` when every character is Latin-1 (a byte a character, as CPython stores it), else
    UTF-8 ``bytes`` (one character outside Latin-1 would make CPython store every character of a ``str``
    in two bytes); the ends are ``bytes`` when under 256, else an ``array`` of the narrowest width. A
    beginning and an end every string shares are held once (a kept-out outcome's place:
    'resultsSection.outcomeMeasuresModule.outcomeMeasures[' ... ']').
    """

    __slots__ = ("_ends", "_prefix", "_suffix", "_text")

    def __init__(self, values: Iterable[str]) -> None:
        values = list(values)
        self._prefix = self._suffix = ""
        shortest = min(map(len, values), default=0)
        prefix = _shared_start(values)
        suffix = _shared_start([v[::-1] for v in values])[::-1][: shortest - len(prefix)] if len(values) > 1 else ""
        if (len(prefix) + len(suffix)) * (len(values) - 1) > _AFFIX_WORTH:
            self._prefix, self._suffix = prefix, suffix
            values = [v[len(prefix) : len(v) - len(suffix)] for v in values]
        joined = "".join(values)
        text: str | bytes = joined
        lengths: Iterable[int] = map(len, values)
        if not joined.isascii():
            try:
                joined.encode("latin-1")
            except UnicodeEncodeError:
                encoded = [v.encode() for v in values]
                text, lengths = b"".join(encoded), map(len, encoded)
        ends = list(accumulate(lengths))
        last = ends[-1] if ends else 0
        # ends under 256 as bytes (33 bytes and one a string; an array's header alone is 64)
        self._ends = bytes(ends) if last < 256 else array(next(code for code, limit in WIDTHS if last < limit), ends)
        self._text = text

    def __len__(self) -> int:
        return len(self._ends)

    def _item(self, index: int) -> str:
        ends = self._ends
        piece = self._text[ends[index - 1] if index else 0 : ends[index]]
        middle = piece if isinstance(piece, str) else piece.decode()
        return f"{self._prefix}{middle}{self._suffix}" if self._prefix or self._suffix else middle

    def __iter__(self) -> Iterator[str]:
        return iter(self.strings())  # the text read once, not once a string

    def strings(self) -> list[str]:
        """Every string, in order (what a column or a pass over the table reads, made once for it)."""
        text, ends = self._text, self._ends
        pieces = [text[start:end] for start, end in zip(chain((0,), ends), ends, strict=False)]
        middles: list[str] = pieces if isinstance(text, str) else [p.decode() for p in pieces]  # type: ignore[assignment, union-attr]
        if self._prefix or self._suffix:
            prefix, suffix = self._prefix, self._suffix
            return [f"{prefix}{m}{suffix}" for m in middles]
        return middles

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.strings()!r})"


class Deflated(Texts):
    """:class:`Texts` held deflated (zlib's raw deflate of their UTF-8, a NUL between two), inflated when read.

    Strings that are read together and shown, never looked up, repeat their words: NCT02552212's 23 kept-out
    titles ('Certolizumab Pegol Plasma Concentration at Week 4', ... 'at Week 52') and places, its sponsor
    analyses' printed values and descriptions, its adverse-event terms. Deflated together they take a third
    to a quarter of the bytes, and need no ends (issue 17). Reading one string inflates them all (a few
    microseconds for a study's); a pass over a table reads every string at once (``strings``, as it does a
    plain Texts's).
    """

    __slots__ = ("_count",)
    _count: int

    @classmethod
    def of(cls, values: Sequence[str]) -> Deflated | None:
        """``values`` deflated, or None when that would hold them in no fewer bytes than a plain Texts of them
        (its text and ends, no beginning or end held apart: as many bytes or more), or a string holds a NUL
        (which a record's text never does)."""
        joined = "\0".join(values)
        if joined.count("\0") != len(values) - 1:
            return None
        squeeze = zlib.compressobj(9, zlib.DEFLATED, _RAW_WBITS, _MEMORY_LEVEL)
        packed = cls.__new__(cls)
        packed._prefix = packed._suffix = ""
        packed._text = squeeze.compress(joined.encode()) + squeeze.flush()
        packed._ends = b""
        packed._count = len(values)
        return packed if sys.getsizeof(packed._text) + _SLOT < _plain_bytes(values) else None

    def __len__(self) -> int:
        return self._count

    def strings(self) -> list[str]:
        return zlib.decompress(cast(bytes, self._text), _RAW_WBITS).decode().split("\0")

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        """A string read by its place: the text inflated once for many such reads (``_inflated``)."""
        global _inflated
        last = _inflated
        for text, strings in last:  # noqa: B007 (the strings of the text found are read below)
            if text is self._text:
                break
        else:
            strings = self.strings()
            _inflated = ((cast(bytes, self._text), strings), *last[: _INFLATED - 1])
        return tuple(strings[index]) if isinstance(index, slice) else strings[index]

    def _item(self, index: int) -> str:
        return self[index]


_SLOT = 8  # the bytes of a Deflated's one slot more than a Texts's
# A 4 KB window and a small state: a column of a study is a few KB, and zlib's default state (256 KB, made and
# freed for every column) cost more than the deflating (the same bytes out for NCT02552212's columns). The
# window's bits are negative for a raw deflate (no zlib header or checksum), and the same both ways: a text
# inflated with a smaller window than it was deflated with fails on a back reference farther than that.
_RAW_WBITS, _MEMORY_LEVEL = -12, 5

# The last few Deflated texts read a string at a time, with their strings: a catalog reads a study's rows one
# by one (``Catalog.adverse_events_of``: 235 rows of NCT02552212, a term and a note each, from two texts), and
# inflating a text for every string read took several ms more. A few texts (a few KB each) are kept, never
# more; a pass over a table reads ``strings`` and keeps nothing. Replaced as one tuple: two threads reading
# at once at worst inflate a text twice.
_INFLATED = 4
_inflated: tuple[tuple[bytes, list[str]], ...] = ()


def _plain_bytes(values: Sequence[str]) -> int:
    """About the bytes a plain :class:`Texts` of ``values`` holds in its text and ends, were no beginning
    and end held apart (a str of Latin-1, else UTF-8 bytes; ends a byte each under 256, else an array)."""
    joined = "".join(values)
    if joined.isascii() or max(joined) <= "\xff":
        text, last = sys.getsizeof(joined), len(joined)
    else:
        last = len(joined.encode())
        text = sys.getsizeof(b"") + last
    if last < 256:
        return text + sys.getsizeof(bytes(len(values)))
    ends = array(next(code for code, limit in WIDTHS if last < limit))
    return text + sys.getsizeof(ends) + ends.itemsize * len(values)


class Joined(ReadSequence[str]):
    """Strings each made of a few parts joined by one separator, held as the distinct parts and, per string,
    a code a part (its place among them, from 1; 0: no part there); each string made when read.

    A registry outcome's id names its measure, class and category ('Number of Participants With Erythema
    Score ... at Day 1 (Post-application) and Weeks 2, 4, 8 · Week 4 · Score 1 (mild)'): NCT03064438's 26
    ids were 6.2 KB, each repeating a measure title its record holds anyway (issue 17). A string of one part
    is that very part, as ``str.join`` returns a lone string itself.
    """

    __slots__ = ("_codes", "_parts", "_separator", "_width")

    def __init__(self, separator: str, rows: Iterable[Sequence[str]]) -> None:
        rows = list(rows)
        places: dict[str, int] = {}
        width = max(map(len, rows), default=0)
        codes: list[int] = []
        for row in rows:
            codes.extend(places.setdefault(part, len(places) + 1) for part in row)
            codes.extend([0] * (width - len(row)))
        self._separator = separator
        self._parts = tuple(places)
        self._width = width
        self._codes: bytes | array[int] = bytes(codes) if len(places) < 256 else array("I", codes)

    def __len__(self) -> int:
        return len(self._codes) // self._width if self._width else 0

    def _item(self, index: int) -> str:
        parts, width = self._parts, self._width
        return self._separator.join([parts[c - 1] for c in self._codes[index * width : (index + 1) * width] if c])

    def strings(self) -> list[str]:
        """Every string, in order (what a column or a pass over a table reads, made once for it)."""
        return [self._item(i) for i in range(len(self))]

    def pick(self, places: Iterable[int]) -> Joined:
        """The strings at ``places``, in that order, holding this one's parts (not a copy of them)."""
        width, codes = self._width, self._codes
        picked: list[int] = []
        for place in places:
            picked += codes[place * width : (place + 1) * width]
        out = Joined.__new__(Joined)
        out._separator, out._parts, out._width = self._separator, self._parts, width
        out._codes = bytes(picked) if isinstance(codes, bytes) else array(codes.typecode, picked)
        return out

    def __repr__(self) -> str:
        return f"Joined({self.strings()!r})"


def _shared_start(values: Sequence[str]) -> str:
    """The beginning every string shares (the smallest and largest string in order differ first)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    return low[: next((i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), len(low))]


_AFFIX_WORTH = 100  # bytes a shared beginning and end must save to be held apart (two more string objects)


class Floats(ReadSequence[float | None]):
    """Numbers with a fraction, and at most one None, as an ``array`` of doubles (8 bytes a value, not a
    24-byte object and a slot; the very bits back, so ``-0.0`` and nan stay as they were)."""

    __slots__ = ("_none", "_values")

    def __init__(self, values: Sequence[float | None]) -> None:
        self._none = next((i for i, v in enumerate(values) if v is None), -1)
        self._values = array("d", [0.0 if v is None else v for v in values])

    def __len__(self) -> int:
        return len(self._values)

    def _item(self, index: int) -> float | None:
        return None if index == self._none else self._values[index]

    def numbers(self) -> list[float | None]:
        """Every value, in order (made once for a column or a pass over the table)."""
        out: list[float | None] = list(self._values.tolist())
        if self._none >= 0:
            out[self._none] = None
        return out

    def __repr__(self) -> str:
        return f"Floats({self.numbers()!r})"

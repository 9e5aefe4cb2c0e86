"""A big CSV table parsed by Arrow's C++ reader into columns of codes, when its bytes leave no doubt that
Arrow's rows are the rows ``csv`` reads, one for one.

At 1,000,000 arms the dataset folder's tables are 170 MB of text; ``csv`` parses them row by row into
Python lists (3.3 s) and the columnar read then turns every cell into a code through a dictionary lookup
(2.6 s), where Arrow parses the same text into dictionary-coded columns in about 2 s with the interpreter
free (``pyarrow.csv.read_csv`` releases the GIL, and the window reads on a worker thread: a 2 ms heartbeat
thread saw gaps of at most 16-22 ms while it read arms.csv). Each column of each block of rows comes out
as its distinct cells (the dictionary, in order of first appearance) and an int32 code per row, which is
the form ``readers.columnar`` codes in: each distinct cell is checked once in Python and a row's code is
an array lookup.

Arrow reads a table here only when it splits it as ``csv`` would: no quote character anywhere (neither
reader then gives a quote or a delimiter a second meaning, and a record is a line), no NUL (``guard``
refuses the text), a header line ending in a line feed and naming every required column and no unknown
one. Both readers end a record at ``\\n``, ``\\r\\n`` or a lone ``\\r``; a blank line is a record of
empty cells to Arrow (``ignore_empty_lines`` off) and an empty record to ``csv``, so the row numbers agree
and the columnar read leaves such a row to the row path, which skips it. Anything Arrow refuses (a row of
another width, text that is not UTF-8) or a cell longer than ``csv.field_size_limit()`` sends the whole
table to the ``csv`` path unchanged: :func:`parse` returns None.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv

from viewer.domain.readers.fields import delimiter_of
from viewer.domain.readers.guard import MAX_BYTES

BLOCK_BYTES = 1 << 22
"""Bytes of text Arrow parses into one block of rows (~65,000 arms): the columns of a block are coded in
one go, each distinct cell of a block turned into a Python string once. Larger blocks parse faster (4 MB:
0.62 s for the 1,000,000 arms, 1 MB: 0.84 s) and a block's Python work stays a few milliseconds a step."""

THREADS = True
"""Arrow parses blocks on its own threads (none holds the GIL). Measured in one locked job against one
thread (/work/notes/arrow17-evidence.md, AB2): load of 1,000,000 arms 6.5 -> 5.6 s, its export 6.6-7.8 ->
6.3-7.4 s, for ~10% more peak memory."""

_CODES = pa.dictionary(pa.int32(), pa.string())

Column = tuple[list[str], npt.NDArray[np.int32]]
"""A block's column: its distinct cells, and each row's position among them."""


class Parsed(NamedTuple):
    """A table Arrow read: its stripped header, its number of rows and its blocks of rows, each a list of
    columns (in header order) with as many codes as the block has rows."""

    header: list[str]
    rows: int
    blocks: Iterator[list[Column]]


def parse(
    path: Path, *, required: tuple[str, ...], allowed: tuple[str, ...], unique: tuple[str, ...] = ()
) -> Parsed | None:
    """The table read by Arrow, or None when it is to be read by ``csv`` (module docstring). The columns
    named in ``unique`` (ids: a value a row) are read as plain strings, not coded (20% of the parse of
    1,000,000 arms went to coding their ids), and come with codes 0, 1, 2 ..."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None  # the csv path says why
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    header = _header(data, start, required, allowed)
    if header is None or b'"' in data or b"\x00" in data:
        return None
    names = [f"c{k}" for k in range(len(header[1]))]
    types = {name: pa.string() if cell in unique else _CODES for name, cell in zip(names, header[1], strict=True)}
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data).slice(start),
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=1, block_size=BLOCK_BYTES, use_threads=THREADS
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=header[0], quote_char=False, escape_char=False, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        return None  # a row of another width, text that is not UTF-8, a line longer than a block
    limit = csv.field_size_limit()  # csv refuses a longer field (counted in characters: at most its bytes)
    if any(
        chunk.null_count or _longest(_strings(chunk)) > limit for column in table.columns for chunk in column.chunks
    ):
        return None
    return Parsed(header[1], table.num_rows, _blocks(table))


def _header(
    data: bytes, start: int, required: tuple[str, ...], allowed: tuple[str, ...]
) -> tuple[str, list[str]] | None:
    """The delimiter and the stripped header names, when the header line ends in a line feed (with or
    without a carriage return before it), is UTF-8 and names every required column and no unknown one."""
    end = data.find(b"\n", start)
    if end < 0:
        return None
    line = data[start:end].removesuffix(b"\r")
    if b"\r" in line:
        return None  # lines ended by a lone carriage return: csv's first record is shorter
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    delimiter = delimiter_of(text)
    header = [name.strip() for name in text.split(delimiter)]
    if any(name not in header for name in required) or any(name not in allowed for name in header):
        return None
    return delimiter, header


def _blocks(table: Any) -> Iterator[list[Column]]:
    """Each block's columns, made into Python strings and numpy codes a block at a time."""
    for batch in table.to_batches():
        rows = np.arange(batch.num_rows, dtype=np.int32)
        yield [
            (column.to_pylist(), rows)
            if column.type == pa.string()
            else (column.dictionary.to_pylist(), _codes(column.indices))
            for column in batch.columns
        ]


def _strings(column: Any) -> Any:
    """A column's distinct strings (a plain column's every string)."""
    return column if column.type == pa.string() else column.dictionary


def _longest(strings: Any) -> int:
    """The most bytes of a string in an Arrow array of strings, from its offsets."""
    if not len(strings):
        return 0
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32, count=len(strings) + 1, offset=strings.offset * 4)
    return int(np.diff(offsets).max())


def _codes(indices: Any) -> npt.NDArray[np.int32]:
    """The int32 codes of a column without nulls, as a numpy view of Arrow's buffer (``Array.to_numpy``
    imports pandas: 0.5 s)."""
    return np.frombuffer(indices.buffers()[1], dtype=np.int32, count=len(indices), offset=indices.offset * 4)

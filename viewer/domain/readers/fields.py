"""Typed field access for tabular input that records every broken rule instead of stopping at the first.

Both the dataset folder and the single-spreadsheet reader read CSV rows through this, so a cell is
validated the same way whichever file it came from. The file itself passes the shared checks of
``readers.guard`` (size, encoding); a table saved with semicolons or tabs between cells (what Excel writes
in much of Europe, or as "Unicode text") is read with that delimiter, found from the header line.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from viewer.domain import sliced
from viewer.domain.errors import DataError, Problem, Rule
from viewer.domain.model import EvidenceLevel
from viewer.domain.readers.guard import SAVE_AS_UTF8, read_text

if TYPE_CHECKING:
    from _csv import Reader


class Problems:
    """Collects problems across a whole dataset so they are reported at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._seen: set[Problem] = set()
        self.unreadable: set[str] = set()  # files whose rows could not be read at all

    def references_checkable(self, file: str) -> bool:
        """References into an unreadable file are not reported again: one cause, one message."""
        return file not in self.unreadable

    def add(self, file: str, location: str, field: str, rule: str, kind: Rule = Rule.VALUE) -> None:
        problem = Problem(file, location, field, rule, kind)
        if problem not in self._seen:  # a cell read twice (arm and result) is still one problem
            self._seen.add(problem)
            self.items.append(problem)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


class Row:
    """One CSV row with its file name and 1-based line number (the header is line 1)."""

    def __init__(self, file: str, line: int, cells: Mapping[str, str], problems: Problems) -> None:
        self.file = file
        self.line = line
        self.cells = cells
        self.problems = problems

    @property
    def where(self) -> str:
        return f"row {self.line}"

    def fail(self, field: str, rule: str) -> None:
        self.problems.add(self.file, self.where, field, rule)

    def text(self, field: str, *, required: bool = False) -> str:
        value = self.cells.get(field, "")
        if required and not value:
            self.fail(field, "is required")
        return value

    def number(self, field: str, *, required: bool = False, minimum: float | None = 0.0) -> float | None:
        raw = self.cells.get(field, "")
        if not raw:
            if required:
                self.fail(field, "is required")
            return None
        try:
            value = float(raw)
        except ValueError:
            comma = " (write the decimal separator as a point)" if _DECIMAL_COMMA.fullmatch(raw) else ""
            self.fail(field, f"must be a number, not {raw!r}{comma}")
            return None
        if not math.isfinite(value):
            self.fail(field, f"must be a finite number, not {raw!r}")
            return None
        if minimum is not None and value < minimum:
            self.fail(field, f"must not be negative, got {raw}")
            return None
        return value

    def count(self, field: str, *, required: bool = False) -> int | None:
        raw = self.cells.get(field, "")
        if raw.isascii() and raw.isdigit():  # the common case, a plain whole number, no float round trip
            return int(raw)
        value = self.number(field, required=required)
        if value is None:
            return None
        if not value.is_integer():
            self.fail(field, f"must be a whole number, not {raw!r}")
            return None
        return int(value)

    def percent(self, field: str) -> float | None:
        value = self.number(field, minimum=None)
        if value is not None and not 0.0 <= value <= 100.0:
            self.fail(field, f"must be between 0 and 100, got {self.text(field)}")
            return None
        return value

    def level(self, field: str = "level") -> EvidenceLevel:
        raw = self.cells.get(field, "")
        level = EvidenceLevel.parse(raw)
        if not raw:
            self.fail(field, "is required")
        if level is None:
            if raw:
                self.fail(field, f"must be one of {EvidenceLevel.choices()}, not {raw!r}")
            return EvidenceLevel.UNVERIFIED
        return level

    def flag(self, field: str) -> bool:
        raw = self.text(field).lower()
        if raw in ("", "no", "false", "0", "n"):
            return False
        if raw in ("yes", "true", "1", "y"):
            return True
        self.fail(field, f"must be yes or no, not {raw!r}")
        return False


_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def is_nct(text: str) -> bool:
    """A ClinicalTrials.gov id: NCT followed by 8 digits 0-9 (not any Unicode digit: '²' or '٣' pass
    ``str.isdigit`` and ``\\d``). The one check of an NCT id: trial rows, registry records, the registry's
    --nct and a session file's studies."""
    return len(text) == 11 and text.startswith("NCT") and text[3:].isascii() and text[3:].isdigit()


def decimals_of(raw: str) -> int:
    """How many decimals a percentage was printed with, which bounds the counts it can come from."""
    return len(raw.split(".", 1)[1]) if "." in raw else 0


class Table(NamedTuple):
    """A CSV table whose header passed: its file name, the stripped header, and the reader at its first row."""

    name: str
    header: list[str]
    reader: Reader


def open_table(path: Path, problems: Problems, *, required: tuple[str, ...], allowed: tuple[str, ...]) -> Table | None:
    """The table of a CSV file at its first row, or None when it cannot be read (unreadable text, invalid CSV
    in the header, a missing or unknown column: one problem for the file, not one per row)."""
    name = path.name
    try:
        text = read_text(path, what="a CSV table", hint=SAVE_AS_UTF8)
    except DataError as exc:
        for p in exc.problems:
            problems.add(p.file, p.location, p.field, p.rule, p.kind)
        problems.unreadable.add(name)
        return None
    # the lines of io.StringIO(text, newline=""), a slice at a time (viewer.domain.sliced: no 0.6 s copy)
    reader = csv.reader(sliced.lines(text), delimiter=delimiter_of(text), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        problems.add(name, f"row {reader.line_num}", "", f"is not valid CSV: {exc}", Rule.SYNTAX)
        return None
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in allowed]
    if missing:
        problems.add(name, "row 1", ", ".join(missing), "required column is missing", Rule.MISSING)
    if unknown:
        problems.add(name, "row 1", ", ".join(unknown), "unknown column", Rule.SHAPE)
    if missing or unknown:
        problems.unreadable.add(name)
        return None
    return Table(name, header, reader)


def row_of(table: Table, cells: list[str], index: int, problems: Problems) -> Row | None:
    """Row ``index`` of ``table`` as a Row, or None for a blank line or a row with more cells than the header
    (a problem)."""
    width = len(table.header)
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        problems.add(table.name, f"row {index}", "", "has more cells than the header", Rule.SHAPE)
        return None
    if not any(cells):
        return None  # a blank line, as spreadsheets leave at the end
    return Row(table.name, index, dict(zip(table.header, map(str.strip, cells), strict=False)), problems)


def read_rows(
    path: Path,
    problems: Problems,
    *,
    required: tuple[str, ...],
    allowed: tuple[str, ...],
) -> Iterator[Row]:
    """Rows of a CSV file; a missing or unknown column is one problem for the file, not one per row (the
    dataset folder's arms, trials and results are read by columns: ``readers.columnar``)."""
    table = open_table(path, problems, required=required, allowed=allowed)
    if table is None:
        return
    reader = table.reader
    try:
        for index, cells in enumerate(reader, start=2):
            row = row_of(table, cells, index, problems)
            if row is not None:
                yield row
    except csv.Error as exc:
        problems.add(table.name, f"row {reader.line_num}", "", f"is not valid CSV: {exc}", Rule.SYNTAX)


def delimiter_of(text: str) -> str:
    """The cell delimiter of a table, judged on its header line: a comma unless the header has none and
    has semicolons (Excel in much of Europe) or tabs (Excel's "Unicode text")."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]  # (split would copy the rest: 0.2 s for 100 MB)
    if "," in header:
        return ","
    if header.count(";") > 0:
        return ";"
    if header.count("\t") > 0:
        return "\t"
    return ","

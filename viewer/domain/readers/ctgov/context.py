"""What every part of the builder shares about the record being built: its ids and what it left out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from viewer.domain.compact import RecordTable
from viewer.domain.errors import Problem
from viewer.domain.model import KEPT_OUT, ExcludedOutcome
from viewer.domain.readers.ctgov.cited import RecordPart
from viewer.domain.readers.ctgov.raw import RawRecord
from viewer.domain.sequences import Deflated, ReadSequence, Texts

EXCLUDED_TEXT = ("title", "reason", "location")  # a kept-out outcome's own text (``compact.Texts``)
R = TypeVar("R")


def deflated(table: RecordTable[R], names: Iterable[str]) -> RecordTable[R]:
    """``table`` with the distinct strings of its fields ``names`` held deflated where that is smaller
    (``sequences.Deflated``: a record's terms and titles repeat their words), else as one text
    (``sequences.Texts``). The table is built with them as tuples (a Texts made only to be replaced took
    longer than the deflating); a field of one or two strings stays so (a tuple costs less)."""
    for name in names:
        values, _codes = table.coded(name)
        if len(values) > 2:
            table = table.with_values(name, Deflated.of(values) or Texts(values))
    return table


def kept_out_line(file: str, outcome: ExcludedOutcome) -> str:
    """The ``Dataset.skipped`` line of an outcome kept out of the effect charts (marked by ``KEPT_OUT``)."""
    rule = f"'{outcome.title}'{KEPT_OUT}{outcome.kind.value} ({outcome.reason})"
    return str(Problem(file, outcome.location, "outcome", rule))


class SkippedLines(ReadSequence[str]):
    """What a record left out, and why, in read order: a kept-out outcome's line is written from its
    ExcludedOutcome when read (the line repeats the file, title, place and reason the ExcludedOutcome holds:
    6.6 KB of NCT02552212's 41 KB, issue 17), every other line is kept as written. A kept-out outcome's
    entry is its index in ``excluded`` (the dataset's own sequence, a table that makes its records when
    read)."""

    __slots__ = ("_entries", "_excluded", "_file")

    def __init__(self, file: str, entries: Sequence[str | int], excluded: Sequence[ExcludedOutcome]) -> None:
        self._file = file
        self._entries = tuple(entries)
        self._excluded = excluded

    def __len__(self) -> int:
        return len(self._entries)

    def _item(self, index: int) -> str:
        entry = self._entries[index]
        return entry if isinstance(entry, str) else kept_out_line(self._file, self._excluded[entry])

    def __repr__(self) -> str:
        return repr(tuple(self))


@dataclass(slots=True)
class RecordContext:
    """The record, its trial id and date, and the list of parts left out (each with place and reason).

    The trial id and the record part of every figure's provenance are made once: every figure of the
    record holds these same strings rather than a copy each.
    """

    record: RawRecord
    skipped: list[str | int] = field(default_factory=list)  # an outcome kept out: its index in ``excluded``
    excluded: list[ExcludedOutcome] = field(default_factory=list)
    trial_id: str = field(init=False)
    cited: RecordPart = field(init=False)
    _texts: dict[str, str] = field(default_factory=dict, init=False)
    _tuples: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.skipped.extend(str(p) for p in self.record.problems)
        self.trial_id = self.record.nct.lower()
        self.cited = RecordPart(self.record.nct, self.record.record_date or "date unknown")

    @property
    def file(self) -> str:
        return self.record.file

    @property
    def nct(self) -> str:
        return self.record.nct

    @property
    def date(self) -> str:
        return self.cited.date

    def shared(self, text: str) -> str:
        """One string object for a text the record repeats: a group's id and title, a time frame or unit is
        printed again in every outcome measure (each its own string when read), and every figure holds it."""
        return self._texts.setdefault(text, text)

    def shared_ids(self, ids: Iterable[str]) -> tuple[str, ...]:
        """One tuple for the ids a record names again and again (the groups and arms every sponsor analysis
        of a two-arm trial compares: a tuple each was ~110 bytes of the analysis, issue 17)."""
        key = tuple(ids)
        return self._tuples.setdefault(key, key)

    def skip(self, location: str, field_name: str, rule: str) -> None:
        self.skipped.append(str(Problem(self.file, location, field_name, rule)))

    def keep_out(self, outcome: ExcludedOutcome) -> None:
        """List an outcome kept out of the effect charts among what was left out (its line: ``kept_out_line``)."""
        self.skipped.append(len(self.excluded))
        self.excluded.append(outcome)

    def left_out(self) -> tuple[Sequence[ExcludedOutcome], SkippedLines]:
        """The outcomes kept out (a table: their titles, reasons and places as one text each, issue 17) and
        every line of what was left out."""
        excluded = deflated(RecordTable.of(ExcludedOutcome, self.excluded), EXCLUDED_TEXT)
        return excluded, SkippedLines(self.file, self.skipped, excluded)

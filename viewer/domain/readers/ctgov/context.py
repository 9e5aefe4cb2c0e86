"""What every part of the builder shares about the record being built: its ids and what it left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.domain.errors import Problem
from viewer.domain.readers.ctgov.cited import RecordPart
from viewer.domain.readers.ctgov.raw import RawRecord


@dataclass(slots=True)
class RecordContext:
    """The record, its trial id and date, and the list of parts left out (each with place and reason).

    The trial id and the record part of every figure's provenance are made once: every figure of the
    record holds these same strings rather than a copy each.
    """

    record: RawRecord
    skipped: list[str] = field(default_factory=list)
    trial_id: str = field(init=False)
    cited: RecordPart = field(init=False)
    _texts: dict[str, str] = field(default_factory=dict, init=False)

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

    def skip(self, location: str, field_name: str, rule: str) -> None:
        self.skipped.append(str(Problem(self.file, location, field_name, rule)))

"""What every part of the builder shares about the record being built: its ids and what it left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.domain.errors import Problem
from viewer.domain.readers.ctgov.raw import RawRecord


@dataclass(slots=True)
class RecordContext:
    """The record, its trial id and date, and the list of parts left out (each with place and reason)."""

    record: RawRecord
    skipped: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.skipped.extend(str(p) for p in self.record.problems)

    @property
    def file(self) -> str:
        return self.record.file

    @property
    def nct(self) -> str:
        return self.record.nct

    @property
    def trial_id(self) -> str:
        return self.record.nct.lower()

    @property
    def date(self) -> str:
        return self.record.record_date or "date unknown"

    def skip(self, location: str, field_name: str, rule: str) -> None:
        self.skipped.append(str(Problem(self.file, location, field_name, rule)))

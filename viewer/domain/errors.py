"""The one error type every loader raises, carrying every problem found, each with its place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: which file, where in it (row, line or JSON/XML path), which field, what rule."""

    file: str
    location: str
    field: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.location}" if self.location else self.file
        return f"{where}: {self.field}: {self.rule}" if self.field else f"{where}: {self.rule}"


class DataError(Exception):
    """Bad input. Reported all at once so a user fixes a file in one pass, not one error per run."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.message())

    @classmethod
    def single(cls, file: str, location: str, field: str, rule: str) -> DataError:
        return cls([Problem(file, location, field, rule)])

    def message(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        return "\n".join([head, *(str(p) for p in self.problems)])

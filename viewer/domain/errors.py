"""The one error type every loader raises, carrying every problem found, each with its place and rule.

A reader raises :class:`DataError` only when the input breaks a rule, and every problem names which rule
from the closed set :class:`Rule`. Anything else escaping a reader (a ``KeyError``, a ``TypeError``) is a
bug and must reach the front end's error boundary as one, never be dressed up as bad input; the fuzz tests
rely on that distinction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """The kinds of rule an input file can break; ``Problem.rule`` then says what exactly was wrong."""

    NOT_FOUND = "file not found"
    UNREADABLE = "file cannot be read"
    TOO_LARGE = "file too large"
    UNSUPPORTED = "unsupported file type"
    ENCODING = "not text in a supported encoding"
    UNSAFE = "unsafe content refused"
    SYNTAX = "not well-formed"
    TRUNCATED = "truncated file"
    WRONG_FORMAT = "not the expected kind of file"
    SHAPE = "wrong structure or type"
    MISSING = "required value missing"
    VALUE = "value outside the rules"
    REFERENCE = "reference to something that does not exist"
    DUPLICATE = "duplicate key"
    NO_RESULTS = "no usable results"


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: which file, where in it (row, line or JSON/XML path), which field, what rule.

    ``kind`` is the rule's place in the closed set :class:`Rule`; ``rule`` is the human sentence.
    """

    file: str
    location: str
    field: str
    rule: str
    kind: Rule = Rule.VALUE

    def __str__(self) -> str:
        where = f"{self.file}:{self.location}" if self.location else self.file
        return f"{where}: {self.field}: {self.rule}" if self.field else f"{where}: {self.rule}"


class DataError(Exception):
    """Bad input. Reported all at once so a user fixes a file in one pass, not one error per run."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.message())

    @classmethod
    def single(cls, file: str, location: str, field: str, rule: str, kind: Rule = Rule.VALUE) -> DataError:
        return cls([Problem(file, location, field, rule, kind)])

    def message(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        return "\n".join([head, *(str(p) for p in self.problems)])

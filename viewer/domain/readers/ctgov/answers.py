"""Complementary answers of one question that do not add up to the analysed n.

A count outcome may post both answers of a yes/no question as separate classes or categories
("Positive anti-CMV antibodies, M48" and "Negative anti-CMV antibodies, M48"). Every participant measured
there gives one answer or the other, so when the two counts add up to less than the analysed n the rest
had no result at that time point, and when they add up to more the record contradicts itself. The record
gives no narrower denominator, so n stays the record's; the note says what the counts add up to, so a
reader sees that 26 of 30 is 26 of the 26 measured (CONSORT 2010, item 16: numbers analysed per outcome).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from viewer.domain.model import Result

__all__ = ["AnswerPart", "unaccounted"]

# each pair: the negated or opposite answer first, so "Non-responder" is not read as "responder"
_PAIRS = tuple(
    re.compile(rf"\b(?:(?P<b>{b})|(?P<a>{a}))\b", re.IGNORECASE)
    for a, b in (
        ("sero-?positive", "sero-?negative"),
        ("positive", "negative"),
        ("responders?", r"non[\s-]?responders?"),
        ("detect(?:ed|able)", r"undetect(?:ed|able)|not\s+detect(?:ed|able)"),
        ("reactive", r"non[\s-]?reactive"),
        ("present", "absent"),
        ("yes", "no"),
    )
)


@dataclass(frozen=True, slots=True)
class AnswerPart:
    """Where a read Result came from: the scope its siblings share (one class's categories, or the
    measure's classes) and the title of its class or category."""

    scope: str
    title: str
    index: int  # into the reader's results


def _answer(title: str) -> tuple[int, str, str] | None:
    """(pair, side, the title without its answer word) when the title holds one answer of a pair."""
    for pair, pattern in enumerate(_PAIRS):
        found = pattern.search(title)
        if found:
            rest = " ".join((title[: found.start()] + " " + title[found.end() :]).split()).casefold()
            return pair, "a" if found.group("a") else "b", rest
    return None


def unaccounted(parts: Sequence[AnswerPart], results: Sequence[Result]) -> dict[int, str]:
    """A note for each result whose answer and its complement (same scope, same arm, same remaining
    title) do not add up to the analysed n they share; results index -> note."""
    sides: dict[tuple[str, int, str, str], dict[str, list[AnswerPart]]] = {}
    for part in parts:
        answer = _answer(part.title)
        if answer is None:
            continue
        pair, side, rest = answer
        key = (part.scope, pair, rest, results[part.index].arm_id)
        sides.setdefault(key, {}).setdefault(side, []).append(part)
    notes: dict[int, str] = {}
    for both in sides.values():
        if len(both.get("a", [])) != 1 or len(both.get("b", [])) != 1:
            continue
        (first,), (second,) = both["a"], both["b"]
        r1, r2 = results[first.index], results[second.index]
        if r1.responders is None or r2.responders is None or r1.n is None or r1.n != r2.n:
            continue
        total, n = r1.responders + r2.responders, r1.n
        if total == n:
            continue
        said = f"'{first.title}' ({r1.responders}) and '{second.title}' ({r2.responders}) add up to {total}"
        if total < n:
            note = (
                f"{said} of the {n} analysed: {n - total} have neither answer at this point; n stays the "
                "record's (it gives no narrower one)"
            )
        else:
            note = f"{said}, more than the {n} analysed: the record's counts contradict each other"
        notes[first.index] = notes[second.index] = note
    return notes

"""Values as the registry prints them: numbers, counts, "NA", dates, phases, enum names, group titles.

Every value in a registry record is a string. These functions read one printed value each and never
guess: text that is not a number is ``None`` (the caller says why it skipped it), "NA"/"NR" are missing,
never 0, and a count derived from a percentage goes through the one flagged rule of
:func:`viewer.domain.stats.count_from_percent`, the same rule the spreadsheet reader uses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from viewer.domain.stats import DerivedCount, count_from_percent

# values the registry prints instead of a number; kept as missing, never read as 0
MISSING_VALUES = frozenset({"", "na", "nr", "n/a", "nc", "ne", "nd", "-", "--", "—", "not applicable"})


def enum_token(text: str) -> str:
    """'Count of Participants' and 'COUNT_OF_PARTICIPANTS' are one value: upper snake case."""
    return "_".join(re.findall(r"[A-Za-z0-9]+", text)).upper()


def iso_date(text: str) -> str:
    """'July 18, 2018' -> '2018-07-18'; unrecognised text is returned as printed."""
    text = " ".join(text.split())
    for pattern, out in (("%B %d, %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"), ("%Y-%m-%d", "%Y-%m-%d"), ("%Y-%m", "%Y-%m")):
        try:
            return datetime.strptime(text, pattern).strftime(out)
        except ValueError:
            continue
    return text


def phase_label(phases: Iterable[str]) -> str:
    """['PHASE2', 'PHASE3'] or ['Phase 2/Phase 3'] -> 'Phase 2/3'; 'NA' -> ''."""
    early = False
    numbers: list[str] = []
    for raw in phases:
        for part in raw.split("/"):
            token = enum_token(part)
            early = early or token.startswith("EARLY")
            numbers.extend(n for n in re.findall(r"\d", token) if n not in numbers)
    if not numbers:
        return ""
    return f"{'Early ' if early else ''}Phase {'/'.join(numbers)}"


_SET_WORDS = (
    r"fas|ss|saf|itt|mitt|pps?|rs|ras|ses|safety|full|analysis|set|population|evaluable|completers?|"
    r"randomi[sz]ed|treated|efficacy"
)
_SET_TAG = re.compile(rf"\s*\((?=[^()]*\b(?:{_SET_WORDS})\b)[^()]*\)\s*$", re.IGNORECASE)
_KEY_TAG = re.compile(rf"\s*\((?=[^()]*\b(?:{_SET_WORDS}|pooled|combined)\b)[^()]*\)\s*$", re.IGNORECASE)


def group_label(title: str) -> str:
    """A group title without its analysis-set tag: 'CZP 200 mg Q2W (FAS)' -> 'CZP 200 mg Q2W'."""
    label = " ".join(title.split())
    while (stripped := _SET_TAG.sub("", label)) != label:
        label = stripped
    return label or " ".join(title.split())


def group_key(title: str) -> str:
    """The matching key for a group title: case, spacing, punctuation and set tags ignored."""
    text = " ".join(title.split())
    while (stripped := _KEY_TAG.sub("", text)) != text:
        text = stripped
    text = text.casefold().replace("->", " to ").replace("→", " to ")
    # a sign closing a word tells groups apart: "GSK149203A S+ Group" (seropositive) vs "S- Group"
    text = re.sub(r"(?<=\w)\+(?!\w)", " positive", re.sub(r"(?<=\w)-(?=\s|$)", " negative", text))
    return " ".join(re.findall(r"\w+(?:\.\d+)?", text))


def parse_count(raw: str) -> int | None:
    """A printed whole number ('158', '1,234'); None when it is not one."""
    text = raw.strip().replace(",", "")
    if re.fullmatch(r"\d{1,9}", text):
        return int(text)
    if re.fullmatch(r"\d{1,9}\.0+", text):
        return int(text.split(".")[0])
    return None


def parse_number(raw: str) -> float | None:
    """A printed finite number, or None."""
    text = raw.strip()
    if not text or len(text) > 40:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def is_missing(raw: str) -> bool:
    return raw.strip().casefold() in MISSING_VALUES


def printed_decimals(raw: str) -> int | None:
    """How many decimals a number was printed with ('30.80' -> 2, '31' -> 0, '3.1e1' -> 0); None if not
    a plain decimal. The decimals bound which whole counts a printed percentage can come from."""
    try:
        exponent = Decimal(raw.strip()).as_tuple().exponent
    except InvalidOperation:
        return None
    return max(0, -exponent) if isinstance(exponent, int) else None


def count_from_printed_percent(raw: str, value: float, n: int, scale: float = 1.0) -> DerivedCount:
    """The count a printed percentage of ``n`` stands for, flagged when it fits no or several counts.

    ``scale`` 100 reads a proportion on a 0-1 scale ('0.308'): it is a percentage printed with two fewer
    decimals ('30.8'), which is what bounds the counts it fits.
    """
    decimals = printed_decimals(raw)
    if scale == 100.0:
        percent = float(Decimal(raw.strip()) * 100) if decimals is not None else value * 100
        return count_from_percent(percent, n, decimals=None if decimals is None else max(0, decimals - 2))
    return count_from_percent(value, n, decimals=decimals)

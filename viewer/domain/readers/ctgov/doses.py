"""Doses and placebo groups read from free text.

ClinicalTrials.gov has no structured dose field: the dose lives only in arm and group titles and
descriptions ("CZP 200 mg Q2W", "0.25 mg for 4 weeks then 0.5 mg"). A dose-response chart needs a number
per day, so this module turns such text into a maintenance amount, a regimen label and a daily dose, and
says when the text described a titration or loading doses so the chart can flag that arm.

Conventions (documented because every chart depends on them):

* ``amount`` is the **maintenance** dose: the last amount when the text describes a sequence
  ("then", "followed by", "thereafter"), otherwise the first amount in the text.
* ``daily_dose`` is ``amount`` times the doses per day of ``frequency``, in the unit given:
  6 mg BID -> 12; 1.0 mg once weekly -> 1/7 = 0.142857 (a weekly dose spread over 7 days);
  200 mg Q2W -> 200/14. It is ``None`` when the frequency is unknown: a bare "0.5 mg" is never assumed
  to be once daily.
* Doses per body size ("10 mg/kg Q2W", "75 mg/m^2", "15 µg/m²/day") keep their unit: the daily dose is
  then per kg or per m² too, and no daily mg dose is made up from an assumed weight or surface.
* A cycle ("10 mg daily on days 1-21 of 28-day cycles") averages the daily dose over the cycle (7.5).
* Regimens read: QD/OD/once daily/daily, BID/BD/twice daily, TID, QID, QW/weekly, BIW/twice weekly,
  TIW/three times weekly, QOD/every other day, Q2W/every 2 weeks (any N), QM/monthly, every N months,
  every N hours/days/weeks, Q{n}H, single dose, and counts in digits ("2 times daily", "2x daily",
  "x2/day", "3 times a week"). A range ("3-4 times a day") is no regimen: ``ranged`` keeps its words.
* ``loading`` is set when an earlier amount in the sequence is larger than the maintenance amount (or
  the text says "loading"); ``titration`` when an earlier amount is smaller (or the text says
  "titrated"/"escalated").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ParsedDose", "daily_dose_for", "doses_per_day", "is_placebo", "parse_dose"]

_PER = r"\s*(?:/|per)\s*"
_SQUARE_METRE = r"m\s*(?:\^\s*2|2|²)"
_UNITS: tuple[tuple[str, str], ...] = (
    # (regex, normalised unit); longer units first so "mg/kg" is never read as "mg"
    (rf"mg{_PER}kg", "mg/kg"),
    (rf"(?:µg|μg|mcg|ug){_PER}kg", "µg/kg"),
    (rf"mg{_PER}{_SQUARE_METRE}", "mg/m²"),
    (rf"(?:µg|μg|mcg|ug){_PER}{_SQUARE_METRE}", "µg/m²"),
    (r"mg", "mg"),
    (r"µg|μg|mcg|ug|micrograms?", "µg"),
    (r"milligrams?", "mg"),
    (r"ng", "ng"),
    (r"g", "g"),
    (r"iu|i\.u\.", "IU"),
)
_NUMBER = r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)"
# "200 mg / ml" is a concentration, not a dose
_AMOUNT = re.compile(
    _NUMBER + r"\s*(?P<unit>" + "|".join(f"(?:{pattern})" for pattern, _ in _UNITS) + r")(?![\w])(?!\s*/\s*m?l\b)",
    re.IGNORECASE,
)
_SEQUENCE = re.compile(
    r"\b(then|followed\s+by|thereafter|after\s+which|increased\s+to|escalated\s+to|switched\s+to|"
    r"from\s+week\s+\d+)\b",
    re.IGNORECASE,
)
_LOADING_WORD = re.compile(r"\bloading\b", re.IGNORECASE)
_TITRATION_WORD = re.compile(r"\b(titrat\w*|escalat\w*|up-titrat\w*)\b", re.IGNORECASE)

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "eight": 8, "twelve": 12, "other": 2}
_N = r"(\d{1,3}|one|two|three|four|six|eight|twelve|other)"

# (pattern, label or a label template with {n}); checked in this order, so "twice daily" wins over "daily"
_FREQUENCIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), label)
    for pattern, label in (
        (r"\bq\s*(\d{1,3})\s*w(?:ks?|eeks?)?\b", "Q{n}W"),
        (rf"\bevery\s+{_N}\s+weeks?\b", "Q{n}W"),
        (r"\beow\b", "Q2W"),
        (r"\bq\s*(\d{1,3})\s*d\b", "Q{n}D"),
        (rf"\bevery\s+{_N}\s+days\b", "Q{n}D"),
        (r"\b(?:qod|q\.o\.d\b\.?|every\s+other\s+day|on\s+alternate\s+days)", "Q2D"),
        (rf"\bevery\s+{_N}\s+months?\b", "Q{n}M"),
        (r"\bq\s*(\d{1,2})\s*m(?:o|onths?)?\b", "Q{n}M"),
        (
            r"\b(?:biw|twice[\s-]+(?:a\s+|per\s+|every\s+)?week(?:ly)?|two\s+times\s+(?:a\s+|per\s+)?week(?:ly)?)\b",
            "BIW",
        ),
        (
            r"\b(?:tiw|thrice[\s-]+weekly|three\s+times\s+(?:a\s+|per\s+)?week(?:ly)?)\b",
            "TIW",
        ),
        (
            r"\b(?:bid|b\.i\.d\b\.?|bd|b\.d\b\.?|q12h|every\s+12\s+hours|twice[\s-]+(?:a\s+|per\s+)?(?:day|daily)\b|"
            r"two\s+times\s+(?:a\s+|per\s+)?(?:day|daily)\b)",
            "BID",
        ),
        (
            r"\b(?:tid|t\.i\.d\b\.?|q8h|every\s+8\s+hours|three\s+times\s+(?:a\s+|per\s+)?(?:day|daily)\b)",
            "TID",
        ),
        (
            r"\b(?:qid|q\.i\.d\b\.?|q6h|every\s+6\s+hours|four\s+times\s+(?:a\s+|per\s+)?(?:day|daily)\b)",
            "QID",
        ),
        (
            r"\b(?:qw|q1w|once[\s-]+(?:a\s+|per\s+|every\s+)?week(?:ly)?|weekly|every\s+week|per\s+week)\b"
            r"|/\s*(?:week|wk)\b",
            "QW",
        ),
        (r"\b(?:qm|monthly|once\s+(?:a|per|every)\s+month|every\s+month)\b", "QM"),
        (
            r"\b(?:qd|q\.d\b\.?|od|o\.d\b\.?|q24h|once[\s-]+(?:a\s+|per\s+|every\s+)?day|once[\s-]+daily|daily|"
            r"every\s+day|per\s+day)\b|/\s*(?:day|d)\b",
            "QD",
        ),
        # a count with a digit or word: "2 times daily", "2x daily", "x2/day", "3 times a week"
        (
            r"\b([1-4]|one|two|three|four)\s*(?:x|times?)\s*(?:a\s+|per\s+|each\s+|every\s+|/\s*)?(?:day|daily)\b",
            "D{n}",
        ),
        (r"\bx\s*([1-4])\s*(?:/\s*|per\s+|a\s+)?(?:day|daily)\b", "D{n}"),
        (r"\b([1-3]|one|two|three)\s*(?:x|times?)\s*(?:a\s+|per\s+|each\s+|every\s+|/\s*)?week(?:ly)?\b", "W{n}"),
        (r"\bq\s*(\d{1,2})\s*h\b", "Q{n}H"),
        (rf"\bevery\s+{_N}\s+h(?:ou)?rs?\b", "Q{n}H"),
        (r"\b(?:single\s+dose|once)\b", "ONCE"),
    )
)
_PER_DAY: dict[str, float] = {
    "QD": 1.0, "BID": 2.0, "TID": 3.0, "QID": 4.0, "QW": 1 / 7, "BIW": 2 / 7, "TIW": 3 / 7, "QM": 12 / 365.25,
}  # fmt: skip
_FIXED_LABEL = {
    "Q1W": "QW", "Q1D": "QD", "Q24H": "QD", "Q12H": "BID", "Q8H": "TID", "Q6H": "QID", "Q1M": "QM",
    "D1": "QD", "D2": "BID", "D3": "TID", "D4": "QID", "W1": "QW", "W2": "BIW", "W3": "TIW",
}  # fmt: skip
# a range of frequencies ("3-4 times a day", "2 to 3 times weekly") states no single regimen
_RANGE = re.compile(
    r"\b(?:\d|one|two|three|four)\s*(?:-|–|to|or)\s*(?:\d|two|three|four|five|six)\s*(?:x|times?)\s*"
    r"(?:a\s+|per\s+|each\s+|every\s+|/\s*)?(?:day|daily|week(?:ly)?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedDose:
    """What a dose text says: the maintenance amount, its regimen and the amount per day (see module doc)."""

    amount: float | None
    unit: str
    frequency: str  # QD, BID, TID, QID, QW, BIW, TIW, Q{n}W, Q{n}D, Q{n}H, QM, Q{n}M, ONCE, or ""
    daily_dose: float | None
    titration: bool
    loading: bool
    note: str  # the raw text, kept so a reader can check the interpretation
    ranged: str = ""  # a range of frequencies stated instead of one ("3-4 times a day"): no regimen, no daily dose


def doses_per_day(frequency: str) -> float | None:
    """How many doses a regimen label means per day (QW -> 1/7); None for ONCE or an unknown label."""
    if frequency in _PER_DAY:
        return _PER_DAY[frequency]
    match = re.fullmatch(r"Q(\d{1,4})([WDHM])", frequency)
    if not match:
        return None
    n = int(match.group(1))
    if n == 0:
        return None
    per = {"W": 1 / (7 * n), "D": 1 / n, "H": 24 / n, "M": 12 / (365.25 * n)}
    return per[match.group(2)]


def daily_dose_for(amount: float | None, frequency: str) -> float | None:
    """The amount per day for a regimen, or None when either is unknown."""
    per_day = doses_per_day(frequency)
    if amount is None or per_day is None:
        return None
    return amount * per_day


def parse_dose(text: str) -> ParsedDose:
    """Read the maintenance dose, regimen and daily dose from a free-text title or description.

    Never raises: text without a dose gives ``amount=None`` (a frequency alone, "once daily", is still
    reported), so a caller can try the title first and fall back to the description.
    """
    amounts = [
        (m.start(), m.end(), float(m.group(1).replace(",", "")), _unit(m.group("unit"))) for m in _AMOUNT.finditer(text)
    ]
    sequence = len(amounts) > 1 and bool(_SEQUENCE.search(text, amounts[0][1], amounts[-1][0]))
    amount: float | None = None
    start, unit = 0, ""
    if amounts:
        start, _, amount, unit = amounts[-1] if sequence else amounts[0]
    frequency, ranged = _frequency(text[start:])
    if not frequency and not ranged:
        frequency, ranged = _frequency(text)
    daily = daily_dose_for(amount, frequency)
    cycle = _CYCLE.search(text)
    if daily is not None and cycle is not None:
        first, last, length = (int(g) for g in cycle.groups())
        if 1 <= first <= last <= length:
            daily *= (last - first + 1) / length  # 21 dosing days of a 28-day cycle: the average per day
    earlier = [a[2] for a in amounts[:-1] if a[3] == unit] if sequence else []
    loading = bool(_LOADING_WORD.search(text)) or any(amount is not None and e > amount for e in earlier)
    titration = bool(_TITRATION_WORD.search(text)) or any(amount is not None and e < amount for e in earlier)
    return ParsedDose(
        amount=amount,
        unit=unit,
        frequency=frequency,
        daily_dose=daily,
        titration=titration,
        loading=loading,
        note=text,
        ranged=ranged,
    )


_CYCLE = re.compile(
    r"\bdays?\s+(\d{1,3})\s*(?:-|–|to|through)\s*(\d{1,3})\s+(?:of|in|every)\s+(?:each\s+|a\s+|every\s+)?"
    r"(\d{1,3})[\s-]*day",
    re.IGNORECASE,
)
_PLACEBO_WORD = re.compile(r"\b(placebo|pbo|sham|vehicle)\b", re.IGNORECASE)
_PLACEBO_CONTROLLED = re.compile(r"\b(placebo|sham|vehicle)[\s-]+controlled\b", re.IGNORECASE)
# "placebo matched to semaglutide" names what the placebo imitates, not a switch to it
_MATCHING = re.compile(r"\b(?:matched|matching)\s+to\b|\bto\s+match\w*\b", re.IGNORECASE)
# a group that starts on placebo and moves to a drug is not a placebo group
_SWITCH = re.compile(
    r"->|→|=>|>|\b(switch\w*|then|followed\s+by|to|rescue|cross(?:ed)?[\s-]?over|"
    r"open[\s-]?label|ol|escape|extension)\b",
    re.IGNORECASE,
)
# in descriptions "matching placebo to <drug>" is common, so only explicit sequence words count there
_DESCRIPTION_SWITCH = re.compile(
    r"->|→|\b(switch\w*|then|followed\s+by|thereafter|rescue|cross(?:ed)?[\s-]?over|open[\s-]?label)\b",
    re.IGNORECASE,
)
_JOIN = re.compile(r"\+|&|/|\b(and|plus|with)\b", re.IGNORECASE)
_BACKGROUND = re.compile(
    r"\b(mtx|methotrexate|c?s?dmards?|background|standard\s+of\s+care|soc|metformin|insulin|nsaids?|"
    r"steroids?|corticosteroids?|glucocorticoids?|best\s+supportive\s+care|bsc)\b",
    re.IGNORECASE,
)
_PLACEBO_TYPES = {"PLACEBO_COMPARATOR", "SHAM_COMPARATOR"}
_DESCRIPTION_PLACEBO = re.compile(
    r"^\W*(?:subjects\s+received\s+)?(?:matching\s+)?(placebo|sham|vehicle)\b", re.IGNORECASE
)


def is_placebo(title: str, description: str, arm_type: str = "") -> bool:
    """Whether a group *is* placebo, judged by what it is rather than by any mention of placebo.

    "Placebo", "Placebo + MTX", "Placebo (pooled)" and "Semaglutide Placebo 0.5 mg/Week" are placebo;
    "Upadacitinib 15 mg + Placebo" (a double-dummy active arm), "Placebo->OL CZP" (a switch group) and
    an active arm described as "placebo-controlled" are not. ``arm_type`` is the protocol arm type
    (PLACEBO_COMPARATOR, SHAM_COMPARATOR) when the group was matched to one; it decides only when the
    title itself does not name placebo.
    """
    title = _MATCHING.sub(" ", _PLACEBO_CONTROLLED.sub(" ", title))
    description = _PLACEBO_CONTROLLED.sub(" ", description)
    word = _PLACEBO_WORD.search(title)
    if word is None:
        if _SWITCH.search(title) or _AMOUNT.search(title):
            return False
        if arm_type.strip().upper().replace(" ", "_") in _PLACEBO_TYPES:
            return True
        described = _DESCRIPTION_PLACEBO.search(description)
        return described is not None and not _DESCRIPTION_SWITCH.search(description[described.end() :])
    before, after = title[: word.start()], title[word.end() :]
    if _is_switch(after) or _SWITCH.search(before):
        return False
    # "Upadacitinib 15 mg + Placebo": a dosed drug joined to placebo is the drug's arm
    return not (_AMOUNT.search(before) and _JOIN.search(before))


def _is_switch(after: str) -> bool:
    """Text after the word placebo that moves on to something else (a switch, or an added dosed drug)."""
    if _SWITCH.search(after):
        return True
    join = _JOIN.search(after)
    if join is None:
        return False
    added = after[join.end() :]
    return bool(_AMOUNT.search(added)) and not _BACKGROUND.search(added)


def _frequency(text: str) -> tuple[str, str]:
    """The first regimen label stated in the text, or "" with the range of frequencies stated first instead
    ("3-4 times a day"), or "" and "" when the text states neither."""
    spread = _RANGE.search(text)
    best: tuple[int, str] | None = (spread.start(), "") if spread else None
    for pattern, label in _FREQUENCIES:
        match = pattern.search(text)
        if match is None:
            continue
        if "{n}" in label:
            raw = match.group(1).lower()
            n = _WORD_NUMBERS.get(raw) or int(raw)
            label = label.format(n=n)
            label = _FIXED_LABEL.get(label, label)
        if best is None or match.start() < best[0]:
            best = (match.start(), label)
    if best is None:
        return "", ""
    return best[1], spread.group(0) if spread and not best[1] else ""


def _unit(raw: str) -> str:
    for pattern, unit in _UNITS:
        if re.fullmatch(pattern, raw, re.IGNORECASE):
            return unit
    return raw  # pragma: no cover - the regex only admits listed units

"""What kind of number a registry outcome holds, decided before any number is taken.

A careful reviewer reads the unit, the parameter and dispersion types, the description and the
population description before treating a printed value as "x of n participants responded". Only a
**crude count or percentage of participants** can be turned into responders of n; everything else is
kept out of the effect charts and listed with the reason:

* a **time-to-event or life-table estimate** (Kaplan-Meier "percentage alive at 6 months", cumulative
  incidence, event-free rate): censoring makes it no count of the analysed n;
* an **adjusted or model-based estimate** (least-squares, logistic-model, multiple-imputation or
  otherwise adjusted percentages, or a percentage printed with a standard error);
* a **rate per unit other than participants** (percentage of lesions, leads, injections or eyes; events
  per patient-year);
* a **continuous** measure (means, medians, scores, concentrations);
* **unknown**: a unit that names neither participants nor a percentage of them.

The same reading decides the outcome's **direction**: an outcome that counts harms (participants with
adverse events, deaths, infections, injection-site reactions) is a harm, so a difference is an NNH, not
an NNT. Conventions follow the CONSORT harms extension (Ioannidis et al., Ann Intern Med 2004) and the
Cochrane Handbook, chapter 6 (choosing effect measures; time-to-event data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from viewer.domain.model import Direction, OutcomeKind
from viewer.domain.readers.ctgov.printed import enum_token
from viewer.domain.readers.ctgov.raw import RawOutcome

__all__ = ["Reading", "classify", "direction_of", "part_direction"]

_CONTINUOUS_PARAMS = frozenset(
    {"MEAN", "MEDIAN", "LEAST_SQUARES_MEAN", "GEOMETRIC_MEAN", "GEOMETRIC_LEAST_SQUARES_MEAN", "LOG_MEAN"}
)
_PARTICIPANT_UNITS = frozenset({"PARTICIPANTS", "SUBJECTS", "PATIENTS", "PERSONS", "PEOPLE", ""})
_TIME_TO_EVENT = re.compile(
    r"kaplan[\s-]*meier|\bK-?M\b|life[\s-]*table|actuarial|cumulative\s+(?:incidence|probability|rate)|"
    r"event[\s-]*free\s+(?:rate|survival|probability)|(?:overall|progression[\s-]*free|disease[\s-]*free|"
    r"relapse[\s-]*free|recurrence[\s-]*free|metastasis[\s-]*free|event[\s-]*free)\s+survival|"
    r"survival\s+(?:rate|probability|estimate)|probability\s+of\s+(?:survival|being|remaining)|"
    r"\btime\s+to\b|\bcensor",
    re.IGNORECASE,
)
_ADJUSTED = re.compile(
    r"\badjusted\b|model[\s-]*(?:based|estimated|derived)|least[\s-]*squares?|\bLS\s*mean|"
    r"logistic\s+regression|mixed[\s-]*(?:effects?\s+)?model|\bGEE\b|generalized\s+estimating|"
    r"multiple\s+imputation|marginal\s+(?:mean|estimate|probabilit)|predicted\s+probabilit|"
    r"estimated\s+(?:percentage|proportion|probability|rate)|inverse\s+probability|propensity",
    re.IGNORECASE,
)
_OTHER_UNIT = re.compile(
    r"\b(?:percent(?:age)?|proportion|number|rate|%)\s+of\s+(?!participants|subjects|patients|persons|people|"
    r"responders|children|infants|adults|women|men|volunteers|randomi[sz]ed)(?:the\s+)?(\w+)|"
    r"\bper\s+(?:\d+\s+)?(?:patient|person|participant|subject)[\s-]*(?:years?|months?|weeks?|days?)\b|"
    r"\b(?:events?|episodes?|injections?|lesions?|leads?|eyes?|teeth|joints?|samples?|visits?|cycles?|"
    r"procedures?|infusions?|doses?)\s+per\b",
    re.IGNORECASE,
)
_OF_PARTICIPANTS = re.compile(r"\b(?:participants|subjects|patients|persons|people|responders)\b", re.IGNORECASE)
_PERCENT = re.compile(r"percent|%", re.IGNORECASE)
_PROPORTION = re.compile(r"\bproportion\b|\bfraction\b", re.IGNORECASE)
_COUNT_UNIT = re.compile(
    r"^\s*(?:number\s+of\s+|count\s+of\s+)?(?:participants?|subjects?|patients?|persons?|people|responders?|"
    r"individuals?|children|infants|volunteers)\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"adverse\s+(?:events?|reactions?|effects?|drug\s+reactions?)|side[\s-]+effects?|\bT?E?AEs?\b|\bSAEs?\b|"
    r"\btoxicit|\bdeaths?\b|\bdied\b|\bmortality\b|discontinu\w*\s+(?:due\s+to|because\s+of)|"
    r"withdr[ae]w\w*\s+(?:due\s+to|because\s+of)|injection[\s-]+site\s+reactions?|infusion[\s-]+reactions?|"
    r"\bhypoglyc(?:a)?emi\w*|\binfections?\b|\bsolicited\b|reactogenicity|\b(?:local|systemic)\s+reactions?|"
    r"\bhospitali[sz]\w*|\bfractures?\b|\bbleeding\b|\bhaemorrhag|\bhemorrhag|dose[\s-]+limiting|"
    r"\blaboratory\s+abnormalit|\bgrade\s*(?:3|4|≥\s*3)|\bflares?\b|\brelaps\w*|\brecurren\w*|\bexacerbation|"
    r"\bprogression\b|\bprogressive\b|\bworsening\b|\blocal\s+tolerability\b",
    re.IGNORECASE,
)
_BENEFIT = re.compile(
    r"\b(?:complete|partial|overall|objective|major|clinical)?\s*(?:res?ponse|res?ponders?|remission|"
    r"improvement|cure[ds]?|success|seroconver\w*|seroprotect\w*|healed|resolution)\b",
    re.IGNORECASE,
)
# An outcome that counts participants with a condition, a complication or an event to prevent ("Candidiasis",
# "Chronic Lung Disease", "Neurodevelopmental Impairment", "Focal Intestinal Perforation") is a harm too, unless
# its title names a response: a responder index ("ACR20", "PASI 75") or what was achieved.
_CONDITION = re.compile(
    r"\w+(?:itis|iasis|osis|pathy|malacia|emia|aemia)\b|\b(?:disease|disorders?|impairment|perforation|failure|"
    r"complications?|sepsis|necrosis|thrombosis|stenosis|obstruction|embolism|stroke|infarction|fistula|"
    r"dysplasia|delay|disability|morbidity|readmission|death|candidiasis)\b|\brequiring\s+(?:\w+\s+)?"
    r"(?:surgery|surgical|ligation|transfusion|treatment|intervention|ventilation|hospitali[sz]ation)",
    re.IGNORECASE,
)
_RESPONDER = re.compile(
    r"\b(?:achiev\w*|attain\w*|reach\w*|ACR\s?\d+|PASI\s?\d+|EASI[-\s]?\d+|ASAS\s?\d+|BASDAI\s?50|IGA|SALT\s?\d+|"
    r"low\s+disease\s+activity|LDA|MCID|minimal(?:ly)?\s+(?:clinically\s+)?important)\b",
    re.IGNORECASE,
)
_MEASURED = re.compile(
    r"\b(?:change|score|index|scale|level|concentration|mean|median|duration|length|time|activity|questionnaire)\b",
    re.IGNORECASE,
)  # a measurement of a condition ("Change in Disease Activity Score") says nothing about direction
_NOT_HARM = re.compile(r"[\s-]free\b|\bfree\s+(?:of|from)\b|\bwithout\b|\bno\s+(?:evidence\s+of\s+)?", re.IGNORECASE)
# a category of a harm that is its absence ("Score 0 (clear)", "None", "No adverse events"): fewer is worse
_ABSENT = re.compile(rf"\bnone\b|\babsent\b|\bclear\b|{_NOT_HARM.pattern}", re.IGNORECASE)
_SE_DISPERSIONS = frozenset({"STANDARD_ERROR", "STANDARD_DEVIATION"})


@dataclass(frozen=True, slots=True)
class Reading:
    """The kind of an outcome, its direction, how its values are expressed and why.

    ``scale`` is what a value must be multiplied by to become a percentage: 1 for a percentage, 100 for a
    proportion on a 0-1 scale; ``counts`` is True when the values are participant counts.
    """

    kind: OutcomeKind
    direction: Direction
    reason: str
    counts: bool = False
    scale: float = 1.0

    @property
    def usable(self) -> bool:
        return self.kind is OutcomeKind.CRUDE


def _texts(o: RawOutcome) -> str:
    classes = " ".join(c.title for c in o.classes)
    return " ".join((o.title, o.description, o.population, o.unit, classes))


def direction_of(title: str, description: str = "") -> Direction:
    """Harm when the outcome's title counts harms (adverse events, deaths, reactions) or, naming no response,
    a condition or complication to prevent ("Candidiasis", "Chronic Lung Disease"); else benefit.

    Only the title decides (the description only when there is no title): efficacy descriptions often
    mention adverse events in passing ("discontinued due to adverse events: non-responders").
    """
    text = title if title.strip() else description
    found = _HARM.search(text)
    if found is None:
        if _BENEFIT.search(text) or _RESPONDER.search(text):
            return Direction.BENEFIT
        found = None if _MEASURED.search(text) else _CONDITION.search(text)
        if found is None:
            return Direction.BENEFIT
    before = text[max(0, found.start() - 40) : found.start()]
    if _NOT_HARM.search(before) or _NOT_HARM.match(text[found.end() :]):
        return Direction.BENEFIT
    return Direction.HARM


def part_direction(title: str, measure: Direction) -> Direction:
    """A category or class that names its own kind ("Complete response", "Progressive disease") decides
    for itself; one that names the absence of the harm its measure counts ("Score 0 (clear)" of a local
    tolerability score, "No adverse events") is a benefit; otherwise it takes the measure's direction."""
    if _HARM.search(title) and not _NOT_HARM.search(title):
        return Direction.HARM
    if _BENEFIT.search(title):
        return Direction.BENEFIT
    if measure is Direction.HARM and _ABSENT.search(title):
        return Direction.BENEFIT
    return measure


def _values(o: RawOutcome) -> Iterable[str]:
    return (m.value for c in o.classes for k in c.categories for m in k.measurements)


def _all_fractions(o: RawOutcome) -> bool:
    """Whether every printed number lies within 0 to 1 (a proportion, not a percentage)."""
    seen = False
    for raw in _values(o):
        try:
            value = float(raw)
        except ValueError:
            continue
        seen = True
        if not 0.0 <= value <= 1.0:
            return False
    return seen


def classify(o: RawOutcome, denoms_units: str) -> Reading:
    """The kind of ``o`` (see the module docstring); ``denoms_units`` are the units of its analysed n."""
    direction = direction_of(o.title, o.description)
    param = o.param_type
    unit = o.unit
    texts = _texts(o)
    if enum_token(denoms_units) not in _PARTICIPANT_UNITS:
        reason = f"analysed units are {denoms_units.strip().lower()}, not participants"
        return Reading(OutcomeKind.RATE_OTHER_UNIT, direction, reason)
    if param == "COUNT_OF_UNITS":
        return Reading(OutcomeKind.RATE_OTHER_UNIT, direction, f"a count of units ('{unit}'), not of participants")
    if param in _CONTINUOUS_PARAMS:
        if _TIME_TO_EVENT.search(texts):
            return Reading(OutcomeKind.TIME_TO_EVENT, direction, f"{param.lower().replace('_', ' ')} time to event")
        if _PERCENT.search(unit) and _OF_PARTICIPANTS.search(unit) and param.startswith(("LEAST", "GEOMETRIC_LEAST")):
            return Reading(OutcomeKind.ADJUSTED, direction, "a least-squares (model-based) percentage of participants")
        return Reading(OutcomeKind.CONTINUOUS, direction, f"{param.lower().replace('_', ' ')} of '{unit}'")
    if param not in {"NUMBER", "COUNT_OF_PARTICIPANTS"}:
        return Reading(OutcomeKind.UNKNOWN, direction, f"parameter type '{param or 'none'}' is not recognised")
    if (found := _TIME_TO_EVENT.search(texts)) is not None:
        return Reading(OutcomeKind.TIME_TO_EVENT, direction, f"the record says '{found[0]}'")
    if (found := _ADJUSTED.search(texts)) is not None:
        return Reading(OutcomeKind.ADJUSTED, direction, f"the record says '{found[0]}'")
    if param == "COUNT_OF_PARTICIPANTS":
        return Reading(OutcomeKind.CRUDE, direction, "count of participants", counts=True)
    if (found := _OTHER_UNIT.search(unit)) is not None:
        return Reading(OutcomeKind.RATE_OTHER_UNIT, direction, f"unit '{unit}' is a rate of {found[0].lower()}")
    if _PERCENT.search(unit):
        if o.dispersion_type in _SE_DISPERSIONS:
            reason = f"a percentage with a {o.dispersion_type.lower().replace('_', ' ')}: an estimate, not a count"
            return Reading(OutcomeKind.ADJUSTED, direction, reason)
        return Reading(OutcomeKind.CRUDE, direction, "percentage of participants")
    if _PROPORTION.search(unit):
        if _all_fractions(o):
            return Reading(OutcomeKind.CRUDE, direction, "proportion of participants (0 to 1)", scale=100.0)
        reason = f"unit '{unit}' says proportion but the values are not all between 0 and 1"
        return Reading(OutcomeKind.UNKNOWN, direction, reason)
    if _COUNT_UNIT.search(unit):
        return Reading(OutcomeKind.CRUDE, direction, "number of participants", counts=True)
    reason = f"unit '{unit}' names neither participants nor a percentage of them" if unit else "no unit given"
    return Reading(OutcomeKind.UNKNOWN, direction, reason)

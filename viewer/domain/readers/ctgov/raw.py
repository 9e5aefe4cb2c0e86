"""A study as the registry gives it: the neutral record every registry front end fills.

The API v2 JSON reader, the legacy XML reader and the AACT database reader each walk their own format and
fill these values; everything that decides what the numbers *mean* (``build``) reads only these, so the
formats cannot drift apart. The rules for filling them:

* **Every value is the string the registry printed.** "NA", "NR", "158", "30.8", "1,234": nothing is
  converted here, so the builder applies one set of rules to every source ("NA" is missing, never 0).
* **Enumerations are upper snake case**: ``param_type`` "COUNT_OF_PARTICIPANTS", arm ``type``
  "PLACEBO_COMPARATOR" (use :func:`viewer.domain.readers.ctgov.printed.enum_token`).
* **Group ids are local to their module** (OG000 in one outcome is not OG000 in another; EG… are the
  adverse-event groups). Registry groups do not link to protocol arms by id: the builder matches titles.
* **``loc`` says where the part was read** (a JSON path, an XPath, or ``table.column[id]`` for AACT), so a
  skipped part can be found in the source.

The shape follows the registry's results model (ClinicalTrials.gov data element definitions):
an outcome measure has *groups*, one or more *denominators* (analysed populations: "Participants",
sometimes "Eyes" or "Lesions"), *classes* (a time point or subgroup, which may carry its own denominators)
each holding *categories* (an answer such as "Responder"), each holding one *measurement* per group; and
the sponsor's statistical *analyses*. Adverse events list groups with their totals and, per term, the
participants affected of those at risk, serious and other (non-serious) events apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.domain.errors import Problem

SERIOUS_TOTAL_TERM = "serious adverse event"
OTHER_TOTAL_TERM = "any other adverse event"
MORTALITY_TERM = "all-cause mortality"  # the "Total, all-cause mortality" row of a serious-event table


@dataclass(frozen=True, slots=True)
class RawGroup:
    """A results group (OG…/O1…, EG…/E1…): ids are local to their module, titles are what match arms.

    ``at_risk`` is set for adverse-event groups only: participants at risk, used as the arm's n when the
    group has no outcome data.
    """

    id: str
    title: str
    description: str
    loc: str
    at_risk: str = ""


@dataclass(frozen=True, slots=True)
class RawDenoms:
    """One analysed population: its units ("Participants", "Eyes") and (group id, printed count) pairs."""

    units: str
    counts: tuple[tuple[str, str], ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawMeasurement:
    """One group's printed value in one category, with the registry's comment ("not estimable")."""

    group_id: str
    value: str
    comment: str
    loc: str
    spread: str = ""  # the dispersion value (SD, SE) as printed
    lower: str = ""  # lower limit of a range or interval
    upper: str = ""


@dataclass(frozen=True, slots=True)
class RawCategory:
    """An answer within a class ("Responder", "Grade 3"); usually a single untitled one."""

    title: str
    measurements: tuple[RawMeasurement, ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawClass:
    """A time point or subgroup ("Week 12", "Month 6 (n= 117)"); its own denominators override the
    outcome-level ones."""

    title: str
    denoms: tuple[RawDenoms, ...]
    categories: tuple[RawCategory, ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawAnalysis:
    """A statistic the sponsor posted, as printed (``param_type`` is free text: "Odds Ratio (OR)")."""

    group_ids: tuple[str, ...]
    param_type: str
    value: str
    ci_low: str
    ci_high: str
    ci_percent: str
    ci_sides: str
    p_value: str
    method: str
    comment: str
    description: str
    non_inferiority: str
    loc: str


@dataclass(frozen=True, slots=True)
class RawOutcome:
    """One outcome measure: what was measured, how it is expressed, and the numbers.

    ``param_type`` (NUMBER, COUNT_OF_PARTICIPANTS, MEAN, MEDIAN …) and ``dispersion_type``
    (STANDARD_DEVIATION, CONFIDENCE_95 …) are upper snake case; ``population`` is the registry's analysis
    population description, which often says "Kaplan-Meier" or "imputed".
    """

    title: str
    description: str
    type: str  # PRIMARY, SECONDARY, OTHER_PRE_SPECIFIED, POST_HOC
    reporting_status: str  # POSTED / NOT_POSTED, "" when the format has no such field
    param_type: str
    unit: str
    time_frame: str
    groups: tuple[RawGroup, ...]
    denoms: tuple[RawDenoms, ...]
    classes: tuple[RawClass, ...]
    analyses: tuple[RawAnalysis, ...]
    loc: str
    dispersion_type: str = ""
    population: str = ""
    # False where the source keeps only outcome-level denominators (AACT drops each class's own n)
    class_denominators_kept: bool = True


@dataclass(frozen=True, slots=True)
class RawEventCount:
    """Participants affected of those at risk in one adverse-event group, as printed."""

    group_id: str
    affected: str
    at_risk: str
    loc: str


@dataclass(frozen=True, slots=True)
class RawEvent:
    """One adverse-event term, or a group total (term SERIOUS_TOTAL_TERM / OTHER_TOTAL_TERM)."""

    term: str
    organ_system: str
    serious: bool
    counts: tuple[RawEventCount, ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawAdverseEvents:
    time_frame: str
    groups: tuple[RawGroup, ...]
    events: tuple[RawEvent, ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawArmGroup:
    """A protocol arm: its label, type (upper snake case) and the interventions it lists."""

    label: str
    type: str
    description: str
    intervention_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RawIntervention:
    """A protocol intervention ("DRUG", "Certolizumab pegol") with its other names and arm labels."""

    type: str
    name: str
    description: str
    other_names: tuple[str, ...]
    arm_labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One study with results; ``problems`` are parts the front end already had to leave out."""

    file: str
    nct: str
    brief_title: str
    acronym: str
    phases: tuple[str, ...]
    enrollment: str
    conditions: tuple[str, ...]
    record_date: str
    arm_groups: tuple[RawArmGroup, ...]
    interventions: tuple[RawIntervention, ...]
    outcomes: tuple[RawOutcome, ...]
    adverse_events: RawAdverseEvents | None
    problems: tuple[Problem, ...] = ()

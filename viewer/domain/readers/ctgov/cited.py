"""Where each figure of a registry record was read, kept as shared parts and written out only when shown.

A study's figures repeat their record, outcome, time frame and group in every provenance line; held as
text that was most of the memory a study kept (issue 17: 195 KB for a 5-arm record with 235 adverse-event
rows). Here a figure keeps references to parts its record already holds (the NCT number and date once per
record, a group's id once per group, the outcome title and printed value the record read) and takes what
is its own (n, derived, counts, time frame, term) from the figure itself; ``line`` writes the same text the
builder wrote before, byte for byte, whenever a tooltip, the details pane or a CSV asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from viewer.domain.model import AdverseEvent, Result, SponsorAnalysis
from viewer.domain.outcome_ids import OLD_PART_SEPARATOR  # provenance lines join an id's parts as before
from viewer.domain.sequences import Deflated

SERIOUS_SUFFIX = " (serious)"  # what the builder adds to a serious event's term (``events.event_term``)

# The fields of a study's result and adverse-event tables whose strings only those rows hold (a term, an
# organ-system note, a time frame): kept as one text each (``compact.Texts``). An arm's or outcome's id is
# the Arm's or Outcome's own string and stays shared, not copied.
RESULT_TEXT = ("timepoint", "note", "count_note")
EVENT_TEXT = ("term", "note")
# The fields of an adverse-event row that its term (an organ system, seriousness) or its group (the number at
# risk, where it was read) decide in a record: held as a code per term or group where every row bears it out
EVENT_FOLLOWS = {"note": "term", "serious": "term", "at_risk": "arm_id", "cited": "arm_id"}


def raw_term(term: str, serious: bool) -> str:
    """An event's term as the registry printed it (the builder marks a serious event's term "(serious)")."""
    return term.removesuffix(SERIOUS_SUFFIX) if serious else term


@dataclass(frozen=True, slots=True)
class RecordPart:
    """What every figure of one record names: its NCT number and the date of the record."""

    nct: str
    date: str


@dataclass(frozen=True, slots=True)
class ResultCited:
    """One result: the outcome part and group it was read in, its printed value and where its n came from.

    The outcome part is named by its measure, class and category titles (strings the record's outcome table
    holds once), not by an Outcome object: one per outcome kept its id (up to ~190 characters) alive beside
    the table that makes it when read (issue 17).

    ``value`` is None when the registry printed exactly what the figure holds (``printed_value``: the count,
    or the percentage a count was derived from), the usual case; a value printed otherwise is kept.
    """

    record: RecordPart
    measure: str  # the part of the measure read: its title, class and category (``Outcome``'s fields)
    class_title: str
    category_title: str
    group_id: str
    group_title: str
    value: str | None  # as printed, unless it prints as the figure's own number
    unit: str
    denominators: str  # which level of the record gave n ("class denominators" ...)

    OWN_TEXT: ClassVar[tuple[str, ...]] = ("group_id", "group_title", "value", "unit")  # see ``compact.Texts``

    def line(self, figure: Result) -> str:
        parts = [p for p in (self.class_title, self.category_title) if p]
        where = f" [{OLD_PART_SEPARATOR.join(parts)}]" if parts else ""  # a provenance line, written as before
        value = printed_value(figure) if self.value is None else self.value
        return (
            f"{self.record.nct}; outcome '{self.measure}'{where}; time frame '{figure.timepoint}'; "
            f"group {self.group_id} '{self.group_title}'; raw value '{value}' {self.unit}; "
            f"n {figure.n} from {self.denominators}; {'derived' if figure.derived else 'reported'}; "
            f"record {self.record.date}"
        )


@dataclass(frozen=True, slots=True)
class EventCited:
    """One adverse-event row of one group; the counts as printed only where they differ from the figure's.

    ``affected`` and ``at_risk`` are None when the registry printed exactly the figure's count (the usual
    case), so the rows of one group share one instance; a count printed otherwise ("NA", "1,234") is kept.
    """

    record: RecordPart
    group_id: str
    affected: str | None = None
    at_risk: str | None = None

    def line(self, figure: AdverseEvent) -> str:
        affected = str(figure.affected) if self.affected is None else self.affected
        at_risk = str(figure.at_risk) if self.at_risk is None else self.at_risk
        term = raw_term(figure.term, figure.serious)
        return (
            f"{self.record.nct}; {'serious' if figure.serious else 'other'} adverse event '{term}'; "
            f"group {self.group_id}; affected '{affected}' of at risk '{at_risk}'; "
            f"time frame '{figure.timepoint}'; record {self.record.date}"
        )


def printed_unless_same(printed: str, count: int | float | None) -> str | None:
    """``printed`` when it is not how the number itself prints (None: the number prints as the record did)."""
    return None if count is not None and str(count) == printed else printed


def printed_value(figure: Result) -> str:
    """The number a result was read from, printed: the percentage of a derived count, else the count."""
    return str(figure.percent if figure.derived else figure.responders)


@dataclass(frozen=True, slots=True, eq=False)
class AnalysisCited:
    """A sponsor's statistic: the record, its outcome, the registry groups it compared (kept as ids, so the
    AACT reading finds its rows by them: ``registry.rows``) and its own part (values as printed).

    The own part names the printed value, interval and the sponsor's description of the analysis, which a
    study's analyses word alike ('Odds ratio: CZP/Placebo and p-value were calculated using logistic
    regression ...'): the analyses of a study hold them together, deflated (``own`` every analysis's,
    ``at`` this one's place: NCT02552212's five were 1.5 KB as strings, issue 17). Equal, and hashed, by
    what the line says, however the own part is held.
    """

    record: RecordPart
    title: str
    group_ids: tuple[str, ...]  # ("OG000", "OG001")
    own: str | Sequence[str]  # "raw value '2.1' (95% CI ...); non-inferiority type ...; description ..."
    at: int = -1  # where this analysis's own part is in ``own`` when that holds the study's (-1: ``own`` is it)

    @property
    def own_text(self) -> str:
        """This analysis's own part, as printed."""
        return self.own if isinstance(self.own, str) else self.own[self.at]

    def _key(self) -> tuple[object, ...]:
        return self.record, self.title, self.group_ids, self.own_text

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, AnalysisCited) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def line(self, figure: SponsorAnalysis) -> str:
        return (
            f"{self.record.nct}; outcome '{self.title}'; time frame '{figure.timepoint}'; "
            f"groups {', '.join(self.group_ids)}; {self.own_text}; record {self.record.date}"
        )


def with_owns_together(analyses: Sequence[SponsorAnalysis]) -> tuple[SponsorAnalysis, ...]:
    """A study's analyses with their own parts held together, deflated, where that is smaller
    (``sequences.Deflated``); as they are otherwise (one analysis, or parts too short to deflate)."""
    cited = [a.cited for a in analyses if isinstance(a.cited, AnalysisCited) and a.cited.at < 0]
    owns = Deflated.of([c.own_text for c in cited]) if len(cited) == len(analyses) > 1 else None
    if owns is None:
        return tuple(analyses)
    return tuple(
        replace(a, cited=replace(c, own=owns, at=i)) for i, (a, c) in enumerate(zip(analyses, cited, strict=True))
    )

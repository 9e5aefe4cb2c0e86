"""Adverse events of a record: participants affected of those at risk, per term and group.

Serious and other (non-serious) events are separate tables of the record: the same term in both is two
series, never pooled, and the term of a serious event says so ("Diarrhoea (serious)"), so each is
compared with its own placebo row.
"""

from __future__ import annotations

from viewer.domain.model import AdverseEvent, EvidenceLevel
from viewer.domain.readers.ctgov.arms import ArmBook
from viewer.domain.readers.ctgov.context import RecordContext
from viewer.domain.readers.ctgov.printed import is_missing, parse_count
from viewer.domain.readers.ctgov.raw import (
    OTHER_TOTAL_TERM,
    SERIOUS_TOTAL_TERM,
    RawAdverseEvents,
    RawEvent,
    RawEventCount,
)

SERIOUS_SUFFIX = " (serious)"


def event_term(event: RawEvent) -> str:
    """The term as shown: a serious event's term says it is serious (group totals already do)."""
    if event.serious and event.term not in (SERIOUS_TOTAL_TERM, OTHER_TOTAL_TERM):
        return event.term + SERIOUS_SUFFIX
    return event.term


class EventReader:
    """Reads the adverse-event module; groups become arms (matched by title to the outcome groups)."""

    def __init__(self, context: RecordContext, arms: ArmBook) -> None:
        self.context = context
        self.arms = arms
        self.events: list[AdverseEvent] = []

    def read(self, ae: RawAdverseEvents) -> None:
        taken: set[str] = set()
        arm_ids: dict[str, str] = {}
        for g in ae.groups:
            if not g.id or g.id in arm_ids:
                self.context.skip(g.loc, "id", f"event group id '{g.id}' is empty or repeated; group skipped")
                continue
            existed = {d.id for d in self.arms.arms.values()}
            arm_ids[g.id] = self.arms.arm_for(g, randomised=False, taken=taken)
            if arm_ids[g.id] not in existed and (n := parse_count(g.at_risk)) is not None:
                self.arms.grow_n(arm_ids[g.id], n)
        for event in ae.events:
            for c in event.counts:
                self._count(ae, event, c, arm_ids)

    def _count(self, ae: RawAdverseEvents, event: RawEvent, c: RawEventCount, arm_ids: dict[str, str]) -> None:
        context = self.context
        if c.group_id not in arm_ids:
            context.skip(c.loc, "groupId", f"event group '{c.group_id}' is not one of the adverse-event groups")
            return
        affected = None if is_missing(c.affected) else parse_count(c.affected)
        at_risk = None if is_missing(c.at_risk) else parse_count(c.at_risk)
        if (affected is None and not is_missing(c.affected)) or (at_risk is None and not is_missing(c.at_risk)):
            context.skip(c.loc, "numAffected", f"'{c.affected}' of '{c.at_risk}' is not a whole-number count")
            return
        if affected is not None and at_risk is not None and affected > at_risk:
            context.skip(c.loc, "numAffected", f"{affected} affected exceeds {at_risk} at risk")
            return
        self.events.append(
            AdverseEvent(
                trial_id=context.trial_id,
                arm_id=arm_ids[c.group_id],
                term=event_term(event),
                at_risk=at_risk,
                affected=affected,
                percent=None,
                derived=False,
                source_id=context.nct,
                level=EvidenceLevel.VERIFIED,
                timepoint=ae.time_frame,
                serious=event.serious,
                note=f"organ system: {event.organ_system}" if event.organ_system else "",
                provenance=(
                    f"{context.nct}; {'serious' if event.serious else 'other'} adverse event '{event.term}'; "
                    f"group {c.group_id}; affected '{c.affected}' of at risk '{c.at_risk}'; "
                    f"time frame '{ae.time_frame}'; record {context.date}"
                ),
            )
        )

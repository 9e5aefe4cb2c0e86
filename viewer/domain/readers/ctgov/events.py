"""Adverse events of a record: participants affected of those at risk, per term and group.

Serious and other (non-serious) events are separate tables of the record: the same term in both is two
series, never pooled, and the term of a serious event says so ("Diarrhoea (serious)"), so each is
compared with its own placebo row.

A record lists each term for every group (235 rows in a 5-arm study), so what rows share is made once: the
term as shown and the organ-system note once per event, a count once per printed value, the provenance
once per group (``cited.EventCited``, with the printed counts only where they differ from the figure's);
the rows are kept as a ``compact.RecordTable`` (a code per field and row), and an AdverseEvent is made only
when a chart, table or tooltip reads one.
"""

from __future__ import annotations

from viewer.domain.compact import TableBuilder
from viewer.domain.model import AdverseEvent, EvidenceLevel
from viewer.domain.readers.ctgov.arms import ArmBook
from viewer.domain.readers.ctgov.cited import EVENT_FOLLOWS, SERIOUS_SUFFIX, EventCited, printed_unless_same
from viewer.domain.readers.ctgov.context import RecordContext
from viewer.domain.readers.ctgov.printed import is_missing, parse_count
from viewer.domain.readers.ctgov.raw import (
    OTHER_TOTAL_TERM,
    SERIOUS_TOTAL_TERM,
    RawAdverseEvents,
    RawEvent,
    RawEventCount,
)


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
        # rows, not objects (``compact.RecordTable``), a column another decides held by it where it does
        self.events = TableBuilder(AdverseEvent, follows=EVENT_FOLLOWS)  # its text: ``context.deflated``
        self._counts: dict[str, int | None] = {}  # printed count -> the one int every row holding it shares
        self._notes: dict[str, str] = {}  # organ system -> its note
        self._cited: dict[str, EventCited] = {}  # group id -> the provenance parts of its rows

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
            term = event_term(event)
            organ = event.organ_system
            note = self._notes.setdefault(organ, f"organ system: {organ}") if organ else ""
            for c in event.counts:
                self._count(ae, event, c, arm_ids, term, note)

    def _parsed(self, printed: str) -> int | None:
        """A printed count as an int, one int object per printed value (None: missing or not a count)."""
        if printed not in self._counts:
            self._counts[printed] = None if is_missing(printed) else parse_count(printed)
        return self._counts[printed]

    def _count(
        self,
        ae: RawAdverseEvents,
        event: RawEvent,
        c: RawEventCount,
        arm_ids: dict[str, str],
        term: str,
        note: str,
    ) -> None:
        context = self.context
        if c.group_id not in arm_ids:
            context.skip(c.loc, "groupId", f"event group '{c.group_id}' is not one of the adverse-event groups")
            return
        affected = self._parsed(c.affected)
        at_risk = self._parsed(c.at_risk)
        if (affected is None and not is_missing(c.affected)) or (at_risk is None and not is_missing(c.at_risk)):
            context.skip(c.loc, "numAffected", f"'{c.affected}' of '{c.at_risk}' is not a whole-number count")
            return
        if affected is not None and at_risk is not None and affected > at_risk:
            context.skip(c.loc, "numAffected", f"{affected} affected exceeds {at_risk} at risk")
            return
        cited = self._cited.get(c.group_id)
        if cited is None:
            cited = self._cited[c.group_id] = EventCited(context.cited, c.group_id)
        printed = printed_unless_same(c.affected, affected), printed_unless_same(c.at_risk, at_risk)
        if printed != (None, None):
            cited = EventCited(context.cited, c.group_id, *printed)
        self.events.add(
            trial_id=context.trial_id,
            arm_id=arm_ids[c.group_id],
            term=term,
            at_risk=at_risk,
            affected=affected,
            percent=None,
            derived=False,
            source_id=context.nct,
            level=EvidenceLevel.VERIFIED,
            timepoint=ae.time_frame,
            serious=event.serious,
            note=note,
            cited=cited,
        )

"""Outcome measures of a record: each group's responders of its analysed n, for the outcomes that hold them.

Every measure is first classified (``classify``): only a crude count or percentage of participants is
read; the others are listed in ``Dataset.excluded_outcomes`` with their kind and reason. Then:

* a value is kept as printed: "NA"/"NR" stay missing (never 0); a count derived from a percentage (or a
  0-1 proportion) is flagged ``derived`` and goes through the one percent rule of
  ``stats.count_from_percent`` (a percentage that fits no whole count, or several, says so in
  ``count_note`` and the note);
* the denominator is the finest the record gives: the class's own analysed n, else an n printed in the
  class or category title ("Month 6 (n= 117)", only when one group is measured there), else the
  outcome's; the provenance names which ("n from class title");
* each class (time point, subgroup) and category (answer) becomes its own Outcome, the parts kept as
  fields, with the outcome's direction (benefit, or harm for NNH);
* both answers of a yes/no question that do not add up to the n they share say so in the note
  (``answers.unaccounted``): n stays the record's, the reader sees how many were measured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from viewer.domain.model import EvidenceLevel, ExcludedOutcome, Outcome, OutcomeKind, Result, SponsorAnalysis
from viewer.domain.outcome_ids import PART_SEPARATOR
from viewer.domain.readers.ctgov.answers import AnswerPart, unaccounted
from viewer.domain.readers.ctgov.arms import ArmBook
from viewer.domain.readers.ctgov.cited import AnalysisCited, ResultCited, printed_unless_same
from viewer.domain.readers.ctgov.classify import Reading, classify, direction_of, part_direction
from viewer.domain.readers.ctgov.context import RecordContext
from viewer.domain.readers.ctgov.printed import (
    count_from_printed_percent,
    enum_token,
    is_missing,
    parse_count,
    parse_number,
)
from viewer.domain.readers.ctgov.raw import (
    RawAnalysis,
    RawCategory,
    RawClass,
    RawDenoms,
    RawGroup,
    RawMeasurement,
    RawOutcome,
)


@dataclass(frozen=True, slots=True)
class Denominators:
    """Analysed n per group id, where they were read, and which level of the record gave them."""

    counts: dict[str, str]
    loc: str
    source: str  # "class denominators", "class title 'Month 6 (n= 117)'", "outcome denominators"


def pick_denoms(denoms: Sequence[RawDenoms]) -> RawDenoms | None:
    """Participants, not eyes or injections, when a measure gives several analysed populations."""
    for d in denoms:
        if enum_token(d.units) in {"PARTICIPANTS", "SUBJECTS", "PATIENTS"}:
            return d
    return denoms[0] if denoms else None


_TITLE_N = re.compile(r"\bn\s*[=:]\s*(\d{1,3}(?:,\d{3})+|\d+)\b", re.IGNORECASE)


def title_n(title: str) -> int | None:
    """An analysed n printed in a class or category title: 'Month 6 (n= 117)' -> 117."""
    found = _TITLE_N.search(title)
    return int(found.group(1).replace(",", "")) if found else None


def shown_parts(
    o: RawOutcome, class_title: str, ci: int, category_title: str, ki: int, several: tuple[bool, bool]
) -> tuple[str, ...]:
    """What an outcome part's id names, in order: the measure's title, then its class (time point, subgroup)
    when the measure has several, then its category (answer) when its class has several, an untitled one
    by its place ("class 2"). Joined by ``PART_SEPARATOR``: the id, made again from these when a table of
    the record's outcomes is read (``compact.Joined``)."""
    shown_class = class_title or (f"class {ci + 1}" if several[0] else "")
    category = category_title or (f"category {ki + 1}" if several[1] else "")
    return (o.title, *(p for p, many in ((shown_class, several[0]), (category, several[1])) if many))


def part_outcome(
    o: RawOutcome,
    class_title: str,
    ci: int,
    category_title: str,
    ki: int,
    several: tuple[bool, bool],
    reading: Reading,
) -> Outcome:
    """The Outcome for one class and category of a measure; its id and title name every part shown
    (``shown_parts``)."""
    outcome_id = PART_SEPARATOR.join(shown_parts(o, class_title, ci, category_title, ki, several))
    return Outcome(
        outcome_id,
        outcome_id,
        measure=o.title,
        class_title=class_title,
        category_title=category_title,
        direction=part_direction(category_title or class_title, reading.direction),
    )


CLASS_DENOMINATORS_LOST = (
    "reported by class (time point or subgroup), whose own denominators AACT does not keep; "
    "the study's ClinicalTrials.gov record has them"
)


class OutcomeReader:
    """Reads the outcome measures of one record into outcomes, results and sponsor analyses."""

    def __init__(self, context: RecordContext, arms: ArmBook) -> None:
        self.context = context
        self.arms = arms
        self.outcomes: dict[str, Outcome] = {}
        self.parts: dict[str, tuple[str, ...]] = {}  # per outcome id: the parts it joins (``shown_parts``)
        self.results: list[Result] = []
        self.analyses: list[SponsorAnalysis] = []

    def skip(self, location: str, field_name: str, rule: str) -> None:
        self.context.skip(location, field_name, rule)

    def exclude(self, o: RawOutcome, kind: OutcomeKind, reason: str) -> None:
        """Keep an outcome out of the effect charts, listed with its kind and reason (a record gives a few
        reasons to many outcomes: one string each)."""
        direction = direction_of(o.title, o.description)
        reason = self.context.shared(reason)
        self.context.keep_out(ExcludedOutcome(self.context.trial_id, o.title, kind, reason, o.loc, direction))

    def read(self, o: RawOutcome) -> None:
        if enum_token(o.reporting_status) == "NOT_POSTED":
            self.exclude(o, OutcomeKind.NOT_POSTED, "the record lists the outcome without data")
            return
        if not o.classes and not o.param_type:
            self.exclude(o, OutcomeKind.NOT_POSTED, "listed without a measure or any measurement")
            return
        base = pick_denoms(o.denoms)
        reading = classify(o, base.units if base else "")
        if not reading.usable:
            self.exclude(o, reading.kind, reading.reason)
            return
        if not o.classes:
            self.exclude(o, OutcomeKind.NOT_POSTED, "no measurements posted")
            return
        if not o.class_denominators_kept and len(o.classes) > 1:
            # a class (time point, subgroup) may have its own n that this source did not keep: in doubt, out
            self.exclude(o, reading.kind, CLASS_DENOMINATORS_LOST)
            return
        groups: dict[str, RawGroup] = {}
        for g in o.groups:
            if g.id in groups or not g.id:
                self.skip(g.loc, "id", f"group id '{g.id}' is empty or repeated; outcome '{o.title}' skipped")
                return
            groups[g.id] = g
        taken: set[str] = set()
        arm_ids = {gid: self.arms.arm_for(g, True, taken) for gid, g in groups.items()}
        base_n = dict(base.counts) if base else {}
        ids: list[str] = []
        parts: list[AnswerPart] = []
        for ci, cls in enumerate(o.classes):
            own = pick_denoms(cls.denoms)
            if own:
                denoms = Denominators(dict(own.counts), own.loc, "class denominators")
            else:
                denoms = Denominators(base_n, base.loc if base else f"{o.loc}.denoms", "outcome denominators")
            several = (len(o.classes) > 1, len(cls.categories) > 1)
            for ki, category in enumerate(cls.categories):
                titles = self.context.shared(cls.title), self.context.shared(category.title)
                outcome = part_outcome(o, titles[0], ci, titles[1], ki, several, reading)
                ids.append(outcome.id)
                if outcome.id not in self.outcomes:
                    self.outcomes[outcome.id] = outcome
                    self.parts[outcome.id] = shown_parts(o, titles[0], ci, titles[1], ki, several)
                finest = denoms if own else self._title_denominators(cls, category, denoms)
                if finest is None:
                    continue
                for m in category.measurements:
                    before = len(self.results)
                    self._measurement(o, reading, outcome, m, groups, arm_ids, finest)
                    if reading.counts and len(self.results) > before:
                        scope, title = (f"class {ci}", category.title) if several[1] else ("classes", cls.title)
                        parts.append(AnswerPart(scope, title, before))
        for index, note in unaccounted(parts, self.results).items():
            r = self.results[index]
            self.results[index] = replace(r, note="; ".join(x for x in (r.note, note) if x))
        analysis_outcome = ids[0] if len(set(ids)) == 1 else o.title
        if o.analyses and analysis_outcome not in self.outcomes:
            self.outcomes[analysis_outcome] = Outcome(
                analysis_outcome, analysis_outcome, measure=o.title, direction=reading.direction
            )
            self.parts[analysis_outcome] = (analysis_outcome,)
        for a in o.analyses:
            self._analysis(o, a, analysis_outcome, arm_ids)

    def _title_denominators(self, cls: RawClass, category: RawCategory, denoms: Denominators) -> Denominators | None:
        """An n printed in the category or class title overrides the outcome's, for a single group only."""
        for where, title in (("category", category.title), ("class", cls.title)):
            n = title_n(title)
            if n is None:
                continue
            measured = {m.group_id for m in category.measurements}
            if len(measured) != 1:
                self.skip(
                    category.loc,
                    "title",
                    f"{where} title '{title}' gives one n for {len(measured)} groups; per-group n unknown, skipped",
                )
                return None
            (group_id,) = measured
            return Denominators({group_id: str(n)}, category.loc, f"{where} title '{title}'")
        return denoms

    def _measurement(
        self,
        o: RawOutcome,
        reading: Reading,
        outcome: Outcome,
        m: RawMeasurement,
        groups: dict[str, RawGroup],
        arm_ids: dict[str, str],
        denoms: Denominators,
    ) -> None:
        group = groups.get(m.group_id)
        if group is None:
            self.skip(m.loc, "groupId", f"group '{m.group_id}' is not one of the outcome's groups")
            return
        raw_n = denoms.counts.get(m.group_id)
        if raw_n is None:
            self.skip(denoms.loc, "counts", f"group {m.group_id} has no denominator; value '{m.value}' skipped")
            return
        n = parse_count(raw_n)
        if n is None:
            self.skip(denoms.loc, "value", f"denominator '{raw_n}' of group {m.group_id} is not a whole number")
            return
        if n == 0:
            self.skip(denoms.loc, "value", f"group {m.group_id} has no participants analysed (denominator 0)")
            return
        notes: list[str] = []
        if not reading.counts and re.search(r"\bimput", f"{o.description} {o.population}", re.IGNORECASE):
            notes.append("non-responder or other imputation described for missing values (see outcome description)")
        if m.comment:
            notes.append(f"registry comment: {m.comment}")
        responders: int | None = None
        percent: float | None = None
        derived = False
        count_note = ""
        if is_missing(m.value):
            notes.insert(0, f"value '{m.value}' printed: not available")
        else:
            value = parse_number(m.value)
            if value is None:
                self.skip(m.loc, "value", f"'{m.value}' is not a number")
                return
            if not reading.counts:
                if not 0 <= value * reading.scale <= 100:
                    self.skip(m.loc, "value", f"percentage {m.value} is outside 0 to 100")
                    return
                percent = value * reading.scale
                fit = count_from_printed_percent(m.value, value, n, reading.scale)
                responders, derived, count_note = fit.count, True, fit.note
                if fit.note:
                    notes.insert(0, fit.note)
            else:
                if not value.is_integer() or value < 0:
                    self.skip(m.loc, "value", f"count '{m.value}' is not a whole number of participants")
                    return
                if value > n:
                    self.skip(m.loc, "value", f"count {m.value} exceeds the denominator {n}")
                    return
                responders = int(value)
        self.arms.grow_n(arm_ids[m.group_id], n)
        c = self.context
        cited = ResultCited(
            c.cited,
            outcome.measure,
            outcome.class_title,
            outcome.category_title,
            c.shared(group.id),
            c.shared(group.title),
            printed_unless_same(m.value, percent if derived else responders),
            c.shared(o.unit),
            denoms.source,
        )
        self.results.append(
            Result(
                trial_id=c.trial_id,
                arm_id=arm_ids[m.group_id],
                outcome_id=outcome.id,
                timepoint=c.shared(o.time_frame),
                n=n,
                responders=responders,
                percent=percent,
                derived=derived,
                source_id=c.nct,
                level=EvidenceLevel.VERIFIED,
                note="; ".join(notes),
                cited=cited,
                count_note=count_note,
            )
        )

    def _analysis(self, o: RawOutcome, a: RawAnalysis, outcome_id: str, arm_ids: dict[str, str]) -> None:
        unknown = [g for g in a.group_ids if g not in arm_ids]
        if unknown:
            self.skip(a.loc, "groupIds", f"analysis names groups {', '.join(unknown)} that the outcome does not have")
            return
        c = self.context
        self.analyses.append(
            SponsorAnalysis(
                trial_id=c.trial_id,
                outcome_id=outcome_id,
                timepoint=c.shared(o.time_frame),
                arm_ids=c.shared_ids(arm_ids[g] for g in a.group_ids),
                param_type=c.shared(a.param_type),
                value=parse_number(a.value),
                ci_low=parse_number(a.ci_low),
                ci_high=parse_number(a.ci_high),
                ci_percent=parse_number(a.ci_percent),
                p_value=c.shared(a.p_value.strip()),
                method=c.shared(a.method),
                comment=c.shared(a.comment),
                source_id=c.nct,
                cited=AnalysisCited(
                    c.cited,
                    o.title,
                    c.shared_ids(map(c.shared, a.group_ids)),
                    f"raw value '{a.value}' ({a.ci_percent}% CI {a.ci_low} to "
                    f"{a.ci_high}, {a.ci_sides}); non-inferiority type '{a.non_inferiority}'; "
                    f"description '{a.description}'",
                ),
            )
        )

"""Outcome measures of a record: which are binary, and each group's responders of its analysed n.

A value is kept as printed: "NA"/"NR" stay missing (never 0), a count derived from a percentage is
flagged ``derived`` and goes through the one percent rule of ``stats.count_from_percent`` (a percentage
that fits no whole count, or several, says so in the result's note). Each class (time point, subgroup)
and category (answer) of a measure becomes its own Outcome, the parts kept as fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from viewer.domain.model import EvidenceLevel, Outcome, Result, SponsorAnalysis
from viewer.domain.readers.ctgov.arms import ArmBook
from viewer.domain.readers.ctgov.context import RecordContext
from viewer.domain.readers.ctgov.printed import (
    count_from_printed_percent,
    enum_token,
    is_missing,
    parse_count,
    parse_number,
)
from viewer.domain.readers.ctgov.raw import RawAnalysis, RawClass, RawDenoms, RawGroup, RawMeasurement, RawOutcome

PART_SEPARATOR = " — "  # between measure, class and category in a shown title; never parsed back


def binary_kind(param_type: str, unit: str) -> str:
    """'percent', 'count' or '' (not a responder outcome)."""
    unit = unit.casefold()
    if param_type == "COUNT_OF_PARTICIPANTS":
        return "count"
    if param_type == "NUMBER":
        if "percent" in unit or "%" in unit:
            return "percent"
        if re.fullmatch(r"\s*(?:number\s+of\s+)?(?:participants|subjects|patients|persons|people)\s*", unit):
            return "count"
    return ""


def pick_denoms(denoms: Sequence[RawDenoms]) -> RawDenoms | None:
    """Participants, not eyes or injections, when a measure gives several analysed populations."""
    for d in denoms:
        if enum_token(d.units) in {"PARTICIPANTS", "SUBJECTS", "PATIENTS"}:
            return d
    return denoms[0] if denoms else None


def part_outcome(
    o: RawOutcome, cls: RawClass, ci: int, category_title: str, ki: int, several: tuple[bool, bool]
) -> Outcome:
    """The Outcome for one class and category of a measure; its id and title name every part shown."""
    class_title = cls.title or (f"class {ci + 1}" if several[0] else "")
    category = category_title or (f"category {ki + 1}" if several[1] else "")
    shown = [o.title, *(p for p, many in ((class_title, several[0]), (category, several[1])) if many)]
    outcome_id = PART_SEPARATOR.join(shown)
    described = [o.description]
    if cls.title:
        described.append(f"Class: {cls.title}.")
    if category_title:
        described.append(f"Category: {category_title}.")
    return Outcome(
        outcome_id,
        outcome_id,
        " ".join(d for d in described if d),
        measure=o.title,
        class_title=cls.title,
        category_title=category_title,
    )


class OutcomeReader:
    """Reads the outcome measures of one record into outcomes, results and sponsor analyses."""

    def __init__(self, context: RecordContext, arms: ArmBook) -> None:
        self.context = context
        self.arms = arms
        self.outcomes: dict[str, Outcome] = {}
        self.results: list[Result] = []
        self.analyses: list[SponsorAnalysis] = []

    def skip(self, location: str, field_name: str, rule: str) -> None:
        self.context.skip(location, field_name, rule)

    def read(self, o: RawOutcome) -> None:
        if enum_token(o.reporting_status) == "NOT_POSTED":
            self.skip(o.loc, "reportingStatus", "results not posted")
            return
        kind = binary_kind(o.param_type, o.unit)
        if not kind:
            shown = o.param_type or "none"
            self.skip(o.loc, "paramType", f"not a binary outcome (paramType {shown}, unit '{o.unit}'): '{o.title}'")
            return
        if not o.classes:
            self.skip(o.loc, "classes", f"no measurements posted for '{o.title}'")
            return
        groups: dict[str, RawGroup] = {}
        for g in o.groups:
            if g.id in groups or not g.id:
                self.skip(g.loc, "id", f"group id '{g.id}' is empty or repeated; outcome '{o.title}' skipped")
                return
            groups[g.id] = g
        taken: set[str] = set()
        arm_ids = {gid: self.arms.arm_for(g, True, taken) for gid, g in groups.items()}
        base = pick_denoms(o.denoms)
        base_n = dict(base.counts) if base else {}
        ids: list[str] = []
        for ci, cls in enumerate(o.classes):
            own = pick_denoms(cls.denoms)
            denoms, denoms_loc = (
                (dict(own.counts), own.loc) if own else (base_n, base.loc if base else f"{o.loc}.denoms")
            )
            several = (len(o.classes) > 1, len(cls.categories) > 1)
            for ki, category in enumerate(cls.categories):
                outcome = part_outcome(o, cls, ci, category.title, ki, several)
                ids.append(outcome.id)
                self.outcomes.setdefault(outcome.id, outcome)
                for m in category.measurements:
                    self._measurement(o, kind, outcome, m, groups, arm_ids, denoms, denoms_loc)
        analysis_outcome = ids[0] if len(set(ids)) == 1 else o.title
        if o.analyses and analysis_outcome not in self.outcomes:
            self.outcomes[analysis_outcome] = Outcome(
                analysis_outcome, analysis_outcome, o.description, measure=o.title
            )
        for a in o.analyses:
            self._analysis(o, a, analysis_outcome, arm_ids)

    def _measurement(
        self,
        o: RawOutcome,
        kind: str,
        outcome: Outcome,
        m: RawMeasurement,
        groups: dict[str, RawGroup],
        arm_ids: dict[str, str],
        denoms: dict[str, str],
        denoms_loc: str,
    ) -> None:
        group = groups.get(m.group_id)
        if group is None:
            self.skip(m.loc, "groupId", f"group '{m.group_id}' is not one of the outcome's groups")
            return
        raw_n = denoms.get(m.group_id)
        if raw_n is None:
            self.skip(denoms_loc, "counts", f"group {m.group_id} has no denominator; value '{m.value}' skipped")
            return
        n = parse_count(raw_n)
        if n is None:
            self.skip(denoms_loc, "value", f"denominator '{raw_n}' of group {m.group_id} is not a whole number")
            return
        if n == 0:
            self.skip(denoms_loc, "value", f"group {m.group_id} has no participants analysed (denominator 0)")
            return
        notes: list[str] = []
        if kind == "percent" and re.search(r"\bimput", o.description, re.IGNORECASE):
            notes.append("percentages may include model-imputed values (see outcome description)")
        if m.comment:
            notes.append(f"registry comment: {m.comment}")
        responders: int | None = None
        percent: float | None = None
        derived = False
        if is_missing(m.value):
            notes.insert(0, f"value '{m.value}' printed: not available")
        else:
            value = parse_number(m.value)
            if value is None:
                self.skip(m.loc, "value", f"'{m.value}' is not a number")
                return
            if kind == "percent":
                if not 0 <= value <= 100:
                    self.skip(m.loc, "value", f"percentage {m.value} is outside 0 to 100")
                    return
                percent = value
                fit = count_from_printed_percent(m.value, value, n)
                responders, derived = fit.count, True
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
        parts = [p for p in (outcome.class_title, outcome.category_title) if p]
        where = f" [{PART_SEPARATOR.join(parts)}]" if parts else ""
        c = self.context
        provenance = (
            f"{c.nct}; outcome '{o.title}'{where}; time frame '{o.time_frame}'; group {group.id} '{group.title}'; "
            f"raw value '{m.value}' {o.unit}; n {n}; {'derived' if derived else 'reported'}; record {c.date}"
        )
        self.results.append(
            Result(
                trial_id=c.trial_id,
                arm_id=arm_ids[m.group_id],
                outcome_id=outcome.id,
                timepoint=o.time_frame,
                n=n,
                responders=responders,
                percent=percent,
                derived=derived,
                source_id=c.nct,
                level=EvidenceLevel.VERIFIED,
                note="; ".join(notes),
                provenance=provenance,
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
                timepoint=o.time_frame,
                arm_ids=tuple(arm_ids[g] for g in a.group_ids),
                param_type=a.param_type,
                value=parse_number(a.value),
                ci_low=parse_number(a.ci_low),
                ci_high=parse_number(a.ci_high),
                ci_percent=parse_number(a.ci_percent),
                p_value=a.p_value.strip(),
                method=a.method,
                comment=a.comment,
                source_id=c.nct,
                provenance=(
                    f"{c.nct}; outcome '{o.title}'; time frame '{o.time_frame}'; groups {', '.join(a.group_ids)}; "
                    f"raw value '{a.value}' ({a.ci_percent}% CI {a.ci_low} to {a.ci_high}, {a.ci_sides}); "
                    f"non-inferiority type '{a.non_inferiority}'; description '{a.description}'; record {c.date}"
                ),
            )
        )

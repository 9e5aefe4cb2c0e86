"""Arms of a record: results groups matched to protocol arms by title, with role, drug and dose.

Results groups do not link to protocol arms by id, so groups are matched by **title**: one arm per
distinct normalised title across the outcomes and the adverse-event groups of a record (analysis-set tags
such as "(FAS)" or "(SS)" are ignored), so "Placebo (FAS)" and "Placebo (SS)" are one arm. A group's n
is the largest denominator it is analysed with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from viewer.domain.model import PER_BODY_SIZE, Arm, ArmRole, EvidenceLevel
from viewer.domain.readers.ctgov.context import RecordContext
from viewer.domain.readers.ctgov.doses import ParsedDose, daily_dose_for, is_placebo, parse_dose
from viewer.domain.readers.ctgov.drugs import RecordDrugs
from viewer.domain.readers.ctgov.printed import group_key, group_label
from viewer.domain.readers.ctgov.raw import RawArmGroup, RawGroup

NOT_RANDOMISED = "not a randomised outcome group"
NOT_AN_ARM = "not a treatment arm: matches no protocol arm and names no intervention (a subgroup of participants)"
_ALL_GROUPS = re.compile(
    r"^\s*(?:all|total|overall)\b|\ball\s+(?:subjects|participants|patients|randomi[sz]ed)\b", re.I
)
_OPEN_LABEL = re.compile(r"->|→|\b(ol|open[\s-]?label|switch\w*|extension|sfe|rescue|escape)\b", re.IGNORECASE)
_PLACEBO_TYPES = frozenset({"PLACEBO_COMPARATOR", "SHAM_COMPARATOR"})
_DRUG_TYPES = frozenset({"EXPERIMENTAL", "ACTIVE_COMPARATOR"})
_MASS = {"mg": 1.0, "µg": 1e-3, "g": 1e3, "ng": 1e-6}


@dataclass(slots=True)
class ArmDraft:
    id: str
    label: str
    role: ArmRole
    drug_id: str
    dose: ParsedDose | None
    notes: list[str]
    n: int | None = None
    randomised: bool = True
    protocol: tuple[str, ...] = ()  # labels of the protocol arms the group stands for

    def freeze(self, trial_id: str, source_id: str, shared: Callable[[str], str]) -> Arm:
        """The Arm; ``shared`` gives one string for a unit or regimen several arms print ('mg', 'Q2W')."""
        dose = self.dose
        daily_mg = 0.0 if self.role is ArmRole.PLACEBO else None  # placebo is dose 0 on a dose-response chart
        if dose is not None and dose.daily_dose is not None and dose.unit in _MASS:
            daily_mg = dose.daily_dose * _MASS[dose.unit]
        return Arm(
            id=self.id,
            trial_id=trial_id,
            role=self.role,
            label=self.label,
            drug_id=self.drug_id,
            dose=dose.amount if dose else None,
            unit=shared(dose.unit) if dose else "",
            frequency=shared(dose.frequency) if dose else "",
            daily_dose_mg=daily_mg,
            n=self.n,
            source_id=source_id,
            level=EvidenceLevel.VERIFIED,
            note="; ".join(dict.fromkeys(self.notes)),
            randomised=self.randomised,
            frequency_range=dose.ranged if dose and not dose.frequency else "",
        )


def arm_dose(
    title: str, description: str, arms: Sequence[RawArmGroup], own: Callable[[str], str] = lambda text: text
) -> tuple[ParsedDose | None, list[str]]:
    """The dose of a group: amount from the title when it has one, regimen and sequence from any text.

    Results titles are often terse ("Semaglutide 0.5 mg") while the description or the protocol arm says
    "once weekly" and describes the titration; a regimen is borrowed only from text that states the same
    maintenance amount in the same unit (or none), so "0.25 mg … then 0.5 mg" never lends its words to a
    1.0 mg arm, nor a 5 mg arm its note to a 5 µg one. ``own`` cuts each text down to the part about the
    group's own drug, so in "cisplatin 40 mg/m² weekly + radiotherapy" the dose stays with cisplatin.
    """
    texts = [title, description]
    for arm in arms:
        texts.extend((arm.label, arm.description))
    parsed = [parse_dose(own(text)) for text in texts]
    base = next((p for p in parsed if p.amount is not None), None)
    if base is None:
        return None, []
    same = [p for p in parsed if p.amount is None or (p.amount, p.unit) == (base.amount, base.unit)]
    ranged = base.ranged or next((p.ranged for p in same if p.ranged and not p.frequency), "")
    frequency = base.frequency or ("" if base.ranged else next((p.frequency for p in same if p.frequency), ""))
    relevant = [p for p in parsed if (p.amount, p.unit) == (base.amount, base.unit)]
    loading = any(p.loading for p in relevant)
    titration = any(p.titration for p in relevant)
    dose = ParsedDose(
        amount=base.amount,
        unit=base.unit,
        frequency=frequency,
        daily_dose=daily_dose_for(base.amount, frequency),
        titration=titration,
        loading=loading,
        note=base.note,
        ranged="" if frequency else ranged,
    )
    notes = [f"dose read from '{base.note[:160]}'"]
    if loading:
        notes.append("loading doses before the maintenance dose")
    if titration:
        notes.append("dose titrated up to the maintenance dose")
    if frequency and not base.frequency:
        notes.append(f"regimen {frequency} taken from the group or protocol arm description")
    if base.unit in PER_BODY_SIZE:
        notes.append(f"dose per body size ({base.unit}): no daily mg dose without the participants' weight or area")
    elif not frequency and ranged:
        notes.append(f"a range of dosing frequencies ('{ranged}'): no single daily dose")
    elif not frequency:
        notes.append("no dosing frequency given: no daily dose")
    elif dose.daily_dose is None:
        notes.append(f"regimen {frequency} gives no daily dose")
    return dose, notes


class ArmBook:
    """The arms of one record, created the first time a results group's title is seen."""

    def __init__(self, context: RecordContext, drugs: RecordDrugs) -> None:
        self.context = context
        self.drugs = drugs
        self.arms: dict[str, ArmDraft] = {}

    def _protocol_arms(self, title: str, placebo: bool | None) -> list[RawArmGroup]:
        """Protocol arms a results group stands for: the exact title, else arms whose label contains it.

        A pooled results group ("Placebo") matches every protocol arm it pools ("Semaglutide Placebo 0.5
        mg/Week", "... 1.0 mg/Week"); ``placebo`` keeps placebo and active arms apart.
        """
        tokens = set(group_key(title).split())
        if not tokens:
            return []
        scored: list[tuple[float, RawArmGroup]] = []
        for arm in self.context.record.arm_groups:
            arm_tokens = set(group_key(arm.label).split())
            if not arm_tokens:
                continue
            if arm_tokens == tokens:
                return [arm]
            if placebo is not None and self._placebo_arm(arm) != placebo:
                continue
            if tokens <= arm_tokens or arm_tokens <= tokens:
                scored.append((1.0, arm))
            else:
                overlap = len(tokens & arm_tokens) / len(tokens | arm_tokens)
                if overlap >= 0.5:
                    scored.append((overlap, arm))
        if not scored:
            return []
        best = max(s for s, _ in scored)
        return [arm for s, arm in scored if s == best]

    def _placebo_arm(self, arm: RawArmGroup) -> bool:
        """Whether a protocol arm is a placebo arm: typed so, or labelled so unless it is a drug arm.

        An arm typed EXPERIMENTAL or ACTIVE_COMPARATOR whose label names a drug of the record beside the
        placebo ("Arm #1 - Lenalidomide plus placebo", a double dummy) is the drug's arm, so a "Placebo"
        results group never pools it; "Semaglutide Placebo 0.5 mg/Week" typed PLACEBO_COMPARATOR stays placebo.
        """
        if arm.type in _PLACEBO_TYPES:
            return True
        if not is_placebo(arm.label, ""):
            return False
        drug_typed = arm.type in _DRUG_TYPES
        return not (drug_typed and any(e.first_mention(arm.label) is not None for e in self.drugs.entries.values()))

    def arm_for(self, group: RawGroup, randomised: bool, taken: set[str]) -> str:
        """The arm id of a results group, creating the arm the first time its title is seen.

        ``randomised`` is True for an outcome group. An adverse-event group seen first (no outcome group
        has its title) is still a randomised arm when it matches a protocol arm and is neither open-label
        nor an "all participants" total; otherwise it is marked as outside the randomised comparison.
        """
        key = group_key(group.title) or f"group {group.id.casefold()}"
        notes: list[str] = []
        if key in taken:  # two groups of one module share a title: keep them apart by group id
            key = f"{key} {group.id.casefold()}"
            notes.append(f"group title '{group.title}' repeated in one module; kept apart by id {group.id}")
        taken.add(key)
        if key in self.arms:
            return self.arms[key].id
        title_placebo = is_placebo(group.title, group.description)
        candidates = self._protocol_arms(group.title, None)
        if not title_placebo and candidates and all(a.type in _PLACEBO_TYPES for a in candidates):
            # "Control" matched only to placebo-comparator arms: the protocol type decides
            title_placebo = is_placebo(group.title, group.description, candidates[0].type)
        matched = self._protocol_arms(group.title, title_placebo)
        if len(matched) > 1:
            notes.append("results group pools protocol arms " + ", ".join(f"'{a.label}'" for a in matched))
        open_label = bool(_OPEN_LABEL.search(group.title))
        if open_label:
            notes.append("open-label or switch group, not a randomised comparison")
        same = self._same_protocol_arm(group, matched, open_label, taken)
        if same is not None:
            same.notes.append(f"results group '{group_label(group.title)}' is the same protocol arm")
            self.arms[key] = same
            return same.id
        stratum = randomised and not title_placebo and not matched and bool(self.context.record.arm_groups)
        stratum = stratum and not self._names_intervention(group)
        if stratum:  # "Cycle 1 MRD 10^-4": participants grouped by a result, not by what they received
            randomised = False
            notes.append(NOT_AN_ARM)
        if not randomised and not stratum:
            matches_protocol = bool(matched) or not self.context.record.arm_groups
            randomised = matches_protocol and not _ALL_GROUPS.search(group.title)
            if not randomised:
                notes.append(NOT_RANDOMISED)
        role, drug_id, dose = (ArmRole.DRUG if stratum else ArmRole.PLACEBO), "", None
        if not title_placebo and not stratum:
            entry, how = self.drugs.resolve(group.title, group.description, (a.label for a in matched))
            labels = {a.label.casefold() for a in matched}
            if entry is not None and matched and entry.arm_labels and not entry.arm_labels & labels:
                # "GSK149203A S+ Group": the protocol arm of naturally infected participants gets no vaccine
                notes.append(
                    f"protocol arm '{matched[0].label}' does not receive {entry.name} (named in its title only)"
                )
                entry, how, randomised = None, "", False
            role = ArmRole.DRUG if entry is None or entry.studied else ArmRole.ACTIVE
            drug_id = entry.id if entry else ""
            if how:
                notes.append(how)
            own = (lambda text: self.drugs.segment(text, entry)) if entry else (lambda text: text)
            dose, dose_notes = arm_dose(group.title, group.description, matched, own)
            notes.extend(dose_notes)
        slug = "-".join(key.split())
        draft = ArmDraft(
            f"{self.context.trial_id}-{slug}",
            group_label(group.title),
            role,
            drug_id,
            dose,
            notes,
            randomised=randomised and not open_label,
            protocol=tuple(a.label for a in matched),
        )
        self.arms[key] = draft
        return draft.id

    def _names_intervention(self, group: RawGroup) -> bool:
        texts = (group.title, group.description)
        return any(e.first_mention(t) is not None for e in self.drugs.entries.values() for t in texts)

    def _same_protocol_arm(
        self, group: RawGroup, matched: list[RawArmGroup], open_label: bool, taken: set[str]
    ) -> ArmDraft | None:
        """The arm already read for the one protocol arm this group stands for, under another title.

        A single-arm record titles its outcome group "Blinatumomab" and its adverse-event group
        "Blinatumomab 15 µg/m2/d": one protocol arm, one arm. Never merged: groups of one module, open-label
        or switch groups, or groups whose doses differ.
        """
        if len(matched) != 1 or open_label:
            return None
        dose = parse_dose(group.title)
        for key, draft in self.arms.items():
            if key in taken or draft.protocol != (matched[0].label,) or not draft.randomised:
                continue
            known = draft.dose
            if dose.amount is not None and known is not None and (dose.amount, dose.unit) != (known.amount, known.unit):
                continue
            return draft
        return None

    def grow_n(self, arm_id: str, n: int) -> None:
        """An arm's n is the largest population it is analysed in (outcomes may analyse subsets)."""
        for draft in self.arms.values():
            if draft.id == arm_id and (draft.n is None or n > draft.n):
                draft.n = n

    def frozen(self) -> tuple[Arm, ...]:
        drafts = {d.id: d for d in self.arms.values()}  # a merged group's title is a second key of one draft
        return tuple(d.freeze(self.context.trial_id, self.context.nct, self.context.shared) for d in drafts.values())

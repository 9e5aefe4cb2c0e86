"""What a ClinicalTrials.gov record means, whichever file format carried it.

The API v2 JSON reader and the legacy XML reader only walk their format and fill the neutral ``Raw*``
values below (every value still the string the registry printed, every part tagged with its JSON or XML
path). Everything that decides what the numbers mean lives here, once: which outcomes are binary, how a
percentage becomes a count, which results group is which arm and drug, what is skipped and why. The two
formats therefore cannot drift apart, and each rule is tested through both.

Rules worth knowing before reading the code:

* Results groups do not link to protocol arms by id, so groups are matched by **title**: one Arm per
  distinct normalised title across the binary outcomes and the adverse-event groups of a record
  (analysis-set tags such as "(FAS)" or "(SS)" are ignored), so "Placebo (FAS)" and "Placebo (SS)" are
  one arm.
* A registry value is kept as printed: "NA"/"NR" stay missing (never 0), a count derived from a
  percentage is flagged ``derived`` and a percentage that fits no whole count says so in ``note``.
* Whatever cannot be used is listed in ``Dataset.skipped`` with file, path, field and rule; only a file
  with nothing usable raises ``DataError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import TypeVar

from viewer.domain.catalog import Catalog, normalise_name
from viewer.domain.errors import DataError, Problem
from viewer.domain.model import (
    AdverseEvent,
    Arm,
    ArmRole,
    Dataset,
    Drug,
    EvidenceLevel,
    Origin,
    Outcome,
    Result,
    Source,
    SponsorAnalysis,
    Trial,
)
from viewer.domain.readers.doses import ParsedDose, daily_dose_for, is_placebo, parse_dose

MAX_BYTES = 256 * 1024 * 1024  # a full API page of 1,000 studies is well below this
SERIOUS_TOTAL_TERM = "serious adverse event"
OTHER_TOTAL_TERM = "any other adverse event"
NOT_RANDOMISED = "not a randomised outcome group"
# values the registry prints instead of a number; kept as missing, never read as 0
MISSING_VALUES = frozenset({"", "na", "nr", "n/a", "nc", "ne", "nd", "-", "--", "—", "not applicable"})

T = TypeVar("T")


# --- the neutral record both readers fill -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawGroup:
    """A results group (OG…/O1…, EG…/E1…): ids are local to their module, titles are what match."""

    id: str
    title: str
    description: str
    loc: str
    at_risk: str = ""  # adverse-event groups: participants at risk, used as the arm's n when new


@dataclass(frozen=True, slots=True)
class RawDenoms:
    """One analysed-population list: units ("Participants") and (group id, printed count) pairs."""

    units: str
    counts: tuple[tuple[str, str], ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawMeasurement:
    group_id: str
    value: str
    comment: str
    loc: str


@dataclass(frozen=True, slots=True)
class RawCategory:
    """An answer within a class ("Responder"); usually a single untitled one."""

    title: str
    measurements: tuple[RawMeasurement, ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawClass:
    """A time point or subgroup; its own denominators override the outcome-level ones."""

    title: str
    denoms: tuple[RawDenoms, ...]
    categories: tuple[RawCategory, ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawAnalysis:
    """A statistic the sponsor posted, as printed."""

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
    title: str
    description: str
    type: str
    reporting_status: str  # POSTED / NOT_POSTED, "" when the format has no such field
    param_type: str  # upper snake case: NUMBER, COUNT_OF_PARTICIPANTS, MEAN ...
    unit: str
    time_frame: str
    groups: tuple[RawGroup, ...]
    denoms: tuple[RawDenoms, ...]
    classes: tuple[RawClass, ...]
    analyses: tuple[RawAnalysis, ...]
    loc: str


@dataclass(frozen=True, slots=True)
class RawEventCount:
    group_id: str
    affected: str
    at_risk: str
    loc: str


@dataclass(frozen=True, slots=True)
class RawEvent:
    """One adverse-event term, or a per-group total (term SERIOUS_TOTAL_TERM / OTHER_TOTAL_TERM)."""

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
    type: str
    name: str
    description: str
    other_names: tuple[str, ...]
    arm_labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One study as both formats can express it; ``problems`` are parts the reader already had to skip."""

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


# --- small shared helpers ------------------------------------------------------------------------------


def fail(file: str, location: str, field_name: str, rule: str) -> DataError:
    """A DataError with one problem (raised by the caller, so type checkers see the raise)."""
    return DataError([Problem(file, location, field_name, rule)])


def read_limited(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable or absurdly large file is a DataError naming it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail(path.name, "", "", f"is too large ({size} bytes; at most {MAX_BYTES} are read)")
        return path.read_bytes()
    except OSError as exc:
        raise fail(path.name, "", "", f"cannot be read: {exc.strerror or exc}") from None


def guarded(file: str, location: Callable[[], str], work: Callable[[], T]) -> T:
    """Run a reader so that only DataError can escape: a fuzzer must never see a KeyError or TypeError.

    An unexpected exception is a bug or a shape no rule foresaw; it is reported against the file and the
    last location the reader reached rather than crashing the window.
    """
    try:
        return work()
    except DataError:
        raise
    except RecursionError:
        raise fail(file, location(), "", "is nested too deeply to be a ClinicalTrials.gov record") from None
    except Exception as exc:  # the contract is "DataError or a Dataset", whatever the input
        raise fail(file, location(), "", f"could not be read ({type(exc).__name__}: {exc})") from None


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


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def combine(label: str, path: Path, parts: Sequence[Dataset], skipped: Iterable[str]) -> Dataset:
    """Several studies of one API page as one Dataset; a drug or outcome shared by studies appears once."""
    drugs: dict[str, Drug] = {}
    outcomes: dict[str, Outcome] = {}
    for part in parts:
        drugs.update((d.id, d) for d in part.drugs if d.id not in drugs)
        outcomes.update((o.id, o) for o in part.outcomes if o.id not in outcomes)
    return Dataset(
        label=label,
        path=str(path),
        origin=Origin.REGISTRY,
        sources=tuple(s for p in parts for s in p.sources),
        drugs=tuple(drugs.values()),
        trials=tuple(t for p in parts for t in p.trials),
        arms=tuple(a for p in parts for a in p.arms),
        outcomes=tuple(outcomes.values()),
        results=tuple(r for p in parts for r in p.results),
        adverse_events=tuple(e for p in parts for e in p.adverse_events),
        sponsor_analyses=tuple(s for p in parts for s in p.sponsor_analyses),
        skipped=(*skipped, *(s for p in parts for s in p.skipped)),
    )


# --- drugs of a record ----------------------------------------------------------------------------------

_PLACEBO_NAME = re.compile(r"\b(placebo|sham|vehicle|pbo)\b", re.IGNORECASE)
_TYPE_PREFIX = re.compile(r"^\s*[A-Za-z ]{2,30}:\s*")  # "Biological: Certolizumab Pegol"
_DOSE_START = re.compile(r"\s\d[\d.,]*\s*(?:mg|µg|μg|mcg|ug|g|iu|ml)\b", re.IGNORECASE)
# development codes mix letters and digits ("CDP870", "ABT-494", "D2E7"); brands do not ("Cimzia")
_CODE = re.compile(r"^(?=.{2,15}$)(?=[^ ]*\d)(?=[^ ]*[A-Za-z])[A-Za-z0-9]+(?:[- ][A-Za-z0-9]+)?$")


@dataclass(slots=True)
class _DrugEntry:
    """An intervention resolved to a drug id, with every name it may be written under in the record."""

    id: str
    name: str
    aliases: list[str]
    studied: bool = False
    arm_labels: set[str] = field(default_factory=set)
    arm_types: set[str] = field(default_factory=set)
    new: Drug | None = None
    patterns: list[re.Pattern[str]] = field(default_factory=list)

    def first_mention(self, text: str) -> int | None:
        found = [m.start() for p in self.patterns if (m := p.search(text))]
        return min(found) if found else None


def _name_pattern(alias: str) -> re.Pattern[str] | None:
    parts = [p for p in re.split(r"[\s-]+", alias.strip()) if p]
    if not parts or sum(len(p) for p in parts) < 2:
        return None
    body = r"[\s-]*".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)


class _RecordDrugs:
    """The non-placebo interventions of one record, matched to catalog drugs or made into new ones."""

    def __init__(self, record: RawRecord, catalog: Catalog | None, texts: Sequence[str]) -> None:
        self.entries: dict[str, _DrugEntry] = {}
        arm_types = {a.label.casefold(): a.type for a in record.arm_groups}
        for intervention in record.interventions:
            entry = self._entry(record.nct, intervention, catalog)
            if entry is None:
                continue
            known = self.entries.setdefault(entry.id, entry)
            if known is not entry:
                known.aliases.extend(a for a in entry.aliases if a not in known.aliases)
            labels = {label.casefold() for label in intervention.arm_labels}
            for arm in record.arm_groups:
                listed = {_TYPE_PREFIX.sub("", n).strip().casefold() for n in arm.intervention_names}
                if intervention.name.strip().casefold() in listed:
                    labels.add(arm.label.casefold())
            known.arm_labels |= labels
            known.arm_types |= {arm_types[label] for label in labels if label in arm_types}
        studied = [e for e in self.entries.values() if "EXPERIMENTAL" in e.arm_types]
        if not studied:
            studied = [e for e in self.entries.values() if e.arm_types != {"ACTIVE_COMPARATOR"}]
        for entry in studied or self.entries.values():
            entry.studied = True
        for entry in self.entries.values():
            entry.aliases.extend(self._abbreviations(entry, texts))
            entry.patterns = [p for a in entry.aliases if (p := _name_pattern(a))]

    @staticmethod
    def _entry(nct: str, intervention: RawIntervention, catalog: Catalog | None) -> _DrugEntry | None:
        name = " ".join(_TYPE_PREFIX.sub("", intervention.name).split())
        if not name or _PLACEBO_NAME.search(name):
            return None
        in_brackets = [b.strip() for b in re.findall(r"\(([^()]{2,40})\)", name)]
        base = " ".join(re.sub(r"\([^()]*\)", " ", name).split())
        dose = _DOSE_START.search(f" {base}")
        if dose and dose.start() > 0:
            base = base[: dose.start() - 1].strip(" ,;-")
        base = base or name
        others = [" ".join(o.split()) for o in intervention.other_names if o.strip()]
        candidates = [name, base, *in_brackets, *others]
        found = next((d for c in candidates if catalog and (d := catalog.find_drug(c))), None)
        aliases = list(dict.fromkeys(c for c in candidates if c))
        if found is not None:
            aliases.extend(n for n in found.names() if n not in aliases)
            return _DrugEntry(id=found.id, name=found.name, aliases=aliases)
        if not normalise_name(base):
            return None
        codes = tuple(o for o in [*in_brackets, *others] if _CODE.match(o))
        brands = tuple(o for o in others if o not in codes)
        drug = Drug(
            id=normalise_name(base),
            name=base,
            brands=brands,
            codes=codes,
            origin=Origin.REGISTRY,
            note=f"from ClinicalTrials.gov {nct}",
        )
        return _DrugEntry(id=drug.id, name=base, aliases=aliases, new=drug)

    @staticmethod
    def _abbreviations(entry: _DrugEntry, texts: Sequence[str]) -> list[str]:
        """'Certolizumab pegol (CZP)' in any description makes 'CZP 200 mg Q2W' name the drug."""
        found: list[str] = []
        for alias in entry.aliases:
            pattern = _name_pattern(alias)
            if pattern is None:
                continue
            after = re.compile(pattern.pattern + r"\s*\(\s*([A-Za-z][A-Za-z0-9-]{1,11})\s*\)", re.IGNORECASE)
            for text in texts:
                for match in after.finditer(text):
                    abbreviation = match.group(1)
                    if abbreviation not in entry.aliases and abbreviation not in found:
                        found.append(abbreviation)
        return found

    def resolve(self, title: str, description: str, arm_labels: Iterable[str]) -> tuple[_DrugEntry | None, str]:
        """The drug a group received: named in its title, else its description, else its protocol arm."""
        entries = list(self.entries.values())
        for text in (title, description):
            hits = [
                (not e.studied, pos, i, e) for i, e in enumerate(entries) if (pos := e.first_mention(text)) is not None
            ]
            if hits:
                return min(hits, key=lambda h: h[:3])[3], ""
        labels = {label.casefold() for label in arm_labels}
        linked = [e for e in entries if e.arm_labels & labels]
        if linked:
            linked.sort(key=lambda e: not e.studied)
            return linked[0], "drug from the matched protocol arm"
        if len(entries) == 1:
            return entries[0], "drug inferred: the record's only active intervention"
        return None, "drug not identified from the group title or description"

    def new_drugs(self) -> tuple[Drug, ...]:
        return tuple(e.new for e in self.entries.values() if e.new is not None)


# --- arms -------------------------------------------------------------------------------------------------

_OPEN_LABEL = re.compile(r"->|→|\b(ol|open[\s-]?label|switch\w*|extension|sfe|rescue|escape)\b", re.IGNORECASE)
_PLACEBO_TYPES = frozenset({"PLACEBO_COMPARATOR", "SHAM_COMPARATOR"})
_MASS = {"mg": 1.0, "µg": 1e-3, "g": 1e3, "ng": 1e-6}


@dataclass(slots=True)
class _ArmDraft:
    id: str
    label: str
    role: ArmRole
    drug_id: str
    dose: ParsedDose | None
    notes: list[str]
    n: int | None = None
    randomised: bool = True

    def freeze(self, trial_id: str, source_id: str) -> Arm:
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
            unit=dose.unit if dose else "",
            frequency=dose.frequency if dose else "",
            daily_dose_mg=daily_mg,
            n=self.n,
            source_id=source_id,
            level=EvidenceLevel.VERIFIED,
            note="; ".join(dict.fromkeys(self.notes)),
            randomised=self.randomised,
        )


def _arm_dose(title: str, description: str, arms: Sequence[RawArmGroup]) -> tuple[ParsedDose | None, list[str]]:
    """The dose of a group: amount from the title when it has one, regimen and sequence from any text.

    Results titles are often terse ("Semaglutide 0.5 mg") while the description or the protocol arm says
    "once weekly" and describes the titration; a regimen is borrowed only from text that states the same
    maintenance amount (or none), so "0.25 mg … then 0.5 mg" never lends its words to a 1.0 mg arm.
    """
    parsed = [parse_dose(title), parse_dose(description)]
    for arm in arms:
        parsed.extend((parse_dose(arm.label), parse_dose(arm.description)))
    base = next((p for p in parsed if p.amount is not None), None)
    if base is None:
        return None, []
    same = [p for p in parsed if p.amount is None or p.amount == base.amount]
    frequency = base.frequency or next((p.frequency for p in same if p.frequency), "")
    relevant = [p for p in parsed if p.amount == base.amount]
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
    )
    notes = [f"dose read from '{base.note[:160]}'"]
    if loading:
        notes.append("loading doses before the maintenance dose")
    if titration:
        notes.append("dose titrated up to the maintenance dose")
    if frequency and not base.frequency:
        notes.append(f"regimen {frequency} taken from the group or protocol arm description")
    return dose, notes


# --- the record -----------------------------------------------------------------------------------------


def build_dataset(record: RawRecord, catalog: Catalog | None, label: str, path: Path) -> Dataset:
    """Turn one parsed record into a Dataset; see the module docstring for the rules."""
    return _Builder(record, catalog).build(label, path)


def _binary_kind(param_type: str, unit: str) -> str:
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


def _pick_denoms(denoms: Sequence[RawDenoms]) -> RawDenoms | None:
    """Participants, not eyes or injections, when a measure gives several analysed populations."""
    for d in denoms:
        if enum_token(d.units) in {"PARTICIPANTS", "SUBJECTS", "PATIENTS"}:
            return d
    return denoms[0] if denoms else None


class _Builder:
    def __init__(self, record: RawRecord, catalog: Catalog | None) -> None:
        self.r = record
        self.file = record.file
        self.nct = record.nct
        self.trial_id = record.nct.lower()
        self.date = record.record_date or "date unknown"
        self.skipped: list[str] = [str(p) for p in record.problems]
        texts = [a.description for a in record.arm_groups] + [i.description for i in record.interventions]
        for outcome in record.outcomes:
            texts.extend(g.description for g in outcome.groups)
        if record.adverse_events:
            texts.extend(g.description for g in record.adverse_events.groups)
        self.drugs = _RecordDrugs(record, catalog, texts)
        self.arms: dict[str, _ArmDraft] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.results: list[Result] = []
        self.adverse: list[AdverseEvent] = []
        self.analyses: list[SponsorAnalysis] = []

    def skip(self, location: str, field_name: str, rule: str) -> None:
        self.skipped.append(str(Problem(self.file, location, field_name, rule)))

    # arms

    def _protocol_arms(self, title: str, placebo: bool | None) -> list[RawArmGroup]:
        """Protocol arms a results group stands for: the exact title, else arms whose label contains it.

        A pooled results group ("Placebo") matches every protocol arm it pools ("Semaglutide Placebo 0.5
        mg/Week", "... 1.0 mg/Week"); ``placebo`` keeps placebo and active arms apart.
        """
        tokens = set(group_key(title).split())
        if not tokens:
            return []
        scored: list[tuple[float, RawArmGroup]] = []
        for arm in self.r.arm_groups:
            arm_tokens = set(group_key(arm.label).split())
            if not arm_tokens:
                continue
            if arm_tokens == tokens:
                return [arm]
            arm_placebo = arm.type in _PLACEBO_TYPES or is_placebo(arm.label, "")
            if placebo is not None and arm_placebo != placebo:
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

    def arm_for(self, group: RawGroup, randomised: bool, taken: set[str]) -> str:
        """The arm id of a results group, creating the arm the first time its title is seen."""
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
        if not randomised:
            notes.append(NOT_RANDOMISED)
        role, drug_id, dose = ArmRole.PLACEBO, "", None
        if not title_placebo:
            entry, how = self.drugs.resolve(group.title, group.description, (a.label for a in matched))
            role = ArmRole.DRUG if entry is None or entry.studied else ArmRole.ACTIVE
            drug_id = entry.id if entry else ""
            if how:
                notes.append(how)
            dose, dose_notes = _arm_dose(group.title, group.description, matched)
            notes.extend(dose_notes)
        slug = "-".join(key.split())
        draft = _ArmDraft(
            f"{self.trial_id}-{slug}",
            group_label(group.title),
            role,
            drug_id,
            dose,
            notes,
            randomised=randomised and not open_label,
        )
        self.arms[key] = draft
        return draft.id

    def _grow_n(self, arm_id: str, n: int) -> None:
        for draft in self.arms.values():
            if draft.id == arm_id and (draft.n is None or n > draft.n):
                draft.n = n

    # outcomes

    def outcome(self, o: RawOutcome) -> None:
        if enum_token(o.reporting_status) == "NOT_POSTED":
            self.skip(o.loc, "reportingStatus", "results not posted")
            return
        kind = _binary_kind(o.param_type, o.unit)
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
        arm_ids = {gid: self.arm_for(g, True, taken) for gid, g in groups.items()}
        base = _pick_denoms(o.denoms)
        base_n = dict(base.counts) if base else {}
        several_classes = len(o.classes) > 1
        ids: list[str] = []
        for ci, cls in enumerate(o.classes):
            own = _pick_denoms(cls.denoms)
            denoms, denoms_loc = (
                (dict(own.counts), own.loc) if own else (base_n, base.loc if base else f"{o.loc}.denoms")
            )
            class_title = cls.title or f"class {ci + 1}"
            several_categories = len(cls.categories) > 1
            for ki, category in enumerate(cls.categories):
                category_title = category.title or f"category {ki + 1}"
                outcome_id = o.title
                if several_classes:
                    outcome_id += f" — {class_title}"
                if several_categories:
                    outcome_id += f" — {category_title}"
                ids.append(outcome_id)
                described = [o.description]
                if cls.title:
                    described.append(f"Class: {cls.title}.")
                if category.title:
                    described.append(f"Category: {category.title}.")
                self.outcomes.setdefault(
                    outcome_id, Outcome(outcome_id, outcome_id, " ".join(d for d in described if d))
                )
                for m in category.measurements:
                    self._measurement(o, kind, outcome_id, m, groups, arm_ids, denoms, denoms_loc)
        analysis_outcome = ids[0] if len(set(ids)) == 1 else o.title
        if o.analyses and analysis_outcome not in self.outcomes:
            self.outcomes[analysis_outcome] = Outcome(analysis_outcome, analysis_outcome, o.description)
        for a in o.analyses:
            self._analysis(o, a, analysis_outcome, arm_ids)

    def _measurement(
        self,
        o: RawOutcome,
        kind: str,
        outcome_id: str,
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
                responders, fit = _count_from_percent(m.value.strip(), value, n)
                derived = True
                if fit:
                    notes.insert(0, fit)
            else:
                if not value.is_integer() or value < 0:
                    self.skip(m.loc, "value", f"count '{m.value}' is not a whole number of participants")
                    return
                if value > n:
                    self.skip(m.loc, "value", f"count {m.value} exceeds the denominator {n}")
                    return
                responders = int(value)
        self._grow_n(arm_ids[m.group_id], n)
        where = f" [{outcome_id[len(o.title) + 3 :]}]" if outcome_id != o.title else ""
        provenance = (
            f"{self.nct}; outcome '{o.title}'{where}; time frame '{o.time_frame}'; group {group.id} '{group.title}'; "
            f"raw value '{m.value}' {o.unit}; n {n}; {'derived' if derived else 'reported'}; record {self.date}"
        )
        self.results.append(
            Result(
                trial_id=self.trial_id,
                arm_id=arm_ids[m.group_id],
                outcome_id=outcome_id,
                timepoint=o.time_frame,
                n=n,
                responders=responders,
                percent=percent,
                derived=derived,
                source_id=self.nct,
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
        self.analyses.append(
            SponsorAnalysis(
                trial_id=self.trial_id,
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
                source_id=self.nct,
                provenance=(
                    f"{self.nct}; outcome '{o.title}'; time frame '{o.time_frame}'; groups {', '.join(a.group_ids)}; "
                    f"raw value '{a.value}' ({a.ci_percent}% CI {a.ci_low} to {a.ci_high}, {a.ci_sides}); "
                    f"non-inferiority type '{a.non_inferiority}'; description '{a.description}'; record {self.date}"
                ),
            )
        )

    # adverse events

    def adverse_events(self, ae: RawAdverseEvents) -> None:
        taken: set[str] = set()
        arm_ids: dict[str, str] = {}
        for g in ae.groups:
            if not g.id or g.id in arm_ids:
                self.skip(g.loc, "id", f"event group id '{g.id}' is empty or repeated; group skipped")
                continue
            existed = {d.id for d in self.arms.values()}
            arm_ids[g.id] = self.arm_for(g, randomised=False, taken=taken)
            if arm_ids[g.id] not in existed and (n := parse_count(g.at_risk)) is not None:
                self._grow_n(arm_ids[g.id], n)
        for event in ae.events:
            for c in event.counts:
                self._event_count(ae, event, c, arm_ids)

    def _event_count(self, ae: RawAdverseEvents, event: RawEvent, c: RawEventCount, arm_ids: dict[str, str]) -> None:
        if c.group_id not in arm_ids:
            self.skip(c.loc, "groupId", f"event group '{c.group_id}' is not one of the adverse-event groups")
            return
        affected = None if is_missing(c.affected) else parse_count(c.affected)
        at_risk = None if is_missing(c.at_risk) else parse_count(c.at_risk)
        if (affected is None and not is_missing(c.affected)) or (at_risk is None and not is_missing(c.at_risk)):
            self.skip(c.loc, "numAffected", f"'{c.affected}' of '{c.at_risk}' is not a whole-number count")
            return
        if affected is not None and at_risk is not None and affected > at_risk:
            self.skip(c.loc, "numAffected", f"{affected} affected exceeds {at_risk} at risk")
            return
        self.adverse.append(
            AdverseEvent(
                trial_id=self.trial_id,
                arm_id=arm_ids[c.group_id],
                term=event.term,
                at_risk=at_risk,
                affected=affected,
                percent=None,
                derived=False,
                source_id=self.nct,
                level=EvidenceLevel.VERIFIED,
                timepoint=ae.time_frame,
                serious=event.serious,
                note=f"organ system: {event.organ_system}" if event.organ_system else "",
                provenance=(
                    f"{self.nct}; {'serious' if event.serious else 'other'} adverse event '{event.term}'; "
                    f"group {c.group_id}; affected '{c.affected}' of at risk '{c.at_risk}'; "
                    f"time frame '{ae.time_frame}'; record {self.date}"
                ),
            )
        )

    # the whole

    def _guard(self, location: str, work: Callable[[], None]) -> None:
        """One malformed part is skipped with its location; the rest of the record is still imported."""
        try:
            work()
        except DataError as exc:
            self.skipped.extend(str(p) for p in exc.problems)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError) as exc:
            self.skip(location, "", f"skipped: unexpected {type(exc).__name__}: {exc}")

    def build(self, label: str, path: Path) -> Dataset:
        for o in self.r.outcomes:
            self._guard(o.loc, partial(self.outcome, o))
        if self.r.adverse_events is not None:
            self._guard(self.r.adverse_events.loc, partial(self.adverse_events, self.r.adverse_events))
        source = Source(
            id=self.nct,
            citation=f"ClinicalTrials.gov {self.nct}: {self.r.brief_title} (record updated {self.date})",
            nct=self.nct,
            url=f"https://clinicaltrials.gov/study/{self.nct}",
            locator="results section",
        )
        conditions = "; ".join(c for c in self.r.conditions if c)
        imported = {r.outcome_id.split(" — ")[0] for r in self.results}
        primary = next(
            (o.time_frame for o in self.r.outcomes if enum_token(o.type) == "PRIMARY" and o.title in imported), ""
        )
        trial = Trial(
            id=self.trial_id,
            name=self.r.acronym or self.r.brief_title or self.nct,
            nct=self.nct,
            phase=phase_label(self.r.phases),
            population=conditions,
            primary_timepoint=primary,
            randomised_n=parse_count(self.r.enrollment),
            indication=conditions,
            source_id=self.nct,
            level=EvidenceLevel.VERIFIED,
            origin=Origin.REGISTRY,
            note="imported from ClinicalTrials.gov; results groups matched to arms by title",
        )
        return Dataset(
            label=label,
            path=str(path),
            origin=Origin.REGISTRY,
            sources=(source,),
            drugs=self.drugs.new_drugs(),
            trials=(trial,),
            arms=tuple(d.freeze(self.trial_id, self.nct) for d in self.arms.values()),
            outcomes=tuple(self.outcomes.values()),
            results=tuple(self.results),
            adverse_events=tuple(self.adverse),
            sponsor_analyses=tuple(self.analyses),
            skipped=tuple(self.skipped),
        )


def _count_from_percent(raw: str, value: float, n: int) -> tuple[int, str]:
    """x = round-half-up(pct * n / 100), and a note when the printed percentage fits no whole count.

    Decimal arithmetic on the printed string keeps 12.5% of 4 at exactly 0.5 (-> 1), where binary
    floating point could round either way.
    """
    try:
        exact = Decimal(raw)
    except InvalidOperation:
        exact = Decimal(repr(value))
    count = round_half_up(exact * n / 100)
    decimals = max(0, -int(exact.as_tuple().exponent)) if exact.is_finite() else 0
    shown = Decimal(100 * count) / Decimal(n)
    tolerance = Decimal(5) * Decimal(10) ** (-decimals - 1)
    if abs(shown - exact) <= tolerance:
        return count, ""
    return count, f"percentage {raw} fits no whole count of {n} (nearest {count} = {float(shown):.2f}%)"

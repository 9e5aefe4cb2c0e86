"""The drugs of a record: each non-placebo intervention matched to a catalog drug or made a new one.

A results group names its drug in free text ("CZP 200 mg Q2W"), so every name an intervention goes by is
collected (its name, bracketed codes, other names, catalog brands and codes, and abbreviations the record
defines such as "Certolizumab pegol (CZP)"); a group's drug is the one named first in its title, else its
description, else its matched protocol arm.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from viewer.domain.catalog import Catalog, normalise_name
from viewer.domain.model import Drug, Origin
from viewer.domain.readers.ctgov.raw import RawIntervention, RawRecord

_PLACEBO_NAME = re.compile(r"\b(placebo|sham|vehicle|pbo)\b", re.IGNORECASE)
_TYPE_PREFIX = re.compile(r"^\s*[A-Za-z ]{2,30}:\s*")  # "Biological: Certolizumab Pegol"
_DOSE_START = re.compile(r"\s\d[\d.,]*\s*(?:mg|µg|μg|mcg|ug|g|iu|ml)\b", re.IGNORECASE)
# development codes mix letters and digits ("CDP870", "ABT-494", "D2E7"); brands do not ("Cimzia")
_JOIN = re.compile(r"\s*(?:\+|;|&|\bplus\b|\band\b|\bwith\b|\bcombined\s+with\b)\s*", re.IGNORECASE)
_PRODUCT_TYPES = frozenset({"DRUG", "BIOLOGICAL", "VACCINE", "DIETARY_SUPPLEMENT", "GENETIC", "COMBINATION_PRODUCT"})
_PROCEDURE_TYPES = frozenset({"PROCEDURE", "DIAGNOSTIC_TEST", "BEHAVIORAL"})
_CODE = re.compile(r"^(?=.{2,15}$)(?=[^ ]*\d)(?=[^ ]*[A-Za-z])[A-Za-z0-9]+(?:[- ][A-Za-z0-9]+)?$")


@dataclass(slots=True)
class DrugEntry:
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


class RecordDrugs:
    """The non-placebo interventions of one record, matched to catalog drugs or made into new ones."""

    def __init__(self, record: RawRecord, catalog: Catalog | None, texts: Sequence[str]) -> None:
        self.entries: dict[str, DrugEntry] = {}
        arm_types = {a.label.casefold(): a.type for a in record.arm_groups}
        products = any(i.type in _PRODUCT_TYPES for i in record.interventions)
        for intervention in record.interventions:
            if products and intervention.type in _PROCEDURE_TYPES:
                continue  # "Procedure: Blood sampling" beside a vaccine is a study procedure, not a treatment
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
    def _entry(nct: str, intervention: RawIntervention, catalog: Catalog | None) -> DrugEntry | None:
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
            return DrugEntry(id=found.id, name=found.name, aliases=aliases)
        if not normalise_name(base):
            return None
        codes = tuple(o for o in [*in_brackets, *others] if _CODE.match(o))
        brands = tuple(o for o in others if o not in codes)
        # a name the record writes all in lower case ("fluconazole") is shown as the catalog writes its
        # drugs ("Fluconazole"); the id and every alias stay as written
        shown = base[:1].upper() + base[1:] if base.islower() else base
        drug = Drug(
            id=normalise_name(base),
            name=shown,
            brands=brands,
            codes=codes,
            origin=Origin.REGISTRY,
            note=f"from ClinicalTrials.gov {nct}",
        )
        return DrugEntry(id=drug.id, name=shown, aliases=aliases, new=drug)

    @staticmethod
    def _abbreviations(entry: DrugEntry, texts: Sequence[str]) -> list[str]:
        """'Certolizumab pegol (CZP)' in any description makes 'CZP 200 mg Q2W' name the drug."""
        found: list[str] = []
        # the texts searched as one, split by NUL (no part of a match: not a letter, digit, space or bracket):
        # a search per text left ~55 bytes per text in the regular-expression engine (issue 17)
        joined = "\0".join(texts)
        for alias in entry.aliases:
            pattern = _name_pattern(alias)
            if pattern is None:
                continue
            after = re.compile(pattern.pattern + r"\s*\(\s*([A-Za-z][A-Za-z0-9-]{1,11})\s*\)", re.IGNORECASE)
            for match in after.finditer(joined):
                abbreviation = match.group(1)
                if abbreviation not in entry.aliases and abbreviation not in found:
                    found.append(abbreviation)
        return found

    def resolve(self, title: str, description: str, arm_labels: Iterable[str]) -> tuple[DrugEntry | None, str]:
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

    def segment(self, text: str, entry: DrugEntry) -> str:
        """The part of ``text`` about ``entry``'s drug, when the text names other drugs too.

        "Cisplatin 40 mg/m2 weekly + radiotherapy 70 Gy" is cut at the join: the cisplatin part for
        cisplatin, the radiotherapy part (with no mg dose) for radiotherapy. Text naming no other drug
        is kept whole; text naming only other drugs says nothing about this one's dose ("").
        """
        others = [e for e in self.entries.values() if e is not entry]
        if not any(e.first_mention(text) is not None for e in others):
            return text
        parts = [p for p in _JOIN.split(text) if entry.first_mention(p) is not None]
        return " ".join(parts)

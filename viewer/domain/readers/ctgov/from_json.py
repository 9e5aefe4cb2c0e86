"""ClinicalTrials.gov API v2 study JSON (one study, or a page ``{"studies": [...]}``) -> Dataset.

This module only walks the JSON and checks its shape, tagging every part with its JSON path
(``resultsSection.outcomeMeasuresModule.outcomeMeasures[2].denoms``) so a problem can be found in the
file; what the values mean is decided in ``build``, shared with the legacy XML and the AACT readers.
Only broken input rules raise :class:`DataError`; anything else is a bug and propagates.
"""

from __future__ import annotations

import json
from pathlib import Path

from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError, Problem, Rule
from viewer.domain.model import Dataset
from viewer.domain.readers.ctgov.build import build_dataset, combine
from viewer.domain.readers.ctgov.printed import enum_token
from viewer.domain.readers.ctgov.raw import (
    OTHER_TOTAL_TERM,
    SERIOUS_TOTAL_TERM,
    RawAdverseEvents,
    RawAnalysis,
    RawArmGroup,
    RawCategory,
    RawClass,
    RawDenoms,
    RawEvent,
    RawEventCount,
    RawGroup,
    RawIntervention,
    RawMeasurement,
    RawOutcome,
    RawRecord,
)
from viewer.domain.readers.fields import is_nct
from viewer.domain.readers.guard import decode, fail, read_bytes

__all__ = ["read_ctgov_json"]

_EVENTS = "resultsSection.adverseEventsModule"


def read_ctgov_json(path: Path, catalog: Catalog | None) -> Dataset:
    """Read an API v2 study or page of studies; raises DataError on input that breaks a rule.

    A page imports every study that is sound and lists the others in ``Dataset.skipped``; it fails only
    when no study could be imported.
    """
    file = path.name
    text = decode(file, read_bytes(path), what="ClinicalTrials.gov JSON")
    if not text.strip():
        raise fail(file, "", "", "is empty", Rule.MISSING)
    try:
        document: object = json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) or _unclosed(text)
        rule = "is truncated: the JSON ends before the record does" if truncated else f"is not JSON ({exc.msg})"
        kind = Rule.TRUNCATED if truncated else Rule.SYNTAX
        raise fail(file, f"line {exc.lineno} column {exc.colno}", "", rule, kind) from None
    except RecursionError:
        raise fail(file, "", "", "is nested too deeply to be a ClinicalTrials.gov record", Rule.SHAPE) from None
    except ValueError as exc:  # e.g. an integer literal too long to convert
        raise fail(file, "", "", f"is not usable JSON ({exc})", Rule.SYNTAX) from None
    if isinstance(document, dict) and "studies" in document:
        studies = document["studies"]
        if not isinstance(studies, list):
            raise fail(file, "studies", "studies", "must be a list of study records", Rule.SHAPE)
        return _page(path, catalog, studies)
    if isinstance(document, dict) and ("FullStudiesResponse" in document or "FullStudy" in document):
        rule = "is the retired classic API format; download API v2 JSON instead"
        raise fail(file, "FullStudiesResponse", "", rule, Rule.WRONG_FORMAT)
    if isinstance(document, dict) and "protocolSection" in document:
        record = _Study(file, document, "").record()
        return build_dataset(record, catalog, f"ClinicalTrials.gov {record.nct}", path)
    rule = "not a ClinicalTrials.gov record (no protocolSection or studies)"
    raise fail(file, "", "protocolSection", rule, Rule.WRONG_FORMAT)


def _unclosed(text: str) -> bool:
    """Whether the text ends inside a string, object or list: the mark of a cut-off download."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return in_string or depth > 0


def _page(path: Path, catalog: Catalog | None, studies: list[object]) -> Dataset:
    if not studies:
        raise fail(path.name, "studies", "studies", "the page holds no studies", Rule.NO_RESULTS)
    parts: list[Dataset] = []
    problems: list[Problem] = []
    for i, study in enumerate(studies):
        prefix = f"studies[{i}]."
        try:
            if not isinstance(study, dict):
                raise fail(path.name, prefix.rstrip("."), "", "a study must be a JSON object", Rule.SHAPE)
            record = _Study(path.name, study, prefix).record()
            parts.append(build_dataset(record, catalog, f"ClinicalTrials.gov {record.nct}", path))
        except DataError as exc:
            problems.extend(exc.problems)
    if not parts:
        raise DataError(problems)
    skipped = [f"{p} (study not imported)" for p in problems]
    return combine(f"ClinicalTrials.gov page {path.name} ({len(parts)} studies)", path, parts, skipped)


class _Study:
    """One study object; every accessor checks the JSON type and names the path when it is wrong."""

    def __init__(self, file: str, study: dict[str, object], prefix: str) -> None:
        self.file = file
        self.study = study
        self.prefix = prefix
        self.problems: list[Problem] = []

    # typed access

    def _bad(self, loc: str, rule: str, kind: Rule = Rule.SHAPE) -> DataError:
        return fail(self.file, self.prefix + loc, loc.rsplit(".", 1)[-1].split("[")[0], rule, kind)

    def obj(self, value: object, loc: str) -> dict[str, object]:
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        raise self._bad(loc, f"must be an object, not {type(value).__name__}")

    def lst(self, value: object, loc: str) -> list[object]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        raise self._bad(loc, f"must be a list, not {type(value).__name__}")

    def text(self, value: object, loc: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise self._bad(loc, f"must be text or a number, not {type(value).__name__}")

    def texts(self, value: object, loc: str) -> tuple[str, ...]:
        return tuple(self.text(v, f"{loc}[{i}]") for i, v in enumerate(self.lst(value, loc)))

    def at(self, root: dict[str, object], dotted: str) -> dict[str, object]:
        """Walk nested objects: a missing module is empty, a wrong type is a problem."""
        node = root
        walked: list[str] = []
        for part in dotted.split("."):
            walked.append(part)
            node = self.obj(node.get(part), ".".join(walked))
        return node

    def items(self, parent: dict[str, object], key: str, loc: str) -> list[tuple[str, dict[str, object]]]:
        """(path, object) for each element of a list of objects."""
        out = []
        for i, value in enumerate(self.lst(parent.get(key), f"{loc}.{key}")):
            where = f"{loc}.{key}[{i}]"
            out.append((where, self.obj(value, where)))
        return out

    # the record

    def record(self) -> RawRecord:
        protocol = self.at(self.study, "protocolSection")
        ident = self.obj(protocol.get("identificationModule"), "protocolSection.identificationModule")
        nct = self.text(ident.get("nctId"), "protocolSection.identificationModule.nctId").upper()
        if not is_nct(nct):
            raise self._bad(
                "protocolSection.identificationModule.nctId", "is missing or not NCT followed by 8 digits", Rule.MISSING
            )
        results = self.obj(self.study.get("resultsSection"), "resultsSection")
        if not results.get("outcomeMeasuresModule") and not results.get("adverseEventsModule"):
            raise fail(
                self.file,
                self.prefix + "resultsSection",
                "resultsSection",
                f"{nct} has no posted results",
                Rule.NO_RESULTS,
            )
        status = self.obj(protocol.get("statusModule"), "protocolSection.statusModule")
        updated = self.obj(
            status.get("lastUpdatePostDateStruct"), "protocolSection.statusModule.lastUpdatePostDateStruct"
        )
        date = self.text(updated.get("date"), "protocolSection.statusModule.lastUpdatePostDateStruct.date")
        date = date or self.text(
            status.get("lastUpdateSubmitDate"), "protocolSection.statusModule.lastUpdateSubmitDate"
        )
        design = self.at(protocol, "designModule")
        enrollment = self.obj(design.get("enrollmentInfo"), "protocolSection.designModule.enrollmentInfo")
        conditions = self.at(protocol, "conditionsModule")
        return RawRecord(
            file=self.file,
            nct=nct,
            brief_title=self.text(ident.get("briefTitle"), "protocolSection.identificationModule.briefTitle"),
            acronym=self.text(ident.get("acronym"), "protocolSection.identificationModule.acronym"),
            phases=self.texts(design.get("phases"), "protocolSection.designModule.phases"),
            enrollment=self.text(enrollment.get("count"), "protocolSection.designModule.enrollmentInfo.count"),
            conditions=self.texts(conditions.get("conditions"), "protocolSection.conditionsModule.conditions"),
            record_date=date,
            arm_groups=self._arm_groups(protocol),
            interventions=self._interventions(protocol),
            outcomes=self._outcomes(results),
            adverse_events=self._adverse_events(results),
            problems=tuple(self.problems),
        )

    def _each(self, parent: dict[str, object], key: str, loc: str) -> list[tuple[str, dict[str, object]]]:
        """Like ``items`` but a malformed list or element is recorded and left out, not fatal."""
        try:
            values = self.lst(parent.get(key), f"{loc}.{key}")
        except DataError as exc:
            self.problems.extend(exc.problems)
            return []
        out = []
        for i, value in enumerate(values):
            where = f"{loc}.{key}[{i}]"
            if isinstance(value, dict):
                out.append((where, value))
            else:
                self.problems.append(
                    Problem(self.file, self.prefix + where, key, "must be an object; skipped", Rule.SHAPE)
                )
        return out

    def _arm_groups(self, protocol: dict[str, object]) -> tuple[RawArmGroup, ...]:
        loc = "protocolSection.armsInterventionsModule"
        module = self.obj(protocol.get("armsInterventionsModule"), loc)
        arms = []
        for where, arm in self._each(module, "armGroups", loc):
            try:
                arms.append(
                    RawArmGroup(
                        label=self.text(arm.get("label"), f"{where}.label"),
                        type=enum_token(self.text(arm.get("type"), f"{where}.type")),
                        description=self.text(arm.get("description"), f"{where}.description"),
                        intervention_names=self.texts(arm.get("interventionNames"), f"{where}.interventionNames"),
                    )
                )
            except DataError as exc:
                self.problems.extend(exc.problems)
        return tuple(arms)

    def _interventions(self, protocol: dict[str, object]) -> tuple[RawIntervention, ...]:
        loc = "protocolSection.armsInterventionsModule"
        module = self.obj(protocol.get("armsInterventionsModule"), loc)
        out = []
        for where, item in self._each(module, "interventions", loc):
            try:
                out.append(
                    RawIntervention(
                        type=enum_token(self.text(item.get("type"), f"{where}.type")),
                        name=self.text(item.get("name"), f"{where}.name"),
                        description=self.text(item.get("description"), f"{where}.description"),
                        other_names=self.texts(item.get("otherNames"), f"{where}.otherNames"),
                        arm_labels=self.texts(item.get("armGroupLabels"), f"{where}.armGroupLabels"),
                    )
                )
            except DataError as exc:
                self.problems.extend(exc.problems)
        return tuple(out)

    # outcomes

    def _outcomes(self, results: dict[str, object]) -> tuple[RawOutcome, ...]:
        module = self.obj(results.get("outcomeMeasuresModule"), "resultsSection.outcomeMeasuresModule")
        out = []
        for where, outcome in self._each(module, "outcomeMeasures", "resultsSection.outcomeMeasuresModule"):
            try:
                out.append(self._outcome(where, outcome))
            except DataError as exc:
                self.problems.extend(exc.problems)
        return tuple(out)

    def _outcome(self, loc: str, o: dict[str, object]) -> RawOutcome:
        return RawOutcome(
            title=self.text(o.get("title"), f"{loc}.title"),
            description=self.text(o.get("description"), f"{loc}.description"),
            type=self.text(o.get("type"), f"{loc}.type"),
            reporting_status=self.text(o.get("reportingStatus"), f"{loc}.reportingStatus"),
            param_type=enum_token(self.text(o.get("paramType"), f"{loc}.paramType")),
            unit=self.text(o.get("unitOfMeasure"), f"{loc}.unitOfMeasure"),
            time_frame=self.text(o.get("timeFrame"), f"{loc}.timeFrame"),
            dispersion_type=enum_token(self.text(o.get("dispersionType"), f"{loc}.dispersionType")),
            population=self.text(o.get("populationDescription"), f"{loc}.populationDescription"),
            groups=self._groups(o, "groups", loc),
            denoms=self._denoms(o, loc),
            classes=tuple(self._class(where, c) for where, c in self.items(o, "classes", loc)),
            analyses=tuple(self._analysis(where, a) for where, a in self.items(o, "analyses", loc)),
            loc=self.prefix + loc,
        )

    def _groups(self, parent: dict[str, object], key: str, loc: str) -> tuple[RawGroup, ...]:
        return tuple(
            RawGroup(
                id=self.text(g.get("id"), f"{where}.id"),
                title=self.text(g.get("title"), f"{where}.title"),
                description=self.text(g.get("description"), f"{where}.description"),
                loc=self.prefix + where,
                at_risk=self.text(g.get("seriousNumAtRisk", g.get("otherNumAtRisk")), f"{where}.seriousNumAtRisk"),
            )
            for where, g in self.items(parent, key, loc)
        )

    def _denoms(self, parent: dict[str, object], loc: str) -> tuple[RawDenoms, ...]:
        out = []
        for where, d in self.items(parent, "denoms", loc):
            counts = tuple(
                (self.text(c.get("groupId"), f"{cw}.groupId"), self.text(c.get("value"), f"{cw}.value"))
                for cw, c in self.items(d, "counts", where)
            )
            out.append(RawDenoms(self.text(d.get("units"), f"{where}.units"), counts, self.prefix + where))
        return tuple(out)

    def _class(self, loc: str, c: dict[str, object]) -> RawClass:
        categories = []
        for where, cat in self.items(c, "categories", loc):
            measurements = tuple(
                RawMeasurement(
                    group_id=self.text(m.get("groupId"), f"{mw}.groupId"),
                    value=self.text(m.get("value"), f"{mw}.value"),
                    comment=self.text(m.get("comment"), f"{mw}.comment"),
                    loc=self.prefix + mw,
                    spread=self.text(m.get("spread"), f"{mw}.spread"),
                    lower=self.text(m.get("lowerLimit"), f"{mw}.lowerLimit"),
                    upper=self.text(m.get("upperLimit"), f"{mw}.upperLimit"),
                )
                for mw, m in self.items(cat, "measurements", where)
            )
            categories.append(
                RawCategory(self.text(cat.get("title"), f"{where}.title"), measurements, self.prefix + where)
            )
        return RawClass(
            title=self.text(c.get("title"), f"{loc}.title"),
            denoms=self._denoms(c, loc),
            categories=tuple(categories),
            loc=self.prefix + loc,
        )

    def _analysis(self, loc: str, a: dict[str, object]) -> RawAnalysis:
        def field(key: str) -> str:
            return self.text(a.get(key), f"{loc}.{key}")

        return RawAnalysis(
            group_ids=self.texts(a.get("groupIds"), f"{loc}.groupIds"),
            param_type=field("paramType"),
            value=field("paramValue"),
            ci_low=field("ciLowerLimit"),
            ci_high=field("ciUpperLimit"),
            ci_percent=field("ciPctValue"),
            ci_sides=field("ciNumSides"),
            p_value=field("pValue"),
            method=field("statisticalMethod"),
            comment=field("estimateComment"),
            description=field("groupDescription"),
            non_inferiority=field("nonInferiorityType"),
            loc=self.prefix + loc,
        )

    # adverse events

    def _adverse_events(self, results: dict[str, object]) -> RawAdverseEvents | None:
        if results.get("adverseEventsModule") is None:
            return None
        try:
            module = self.obj(results.get("adverseEventsModule"), _EVENTS)
            groups = self._groups(module, "eventGroups", _EVENTS)
            raw_groups = self.items(module, "eventGroups", _EVENTS)
        except DataError as exc:
            self.problems.extend(exc.problems)
            return None
        events: list[RawEvent] = []
        for serious, prefix, term in ((True, "serious", SERIOUS_TOTAL_TERM), (False, "other", OTHER_TOTAL_TERM)):
            try:
                totals = tuple(
                    RawEventCount(
                        group_id=self.text(g.get("id"), f"{where}.id"),
                        affected=self.text(g.get(f"{prefix}NumAffected"), f"{where}.{prefix}NumAffected"),
                        at_risk=self.text(g.get(f"{prefix}NumAtRisk"), f"{where}.{prefix}NumAtRisk"),
                        loc=f"{self.prefix}{where}.{prefix}NumAffected",
                    )
                    for where, g in raw_groups
                    if g.get(f"{prefix}NumAffected") is not None or g.get(f"{prefix}NumAtRisk") is not None
                )
            except DataError as exc:
                self.problems.extend(exc.problems)
                totals = ()
            if totals:
                events.append(RawEvent(term, "", serious, totals, f"{self.prefix}{_EVENTS}.eventGroups"))
            for where, event in self._each(module, f"{prefix}Events", _EVENTS):
                try:
                    events.append(self._event(where, event, serious))
                except DataError as exc:
                    self.problems.extend(exc.problems)
        return RawAdverseEvents(
            time_frame=self.text(module.get("timeFrame"), f"{_EVENTS}.timeFrame"),
            groups=groups,
            events=tuple(events),
            loc=self.prefix + _EVENTS,
        )

    def _event(self, loc: str, event: dict[str, object], serious: bool) -> RawEvent:
        counts = tuple(
            RawEventCount(
                group_id=self.text(s.get("groupId"), f"{where}.groupId"),
                affected=self.text(s.get("numAffected"), f"{where}.numAffected"),
                at_risk=self.text(s.get("numAtRisk"), f"{where}.numAtRisk"),
                loc=self.prefix + where,
            )
            for where, s in self.items(event, "stats", loc)
        )
        term = self.text(event.get("term"), f"{loc}.term")
        if not term:
            raise self._bad(f"{loc}.term", "an adverse event needs a term", Rule.MISSING)
        return RawEvent(
            term, self.text(event.get("organSystem"), f"{loc}.organSystem"), serious, counts, self.prefix + loc
        )

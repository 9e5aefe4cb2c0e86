"""Legacy ClinicalTrials.gov ``<clinical_study>`` XML -> Dataset, parsed safely.

XML can define entities that expand exponentially ("billion laughs") or pull in local files and URLs
(external entities). A ClinicalTrials.gov record never needs either, so any document type declaration
or entity declaration is refused **before** the parser sees the file: the check is a plain text scan,
so nothing is expanded and nothing is fetched. Without a DTD, expat knows only the five predefined
entities, so an entity reference that slipped through would be a parse error, not an expansion.

Like the JSON reader, this module only walks the format and tags every part with its XML path
(``clinical_study/clinical_results/outcome_list/outcome[7]/measure``); ``build`` decides what the
values mean. The safety checks (size, encoding, no DTD or entity declaration) are the shared ones of
``readers.guard``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError, Problem, Rule
from viewer.domain.model import Dataset
from viewer.domain.readers.ctgov.build import build_dataset
from viewer.domain.readers.ctgov.printed import enum_token, iso_date
from viewer.domain.readers.ctgov.raw import (
    MORTALITY_TERM,
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
from viewer.domain.readers.guard import decode_xml, fail, read_bytes

__all__ = ["read_ctgov_xml"]

_ROOT = "clinical_study"
_RESULTS = f"{_ROOT}/clinical_results"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_ctgov_xml(path: Path, catalog: Catalog | None) -> Dataset:
    """Read one legacy record; raises DataError on bad or unsafe input (anything else is a bug)."""
    file = path.name
    # the declaration is dropped once the text is decoded: expat must not re-decode a str by it
    text = _XML_DECL.sub("", decode_xml(file, read_bytes(path)), count=1)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        truncated = message in {"no element found", "unclosed token"} or line >= text.count("\n") + 1
        rule = (
            f"is truncated or not well-formed XML ({message})" if truncated else f"is not well-formed XML ({message})"
        )
        raise fail(
            file, f"line {line} column {column}", "", rule, Rule.TRUNCATED if truncated else Rule.SYNTAX
        ) from None
    if root.tag != _ROOT:
        rule = f"not a ClinicalTrials.gov record (root element <{root.tag}>, not <{_ROOT}>)"
        raise fail(file, root.tag, "", rule, Rule.WRONG_FORMAT)
    record = _Study(file, root).record()
    return build_dataset(record, catalog, f"ClinicalTrials.gov {record.nct}", path)


def _t(element: ET.Element | None, path: str) -> str:
    """Text of a child with runs of whitespace collapsed ("" when absent): XML text blocks are indented."""
    if element is None:
        return ""
    return " ".join((element.findtext(path) or "").split())


def _a(element: ET.Element, name: str) -> str:
    return (element.get(name) or "").strip()


class _Study:
    def __init__(self, file: str, root: ET.Element) -> None:
        self.file = file
        self.root = root
        self.problems: list[Problem] = []

    def record(self) -> RawRecord:
        root = self.root
        nct = _t(root, "id_info/nct_id").upper()
        if not is_nct(nct):
            rule = "is missing or not NCT followed by 8 digits"
            raise fail(self.file, f"{_ROOT}/id_info/nct_id", "nct_id", rule, Rule.MISSING)
        results = root.find("clinical_results")
        if results is None or (results.find("outcome_list") is None and results.find("reported_events") is None):
            raise fail(self.file, _RESULTS, "clinical_results", f"{nct} has no posted results", Rule.NO_RESULTS)
        date = _t(root, "last_update_posted")
        if not date:
            date = re.sub(r"^.*processed this data on\s*", "", _t(root, "required_header/download_date"))
        return RawRecord(
            file=self.file,
            nct=nct,
            brief_title=_t(root, "brief_title"),
            acronym=_t(root, "acronym"),
            phases=tuple(p for p in (_t(root, "phase"),) if p),
            enrollment=_t(root, "enrollment"),
            conditions=tuple(" ".join((c.text or "").split()) for c in root.findall("condition")),
            record_date=iso_date(date),
            arm_groups=tuple(
                RawArmGroup(
                    label=_t(arm, "arm_group_label"),
                    type=enum_token(_t(arm, "arm_group_type")),
                    description=_t(arm, "description"),
                    intervention_names=(),  # legacy XML links the other way: intervention/arm_group_label
                )
                for arm in root.findall("arm_group")
            ),
            interventions=tuple(
                RawIntervention(
                    type=enum_token(_t(item, "intervention_type")),
                    name=_t(item, "intervention_name"),
                    description=_t(item, "description"),
                    other_names=tuple(" ".join((o.text or "").split()) for o in item.findall("other_name")),
                    arm_labels=tuple(" ".join((a.text or "").split()) for a in item.findall("arm_group_label")),
                )
                for item in root.findall("intervention")
            ),
            outcomes=self._outcomes(results),
            adverse_events=self._adverse_events(results),
            problems=tuple(self.problems),
        )

    @staticmethod
    def _groups(parent: ET.Element | None, loc: str, at_risk: dict[str, str] | None = None) -> tuple[RawGroup, ...]:
        if parent is None:
            return ()
        return tuple(
            RawGroup(
                id=_a(g, "group_id"),
                title=_t(g, "title"),
                description=_t(g, "description"),
                loc=f"{loc}/group_list/group[{i}]",
                at_risk=(at_risk or {}).get(_a(g, "group_id"), ""),
            )
            for i, g in enumerate(parent.findall("group_list/group"), 1)
        )

    @staticmethod
    def _denoms(parent: ET.Element, loc: str) -> tuple[RawDenoms, ...]:
        return tuple(
            RawDenoms(
                units=_t(analyzed, "units"),
                counts=tuple((_a(c, "group_id"), _a(c, "value")) for c in analyzed.findall("count_list/count")),
                loc=f"{loc}/analyzed_list/analyzed[{i}]/count_list",
            )
            for i, analyzed in enumerate(parent.findall("analyzed_list/analyzed"), 1)
        )

    def _outcomes(self, results: ET.Element) -> tuple[RawOutcome, ...]:
        out = []
        for i, outcome in enumerate(results.findall("outcome_list/outcome"), 1):
            loc = f"{_RESULTS}/outcome_list/outcome[{i}]"
            try:
                out.append(self._outcome(loc, outcome))
            except DataError as exc:
                self.problems.extend(exc.problems)
        return tuple(out)

    def _outcome(self, loc: str, outcome: ET.Element) -> RawOutcome:
        measure = outcome.find("measure")
        mloc = f"{loc}/measure"
        classes: list[RawClass] = []
        if measure is not None:
            for ci, cls in enumerate(measure.findall("class_list/class"), 1):
                cloc = f"{mloc}/class_list/class[{ci}]"
                categories = []
                for ki, category in enumerate(cls.findall("category_list/category"), 1):
                    kloc = f"{cloc}/category_list/category[{ki}]"
                    measurements = tuple(
                        RawMeasurement(
                            group_id=_a(m, "group_id"),
                            value=_a(m, "value"),
                            comment=" ".join((m.text or "").split()),
                            loc=f"{kloc}/measurement_list/measurement[{mi}]",
                            spread=_a(m, "spread"),
                            lower=_a(m, "lower_limit"),
                            upper=_a(m, "upper_limit"),
                        )
                        for mi, m in enumerate(category.findall("measurement_list/measurement"), 1)
                    )
                    categories.append(RawCategory(_t(category, "title"), measurements, kloc))
                classes.append(RawClass(_t(cls, "title"), self._denoms(cls, cloc), tuple(categories), cloc))
        analyses = tuple(
            RawAnalysis(
                group_ids=tuple(" ".join((g.text or "").split()) for g in a.findall("group_id_list/group_id")),
                param_type=_t(a, "param_type"),
                value=_t(a, "param_value"),
                ci_low=_t(a, "ci_lower_limit"),
                ci_high=_t(a, "ci_upper_limit"),
                ci_percent=_t(a, "ci_percent"),
                ci_sides=_t(a, "ci_n_sides"),
                p_value=_t(a, "p_value"),
                method=_t(a, "method"),
                comment=_t(a, "estimate_desc"),
                description=_t(a, "groups_desc"),
                non_inferiority=_t(a, "non_inferiority_type"),
                loc=f"{loc}/analysis_list/analysis[{i}]",
            )
            for i, a in enumerate(outcome.findall("analysis_list/analysis"), 1)
        )
        return RawOutcome(
            title=_t(outcome, "title"),
            description=_t(outcome, "description"),
            type=_t(outcome, "type"),
            reporting_status="",
            param_type=enum_token(_t(measure, "param")),
            unit=_t(measure, "units"),
            time_frame=_t(outcome, "time_frame"),
            dispersion_type=enum_token(_t(measure, "dispersion")),
            population=_t(outcome, "population"),
            groups=self._groups(outcome, loc),
            denoms=self._denoms(measure, mloc) if measure is not None else (),
            classes=tuple(classes),
            analyses=analyses,
            loc=mloc if measure is not None else loc,
        )

    def _adverse_events(self, results: ET.Element) -> RawAdverseEvents | None:
        reported = results.find("reported_events")
        if reported is None:
            return None
        loc = f"{_RESULTS}/reported_events"
        events: list[RawEvent] = []
        at_risk: dict[str, str] = {}
        for kind, serious, total_term in (
            ("serious_events", True, SERIOUS_TOTAL_TERM),
            ("other_events", False, OTHER_TOTAL_TERM),
        ):
            for ci, category in enumerate(reported.findall(f"{kind}/category_list/category"), 1):
                organ = _t(category, "title")
                for ei, event in enumerate(category.findall("event_list/event"), 1):
                    eloc = f"{loc}/{kind}/category_list/category[{ci}]/event_list/event[{ei}]"
                    term = _t(event, "sub_title")
                    total = organ.casefold() == "total" and term.casefold().startswith("total")
                    counts = tuple(
                        RawEventCount(
                            group_id=_a(c, "group_id"),
                            affected=_a(c, "subjects_affected"),
                            at_risk=_a(c, "subjects_at_risk"),
                            loc=f"{eloc}/counts[{k}]",
                        )
                        for k, c in enumerate(event.findall("counts"), 1)
                    )
                    if total:
                        for c in counts:
                            at_risk.setdefault(c.group_id, c.at_risk)
                    if not term:
                        self.problems.append(
                            Problem(self.file, f"{eloc}/sub_title", "sub_title", "no term; skipped", Rule.MISSING)
                        )
                        continue
                    deaths = total and "mortality" in term.casefold()  # deaths, not a serious-event total
                    name = MORTALITY_TERM if deaths else total_term if total else term
                    events.append(RawEvent(name, "" if total else organ, serious and not deaths, counts, eloc))
        return RawAdverseEvents(
            time_frame=_t(reported, "time_frame"),
            groups=self._groups(reported, loc, at_risk),
            events=tuple(events),
            loc=loc,
        )

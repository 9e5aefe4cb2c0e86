"""AACT rows for a real study, made from its API v2 JSON by following AACT's own published mapping.

AACT (github.com/ctti-clinicaltrials/aact) loads each study JSON into its tables with the ``add_mapping``
blocks of its models; this module transcribes those blocks for the tables drug-viewer reads, one
function per model file, so the tests hold rows shaped exactly as AACT writes them:

* ``app/models/study.rb``: studies (phase = phases joined by '/', enrollment = enrollmentInfo.count,
  dates from statusModule)
* ``app/models/condition.rb``, ``browse_condition.rb``, ``browse_intervention.rb``: conditions and the
  MeSH lists (``meshes`` -> 'mesh-list', ``ancestors`` -> 'mesh-ancestor'), terms also downcased
* ``app/models/design_group.rb``: design_groups (group_type = type, title = label)
* ``app/models/intervention.rb``: interventions, intervention_other_names, design_group_interventions
  (armGroupLabels resolved to design_groups by title)
* ``app/models/outcome.rb``: outcomes with children result_groups ('Outcome', per outcome),
  outcome_measurements (flatten classes/categories/measurements; classification = class title,
  category = category title, param_value = value, explanation_of_na = comment), outcome_counts
  (flatten denoms/counts, scope 'Measure'), outcome_analyses (param_value and the CI as numbers, the CI
  and p-value also ``*_raw`` as printed) and outcome_analysis_groups
* ``app/models/result_group.rb``: 'Participant Flow' and 'Reported Event' groups, and the
  result_group_id of outcome rows set by (nct_id, ctgov_group_code, outcome_id)
* ``app/models/reported_event.rb``: reported_events (flatten seriousEvents|otherEvents / stats)
* ``app/models/reported_event_total.rb``: reported_event_totals ('Total, serious adverse events',
  'Total, other adverse events' from eventGroups)

Ids are serial per table in insertion order, as AACT's sequences give them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from itertools import count
from pathlib import Path
from typing import Any

from viewer.domain.registry.schema import TABLES

Rows = dict[str, list[dict[str, Any]]]
SNAPSHOT = datetime(2026, 12, 1, 6, 0, 0)


def _date(text: Any) -> date | None:
    """AACT's ``convert_to: :date``: '2020-08-17' -> date; a month '2015-09' -> its first day."""
    if not text:
        return None
    parts = [int(p) for p in str(text).split("-")]
    return date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def _float(text: Any) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _g(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


class AactLoader:
    """Rows of several studies, ids shared across them as in one AACT database."""

    def __init__(self) -> None:
        self.rows: Rows = {table: [] for table in TABLES}
        self._ids = {table: count(1) for table in TABLES}

    def _add(self, table: str, **values: Any) -> dict[str, Any]:
        row = {"id": next(self._ids[table]), **values} if table != "studies" else dict(values)
        self.rows[table].append(row)
        return row

    def load(self, study: Mapping[str, Any]) -> None:
        p = study["protocolSection"]
        nct = p["identificationModule"]["nctId"]
        status = p.get("statusModule", {})
        self._add(
            "studies",
            nct_id=nct,
            last_update_submitted_date=_date(status.get("lastUpdateSubmitDate")),
            results_first_posted_date=_date(_g(status, "resultsFirstPostDateStruct", "date")),
            last_update_posted_date=_date(_g(status, "lastUpdatePostDateStruct", "date")),
            acronym=_g(p, "identificationModule", "acronym"),
            brief_title=_g(p, "identificationModule", "briefTitle"),
            overall_status=status.get("overallStatus"),
            phase="/".join(_g(p, "designModule", "phases") or []) or None,
            enrollment=_int(_g(p, "designModule", "enrollmentInfo", "count")),
            updated_at=SNAPSHOT,
        )
        for name in _g(p, "conditionsModule", "conditions") or []:
            self._add("conditions", nct_id=nct, name=name, downcase_name=name.lower())
        derived = study.get("derivedSection", {})
        for table, module in (
            ("browse_conditions", "conditionBrowseModule"),
            ("browse_interventions", "interventionBrowseModule"),
        ):
            for key, kind in (("meshes", "mesh-list"), ("ancestors", "mesh-ancestor")):
                for mesh in _g(derived, module, key) or []:
                    term = mesh.get("term")
                    self._add(table, nct_id=nct, mesh_term=term, downcase_mesh_term=term.lower(), mesh_type=kind)
        arms_module = p.get("armsInterventionsModule", {})
        design_groups = {}
        for arm in arms_module.get("armGroups", []):
            row = self._add(
                "design_groups",
                nct_id=nct,
                group_type=arm.get("type"),
                title=arm.get("label"),
                description=arm.get("description"),
            )
            design_groups[arm.get("label")] = row["id"]
        for item in arms_module.get("interventions", []):
            row = self._add(
                "interventions",
                nct_id=nct,
                intervention_type=item.get("type"),
                name=item.get("name"),
                description=item.get("description"),
            )
            for other in item.get("otherNames", []):
                self._add("intervention_other_names", nct_id=nct, intervention_id=row["id"], name=other)
            for label in item.get("armGroupLabels", []):
                self._add(
                    "design_group_interventions",
                    nct_id=nct,
                    design_group_id=design_groups.get(label),
                    intervention_id=row["id"],
                )
        results = study.get("resultsSection", {})
        for group in _g(results, "participantFlowModule", "groups") or []:
            self._group(nct, group, "Participant Flow", None)
        for outcome in _g(results, "outcomeMeasuresModule", "outcomeMeasures") or []:
            self._outcome(nct, outcome)
        self._events(nct, results.get("adverseEventsModule"))

    def _group(self, nct: str, group: Mapping[str, Any], kind: str, outcome_id: int | None) -> dict[str, Any]:
        return self._add(
            "result_groups",
            nct_id=nct,
            ctgov_group_code=group.get("id"),
            result_type=kind,
            title=group.get("title"),
            description=group.get("description"),
            outcome_id=outcome_id,
        )

    def _outcome(self, nct: str, o: Mapping[str, Any]) -> None:
        row = self._add(
            "outcomes",
            nct_id=nct,
            outcome_type=o.get("type"),
            title=o.get("title"),
            description=o.get("description"),
            time_frame=o.get("timeFrame"),
            population=o.get("populationDescription"),
            units=o.get("unitOfMeasure"),
            dispersion_type=o.get("dispersionType"),
            param_type=o.get("paramType"),
        )
        oid = row["id"]
        groups = {g.get("id"): self._group(nct, g, "Outcome", oid)["id"] for g in o.get("groups", [])}
        for cls in o.get("classes", []):
            for category in cls.get("categories", []):
                for m in category.get("measurements", []):
                    self._add(
                        "outcome_measurements",
                        nct_id=nct,
                        outcome_id=oid,
                        result_group_id=groups.get(m.get("groupId")),
                        ctgov_group_code=m.get("groupId"),
                        classification=cls.get("title"),
                        category=category.get("title"),
                        param_value=m.get("value"),
                        dispersion_value=m.get("spread"),
                        explanation_of_na=m.get("comment"),
                        dispersion_upper_limit_raw=m.get("upperLimit"),
                        dispersion_lower_limit_raw=m.get("lowerLimit"),
                    )
        for denom in o.get("denoms", []):
            for c in denom.get("counts", []):
                self._add(
                    "outcome_counts",
                    nct_id=nct,
                    outcome_id=oid,
                    ctgov_group_code=c.get("groupId"),
                    scope="Measure",
                    units=denom.get("units"),
                    count=_int(c.get("value")),
                )
        for a in o.get("analyses", []):
            analysis = self._add(
                "outcome_analyses",
                nct_id=nct,
                outcome_id=oid,
                non_inferiority_type=a.get("nonInferiorityType"),
                param_type=a.get("paramType"),
                param_value=_float(a.get("paramValue")),
                ci_n_sides=a.get("ciNumSides"),
                ci_percent=_float(a.get("ciPctValue")),
                ci_lower_limit=_float(a.get("ciLowerLimit")),
                ci_upper_limit=_float(a.get("ciUpperLimit")),
                method=a.get("statisticalMethod"),
                estimate_description=a.get("estimateComment"),
                groups_description=a.get("groupDescription"),
                ci_upper_limit_raw=a.get("ciUpperLimit"),
                ci_lower_limit_raw=a.get("ciLowerLimit"),
                p_value_raw=a.get("pValue"),
            )
            for code in a.get("groupIds", []):
                self._add(
                    "outcome_analysis_groups", nct_id=nct, outcome_analysis_id=analysis["id"], ctgov_group_code=code
                )

    def _events(self, nct: str, module: Mapping[str, Any] | None) -> None:
        if not module:
            return
        for group in module.get("eventGroups", []):
            self._group(nct, group, "Reported Event", None)
        for group in module.get("eventGroups", []):
            for kind, label in (("serious", "Total, serious adverse events"), ("other", "Total, other adverse events")):
                self._add(
                    "reported_event_totals",
                    nct_id=nct,
                    ctgov_group_code=group.get("id"),
                    event_type=kind,
                    classification=label,
                    subjects_affected=_int(group.get(f"{kind}NumAffected")),
                    subjects_at_risk=_int(group.get(f"{kind}NumAtRisk")),
                )
        for kind in ("serious", "other"):
            for event in module.get(f"{kind}Events", []):
                for stat in event.get("stats", []):
                    self._add(
                        "reported_events",
                        nct_id=nct,
                        ctgov_group_code=stat.get("groupId"),
                        time_frame=module.get("timeFrame"),
                        event_type=kind,
                        subjects_affected=_int(stat.get("numAffected")),
                        subjects_at_risk=_int(stat.get("numAtRisk")),
                        organ_system=event.get("organSystem"),
                        adverse_event_term=event.get("term"),
                        vocab=event.get("sourceVocabulary"),
                        assessment=event.get("assessmentType"),
                    )


def rows_for(*studies: Mapping[str, Any]) -> Rows:
    loader = AactLoader()
    for study in studies:
        loader.load(study)
    return loader.rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def table_text(table: str, rows: list[dict[str, Any]], extra_column: bool = True) -> str:
    """One table as AACT's exporter writes it: COPY ... WITH DELIMITER '|' CSV HEADER.

    An extra column AACT has and the reader does not use is included, as in the real export.
    """
    names = [name for name, _ in TABLES[table]]
    header = [*names, "unused_column"] if extra_column else names
    out = io.StringIO()
    writer = csv.writer(out, delimiter="|", quotechar='"', lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        values = [_cell(row.get(name)) for name in names]
        writer.writerow([*values, "x"] if extra_column else values)
    return out.getvalue()


def write_flatfiles(path: Path, rows: Rows, skip: tuple[str, ...] = ()) -> Path:
    """A zip shaped like AACT's ``YYYYMMDD_pipe-delimited-export.zip``: one ``table.txt`` per table."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, table_rows in rows.items():
            if table not in skip:
                archive.writestr(f"{table}.txt", table_text(table, table_rows))
    return path


def insert_sql(rows: Rows) -> Iterator[tuple[str, list[Any]]]:
    """(INSERT statement, values) for every row; the NOT NULL timestamps AACT fills get the snapshot time."""
    stamps = {"studies": ("created_at", "updated_at"), "reported_event_totals": ("created_at", "updated_at")}
    for table, table_rows in rows.items():
        for row in table_rows:
            values = dict(row)
            for name in stamps.get(table, ()):
                values.setdefault(name, SNAPSHOT)
                values[name] = values[name] or SNAPSHOT
            names = list(values)
            marks = ", ".join(["%s"] * len(names))
            yield f"INSERT INTO ctgov.{table} ({', '.join(names)}) VALUES ({marks})", list(values.values())

"""AACT rows of one study -> the neutral ``RawRecord`` the ClinicalTrials.gov readers fill.

AACT flattens the API v2 study JSON into tables (its mapping: ``app/models/*.rb`` of
github.com/ctti-clinicaltrials/aact, ``add_mapping`` blocks); this module walks that mapping backwards,
so the one builder that interprets registry records (outcome kinds, denominators, doses, arms) sees the
same values it would read from the JSON, and a study gives the same figures from either source.

What AACT does not keep, and so cannot be rebuilt: an outcome's ``reportingStatus`` (empty here),
class-level denominators (AACT's ``outcome_counts`` mapping keeps only the outcome-level ``denoms``, its
own TODO says so; an outcome reported in several classes, e.g. by week, is therefore kept out with that
reason rather than read against a denominator that may not be its own: NCT03064438's erythema scores
would otherwise read 13 where the record says 12), the adverse-event time frame of a study with no
individual event (AACT keeps it only on ``reported_events`` rows), and the printed form of a sponsor
analysis's point estimate (AACT keeps it as a number; its ``*_raw`` columns keep the CI and p-value as
printed, and those are used).

Every part is located by AACT table and row id (``ctgov.outcome_measurements id=123``), and
``stamp_provenance`` adds those ids and the snapshot date to every figure the builder made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from viewer.domain.compact import RecordTable
from viewer.domain.model import Appended, Cited, Dataset, Source, SponsorAnalysis, cited_line
from viewer.domain.outcome_ids import PART_SEPARATOR
from viewer.domain.readers.ctgov.cited import AnalysisCited, EventCited, ResultCited, raw_term
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
from viewer.domain.registry.schema import SCHEMA

Row = Mapping[str, object]
StudyRows = Mapping[str, Sequence[Row]]  # table -> rows of one study, in AACT id order

SERIOUS_TOTAL = "Total, serious adverse events"  # reported_event_totals.classification (reported_event_total.rb)
OTHER_TOTAL = "Total, other adverse events"


def text(value: object) -> str:
    """A cell as the registry printed it: None -> '', 158 -> '158', Decimal('95.0') -> '95'."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if type(value) is int:
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | Decimal):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def loc(table: str, row: Row) -> str:
    return f"{SCHEMA}.{table} id={row.get('id')}"


@dataclass(frozen=True, slots=True)
class AactRow:
    """One AACT row a figure was read from, as parts: the text before its id (the table, and an outcome's
    row), the id, and the text after it (the result group's row). A study's figures share the parts before
    and after; only the id is a figure's own (``AactCited``)."""

    before: str
    row_id: object
    after: str = ""

    def __str__(self) -> str:
        return f"{self.before}{self.row_id}{self.after}"


@dataclass(frozen=True, slots=True)
class AactCited:
    """A registry figure read from one AACT row: its provenance, then that row and the snapshot, as the
    builder's text ('…; AACT ctgov.reported_events id=9, ctgov.result_groups id=12 'Placebo'; AACT
    snapshot 2026-12-01'), written when shown. A per-row line of that text was 60% of what a study read
    from AACT kept (issue 17); held as parts, a study's table keeps a code per part and the id."""

    cited: str | Cited
    before: str
    row_id: object
    after: str
    snapshot: str  # "; AACT snapshot 2026-12-01"

    def line(self, figure: object) -> str:
        return f"{cited_line(self.cited, figure)}; AACT {self.before}{self.row_id}{self.after}{self.snapshot}"


def _stamped(cited: str | Cited, found: list[AactRow] | None, snapshot: str) -> Cited:
    """``cited`` with the AACT rows it was read from and the snapshot (see ``AactCited``)."""
    if found is not None and len(found) == 1:
        (row,) = found
        return AactCited(cited, row.before, row.row_id, row.after, snapshot)
    where = f"; AACT {' | '.join(map(str, found))}" if found else ""
    return Appended(cited, where + snapshot)


@dataclass(slots=True)
class ProvenanceIndex:
    """Which AACT rows each figure came from, keyed the way the builder names its figures."""

    results: dict[tuple[str, str, str], list[AactRow]] = field(default_factory=dict)
    events: dict[tuple[str, bool, str, str], list[AactRow]] = field(default_factory=dict)
    analyses: dict[tuple[str, str, tuple[str, ...]], list[AactRow]] = field(default_factory=dict)


def record_from_rows(nct: str, rows: StudyRows, file: str) -> tuple[RawRecord, ProvenanceIndex]:
    """The study's RawRecord and where each of its figures sits in AACT."""
    index = ProvenanceIndex()
    studies = rows.get("studies", ())
    study = studies[0] if studies else {}
    arms = _arm_groups(rows)
    record = RawRecord(
        file=file,
        nct=nct,
        brief_title=text(study.get("brief_title")),
        acronym=text(study.get("acronym")),
        phases=tuple(p for p in text(study.get("phase")).split("/") if p),  # study.rb: phases.join('/')
        enrollment=text(study.get("enrollment")),
        conditions=tuple(text(r.get("name")) for r in rows.get("conditions", ())),
        record_date=text(study.get("last_update_posted_date")) or text(study.get("last_update_submitted_date")),
        arm_groups=arms,
        interventions=_interventions(rows),
        outcomes=tuple(_outcome(o, rows, index) for o in rows.get("outcomes", ())),
        adverse_events=_adverse_events(rows, index),
    )
    return record, index


def _by(rows: Iterable[Row], key: str) -> dict[object, list[Row]]:
    out: dict[object, list[Row]] = {}
    for row in rows:
        out.setdefault(row.get(key), []).append(row)
    return out


def _arm_groups(rows: StudyRows) -> tuple[RawArmGroup, ...]:
    interventions = {r.get("id"): r for r in rows.get("interventions", ())}
    links = _by(rows.get("design_group_interventions", ()), "design_group_id")
    return tuple(
        RawArmGroup(
            label=text(g.get("title")),
            type=enum_token(text(g.get("group_type"))),
            description=text(g.get("description")),
            intervention_names=tuple(
                text(interventions[link.get("intervention_id")].get("name"))
                for link in links.get(g.get("id"), ())
                if link.get("intervention_id") in interventions
            ),
        )
        for g in rows.get("design_groups", ())
    )


def _interventions(rows: StudyRows) -> tuple[RawIntervention, ...]:
    groups = {r.get("id"): r for r in rows.get("design_groups", ())}
    links = _by(rows.get("design_group_interventions", ()), "intervention_id")
    other = _by(rows.get("intervention_other_names", ()), "intervention_id")
    return tuple(
        RawIntervention(
            type=enum_token(text(i.get("intervention_type"))),
            name=text(i.get("name")),
            description=text(i.get("description")),
            other_names=tuple(text(o.get("name")) for o in other.get(i.get("id"), ())),
            arm_labels=tuple(
                text(groups[link.get("design_group_id")].get("title"))
                for link in links.get(i.get("id"), ())
                if link.get("design_group_id") in groups
            ),
        )
        for i in rows.get("interventions", ())
    )


def _outcome(o: Row, rows: StudyRows, index: ProvenanceIndex) -> RawOutcome:
    oid = o.get("id")
    title = text(o.get("title"))
    time_frame = text(o.get("time_frame"))
    groups = tuple(
        RawGroup(
            text(g.get("ctgov_group_code")), text(g.get("title")), text(g.get("description")), loc("result_groups", g)
        )
        for g in rows.get("result_groups", ())
        if g.get("outcome_id") == oid and text(g.get("result_type")) == "Outcome"
    )
    group_rows = {
        text(g.get("ctgov_group_code")): g
        for g in rows.get("result_groups", ())
        if g.get("outcome_id") == oid and text(g.get("result_type")) == "Outcome"
    }
    denoms: dict[str, list[Row]] = {}
    for c in rows.get("outcome_counts", ()):
        if c.get("outcome_id") == oid:
            denoms.setdefault(text(c.get("units")), []).append(c)
    raw_denoms = tuple(
        RawDenoms(
            units,
            tuple((text(c.get("ctgov_group_code")), text(c.get("count"))) for c in counts),
            loc("outcome_counts", counts[0]),
        )
        for units, counts in denoms.items()
    )
    # outcome_measurements flatten [classes, categories, measurements] (outcome.rb): regroup in id order
    classes: dict[str, dict[str, list[Row]]] = {}
    for m in rows.get("outcome_measurements", ()):
        if m.get("outcome_id") == oid:
            classes.setdefault(text(m.get("classification")), {}).setdefault(text(m.get("category")), []).append(m)
    raw_classes: list[RawClass] = []
    several_classes = len(classes) > 1
    for class_title, categories in classes.items():
        raw_categories: list[RawCategory] = []
        several_categories = len(categories) > 1
        for category_title, measurements in categories.items():
            outcome_id = title
            if several_classes:
                outcome_id += f"{PART_SEPARATOR}{class_title or f'class {len(raw_classes) + 1}'}"
            if several_categories:
                outcome_id += f"{PART_SEPARATOR}{category_title or f'category {len(raw_categories) + 1}'}"
            before = f"{SCHEMA}.outcomes id={oid}, {SCHEMA}.outcome_measurements id="
            for m in measurements:
                code = text(m.get("ctgov_group_code"))
                group = group_rows.get(code)
                after = f", {loc('result_groups', group)}" if group is not None else ""
                where = AactRow(before, m.get("id"), after)
                index.results.setdefault((outcome_id, time_frame, code), []).append(where)
            raw_categories.append(
                RawCategory(
                    category_title,
                    tuple(
                        RawMeasurement(
                            text(m.get("ctgov_group_code")),
                            text(m.get("param_value")),
                            text(m.get("explanation_of_na")),
                            loc("outcome_measurements", m),
                            spread=text(m.get("dispersion_value")),
                            lower=text(m.get("dispersion_lower_limit_raw")),
                            upper=text(m.get("dispersion_upper_limit_raw")),
                        )
                        for m in measurements
                    ),
                    loc("outcome_measurements", measurements[0]),
                )
            )
        first = next(iter(categories.values()))[0]
        raw_classes.append(RawClass(class_title, (), tuple(raw_categories), loc("outcome_measurements", first)))
    analysis_groups = _by(rows.get("outcome_analysis_groups", ()), "outcome_analysis_id")
    analyses = []
    for a in rows.get("outcome_analyses", ()):
        if a.get("outcome_id") != oid:
            continue
        codes = tuple(text(g.get("ctgov_group_code")) for g in analysis_groups.get(a.get("id"), ()))
        index.analyses.setdefault((title, time_frame, codes), []).append(_row("outcome_analyses", a, None))
        analyses.append(
            RawAnalysis(
                group_ids=codes,
                param_type=text(a.get("param_type")),
                value=text(a.get("param_value")),
                ci_low=text(a.get("ci_lower_limit_raw")) or text(a.get("ci_lower_limit")),
                ci_high=text(a.get("ci_upper_limit_raw")) or text(a.get("ci_upper_limit")),
                ci_percent=text(a.get("ci_percent")),
                ci_sides=text(a.get("ci_n_sides")),
                p_value=text(a.get("p_value_raw")),
                method=text(a.get("method")),
                comment=text(a.get("estimate_description")),
                description=text(a.get("groups_description")),
                non_inferiority=text(a.get("non_inferiority_type")),
                loc=loc("outcome_analyses", a),
            )
        )
    return RawOutcome(
        title=title,
        description=text(o.get("description")),
        type=text(o.get("outcome_type")),
        reporting_status="",  # not kept by AACT
        param_type=enum_token(text(o.get("param_type"))),
        unit=text(o.get("units")),
        time_frame=time_frame,
        groups=groups,
        denoms=raw_denoms,
        classes=tuple(raw_classes),
        analyses=tuple(analyses),
        loc=f"{SCHEMA}.outcomes id={oid}",
        dispersion_type=enum_token(text(o.get("dispersion_type"))),
        population=text(o.get("population")),
        class_denominators_kept=False,  # outcome_counts holds only the outcome-level denoms (scope 'Measure')
    )


def _adverse_events(rows: StudyRows, index: ProvenanceIndex) -> RawAdverseEvents | None:
    group_rows = [g for g in rows.get("result_groups", ()) if text(g.get("result_type")) == "Reported Event"]
    events = rows.get("reported_events", ())
    totals = rows.get("reported_event_totals", ())
    if not group_rows and not events:
        return None
    time_frame = next((text(e.get("time_frame")) for e in events if text(e.get("time_frame"))), "")
    serious_totals = {
        text(t.get("ctgov_group_code")): t for t in totals if text(t.get("classification")) == SERIOUS_TOTAL
    }
    other_totals = {text(t.get("ctgov_group_code")): t for t in totals if text(t.get("classification")) == OTHER_TOTAL}
    groups = []
    for g in group_rows:
        code = text(g.get("ctgov_group_code"))
        total = serious_totals.get(code) or other_totals.get(code) or {}
        groups.append(
            RawGroup(
                code,
                text(g.get("title")),
                text(g.get("description")),
                loc("result_groups", g),
                text(total.get("subjects_at_risk")),
            )
        )
    by_code = {text(g.get("ctgov_group_code")): g for g in group_rows}
    raw_events: list[RawEvent] = []
    for serious, kind, term, book in (
        (True, "serious", SERIOUS_TOTAL_TERM, serious_totals),
        (False, "other", OTHER_TOTAL_TERM, other_totals),
    ):
        present = [
            t for t in book.values() if t.get("subjects_affected") is not None or t.get("subjects_at_risk") is not None
        ]
        if present:
            counts = []
            for t in present:
                code = text(t.get("ctgov_group_code"))
                where = _row("reported_event_totals", t, by_code.get(code))
                index.events.setdefault((term, serious, code, time_frame), []).append(where)
                counts.append(
                    RawEventCount(
                        code,
                        text(t.get("subjects_affected")),
                        text(t.get("subjects_at_risk")),
                        loc("reported_event_totals", t),
                    )
                )
            raw_events.append(RawEvent(term, "", serious, tuple(counts), loc("reported_event_totals", present[0])))
        # reported_events flatten [seriousEvents|otherEvents, stats] (reported_event.rb): consecutive rows of
        # one term, organ system, vocabulary and assessment are one event
        run: list[Row] = []
        for e in [e for e in events if text(e.get("event_type")) == kind]:
            if run and _event_key(run[-1]) != _event_key(e):
                raw_events.append(_event(run, serious, time_frame, by_code, index))
                run = []
            run.append(e)
        if run:
            raw_events.append(_event(run, serious, time_frame, by_code, index))
    return RawAdverseEvents(time_frame, tuple(groups), tuple(raw_events), f"{SCHEMA}.reported_events")


def _event_key(e: Row) -> tuple[str, ...]:
    return tuple(text(e.get(k)) for k in ("adverse_event_term", "organ_system", "vocab", "assessment"))


def _row(table: str, row: Row, group: Row | None) -> AactRow:
    """A row of ``table`` and, for an event, the result group it counts (with its title)."""
    after = f", {loc('result_groups', group)} '{text(group.get('title'))}'" if group is not None else ""
    return AactRow(f"{SCHEMA}.{table} id=", row.get("id"), after)


def _event(
    run: Sequence[Row], serious: bool, time_frame: str, by_code: Mapping[str, Row], index: ProvenanceIndex
) -> RawEvent:
    term = text(run[0].get("adverse_event_term"))
    for e in run:
        code = text(e.get("ctgov_group_code"))
        where = _row("reported_events", e, by_code.get(code))
        index.events.setdefault((term, serious, code, time_frame), []).append(where)
    return RawEvent(
        term,
        text(run[0].get("organ_system")),
        serious,
        tuple(
            RawEventCount(
                text(e.get("ctgov_group_code")),
                text(e.get("subjects_affected")),
                text(e.get("subjects_at_risk")),
                loc("reported_events", e),
            )
            for e in run
        ),
        loc("reported_events", run[0]),
    )


# --- provenance ------------------------------------------------------------------------------------------


def _group_code(cited: str | Cited) -> str:
    """The registry group id a figure was read in, kept in its cited parts ('' for any other provenance)."""
    return cited.group_id if isinstance(cited, ResultCited | EventCited) else ""


def stamp_provenance(dataset: Dataset, index: ProvenanceIndex, snapshot: str) -> Dataset:
    """Every figure names the AACT tables and row ids it was read from and the snapshot date.

    A study's result and event tables get a new provenance column, read from their columns (no figure is
    made, replaced and coded again: ``RecordTable.with_column``)."""
    tail = f"AACT snapshot {snapshot}"
    stamp = f"; {tail}"
    results, events = dataset.results, dataset.adverse_events
    assert isinstance(results, RecordTable) and isinstance(events, RecordTable), "build_dataset makes tables"
    found = index.results.get
    results = results.with_column(
        "cited",
        [
            _stamped(cited, found((outcome, timepoint, _group_code(cited))), stamp)
            for cited, outcome, timepoint in zip(
                results.column("cited"), results.column("outcome_id"), results.column("timepoint"), strict=True
            )
        ],
    )
    rows_of = index.events.get
    events = events.with_column(
        "cited",
        [
            _stamped(cited, rows_of((raw_term(term, serious), serious, _group_code(cited), when)), stamp)
            for cited, term, serious, when in zip(
                events.column("cited"),
                events.column("term"),
                events.column("serious"),
                events.column("timepoint"),
                strict=True,
            )
        ],
    )
    analyses: list[SponsorAnalysis] = []
    for a in dataset.sponsor_analyses:
        groups = a.cited.group_ids if isinstance(a.cited, AnalysisCited) else ()
        key = (a.outcome_id, a.timepoint, groups)
        analyses.append(dataclasses.replace(a, cited=_stamped(a.cited, index.analyses.get(key), stamp)))
    sources: list[Source] = [
        dataclasses.replace(
            s,
            citation=f"{s.citation}; read from AACT ({tail})",
            locator="AACT ctgov schema: outcomes, outcome_measurements, reported_events",
        )
        for s in dataset.sources
    ]
    return dataclasses.replace(
        dataset,
        sources=tuple(sources),
        results=results,
        adverse_events=events,
        sponsor_analyses=tuple(analyses),
    )

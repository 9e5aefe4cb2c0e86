"""One raw registry record (whichever front end read it) -> a Dataset.

The JSON, XML and AACT front ends fill a :class:`~viewer.domain.readers.ctgov.raw.RawRecord`; this module
decides what it means, once: which outcomes are usable, how a value becomes a count, which results group
is which arm and drug. Whatever cannot be used is listed in ``Dataset.skipped`` with file, place, field and
reason; only a record with nothing usable is refused by the front end. A part that breaks no input rule
but trips the code is a bug and is left to propagate: nothing here catches arbitrary exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from viewer.domain.catalog import Catalog
from viewer.domain.compact import RecordTable, chained
from viewer.domain.model import Dataset, Drug, EvidenceLevel, Origin, Outcome, Result, Source, SourceKind, Trial
from viewer.domain.outcome_ids import PART_SEPARATOR
from viewer.domain.readers.ctgov.arms import ArmBook
from viewer.domain.readers.ctgov.cited import EVENT_TEXT, RESULT_TEXT, with_owns_together
from viewer.domain.readers.ctgov.context import RecordContext, deflated
from viewer.domain.readers.ctgov.drugs import RecordDrugs
from viewer.domain.readers.ctgov.events import EventReader
from viewer.domain.readers.ctgov.outcomes import OutcomeReader
from viewer.domain.readers.ctgov.printed import enum_token, parse_count, phase_label
from viewer.domain.readers.ctgov.raw import RawRecord
from viewer.domain.sequences import Joined


def build_dataset(record: RawRecord, catalog: Catalog | None, label: str, path: Path) -> Dataset:
    """Turn one raw record into a Dataset (see the module docstring for the rules)."""
    context = RecordContext(record)
    texts = [a.description for a in record.arm_groups] + [i.description for i in record.interventions]
    for outcome in record.outcomes:
        texts.extend(g.description for g in outcome.groups)
    if record.adverse_events:
        texts.extend(g.description for g in record.adverse_events.groups)
    drugs = RecordDrugs(record, catalog, texts)
    arms = ArmBook(context, drugs)
    outcomes = OutcomeReader(context, arms)
    for o in record.outcomes:
        outcomes.read(o)
    events = EventReader(context, arms)
    if record.adverse_events is not None:
        events.read(record.adverse_events)
    nct = record.nct
    source = Source(
        id=nct,
        citation=f"ClinicalTrials.gov {nct}: {record.brief_title} (record updated {context.date})",
        nct=nct,
        url=f"https://clinicaltrials.gov/study/{nct}",
        locator="results section",
        kind=SourceKind.REGISTRY,
    )
    conditions = "; ".join(c for c in record.conditions if c)
    used = {r.outcome_id for r in outcomes.results}
    imported = {o.measure or o.id for o in outcomes.outcomes.values() if o.id in used}
    primary = next(
        (o.time_frame for o in record.outcomes if enum_token(o.type) == "PRIMARY" and o.title in imported), ""
    )
    trial = Trial(
        id=context.trial_id,
        # a label on every chart row and legend: the acronym, else the NCT number (a brief title runs to
        # 300 characters and pushed the forest off the window); the brief title stays in the source citation
        name=record.acronym or nct,
        nct=nct,
        phase=phase_label(record.phases),
        population=conditions,
        primary_timepoint=primary,
        randomised_n=parse_count(record.enrollment),
        indication=conditions,
        source_id=nct,
        level=EvidenceLevel.VERIFIED,
        origin=Origin.REGISTRY,
        note="imported from ClinicalTrials.gov; results groups matched to arms by title",
    )
    excluded, skipped = context.left_out()
    outcome_table, results = _outcome_tables(outcomes)
    return Dataset(
        label=label,
        path=str(path),
        origin=Origin.REGISTRY,
        sources=(source,),
        drugs=drugs.new_drugs(),
        trials=(trial,),
        arms=arms.frozen(),
        outcomes=outcome_table,
        results=results,
        adverse_events=deflated(events.events.table(), EVENT_TEXT),
        sponsor_analyses=with_owns_together(outcomes.analyses),
        skipped=skipped,
        excluded_outcomes=excluded,
    )


def _outcome_tables(outcomes: OutcomeReader) -> tuple[Sequence[Outcome], RecordTable[Result]]:
    """The record's outcomes and its results (a table: a Result made when read). When an outcome's id joins
    a measure's title to a class or category, the outcomes are a table too, an id and title (and a result's
    outcome id) made again when read from the parts they join (``Joined``: strings the table holds anyway;
    NCT03064438's 26 ids were 6.2 KB and their Outcome objects 2.3 KB, issue 17). Ids that are each a
    measure's title are that very string already: a table of a few would cost more than the objects."""
    results = RecordTable.of(Result, outcomes.results, text=RESULT_TEXT)
    if all(len(parts) == 1 for parts in outcomes.parts.values()):
        return tuple(outcomes.outcomes.values()), results
    ids = Joined(PART_SEPARATOR, outcomes.parts.values())
    table = RecordTable.of(Outcome, outcomes.outcomes.values()).with_values("id", ids).with_values("title", ids)
    place = {outcome_id: k for k, outcome_id in enumerate(outcomes.parts)}
    used = results.coded("outcome_id")[0]
    return table, results.with_values("outcome_id", ids.pick([place[o] for o in used]))


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
        results=chained(p.results for p in parts),
        adverse_events=chained(p.adverse_events for p in parts),
        sponsor_analyses=tuple(s for p in parts for s in p.sponsor_analyses),
        skipped=(*skipped, *(s for p in parts for s in p.skipped)),
        excluded_outcomes=chained(p.excluded_outcomes for p in parts),
    )

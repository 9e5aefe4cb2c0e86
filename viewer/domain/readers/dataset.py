"""The project's own dataset format: a folder of CSV tables and TOML drug monographs (data/README.md).

The shipped catalog and user datasets go through this one loader, so a user's file is held to exactly the
rules the curated data is held to. Nothing of a dataset is loaded while any problem remains.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from viewer.domain import sliced
from viewer.domain.by_id import ById
from viewer.domain.errors import DataError, Rule
from viewer.domain.model import (
    AdverseEvent,
    Arm,
    ArmRole,
    Dataset,
    EvidenceLevel,
    Origin,
    Outcome,
    Result,
    Source,
    Trial,
)
from viewer.domain.readers.adverse_columns import AdverseColumns
from viewer.domain.readers.arm_columns import ArmColumns
from viewer.domain.readers.columnar import Keyed, read_columns
from viewer.domain.readers.fields import Problems, Row, decimals_of, is_nct, read_rows
from viewer.domain.readers.monographs import read_drugs, read_toml
from viewer.domain.readers.result_columns import ResultColumns
from viewer.domain.readers.safety_tables import read_hazard_ratios, read_safety_rates
from viewer.domain.readers.sourcing import KIND_NAMES, KINDS, SourceKinds, source_of
from viewer.domain.readers.trial_columns import TrialColumns
from viewer.domain.stats import count_from_percent

DATASET_FILES = ("sources.csv", "trials.csv", "arms.csv", "results.csv")
_ROLES = {role.value: role for role in ArmRole}

SOURCE_COLUMNS = ("id", "citation", "kind", "pmid", "doi", "nct", "url", "locator", "note")
TRIAL_COLUMNS = (
    "id", "name", "nct", "phase", "population", "background", "primary_timepoint", "randomised_n",
    "indication", "source", "level", "note",
)  # fmt: skip
ARM_COLUMNS = (
    "id", "trial", "role", "drug", "label", "dose", "unit", "frequency", "daily_dose_mg", "n",
    "source", "level", "note",
)  # fmt: skip
RESULT_COLUMNS = (
    "trial", "arm", "outcome", "timepoint", "responders", "percent", "n", "source", "level", "note",
)  # fmt: skip
AE_COLUMNS = (
    "trial", "arm", "term", "serious", "affected", "percent", "at_risk", "timepoint", "source",
    "level", "note",
)  # fmt: skip
OUTCOME_COLUMNS = ("id", "title", "description")


def is_dataset_dir(path: Path) -> bool:
    return path.is_dir() and any((path / name).is_file() for name in DATASET_FILES)


def load_dataset(
    path: Path,
    *,
    origin: Origin = Origin.USER,
    known_drugs: Collection[str] = (),
    known_outcomes: Collection[str] = (),
) -> Dataset:
    """Read and validate a dataset folder. ``known_drugs``/``known_outcomes`` are ids already loaded
    (the shipped catalog), which a user's arms and results may refer to."""
    if not is_dataset_dir(path):
        raise DataError.single(
            str(path), "", "", f"is not a dataset folder (needs {', '.join(DATASET_FILES)})", Rule.WRONG_FORMAT
        )
    problems = Problems()
    label = _read_label(path, problems)
    sources = _read_sources(path / "sources.csv", problems)
    source_ids = {s.id: s.kind for s in sources}
    drugs = read_drugs(path / "drugs", source_ids, origin, problems)
    drug_ids = {d.id for d in drugs} | set(known_drugs)
    outcomes = _read_outcomes(path / "outcomes.csv", problems)
    outcome_ids = {o.id for o in outcomes} | set(known_outcomes) | _standard_outcomes()
    trials = _read_trials(path / "trials.csv", source_ids, origin, problems)
    ids = sliced.attribute(trials, "id")  # from the table's codes: no Trial is made
    trial_order = [t for t in sliced.first_seen(ids) if t]
    arms = _read_arms(path / "arms.csv", trial_order, drug_ids, source_ids, problems)
    arm_index = ById((arms,))  # looked up without a dict of every arm, the table's arms made when read
    trial_ids = set(ids)
    results = _read_results(path / "results.csv", arm_index, trial_ids, outcome_ids, source_ids, problems)
    adverse = _read_adverse_events(path / "adverse_events.csv", arm_index, trial_ids, source_ids, problems)
    rates = read_safety_rates(path / "safety_rates.csv", trial_ids, drug_ids, source_ids, problems)
    hazards = read_hazard_ratios(path / "hazard_ratios.csv", trial_ids, drug_ids, source_ids, problems)
    problems.raise_if_any()
    return Dataset(
        label=label,
        path=str(path),
        origin=origin,
        sources=tuple(sources),
        drugs=tuple(drugs),
        trials=trials,
        arms=arms,
        outcomes=tuple(outcomes),
        results=results,
        adverse_events=adverse,
        safety_rates=tuple(rates),
        hazard_ratios=tuple(hazards),
    )


def _standard_outcomes() -> set[str]:
    from viewer.domain.catalog import STANDARD_OUTCOMES

    return {o.id for o in STANDARD_OUTCOMES}


def _read_label(path: Path, problems: Problems) -> str:
    meta = path / "dataset.toml"
    if not meta.is_file():
        return path.name
    data = read_toml(meta, problems, meta.name)
    if data is None:
        return path.name
    label = data.get("label", path.name)
    if not isinstance(label, str):
        problems.add(meta.name, "", "label", "must be text")
        return path.name
    return label


def _unique(rows: Iterable[tuple[Row, str]]) -> None:
    seen: dict[str, int] = {}
    for row, key in rows:
        if not key:
            continue
        if key in seen:
            row.fail("id", f"duplicate id {key!r} (first at row {seen[key]})")
        else:
            seen[key] = row.line


def _keyed_rows(
    path: Path, problems: Problems, required: tuple[str, ...], allowed: tuple[str, ...], columns: Keyed
) -> tuple[list[Row], bool]:
    """The rows of a table with unique ids that the columnar read (``columns``) declined, ids checked, and
    whether it read the table. When an id is repeated among the rows it took or the rows it declined, the
    whole table is read the long way instead, so the duplicate's message names the rows it always named."""
    declined, by_columns = read_columns(
        path, problems, required=required, allowed=allowed, batch=columns.batch, unique=columns.NAMES[:1]
    )
    rows = list(declined)
    if by_columns and columns.repeated(r.text("id") for r in rows):
        rows, by_columns = list(read_rows(path, problems, required=required, allowed=allowed)), False
    _unique((r, r.text("id")) for r in rows)
    return rows, by_columns


def _read_sources(path: Path, problems: Problems) -> list[Source]:
    rows = list(read_rows(path, problems, required=("id", "citation", "kind"), allowed=SOURCE_COLUMNS))
    _unique((r, r.text("id")) for r in rows)
    sources = []
    for r in rows:
        raw_kind = r.text("kind", required=True)
        kind = KINDS.get(raw_kind) or KINDS.get(raw_kind.lower())
        if raw_kind and kind is None:
            r.fail("kind", f"must be one of {KIND_NAMES}, not {raw_kind!r}")
        url = r.text("url")
        if url and not url.startswith(("http://", "https://")):
            r.fail("url", f"must be an http(s) address, not {url!r}")
            url = ""
        sources.append(
            Source(
                id=r.text("id", required=True),
                citation=r.text("citation", required=True),
                pmid=r.text("pmid"),
                doi=r.text("doi"),
                nct=r.text("nct"),
                url=url,
                locator=r.text("locator"),
                note=r.text("note"),
                kind=kind,
            )
        )
    return sources


def _read_outcomes(path: Path, problems: Problems) -> list[Outcome]:
    if not path.is_file():
        return []
    rows = list(read_rows(path, problems, required=("id", "title"), allowed=OUTCOME_COLUMNS))
    _unique((r, r.text("id")) for r in rows)
    return [Outcome(r.text("id", required=True), r.text("title", required=True), r.text("description")) for r in rows]


def _read_trials(path: Path, source_ids: SourceKinds, origin: Origin, problems: Problems) -> Sequence[Trial]:
    """The trials in file order: the plain rows read by columns into a compact table (``trial_columns``),
    every other row through the full checks."""
    columns = TrialColumns(source_ids, origin)
    required = ("id", "name", "population", "source", "level")
    rows, by_columns = _keyed_rows(path, problems, required, TRIAL_COLUMNS, columns)
    trials: list[tuple[int, Trial]] = []
    for r in rows:
        nct = r.text("nct").upper()
        if nct and not is_nct(nct):
            r.fail("nct", f"must be NCT followed by 8 digits, not {nct!r}")
        trials.append(
            (
                r.line,
                Trial(
                    id=r.text("id", required=True),
                    name=r.text("name", required=True),
                    nct=nct,
                    phase=r.text("phase"),
                    population=r.text("population", required=True),
                    background=r.text("background"),
                    primary_timepoint=r.text("primary_timepoint"),
                    randomised_n=r.count("randomised_n"),
                    indication=r.text("indication"),
                    source_id=source_of(r, source_ids, level := r.level()),
                    level=level,
                    origin=origin,
                    note=r.text("note"),
                ),
            )
        )
    return columns.trials(trials) if by_columns else tuple(trial for _, trial in trials)


def _read_arms(
    path: Path, trial_ids: list[str], drug_ids: set[str], source_ids: SourceKinds, problems: Problems
) -> Sequence[Arm]:
    """The arms in file order: the plain rows read by columns (``arm_columns``), every other row through the
    full checks; when an id is repeated, every row the long way, so the duplicate's message names the rows
    it always named. ``trial_ids``: the trials' ids, distinct and in order."""
    required = ("id", "trial", "role", "label", "source", "level")
    columns = ArmColumns(trial_ids, drug_ids, source_ids)
    rows, by_columns = _keyed_rows(path, problems, required, ARM_COLUMNS, columns)
    arms: list[tuple[int, Arm]] = []
    known_trials, check_trials = set(trial_ids), problems.references_checkable("trials.csv")
    for r in rows:
        trial = r.text("trial", required=True)
        if trial and check_trials and trial not in known_trials:
            r.fail("trial", f"unknown trial {trial!r}")
        raw_role = r.text("role", required=True).lower()
        maybe_role = _ROLES.get(raw_role)
        if maybe_role is None:
            if raw_role:
                r.fail("role", f"must be drug, placebo or active, not {raw_role!r}")
            maybe_role = ArmRole.DRUG
        role = maybe_role
        drug = r.cells.get("drug", "")
        if role is ArmRole.DRUG and not drug:
            r.fail("drug", "is required for a drug arm")
        elif role is ArmRole.DRUG and drug not in drug_ids:
            r.fail("drug", f"unknown drug {drug!r} (no monograph in drugs/)")
        arms.append(
            (
                r.line,
                Arm(
                    id=r.text("id", required=True),
                    trial_id=trial,
                    role=role,
                    label=r.text("label", required=True),
                    drug_id=drug if role is not ArmRole.PLACEBO else "",
                    dose=r.number("dose"),
                    unit=r.cells.get("unit", ""),
                    frequency=r.cells.get("frequency", ""),
                    daily_dose_mg=r.number("daily_dose_mg"),
                    n=r.count("n"),
                    source_id=source_of(r, source_ids, level := r.level()),
                    level=level,
                    note=r.cells.get("note", ""),
                ),
            )
        )
    return columns.arms(arms) if by_columns else tuple(arm for _, arm in arms)


def _arm_of(r: Row, arms: Mapping[str, Arm], trial_ids: set[str]) -> Arm | None:
    trial = r.text("trial", required=True)
    arm_id = r.text("arm", required=True)
    arm = arms.get(arm_id)
    if arm_id and arm is None:
        if r.problems.references_checkable("arms.csv"):
            r.fail("arm", f"unknown arm {arm_id!r}")
    elif arm is not None and trial and arm.trial_id != trial and arm.trial_id in trial_ids:
        r.fail("arm", f"arm {arm_id!r} belongs to trial {arm.trial_id!r}, not {trial!r}")
        return None
    return arm


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first and second else first or second


def _counts(
    r: Row, arm: Arm | None, count_field: str, n_field: str, level: EvidenceLevel
) -> tuple[int | None, float | None, int | None, bool, str, EvidenceLevel]:
    """Responders (or affected), percent, n, derived flag, note and the resulting level for one row."""
    count = r.count(count_field)
    percent = r.percent("percent")
    n = r.count(n_field)
    if count is None and percent is None and not r.cells.get(count_field) and not r.cells.get("percent"):
        r.fail(count_field, f"{count_field} or percent is required")
    if n is None and arm is not None and arm.n is not None:
        n = arm.n
        level = level.weaker(arm.level)
    if n == 0:
        r.fail(n_field, "must be at least 1")
        return count, percent, None, False, "", level
    if count is not None and n is not None and count > n:
        r.fail(count_field, f"{count} is more than n = {n}")
        return None, percent, n, False, "", level
    if count is None and percent is not None and n is not None:
        derived = count_from_percent(percent, n, decimals=decimals_of(r.text("percent")))
        return derived.count, percent, n, True, derived.note, level
    return count, percent, n, False, "", level


def _read_results(
    path: Path,
    arms: Mapping[str, Arm],
    trial_ids: set[str],
    outcome_ids: set[str],
    source_ids: SourceKinds,
    problems: Problems,
) -> Sequence[Result]:
    """The results in file order: the plain rows read by columns into a compact table (``result_columns``),
    every other row through the full checks."""
    required = ("trial", "arm", "outcome", "timepoint", "source", "level")
    columns = ResultColumns(arms, outcome_ids, source_ids)
    rows, by_columns = read_columns(path, problems, required=required, allowed=RESULT_COLUMNS, batch=columns.batch)
    results: list[tuple[int, Result]] = []
    for r in rows:
        arm = _arm_of(r, arms, trial_ids)
        outcome = r.text("outcome", required=True)
        if outcome and outcome not in outcome_ids:
            r.fail("outcome", f"unknown outcome {outcome!r} (add it to outcomes.csv)")
        level = r.level()
        source = source_of(r, source_ids, level)
        count, percent, n, derived, note, level = _counts(r, arm, "responders", "n", level)
        own_note = r.cells.get("note", "")
        results.append(
            (
                r.line,
                Result(
                    trial_id=r.cells.get("trial", ""),
                    arm_id=r.cells.get("arm", ""),
                    outcome_id=outcome,
                    timepoint=r.text("timepoint", required=True),
                    n=n,
                    responders=count,
                    percent=percent,
                    derived=derived,
                    source_id=source,
                    level=level,
                    note=_join(own_note, note),
                    count_note=note,
                ),
            )
        )
    return columns.table(results) if by_columns else tuple(result for _, result in results)


def _read_adverse_events(
    path: Path, arms: Mapping[str, Arm], trial_ids: set[str], source_ids: SourceKinds, problems: Problems
) -> Sequence[AdverseEvent]:
    """The adverse events in file order: the plain rows read by columns into a compact table
    (``adverse_columns``), every other row through the full checks."""
    if not path.is_file():
        return ()
    required = ("trial", "arm", "term", "source", "level")
    columns = AdverseColumns(arms, source_ids)
    rows, by_columns = read_columns(path, problems, required=required, allowed=AE_COLUMNS, batch=columns.batch)
    events: list[tuple[int, AdverseEvent]] = []
    for r in rows:
        arm = _arm_of(r, arms, trial_ids)
        level = r.level()
        source = source_of(r, source_ids, level)
        count, percent, n, derived, note, level = _counts(r, arm, "affected", "at_risk", level)
        own_note = r.cells.get("note", "")
        events.append(
            (
                r.line,
                AdverseEvent(
                    trial_id=r.text("trial"),
                    arm_id=r.text("arm"),
                    term=r.text("term", required=True),
                    at_risk=n,
                    affected=count,
                    percent=percent,
                    derived=derived,
                    source_id=source,
                    level=level,
                    timepoint=r.text("timepoint"),
                    serious=r.flag("serious"),
                    note=_join(own_note, note),
                ),
            )
        )
    return columns.table(events) if by_columns else tuple(event for _, event in events)

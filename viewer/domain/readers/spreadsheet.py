"""One flat CSV of arm-level results, the way an analyst keeps an extraction in a spreadsheet.

Every row repeats its trial, drug, dose and source, so the sheet can be sorted and filtered freely; the
reader folds the repeats back into trials, arms and sources and holds the figures to the dataset rules.
"""

from __future__ import annotations

from pathlib import Path

from viewer.domain.catalog import STANDARD_OUTCOMES, Catalog, normalise_name
from viewer.domain.model import Arm, ArmRole, Dataset, Drug, Origin, Outcome, Result, Source, Trial
from viewer.domain.readers.fields import Problems, Row, decimals_of, read_rows
from viewer.domain.stats import count_from_percent

COLUMNS = (
    "trial", "nct", "population", "timepoint", "drug", "role", "arm", "dose", "unit", "frequency",
    "daily_dose_mg", "outcome", "responders", "percent", "n", "citation", "pmid", "doi", "url",
    "locator", "level", "note",
)  # fmt: skip
REQUIRED = ("trial", "population", "timepoint", "role", "arm", "outcome", "n", "citation", "level")


def read_spreadsheet(path: Path, catalog: Catalog | None = None) -> Dataset:
    """Read the single-table format of data/template.csv; any problem rejects the file as a whole."""
    problems = Problems()
    trials: dict[str, Trial] = {}
    arms: dict[tuple[str, str], Arm] = {}
    sources: dict[tuple[str, ...], Source] = {}
    drugs: dict[str, Drug] = {}
    results: list[Result] = []
    outcomes: dict[str, Outcome] = {}
    standard = {o.id for o in STANDARD_OUTCOMES} | set(catalog.outcomes if catalog else ())
    for row in read_rows(path, problems, required=REQUIRED, allowed=COLUMNS):
        source = _source(row, sources)
        trial = _trial(row, trials, source.id)
        drug_id = _drug(row, catalog, drugs, path.name)
        arm = _arm(row, arms, trial.id, drug_id, source.id)
        outcome = row.text("outcome", required=True)
        if outcome and outcome not in standard:
            outcomes.setdefault(outcome, Outcome(outcome, outcome))
        results.append(_result(row, arm, outcome, source.id))
    problems.raise_if_any()
    return Dataset(
        label=path.name,
        path=str(path),
        origin=Origin.USER,
        sources=tuple(sources.values()),
        drugs=tuple(drugs.values()),
        trials=tuple(trials.values()),
        arms=tuple(arms.values()),
        outcomes=tuple(outcomes.values()),
        results=tuple(results),
    )


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _source(row: Row, sources: dict[tuple[str, ...], Source]) -> Source:
    key = tuple(row.text(f) for f in ("citation", "pmid", "doi", "url", "locator"))
    if key not in sources:
        url = row.text("url")
        if url and not url.startswith(("http://", "https://")):
            row.fail("url", f"must be an http(s) address, not {url!r}")
            url = ""
        sources[key] = Source(
            id=f"sheet-{len(sources) + 1}",
            citation=row.text("citation", required=True),
            pmid=row.text("pmid"),
            doi=row.text("doi"),
            nct=row.text("nct").upper(),
            url=url,
            locator=row.text("locator"),
        )
    return sources[key]


def _trial(row: Row, trials: dict[str, Trial], source_id: str) -> Trial:
    name = row.text("trial", required=True)
    trial_id = f"sheet-{_slug(name)}"
    known = trials.get(trial_id)
    population = row.text("population", required=True)
    if known is None:
        known = Trial(
            id=trial_id,
            name=name,
            nct=row.text("nct").upper(),
            population=population,
            primary_timepoint=row.text("timepoint"),
            source_id=source_id,
            level=row.level(),
            origin=Origin.USER,
        )
        trials[trial_id] = known
    elif population and population != known.population:
        row.fail("population", f"trial {name!r} was {known.population!r} on an earlier row")
    return known


def _drug(row: Row, catalog: Catalog | None, drugs: dict[str, Drug], file: str) -> str:
    role = row.text("role").lower()
    name = row.text("drug")
    if role == ArmRole.PLACEBO.value:
        return ""
    if not name:
        row.fail("drug", f"is required for a {role or 'drug'} arm")
        return ""
    found = catalog.find_drug(name) if catalog else None
    if found is not None:
        return found.id
    drug_id = normalise_name(name)
    if role == ArmRole.DRUG.value:
        drugs.setdefault(drug_id, Drug(id=drug_id, name=name, origin=Origin.USER, note=f"from {file}"))
    return drug_id


def _arm(row: Row, arms: dict[tuple[str, str], Arm], trial_id: str, drug_id: str, source_id: str) -> Arm:
    label = row.text("arm", required=True)
    key = (trial_id, label)
    if key in arms:
        return arms[key]
    raw_role = row.text("role", required=True).lower()
    try:
        role = ArmRole(raw_role)
    except ValueError:
        if raw_role:
            row.fail("role", f"must be drug, placebo or active, not {raw_role!r}")
        role = ArmRole.DRUG
    arm = Arm(
        id=f"{trial_id}-{_slug(label)}",
        trial_id=trial_id,
        role=role,
        label=label,
        drug_id=drug_id,
        dose=row.number("dose"),
        unit=row.text("unit"),
        frequency=row.text("frequency"),
        daily_dose_mg=0.0 if role is ArmRole.PLACEBO else row.number("daily_dose_mg"),
        n=row.count("n"),
        source_id=source_id,
        level=row.level(),
    )
    arms[key] = arm
    return arm


def _result(row: Row, arm: Arm, outcome: str, source_id: str) -> Result:
    n = row.count("n", required=True)
    responders = row.count("responders")
    percent = row.percent("percent")
    level = row.level().weaker(arm.level)
    derived, note = False, ""
    if n == 0:
        row.fail("n", "must be at least 1")
        n = None
    if responders is None and percent is None and not row.text("responders") and not row.text("percent"):
        row.fail("responders", "responders or percent is required")
    if responders is not None and n is not None and responders > n:
        row.fail("responders", f"{responders} is more than n = {n}")
    elif responders is None and percent is not None and n is not None:
        fit = count_from_percent(percent, n, decimals=decimals_of(row.text("percent")))
        responders, derived, note = fit.count, True, fit.note
    return Result(
        trial_id=arm.trial_id,
        arm_id=arm.id,
        outcome_id=outcome,
        timepoint=row.text("timepoint", required=True),
        n=n,
        responders=responders,
        percent=percent,
        derived=derived,
        source_id=source_id,
        level=level,
        note="; ".join(x for x in (row.text("note"), note) if x),
        cited=f"{row.file} {row.where}",
        count_note=note,
    )

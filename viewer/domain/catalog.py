"""One merged, indexed view over every loaded dataset.

Datasets stay separate values so a user can remove one; the catalog is rebuilt from whatever is loaded,
which keeps "what was loaded before stays" trivially true when a new file fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from viewer.domain import sliced
from viewer.domain.by_id import ById
from viewer.domain.compact import chained
from viewer.domain.model import (
    CLASS_SAFETY_TERMS,
    AdverseEvent,
    Arm,
    Dataset,
    Drug,
    HazardRatio,
    Outcome,
    Result,
    SafetyRate,
    Source,
    SponsorAnalysis,
    Trial,
)

if TYPE_CHECKING:
    from viewer.domain.columns import CatalogColumns

STANDARD_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("ACR20", "ACR20", "At least 20% improvement in ACR criteria"),
    Outcome("ACR50", "ACR50", "At least 50% improvement in ACR criteria"),
    Outcome("ACR70", "ACR70", "At least 70% improvement in ACR criteria"),
    Outcome("DAS28-CRP<2.6", "DAS28-CRP < 2.6", "Remission by DAS28 with CRP"),
    Outcome("DAS28-CRP<=3.2", "DAS28-CRP <= 3.2", "Low disease activity by DAS28 with CRP"),
)


@dataclass(frozen=True)
class Catalog:
    """Lookups over the merged datasets. Later datasets win on duplicate ids (a user's own edit)."""

    datasets: tuple[Dataset, ...] = ()
    drugs: dict[str, Drug] = field(default_factory=dict)
    trials: Mapping[str, Trial] = field(default_factory=dict)  # from datasets: a ById over their trial tables
    arms: Mapping[str, Arm] = field(default_factory=dict)  # from datasets: a ById over their arm tables
    sources: dict[str, Source] = field(default_factory=dict)
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)  # from datasets: a ById over their outcomes
    results: Sequence[Result] = ()  # a registry study's tables are read in place (compact.chained)
    adverse_events: Sequence[AdverseEvent] = ()
    sponsor_analyses: tuple[SponsorAnalysis, ...] = ()
    safety_rates: tuple[SafetyRate, ...] = ()
    hazard_ratios: tuple[HazardRatio, ...] = ()
    _name_index: dict[str, str] = field(default_factory=dict, repr=False)
    _parts: tuple[tuple[Sequence[Result], ...], tuple[Sequence[AdverseEvent], ...]] = ((), ())  # per dataset

    @classmethod
    def from_datasets(cls, datasets: Iterable[Dataset]) -> Catalog:
        """Index ``datasets`` (the front end decides whether the garbage collector runs meanwhile)."""
        datasets = tuple(datasets)
        drugs: dict[str, Drug] = {}
        sources: dict[str, Source] = {}
        results: list[Sequence[Result]] = []
        adverse: list[Sequence[AdverseEvent]] = []
        analyses: list[SponsorAnalysis] = []
        rates: list[SafetyRate] = []
        hazards: list[HazardRatio] = []
        for ds in datasets:
            sliced.index(ds.sources, "id", sources)
            sliced.index(ds.drugs, "id", drugs)
            results.append(ds.results)
            adverse.append(ds.adverse_events)
            analyses.extend(ds.sponsor_analyses)
            rates.extend(ds.safety_rates)
            hazards.extend(ds.hazard_ratios)
        name_index: dict[str, str] = {}
        for drug in drugs.values():
            for name in (drug.id, *drug.names()):
                name_index.setdefault(normalise_name(name), drug.id)
        return cls(
            datasets=datasets,
            drugs=drugs,
            trials=ById(ds.trials for ds in datasets),
            arms=ById(ds.arms for ds in datasets),
            sources=sources,
            outcomes=ById((STANDARD_OUTCOMES, *(ds.outcomes for ds in datasets))),  # a registry study's: a table
            results=chained(results),
            adverse_events=chained(adverse),
            sponsor_analyses=tuple(analyses),
            safety_rates=tuple(rates),
            hazard_ratios=tuple(hazards),
            _name_index=name_index,
            _parts=(tuple(results), tuple(adverse)),
        )

    @cached_property
    def columns(self) -> CatalogColumns:
        """Trials, arms, results and adverse events as numpy columns, for selections over the whole catalog
        (``viewer.domain.effects``); built on first use, once, as a catalog is never edited."""
        from viewer.domain.columns import CatalogColumns, Parts

        if not self.datasets:  # a catalog made from its fields (a test's)
            return CatalogColumns.of(self.trials, self.arms, self.results, self.adverse_events)
        return CatalogColumns.of(self.trials, self.arms, Parts(self._parts[0]), Parts(self._parts[1]))

    @cached_property
    def drug_places(self) -> dict[str, int]:
        """Each drug's place in load order (what fixes its colour for the session), worked out once."""
        return dict(zip(self.drugs, range(len(self.drugs)), strict=True))

    def arms_of(self, trial_id: str) -> tuple[Arm, ...]:
        """The trial's arms in catalog order (through the columns' index of arms by trial)."""
        code = self.columns.trials.code.get(trial_id)
        if code is None:
            return ()
        arms = self.columns.arms
        rows = arms.by_trial[arms.trial_start[code] : arms.trial_start[code + 1]].tolist()
        if isinstance(self.arms, ById):  # the columns code the arms in its order: no id is looked up
            return tuple(map(self.arms.at, rows))
        return tuple(self.arms[arms.ids[k]] for k in rows)

    def trials_among(self, trial_ids: Iterable[str]) -> list[Trial]:
        """The trials of ``trial_ids`` in that order, an id the catalog does not hold left out: each found by
        its code in the columns and read from its dataset's table (``ById.at``), so a click that reads a few
        hundred trials searches no index of every trial's ids and makes no other Trial."""
        code = self.columns.trials.code
        if isinstance(self.trials, ById):
            return list(map(self.trials.at, [code[t] for t in trial_ids if t in code]))
        return [self.trials[t] for t in trial_ids if t in code]

    def has_trial(self, trial_id: str) -> bool:
        """Whether the catalog holds the trial (in its columns' codes: no index of the trials is made)."""
        return trial_id in self.columns.trials.code

    def populations_of(self, trial_ids: Sequence[str]) -> list[str]:
        """The population of each of ``trial_ids`` (each the catalog's), from the columns' codes: no Trial is made."""
        trials = self.columns.trials
        code = trials.code
        if not trial_ids:
            return []
        codes = trials.population[[code[t] for t in trial_ids]].tolist()
        return list(map(trials.populations.__getitem__, codes))

    def results_of(self, trial_id: str) -> tuple[Result, ...]:
        """The trial's results in catalog order (through the columns' index: no per-trial lists are kept)."""
        return self._of_trial(trial_id, adverse=False)  # type: ignore[return-value]

    def adverse_events_of(self, trial_id: str) -> tuple[AdverseEvent, ...]:
        return self._of_trial(trial_id, adverse=True)  # type: ignore[return-value]

    def _of_trial(self, trial_id: str, *, adverse: bool) -> tuple[Result, ...] | tuple[AdverseEvent, ...]:
        columns = self.columns
        code = columns.trials.code.get(trial_id)
        if code is None:
            return ()
        figures = columns.adverse_events if adverse else columns.results
        source = self.adverse_events if adverse else self.results
        rows = figures.by_trial[figures.trial_start[code] : figures.trial_start[code + 1]]
        return tuple(source[r] for r in rows.tolist())

    def adverse_event_terms(self) -> tuple[str, ...]:
        """Terms with data, the most reported first, so the tolerability chart offers what exists."""
        return self._terms

    @cached_property
    def _terms(self) -> tuple[str, ...]:
        counts = self.columns.adverse_events.endpoint_counts()  # from the codes: no record is made
        return tuple(sorted(counts, key=lambda t: (-counts[t], t)))

    def safety_terms(self) -> tuple[str, ...]:
        """Class safety outcomes with a patient-year rate, in the class order (serious infection first)."""
        return self._safety_terms

    @cached_property
    def _safety_terms(self) -> tuple[str, ...]:
        have = {r.term for r in self.safety_rates}
        order = {t: i for i, t in enumerate(CLASS_SAFETY_TERMS)}
        return tuple(sorted(have, key=lambda t: (order.get(t, len(order)), t)))

    def trials_of(self, drug_id: str) -> tuple[str, ...]:
        """Ids of the trials with at least one arm of this drug, in order.

        Every drug's are worked out at once from the columns, the first time one is asked (one pass over the
        arms grouped by drug: 0.1 s at 1,000,000 arms, about what four drugs one by one took): for a loaded
        file on the window's loader worker, which counts every drug's trials for the catalog pane
        (``ui.catalog_index``) before the GUI thread swaps the catalog in."""
        return self._drugs_trials.get(drug_id, ())

    @cached_property
    def _drugs_trials(self) -> dict[str, tuple[str, ...]]:
        columns = self.columns
        return columns.arms.trials_by_drug(columns.trials)

    def find_drug(self, name: str) -> Drug | None:
        """Match a generic name, brand or development code, ignoring case, spaces and hyphens."""
        drug_id = self._name_index.get(normalise_name(name))
        return self.drugs.get(drug_id) if drug_id else None

    def source(self, source_id: str) -> Source | None:
        return self.sources.get(source_id)

    def outcome_ids(self) -> tuple[str, ...]:
        """Outcomes that have at least one result, in a stable, familiar order (standard ones first)."""
        return self._outcome_ids

    def populations(self) -> tuple[str, ...]:
        return self._populations

    def timepoints(self) -> tuple[str, ...]:
        return self._timepoints

    # A catalog is never edited (it is rebuilt when the datasets change), so what it offers is worked out
    # once: the window checks every click against it, a scan of 200,000 results each time otherwise.
    @cached_property
    def _outcome_ids(self) -> tuple[str, ...]:
        present = self.columns.results.endpoint_counts()  # read from the codes, as every set below
        standard = [o.id for o in STANDARD_OUTCOMES if o.id in present]
        return (*standard, *sorted(present.keys() - set(standard)))

    @cached_property
    def _populations(self) -> tuple[str, ...]:
        return tuple(sorted(p for p in self.columns.trials.populations if p))

    @cached_property
    def _timepoints(self) -> tuple[str, ...]:
        return tuple(sorted(t for t in self.columns.results.timepoint_counts() if t))

    def summary(self) -> str:
        """The status-bar line: what is loaded, in numbers."""
        return (
            f"{len(self.drugs)} drugs · {len(self.trials)} trials · {len(self.arms)} arms · "
            f"{len(self.results)} results · {len(self.datasets)} dataset"
            f"{'s' if len(self.datasets) != 1 else ''}"
        )


def normalise_name(name: str) -> str:
    """'ABT-494', 'abt 494' and 'ABT494' are one code."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())

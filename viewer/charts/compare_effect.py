"""Which effect the compare view shows for each drug: one stated rule, never the best of all.

A league table of each drug's best figure across trials, populations and timepoints flatters every drug
differently. The compare view instead shows, for each drug, the placebo-adjusted effect chosen by a rule
that is the same for every drug and named in the row:

1. **Like with like where possible.** Among the placebo-controlled comparisons of the ticked drugs at an
   approved daily dose, the (population, timepoint) pair reported for the most drugs is chosen (ties: the
   more patients, then the name), restricted to the query's population and timepoint when it names them.
   Every drug with a figure there shows its largest trial's figure there (a phase 3 trial first).
2. **Otherwise the largest phase 3 trial at its primary timepoint** (the issue's "primary endpoint of the
   largest phase 3 trial", read for the row's outcome): a drug with no figure in that pair shows
   the figure of its largest phase 3 trial (by randomised patients) at the trial's primary timepoint (or the
   earliest reported), and the cell says it follows this fallback.

Within the chosen trial the arm at the drug's approved dose (:func:`viewer.domain.approved_dose.approved_dose`:
the highest daily dose its monograph states) is preferred. Every other candidate at an approved dose, and
every figure at other doses, is kept, so the view can list them one click away.

Adverse events follow the same rule (a rate needs no placebo to be shown; its difference does).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from viewer.charts.common import select, timepoint_weeks
from viewer.charts.query import Query
from viewer.domain.approved_dose import approved_dose
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.model import Drug, Trial

__all__ = ["RULE_TEXT", "Choice", "ChosenEffect", "EffectChoice", "choose_effects"]

RULE_TEXT = (
    "Rule: at an approved dose, the same population and timepoint for as many drugs as possible (its largest "
    "trial); otherwise the drug's largest phase 3 trial at its primary timepoint. Never the best of all figures."
)


class Choice(StrEnum):
    """Why a drug's figure was chosen."""

    SHARED = "shared"  # the population and timepoint the drugs share
    LARGEST_PHASE3 = "largest phase 3"  # the fallback: the largest phase 3 trial at its primary timepoint
    NONE = "none"  # no placebo-controlled figure at an approved dose


@dataclass(frozen=True, slots=True)
class ChosenEffect:
    """One drug's figure under the rule, why it was chosen, and the other candidates it was chosen from."""

    drug_id: str
    choice: Choice
    shown: Comparison | None
    candidates: tuple[Comparison, ...]  # every figure at an approved dose, the one shown included
    other_doses: tuple[Comparison, ...] = ()  # figures at doses the monograph does not approve

    @property
    def others(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.candidates if c is not self.shown)


@dataclass(frozen=True, slots=True)
class EffectChoice:
    """The rule's outcome for one efficacy outcome: the shared pair (if any) and each drug's figure."""

    outcome: str  # the efficacy outcome or adverse-event term
    population: str  # the shared pair ("" when no pair is shared by two drugs or more)
    timepoint: str
    effects: tuple[ChosenEffect, ...]

    @property
    def shared(self) -> bool:
        return bool(self.population or self.timepoint)

    def of(self, drug_id: str) -> ChosenEffect:
        return next(e for e in self.effects if e.drug_id == drug_id)


def _standard_mg(drug: Drug) -> float | None:
    dose = approved_dose(drug)
    return dose.daily_mg if dose is not None else None


def _is_phase3(trial: Trial) -> bool:
    return "3" in trial.phase.replace(" ", "").split("/")


def _size(trial: Trial) -> int:
    return trial.randomised_n or 0


def _pick(drug: Drug, comparisons: list[Comparison]) -> Comparison:
    """The largest trial's figure (phase 3 first), at the standard dose where it has one, its largest arm."""
    standard = _standard_mg(drug)

    def key(c: Comparison) -> tuple[bool, int, bool, int, str]:
        t = c.treated
        return (
            _is_phase3(t.trial),
            _size(t.trial),
            t.arm.daily_dose_mg == standard,
            t.arm.n or 0,
            t.arm.label,
        )

    best_trial = max(comparisons, key=key).treated.trial.id
    in_trial = [c for c in comparisons if c.treated.trial.id == best_trial]
    return max(in_trial, key=lambda c: (c.treated.arm.daily_dose_mg == standard, c.treated.arm.n or 0))


def _fallback(drug: Drug, candidates: list[Comparison]) -> Comparison | None:
    """The largest phase 3 trial (any trial when none is phase 3) at its primary timepoint."""
    if not candidates:
        return None
    phase3 = [c for c in candidates if _is_phase3(c.treated.trial)] or candidates
    trial = max(phase3, key=lambda c: (_size(c.treated.trial), c.treated.trial.name)).treated.trial
    mine = [c for c in phase3 if c.treated.trial.id == trial.id]
    primary = [c for c in mine if c.treated.timepoint == trial.primary_timepoint]
    if not primary:  # no primary timepoint stated or reported: the earliest one reported
        first = min(mine, key=lambda c: (timepoint_weeks(c.treated.timepoint), c.treated.timepoint))
        primary = [c for c in mine if c.treated.timepoint == first.treated.timepoint]
    return _pick(drug, primary)


def choose_effects(
    catalog: Catalog, query: Query, endpoint: str, drugs: list[Drug], *, adverse: bool = False
) -> EffectChoice:
    """Each drug's figure for ``endpoint`` under the module's rule: an efficacy outcome's placebo-adjusted
    risk difference, or (``adverse``) an adverse-event term's rate with its trial's placebo where it has one."""
    q = query.with_(drugs=tuple(d.id for d in drugs), timepoint="", population="", trials=())
    q = q.with_(ae_term=endpoint) if adverse else q.with_(outcome=endpoint, adjusted=True)
    comparisons = select(catalog, q, adverse=adverse).comparisons
    candidates: dict[str, list[Comparison]] = {}
    elsewhere: dict[str, tuple[Comparison, ...]] = {}
    for drug in drugs:
        approved = {f.daily_mg for f in drug.approved_doses if f.daily_mg is not None}
        mine = [
            c
            for c in comparisons
            if c.treated.arm.drug_id == drug.id and (c.treated.proportion is not None if adverse else c.rd is not None)
        ]
        candidates[drug.id] = [c for c in mine if c.treated.arm.daily_dose_mg in approved]
        elsewhere[drug.id] = tuple(c for c in mine if c.treated.arm.daily_dose_mg not in approved)
    population, timepoint = _shared_pair(candidates, query)
    effects = []
    for drug in drugs:
        mine = candidates[drug.id]
        there = [c for c in mine if (c.treated.trial.population, c.treated.timepoint) == (population, timepoint)]
        if there and population + timepoint:
            effects.append(ChosenEffect(drug.id, Choice.SHARED, _pick(drug, there), tuple(mine), elsewhere[drug.id]))
            continue
        shown = _fallback(drug, mine)
        choice = Choice.LARGEST_PHASE3 if shown is not None else Choice.NONE
        effects.append(ChosenEffect(drug.id, choice, shown, tuple(mine), elsewhere[drug.id]))
    return EffectChoice(endpoint, population, timepoint, tuple(effects))


def _shared_pair(candidates: dict[str, list[Comparison]], query: Query) -> tuple[str, str]:
    """The (population, timepoint) reported for the most drugs (at least two, or the only drug ticked)."""
    drugs_at: Counter[tuple[str, str]] = Counter()
    patients: Counter[tuple[str, str]] = Counter()
    for mine in candidates.values():
        pairs = {(c.treated.trial.population, c.treated.timepoint) for c in mine}
        for pair in pairs:
            if query.population and pair[0] != query.population:
                continue
            if query.timepoint and pair[1] != query.timepoint:
                continue
            drugs_at[pair] += 1
        for c in mine:
            patients[(c.treated.trial.population, c.treated.timepoint)] += c.treated.n or 0
    if not drugs_at:
        return "", ""
    needed = 2 if len(candidates) > 1 else 1
    pair = max(drugs_at, key=lambda p: (drugs_at[p], patients[p], p))
    return pair if drugs_at[pair] >= needed else ("", "")

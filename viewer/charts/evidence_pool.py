"""Which trials an across-trial analysis may combine, and the caveats that travel with it.

Randomisation protects a comparison only inside a trial; an analysis across trials also assumes the
trials are alike in what modifies the effect. Population (MTX-IR, TNF-IR, MTX-naive ...) is the strongest
such modifier in rheumatoid arthritis, so by default trials of different populations are not combined:
the analysis is refused with the populations named, and the user either picks one population or asks
to combine them (and every output then says that it did). Timepoints are matched the same way: trials
are read at the query's timepoint or their own primary one, and those more than two weeks from the most
common timepoint are left out with the reason.

Network nodes are a drug at one dose and regimen ("tofacitinib 5 mg BID") or placebo; several placebo
arms of one trial are pooled (as for the forest plot) and so are arms of one trial at the same node.
Active comparators (adalimumab, methotrexate) are kept as nodes: they are randomised evidence and close
loops that the inconsistency checks need.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from viewer.charts.common import default_timepoint, query_trials, timepoint_weeks
from viewer.charts.query import Query
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Figure, result_figures
from viewer.domain.model import Arm, ArmRole, EvidenceLevel
from viewer.domain.synthesis.effect_sizes import ArmCounts
from viewer.domain.synthesis.network import NetworkTrial

PLACEBO = "placebo"
TIMEPOINT_TOLERANCE_WEEKS = 2.0


@dataclass(frozen=True, slots=True)
class Node:
    """A network node: placebo, a drug at a dose and regimen, or an active comparator."""

    name: str
    drug_id: str
    role: ArmRole
    daily_dose_mg: float | None
    approved: bool  # a daily dose one of the drug's approvals names


@dataclass(frozen=True, slots=True)
class EvidencePool:
    """The trials an analysis uses, what it left out and why, and the caveats every output must carry.

    ``refused`` is non-empty when the analysis must not be run as asked (populations differ).
    """

    trials: tuple[NetworkTrial, ...]
    figures: tuple[Figure, ...]  # the arms used, for sources and tooltips
    populations: tuple[str, ...]
    timepoints: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...]  # (trial or arm, reason)
    caveats: tuple[str, ...]
    refused: str = ""
    nodes: tuple[Node, ...] = ()  # placebo, then the query's drugs in order and by dose, then comparators

    @property
    def ok(self) -> bool:
        return not self.refused and bool(self.trials)


def node_name(catalog: Catalog, arm: Arm) -> str:
    """'placebo', or the drug with its dose and regimen: 'tofacitinib 5 mg BID'."""
    if arm.role is ArmRole.PLACEBO:
        return PLACEBO
    drug = catalog.drugs.get(arm.drug_id)
    name = drug.name if drug else (arm.drug_id or arm.label).capitalize()
    if arm.dose is None:
        return name
    return " ".join(p for p in (name, f"{arm.dose:g}", arm.unit, arm.frequency.upper()) if p)


def gather(
    catalog: Catalog, query: Query, *, combine_populations: bool = False, comparators: bool = True
) -> EvidencePool:
    """Arms with counts of the query's drugs (placebo and, by default, active comparators) in their trials."""
    drugs, trial_ids = query_trials(catalog, query)
    excluded: list[tuple[str, str]] = []
    chosen: dict[str, list[Figure]] = {}
    for t in trial_ids:
        mine = [r for r in catalog.results_of(t) if r.outcome_id == query.outcome]
        wanted = query.timepoint or default_timepoint(catalog.trials[t].primary_timepoint, mine)
        figures = [
            f for f in result_figures(catalog, [r for r in mine if r.timepoint == wanted])
            if f.arm.randomised and (f.arm.role is not ArmRole.DRUG or f.arm.drug_id in drugs)
            and (comparators or f.arm.role is not ArmRole.ACTIVE)
        ]  # fmt: skip
        if query.verified_only:
            figures = [f for f in figures if f.level is EvidenceLevel.VERIFIED]
        for f in figures:
            if not f.has_counts:
                excluded.append((f"{f.trial.name}: {f.arm.label}", "counts not reported (no n)"))
        figures = [f for f in figures if f.has_counts]
        if len({node_name(catalog, f.arm) for f in figures}) < 2:
            if mine:
                excluded.append((catalog.trials[t].name, "fewer than two arms with counts at this outcome"))
            continue
        chosen[t] = figures
    chosen, late = _match_timepoints(chosen)
    excluded += late
    populations = tuple(sorted({catalog.trials[t].population or "not stated" for t in chosen}))
    timepoints = tuple(sorted({f.timepoint for fs in chosen.values() for f in fs}, key=timepoint_weeks))
    figures_used = tuple(f for fs in chosen.values() for f in fs)
    caveats = _caveats(catalog, chosen, populations, timepoints, combine_populations)
    refused = ""
    if len(populations) > 1 and not combine_populations:
        counts = Counter(catalog.trials[t].population or "not stated" for t in chosen)
        listed = ", ".join(f"{p} ({counts[p]} trial{'s' if counts[p] > 1 else ''})" for p in populations)
        refused = (
            f"Not combined: the trials are in different populations ({listed}). Choose one population, "
            "or allow combining populations (--combine-populations on the command line); the result then says so."
        )
    if not chosen and not refused:
        refused = "No trial has two arms with counts for this selection."
    trials = tuple(_network_trial(catalog, t, fs) for t, fs in chosen.items())
    nodes = _nodes(catalog, figures_used, drugs)
    return EvidencePool(trials, figures_used, populations, timepoints, tuple(excluded), caveats, refused, nodes)


def _nodes(catalog: Catalog, figures: tuple[Figure, ...], drugs: tuple[str, ...]) -> tuple[Node, ...]:
    found: dict[str, Node] = {}
    for f in figures:
        name = node_name(catalog, f.arm)
        drug = catalog.drugs.get(f.arm.drug_id)
        approved = drug is not None and any(
            fact.daily_mg is not None and fact.daily_mg == f.arm.daily_dose_mg for fact in drug.approved_doses
        )
        found.setdefault(name, Node(name, f.arm.drug_id, f.arm.role, f.arm.daily_dose_mg, approved))
    rank = {ArmRole.PLACEBO: 0, ArmRole.DRUG: 1, ArmRole.ACTIVE: 2}

    def key(n: Node) -> tuple[int, int, float, str]:
        order = drugs.index(n.drug_id) if n.drug_id in drugs else len(drugs)
        dose = n.daily_dose_mg if n.daily_dose_mg is not None else float("inf")
        return rank[n.role], order, dose, n.name

    return tuple(sorted(found.values(), key=key))


def _match_timepoints(chosen: dict[str, list[Figure]]) -> tuple[dict[str, list[Figure]], list[tuple[str, str]]]:
    """Keep trials read within two weeks of the most common timepoint (ties: the earliest)."""
    weeks = {t: timepoint_weeks(fs[0].timepoint) for t, fs in chosen.items()}
    if not weeks:
        return chosen, []
    common = Counter(weeks.values())
    anchor = min(common, key=lambda w: (-common[w], w))
    anchor_name = next(fs[0].timepoint for t, fs in chosen.items() if weeks[t] == anchor)

    def near(t: str) -> bool:
        # a timepoint that names no weeks ('end of treatment') is near only the same words
        if math.isinf(anchor) or math.isinf(weeks[t]):
            return chosen[t][0].timepoint == anchor_name
        return abs(weeks[t] - anchor) <= TIMEPOINT_TOLERANCE_WEEKS

    kept = {t: fs for t, fs in chosen.items() if near(t)}
    late = [
        (fs[0].trial.name, f"read at {fs[0].timepoint}, not near {anchor_name}; choose that timepoint to use it")
        for t, fs in chosen.items() if t not in kept
    ]  # fmt: skip
    return kept, late


def _network_trial(catalog: Catalog, trial_id: str, figures: list[Figure]) -> NetworkTrial:
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in figures:
        entry = merged[node_name(catalog, f.arm)]
        entry[0] += f.count or 0
        entry[1] += f.n or 0
    arms = tuple(ArmCounts(name, x, n) for name, (x, n) in merged.items())
    return NetworkTrial(trial_id, arms, catalog.trials[trial_id].population)


def _caveats(
    catalog: Catalog,
    chosen: dict[str, list[Figure]],
    populations: tuple[str, ...],
    timepoints: tuple[str, ...],
    combined: bool,
) -> tuple[str, ...]:
    out = [
        "Across trials: each trial's arms are compared within the trial; the synthesis assumes the trials "
        "are alike in what modifies the effect, which randomisation does not ensure."
    ]
    if len(populations) > 1 and combined:
        out.append("Populations combined at the user's request: " + ", ".join(populations) + ".")
    elif populations:
        out.append("Population: " + ", ".join(populations) + ".")
    if len(timepoints) > 1:
        out.append("Timepoints combined: " + ", ".join(timepoints) + ".")
    merged = [
        catalog.trials[t].name for t, fs in chosen.items()
        if len({node_name(catalog, f.arm) for f in fs}) < len(fs)
    ]  # fmt: skip
    if merged:
        out.append("Arms at the same node pooled within a trial (several placebo groups): " + ", ".join(merged) + ".")
    if any(f.level is not EvidenceLevel.VERIFIED for fs in chosen.values() for f in fs):
        out.append("Some counts are secondary or unverified (see the sources).")
    return tuple(out)

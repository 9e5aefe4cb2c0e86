"""Each treated arm against the placebo of its own trial, never across trials.

Randomisation protects a comparison only inside one trial, so an effect is computed against that trial's
placebo arm at the same outcome and timepoint, or reported as missing with the reason. Efficacy results
and adverse events share this path (for adverse events the number needed is an NNH).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from viewer.domain.catalog import Catalog
from viewer.domain.measures import DiffCI, Effect, RateCI, RatioCI
from viewer.domain.model import AdverseEvent, Arm, ArmRole, EvidenceLevel, Result, Trial
from viewer.domain.stats import (
    NNT,
    Estimate,
    FloatArray,
    binary_effects,
    number_needed,
    rate,
    wilson_arrays,
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A binary figure of one arm (a Result or an AdverseEvent) in one shape, with its provenance."""

    trial: Trial
    arm: Arm
    endpoint: str  # outcome id or adverse-event term
    timepoint: str
    count: int | None
    n: int | None
    percent: float | None
    derived: bool
    level: EvidenceLevel
    source_id: str
    note: str
    provenance: str
    count_note: str = ""  # the percentage fits no whole count, or several (stats.count_from_percent)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Which figure this is: (trial id, arm id, endpoint, timepoint); a chart's point and CSV row share it."""
        return (self.trial.id, self.arm.id, self.endpoint, self.timepoint)

    @property
    def has_counts(self) -> bool:
        return self.count is not None and self.n is not None and self.n > 0

    @property
    def proportion(self) -> float | None:
        if self.has_counts:
            assert self.count is not None and self.n is not None
            return self.count / self.n
        return self.percent / 100.0 if self.percent is not None else None


@dataclass(frozen=True, slots=True)
class Comparison:
    """One treated arm, its rate, and its effect against the placebo it was compared with.

    ``placebo_label`` names the placebo used ("Placebo", or "pooled: A + B" when a trial has several);
    ``reason`` says why an effect is missing (no placebo arm, no counts).
    """

    treated: Figure
    rate: Estimate | None
    placebo: Figure | None
    placebo_rate: Estimate | None
    placebo_label: str
    rd: Estimate | None
    rr: Estimate | None
    odds: Estimate | None
    nnt: NNT | None
    reason: str

    @property
    def level(self) -> EvidenceLevel:
        """The weakest evidence level among the numbers this comparison rests on."""
        levels = [self.treated.level] + ([self.placebo.level] if self.placebo else [])
        return EvidenceLevel.weakest(levels)

    def effect(self, measure: Effect) -> Estimate | None:
        """The estimate of one effect measure, or None when it is missing (see ``reason``)."""
        if measure is Effect.RD:
            return self.rd
        return self.rr if measure is Effect.RR else self.odds


def result_figures(catalog: Catalog, results: Iterable[Result]) -> list[Figure]:
    out = []
    for r in results:
        arm, trial = catalog.arms.get(r.arm_id), catalog.trials.get(r.trial_id)
        if arm is None or trial is None:
            continue
        out.append(
            Figure(trial, arm, r.outcome_id, r.timepoint, r.responders, r.n, r.percent, r.derived,
                   r.level, r.source_id, r.note, r.provenance, r.count_note)
        )  # fmt: skip
    return out


def adverse_figures(catalog: Catalog, events: Iterable[AdverseEvent]) -> list[Figure]:
    out = []
    for e in events:
        arm, trial = catalog.arms.get(e.arm_id), catalog.trials.get(e.trial_id)
        if arm is None or trial is None:
            continue
        out.append(
            Figure(trial, arm, e.term, e.timepoint, e.affected, e.at_risk, e.percent, e.derived,
                   e.level, e.source_id, e.note, e.provenance)
        )  # fmt: skip
    return out


def pooled_placebo(placebos: list[Figure]) -> tuple[Figure | None, str]:
    """One placebo per trial and timepoint: the only one, or several pooled into one group.

    Pooling placebo groups of one trial keeps the randomised comparison (each placebo group was
    randomised against the same arms); the label records that it was done.
    """
    if not placebos:
        return None, ""
    if len(placebos) == 1:
        return placebos[0], placebos[0].arm.label
    label = "pooled: " + " + ".join(p.arm.label for p in placebos)
    if all(p.has_counts for p in placebos):
        count = sum(p.count or 0 for p in placebos)
        n = sum(p.n or 0 for p in placebos)
        percent = 100.0 * count / n
    else:
        count, n, percent = None, None, None
    first = placebos[0]
    level = EvidenceLevel.weakest(p.level for p in placebos)
    pooled = Figure(
        first.trial, first.arm, first.endpoint, first.timepoint, count, n, percent,
        any(p.derived for p in placebos), level, first.source_id, label,
        "; ".join(p.provenance for p in placebos if p.provenance),
    )  # fmt: skip
    return pooled, label


def compare(
    figures: Iterable[Figure],
    *,
    diff_method: DiffCI = DiffCI.NEWCOMBE,
    rate_method: RateCI = RateCI.WILSON,
    harm: bool = False,
) -> list[Comparison]:
    """Every non-placebo figure against its trial's placebo at the same endpoint and timepoint.

    The statistics run once over arrays of all pairs (numpy), not once per arm: a chart's redraw and a
    100,000-arm export both pay a few vector operations instead of thousands of scalar calls.
    """
    diff_method, rate_method = DiffCI(diff_method), RateCI(rate_method)  # a caller may pass the value
    groups: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for f in figures:
        if f.arm.randomised:  # open-label and switch groups are outside the randomised comparison
            groups[(f.trial.id, f.endpoint, f.timepoint)].append(f)
    pairs: list[tuple[Figure, Figure | None, str]] = []
    for members in groups.values():
        placebo, label = pooled_placebo([f for f in members if f.arm.role is ArmRole.PLACEBO])
        pairs += [(f, placebo, label) for f in members if f.arm.role is not ArmRole.PLACEBO]
    rates = _rates([f for pair in pairs for f in pair[:2] if f is not None], rate_method)
    both = {i: (f, p) for i, (f, p, _) in enumerate(pairs) if f.has_counts and p is not None and p.has_counts}
    by_pair = dict(zip(both, _effects(list(both.values()), diff_method), strict=True))
    out: list[Comparison] = []
    for i, (f, placebo, label) in enumerate(pairs):
        own, placebo_rate = rates.get(id(f)), rates.get(id(placebo))
        if placebo is None:
            out.append(Comparison(f, own, None, None, "", None, None, None, None, "no placebo arm in this trial"))
        elif i not in by_pair:
            reason = no_counts_reason(own)
            out.append(Comparison(f, own, placebo, placebo_rate, label, None, None, None, None, reason))
        else:
            rd, rr, odds = by_pair[i]
            nnt = number_needed(rd, harm=harm)
            out.append(Comparison(f, own, placebo, placebo_rate, label, rd, rr, odds, nnt, ""))
    return out


def no_counts_reason(treated_rate: Estimate | None) -> str:
    """Why a pair has no effect although both arms are there: which side reported no counts."""
    missing = "the treated arm" if treated_rate is None else "the placebo arm"
    return f"counts not reported for {missing} (no n)"


def _rates(figures: list[Figure], method: RateCI) -> dict[int, Estimate]:
    """Rate estimates keyed by figure identity (a pooled placebo is a fresh Figure per group)."""
    counted = list({id(f): f for f in figures if f.has_counts}.values())
    if not counted:
        return {}
    x = np.array([f.count for f in counted], dtype=np.float64)
    n = np.array([f.n for f in counted], dtype=np.float64)
    if method is RateCI.WILSON:
        low, high = wilson_arrays(x, n)
        return {
            id(f): Estimate(float(x[k] / n[k]), float(low[k]), float(high[k]), method) for k, f in enumerate(counted)
        }
    return {id(f): rate(int(f.count or 0), int(f.n or 1), method) for f in counted}


def _effects(pairs: list[tuple[Figure, Figure]], diff_method: DiffCI) -> list[tuple[Estimate, Estimate, Estimate]]:
    if not pairs:
        return []
    x1 = np.array([f.count for f, _ in pairs], dtype=np.float64)
    n1 = np.array([f.n for f, _ in pairs], dtype=np.float64)
    x2 = np.array([p.count for _, p in pairs], dtype=np.float64)
    n2 = np.array([p.n for _, p in pairs], dtype=np.float64)
    rd, rr, odds, corrected = binary_effects(x1, n1, x2, n2, diff_method)
    out = []
    for k in range(len(pairs)):
        fixed = bool(corrected[k])
        out.append(
            (
                Estimate(float(rd[0][k]), float(rd[1][k]), float(rd[2][k]), diff_method),
                _ratio(rr, k, RatioCI.KATZ_LOG, fixed),
                _ratio(odds, k, RatioCI.WOOLF, fixed),
            )
        )
    return out


def _ratio(arrays: tuple[FloatArray, FloatArray, FloatArray], k: int, method: RatioCI, corrected: bool) -> Estimate:
    value, low, high = (float(a[k]) for a in arrays)
    return Estimate(value, low, high, method, corrected and not math.isnan(value))

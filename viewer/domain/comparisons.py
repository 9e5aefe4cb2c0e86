"""Each treated arm against the placebo of its own trial, never across trials.

Randomisation protects a comparison only inside one trial, so an effect is computed against that trial's
placebo arm at the same outcome and timepoint, or reported as missing with the reason. Efficacy results
and adverse events share this path (for adverse events the number needed is an NNH).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from viewer.domain.catalog import Catalog
from viewer.domain.model import AdverseEvent, Arm, ArmRole, EvidenceLevel, Result, Trial
from viewer.domain.stats import NNT, Estimate, number_needed, odds_ratio, rate, risk_difference, risk_ratio

_STRENGTH = {EvidenceLevel.VERIFIED: 2, EvidenceLevel.SECONDARY: 1, EvidenceLevel.UNVERIFIED: 0}


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
        return min(levels, key=_STRENGTH.__getitem__)


def result_figures(catalog: Catalog, results: Iterable[Result]) -> list[Figure]:
    out = []
    for r in results:
        arm, trial = catalog.arms.get(r.arm_id), catalog.trials.get(r.trial_id)
        if arm is None or trial is None:
            continue
        out.append(
            Figure(trial, arm, r.outcome_id, r.timepoint, r.responders, r.n, r.percent, r.derived,
                   r.level, r.source_id, r.note, r.provenance)
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
    level = min((p.level for p in placebos), key=_STRENGTH.__getitem__)
    pooled = Figure(
        first.trial, first.arm, first.endpoint, first.timepoint, count, n, percent,
        any(p.derived for p in placebos), level, first.source_id, label,
        "; ".join(p.provenance for p in placebos if p.provenance),
    )  # fmt: skip
    return pooled, label


def compare(
    figures: Iterable[Figure],
    *,
    diff_method: str = "newcombe",
    rate_method: str = "wilson",
    harm: bool = False,
) -> list[Comparison]:
    """Every non-placebo figure against its trial's placebo at the same endpoint and timepoint."""
    groups: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for f in figures:
        if f.arm.randomised:  # open-label and switch groups are outside the randomised comparison
            groups[(f.trial.id, f.endpoint, f.timepoint)].append(f)
    out: list[Comparison] = []
    for members in groups.values():
        placebo, label = pooled_placebo([f for f in members if f.arm.role is ArmRole.PLACEBO])
        placebo_rate = _rate(placebo, rate_method)
        for f in members:
            if f.arm.role is ArmRole.PLACEBO:
                continue
            out.append(_compare_one(f, placebo, placebo_rate, label, diff_method, rate_method, harm))
    return out


def _rate(figure: Figure | None, method: str) -> Estimate | None:
    if figure is None or not figure.has_counts:
        return None
    assert figure.count is not None and figure.n is not None
    return rate(figure.count, figure.n, method)


def _compare_one(
    f: Figure,
    placebo: Figure | None,
    placebo_rate: Estimate | None,
    placebo_label: str,
    diff_method: str,
    rate_method: str,
    harm: bool,
) -> Comparison:
    own = _rate(f, rate_method)
    if placebo is None:
        return Comparison(f, own, None, None, "", None, None, None, None, "no placebo arm in this trial")
    if own is None or placebo_rate is None:
        missing = "this arm" if own is None else "the placebo arm"
        reason = f"counts not reported for {missing} (no n)"
        return Comparison(f, own, placebo, placebo_rate, placebo_label, None, None, None, None, reason)
    assert f.count is not None and f.n is not None and placebo.count is not None and placebo.n is not None
    x1, n1, x2, n2 = f.count, f.n, placebo.count, placebo.n
    rd = risk_difference(x1, n1, x2, n2, diff_method)
    return Comparison(
        treated=f,
        rate=own,
        placebo=placebo,
        placebo_rate=placebo_rate,
        placebo_label=placebo_label,
        rd=rd,
        rr=risk_ratio(x1, n1, x2, n2),
        odds=odds_ratio(x1, n1, x2, n2),
        nnt=number_needed(rd, harm=harm),
        reason="",
    )

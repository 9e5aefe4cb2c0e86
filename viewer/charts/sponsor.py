"""Sponsor-posted analyses beside the app's own crude recomputation, never in place of it.

A registry's odds ratio is often covariate-adjusted (logistic regression, CMH); that is not an error, but
it must not pass for the crude ratio. Each posted analysis is matched to the crude estimate of the same
measure for the same arms, labelled, and flagged when the two disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.measures import Effect
from viewer.domain.model import SponsorAnalysis
from viewer.domain.stats import Estimate

AGREEMENT = 0.05  # relative difference of point estimates still called agreement (rounding of posted values)
Key = tuple[str, str, str, str]  # trial, treated arm, endpoint, timepoint


class Agreement(StrEnum):
    """How a posted analysis compares with the app's own estimate; the value is the CSV's
    ``sponsor_agrees_with_crude`` cell and ``verdict`` the words of the tooltip."""

    verdict: str

    def __new__(cls, value: str, verdict: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.verdict = verdict
        return member

    AGREES = ("yes", "agrees with")
    DIFFERS = ("no", "DIFFERS from")
    NOT_COMPARED = ("", "")  # not a binary effect, or no crude estimate or posted value to compare


@dataclass(frozen=True, slots=True)
class SponsorCheck:
    analysis: SponsorAnalysis
    measure: Effect | None  # None when the posted parameter is not a binary effect
    crude: Estimate | None
    agreement: Agreement

    def text(self) -> str:
        a = self.analysis
        ci = (
            f", {a.ci_percent:g}% CI {a.ci_low:g} to {a.ci_high:g}"
            if _numbers(a.ci_percent, a.ci_low, a.ci_high)
            else ""
        )
        value = f"{a.value:g}" if a.value is not None else "not posted"
        method = f"; {a.method}" if a.method else ""
        p = f"; p {a.p_value}" if a.p_value else ""
        line = f"Sponsor-posted {a.param_type}: {value}{ci}{method}{p} (may be covariate-adjusted)"
        if self.crude is not None and self.measure is not None and self.agreement is not Agreement.NOT_COMPARED:
            kind = "continuity-corrected (0.5 added to each cell)" if self.crude.corrected else "crude"
            line += (
                f"\n  {self.agreement.verdict} the app's {kind} {self.measure.label.lower()}: {self.crude.value:.4g} "
                f"(95% CI {self.crude.low:.4g} to {self.crude.high:.4g})"
            )
        return line


def _numbers(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def measure_of(param_type: str) -> Effect | None:
    """The effect measure a registry's parameter type names ("Odds Ratio (OR)", "Risk Difference (RD)")."""
    text = param_type.casefold()
    if "odds" in text:
        return Effect.OR
    if "risk ratio" in text or "relative risk" in text or "rate ratio" in text:
        return Effect.RR
    if "risk difference" in text or "difference in proportion" in text or "difference in percent" in text:
        return Effect.RD
    return None


def _agrees(posted: float, crude: float, measure: Effect) -> bool:
    if measure is Effect.RD:
        posted = posted / 100 if abs(posted) > 1 else posted  # registries often post percentage points
        return abs(posted - crude) <= max(AGREEMENT * abs(crude), 0.005)
    if posted <= 0 or crude <= 0:
        return False
    return abs(math.log(posted / crude)) <= math.log1p(AGREEMENT)


def sponsor_checks(catalog: Catalog, comparisons: Iterable[Comparison]) -> dict[Key, list[SponsorCheck]]:
    """Posted analyses keyed by the comparison they concern (the non-placebo arm of their groups)."""
    by_key = {c.treated.key: c for c in comparisons}
    out: dict[Key, list[SponsorCheck]] = {}
    for a in catalog.sponsor_analyses:
        for arm_id in a.arm_ids:
            comparison = by_key.get((a.trial_id, arm_id, a.outcome_id, a.timepoint))
            if comparison is None or comparison.placebo is None:
                continue
            if comparison.placebo.arm.id not in a.arm_ids and len(a.arm_ids) > 1:
                continue
            measure = measure_of(a.param_type)
            crude = comparison.effect(measure) if measure is not None else None
            agreement = Agreement.NOT_COMPARED
            if measure is not None and crude is not None and a.value is not None:
                agreement = Agreement.AGREES if _agrees(a.value, crude.value, measure) else Agreement.DIFFERS
            key = (a.trial_id, arm_id, a.outcome_id, a.timepoint)
            out.setdefault(key, []).append(SponsorCheck(a, measure, crude, agreement))
    return out

"""The class safety questions as exposure-adjusted rates: each group against its analysis' comparator.

Integrated safety analyses and labels report serious infections, herpes zoster, MACE, VTE, malignancy
and death per 100 patient-years. A group is compared only with the placebo (else the active comparator)
of the same analysis, and only when both give events and patient-years: then our exact rate interval
(Garwood), rate ratio (exact conditional) and rate difference (Wald) are computed
(``viewer.domain.stats``). Otherwise the printed rate and interval are shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from viewer.domain.model import CLASS_SAFETY_TERMS, ArmRole, SafetyRate
from viewer.domain.stats import Estimate, incidence_rate, rate_difference, rate_ratio

__all__ = ["CLASS_SAFETY_TERMS", "RateComparison", "compare_rates"]


@dataclass(frozen=True, slots=True)
class RateComparison:
    """One group's rate and, when computable, its ratio and difference against the analysis' comparator."""

    rate: SafetyRate
    computed: Estimate | None  # our exact interval from events and patient-years
    comparator: SafetyRate | None
    ratio: Estimate | None
    difference: Estimate | None

    def rate_text(self) -> str:
        """The printed rate with its printed interval (or ours when none was printed)."""
        r = self.rate
        if r.rate is None and self.computed is None:
            return "not reported"
        value = r.rate if r.rate is not None else self.computed.value if self.computed else 0.0
        if r.rate_low is not None and r.rate_high is not None:
            ci = f" ({r.rate_low:g} to {r.rate_high:g})"
        elif self.computed is not None:
            ci = f" (exact {self.computed.low:.2f} to {self.computed.high:.2f})"
        else:
            ci = ""
        events = f", {r.events} event{'' if r.events == 1 else 's'}" if r.events is not None else ""
        return f"{value:g}/100 PY{ci}{events}"


def _person_time(rate: SafetyRate) -> tuple[int, float] | None:
    if rate.events is None or rate.patient_years is None or rate.patient_years <= 0:
        return None
    return rate.events, rate.patient_years


def compare_rates(rates: Iterable[SafetyRate]) -> tuple[RateComparison, ...]:
    """Every rate, with its comparison against placebo (else the active comparator) of its analysis and term."""
    items = list(rates)
    comparators: dict[tuple[str, str], SafetyRate] = {}
    for role in (ArmRole.ACTIVE, ArmRole.PLACEBO):  # placebo wins: it is written last
        for r in items:
            if r.role is role:
                comparators[(r.analysis, r.term)] = r
    out = []
    for r in items:
        mine = _person_time(r)
        computed = incidence_rate(*mine) if mine else None
        comparator = comparators.get((r.analysis, r.term)) if r.role is ArmRole.DRUG else None
        theirs = _person_time(comparator) if comparator is not None else None
        ratio = difference = None
        if mine and theirs:
            ratio = rate_ratio(*mine, *theirs)
            difference = rate_difference(*mine, *theirs)
        out.append(RateComparison(r, computed, comparator, ratio, difference))
    return tuple(out)

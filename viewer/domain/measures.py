"""The statistical vocabulary: what an estimate measures and which method gave its 95% interval.

One definition for every place that names a measure or a method (chart titles and footnotes, tooltips,
the CSV's method columns, the window's menus, the command line): each member carries its stable value
(kept in settings, CLI options and CSV files), the label a reader sees and the citation of the method.
The methods and their reference values are in ``shared/reference/statistics.md``.

A member is looked up by its value as usual (``DiffCI("wald")``); the label and citation arguments of
``__new__`` only build the members, so they have defaults that a lookup never uses.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self, TypeAlias

import numpy as np


class _IntervalMethod(StrEnum):
    """A method for a 95% confidence interval, with the label a reader sees and its citation."""

    label: str
    citation: str

    def __new__(cls, value: str, label: str = "", citation: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.citation = citation
        return member


class RateCI(_IntervalMethod):
    """The interval of one arm's response rate x/n."""

    WILSON = (
        "wilson",
        "Wilson",
        "Wilson EB. Probable inference, the law of succession, and statistical inference. "
        "J Am Stat Assoc 1927;22:209-212 (score interval; Newcombe 1998, Stat Med 17:857, method 3)",
    )
    CLOPPER_PEARSON = (
        "clopper-pearson",
        "Clopper-Pearson",
        "Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of the "
        "binomial. Biometrika 1934;26:404-413 ('exact' interval from beta quantiles)",
    )


class DiffCI(_IntervalMethod):
    """The interval of a risk difference p1 - p2 between an arm and its trial's placebo."""

    NEWCOMBE = (
        "newcombe",
        "Newcombe",
        "Newcombe RG. Interval estimation for the difference between independent proportions: comparison "
        "of eleven methods. Stat Med 1998;17:873-890, method 10 (hybrid score from two Wilson intervals)",
    )
    WALD = (
        "wald",
        "Wald",
        "Newcombe RG. Stat Med 1998;17:873-890, method 1 (simple asymptotic interval, "
        "p1 - p2 +/- z * SE; what most papers print)",
    )


class RatioCI(_IntervalMethod):
    """The interval of a risk ratio or an odds ratio, on the log scale."""

    KATZ_LOG = (
        "katz-log",
        "Katz log",
        "Katz D, Baptista J, Azen SP, Pike MC. Obtaining confidence intervals for the risk ratio in cohort "
        "studies. Biometrics 1978;34:469-474",
    )
    WOOLF = (
        "woolf",
        "Woolf",
        "Woolf B. On estimating the relation between blood group and disease. Ann Hum Genet 1955;19:251-253 "
        "(logit interval)",
    )


class PersonTimeCI(_IntervalMethod):
    """The intervals of events over person-time: a rate, a rate ratio, a rate difference."""

    GARWOOD = (
        "garwood-exact",
        "Garwood exact",
        "Garwood F. Fiducial limits for the Poisson distribution. Biometrika 1936;28:437-442",
    )
    EXACT_CONDITIONAL = (
        "exact-conditional",
        "exact conditional",
        "Breslow NE, Day NE. Statistical Methods in Cancer Research II. IARC 1987, section 2.3 "
        "(Clopper-Pearson limits of the conditional binomial)",
    )
    WALD = (
        "wald-rate",
        "Wald",
        "Rothman KJ, Greenland S, Lash TL. Modern Epidemiology, 3rd ed. 2008, chapter 14 (rate difference +/- z * SE)",
    )


CIMethod: TypeAlias = RateCI | DiffCI | RatioCI | PersonTimeCI
"""Any interval method; what :class:`viewer.domain.stats.Estimate` records."""


class Effect(StrEnum):
    """An effect measure of a treated arm against the placebo of its own trial.

    ``interval`` is the one method a ratio's interval is computed with; a risk difference has a choice
    (:class:`DiffCI`), so it has none here.
    """

    label: str
    interval: RatioCI | None

    def __new__(cls, value: str, label: str = "", interval: RatioCI | None = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.interval = interval
        return member

    RD = "rd", "Risk difference"
    RR = "rr", "Risk ratio", RatioCI.KATZ_LOG
    OR = "or", "Odds ratio", RatioCI.WOOLF

    @property
    def abbreviation(self) -> str:
        """RD, RR or OR."""
        return self.value.upper()

    @property
    def is_ratio(self) -> bool:
        """Ratios are read on a log scale around 1; a difference on a linear scale around 0."""
        return self is not Effect.RD

    @property
    def scale(self) -> str:
        """How the measure is drawn, for axis titles and tooltips."""
        return "log scale" if self.is_ratio else "percentage points"

    @property
    def pooling_scale(self) -> str:
        """What effects are pooled as: differences as they are, ratios as logarithms."""
        return f"log {self.label.lower()}s" if self.is_ratio else f"{self.label.lower()}s"

    def display(self, value: float) -> float:
        """From the scale effects are pooled on to what a reader sees (a ratio rather than its logarithm)."""
        return float(np.exp(value)) if self.is_ratio else value


class NumberNeeded(StrEnum):
    """Which way a number needed (1/RD) counts, with the names of the two sides of an interval that runs
    through infinity (Altman DG. Confidence intervals for the number needed to treat. BMJ 1998;317:1309).

    NNT counts patients treated for one more responder (efficacy outcomes); NNH for one more patient
    with the event (adverse events). ``side`` is Altman's name for this direction's side of such an
    interval (NNTB benefit, NNTH harm); :attr:`other` is the opposite measure.
    """

    label: str
    side: str

    def __new__(cls, value: str, label: str = "", side: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.side = side
        return member

    NNT = ("NNT", "number needed to treat for one more responder", "NNTB")
    NNH = ("NNH", "number needed to treat for one more patient with the event", "NNTH")

    @property
    def other(self) -> NumberNeeded:
        return NumberNeeded.NNH if self is NumberNeeded.NNT else NumberNeeded.NNT

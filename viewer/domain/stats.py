"""Effect measures for binary outcomes: response rates, risk differences, ratios and NNT.

The conventions and reference values are in ``shared/reference/statistics.md``. Each measure has a
vectorised form on numpy arrays (``*_arrays``, used for whole tables and the benchmark of 100,000 arms)
and a scalar form returning an :class:`Estimate`; the scalar form calls the array one, so both agree to
the last bit.

scipy is imported lazily, inside the two functions that need it (Clopper-Pearson, Garwood), and only
``scipy.special``: the beta and chi-square quantiles are the inverse regularised incomplete beta and gamma
functions that ``scipy.stats.beta``/``chi2`` call themselves (the same Boost routines, equal to the last
bit), without ``scipy.stats``, whose import costs several times more and would delay the window's first
paint (the details pane shows safety rates). Importing this module costs numpy only.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from viewer.domain.measures import CIMethod, DiffCI, NumberNeeded, PersonTimeCI, RateCI, RatioCI

Z95: float = 1.959963984540054
"""The 97.5% standard normal quantile, for two-sided 95% intervals."""

FloatArray = npt.NDArray[np.float64]
Triple = tuple[FloatArray, FloatArray, FloatArray]
"""An estimate's value, low and high limits, each over many arms or pairs."""
_M = TypeVar("_M", RateCI, DiffCI)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with its 95% interval and the method that produced it (its label and citation).

    ``corrected`` is True when 0.5 was added to every cell of the 2x2 table because one cell was zero,
    so a reader can tell a continuity-corrected ratio from a crude one.
    """

    value: float
    low: float
    high: float
    method: CIMethod
    corrected: bool = False


# --------------------------------------------------------------------------------------------------
# validation


def _count(value: int, name: str) -> int:
    """An integer count; numpy integers are accepted, floats (a count from a percentage) are not."""
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None


def _scalar_counts(x: int, n: int) -> tuple[int, int]:
    x, n = _count(x, "x"), _count(n, "n")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 <= x <= n:
        raise ValueError(f"x must be between 0 and n = {n}, got {x}")
    return x, n


def _array_counts(x: npt.ArrayLike, n: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Counts as float arrays of one shape; rejects n < 1, x outside 0..n and fractional counts."""
    xa = np.asarray(x, dtype=np.float64)
    na = np.asarray(n, dtype=np.float64)
    xa, na = np.broadcast_arrays(xa, na)
    if not np.all(na >= 1):
        raise ValueError("every n must be at least 1")
    if not np.all((xa >= 0) & (xa <= na)):
        raise ValueError("every x must be between 0 and its n")
    if not (np.all(xa == np.floor(xa)) and np.all(na == np.floor(na))):
        raise ValueError("counts must be whole numbers")
    return xa, na


def _one(x: int, n: int) -> tuple[FloatArray, FloatArray]:
    xs, ns = _scalar_counts(x, n)
    return np.array([xs], dtype=np.float64), np.array([ns], dtype=np.float64)


# --------------------------------------------------------------------------------------------------
# one arm


def _wilson(x: FloatArray, n: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    """Wilson (1927) score interval; the limits at x = 0 and x = n are exactly 0 and 1."""
    p = x / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    low = np.where(x == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(x == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high


def wilson_arrays(x: npt.ArrayLike, n: npt.ArrayLike, z: float = Z95) -> tuple[FloatArray, FloatArray]:
    """Wilson score limits for many arms at once (statsmodels ``proportion_confint(method='wilson')``).

    Wilson rather than Wald because it keeps its coverage for small n and for p near 0 or 1
    (Newcombe 1998, Stat Med 17:857, method 3).
    """
    if not z > 0:
        raise ValueError(f"z must be positive, got {z}")
    xa, na = _array_counts(x, n)
    return _wilson(xa, na, z)


def wilson_interval(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for x responders of n."""
    low, high = wilson_arrays(*_one(x, n), z=z)
    return float(low[0]), float(high[0])


def clopper_pearson_interval(x: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Clopper-Pearson (1934) "exact" interval from beta quantiles, 0 at x = 0 and 1 at x = n.

    Conservative (coverage at least 1 - alpha); offered because some papers print it.
    """
    x, n = _scalar_counts(x, n)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    from scipy.special import betainccinv, betaincinv  # beta.ppf and beta.isf (see the module docstring)

    low = 0.0 if x == 0 else float(betaincinv(x, n - x + 1, alpha / 2))
    high = 1.0 if x == n else float(betainccinv(x + 1, n - x, alpha / 2))
    return low, high


def _method(kind: type[_M], method: str, what: str) -> _M:
    """The member of a method vocabulary, or a ValueError naming the choices (a caller may pass text)."""
    try:
        return kind(method)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise ValueError(f"unknown {what} method {method!r}; use one of {choices}") from None


def rate(x: int, n: int, method: RateCI = RateCI.WILSON) -> Estimate:
    """The response rate x/n with a 95% interval, Wilson by default or Clopper-Pearson."""
    x, n = _scalar_counts(x, n)
    method = _method(RateCI, method, "rate")
    if method is RateCI.WILSON:
        low, high = wilson_interval(x, n)
    else:
        low, high = clopper_pearson_interval(x, n)
    return Estimate(x / n, low, high, method)


# --------------------------------------------------------------------------------------------------
# two arms: treated (x1 of n1) against control (x2 of n2)


def risk_difference_arrays(
    x1: npt.ArrayLike,
    n1: npt.ArrayLike,
    x2: npt.ArrayLike,
    n2: npt.ArrayLike,
    method: DiffCI = DiffCI.NEWCOMBE,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Risk difference p1 - p2 with 95% limits, as (value, low, high) arrays.

    :attr:`DiffCI.NEWCOMBE`: the hybrid score interval built from the two Wilson intervals (Newcombe 1998,
    Stat Med 17:873, method 10; statsmodels ``confint_proportions_2indep(method='newcomb')``).
    :attr:`DiffCI.WALD`: p1 - p2 +/- z * SE, what most papers print; its limits are clipped to [-1, 1], the range
    of a difference of two proportions (statsmodels does not clip, so they differ only there).
    """
    method = _method(DiffCI, method, "risk-difference")
    a1, m1 = _array_counts(x1, n1)
    a2, m2 = _array_counts(x2, n2)
    return _risk_difference(a1, m1, a2, m2, method)


def _risk_difference(
    a1: FloatArray,
    m1: FloatArray,
    a2: FloatArray,
    m2: FloatArray,
    method: DiffCI,
    limits1: tuple[FloatArray, FloatArray] | None = None,
    limits2: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`risk_difference_arrays` on checked counts; ``limits1``/``limits2`` are each side's Wilson
    limits when the caller already has them (the same numbers :func:`_wilson` gives, element by element)."""
    p1 = a1 / m1
    p2 = a2 / m2
    rd = p1 - p2
    if method is DiffCI.WALD:
        se = np.sqrt(p1 * (1.0 - p1) / m1 + p2 * (1.0 - p2) / m2)
        return rd, np.maximum(rd - Z95 * se, -1.0), np.minimum(rd + Z95 * se, 1.0)
    l1, u1 = limits1 if limits1 is not None else _wilson(a1, m1, Z95)
    l2, u2 = limits2 if limits2 is not None else _wilson(a2, m2, Z95)
    low = rd - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = rd + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return rd, low, high


def zero_cell(x1: npt.ArrayLike, n1: npt.ArrayLike, x2: npt.ArrayLike, n2: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Where a 2x2 table has an empty cell (x1, n1 - x1, x2 or n2 - x2 is 0): the ratios add 0.5 there."""
    a1, m1 = _array_counts(x1, n1)
    a2, m2 = _array_counts(x2, n2)
    return _zero_cell(a1, m1, a2, m2)


def _zero_cell(a1: FloatArray, m1: FloatArray, a2: FloatArray, m2: FloatArray) -> npt.NDArray[np.bool_]:
    return np.asarray((a1 == 0) | (a1 == m1) | (a2 == 0) | (a2 == m2), dtype=np.bool_)


def _add_half(
    a1: FloatArray, m1: FloatArray, a2: FloatArray, m2: FloatArray, zero: npt.NDArray[np.bool_] | None = None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Add 0.5 to each of the four cells of a table with a zero cell (``zero``, :func:`_zero_cell` when not
    given): x + 0.5 responders of n + 1. With no zero cell anywhere the counts are returned as they are."""
    zero = _zero_cell(a1, m1, a2, m2) if zero is None else zero
    if not zero.any():
        return a1, m1, a2, m2
    add = np.where(zero, 0.5, 0.0)
    return a1 + add, m1 + 2.0 * add, a2 + add, m2 + 2.0 * add


def _undefined_or(undefined: npt.NDArray[np.bool_], values: FloatArray) -> FloatArray:
    """NaN where a ratio is 0/0 (``undefined``), the values elsewhere."""
    return np.where(undefined, np.nan, values) if undefined.any() else values


def risk_ratio_arrays(
    x1: npt.ArrayLike, n1: npt.ArrayLike, x2: npt.ArrayLike, n2: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Risk ratio p1/p2 with the Katz log interval, as (value, low, high) arrays.

    SE(ln RR) = sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2) (Katz et al. 1978, Biometrics 34:469; statsmodels
    ``method='log'``, not its default 'log-adjusted'). Only a table with a zero cell gets 0.5 added to
    each of its four cells (x + 0.5 of n + 1), as metafor ``escalc(add=1/2, to="only0")``; the value is
    then the corrected ratio. :func:`zero_cell` tells which tables were corrected. With no responder in
    either arm the ratio is 0/0: value and limits are NaN.
    """
    r1, t1 = _array_counts(x1, n1)
    r2, t2 = _array_counts(x2, n2)
    return _ratios(r1, t1, r2, t2, odds=False)[0]


def odds_ratio_arrays(
    x1: npt.ArrayLike, n1: npt.ArrayLike, x2: npt.ArrayLike, n2: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Odds ratio with the Woolf (1955) logit interval, as (value, low, high) arrays.

    SE(ln OR) = sqrt(1/a + 1/b + 1/c + 1/d) (statsmodels ``method='logit'``, not its default
    'logit-adjusted'); 0.5 is added to every cell only of a table with a zero cell. With no responder
    in either arm, or all responding in both, the odds ratio is 0/0: value and limits are NaN.
    """
    r1, t1 = _array_counts(x1, n1)
    r2, t2 = _array_counts(x2, n2)
    return _ratios(r1, t1, r2, t2, risk=False)[1]


def _ratios(
    r1: FloatArray, t1: FloatArray, r2: FloatArray, t2: FloatArray, *, risk: bool = True, odds: bool = True
) -> tuple[Triple, Triple, npt.NDArray[np.bool_]]:
    """The risk ratio (Katz) and odds ratio (Woolf) of checked counts, each (value, low, high), and the
    zero-cell flag: one continuity correction and one pair of proportions serve both ratios. A ratio not
    asked for is three empty arrays."""
    zero = _zero_cell(r1, t1, r2, t2)
    a1, m1, a2, m2 = _add_half(r1, t1, r2, t2, zero)
    p1 = a1 / m1
    p2 = a2 / m2
    none = np.zeros(0)
    rr: Triple = (none, none, none)
    oddsr: Triple = (none, none, none)
    both_none = (r1 == 0) & (r2 == 0)
    if risk:
        ratio = p1 / p2
        half = Z95 * np.sqrt(1.0 / a1 - 1.0 / m1 + 1.0 / a2 - 1.0 / m2)
        log_ratio = np.log(ratio)
        low, high = np.exp(log_ratio - half), np.exp(log_ratio + half)
        rr = (_undefined_or(both_none, ratio), _undefined_or(both_none, low), _undefined_or(both_none, high))
    if odds:
        ratio = p1 / (1.0 - p1) / p2 * (1.0 - p2)
        half = Z95 * np.sqrt(1.0 / a1 + 1.0 / (m1 - a1) + 1.0 / a2 + 1.0 / (m2 - a2))
        log_ratio = np.log(ratio)
        low, high = np.exp(log_ratio - half), np.exp(log_ratio + half)
        undefined = both_none | ((r1 == t1) & (r2 == t2))
        oddsr = (_undefined_or(undefined, ratio), _undefined_or(undefined, low), _undefined_or(undefined, high))
    return rr, oddsr, zero


def binary_effects(
    x1: FloatArray,
    n1: FloatArray,
    x2: FloatArray,
    n2: FloatArray,
    method: DiffCI = DiffCI.NEWCOMBE,
    limits1: tuple[FloatArray, FloatArray] | None = None,
    limits2: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[Triple, Triple, Triple, npt.NDArray[np.bool_]]:
    """Risk difference, risk ratio and odds ratio of many 2x2 tables in one pass, and the zero-cell flag:
    the same numbers as :func:`risk_difference_arrays`, :func:`risk_ratio_arrays`, :func:`odds_ratio_arrays`
    and :func:`zero_cell`, to the last bit, with the counts checked once, the ratios sharing one continuity
    correction, and the Newcombe interval taking each side's Wilson limits (``limits1``, ``limits2``) when
    the caller has already worked them out for the rates it shows.
    """
    method = _method(DiffCI, method, "risk-difference")
    a1, m1 = _array_counts(x1, n1)
    a2, m2 = _array_counts(x2, n2)
    rd = _risk_difference(a1, m1, a2, m2, method, limits1, limits2)
    rr, oddsr, zero = _ratios(a1, m1, a2, m2)
    return rd, rr, oddsr, zero


def _estimate(arrays: tuple[FloatArray, FloatArray, FloatArray], method: CIMethod, corrected: bool = False) -> Estimate:
    value, low, high = arrays
    return Estimate(float(value[0]), float(low[0]), float(high[0]), method, corrected)


def _ratio_estimate(
    arrays: tuple[FloatArray, FloatArray, FloatArray], method: RatioCI, zero: npt.NDArray[np.bool_]
) -> Estimate:
    """An Estimate of a ratio; ``corrected`` only when a value was estimated from corrected cells."""
    estimate = _estimate(arrays, method)
    corrected = bool(zero[0]) and not math.isnan(estimate.value)
    return Estimate(estimate.value, estimate.low, estimate.high, method, corrected)


def risk_difference(x1: int, n1: int, x2: int, n2: int, method: DiffCI = DiffCI.NEWCOMBE) -> Estimate:
    """Placebo-adjusted risk difference p1 - p2; see :func:`risk_difference_arrays`."""
    a1, m1 = _one(x1, n1)
    a2, m2 = _one(x2, n2)
    method = _method(DiffCI, method, "risk-difference")
    return _estimate(risk_difference_arrays(a1, m1, a2, m2, method), method)


def risk_ratio(x1: int, n1: int, x2: int, n2: int) -> Estimate:
    """Risk ratio with the Katz log interval; see :func:`risk_ratio_arrays`."""
    a1, m1 = _one(x1, n1)
    a2, m2 = _one(x2, n2)
    return _ratio_estimate(risk_ratio_arrays(a1, m1, a2, m2), RatioCI.KATZ_LOG, _zero_cell(a1, m1, a2, m2))


def odds_ratio(x1: int, n1: int, x2: int, n2: int) -> Estimate:
    """Odds ratio with the Woolf logit interval; see :func:`odds_ratio_arrays`."""
    a1, m1 = _one(x1, n1)
    a2, m2 = _one(x2, n2)
    return _ratio_estimate(odds_ratio_arrays(a1, m1, a2, m2), RatioCI.WOOLF, _zero_cell(a1, m1, a2, m2))


# --------------------------------------------------------------------------------------------------
# number needed to treat


def _whole(value: float) -> int:
    """Round an NNT up to a whole number (Altman 1998; Cochrane Handbook, chapter 15).

    The value is first rounded to 9 decimals so that 1/0.2 computed as 5.000000000000001 shows as 5.
    """
    return math.ceil(round(abs(value), 9))


@dataclass(frozen=True, slots=True)
class NNT:
    """Number needed to treat (1/RD) with its interval, following Altman (1998, BMJ 317:1309).

    ``value`` is 1/RD, +inf when RD is 0. A positive value is in the direction the label names: one
    extra responder (``measure`` NNT, efficacy outcomes) or one extra affected patient (NNH,
    adverse events). ``low`` = 1/U and ``high`` = 1/L always (the RD limits inverted and swapped). When
    the RD interval excludes 0 that is the interval, low <= high. When it includes 0
    (``through_infinity``) the interval is the two rays |NNT| >= low on the positive side and
    |NNT| >= |high| on the negative side, joined through infinity; then low > 0 > high, and a limit
    of RD exactly 0 gives an infinite end (that side is absent).
    """

    value: float
    low: float
    high: float
    through_infinity: bool
    measure: NumberNeeded

    def text(self) -> str:
        """The NNT as a reader sees it, whole numbers rounded up; exports keep the unrounded fields.

        Finite: ``"NNT 2 (95% CI 2 to 2)"``, or with the other label when RD points the other way
        (efficacy worse on the drug gives ``"NNH ..."``). Through infinity (Altman 1998):
        ``"NNT 10 (95% CI NNTB 6 to ∞ to NNTH 15)"``, first the side RD > 0 then RD < 0; for harm
        outcomes the sides read NNTH then NNTB. An RD of 0 reads ``"NNT ∞"``.
        """
        if math.isnan(self.value) or math.isnan(self.low) or math.isnan(self.high):
            return f"{self.measure} not estimable"
        if math.isinf(self.value):
            point = f"{self.measure} ∞"
        else:
            measure = self.measure if self.value > 0 else self.measure.other
            point = f"{measure} {_whole(self.value)}"
        if not self.through_infinity:
            near, far = sorted((abs(self.low), abs(self.high)))
            return f"{point} (95% CI {_whole(near)} to {_whole(far)})"
        positive, negative = self.measure.side, self.measure.other.side
        parts = []
        if math.isfinite(self.low):
            parts.append(f"{positive} {_whole(self.low)}")
        parts.append("∞")
        if math.isfinite(self.high):
            parts.append(f"{negative} {_whole(self.high)}")
        return f"{point} (95% CI {' to '.join(parts)})"


def _inverse(value: float, sign_of_zero: float) -> float:
    return 1.0 / value if value != 0 else math.copysign(math.inf, sign_of_zero)


def number_needed(rd: Estimate, harm: bool = False) -> NNT:
    """NNT (or NNH for adverse events, ``harm=True``) from a risk difference of drug minus control.

    For efficacy a positive RD is benefit; for an adverse event a positive RD is harm, so the same
    arithmetic gives NNH. The interval inverts and swaps the RD limits, (1/U, 1/L), when 0 is outside
    [L, U]; otherwise it passes through infinity (statistics.md, NNT / NNH).
    """
    label = NumberNeeded.NNH if harm else NumberNeeded.NNT
    if math.isnan(rd.value) or math.isnan(rd.low) or math.isnan(rd.high):
        return NNT(math.nan, math.nan, math.nan, False, label)
    value = _inverse(rd.value, 1.0)
    through = rd.low <= 0.0 <= rd.high
    low = _inverse(rd.high, 1.0)
    high = _inverse(rd.low, -1.0)
    return NNT(value, low, high, through, label)


# --------------------------------------------------------------------------------------------------
# counts from printed percentages


@dataclass(frozen=True, slots=True)
class DerivedCount:
    """A responder count recovered from a printed percentage of n, and whether it fits exactly one count."""

    count: int
    percent: float
    n: int
    fits: bool
    note: str


def _decimals(percent: float) -> int:
    """Decimals shown by the shortest repr of a float, trailing zeros dropped (33.3 -> 1, 33.0 -> 0)."""
    exponent = Decimal(repr(float(percent))).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def count_from_percent(percent: float, n: int, decimals: int | None = None) -> DerivedCount:
    """Recover x from "pct% of n" as round(pct * n / 100), rounding halves up, and check the fit.

    Rounding half up (not Python's round-half-to-even): 2.5 -> 3, 3.5 -> 4. The arithmetic is done
    on the exact decimal value of the percentage (``Fraction(repr(percent))``), so a half is a half.

    A count k fits when 100 * k / n is within half a unit of the last printed decimal of ``percent``
    (both ends included, since sources differ in how they round a tie). ``decimals`` is the number of
    decimals the source printed; without it they are taken from the float's shortest repr, trailing
    zeros dropped (33.3 -> 1, so the tolerance is 0.05 points as in statistics.md; 33.0 -> 0). When no
    k fits, or more than one does, ``fits`` is False and ``note`` says why: the percentage may be
    model-imputed or computed on another n. Raises ValueError for a percentage outside 0..100 or n < 1.
    """
    n = _count(n, "n")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0.0 <= percent <= 100.0:  # also rejects NaN
        raise ValueError(f"a percentage must be between 0 and 100, got {percent}")
    if decimals is None:
        decimals = _decimals(percent)
    elif decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    exact = Fraction(repr(float(percent)))
    expected = exact * n / 100
    count = math.floor(expected + Fraction(1, 2))
    tolerance = Fraction(1, 2 * 10**decimals) * n / 100
    first = max(0, math.ceil(expected - tolerance))
    last = min(n, math.floor(expected + tolerance))
    fitting = last - first + 1
    shown = f"{percent:.{decimals}f}% of {n}"
    if fitting == 1:
        note = ""
    elif fitting < 1:
        nearest = 100 * count / n
        note = f"{shown} fits no whole count (nearest {count}/{n} = {nearest:.{decimals}f}%)"
    else:
        note = f"{shown} fits {fitting} whole counts ({first} to {last}); {count} used"
    return DerivedCount(count, float(percent), n, fitting == 1, note)


# --------------------------------------------------------------------------------------------------
# person-time: events over patient-years (exposure-adjusted incidence rates)

PER_100_PY = 100.0
"""Safety rates are reported per 100 patient-years, as the JAK inhibitor labels and integrated analyses do."""


def _person_time(events: int, person_time: float) -> tuple[int, float]:
    events = _count(events, "events")
    if events < 0:
        raise ValueError(f"events must not be negative, got {events}")
    if not (math.isfinite(person_time) and person_time > 0):
        raise ValueError(f"person-time must be a positive number, got {person_time!r}")
    return events, float(person_time)


def poisson_rate_interval(events: int, person_time: float, alpha: float = 0.05) -> tuple[float, float]:
    """Exact Poisson interval for events / person-time (Garwood 1936, Biometrika 28:437).

    The limits are chi-square quantiles, chi2(alpha/2; 2x) / 2T and chi2(1 - alpha/2; 2x + 2) / 2T (the
    form Ulm 1990, Am J Epidemiol 131:373, gives for a standardised ratio), with lower limit 0 at x = 0.
    Equal to R's ``poisson.test(x, T)`` and statsmodels' ``confint_poisson(method="exact-c")``.
    """
    events, person_time = _person_time(events, person_time)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    from scipy.special import gammainccinv, gammaincinv  # chi2(q; 2k) / 2 is the gamma(k) quantile

    low = 0.0 if events == 0 else float(gammaincinv(events, alpha / 2))
    high = float(gammainccinv(events + 1, alpha / 2))
    return low / person_time, high / person_time


def incidence_rate(events: int, person_time: float, per: float = PER_100_PY) -> Estimate:
    """Events per ``per`` person-years with the exact (Garwood) 95% interval."""
    events, person_time = _person_time(events, person_time)
    low, high = poisson_rate_interval(events, person_time)
    return Estimate(per * events / person_time, per * low, per * high, PersonTimeCI.GARWOOD)


def rate_ratio(x1: int, t1: float, x2: int, t2: float, alpha: float = 0.05) -> Estimate:
    """Incidence rate ratio (x1/t1) / (x2/t2) with the exact conditional interval.

    Given the x1 + x2 events, x1 is binomial with p = t1 R / (t1 R + t2); the Clopper-Pearson limits of p
    are mapped back through R = p t2 / ((1 - p) t1) (Breslow & Day 1987, Statistical Methods in Cancer
    Research II, section 2.3; R's ``poisson.test(c(x1, x2), c(t1, t2))``). Undefined (nan) with no event
    in either group; infinite upper limit (and value) when the comparator has none.
    """
    x1, t1 = _person_time(x1, t1)
    x2, t2 = _person_time(x2, t2)
    if x1 + x2 == 0:
        return Estimate(math.nan, math.nan, math.nan, PersonTimeCI.EXACT_CONDITIONAL)
    p_low, p_high = clopper_pearson_interval(x1, x1 + x2, alpha)

    def back(p: float) -> float:
        return math.inf if p >= 1.0 else p * t2 / ((1.0 - p) * t1)

    value = math.inf if x2 == 0 else (x1 / t1) / (x2 / t2)
    return Estimate(value, back(p_low), back(p_high), PersonTimeCI.EXACT_CONDITIONAL)


def rate_difference(x1: int, t1: float, x2: int, t2: float, per: float = PER_100_PY) -> Estimate:
    """Incidence rate difference per ``per`` person-years with the Wald interval.

    RD = x1/t1 - x2/t2, SE = sqrt(x1/t1^2 + x2/t2^2) (Rothman, Greenland & Lash, Modern Epidemiology,
    3rd ed. 2008, chapter 14); statsmodels' ``confint_poisson_2indep(compare="diff", method="wald")``.
    With no event in either group the SE is 0 and the interval collapses to the point: read it as "no
    events", not as certainty.
    """
    x1, t1 = _person_time(x1, t1)
    x2, t2 = _person_time(x2, t2)
    diff = x1 / t1 - x2 / t2
    half = Z95 * math.sqrt(x1 / t1**2 + x2 / t2**2)
    return Estimate(per * diff, per * (diff - half), per * (diff + half), PersonTimeCI.WALD)

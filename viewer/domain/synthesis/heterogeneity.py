"""Between-trial heterogeneity: tau² estimators, Cochran's Q, I², H² and the Q-profile interval.

- DerSimonian & Laird (1986, Control Clin Trials 7:177): tau² = max(0, (Q - (k - 1)) / (Σw - Σw²/Σw)).
- REML (Viechtbauer 2005, J Educ Behav Stat 30:261): the root of the restricted-likelihood score
  Σ w²(y - μ)² - (Σw - Σw²/Σw) = 0 with w = 1/(v + tau²), truncated at zero as metafor does.
- I² and H² as metafor reports them (Higgins & Thompson 2002, Stat Med 21:1539, eq. 9 generalised):
  I² = tau² / (tau² + s²) with the "typical" within-trial variance s² = (k - 1) Σw / ((Σw)² - Σw²),
  w = 1/v. Under the fixed-effect model, where there is no tau², I² = (Q - (k - 1)) / Q, truncated at 0.
- The 95% interval for tau² is the Q-profile interval (Viechtbauer 2007, Stat Med 26:37): the tau²
  values at which the generalised Q statistic equals the 97.5% and 2.5% quantiles of chi² with k - 1
  degrees of freedom; I² and H² limits follow from it by the same transformation, which is metafor
  ``confint(rma(...))`` (type "QP").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from viewer.domain.synthesis.effect_sizes import FloatArray


@dataclass(frozen=True, slots=True)
class Heterogeneity:
    """Heterogeneity of k trials. Percentages are 0-100; limits are NaN when k < 2 (nothing to say)."""

    q: float
    df: int
    q_p: float
    tau2: float
    tau2_low: float
    tau2_high: float
    i2: float
    i2_low: float
    i2_high: float
    h2: float


def weighted_mean(y: FloatArray, w: FloatArray) -> float:
    return float(np.sum(w * y) / np.sum(w))


def generalised_q(y: FloatArray, v: FloatArray, tau2: float) -> float:
    """Σ w (y - μ̂)² with w = 1/(v + tau²); Cochran's Q at tau² = 0."""
    w = 1.0 / (v + tau2)
    mu = weighted_mean(y, w)
    return float(np.sum(w * (y - mu) ** 2))


def typical_variance(v: FloatArray) -> float:
    """Higgins & Thompson's s², the within-trial variance of a "typical" trial."""
    w = 1.0 / v
    k = len(v)
    return float((k - 1) * np.sum(w) / (np.sum(w) ** 2 - np.sum(w**2)))


def tau2_dl(y: FloatArray, v: FloatArray) -> float:
    w = 1.0 / v
    q = generalised_q(y, v, 0.0)
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, (q - (len(y) - 1)) / c)


def _reml_score(y: FloatArray, v: FloatArray, tau2: float) -> float:
    w = 1.0 / (v + tau2)
    mu = weighted_mean(y, w)
    trace_p = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return float(np.sum(w**2 * (y - mu) ** 2)) - trace_p


def tau2_reml(y: FloatArray, v: FloatArray) -> float:
    """REML tau², solved to machine precision (metafor iterates Fisher scoring to a 1e-5 step)."""
    from scipy.optimize import brentq

    if _reml_score(y, v, 0.0) <= 0.0:
        return 0.0
    high = max(float(np.var(y, ddof=1)), float(np.max(v)), 1e-8)
    while _reml_score(y, v, high) > 0.0:
        high *= 4.0
    return float(brentq(lambda t: _reml_score(y, v, t), 0.0, high, xtol=1e-15, rtol=4 * np.finfo(float).eps))


def _q_root(y: FloatArray, v: FloatArray, target: float) -> float:
    """The tau² at which the generalised Q equals ``target`` (it falls as tau² grows); 0 if already below."""
    from scipy.optimize import brentq

    if generalised_q(y, v, 0.0) <= target:
        return 0.0
    high = max(float(np.var(y, ddof=1)), float(np.max(v)), 1e-8)
    while generalised_q(y, v, high) > target:
        high *= 4.0
    return float(brentq(lambda t: generalised_q(y, v, t) - target, 0.0, high, xtol=1e-15, rtol=4 * np.finfo(float).eps))


def q_profile(y: FloatArray, v: FloatArray, level: float = 0.95) -> tuple[float, float]:
    """The Q-profile interval for tau² (Viechtbauer 2007)."""
    from scipy.stats import chi2

    df = len(y) - 1
    alpha = 1.0 - level
    return _q_root(y, v, float(chi2.isf(alpha / 2, df))), _q_root(y, v, float(chi2.ppf(alpha / 2, df)))


def heterogeneity(y: FloatArray, v: FloatArray, tau2: float, *, fixed: bool) -> Heterogeneity:
    """Q, I², H² and their intervals for k trials whose tau² was estimated as ``tau2``."""
    from scipy.stats import chi2

    k = len(y)
    if k < 2:
        nan = math.nan
        return Heterogeneity(0.0, 0, nan, 0.0, nan, nan, nan, nan, nan, nan)
    q = generalised_q(y, v, 0.0)
    df = k - 1
    s2 = typical_variance(v)
    low, high = q_profile(y, v)

    def i2_of(t: float) -> float:
        return 100.0 * t / (t + s2)

    if fixed:
        i2 = max(0.0, 100.0 * (q - df) / q) if q > 0 else 0.0
        h2 = q / df
    else:
        i2 = i2_of(tau2)
        h2 = (tau2 + s2) / s2
    return Heterogeneity(q, df, float(chi2.sf(q, df)), tau2, low, high, i2, i2_of(low), i2_of(high), h2)

"""Pooling k trials' effects: inverse-variance fixed effect and random effects.

- Fixed effect: μ = Σw y / Σw, SE = 1/sqrt(Σw), w = 1/v (Cochran 1954; Borenstein et al. 2009 ch. 11).
- Random effects: the same with w = 1/(v + tau²), tau² by REML (default) or DerSimonian–Laird
  (:mod:`~viewer.domain.synthesis.heterogeneity`); Wald-type z interval.
- Hartung–Knapp–Sidik–Jonkman (Hartung & Knapp 2001, Stat Med 20:3875; Sidik & Jonkman 2002, Stat Med
  21:3153): SE² = Σw (y - μ)² / ((k - 1) Σw) and a t interval on k - 1 degrees of freedom, not truncated
  (metafor ``test="knha"``).
- Prediction interval for the effect in a new trial (Higgins, Thompson & Spiegelhalter 2009, J R Stat Soc
  A 172:137) as metafor ``predict()`` computes it: μ ± q sqrt(SE² + tau²) with q the normal quantile, or
  the t quantile on k - 1 degrees of freedom under Hartung–Knapp (Higgins et al. suggest k - 2; metafor's
  convention is kept so the numbers can be checked against it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.domain.synthesis.heterogeneity import Heterogeneity, heterogeneity, tau2_dl, tau2_reml, weighted_mean
from viewer.domain.synthesis.options import PoolModel as PoolModel  # re-exported: where pooling is
from viewer.domain.synthesis.options import Tau2Method as Tau2Method

Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class PoolMethod:
    """How to pool: the model, the tau² estimator and whether the Hartung–Knapp adjustment is applied."""

    model: PoolModel = PoolModel.RANDOM
    tau2: Tau2Method = Tau2Method.REML
    hksj: bool = False

    def describe(self) -> str:
        """The method as a footnote and a CSV cell name it."""
        if self.model is PoolModel.FIXED:
            return "fixed effect, inverse variance"
        est = self.tau2.label
        ci = "Hartung–Knapp–Sidik–Jonkman t interval" if self.hksj else "Wald z interval"
        return f"random effects, tau² by {est}, {ci}"


@dataclass(frozen=True, slots=True)
class Pooled:
    """A pooled effect on the pooling scale (log for ratios), with heterogeneity and why it is limited.

    ``reason`` says what an expected situation changed (one trial, tau² at zero, none at all);
    ``estimate`` is NaN only when there was nothing to pool. ``pi_low``/``pi_high`` are NaN when a
    prediction interval does not apply (fixed effect, fewer than two trials).
    """

    method: PoolMethod
    k: int
    estimate: float
    se: float
    low: float
    high: float
    p_value: float
    df: int | None  # degrees of freedom of the t interval (Hartung–Knapp), None for a z interval
    pi_low: float
    pi_high: float
    heterogeneity: Heterogeneity
    weights: tuple[float, ...]  # percent, in input order
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.k > 0


def pool(y: npt.ArrayLike, v: npt.ArrayLike, method: PoolMethod | None = None) -> Pooled:
    """Pool effects ``y`` with sampling variances ``v`` (one value per trial)."""
    from scipy.stats import norm
    from scipy.stats import t as student_t

    method = method or PoolMethod()
    ya = np.asarray(y, dtype=np.float64).ravel()
    va = np.asarray(v, dtype=np.float64).ravel()
    if ya.shape != va.shape:
        raise ValueError("effects and variances must have the same length")
    if not (np.all(np.isfinite(ya)) and np.all(np.isfinite(va)) and np.all(va > 0)):
        raise ValueError("effects must be finite and variances positive")
    k = len(ya)
    nan = math.nan
    if k == 0:
        het = heterogeneity(ya, va, 0.0, fixed=True)
        return Pooled(method, 0, nan, nan, nan, nan, nan, None, nan, nan, het, (), "no trial to pool")
    fixed = method.model is PoolModel.FIXED
    tau2 = 0.0
    reasons = []
    if k == 1:
        reasons.append("one trial: the pooled estimate is that trial's own; heterogeneity cannot be estimated")
    elif not fixed:
        tau2 = tau2_reml(ya, va) if method.tau2 is Tau2Method.REML else tau2_dl(ya, va)
        if tau2 == 0.0:
            reasons.append("tau² estimated at 0: the random-effects estimate equals the fixed-effect one")
    w = 1.0 / (va + tau2)
    mu = weighted_mean(ya, w)
    se = 1.0 / math.sqrt(float(np.sum(w)))
    df: int | None = None
    if method.hksj and not fixed and k > 1:
        df = k - 1
        se = math.sqrt(float(np.sum(w * (ya - mu) ** 2)) / (df * float(np.sum(w))))
        crit = float(student_t.isf(0.025, df))
        p = float(2 * student_t.sf(abs(mu / se), df)) if se > 0 else nan
    else:
        crit = Z95
        p = float(2 * norm.sf(abs(mu / se)))
    if se == 0.0:
        reasons.append("the trials agree exactly: the Hartung–Knapp standard error is zero")
    het = heterogeneity(ya, va, tau2, fixed=fixed)
    pi_low = pi_high = nan
    if not fixed and k > 1:
        half = crit * math.sqrt(se**2 + tau2)
        pi_low, pi_high = mu - half, mu + half
    weights = tuple(float(x) for x in 100.0 * w / np.sum(w))
    return Pooled(
        method, k, mu, se, mu - crit * se, mu + crit * se, p, df, pi_low, pi_high, het, weights, "; ".join(reasons)
    )

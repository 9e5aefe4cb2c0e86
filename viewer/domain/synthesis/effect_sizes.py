"""Trial-level effects and their sampling covariance, from responders of each arm.

A two-arm trial gives one effect (treated against control) with its variance; a multi-arm trial gives one
effect per non-baseline arm, all sharing the baseline arm, so their covariance is the baseline arm's
variance (Gleser & Olkin 2009, in Cooper, Hedges & Valentine, *Handbook of Research Synthesis*, ch. 19;
Franchini et al. 2012, Res Synth Methods 3:142). Per arm (x responders of n, p = x/n):

- risk difference: p, variance p(1 - p)/n;
- log risk ratio: log p, variance 1/x - 1/n (Katz et al. 1978);
- log odds ratio: logit p, variance 1/x + 1/(n - x) (Woolf 1955).

Zero cells follow the project's rule (``viewer.domain.stats``): only a trial with an empty cell gets 0.5
added to every cell of every arm (x + 0.5 of n + 1), which is metafor ``escalc(add=1/2, to="only0")``.
metafor applies the same rule to the risk difference, whose variance would otherwise be zero; the
synthesis follows metafor there (the single-trial Newcombe interval needs no correction and keeps none).
A trial with no responder in any arm, or all responding in every arm, carries no information on a ratio
scale and is left out with that reason (metafor ``drop00=TRUE``; Cochrane Handbook 10.4.4.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.domain.measures import Effect

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ArmCounts:
    """Responders of one randomised arm; ``treatment`` names the node (drug and dose, or placebo)."""

    treatment: str
    responders: int
    n: int


@dataclass(frozen=True, slots=True)
class TrialContrasts:
    """One trial's effects of each arm against its baseline arm, with their covariance matrix.

    ``reason`` is set (and the arrays are empty) when the trial cannot contribute on this scale.
    """

    trial: str
    baseline: str
    treatments: tuple[str, ...]  # the non-baseline arms, in the order of ``y``
    y: FloatArray
    cov: FloatArray
    corrected: bool = False
    reason: str = ""

    @property
    def usable(self) -> bool:
        return not self.reason


def arm_scale(x: FloatArray, n: FloatArray, measure: Effect) -> tuple[FloatArray, FloatArray]:
    """Each arm on the pooling scale with its variance (see the module docstring)."""
    p = x / n
    if measure is Effect.RD:
        return p, p * (1.0 - p) / n
    if measure is Effect.RR:
        return np.log(p), 1.0 / x - 1.0 / n
    return np.log(p / (1.0 - p)), 1.0 / x + 1.0 / (n - x)


def trial_contrasts(trial: str, arms: Sequence[ArmCounts], measure: Effect, baseline: str = "") -> TrialContrasts:
    """Effects of every arm against ``baseline`` (default: the first arm) with their covariance."""
    empty = np.zeros(0)
    if len(arms) < 2:
        return TrialContrasts(trial, "", (), empty, np.zeros((0, 0)), reason="fewer than two arms with counts")
    names = [a.treatment for a in arms]
    if len(set(names)) != len(names):
        raise ValueError(f"trial {trial}: a treatment appears in two arms; merge them first")
    base = baseline or names[0]
    if base not in names:
        raise ValueError(f"trial {trial}: baseline {base!r} is not one of its arms")
    order = [names.index(base)] + [i for i, name in enumerate(names) if name != base]
    x = np.array([arms[i].responders for i in order], dtype=np.float64)
    n = np.array([arms[i].n for i in order], dtype=np.float64)
    if np.any(n < 1) or np.any(x < 0) or np.any(x > n):
        raise ValueError(f"trial {trial}: counts must satisfy 0 <= responders <= n and n >= 1")
    if measure.is_ratio and (np.all(x == 0) or (measure is Effect.OR and np.all(x == n))):
        why = "no responder in any arm" if np.all(x == 0) else "every patient responded in every arm"
        return TrialContrasts(trial, base, (), empty, np.zeros((0, 0)), reason=f"{why}: no information on a ratio")
    corrected = bool(np.any(x == 0) or np.any(x == n))
    if corrected:
        x, n = x + 0.5, n + 1.0
    value, var = arm_scale(x, n, measure)
    y = value[1:] - value[0]
    cov = np.full((len(y), len(y)), var[0]) + np.diag(var[1:])
    return TrialContrasts(trial, base, tuple(names[i] for i in order[1:]), y, cov, corrected)


def two_by_two(
    x1: npt.ArrayLike, n1: npt.ArrayLike, x2: npt.ArrayLike, n2: npt.ArrayLike, measure: Effect
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Effects (yi), variances (vi) of many two-arm tables at once, which were corrected, which are usable.

    Equals metafor ``escalc(measure, ai, n1i, ci, n2i, add=1/2, to="only0", drop00=TRUE)``; an unusable
    table (see the module docstring) has NaN effect and variance.
    """
    a = np.asarray(x1, dtype=np.float64)
    m = np.asarray(n1, dtype=np.float64)
    c = np.asarray(x2, dtype=np.float64)
    k = np.asarray(n2, dtype=np.float64)
    a, m, c, k = np.broadcast_arrays(a, m, c, k)
    if np.any(m < 1) or np.any(k < 1) or np.any((a < 0) | (a > m) | (c < 0) | (c > k)):
        raise ValueError("counts must satisfy 0 <= responders <= n and n >= 1")
    corrected = (a == 0) | (a == m) | (c == 0) | (c == k)
    usable = np.ones(a.shape, dtype=np.bool_)
    if measure.is_ratio:
        usable = ~((a == 0) & (c == 0))
        if measure is Effect.OR:
            usable &= ~((a == m) & (c == k))
    add = np.where(corrected & usable, 0.5, 0.0)
    a, c, m, k = a + add, c + add, m + 2 * add, k + 2 * add
    with np.errstate(divide="ignore", invalid="ignore"):
        v1, s1 = arm_scale(a, m, measure)
        v2, s2 = arm_scale(c, k, measure)
        yi = np.where(usable, v1 - v2, np.nan)
        vi = np.where(usable, s1 + s2, np.nan)
    return yi, vi, corrected & usable, usable

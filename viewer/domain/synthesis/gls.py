"""Generalised least squares with one between-trial variance, shared by the network and dose models.

The marginal covariance of all contrasts is Σ(tau²) = V + tau² C: V is block-diagonal with each trial's
sampling covariance, C has 1 on the diagonal and 1/2 between two contrasts of one multi-arm trial (the
usual homogeneous-variance assumption, Higgins & Whitehead 1996, Stat Med 15:2733). tau² is estimated by
restricted maximum likelihood; the score is

    ∂l_R/∂tau² = ½ (yᵀ P C P y - tr(P C)),  P = Σ⁻¹ - Σ⁻¹X (XᵀΣ⁻¹X)⁻¹ XᵀΣ⁻¹

(Harville 1977, JASA 72:320), and tau² is its root, or 0 when the score is negative at 0; metafor
``rma.mv(..., random = ~ comp | study, struct = "CS", rho = 1/2, method = "REML")`` maximises the same
likelihood.

The method-of-moments estimate generalises DerSimonian & Laird to this model (Jackson, White & Riley
2012, Stat Med 31:3805): with P₀ the projection above at tau² = 0, E[Q] = tr(P₀ V) + tau² tr(P₀ C) =
(n - p) + tau² tr(P₀ C), so tau² = max(0, (Q - (n - p)) / tr(P₀ C)). With two-arm trials only (C = I) this
is metafor ``rma(yi, vi, mods = X, method = "DL")``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.domain.synthesis.effect_sizes import FloatArray


@dataclass(frozen=True, slots=True)
class GlsFit:
    beta: FloatArray
    cov: FloatArray
    tau2: float
    q: float  # generalised residual quadratic form rᵀ Σ⁻¹ r at the fitted tau²


def within_trial_c(sizes: list[int]) -> FloatArray:
    """C: 1 on the diagonal, 1/2 between contrasts of the same trial, 0 across trials."""
    total = sum(sizes)
    c = np.zeros((total, total))
    start = 0
    for size in sizes:
        block = np.full((size, size), 0.5) + 0.5 * np.eye(size)
        c[start : start + size, start : start + size] = block
        start += size
    return c


def _projection(y: FloatArray, x: FloatArray, sigma: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(P, β, cov β) for the GLS fit of y on x with covariance sigma."""
    inv = np.linalg.inv(sigma)
    info = x.T @ inv @ x
    cov = np.linalg.inv(info)
    beta = cov @ x.T @ inv @ y
    p = inv - inv @ x @ cov @ x.T @ inv
    return np.asarray(p, dtype=np.float64), np.asarray(beta, dtype=np.float64), np.asarray(cov, dtype=np.float64)


def fit(y: FloatArray, x: FloatArray, v: FloatArray, c: FloatArray, tau2: float) -> GlsFit:
    """The GLS fit at a given tau²."""
    _, beta, cov = _projection(y, x, v + tau2 * c)
    r = y - x @ beta
    q = float(r @ np.linalg.solve(v + tau2 * c, r))
    return GlsFit(beta, cov, tau2, q)


def reml_score(y: FloatArray, x: FloatArray, v: FloatArray, c: FloatArray, tau2: float) -> float:
    p, _, _ = _projection(y, x, v + tau2 * c)
    pc = p @ c
    return float(y @ pc @ p @ y - np.trace(pc))


def moment_tau2(y: FloatArray, x: FloatArray, v: FloatArray, c: FloatArray) -> float:
    """Method-of-moments (DerSimonian–Laird type) tau², 0 when there are no more contrasts than parameters."""
    rank = int(np.linalg.matrix_rank(x))
    if len(y) <= rank:
        return 0.0
    p, _, _ = _projection(y, x, v)
    q = float(y @ p @ y)
    return max(0.0, (q - (len(y) - rank)) / float(np.trace(p @ c)))


def reml_tau2(y: FloatArray, x: FloatArray, v: FloatArray, c: FloatArray) -> float:
    """REML tau² (0 when there are no more contrasts than parameters)."""
    from scipy.optimize import brentq

    if len(y) <= np.linalg.matrix_rank(x) or reml_score(y, x, v, c, 0.0) <= 0.0:
        return 0.0
    high = max(float(np.var(y)), float(np.max(np.diag(v))), 1e-8)
    while reml_score(y, x, v, c, high) > 0.0:
        high *= 4.0
    return float(brentq(lambda t: reml_score(y, x, v, c, t), 0.0, high, xtol=1e-15, rtol=4 * np.finfo(float).eps))

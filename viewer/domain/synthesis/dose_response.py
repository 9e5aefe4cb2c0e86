"""Dose-response across trials (model-based meta-analysis) on placebo-adjusted effects.

Each trial contributes its arms' effects against its own placebo (:mod:`effect_sizes`), with the
covariance their shared placebo implies, plus a trial-level random effect: Σ = V + tau² C with C as in the
network model (correlation 1/2 inside a trial). The dose-response is a function through the origin
(placebo-adjusted, so no effect at dose 0), the models of Bretz, Pinheiro & Branson (2005, Biometrics
61:738) and DoseFinding (Bornkamp et al.):

- linear: f(d) = δ d;
- log-linear: f(d) = δ [log(d + off) - log(off)], off = 0.01 × the largest dose (DoseFinding's default);
- Emax: f(d) = Emax d / (ED50 + d), ED50 bounded to [0.001, 1.5] × the largest dose as DoseFinding.

For a given tau², the fit is generalised least squares, which is DoseFinding
``fitMod(dose, resp, S = Σ, type = "general", placAdj = TRUE)``: for Emax, Emax is linear given ED50, so
the fit is a one-dimensional search over ED50 (DoseFinding's own strategy). tau² maximises the restricted
likelihood linearised at the fit (Lindstrom & Bates 1990, Biometrics 46:673):
-½ [log|Σ| + log|JᵀΣ⁻¹J| + rᵀΣ⁻¹r], J the Jacobian of f. Standard errors from (JᵀΣ⁻¹J)⁻¹; the ED50
interval is computed on the log scale (it cannot go below zero); the band is the delta-method 95% interval
of f(d) over the observed dose range (Bretz et al. 2005). This is the frequentist counterpart of MBNMAdose
(Pedder et al. 2021, Res Synth Methods 12:43) for one drug.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from viewer.domain.measures import Effect
from viewer.domain.synthesis.effect_sizes import ArmCounts, FloatArray, trial_contrasts
from viewer.domain.synthesis.gls import within_trial_c
from viewer.domain.synthesis.network import block_diag
from viewer.domain.synthesis.options import DoseModel as DoseModel  # re-exported: where the fit is
from viewer.domain.synthesis.pairwise import Z95

ED50_BOUNDS = (0.001, 1.5)
LOGLIN_OFFSET = 0.01


@dataclass(frozen=True, slots=True)
class DoseTrial:
    """One trial of the drug: its placebo and its dose arms (responders of n at a daily dose in mg)."""

    trial: str
    placebo: ArmCounts
    doses: tuple[tuple[float, ArmCounts], ...]


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    value: float
    se: float
    low: float
    high: float
    at_bound: bool = False


@dataclass(frozen=True, slots=True)
class DoseFit:
    """A fitted dose-response model on the pooling scale (log odds ratio or risk difference).

    ``band_*`` is empty when the fit is exact (as many parameters as dose levels) or undefined; ``reason``
    says why something is missing or at a bound.
    """

    model: DoseModel
    measure: Effect
    parameters: tuple[Parameter, ...]
    tau2: float
    k_trials: int
    n_points: int
    doses: tuple[float, ...]  # per point
    effects: tuple[float, ...]
    ses: tuple[float, ...]
    trials: tuple[str, ...]
    band_x: tuple[float, ...] = ()
    band_y: tuple[float, ...] = ()
    band_low: tuple[float, ...] = ()
    band_high: tuple[float, ...] = ()
    offset: float = 0.0
    reason: str = ""
    cov: tuple[tuple[float, ...], ...] = ()  # covariance of the parameters (empty when not estimable)

    @property
    def ok(self) -> bool:
        return bool(self.parameters)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def predict(self, dose: float) -> float:
        theta = np.array([p.value for p in self.parameters])
        return float(_curve(self.model, theta, np.array([dose]), self.offset)[0])

    def interval(self, dose: float) -> tuple[float, float, float]:
        """f(dose) with its delta-method 95% interval, as the band gives it (NaN limits without a covariance)."""
        value = self.predict(dose)
        if not self.cov:
            return value, math.nan, math.nan
        theta = np.array([p.value for p in self.parameters])
        j = _jacobian(self.model, theta, np.array([float(dose)]), self.offset)[0]
        half = Z95 * math.sqrt(max(float(j @ np.array(self.cov) @ j), 0.0))
        return value, value - half, value + half


def _curve(model: DoseModel, theta: FloatArray, d: FloatArray, off: float) -> FloatArray:
    if model is DoseModel.LINEAR:
        return np.asarray(theta[0] * d, dtype=np.float64)
    if model is DoseModel.LOG_LINEAR:
        return np.asarray(theta[0] * (np.log(d + off) - math.log(off)), dtype=np.float64)
    return np.asarray(theta[0] * d / (theta[1] + d), dtype=np.float64)


def _jacobian(model: DoseModel, theta: FloatArray, d: FloatArray, off: float) -> FloatArray:
    if model is DoseModel.LINEAR:
        return d[:, None].astype(np.float64)
    if model is DoseModel.LOG_LINEAR:
        return (np.log(d + off) - math.log(off))[:, None]
    return np.column_stack([d / (theta[1] + d), -theta[0] * d / (theta[1] + d) ** 2])


def _gls_fit(model: DoseModel, y: FloatArray, d: FloatArray, sigma: FloatArray, off: float) -> tuple[FloatArray, float]:
    """The GLS estimate for one Σ and its residual quadratic form."""
    from scipy.optimize import minimize_scalar

    inv = np.linalg.inv(sigma)

    def linear(x: FloatArray) -> tuple[float, float]:
        coef = float(x @ inv @ y / (x @ inv @ x))
        r = y - coef * x
        return coef, float(r @ inv @ r)

    if model is not DoseModel.EMAX:
        coef, rss = linear(_jacobian(model, np.zeros(1), d, off)[:, 0])
        return np.array([coef]), rss
    low, high = (b * float(np.max(d)) for b in ED50_BOUNDS)
    grid = np.geomspace(low, high, 60)
    scores = [linear(d / (e + d))[1] for e in grid]
    best = int(np.argmin(scores))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = minimize_scalar(lambda e: linear(d / (e + d))[1], bounds=(lo, hi), method="bounded",
                          options={"xatol": 1e-10 * high})  # fmt: skip
    ed50 = float(res.x) if res.fun <= scores[best] else float(grid[best])
    emax, rss = linear(d / (ed50 + d))
    return np.array([emax, ed50]), rss


def _restricted(model: DoseModel, y: FloatArray, d: FloatArray, v: FloatArray, c: FloatArray, off: float,
                tau2: float) -> float:  # fmt: skip
    sigma = v + tau2 * c
    theta, rss = _gls_fit(model, y, d, sigma, off)
    j = _jacobian(model, theta, d, off)
    info = j.T @ np.linalg.solve(sigma, j)
    return -0.5 * (float(np.linalg.slogdet(sigma)[1]) + float(np.linalg.slogdet(info)[1]) + rss)


def _points(trials: Sequence[DoseTrial], measure: Effect) -> tuple[FloatArray, FloatArray, FloatArray, list[int]]:
    ys: list[FloatArray] = []
    covs: list[FloatArray] = []
    doses: list[float] = []
    sizes: list[int] = []
    for t in trials:
        arms = (t.placebo, *(arm for _, arm in t.doses))
        named = tuple(ArmCounts(f"{i}", a.responders, a.n) for i, a in enumerate(arms))
        tc = trial_contrasts(t.trial, named, measure)
        if not tc.usable:
            continue
        ys.append(tc.y)
        covs.append(tc.cov)
        doses.extend(dose for dose, _ in t.doses)
        sizes.append(len(tc.y))
    if not ys:
        return np.zeros(0), np.zeros(0), np.zeros((0, 0)), []
    return np.concatenate(ys), np.array(doses, dtype=np.float64), block_diag(covs), sizes


def fit_dose_response(
    trials: Sequence[DoseTrial],
    measure: Effect = Effect.RD,
    model: DoseModel = DoseModel.EMAX,
    *,
    random: bool = True,
    tau2: float | None = None,
) -> DoseFit:
    """Fit ``model`` across ``trials``; ``tau2`` fixes the between-trial variance instead of estimating it."""
    from scipy.optimize import minimize_scalar

    y, d, v, sizes = _points(trials, measure)
    if np.any(d <= 0):
        raise ValueError("dose arms need a positive daily dose (placebo is the reference, not a point)")
    used = tuple(t.trial for t in trials)
    empty = DoseFit(model, measure, (), math.nan, len(sizes), len(y), tuple(d), tuple(y),
                    tuple(np.sqrt(np.diag(v))), used)  # fmt: skip
    levels = len(set(d.tolist()))
    if levels < model.n_params:
        why = f"{levels} dose level{'s' if levels != 1 else ''} for {model.n_params} parameters: not estimable"
        return _with_reason(empty, why if len(y) else "no trial with a placebo and counts")
    c = within_trial_c(sizes)
    off = LOGLIN_OFFSET * float(np.max(d))
    reasons = []
    if tau2 is None:
        tau2 = 0.0
        if not random:
            reasons.append("fixed effect: no between-trial variance")
        elif len(sizes) < 2:
            reasons.append("one trial: no between-trial variance to estimate (tau² = 0)")
        elif len(y) <= model.n_params:
            reasons.append("no more points than parameters: tau² not estimable (tau² = 0)")
        else:
            scale = max(float(np.var(y)), float(np.max(np.diag(v))))
            res = minimize_scalar(lambda t: -_restricted(model, y, d, v, c, off, t), bounds=(0.0, 10 * scale),
                                  method="bounded", options={"xatol": 1e-12 * scale})  # fmt: skip
            tau2 = float(res.x)
            if -_restricted(model, y, d, v, c, off, 0.0) <= res.fun:
                tau2 = 0.0
            if tau2 == 0.0:
                reasons.append("tau² estimated at 0")
    sigma = v + tau2 * c
    theta, _ = _gls_fit(model, y, d, sigma, off)
    j = _jacobian(model, theta, d, off)
    cov = np.linalg.inv(j.T @ np.linalg.solve(sigma, j))
    se = np.sqrt(np.diag(cov))
    params = [_wald(("slope" if model is DoseModel.LINEAR else "delta") if model.n_params == 1 else "Emax",
                    theta[0], se[0])]  # fmt: skip
    if model is DoseModel.EMAX:
        low, high = (b * float(np.max(d)) for b in ED50_BOUNDS)
        at_bound = math.isclose(theta[1], low, rel_tol=1e-6) or math.isclose(theta[1], high, rel_tol=1e-6)
        half = Z95 * se[1] / theta[1]
        ed50 = Parameter("ED50", float(theta[1]), float(se[1]), float(theta[1] * math.exp(-half)),
                         float(theta[1] * math.exp(half)), at_bound)  # fmt: skip
        if at_bound:
            ed50 = Parameter("ED50", float(theta[1]), math.nan, math.nan, math.nan, True)
            reasons.append("ED50 at its bound: the doses do not determine it; no interval")
        params.append(ed50)
    fit = DoseFit(model, measure, tuple(params), tau2, len(sizes), len(y), tuple(d.tolist()), tuple(y.tolist()),
                  tuple(np.sqrt(np.diag(v)).tolist()), used, offset=off, reason="; ".join(reasons))  # fmt: skip
    if levels <= model.n_params:
        return _with_reason(fit, "as many parameters as dose levels: the curve passes through the points, no band")
    if any(p.at_bound for p in params):
        return fit
    fit = replace(fit, cov=tuple(tuple(float(x) for x in row) for row in cov))
    grid = np.linspace(0.0, float(np.max(d)), 101)
    curve = _curve(model, theta, grid, off)
    jg = _jacobian(model, theta, grid, off)
    band = Z95 * np.sqrt(np.einsum("ij,jk,ik->i", jg, cov, jg))
    return replace(
        fit,
        band_x=tuple(grid.tolist()),
        band_y=tuple(curve.tolist()),
        band_low=tuple((curve - band).tolist()),
        band_high=tuple((curve + band).tolist()),
    )


def _wald(name: str, value: float, se: float) -> Parameter:
    return Parameter(name, float(value), float(se), float(value - Z95 * se), float(value + Z95 * se))


def _with_reason(fit: DoseFit, reason: str) -> DoseFit:
    return replace(fit, reason="; ".join(r for r in (fit.reason, reason) if r))

"""Emax dose-response models fitted to arm-level response rates.

Hyperbolic Emax f(d) = E0 + Emax * d / (ED50 + d) and sigmoid Emax f(d) = E0 + Emax * d^h / (ED50^h + d^h),
fitted by weighted least squares with the binomial variances taken as known (absolute sigma). On the
probability scale that is ``curve_fit(f, dose, p, sigma=sqrt(p(1-p)/n), absolute_sigma=True)``; on the
logit scale it is a GLS fit to the per-arm logits with variance 1/(n p (1 - p)), i.e. DoseFinding
``fitMod(type="general")`` with a diagonal S (Bornkamp, Pinheiro & Bretz, DoseFinding). Bounds follow
DoseFinding ``defBnds``: ED50 in [0.001, 1.5] x max dose, h in [0.5, 10]. Doses are daily doses, 0 for
placebo. Conventions and reference values: ``shared/reference/statistics.md``.

An unweighted fit is deliberately not offered: it is pulled by small arms and runs to the ED50 bound.
scipy is imported inside the fitting functions only, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

MODELS = ("emax", "sigmoid")
SCALES = ("probability", "logit")
ED50_BOUNDS = (0.001, 1.5)  # times the largest dose
H_BOUNDS = (0.5, 10.0)
_NAMES = {"emax": ("e0", "emax", "ed50"), "sigmoid": ("e0", "emax", "ed50", "h")}
_BOUND_TOLERANCE = 1e-6  # relative to the width of the interval a parameter is bounded to


class EmaxError(ValueError):
    """The data cannot support the requested Emax fit (too few dose levels, bad counts) or band."""


def _expit(value: FloatArray) -> FloatArray:
    """The inverse logit, written so that it neither overflows nor warns for large |value|."""
    return np.asarray(np.exp(-np.logaddexp(0.0, -value)), dtype=np.float64)


def _curve(params: FloatArray, dose: FloatArray) -> FloatArray:
    """The model on its fitted scale; three parameters mean hyperbolic, four sigmoid Emax."""
    e0, emax, ed50 = params[0], params[1], params[2]
    if len(params) == 3:
        return np.asarray(e0 + emax * dose / (ed50 + dose), dtype=np.float64)
    h = params[3]
    dh = dose**h
    return np.asarray(e0 + emax * dh / (ed50**h + dh), dtype=np.float64)


def _gradient(params: FloatArray, dose: FloatArray) -> FloatArray:
    """Partial derivatives of f in each parameter, one row per dose: for the fit and the delta method."""
    emax, ed50 = params[1], params[2]
    ones = np.ones_like(dose)
    if len(params) == 3:
        g = dose / (ed50 + dose)
        return np.column_stack([ones, g, -emax * dose / (ed50 + dose) ** 2])
    h = params[3]
    dh = dose**h
    g = dh / (ed50**h + dh)
    d_ed50 = -emax * g * (1.0 - g) * h / ed50
    positive = dose > 0
    log_ratio = np.log(np.where(positive, dose, 1.0) / ed50)
    d_h = np.where(positive, emax * g * (1.0 - g) * log_ratio, 0.0)
    return np.column_stack([ones, g, d_ed50, d_h])


@dataclass(frozen=True)
class EmaxFit:
    """A fitted Emax model with what a reader needs to judge it.

    ``params`` and ``se`` are keyed e0, emax, ed50 (and h for sigmoid Emax), on the fitted ``scale``
    (for "logit", E0 and Emax are in log-odds). ``cov`` is the parameter covariance, inv(J' W J) with
    the binomial variances taken as known, in that order. ``exact`` means as many dose levels as
    parameters: the curve interpolates the dose means and no band is drawn. ``chi2`` is the weighted
    residual sum of squares, a chi-square goodness-of-fit statistic on ``df_resid`` degrees of freedom
    (``gof_p`` is None when there are none). ``at_bound`` names parameters that ended on a bound;
    ``fell_back`` says a requested sigmoid fit ended on a bound and hyperbolic Emax was fitted instead.
    ``notes`` are sentences for the reader. ``dose_range`` is the observed range: draw the curve only
    over it unless the user asks to extrapolate.
    """

    model: str
    scale: str
    params: dict[str, float]
    se: dict[str, float]
    cov: tuple[tuple[float, ...], ...]
    dose_levels: int
    df_resid: int
    exact: bool
    at_bound: tuple[str, ...]
    fell_back: bool
    chi2: float
    gof_p: float | None
    notes: tuple[str, ...]
    dose_range: tuple[float, float]

    def _vector(self) -> FloatArray:
        return np.array([self.params[name] for name in _NAMES[self.model]], dtype=np.float64)

    def fitted_scale(self, doses: npt.ArrayLike) -> FloatArray:
        """The model at ``doses`` on the scale it was fitted on (log-odds for the logit scale)."""
        return _curve(self._vector(), _doses(doses))

    def predict(self, doses: npt.ArrayLike) -> FloatArray:
        """Predicted response probabilities at ``doses``.

        The logit scale is back-transformed; on the probability scale the model is clipped to [0, 1]
        (a straight Emax curve can leave it when extrapolated). Use :meth:`fitted_scale` for raw values.
        """
        return self._to_probability(self.fitted_scale(doses))

    @property
    def has_band(self) -> bool:
        """Whether :meth:`band` can be drawn: not an exact fit, and a finite covariance."""
        return not self.exact and bool(np.all(np.isfinite(np.array(self.cov, dtype=np.float64))))

    def band(self, doses: npt.ArrayLike, level: float = 0.95) -> tuple[FloatArray, FloatArray]:
        """Pointwise confidence band (lower, upper) for the mean response at ``doses``, as probabilities.

        Delta method: var f(d) = g' Cov g with g the gradient of f in the parameters, limits
        f +/- z * sqrt(var) on the fitted scale, then back-transformed (logit) or clipped to [0, 1]
        (probability). Raises :class:`EmaxError` when there is no band to draw (``has_band`` is False):
        an exact fit has no residual degrees of freedom, and a singular covariance has no finite band.
        Returning the curve itself would pass a fit off as certain, so this never does.
        """
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be between 0 and 1, got {level}")
        if self.exact:
            raise EmaxError("exact fit (as many dose levels as parameters): no confidence band")
        if not self.has_band:
            raise EmaxError("the parameter covariance could not be estimated: no confidence band")
        params = self._vector()
        dose = _doses(doses)
        centre = _curve(params, dose)
        grad = _gradient(params, dose)
        cov = np.array(self.cov, dtype=np.float64)
        variance = np.maximum(np.einsum("ij,jk,ik->i", grad, cov, grad), 0.0)
        half = NormalDist().inv_cdf(0.5 + level / 2.0) * np.sqrt(variance)
        return self._to_probability(centre - half), self._to_probability(centre + half)

    def _to_probability(self, value: FloatArray) -> FloatArray:
        if self.scale == "logit":
            return _expit(value)
        return np.clip(value, 0.0, 1.0)


def _doses(doses: npt.ArrayLike) -> FloatArray:
    dose = np.atleast_1d(np.asarray(doses, dtype=np.float64))
    if not np.all(np.isfinite(dose) & (dose >= 0)):
        raise ValueError("doses must be finite and not negative")
    return dose


def _arm_data(
    dose: npt.ArrayLike, responders: npt.ArrayLike, n: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    d = np.atleast_1d(np.asarray(dose, dtype=np.float64))
    x = np.atleast_1d(np.asarray(responders, dtype=np.float64))
    m = np.atleast_1d(np.asarray(n, dtype=np.float64))
    if not d.shape == x.shape == m.shape or d.ndim != 1:
        raise EmaxError("dose, responders and n must be sequences of one length")
    if not np.all(np.isfinite(d) & (d >= 0)):
        raise EmaxError("doses must be finite and not negative (0 for placebo)")
    if not (np.all(m >= 1) and np.all((x >= 0) & (x <= m))):
        raise EmaxError("every arm needs n >= 1 and 0 <= responders <= n")
    if not (np.all(x == np.floor(x)) and np.all(m == np.floor(m))):
        raise EmaxError("responders and n must be whole numbers")
    if d.size == 0 or d.max() <= 0:
        raise EmaxError("an Emax fit needs at least one arm with a positive dose")
    return d, x, m


def _response(x: FloatArray, m: FloatArray, scale: str) -> tuple[FloatArray, FloatArray]:
    """Observed response and its standard error on the fitting scale.

    An arm with 0% or 100% response has no binomial variance. On the probability scale the response
    stays p, but its variance uses the continuity value (x + 0.5) / (n + 1) so the arm is not given
    infinite weight. On the logit scale such an arm uses the empirical logit of Cox (1970),
    log((x + 0.5) / (n - x + 0.5)), with variance 1 / (x + 0.5) + 1 / (n - x + 0.5). Other arms use
    the plain p and logit, whose variance 1 / (n p (1 - p)) equals 1/x + 1/(n - x).
    """
    extreme = (x == 0) | (x == m)
    if scale == "probability":
        p = x / m
        q = np.where(extreme, (x + 0.5) / (m + 1.0), p)
        return p, np.sqrt(q * (1.0 - q) / m)
    a = np.where(extreme, x + 0.5, x)
    b = np.where(extreme, m - x + 0.5, m - x)
    return np.log(a / b), np.sqrt(1.0 / a + 1.0 / b)


def _profile_start(dose: FloatArray, y: FloatArray, w: FloatArray, lower: FloatArray, upper: FloatArray) -> FloatArray:
    """Starting values from a grid over the nonlinear parameters (ED50, h).

    E0 and Emax enter linearly, so at each grid point they are solved by weighted least squares, as
    DoseFinding does; starting from the best point keeps the local optimiser off poor minima.
    """
    ed50_grid = np.geomspace(lower[2], upper[2], 61)
    h_grid = np.geomspace(lower[3], upper[3], 25) if len(lower) == 4 else np.array([1.0])
    sqrt_w = np.sqrt(w)
    best: tuple[float, FloatArray] = (math.inf, np.array([y.mean(), 0.0, ed50_grid[30]]))
    for h in h_grid:
        for ed50 in ed50_grid:
            dh = dose**h
            basis = np.column_stack([np.ones_like(dose), dh / (ed50**h + dh)])
            coef, *_ = np.linalg.lstsq(basis * sqrt_w[:, None], y * sqrt_w, rcond=None)
            rss = float(np.sum(w * (y - basis @ coef) ** 2))
            if rss < best[0]:
                start = [coef[0], coef[1], ed50] if len(lower) == 3 else [coef[0], coef[1], ed50, h]
                best = (rss, np.array(start, dtype=np.float64))
    return best[1]


@dataclass(frozen=True)
class _Raw:
    params: FloatArray
    cov: FloatArray
    chi2: float
    at_bound: tuple[str, ...]


def _fit(model: str, dose: FloatArray, y: FloatArray, se: FloatArray) -> _Raw:
    from scipy.optimize import least_squares

    names = _NAMES[model]
    top = float(dose.max())
    lower = np.array([-np.inf, -np.inf, ED50_BOUNDS[0] * top, H_BOUNDS[0]])[: len(names)]
    upper = np.array([np.inf, np.inf, ED50_BOUNDS[1] * top, H_BOUNDS[1]])[: len(names)]
    w = 1.0 / se**2
    start = _profile_start(dose, y, w, lower, upper)

    def residuals(params: FloatArray) -> FloatArray:
        return (y - _curve(params, dose)) / se

    def jacobian(params: FloatArray) -> FloatArray:
        return np.asarray(-_gradient(params, dose) / se[:, None], dtype=np.float64)

    # the same trust-region reflective solver curve_fit uses with bounds, with tighter tolerances
    result = least_squares(
        residuals,
        start,
        jac=jacobian,
        bounds=(lower, upper),
        method="trf",
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
    )
    params = np.asarray(result.x, dtype=np.float64)
    chi2 = float(np.sum(residuals(params) ** 2))
    span = np.where(np.isfinite(upper - lower), upper - lower, 1.0)
    hit = (np.abs(params - lower) <= _BOUND_TOLERANCE * span) | (np.abs(upper - params) <= _BOUND_TOLERANCE * span)
    at_bound = tuple(name for name, flag in zip(names, hit, strict=True) if flag)
    jac = jacobian(params)
    information = jac.T @ jac
    # absolute sigma: the covariance is inv(J'J) of the weighted Jacobian, not rescaled by chi2 / df
    with np.errstate(all="ignore"):
        if np.linalg.cond(information) < 1e14:
            cov = np.asarray(np.linalg.inv(information), dtype=np.float64)
        else:
            cov = np.full((len(names), len(names)), np.nan)
    return _Raw(params, cov, chi2, at_bound)


def _bound_note(name: str, value: float, top: float) -> str:
    """Which bound a parameter ended on, in words."""
    if name == "h":
        which = "lower" if value < sum(H_BOUNDS) / 2 else "upper"
        limit = H_BOUNDS[0] if which == "lower" else H_BOUNDS[1]
        return f"h ended at its {which} bound ({limit:g})"
    which = "lower" if value < top else "upper"
    factor = ED50_BOUNDS[0] if which == "lower" else ED50_BOUNDS[1]
    return f"ED50 ended at its {which} bound ({factor:g} x the largest dose = {factor * top:g})"


def fit_emax(
    dose: npt.ArrayLike,
    responders: npt.ArrayLike,
    n: npt.ArrayLike,
    model: str = "emax",
    scale: str = "probability",
    *,
    fall_back: bool = True,
) -> EmaxFit:
    """Fit hyperbolic ("emax") or sigmoid Emax to arms: daily dose, responders and n per arm.

    ``scale="probability"`` fits the proportions with weights n / (p (1 - p)); ``scale="logit"`` fits
    the per-arm logits with weights n p (1 - p), a GLS fit with diagonal covariance (DoseFinding
    ``fitMod(type="general")``). Arms with 0% or 100% response are handled as in :func:`_response`.

    A sigmoid fit whose ED50 or h ends on a bound is replaced by hyperbolic Emax (``fell_back``, with a
    note naming the bound) unless ``fall_back`` is False. Several arms may share a dose (several trials).

    Raises :class:`EmaxError` when there are fewer distinct doses than parameters, or bad counts.
    """
    if model not in MODELS:
        raise ValueError(f"unknown Emax model {model!r}; use one of {', '.join(MODELS)}")
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(SCALES)}")
    d, x, m = _arm_data(dose, responders, n)
    levels = int(np.unique(d).size)
    needed = len(_NAMES[model])
    if levels < needed:
        label = "hyperbolic Emax" if model == "emax" else "sigmoid Emax"
        raise EmaxError(
            f"{label} has {needed} parameters and needs at least {needed} dose levels "
            f"(placebo counts as one); these arms have {levels}"
        )
    y, se = _response(x, m, scale)
    top = float(d.max())
    notes: list[str] = []
    extreme = int(np.sum((x == 0) | (x == m)))
    if extreme:
        what = "empirical logit" if scale == "logit" else "continuity-corrected variance"
        notes.append(f"{extreme} arm(s) with 0% or 100% response: {what} (x + 0.5 of n + 1) used")

    fitted_model = model
    raw = _fit(model, d, y, se)
    fell_back = False
    if model == "sigmoid" and raw.at_bound and fall_back:
        index = {name: i for i, name in enumerate(_NAMES["sigmoid"])}
        reasons = "; ".join(_bound_note(b, float(raw.params[index[b]]), top) for b in raw.at_bound)
        notes.append(f"Sigmoid Emax: {reasons}; fell back to hyperbolic Emax")
        fitted_model, fell_back = "emax", True
        raw = _fit("emax", d, y, se)

    names = _NAMES[fitted_model]
    k = len(names)
    exact = levels == k
    df_resid = int(d.size) - k
    if exact:
        notes.append(f"Exact fit: {levels} dose levels for {k} parameters; no confidence band")
    for name in raw.at_bound:
        value = float(raw.params[names.index(name)])
        notes.append(f"{_bound_note(name, value, top)}; its standard error is not reliable")
    if not np.all(np.isfinite(raw.cov)):
        notes.append("The parameter covariance could not be estimated; no confidence band")
    gof_p: float | None = None
    if df_resid > 0:
        from scipy.stats import chi2 as chi2_distribution

        gof_p = float(chi2_distribution.sf(raw.chi2, df_resid))
    with np.errstate(invalid="ignore"):
        se_values = np.sqrt(np.diag(raw.cov))
    return EmaxFit(
        model=fitted_model,
        scale=scale,
        params={name: float(v) for name, v in zip(names, raw.params, strict=True)},
        se={name: float(v) for name, v in zip(names, se_values, strict=True)},
        cov=tuple(tuple(float(v) for v in row) for row in raw.cov),
        dose_levels=levels,
        df_resid=df_resid,
        exact=exact,
        at_bound=raw.at_bound,
        fell_back=fell_back,
        chi2=raw.chi2,
        gof_p=gof_p,
        notes=tuple(notes),
        dose_range=(float(d.min()), top),
    )

"""Emax fits against statistics.md's reference values (R DoseFinding, scipy curve_fit)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import curve_fit
from scipy.stats import chi2

from viewer.domain.emax import EmaxError, EmaxFit, fit_emax

DATA = Path(__file__).resolve().parents[1] / "data" / "migraine_dose_finding_NCT00712725.csv"
SIG4 = 5e-4


def migraine() -> tuple[list[float], list[int], list[int]]:
    with DATA.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return (
        [float(r["dose"]) for r in rows],
        [int(r["painfree"]) for r in rows],
        [int(r["ntrt"]) for r in rows],
    )


@pytest.fixture(scope="module")
def probability_fit() -> EmaxFit:
    return fit_emax(*migraine(), model="emax", scale="probability")


@pytest.fixture(scope="module")
def logit_fit() -> EmaxFit:
    return fit_emax(*migraine(), model="emax", scale="logit")


def hyperbolic(d: np.ndarray, e0: float, emax: float, ed50: float) -> np.ndarray:
    return e0 + emax * d / (ed50 + d)


def test_fixture_is_the_shared_one() -> None:
    shared = Path("/work/shared/fixtures/migraine_dose_finding_NCT00712725.csv")
    if shared.exists():
        assert DATA.read_bytes() == shared.read_bytes()
    assert migraine()[0] == [0, 2.5, 5, 10, 20, 50, 100, 200]


def test_probability_scale_reference(probability_fit: EmaxFit) -> None:
    fit = probability_fit
    assert (fit.model, fit.scale, fit.fell_back, fit.exact, fit.at_bound) == (
        "emax",
        "probability",
        False,
        False,
        (),
    )
    assert fit.params == pytest.approx({"e0": 0.10006, "emax": 0.21502, "ed50": 21.701}, rel=SIG4)
    assert fit.se == pytest.approx({"e0": 0.02432, "emax": 0.06531, "ed50": 22.387}, rel=SIG4)
    assert fit.dose_levels == 8
    assert fit.df_resid == 5
    assert fit.dose_range == (0.0, 200.0)
    assert fit.notes == ()


def test_probability_scale_matches_curve_fit(probability_fit: EmaxFit) -> None:
    """statistics.md's recipe, run directly: weighted, absolute sigma, DoseFinding bounds."""
    d, x, n = (np.asarray(v, dtype=float) for v in migraine())
    p = x / n
    sigma = np.sqrt(p * (1 - p) / n)
    popt, pcov = curve_fit(
        hyperbolic,
        d,
        p,
        p0=[0.1, 0.2, 20.0],
        sigma=sigma,
        absolute_sigma=True,
        bounds=([-np.inf, -np.inf, 0.2], [np.inf, np.inf, 300.0]),
        xtol=1e-14,
        ftol=1e-14,
        gtol=1e-14,
    )
    ours = probability_fit
    assert [ours.params[k] for k in ("e0", "emax", "ed50")] == pytest.approx(popt, rel=1e-5)
    assert np.array(ours.cov) == pytest.approx(pcov, rel=1e-4)
    expected_chi2 = float(np.sum(((p - hyperbolic(d, *popt)) / sigma) ** 2))
    assert ours.chi2 == pytest.approx(expected_chi2, rel=1e-9)
    assert ours.gof_p == pytest.approx(chi2.sf(expected_chi2, 5), rel=1e-6)


def test_logit_scale_reference(logit_fit: EmaxFit) -> None:
    fit = logit_fit
    assert (fit.model, fit.scale, fit.fell_back, fit.at_bound) == ("emax", "logit", False, ())
    assert fit.params == pytest.approx({"e0": -2.219299, "emax": 1.387263, "ed50": 8.473260}, rel=SIG4)
    predicted = fit.predict([0, 10, 20, 50, 100, 200])
    assert predicted == pytest.approx([0.0980, 0.1872, 0.2236, 0.2625, 0.2808, 0.2914], abs=5e-5)


def test_logit_scale_is_gls_on_the_arm_logits(logit_fit: EmaxFit) -> None:
    d, x, n = (np.asarray(v, dtype=float) for v in migraine())
    p = x / n
    fitted = logit_fit.fitted_scale(d)
    weights = n * p * (1 - p)
    assert logit_fit.chi2 == pytest.approx(float(np.sum(weights * (np.log(p / (1 - p)) - fitted) ** 2)))


def test_sigmoid_on_logit_scale_falls_back_to_emax(logit_fit: EmaxFit) -> None:
    fit = fit_emax(*migraine(), model="sigmoid", scale="logit")
    assert fit.model == "emax"
    assert fit.fell_back
    assert fit.params == pytest.approx(logit_fit.params)
    assert any("h ended at its lower bound (0.5)" in note and "fell back" in note for note in fit.notes)


def test_sigmoid_on_logit_scale_without_fall_back_ends_at_h_bound() -> None:
    fit = fit_emax(*migraine(), model="sigmoid", scale="logit", fall_back=False)
    assert fit.model == "sigmoid"
    assert not fit.fell_back
    assert fit.at_bound == ("h",)
    expected = {"e0": -2.197820, "emax": 2.173096, "ed50": 50.450655, "h": 0.5}
    assert fit.params == pytest.approx(expected, rel=SIG4)
    assert any("h ended at its lower bound" in note for note in fit.notes)


def test_band_contains_the_curve_and_is_finite(probability_fit: EmaxFit, logit_fit: EmaxFit) -> None:
    grid = np.linspace(0, 200, 41)
    for fit in (probability_fit, logit_fit):
        assert fit.has_band
        low, high = fit.band(grid)
        centre = fit.predict(grid)
        assert np.all(np.isfinite(low))
        assert np.all(np.isfinite(high))
        assert np.all((low <= centre) & (centre <= high))
        assert np.all((low >= 0) & (high <= 1))
        narrow_low, narrow_high = fit.band(grid, level=0.5)
        assert np.all((narrow_low >= low) & (narrow_high <= high))


def test_band_is_the_delta_method(probability_fit: EmaxFit) -> None:
    """Against a finite-difference gradient and the covariance: var f(d) = g' Cov g."""
    fit = probability_fit
    names = ("e0", "emax", "ed50")
    theta = np.array([fit.params[k] for k in names])
    cov = np.array(fit.cov)
    d = np.array([5.0, 50.0, 150.0])
    grad = np.empty((d.size, 3))
    for j in range(3):
        step = np.zeros(3)
        step[j] = 1e-6 * max(1.0, abs(theta[j]))
        grad[:, j] = (hyperbolic(d, *(theta + step)) - hyperbolic(d, *(theta - step))) / (2 * step[j])
    half = 1.959963984540054 * np.sqrt(np.einsum("ij,jk,ik->i", grad, cov, grad))
    low, high = fit.band(d)
    centre = hyperbolic(d, *theta)
    assert low == pytest.approx(centre - half, rel=1e-6)
    assert high == pytest.approx(centre + half, rel=1e-6)


def test_logit_band_is_back_transformed(logit_fit: EmaxFit) -> None:
    d = np.array([0.0, 20.0, 200.0])
    low, high = logit_fit.band(d)
    centre = logit_fit.fitted_scale(d)
    # the back-transformed limits are symmetric around the curve on the logit scale
    logit_low, logit_high = np.log(low / (1 - low)), np.log(high / (1 - high))
    assert centre - logit_low == pytest.approx(logit_high - centre, rel=1e-9)
    assert logit_fit.se["e0"] * 1.959963984540054 == pytest.approx(centre[0] - logit_low[0], rel=1e-9)


def test_exact_fit_draws_no_band() -> None:
    fit = fit_emax([0, 10, 100], [5, 10, 20], [50, 50, 50])
    assert fit.exact
    assert fit.df_resid == 0
    assert fit.gof_p is None
    assert not fit.has_band
    assert fit.predict([0, 10, 100]) == pytest.approx([0.1, 0.2, 0.4])
    assert any(note.startswith("Exact fit: 3 dose levels for 3 parameters") for note in fit.notes)
    with pytest.raises(EmaxError, match="exact fit"):
        fit.band([0, 50])


def test_exact_fit_with_replicate_arms_still_counts_levels() -> None:
    """Two trials sharing doses: three dose levels, so exact, but there are residual df from replicates."""
    fit = fit_emax([0, 0, 10, 10, 100], [5, 6, 10, 11, 20], [50, 50, 50, 50, 50])
    assert fit.dose_levels == 3
    assert fit.exact
    assert fit.df_resid == 2


@pytest.mark.parametrize(
    ("model", "dose", "levels"),
    [("emax", [0, 10], 2), ("emax", [0, 10, 10], 2), ("sigmoid", [0, 10, 100], 3)],
)
def test_too_few_dose_levels(model: str, dose: list[float], levels: int) -> None:
    x = [1] * len(dose)
    n = [10] * len(dose)
    with pytest.raises(EmaxError, match=rf"needs at least \d dose levels .* these arms have {levels}$"):
        fit_emax(dose, x, n, model=model)


def test_emax_error_is_a_value_error() -> None:
    assert issubclass(EmaxError, ValueError)


@pytest.mark.parametrize(
    ("dose", "x", "n", "message"),
    [
        ([0, 10, 100], [1, 2], [10, 10, 10], "one length"),
        ([0, -10, 100], [1, 2, 3], [10, 10, 10], "not negative"),
        ([0, 10, 100], [1, 12, 3], [10, 10, 10], "responders <= n"),
        ([0, 10, 100], [1, 2, 3], [10, 0, 10], "n >= 1"),
        ([0, 10, 100], [1, 2.5, 3], [10, 10, 10], "whole numbers"),
        ([0, 0, 0], [1, 2, 3], [10, 10, 10], "positive dose"),
    ],
)
def test_bad_arms(dose: list[float], x: list[float], n: list[int], message: str) -> None:
    with pytest.raises(EmaxError, match=message):
        fit_emax(dose, x, n)


def test_unknown_model_or_scale() -> None:
    with pytest.raises(ValueError, match="unknown Emax model"):
        fit_emax(*migraine(), model="linear")
    with pytest.raises(ValueError, match="unknown scale"):
        fit_emax(*migraine(), scale="log")


@pytest.mark.parametrize("scale", ["probability", "logit"])
def test_zero_and_full_response_arms(scale: str) -> None:
    fit = fit_emax([0, 10, 50, 100], [0, 10, 30, 40], [40, 40, 40, 40], scale=scale)
    assert all(math.isfinite(v) for v in fit.params.values())
    assert fit.has_band
    assert any("0% or 100% response" in note for note in fit.notes)
    predicted = fit.predict([0, 100])
    assert predicted[0] < 0.1
    assert predicted[1] > 0.85  # the empirical logit pulls 40/40 in a little


def test_ed50_at_upper_bound_is_reported() -> None:
    """Response still rising linearly at the top dose: ED50 runs to 1.5 x the top dose."""
    fit = fit_emax([0, 50, 100, 150, 200], [10, 20, 30, 40, 50], [100] * 5)
    assert fit.at_bound == ("ed50",)
    assert fit.params["ed50"] == pytest.approx(300.0)
    assert any("ED50 ended at its upper bound" in note for note in fit.notes)


def test_sigmoid_fit_recovers_a_steep_curve() -> None:
    d = np.array([0, 5, 10, 20, 40, 80, 160], dtype=float)
    truth = 0.1 + 0.6 * d**3 / (20.0**3 + d**3)
    n = np.full(d.size, 100_000)
    x = np.round(truth * n).astype(int)
    fit = fit_emax(d, x, n, model="sigmoid")
    assert fit.model == "sigmoid"
    assert not fit.fell_back
    assert fit.params == pytest.approx({"e0": 0.1, "emax": 0.6, "ed50": 20.0, "h": 3.0}, rel=1e-2)
    assert fit.has_band


def test_predict_clips_to_probabilities_only_on_probability_scale(probability_fit: EmaxFit) -> None:
    raw = probability_fit.fitted_scale([0.0, 1000.0])
    assert probability_fit.predict([0.0, 1000.0]) == pytest.approx(np.clip(raw, 0, 1))
    with pytest.raises(ValueError, match="not negative"):
        probability_fit.predict([-1.0])

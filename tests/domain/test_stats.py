"""Effect measures against statistics.md's reference values and statsmodels as an oracle."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from viewer.domain.measures import DiffCI, NumberNeeded, RateCI, RatioCI
from viewer.domain.stats import (
    NNT,
    Z95,
    Estimate,
    binary_effects,
    clopper_pearson_interval,
    count_from_percent,
    number_needed,
    odds_ratio,
    odds_ratio_arrays,
    rate,
    risk_difference,
    risk_difference_arrays,
    risk_ratio,
    risk_ratio_arrays,
    wilson_arrays,
    wilson_interval,
    zero_cell,
)

if TYPE_CHECKING:
    from collections.abc import Callable

SIG4 = 5e-4  # agreement to 4 significant digits
ORACLE = 1e-9  # agreement with statsmodels: same formula, different rounding order

SUSTAIN5 = (103, 131, 14, 133)  # semaglutide 1.0 mg vs placebo
MIGRAINE = (21, 58, 13, 133)  # 200 mg vs placebo


def close(actual: float, expected: float, rel: float = SIG4) -> bool:
    return math.isclose(actual, expected, rel_tol=rel)


def oracle(*args: float, **kwargs: str) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = confint_proportions_2indep(*args, **kwargs)
    return float(low), float(high)


@st.composite
def arm(draw: st.DrawFn) -> tuple[int, int]:
    """x of n with n in 1..5000, drawing x = 0 and x = n often."""
    n = draw(st.integers(1, 5000))
    x = draw(st.one_of(st.just(0), st.just(n), st.integers(0, n)))
    return x, n


def wald(x1: int, n1: int, x2: int, n2: int) -> Estimate:
    return risk_difference(x1, n1, x2, n2, method=DiffCI.WALD)


HYPOTHESIS = settings(max_examples=200, deadline=None)


# ------------------------------------------------------------------------------------ reference values


def test_z95_is_the_975_normal_quantile() -> None:
    from statistics import NormalDist

    assert abs(Z95 - NormalDist().inv_cdf(0.975)) < 1e-15


def test_wilson_reference() -> None:
    low, high = wilson_interval(103, 131)
    assert close(low, 0.70843)
    assert close(high, 0.84778)


def test_clopper_pearson_reference() -> None:
    low, high = clopper_pearson_interval(103, 131)
    assert close(low, 0.70611)
    assert close(high, 0.85303)


@pytest.mark.parametrize(
    ("method", "expected"),
    [(RateCI.WILSON, (0.70843, 0.84778)), (RateCI.CLOPPER_PEARSON, (0.70611, 0.85303))],
)
def test_rate_reference(method: RateCI, expected: tuple[float, float]) -> None:
    est = rate(103, 131, method)
    assert est == Estimate(103 / 131, est.low, est.high, method)
    assert close(est.low, expected[0])
    assert close(est.high, expected[1])


@pytest.mark.parametrize(
    ("counts", "function", "expected"),
    [
        (SUSTAIN5, wald, (0.68100, 0.59354, 0.76845)),
        (SUSTAIN5, risk_difference, (0.68100, 0.58044, 0.75521)),
        (SUSTAIN5, risk_ratio, (7.46947, 4.51478, 12.35783)),
        (SUSTAIN5, odds_ratio, (31.26786, 15.62594, 62.56768)),
        (MIGRAINE, risk_difference, (0.26432, 0.13658, 0.39898)),
        (MIGRAINE, risk_ratio, (3.70424, 1.99443, 6.87986)),
        (MIGRAINE, odds_ratio, (5.23909, 2.39265, 11.47182)),
    ],
    ids=[
        "sustain5-rd-wald",
        "sustain5-rd-newcombe",
        "sustain5-rr",
        "sustain5-or",
        "migraine-rd",
        "migraine-rr",
        "migraine-or",
    ],
)
def test_two_arm_reference(
    counts: tuple[int, int, int, int], function: Callable[..., Estimate], expected: tuple[float, float, float]
) -> None:
    est = function(*counts)
    assert not est.corrected
    for actual, wanted in zip((est.value, est.low, est.high), expected, strict=True):
        assert close(actual, wanted), (actual, wanted)


def test_method_names() -> None:
    assert risk_difference(*SUSTAIN5).method is DiffCI.NEWCOMBE
    assert risk_difference(*SUSTAIN5, method=DiffCI.WALD).method is DiffCI.WALD
    assert risk_ratio(*SUSTAIN5).method is RatioCI.KATZ_LOG
    assert odds_ratio(*SUSTAIN5).method is RatioCI.WOOLF
    assert rate(1, 2).method is RateCI.WILSON
    assert rate(1, 2, RateCI.CLOPPER_PEARSON).method is RateCI.CLOPPER_PEARSON


def test_a_method_given_as_text_becomes_the_member() -> None:
    """Settings and scripts hold the value; the estimate still records the member, label and citation."""
    assert risk_difference(*SUSTAIN5, method="wald").method is DiffCI.WALD
    assert rate(1, 2, "clopper-pearson").method is RateCI.CLOPPER_PEARSON


def test_nnt_reference() -> None:
    nnt = number_needed(risk_difference(*SUSTAIN5))
    assert close(nnt.value, 1.47, rel=5e-3)
    assert close(nnt.low, 1.32, rel=5e-3)
    assert close(nnt.high, 1.72, rel=5e-3)
    assert not nnt.through_infinity
    assert nnt.measure is NumberNeeded.NNT
    assert nnt.text() == "NNT 2 (95% CI 2 to 2)"


# ---------------------------------------------------------------------------------- statsmodels oracle


@HYPOTHESIS
@given(arm())
def test_wilson_matches_statsmodels(a: tuple[int, int]) -> None:
    x, n = a
    low, high = wilson_interval(x, n)
    ref_low, ref_high = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(ref_low, abs=ORACLE)
    assert high == pytest.approx(ref_high, abs=ORACLE)
    assert 0.0 <= low <= x / n <= high <= 1.0


@HYPOTHESIS
@given(arm())
def test_clopper_pearson_matches_statsmodels(a: tuple[int, int]) -> None:
    x, n = a
    low, high = clopper_pearson_interval(x, n)
    ref_low, ref_high = proportion_confint(x, n, alpha=0.05, method="beta")
    assert low == pytest.approx(ref_low, abs=ORACLE)
    assert high == pytest.approx(ref_high, abs=ORACLE)


@HYPOTHESIS
@given(arm(), arm())
def test_newcombe_matches_statsmodels(a: tuple[int, int], b: tuple[int, int]) -> None:
    (x1, n1), (x2, n2) = a, b
    est = risk_difference(x1, n1, x2, n2)
    ref_low, ref_high = oracle(x1, n1, x2, n2, compare="diff", method="newcomb")
    assert est.value == pytest.approx(x1 / n1 - x2 / n2, abs=1e-15)
    assert est.low == pytest.approx(ref_low, abs=ORACLE)
    assert est.high == pytest.approx(ref_high, abs=ORACLE)
    assert -1.0 <= est.low <= est.value <= est.high <= 1.0


@HYPOTHESIS
@given(arm(), arm())
def test_wald_matches_statsmodels_within_minus_one_to_one(a: tuple[int, int], b: tuple[int, int]) -> None:
    (x1, n1), (x2, n2) = a, b
    est = risk_difference(x1, n1, x2, n2, method=DiffCI.WALD)
    ref_low, ref_high = oracle(x1, n1, x2, n2, compare="diff", method=DiffCI.WALD)
    # ours is clipped to the range of a difference of proportions; statsmodels' is not
    assert est.low == pytest.approx(max(ref_low, -1.0), abs=ORACLE)
    assert est.high == pytest.approx(min(ref_high, 1.0), abs=ORACLE)


def no_zero_cell(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return 0 < a[0] < a[1] and 0 < b[0] < b[1]


@HYPOTHESIS
@given(arm().filter(lambda a: 0 < a[0] < a[1]), arm().filter(lambda a: 0 < a[0] < a[1]))
def test_katz_matches_statsmodels_without_zero_cells(a: tuple[int, int], b: tuple[int, int]) -> None:
    (x1, n1), (x2, n2) = a, b
    est = risk_ratio(x1, n1, x2, n2)
    ref_low, ref_high = oracle(x1, n1, x2, n2, compare="ratio", method="log")
    assert not est.corrected
    assert est.value == pytest.approx((x1 / n1) / (x2 / n2), rel=1e-12)
    assert est.low == pytest.approx(ref_low, rel=ORACLE)
    assert est.high == pytest.approx(ref_high, rel=ORACLE)


@HYPOTHESIS
@given(arm().filter(lambda a: 0 < a[0] < a[1]), arm().filter(lambda a: 0 < a[0] < a[1]))
def test_woolf_matches_statsmodels_without_zero_cells(a: tuple[int, int], b: tuple[int, int]) -> None:
    (x1, n1), (x2, n2) = a, b
    est = odds_ratio(x1, n1, x2, n2)
    ref_low, ref_high = oracle(x1, n1, x2, n2, compare="odds-ratio", method="logit")
    assert not est.corrected
    assert est.value == pytest.approx(x1 * (n2 - x2) / ((n1 - x1) * x2), rel=1e-12)
    assert est.low == pytest.approx(ref_low, rel=ORACLE)
    assert est.high == pytest.approx(ref_high, rel=ORACLE)


@HYPOTHESIS
@given(arm(), arm())
def test_zero_cell_correction_is_half_added_to_every_cell(a: tuple[int, int], b: tuple[int, int]) -> None:
    """With a zero cell the ratios are the plain formulas on x + 0.5 of n + 1; else nothing is added."""
    (x1, n1), (x2, n2) = a, b
    rr = risk_ratio(x1, n1, x2, n2)
    odds = odds_ratio(x1, n1, x2, n2)
    zero = not no_zero_cell(a, b)
    assert bool(zero_cell(x1, n1, x2, n2)) is zero
    add = 0.5 if zero else 0.0
    c1, m1, c2, m2 = x1 + add, n1 + 2 * add, x2 + add, n2 + 2 * add
    if x1 == 0 and x2 == 0:
        assert all(math.isnan(v) for v in (rr.value, rr.low, rr.high))
        assert not rr.corrected
    else:
        assert rr.corrected is zero
        assert rr.value == pytest.approx((c1 / m1) / (c2 / m2), rel=1e-12)
        ref_low, ref_high = oracle(c1, m1, c2, m2, compare="ratio", method="log")
        assert rr.low == pytest.approx(ref_low, rel=ORACLE)
        assert rr.high == pytest.approx(ref_high, rel=ORACLE)
    if (x1 == 0 and x2 == 0) or (x1 == n1 and x2 == n2):
        assert all(math.isnan(v) for v in (odds.value, odds.low, odds.high))
        assert not odds.corrected
    else:
        assert odds.corrected is zero
        assert odds.value == pytest.approx(c1 * (m2 - c2) / ((m1 - c1) * c2), rel=1e-12)
        ref_low, ref_high = oracle(c1, m1, c2, m2, compare="odds-ratio", method="logit")
        assert odds.low == pytest.approx(ref_low, rel=ORACLE)
        assert odds.high == pytest.approx(ref_high, rel=ORACLE)


# ------------------------------------------------------------------------------------------ edge cases


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        (0, 1, 0.0, 0.79345),
        (1, 1, 0.20655, 1.0),
        (0, 10, 0.0, 0.27753),
        (10, 10, 0.72247, 1.0),
    ],
)
def test_wilson_at_the_ends(x: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(x, n)
    assert got[0] == pytest.approx(low, abs=1e-5)
    assert got[1] == pytest.approx(high, abs=1e-5)
    # the ends are exact, not 1e-17 away
    assert (got[0] == 0.0) is (x == 0)
    assert (got[1] == 1.0) is (x == n)


@pytest.mark.parametrize(("x", "n"), [(0, 1), (1, 1), (0, 25), (25, 25)])
def test_clopper_pearson_ends_are_exact(x: int, n: int) -> None:
    low, high = clopper_pearson_interval(x, n)
    assert (low == 0.0) is (x == 0)
    assert (high == 1.0) is (x == n)


def test_no_responders_in_either_arm() -> None:
    rd = risk_difference(0, 10, 0, 10)
    assert (rd.value, rd.low, rd.high) == pytest.approx((0.0, -0.27753, 0.27753), abs=1e-5)
    assert risk_difference(0, 10, 0, 10, method=DiffCI.WALD) == Estimate(0.0, 0.0, 0.0, DiffCI.WALD)
    for ratio in (risk_ratio(0, 10, 0, 10), odds_ratio(0, 10, 0, 10)):
        assert all(math.isnan(v) for v in (ratio.value, ratio.low, ratio.high))


def test_everyone_responds_in_both_arms() -> None:
    rr = risk_ratio(10, 10, 20, 20)
    assert rr.corrected
    assert rr.value == pytest.approx((10.5 / 11) / (20.5 / 21))
    assert rr.low < 1.0 < rr.high
    assert math.isnan(odds_ratio(10, 10, 20, 20).value)


def test_zero_placebo_responders_is_corrected() -> None:
    rr = risk_ratio(5, 10, 0, 10)
    assert rr.corrected
    assert rr.value == pytest.approx(11.0)
    assert (rr.low, rr.high) == pytest.approx((0.68804, 175.86258), rel=1e-5)
    odds = odds_ratio(5, 10, 0, 10)
    assert odds.corrected
    assert odds.value == pytest.approx(21.0)
    assert (odds.low, odds.high) == pytest.approx((0.97155, 453.91161), rel=1e-5)


def test_hundred_percent_response_against_some() -> None:
    rd = risk_difference(20, 20, 10, 20)
    assert rd.value == 0.5
    assert rd.high < 1.0
    assert risk_ratio(20, 20, 10, 20).corrected
    assert risk_difference(20, 20, 0, 20, method=DiffCI.WALD) == Estimate(1.0, 1.0, 1.0, DiffCI.WALD)


def test_one_patient_per_arm() -> None:
    rd = risk_difference(1, 1, 0, 1)
    assert rd.value == 1.0
    assert rd.low == pytest.approx(-0.12211, abs=1e-5)
    assert rd.high == 1.0
    rr = risk_ratio(1, 1, 0, 1)
    assert rr.corrected
    assert rr.value == pytest.approx(3.0)
    assert math.isnan(odds_ratio(1, 1, 1, 1).value)


@pytest.mark.parametrize(
    "bad",
    [(0, 0), (1, 0), (-1, 5), (6, 5), (1.5, 5)],
)
def test_bad_counts_raise(bad: tuple[Any, Any]) -> None:
    x, n = bad
    with pytest.raises(ValueError, match=r"n must|x must|whole"):
        rate(x, n)
    with pytest.raises(ValueError, match=r"n must|x must|whole"):
        risk_difference(x, n, 1, 5)
    with pytest.raises(ValueError, match=r"n must|x must|whole"):
        wilson_arrays([x], [n])


def test_unknown_methods_raise() -> None:
    with pytest.raises(ValueError, match="unknown rate method"):
        rate(1, 2, DiffCI.WALD)  # a difference method is not a rate method
    with pytest.raises(ValueError, match="unknown risk-difference method"):
        risk_difference(1, 2, 1, 2, "score")


# ------------------------------------------------------------------------------------------------- NNT


@pytest.mark.parametrize(
    ("rd", "harm", "text"),
    [
        (Estimate(0.681, 0.58044, 0.75521, DiffCI.NEWCOMBE), False, "NNT 2 (95% CI 2 to 2)"),
        (Estimate(0.2, 0.1, 0.3, DiffCI.NEWCOMBE), False, "NNT 5 (95% CI 4 to 10)"),
        (Estimate(0.2, 0.1, 0.3, DiffCI.NEWCOMBE), True, "NNH 5 (95% CI 4 to 10)"),
        (Estimate(-0.2, -0.3, -0.1, DiffCI.NEWCOMBE), False, "NNH 5 (95% CI 4 to 10)"),
        (Estimate(-0.2, -0.3, -0.1, DiffCI.NEWCOMBE), True, "NNT 5 (95% CI 4 to 10)"),
        (Estimate(0.1, -0.07, 0.19, DiffCI.NEWCOMBE), False, "NNT 10 (95% CI NNTB 6 to ∞ to NNTH 15)"),
        (Estimate(0.1, -0.07, 0.19, DiffCI.NEWCOMBE), True, "NNH 10 (95% CI NNTH 6 to ∞ to NNTB 15)"),
        (Estimate(-0.05, -0.07, 0.19, DiffCI.NEWCOMBE), False, "NNH 20 (95% CI NNTB 6 to ∞ to NNTH 15)"),
        (Estimate(0.0, -0.1, 0.1, DiffCI.NEWCOMBE), False, "NNT ∞ (95% CI NNTB 10 to ∞ to NNTH 10)"),
        (Estimate(0.1, 0.0, 0.2, DiffCI.WALD), False, "NNT 10 (95% CI NNTB 5 to ∞)"),
        (Estimate(-0.1, -0.2, 0.0, DiffCI.WALD), False, "NNH 10 (95% CI ∞ to NNTH 5)"),
        (Estimate(math.nan, math.nan, math.nan, "katz-log"), False, "NNT not estimable"),
    ],
)
def test_nnt_text(rd: Estimate, harm: bool, text: str) -> None:
    assert number_needed(rd, harm=harm).text() == text


def test_nnt_inverts_and_swaps_limits() -> None:
    nnt = number_needed(Estimate(0.2, 0.1, 0.4, DiffCI.NEWCOMBE))
    assert nnt == NNT(5.0, 2.5, 10.0, False, "NNT")


def test_nnt_through_infinity_keeps_unrounded_limits() -> None:
    nnt = number_needed(Estimate(0.1, -0.07, 0.19, DiffCI.NEWCOMBE))
    assert nnt.through_infinity
    assert nnt.value == pytest.approx(10.0)
    assert nnt.low == pytest.approx(1 / 0.19)
    assert nnt.high == pytest.approx(-1 / 0.07)


def test_nnt_of_no_difference_is_infinite() -> None:
    nnt = number_needed(risk_difference(0, 10, 0, 10, method=DiffCI.WALD))
    assert nnt.value == math.inf
    assert nnt.through_infinity
    assert nnt.text() == "NNT ∞ (95% CI ∞)"


def test_nnt_rounding_ignores_float_noise() -> None:
    rd = 0.3 - 0.1  # 0.19999999999999998, so 1/rd is 5.000000000000001
    nnt = number_needed(Estimate(rd, rd, rd, DiffCI.WALD))
    assert nnt.text() == "NNT 5 (95% CI 5 to 5)"


# ----------------------------------------------------------------------------- counts from percentages


@pytest.mark.parametrize(
    ("percent", "n", "decimals", "count", "fits", "note"),
    [
        (42.9, 7, 1, 3, True, ""),
        (42.9, 7, None, 3, True, ""),
        (33.3, 7, 1, 2, False, "33.3% of 7 fits no whole count (nearest 2/7 = 28.6%)"),
        (78.6, 131, 1, 103, True, ""),
        (10.5, 133, 1, 14, True, ""),
        (33.0, 3, None, 1, True, ""),
        (33.0, 3, 1, 1, False, "33.0% of 3 fits no whole count (nearest 1/3 = 33.3%)"),
        (33.0, 1000, 0, 330, False, "33% of 1000 fits 11 whole counts (325 to 335); 330 used"),
        (0.0, 50, 1, 0, True, ""),
        (100.0, 50, 1, 50, True, ""),
        (100.0, 1, 0, 1, True, ""),
        (12.5, 1000, 1, 125, True, ""),
        (1.0, 150, 0, 2, False, "1% of 150 fits 2 whole counts (1 to 2); 2 used"),  # 1.5 rounds up to 2
        (2.5, 20, None, 1, False, "2.5% of 20 fits no whole count (nearest 1/20 = 5.0%)"),
    ],
)
def test_count_from_percent(percent: float, n: int, decimals: int | None, count: int, fits: bool, note: str) -> None:
    got = count_from_percent(percent, n, decimals)
    assert (got.count, got.percent, got.n, got.fits, got.note) == (count, percent, n, fits, note)


def test_count_from_percent_rounds_half_up() -> None:
    assert count_from_percent(12.5, 4).count == 1  # 0.5 -> 1
    assert count_from_percent(62.5, 4).count == 3  # 2.5 -> 3, where round() would give 2
    assert count_from_percent(0.5, 100, 1).count == 1


@pytest.mark.parametrize(("percent", "n"), [(-0.1, 10), (100.1, 10), (math.nan, 10), (50.0, 0)])
def test_count_from_percent_rejects(percent: float, n: int) -> None:
    with pytest.raises(ValueError, match=r"percentage|n must"):
        count_from_percent(percent, n)


@HYPOTHESIS
@given(arm(), st.integers(0, 2))
def test_count_from_printed_percent_round_trips(a: tuple[int, int], decimals: int) -> None:
    """A percentage printed from a real count always recovers that count, and fits when only it can."""
    x, n = a
    printed = float(f"{100 * x / n:.{decimals}f}")
    got = count_from_percent(printed, n, decimals)
    width = 10.0**-decimals
    if 100 / n > width:  # one count is a wider step than the printed precision: exactly one fits
        assert got.count == x
        assert got.fits
    else:
        assert abs(got.count - x) <= n * width / 100 + 1


# ------------------------------------------------------------------------------------------ vectorised


def test_vectorised_agrees_with_scalar() -> None:
    rng = np.random.default_rng(20240611)
    size = 400
    n1 = rng.integers(1, 400, size)
    n2 = rng.integers(1, 400, size)
    x1 = rng.binomial(n1, rng.uniform(0, 1, size))
    x2 = rng.binomial(n2, rng.uniform(0, 1, size))
    x1[:20], x2[20:40], x1[40:60], x2[40:60] = 0, 0, n1[40:60], n2[40:60]
    low, high = wilson_arrays(x1, n1)
    rd = risk_difference_arrays(x1, n1, x2, n2)
    wald = risk_difference_arrays(x1, n1, x2, n2, method=DiffCI.WALD)
    rr = risk_ratio_arrays(x1, n1, x2, n2)
    odds = odds_ratio_arrays(x1, n1, x2, n2)
    zero = zero_cell(x1, n1, x2, n2)
    for i in range(size):
        a = (int(x1[i]), int(n1[i]), int(x2[i]), int(n2[i]))
        assert wilson_interval(a[0], a[1]) == (low[i], high[i])
        for arrays, scalar in (
            (rd, risk_difference(*a)),
            (wald, risk_difference(*a, method=DiffCI.WALD)),
            (rr, risk_ratio(*a)),
            (odds, odds_ratio(*a)),
        ):
            np.testing.assert_array_equal(
                [arrays[0][i], arrays[1][i], arrays[2][i]], [scalar.value, scalar.low, scalar.high]
            )
        assert risk_ratio(*a).corrected == (bool(zero[i]) and not math.isnan(rr[0][i]))


@pytest.mark.parametrize("method", list(DiffCI))
def test_one_pass_equals_each_measure_to_the_last_bit(method: DiffCI) -> None:
    """binary_effects (counts checked once, one continuity correction for both ratios, the Wilson limits of
    the rates handed to the Newcombe interval) gives the numbers of the four separate functions exactly."""
    rng = np.random.default_rng(20261203)
    size = 3000
    n1, n2 = rng.integers(1, 400, size), rng.integers(1, 400, size)
    x1, x2 = rng.binomial(n1, rng.uniform(0, 1, size)), rng.binomial(n2, rng.uniform(0, 1, size))
    x1[:50], x2[50:100], x1[100:150], x2[100:150], x1[150:200], x2[150:200] = 0, 0, 0, 0, n1[150:200], n2[150:200]
    x1, n1, x2, n2 = (a.astype(np.float64) for a in (x1, n1, x2, n2))
    want = (
        risk_difference_arrays(x1, n1, x2, n2, method=method),
        risk_ratio_arrays(x1, n1, x2, n2),
        odds_ratio_arrays(x1, n1, x2, n2),
    )
    for limits in ((None, None), (wilson_arrays(x1, n1), wilson_arrays(x2, n2))):
        *got, zero = binary_effects(x1, n1, x2, n2, method, *limits)
        for triple, expected in zip(got, want, strict=True):
            for column, wanted in zip(triple, expected, strict=True):
                np.testing.assert_array_equal(column, wanted)
        np.testing.assert_array_equal(zero, zero_cell(x1, n1, x2, n2))
    assert np.isnan(got[1][0][100:150]).all() and np.isnan(got[2][0][150:200]).all()  # 0/0 ratios
    with pytest.raises(ValueError, match="between 0 and its n"):
        binary_effects(n1 + 1, n1, x2, n2)


def test_vectorised_warns_about_nothing_on_extremes() -> None:
    x = np.array([0, 1, 0, 5])
    n = np.array([1, 1, 5, 5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for f in (risk_difference_arrays, risk_ratio_arrays, odds_ratio_arrays):
            f(x, n, x[::-1], n[::-1])
            f(x, n, x, n)


def test_scipy_is_not_imported_with_the_domain() -> None:
    code = "import sys, viewer.domain.stats, viewer.domain.emax; assert 'scipy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)

"""Person-time statistics against R's poisson.test (values from person_time_reference.R, kept here so the
suite needs no R) and statsmodels."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

from viewer.domain.measures import PersonTimeCI
from viewer.domain.stats import incidence_rate, poisson_rate_interval, rate_difference, rate_ratio

# x1, t1, x2, t2 | 100 x1/t1 with exact CI | rate ratio with exact conditional CI  (Rscript output, R 4.x)
R_VALUES = [
    ((30, 1000, 12, 800), (3.0, 2.0240874021, 4.2826865395), (2.0, 0.994370508, 4.289334787)),
    ((7, 308.6, 0, 250.2), (2.2683084900, 0.9119776577, 4.6735824244), (math.inf, 1.168552791, math.inf)),
    ((0, 120.5, 3, 118.0), (0.0, 0.0, 3.0613107503), (0.0, 0.0, 2.369745423)),
    ((1, 50, 1, 50), (2.0, 0.0506356160, 11.1432867819), (1.0, 0.01273936708, 78.49683532)),
]


@pytest.mark.parametrize(("counts", "rate", "irr"), R_VALUES)
def test_rate_and_ratio_match_r_poisson_test(
    counts: tuple[int, float, int, float], rate: tuple[float, float, float], irr: tuple[float, float, float]
) -> None:
    x1, t1, x2, t2 = counts
    got = incidence_rate(x1, t1)
    assert (got.value, got.low, got.high) == pytest.approx(rate, rel=1e-8, abs=1e-10)
    assert got.method is PersonTimeCI.GARWOOD
    ratio = rate_ratio(x1, t1, x2, t2)
    assert (ratio.value, ratio.low, ratio.high) == pytest.approx(irr, rel=1e-7, abs=1e-10)
    assert ratio.method is PersonTimeCI.EXACT_CONDITIONAL


@pytest.mark.parametrize(("events", "years"), [(0, 10.0), (1, 3.5), (7, 308.6), (246, 308.6), (1000, 12.0)])
def test_exact_rate_interval_matches_statsmodels(events: int, years: float) -> None:
    low, high = poisson_rate_interval(events, years)
    ref_low, ref_high = confint_poisson(events, years, method="exact-c")
    assert (low, high) == pytest.approx((float(ref_low), float(ref_high)), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(("x1", "t1", "x2", "t2"), [(30, 1000, 12, 800), (7, 308.6, 2, 250.2), (5, 90.0, 0, 80.0)])
def test_rate_difference_matches_statsmodels_wald(x1: int, t1: float, x2: int, t2: float) -> None:
    got = rate_difference(x1, t1, x2, t2)
    low, high = confint_poisson_2indep(x1, t1, x2, t2, method="wald", compare="diff")
    assert got.value == pytest.approx(100 * (x1 / t1 - x2 / t2))
    assert (got.low, got.high) == pytest.approx((100 * float(low), 100 * float(high)), rel=1e-9)
    assert got.method is PersonTimeCI.WALD


def test_no_events_anywhere_gives_no_ratio() -> None:
    assert math.isnan(rate_ratio(0, 10.0, 0, 10.0).value)


@pytest.mark.parametrize(("events", "years"), [(-1, 10.0), (1, 0.0), (1, math.nan), (1.5, 10.0)])
def test_bad_person_time_is_refused(events: int, years: float) -> None:
    with pytest.raises(ValueError, match=r"events|person-time"):
        incidence_rate(events, years)

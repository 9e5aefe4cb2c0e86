"""Expected awkward inputs give stated results, not exceptions: one trial, zero cells, tau² at zero,
a disconnected network, no loops to test, too few doses."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.domain.measures import Effect
from viewer.domain.synthesis.dose_response import DoseModel, DoseTrial, fit_dose_response
from viewer.domain.synthesis.effect_sizes import ArmCounts, trial_contrasts, two_by_two
from viewer.domain.synthesis.inconsistency import design_by_treatment, node_splits
from viewer.domain.synthesis.network import NetworkTrial, components, network_meta_analysis
from viewer.domain.synthesis.pairwise import PoolMethod, PoolModel, Tau2Method, pool


def test_no_trial_is_a_stated_empty_result() -> None:
    r = pool([], [])
    assert r.k == 0 and not r.ok and math.isnan(r.estimate) and r.reason == "no trial to pool"


def test_one_trial_is_its_own_estimate_with_no_heterogeneity() -> None:
    r = pool([0.5], [0.04], PoolMethod(hksj=True))
    assert r.estimate == 0.5 and r.se == pytest.approx(0.2)
    assert r.low == pytest.approx(0.5 - 1.959963984540054 * 0.2)
    assert "one trial" in r.reason and r.df is None
    assert math.isnan(r.pi_low) and math.isnan(r.heterogeneity.i2)


def test_tau2_at_zero_says_random_equals_fixed() -> None:
    y, v = [0.1, 0.12, 0.11], [0.01, 0.02, 0.015]
    random, fixed = pool(y, v), pool(y, v, PoolMethod(PoolModel.FIXED))
    assert random.heterogeneity.tau2 == 0.0 and "tau² estimated at 0" in random.reason
    assert random.estimate == pytest.approx(fixed.estimate, abs=1e-15)
    dl = pool(y, v, PoolMethod(tau2=Tau2Method.DL))
    assert dl.heterogeneity.tau2 == 0.0 and dl.heterogeneity.tau2_low == 0.0 and dl.heterogeneity.tau2_high == 0.0


def test_identical_trials_under_hartung_knapp_have_zero_se_and_say_so() -> None:
    r = pool([0.3, 0.3], [0.01, 0.02], PoolMethod(hksj=True))
    assert r.se == 0.0 and "Hartung–Knapp standard error is zero" in r.reason


def test_bad_variances_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="variances positive"):
        pool([0.1], [0.0])


def test_zero_cells_follow_only0_and_double_zero_is_left_out() -> None:
    yi, vi, corrected, usable = two_by_two([0, 0, 3], [10, 12, 10], [2, 0, 4], [10, 12, 10], Effect.OR)
    assert list(corrected) == [True, False, False] and list(usable) == [True, False, True]
    assert yi[0] == pytest.approx(math.log((0.5 / 10.5) / (2.5 / 8.5)))
    assert math.isnan(yi[1]) and math.isnan(vi[1])
    rd, _, _, ok = two_by_two([0], [12], [0], [12], Effect.RD)
    assert ok[0] and rd[0] == 0.0  # a difference of two zero rates is informative: 0


def test_multi_arm_contrasts_share_the_baseline_variance() -> None:
    arms = (ArmCounts("placebo", 10, 50), ArmCounts("a", 20, 50), ArmCounts("b", 25, 50))
    tc = trial_contrasts("t", arms, Effect.RD)
    var_placebo = 0.2 * 0.8 / 50
    assert tc.cov[0, 1] == pytest.approx(var_placebo) and tc.cov[1, 1] == pytest.approx(var_placebo + 0.25 / 50)
    none = trial_contrasts("t", (ArmCounts("placebo", 0, 5), ArmCounts("a", 0, 5)), Effect.RR)
    assert not none.usable and "no responder" in none.reason


def _trial(name: str, *arms: tuple[str, int, int]) -> NetworkTrial:
    return NetworkTrial(name, tuple(ArmCounts(t, x, n) for t, x, n in arms))


def test_a_disconnected_network_estimates_only_what_is_linked_to_the_reference() -> None:
    trials = [
        _trial("t1", ("placebo", 20, 100), ("a", 40, 100)),
        _trial("t2", ("placebo", 25, 100), ("b", 45, 100)),
        _trial("t3", ("c", 30, 100), ("d", 50, 100)),
    ]
    assert len(components(trials)) == 2
    res = network_meta_analysis(trials, Effect.OR, "placebo")
    assert res.treatments == ("placebo", "a", "b") and res.disconnected == ("c", "d")
    assert ("t3", "not connected to placebo by any chain of trials") in res.excluded
    assert "disconnected from placebo" in res.reason
    assert res.pair("a", "c") is None
    ab = res.pair("a", "b")
    assert ab is not None and ab.direct_trials == 0
    star = design_by_treatment(res)
    assert star.df_between == 0 and "cannot be tested" in star.reason


def test_network_of_two_arm_trials_without_replication_uses_fixed_effect_and_says_why() -> None:
    res = network_meta_analysis([_trial("t1", ("placebo", 20, 100), ("a", 40, 100))], Effect.RD, "placebo")
    assert res.tau2 == 0.0 and "tau² cannot be estimated" in res.reason
    pair = res.pair("a", "placebo")
    assert pair is not None and pair.estimate == pytest.approx(0.2)


def test_no_usable_trial_gives_an_empty_network_with_a_reason() -> None:
    res = network_meta_analysis([_trial("t1", ("placebo", 0, 10), ("a", 0, 10))], Effect.OR, "placebo")
    assert not res.ok and res.excluded[0][1].startswith("no responder")
    assert "no trial compares" in res.reason


def test_node_split_needs_indirect_evidence() -> None:
    trials = [
        _trial("t1", ("placebo", 20, 100), ("a", 40, 100)),
        _trial("t2", ("placebo", 25, 100), ("b", 45, 100)),
        _trial("t3", ("a", 30, 100), ("b", 50, 100)),
    ]
    res = network_meta_analysis(trials, Effect.OR, "placebo", PoolMethod(PoolModel.FIXED))
    splits = node_splits(res)
    assert len(splits) == 3  # a triangle: every edge has direct and indirect evidence
    star = design_by_treatment(res)
    assert star.df_between == 1 and star.q_between == pytest.approx(res.q)


def test_dose_response_with_too_few_doses_or_one_trial() -> None:
    one = [DoseTrial("t", ArmCounts("p", 10, 50), ((10.0, ArmCounts("10", 20, 50)),))]
    emax = fit_dose_response(one, Effect.RD, DoseModel.EMAX)
    assert not emax.ok and "not estimable" in emax.reason
    linear = fit_dose_response(one, Effect.RD, DoseModel.LINEAR)
    assert linear.ok and "one trial" in linear.reason and "no band" in linear.reason
    assert linear.predict(10.0) == pytest.approx(0.2)
    none = fit_dose_response([], Effect.RD, DoseModel.LINEAR)
    assert not none.ok and "no trial" in none.reason


def test_emax_band_spans_the_observed_doses_and_contains_the_curve() -> None:
    arms = ((5.0, ArmCounts("5", 20, 60)), (10.0, ArmCounts("10", 28, 60)), (20.0, ArmCounts("20", 33, 60)),
            (40.0, ArmCounts("40", 36, 60)))  # fmt: skip
    fit = fit_dose_response([DoseTrial("t", ArmCounts("p", 10, 60), arms)], Effect.RD, DoseModel.EMAX)
    assert fit.ok and fit.band_x[0] == 0.0 and fit.band_x[-1] == 40.0
    assert np.all(np.array(fit.band_low) <= np.array(fit.band_y) + 1e-15)
    ed50 = fit.parameter("ED50")
    assert ed50 is not None and 0 < ed50.low < ed50.value < ed50.high


def test_timepoints_that_name_no_weeks_are_matched_by_their_words() -> None:
    """Regression (found by the window soak): trials read only at 'end of treatment' made the timepoint
    match keep no trial at all and raise StopIteration inside the league table's build."""
    from types import SimpleNamespace

    from viewer.charts.evidence_pool import _match_timepoints

    def figure(trial: str, timepoint: str) -> SimpleNamespace:
        return SimpleNamespace(timepoint=timepoint, trial=SimpleNamespace(name=trial))

    end = "end of treatment"
    chosen = {"a": [figure("A", end)], "b": [figure("B", end)], "c": [figure("C", "week 12")]}
    kept, late = _match_timepoints(chosen)  # type: ignore[arg-type]
    assert set(kept) == {"a", "b"}
    assert late == [("C", "read at week 12, not near end of treatment; choose that timepoint to use it")]

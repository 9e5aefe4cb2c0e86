"""The network's tau² estimators, Hartung–Knapp and node-splitting on small hand-checkable networks
(the R comparison is in test_r_reference.py)."""

from __future__ import annotations

import math

import pytest

from viewer.domain.measures import Effect
from viewer.domain.synthesis.effect_sizes import ArmCounts
from viewer.domain.synthesis.inconsistency import node_splits
from viewer.domain.synthesis.network import NetworkTrial, network_meta_analysis
from viewer.domain.synthesis.pairwise import PoolMethod, PoolModel, Tau2Method, pool


def _trial(name: str, *arms: tuple[str, int, int]) -> NetworkTrial:
    return NetworkTrial(name, tuple(ArmCounts(t, x, n) for t, x, n in arms))


TRIANGLE = [
    _trial("t1", ("placebo", 20, 100), ("a", 40, 100)),
    _trial("t2", ("placebo", 25, 100), ("a", 35, 100)),
    _trial("t3", ("placebo", 22, 100), ("b", 45, 100)),
    _trial("t4", ("a", 30, 100), ("b", 50, 100)),
]


def test_two_treatment_network_equals_pairwise_pooling_for_every_method() -> None:
    trials = [*TRIANGLE[:2], _trial("t5", ("placebo", 30, 120), ("a", 70, 120))]
    ys, vs = [], []
    for t in trials:
        (p, a) = t.arms
        pa, pp = a.responders / a.n, p.responders / p.n
        ys.append(pa - pp)
        vs.append(pa * (1 - pa) / a.n + pp * (1 - pp) / p.n)
    for method in (PoolMethod(PoolModel.FIXED), PoolMethod(), PoolMethod(tau2=Tau2Method.DL),
                   PoolMethod(hksj=True), PoolMethod(tau2=Tau2Method.DL, hksj=True)):  # fmt: skip
        net = network_meta_analysis(trials, Effect.RD, "placebo", method)
        pair = net.pair("a", "placebo")
        ref = pool(ys, vs, method)
        assert pair is not None
        assert (pair.estimate, pair.se, pair.low, pair.high) == pytest.approx((ref.estimate, ref.se, ref.low, ref.high))
        assert pair.p_value == pytest.approx(ref.p_value)
        assert net.tau2 == pytest.approx(ref.heterogeneity.tau2, abs=1e-12)
        assert net.t_df == ref.df


def test_node_split_of_two_arm_trials_is_direct_pool_against_the_rest() -> None:
    """With two-arm trials only and fixed effect, the split model's direct estimate is the pooled direct
    trials and its indirect estimate the network without them: both checkable by hand."""
    net = network_meta_analysis(TRIANGLE, Effect.OR, "placebo", PoolMethod(PoolModel.FIXED))
    splits = {(s.first, s.second): s for s in node_splits(net)}
    assert set(splits) == {("a", "placebo"), ("b", "placebo"), ("b", "a")}
    ab = splits[("b", "a")]
    direct = network_meta_analysis([TRIANGLE[3]], Effect.OR, "a", PoolMethod(PoolModel.FIXED)).pair("b", "a")
    indirect = network_meta_analysis(TRIANGLE[:3], Effect.OR, "placebo", PoolMethod(PoolModel.FIXED)).pair("b", "a")
    assert direct is not None and indirect is not None
    assert (ab.direct, ab.direct_se) == pytest.approx((direct.estimate, direct.se))
    assert (ab.indirect, ab.indirect_se) == pytest.approx((indirect.estimate, indirect.se))
    z = (direct.estimate - indirect.estimate) / math.hypot(direct.se, indirect.se)
    assert ab.z == pytest.approx(z) and ab.tau2 == 0.0 and ab.direct_trials == 1


def test_node_split_skips_a_comparison_with_only_direct_evidence() -> None:
    star = [TRIANGLE[0], TRIANGLE[2]]
    assert node_splits(network_meta_analysis(star, Effect.OR, "placebo")) == ()
    three_arm = [_trial("t", ("placebo", 20, 100), ("a", 40, 100), ("b", 45, 100))]
    assert node_splits(network_meta_analysis(three_arm, Effect.OR, "placebo")) == ()


def test_hartung_knapp_without_residual_df_falls_back_to_wald_and_says_so() -> None:
    net = network_meta_analysis([TRIANGLE[0]], Effect.RD, "placebo", PoolMethod(hksj=True))
    assert net.t_df is None and "Hartung–Knapp not applicable" in net.reason


def test_dl_tau2_at_zero_is_stated() -> None:
    same = [_trial(f"t{i}", ("placebo", 20, 100), ("a", 40, 100)) for i in range(3)]
    net = network_meta_analysis(same, Effect.RD, "placebo", PoolMethod(tau2=Tau2Method.DL))
    assert net.tau2 == 0.0 and "tau² estimated at 0" in net.reason


def test_degenerate_networks_give_stated_checks_not_errors() -> None:
    from viewer.domain.synthesis.inconsistency import design_by_treatment

    empty = network_meta_analysis([_trial("t", ("placebo", 0, 10), ("a", 0, 10))], Effect.OR, "placebo")
    assert node_splits(empty) == () and design_by_treatment(empty).reason == "no network to test"
    mixed = [
        TRIANGLE[0],
        _trial("zero", ("placebo", 0, 30), ("a", 0, 30)),
        _trial("one", ("placebo", 0, 30), ("a", 4, 30)),
    ]
    net = network_meta_analysis(mixed, Effect.OR, "placebo", PoolMethod(tau2=Tau2Method.DL, hksj=True))
    assert [t for t, _ in net.excluded] == ["zero"] and net.trials == ("t1", "one")
    assert net.contrasts[1].corrected  # the single zero cell: 0.5 added to every cell of that trial
    assert net.t_df == 1 and net.pair("a", "placebo") is not None
    disconnected = [*TRIANGLE, _trial("island", ("c", 10, 50), ("d", 20, 50))]
    res = network_meta_analysis(disconnected, Effect.RD, "placebo", PoolMethod(tau2=Tau2Method.DL))
    assert res.disconnected == ("c", "d") and len(node_splits(res)) == 3

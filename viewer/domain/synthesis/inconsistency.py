"""Does direct evidence agree with indirect evidence? Two checks a reviewer expects of a network.

Design-by-treatment interaction (Higgins et al. 2012, Res Synth Methods 3:98; the Q decomposition of
Krahn, Binder & König 2013, BMC Med Res Methodol 13:35): the consistency model is compared with a model
giving every design (set of treatments in a trial) its own effects. Under fixed effect
Q_total = Q_within designs + Q_between designs, the last being the inconsistency statistic on
rank(X_design) - (T - 1) degrees of freedom. Under random effects the same difference of generalised
Q statistics is taken at one tau², estimated by REML in the design-by-treatment model (the consistency
model's when designs are not replicated), which is the Wald test of the design interaction terms.

Direct against indirect for each comparison with direct evidence, by back-calculation (Dias et al. 2010,
Stat Med 29:932; netmeta ``netsplit``): the direct estimate pools that comparison's within-trial
contrasts (with the network's tau²); indirect = (d_net/v_net - d_dir/v_dir) / (1/v_net - 1/v_dir) with
variance 1/(1/v_net - 1/v_dir), and z = (d_dir - d_ind)/sqrt(v_dir + v_ind). With multi-arm trials the
back-calculation is an approximation, as in netmeta.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from viewer.domain.synthesis.effect_sizes import ArmCounts, FloatArray, trial_contrasts
from viewer.domain.synthesis.gls import fit, reml_tau2, within_trial_c
from viewer.domain.synthesis.network import NetworkResult, block_diag, design_matrix
from viewer.domain.synthesis.pairwise import PoolMethod, PoolModel, pool


@dataclass(frozen=True, slots=True)
class DesignByTreatment:
    """The inconsistency test; ``df`` 0 (with ``reason``) when no loop lets evidence disagree."""

    q_within: float
    df_within: int
    q_between: float
    df_between: int
    p_between: float
    q_between_random: float
    p_between_random: float
    tau2: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Split:
    """Direct and indirect estimates of first vs second (pooling scale) and the z test of their difference."""

    first: str
    second: str
    direct: float
    direct_se: float
    indirect: float
    indirect_se: float
    z: float
    p_value: float
    direct_trials: int


def design_columns(result: NetworkResult) -> FloatArray:
    """One column per (design, non-baseline treatment): the design-by-treatment model."""
    keys: list[tuple[frozenset[str], str]] = []
    rows: list[tuple[frozenset[str], str]] = []
    for tc in result.contrasts:
        design = frozenset((tc.baseline, *tc.treatments))
        for t in tc.treatments:
            rows.append((design, t))
            if (design, t) not in keys:
                keys.append((design, t))
    x = np.zeros((len(rows), len(keys)))
    for i, key in enumerate(rows):
        x[i, keys.index(key)] = 1.0
    return x


def design_by_treatment(result: NetworkResult) -> DesignByTreatment:
    from scipy.stats import chi2

    nan = math.nan
    if not result.ok:
        return DesignByTreatment(nan, 0, nan, 0, nan, nan, nan, nan, "no network to test")
    y = np.concatenate([c.y for c in result.contrasts])
    v = block_diag([c.cov for c in result.contrasts])
    c = within_trial_c([len(tc.y) for tc in result.contrasts])
    x = design_matrix(result.contrasts, result.treatments)
    xd = design_columns(result)
    df_between = int(np.linalg.matrix_rank(xd)) - (len(result.treatments) - 1)
    df_within = len(y) - int(np.linalg.matrix_rank(xd))
    q_within = fit(y, xd, v, c, 0.0).q
    q_between = fit(y, x, v, c, 0.0).q - q_within
    fallback = result.tau2 if math.isfinite(result.tau2) else 0.0
    tau2 = reml_tau2(y, xd, v, c) if df_within > 0 else fallback
    q_random = fit(y, x, v, c, tau2).q - fit(y, xd, v, c, tau2).q
    if df_between == 0:
        why = "no closed loop and no design informs another: inconsistency cannot be tested"
        return DesignByTreatment(q_within, df_within, nan, 0, nan, nan, nan, tau2, why)
    reason = "" if df_within > 0 else "no design is replicated: tau² taken from the consistency model"
    return DesignByTreatment(
        q_within, df_within, q_between, df_between, float(chi2.sf(q_between, df_between)),
        q_random, float(chi2.sf(q_random, df_between)), tau2, reason,
    )  # fmt: skip


def node_splits(result: NetworkResult, arms_by_trial: dict[str, tuple[ArmCounts, ...]]) -> tuple[Split, ...]:
    """Direct vs indirect for every comparison that has both (back-calculation)."""
    from scipy.stats import norm

    out = []
    tau2 = result.tau2 if result.model is PoolModel.RANDOM and math.isfinite(result.tau2) else 0.0
    for edge in result.edges:
        net = result.pair(edge.second, edge.first)
        if net is None:
            continue
        ys, vs = [], []
        for trial in result.trials:
            arms = {a.treatment: a for a in arms_by_trial[trial]}
            if edge.first in arms and edge.second in arms:
                tc = trial_contrasts(trial, (arms[edge.first], arms[edge.second]), result.measure)
                if tc.usable:
                    ys.append(float(tc.y[0]))
                    vs.append(float(tc.cov[0, 0]) + tau2)
        if not ys:
            continue
        direct = pool(np.array(ys), np.array(vs), PoolMethod(PoolModel.FIXED))
        v_net, v_dir = net.se**2, direct.se**2
        if v_dir <= v_net * (1 + 1e-9):
            continue  # all the evidence is direct: no indirect estimate
        v_ind = 1.0 / (1.0 / v_net - 1.0 / v_dir)
        ind = (net.estimate / v_net - direct.estimate / v_dir) * v_ind
        z = (direct.estimate - ind) / math.sqrt(v_dir + v_ind)
        out.append(Split(edge.second, edge.first, direct.estimate, direct.se, ind, math.sqrt(v_ind), z,
                         float(2 * norm.sf(abs(z))), edge.trials))  # fmt: skip
    return tuple(out)

"""Does direct evidence agree with indirect evidence? Two checks a reviewer expects of a network.

Design-by-treatment interaction (Higgins et al. 2012, Res Synth Methods 3:98; the Q decomposition of
Krahn, Binder & König 2013, BMC Med Res Methodol 13:35): the consistency model is compared with a model
giving every design (set of treatments in a trial) its own effects. Under fixed effect
Q_total = Q_within designs + Q_between designs, the last being the inconsistency statistic on
rank(X_design) - (T - 1) degrees of freedom. Under random effects the same difference of generalised
Q statistics is taken at one tau², estimated in the design-by-treatment model by the network's estimator
(the consistency model's tau² when no design is replicated), which is the Wald test of the design
interaction terms.

Node-splitting (Dias et al. 2010, Stat Med 29:932, in the frequentist form of White's "side-splitting",
White 2015, Stata J 15:951): for a comparison A vs B with direct evidence, the network model is refitted
with one more parameter δ that the trials containing both A and B add to their B-against-A effect (each
such trial's effects taken against A, so in a multi-arm trial the contrasts of B with its other arms
carry δ too). The direct estimate is d_B - d_A + δ, the indirect one d_B - d_A (it rests on the other
trials and on the other contrasts of multi-arm trials), and their difference δ is tested with its
standard error from the same fit, so correlations through multi-arm trials are kept, not approximated
as in a back-calculation. Under random effects tau² is re-estimated in each split model by the network's
estimator (the consistency model's tau² when the split model leaves no residual degree of freedom). A
comparison whose every piece of evidence is direct (δ not identifiable) has no indirect estimate and is
not split. This is metafor ``rma.mv(yi, V, mods = cbind(X, split), intercept = FALSE, random = ~ comp |
study, struct = "CS", rho = 1/2)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from viewer.domain.synthesis.effect_sizes import FloatArray
from viewer.domain.synthesis.gls import fit, within_trial_c
from viewer.domain.synthesis.network import NetworkResult, block_diag, design_matrix, estimate_tau2
from viewer.domain.synthesis.pairwise import PoolModel


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
    """Direct and indirect estimates of first vs second (pooling scale) from one node-split model, and the
    z test of their difference; ``tau2`` is the split model's between-trial variance."""

    first: str
    second: str
    direct: float
    direct_se: float
    indirect: float
    indirect_se: float
    z: float
    p_value: float
    direct_trials: int
    tau2: float

    @property
    def difference(self) -> float:
        return self.direct - self.indirect


def _stack(result: NetworkResult) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    y = np.concatenate([c.y for c in result.contrasts])
    v = block_diag([c.cov for c in result.contrasts])
    c = within_trial_c([len(tc.y) for tc in result.contrasts])
    return y, v, c, design_matrix(result.contrasts, result.treatments)


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
    y, v, c, x = _stack(result)
    xd = design_columns(result)
    df_between = int(np.linalg.matrix_rank(xd)) - (len(result.treatments) - 1)
    df_within = len(y) - int(np.linalg.matrix_rank(xd))
    q_within = fit(y, xd, v, c, 0.0).q
    q_between = fit(y, x, v, c, 0.0).q - q_within
    fallback = result.tau2 if math.isfinite(result.tau2) else 0.0
    tau2 = estimate_tau2(result.method, y, xd, v, c) if df_within > 0 else fallback
    q_random = fit(y, x, v, c, tau2).q - fit(y, xd, v, c, tau2).q
    if df_between == 0:
        why = "no closed loop and no design informs another: inconsistency cannot be tested"
        return DesignByTreatment(q_within, df_within, nan, 0, nan, nan, nan, tau2, why)
    fixed = result.model is PoolModel.FIXED
    reason = "" if df_within > 0 or fixed else "no design is replicated: tau² taken from the consistency model"
    return DesignByTreatment(
        q_within, df_within, q_between, df_between, float(chi2.sf(q_between, df_between)),
        q_random, float(chi2.sf(q_random, df_between)), tau2, reason,
    )  # fmt: skip


def split_column(result: NetworkResult, a: str, b: str) -> FloatArray:
    """The node-split parameter's column: δ added to B against A in every trial that has both arms."""
    col: list[float] = []
    for tc in result.contrasts:
        both = {a, b} <= {tc.baseline, *tc.treatments}
        col += [float(both) * (float(t == b) - float(tc.baseline == b)) for t in tc.treatments]
    return np.array(col)


def node_splits(result: NetworkResult) -> tuple[Split, ...]:
    """Direct against indirect for every comparison that has both (one node-split model each)."""
    from scipy.stats import norm

    if not result.ok:
        return ()
    y, v, c, x = _stack(result)
    rank = int(np.linalg.matrix_rank(x))
    basic = len(result.treatments) - 1
    out = []
    for edge in result.edges:
        a, b = sorted((edge.first, edge.second), key=result.treatments.index)
        col = split_column(result, a, b)
        xs = np.column_stack([x, col])
        if int(np.linalg.matrix_rank(xs)) == rank:
            continue  # every piece of evidence on a vs b is direct: nothing to split
        tau2 = 0.0
        if result.model is PoolModel.RANDOM:
            identified = len(y) > rank + 1
            tau2 = estimate_tau2(result.method, y, xs, v, c) if identified else result.tau2
        split = fit(y, xs, v, c, tau2)
        contrast = np.zeros(basic + 1)
        ia, ib = result.treatments.index(a), result.treatments.index(b)
        if ib:
            contrast[ib - 1] += 1.0
        if ia:
            contrast[ia - 1] -= 1.0
        direct_vec = contrast.copy()
        direct_vec[basic] = 1.0
        indirect = float(contrast @ split.beta)
        direct = float(direct_vec @ split.beta)
        delta_se = math.sqrt(float(split.cov[basic, basic]))
        z = (direct - indirect) / delta_se
        out.append(Split(
            b, a, direct, math.sqrt(float(direct_vec @ split.cov @ direct_vec)), indirect,
            math.sqrt(float(contrast @ split.cov @ contrast)), z, float(2 * norm.sf(abs(z))), edge.trials, tau2,
        ))  # fmt: skip
    return tuple(out)

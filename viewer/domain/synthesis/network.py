"""Frequentist contrast-based network meta-analysis (Lu & Ades 2004 in its frequentist GLS form).

Each trial contributes the effects of its arms against one baseline arm (the reference treatment when the
trial has it), with the covariance a shared baseline implies (:mod:`effect_sizes`). The basic parameters
are the effects of every treatment against the reference; a contrast t vs b has design row
e_t - e_b. Fixed effect: GLS with V. Random effects: GLS with V + tau² C (homogeneous between-trial
variance, correlation 1/2 inside a multi-arm trial; :mod:`gls`), tau² by REML (default) or by the
method of moments that generalises DerSimonian–Laird (Jackson, White & Riley 2012, Stat Med 31:3805).
This is metafor ``rma.mv(yi, V, mods = X, intercept = FALSE, random = ~ comp | study, struct = "CS",
rho = 1/2)``, and for fixed effect the graph-theoretical estimate of Rücker (2012, Res Synth Methods
3:312) as netmeta computes it. Every pair (a, b) of connected treatments is d_a - d_b with variance
var d_a + var d_b - 2 cov(d_a, d_b): the league table.

Hartung–Knapp–Sidik–Jonkman, as for a meta-regression (Knapp & Hartung 2003, Stat Med 22:2693; metafor
``rma(..., mods = X, test = "knha")``): the covariance of the basic parameters is scaled by
s² = rᵀ Σ̂⁻¹ r / (n - p) (the generalised residual quadratic form at the estimated tau², not truncated)
and intervals use the t distribution on n - p degrees of freedom (n contrasts, p basic parameters).

Heterogeneity: Cochran's Q of the fixed-effect fit on Σ(arms - 1) - (T - 1) degrees of freedom and
I² = (Q - df)/Q. A treatment that no chain of trials links to the reference cannot be estimated: it is
listed as disconnected and left out of the model, never guessed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from viewer.domain.measures import Effect
from viewer.domain.synthesis.effect_sizes import ArmCounts, FloatArray, TrialContrasts, trial_contrasts
from viewer.domain.synthesis.gls import fit, moment_tau2, reml_tau2, within_trial_c
from viewer.domain.synthesis.pairwise import Z95, PoolMethod, PoolModel, Tau2Method


@dataclass(frozen=True, slots=True)
class NetworkTrial:
    """One trial's arms as network nodes (drug and dose, or placebo); ``population`` for the caveats."""

    trial: str
    arms: tuple[ArmCounts, ...]
    population: str = ""

    @property
    def design(self) -> frozenset[str]:
        return frozenset(a.treatment for a in self.arms)


@dataclass(frozen=True, slots=True)
class Edge:
    """Two treatments randomised against each other in ``trials`` trials with ``patients`` patients."""

    first: str
    second: str
    trials: int
    patients: int


@dataclass(frozen=True, slots=True)
class PairEstimate:
    """first vs second on the pooling scale (log for ratios): the network estimate with its 95% CI.

    ``df`` is the t distribution's degrees of freedom under Hartung–Knapp, None for a Wald z interval."""

    first: str
    second: str
    estimate: float
    se: float
    low: float
    high: float
    direct_trials: int
    df: int | None = None

    @property
    def p_value(self) -> float:
        from scipy.stats import norm
        from scipy.stats import t as student_t

        if not self.se > 0:
            return math.nan
        z = abs(self.estimate / self.se)
        return float(2 * (norm.sf(z) if self.df is None else student_t.sf(z, self.df)))


@dataclass(frozen=True, slots=True)
class NetworkResult:
    """The fitted network; ``reason`` says why it is limited or empty (nothing connected, one trial ...)."""

    measure: Effect
    method: PoolMethod
    reference: str
    treatments: tuple[str, ...]  # the connected treatments, reference first
    basic: FloatArray  # effects of treatments[1:] against the reference
    cov: FloatArray
    tau2: float
    q: float
    df: int
    q_p: float
    i2: float
    trials: tuple[str, ...]  # trials that contributed
    excluded: tuple[tuple[str, str], ...]  # (trial, reason)
    disconnected: tuple[str, ...]
    edges: tuple[Edge, ...]
    contrasts: tuple[TrialContrasts, ...]
    reason: str = ""
    t_df: int | None = None  # Hartung–Knapp: t intervals on this many degrees of freedom

    @property
    def ok(self) -> bool:
        return len(self.treatments) > 1

    @property
    def model(self) -> PoolModel:
        return self.method.model

    @property
    def critical(self) -> float:
        """The 97.5% quantile the intervals use: normal, or t under Hartung–Knapp."""
        from scipy.stats import t as student_t

        return Z95 if self.t_df is None else float(student_t.isf(0.025, self.t_df))

    def pair(self, first: str, second: str) -> PairEstimate | None:
        """first vs second, or None when either is not in the connected network."""
        if first not in self.treatments or second not in self.treatments or first == second:
            return None
        a, b = self.treatments.index(first), self.treatments.index(second)
        vec = np.zeros(len(self.treatments) - 1)
        if a:
            vec[a - 1] += 1.0
        if b:
            vec[b - 1] -= 1.0
        est = float(vec @ self.basic)
        se = math.sqrt(max(float(vec @ self.cov @ vec), 0.0))
        direct = next((e.trials for e in self.edges if {e.first, e.second} == {first, second}), 0)
        crit = self.critical
        return PairEstimate(first, second, est, se, est - crit * se, est + crit * se, direct, self.t_df)

    def league(self) -> tuple[PairEstimate, ...]:
        """Every ordered pair (row treatment vs column treatment) of connected treatments."""
        return tuple(p for a in self.treatments for b in self.treatments if (p := self.pair(a, b)) is not None)


def network_edges(trials: Sequence[NetworkTrial]) -> tuple[Edge, ...]:
    """Every pair of treatments compared inside a trial, with the number of trials and patients."""
    count: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for t in trials:
        arms = sorted(t.arms, key=lambda a: a.treatment)
        for i, a in enumerate(arms):
            for b in arms[i + 1 :]:
                entry = count[(a.treatment, b.treatment)]
                entry[0] += 1
                entry[1] += a.n + b.n
    return tuple(Edge(a, b, n, p) for (a, b), (n, p) in sorted(count.items()))


def components(trials: Sequence[NetworkTrial]) -> list[set[str]]:
    """Connected sets of treatments (union-find over the arms of each trial), the largest first."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in trials:
        names = [a.treatment for a in t.arms]
        for name in names:
            root(name)
        for other in names[1:]:
            parent[root(other)] = root(names[0])
    groups: dict[str, set[str]] = defaultdict(set)
    for name in parent:
        groups[root(name)].add(name)
    return sorted(groups.values(), key=lambda g: (-len(g), sorted(g)))


def network_meta_analysis(
    trials: Sequence[NetworkTrial],
    measure: Effect,
    reference: str,
    method: PoolMethod | None = None,
) -> NetworkResult:
    """Fit the network of ``trials`` on ``measure`` against ``reference`` (placebo, usually); random effects
    with tau² by REML unless ``method`` says otherwise."""
    method = method or PoolMethod()
    model = method.model
    excluded: list[tuple[str, str]] = []
    usable: list[NetworkTrial] = []
    contrasts: list[TrialContrasts] = []
    for t in trials:
        base = reference if reference in t.design else sorted(t.design)[0]
        tc = trial_contrasts(t.trial, t.arms, measure, baseline=base)
        if tc.usable:
            usable.append(t)
            contrasts.append(tc)
        else:
            excluded.append((t.trial, tc.reason))
    groups = components(usable)
    chosen = next((g for g in groups if reference in g), groups[0] if groups else set())
    ref = reference if reference in chosen else (sorted(chosen)[0] if chosen else reference)
    disconnected = tuple(sorted(set().union(*groups) - chosen)) if groups else ()
    keep = [i for i, t in enumerate(usable) if t.design <= chosen]
    for i, t in enumerate(usable):
        if i not in keep:
            excluded.append((t.trial, f"not connected to {ref} by any chain of trials"))
    usable = [usable[i] for i in keep]
    contrasts = [contrasts[i] for i in keep]
    treatments = (ref, *sorted(chosen - {ref}))
    edges = network_edges(usable)
    nan = math.nan
    reasons = []
    if disconnected:
        reasons.append(f"disconnected from {ref}, not estimated: {', '.join(disconnected)}")
    if len(treatments) < 2:
        reasons.insert(0, "no trial compares two treatments with counts")
        return NetworkResult(measure, method, ref, tuple(t for t in treatments if chosen), np.zeros(0),
                             np.zeros((0, 0)), nan, nan, 0, nan, nan, (), tuple(excluded), disconnected,
                             edges, (), "; ".join(reasons))  # fmt: skip
    y = np.concatenate([c.y for c in contrasts])
    v = block_diag([c.cov for c in contrasts])
    x = design_matrix(contrasts, treatments)
    c = within_trial_c([len(tc.y) for tc in contrasts])
    fixed = fit(y, x, v, c, 0.0)
    df = len(y) - (len(treatments) - 1)
    tau2 = 0.0
    if model is PoolModel.RANDOM:
        if df == 0:
            reasons.append("no more trial contrasts than treatments: tau² cannot be estimated, fixed effect used")
        else:
            tau2 = estimate_tau2(method, y, x, v, c)
            if tau2 == 0.0:
                reasons.append("tau² estimated at 0: random effects equal fixed effect")
    final = fit(y, x, v, c, tau2) if tau2 > 0 else fixed
    cov, t_df = final.cov, None
    if method.hksj and model is PoolModel.RANDOM:
        if df == 0:
            reasons.append("no residual degrees of freedom: Hartung–Knapp not applicable, Wald intervals used")
        else:
            cov, t_df = final.cov * (final.q / df), df
    from scipy.stats import chi2

    q_p = float(chi2.sf(fixed.q, df)) if df > 0 else nan
    i2 = max(0.0, 100.0 * (fixed.q - df) / fixed.q) if df > 0 and fixed.q > 0 else nan
    return NetworkResult(
        measure, method, ref, treatments, final.beta, cov, tau2, fixed.q, df, q_p, i2,
        tuple(tc.trial for tc in contrasts), tuple(excluded), disconnected, edges, tuple(contrasts),
        "; ".join(reasons), t_df,
    )  # fmt: skip


def estimate_tau2(method: PoolMethod, y: FloatArray, x: FloatArray, v: FloatArray, c: FloatArray) -> float:
    """tau² of the model y ~ x by the method's estimator (0 under fixed effect)."""
    if method.model is PoolModel.FIXED:
        return 0.0
    return reml_tau2(y, x, v, c) if method.tau2 is Tau2Method.REML else moment_tau2(y, x, v, c)


def design_matrix(contrasts: Sequence[TrialContrasts], treatments: Sequence[str]) -> FloatArray:
    rows = []
    for tc in contrasts:
        for t in tc.treatments:
            row = np.zeros(len(treatments) - 1)
            if t != treatments[0]:
                row[treatments.index(t) - 1] += 1.0
            if tc.baseline != treatments[0]:
                row[treatments.index(tc.baseline) - 1] -= 1.0
            rows.append(row)
    return np.array(rows)


def block_diag(blocks: Sequence[FloatArray]) -> FloatArray:
    size = sum(len(b) for b in blocks)
    out = np.zeros((size, size))
    start = 0
    for b in blocks:
        out[start : start + len(b), start : start + len(b)] = b
        start += len(b)
    return out

"""Pooled effects of one drug at one dose (or, on request, across its doses) over trials, for the forest
plot and its CSV.

The trials come from :func:`~viewer.charts.evidence_pool.gather`, so the population rule holds here too:
trials of different populations are not pooled unless the user asks, and every pooled row carries the
caveats. Each trial's arm is compared with its own placebo (several placebo groups of one trial pooled
first); pooling across doses merges a trial's arms of the drug into one group first, so a trial with
several doses counts once (Cochrane Handbook 23.3.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from viewer.charts.evidence_pool import PLACEBO, EvidencePool, gather
from viewer.charts.query import Effect, Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import ArmRole
from viewer.domain.synthesis.effect_sizes import ArmCounts, two_by_two
from viewer.domain.synthesis.pairwise import Pooled, PoolMethod, PoolModel, pool

POOLED_COLUMNS: tuple[str, ...] = (
    "drug", "pooled_over", "measure", "method", "k_trials", "trials", "patients", "estimate", "ci_low", "ci_high",
    "p_value", "tau2", "tau2_ci_low", "tau2_ci_high", "i2_percent", "i2_ci_low", "i2_ci_high", "q", "q_df",
    "q_p_value", "prediction_low", "prediction_high", "populations", "timepoints", "note",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SynthesisOptions:
    """How to pool: method, whether trials of different populations may be combined, and whether a drug's
    doses are pooled together (by default each dose is pooled on its own)."""

    method: PoolMethod = field(default_factory=PoolMethod)
    combine_populations: bool = False
    across_doses: bool = False


@dataclass(frozen=True, slots=True)
class PooledRow:
    """One pooled effect: a drug at a dose (``group``) over its trials, on the pooling scale."""

    drug_id: str
    drug: str
    group: str  # node name ("Tofacitinib 5 mg BID"), or the drug name when pooled across doses
    trial_ids: tuple[str, ...]
    trial_names: tuple[str, ...]
    patients: int
    measure: Effect
    pooled: Pooled
    corrected: bool  # a trial had 0.5 added to its cells

    def shown(self, value: float) -> float:
        """On the chart's scale: percentage points for RD, the ratio itself for RR and OR."""
        return self.measure.display(value) * (1.0 if self.measure.is_ratio else 100.0)


@dataclass(frozen=True, slots=True)
class PooledResult:
    rows: tuple[PooledRow, ...]
    evidence: EvidencePool
    options: SynthesisOptions
    measure: Effect

    @property
    def refused(self) -> str:
        return self.evidence.refused


def options_of(query: Query) -> SynthesisOptions:
    """The synthesis the query asks for; random effects (REML) when it names no model."""
    method = PoolMethod(query.pool or PoolModel.RANDOM, query.tau2, query.hksj)
    return SynthesisOptions(method, query.combine_populations, query.pool_doses)


def pooled_effects(catalog: Catalog, query: Query, options: SynthesisOptions) -> PooledResult:
    """Pool each drug-dose group of the query's drugs against placebo over the trials the rules allow."""
    measure = query.effect
    evidence = gather(catalog, query, combine_populations=options.combine_populations, comparators=False)
    if evidence.refused:
        return PooledResult((), evidence, options, measure)
    nodes = {n.name: n for n in evidence.nodes}
    rank = {n.name: i for i, n in enumerate(evidence.nodes)}
    tables: dict[tuple[str, str], list[tuple[str, int, int, int, int]]] = {}
    for trial in evidence.trials:
        placebo = next((a for a in trial.arms if a.treatment == PLACEBO), None)
        if placebo is None:
            continue
        groups: dict[tuple[str, str], list[ArmCounts]] = {}
        for a in trial.arms:
            node = nodes[a.treatment]
            if node.role is ArmRole.DRUG:
                name = catalog.drugs[node.drug_id].name if options.across_doses else a.treatment
                groups.setdefault((node.drug_id, name), []).append(a)
        for key, arms in groups.items():
            x, n = sum(a.responders for a in arms), sum(a.n for a in arms)
            tables.setdefault(key, []).append((trial.trial, x, n, placebo.responders, placebo.n))
    order = {d: i for i, d in enumerate(query.drugs)}
    rows = []
    for (drug_id, group), entries in sorted(tables.items(), key=lambda kv: (order[kv[0][0]], rank.get(kv[0][1], 0))):
        x1, n1, x2, n2 = (np.array([e[i] for e in entries], dtype=np.float64) for i in range(1, 5))
        yi, vi, corrected, usable = two_by_two(x1, n1, x2, n2, measure)
        kept = [e for e, ok in zip(entries, usable, strict=True) if ok]
        result = pool(yi[usable], vi[usable], options.method)
        rows.append(PooledRow(
            drug_id, catalog.drugs[drug_id].name, group, tuple(e[0] for e in kept),
            tuple(catalog.trials[e[0]].name for e in kept), int(sum(e[2] + e[4] for e in kept)), measure, result,
            bool(np.any(corrected)),
        ))  # fmt: skip
    return PooledResult(tuple(rows), evidence, options, measure)


def method_footnote(result: PooledResult) -> str:
    m = result.options.method
    over = "each drug over its doses (a trial's doses merged)" if result.options.across_doses else "each dose"
    pi = "; prediction interval: metafor's convention" if m.model is PoolModel.RANDOM else ""
    return (
        f"Diamonds: {over} pooled on {result.measure.pooling_scale}, {m.describe()}; I² 95% CI by Q-profile{pi}. "
        "0.5 added to every cell of a table with a zero cell."
    )


def pooled_row_text(row: PooledRow) -> str:
    """Tooltip lines: estimate, interval, heterogeneity, prediction interval and what limited it."""
    p, h = row.pooled, row.pooled.heterogeneity
    ratio = row.measure.is_ratio

    def fmt(v: float) -> str:
        return "–" if not math.isfinite(v) else f"{row.shown(v):.2f}" if ratio else f"{row.shown(v):+.1f} pp"

    lines = [
        f"Pooled {row.group}: {row.measure.label.lower()} {fmt(p.estimate)} (95% CI {fmt(p.low)} to {fmt(p.high)})",
        f"{p.method.describe()}; {p.k} trial{'s' if p.k != 1 else ''}: {', '.join(row.trial_names)}; "
        f"{row.patients} patients",
    ]
    if p.k > 1:
        lines.append(
            f"tau² {h.tau2:.4g} (95% CI {h.tau2_low:.4g} to {h.tau2_high:.4g}); I² {h.i2:.1f}% "
            f"({h.i2_low:.1f}% to {h.i2_high:.1f}%); Q {h.q:.2f} on {h.df} df, p {h.q_p:.3g}"
        )
    if math.isfinite(p.pi_low):
        lines.append(f"Prediction interval {fmt(p.pi_low)} to {fmt(p.pi_high)}")
    if p.reason:
        lines.append(p.reason)
    return "\n".join(lines)


def pooled_csv_rows(result: PooledResult) -> list[dict[str, str | int | float | None]]:
    """One CSV row per pooled effect, on the display scale (RD as a fraction, ratios exponentiated)."""
    out: list[dict[str, str | int | float | None]] = []
    for row in result.rows:
        p, h = row.pooled, row.pooled.heterogeneity
        show = row.measure.display

        def opt(v: float) -> float | None:
            return v if math.isfinite(v) else None

        out.append({
            "drug": row.drug, "pooled_over": row.group, "measure": row.measure.value,
            "method": p.method.describe(), "k_trials": p.k, "trials": "; ".join(row.trial_names),
            "patients": row.patients, "estimate": opt(show(p.estimate)), "ci_low": opt(show(p.low)),
            "ci_high": opt(show(p.high)), "p_value": opt(p.p_value), "tau2": h.tau2 if p.k > 1 else None,
            "tau2_ci_low": opt(h.tau2_low), "tau2_ci_high": opt(h.tau2_high), "i2_percent": opt(h.i2),
            "i2_ci_low": opt(h.i2_low), "i2_ci_high": opt(h.i2_high), "q": h.q if p.k > 1 else None,
            "q_df": h.df if p.k > 1 else None, "q_p_value": opt(h.q_p), "prediction_low": opt(show(p.pi_low)),
            "prediction_high": opt(show(p.pi_high)), "populations": ", ".join(result.evidence.populations),
            "timepoints": ", ".join(result.evidence.timepoints),
            "note": "; ".join(x for x in (p.reason, *result.evidence.caveats) if x),
        })  # fmt: skip
    return out

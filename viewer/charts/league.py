"""The network meta-analysis as a league table and its CSV: every pair of treatments, row against column.

Cell (i, j) is the effect of the row treatment against the column treatment (netmeta's convention), as a
risk difference in percentage points or a ratio, with its 95% CI; the diagonal names the treatment. The
table carries the model, the heterogeneity, the inconsistency checks and the evidence caveats, so no copy
of it loses them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from viewer.charts.evidence_pool import PLACEBO, EvidencePool, gather
from viewer.charts.placement import PLACEMENT_COLUMNS, Fate
from viewer.charts.pooled import SynthesisOptions
from viewer.charts.query import Effect, Query
from viewer.charts.spec import ChartKind, ChartSpec, TextLabel
from viewer.domain.catalog import Catalog
from viewer.domain.synthesis.inconsistency import DesignByTreatment, Split, design_by_treatment, node_splits
from viewer.domain.synthesis.network import NetworkResult, PairEstimate, network_meta_analysis
from viewer.domain.synthesis.pairwise import Z95, PoolModel

LEAGUE_COLUMNS: tuple[str, ...] = (
    "first", "second", "measure", "model", "method", "estimate", "ci_low", "ci_high", "p_value", "direct_trials",
    "direct_estimate", "direct_ci_low", "direct_ci_high", "indirect_estimate", "indirect_ci_low",
    "indirect_ci_high", "split_p_value", "tau2", "q", "q_df", "i2_percent",
    "inconsistency_q", "inconsistency_df", "inconsistency_p_value", "populations", "timepoints", "note",
    *PLACEMENT_COLUMNS,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Synthesis:
    """The fitted network with its checks and the evidence it rests on."""

    evidence: EvidencePool
    network: NetworkResult | None
    inconsistency: DesignByTreatment | None
    splits: tuple[Split, ...]

    @property
    def refused(self) -> str:
        return self.evidence.refused


@dataclass(frozen=True, slots=True)
class LeagueTable:
    """What a league table shows: ``cells[i][j]`` is row i against column j; the diagonal is the name."""

    title: str
    treatments: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    significant: tuple[tuple[bool, ...], ...]  # the CI excludes no effect
    footnotes: tuple[str, ...]
    warnings: tuple[str, ...]
    empty_message: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.treatments

    def text(self) -> str:
        """A plain-text rendering (for the report and the terminal), columns padded to their widest cell."""
        if self.is_empty:
            return self.empty_message
        widths = [max(len(row[j]) for row in self.cells) for j in range(len(self.treatments))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in self.cells]
        return "\n".join([self.title, *lines, *self.warnings, *self.footnotes])


def synthesise(catalog: Catalog, query: Query, options: SynthesisOptions) -> Synthesis:
    """Gather the trials (population rule included) and fit the network on the query's effect measure."""
    evidence = gather(catalog, query, combine_populations=options.combine_populations)
    if evidence.refused:
        return Synthesis(evidence, None, None, ())
    network = network_meta_analysis(evidence.trials, query.effect, PLACEBO, options.method)
    return Synthesis(evidence, network, design_by_treatment(network), node_splits(network))


def effect_text(measure: Effect, estimate: float, low: float | None = None, high: float | None = None) -> str:
    """'1.41 (1.05 to 1.90)' for a ratio, '+7.5 (+1.1 to +14.0)' percentage points for a difference."""

    def one(v: float) -> str:
        return f"{math.exp(v):.2f}" if measure.is_ratio else f"{round(100 * v, 1) + 0.0:+.1f}"

    return one(estimate) if low is None or high is None else f"{one(estimate)} ({one(low)} to {one(high)})"


def build_league(
    catalog: Catalog, query: Query, options: SynthesisOptions, *, approved_only: bool = False
) -> LeagueTable:
    """The league table of the query's network; ``approved_only`` shows placebo, comparators and approved
    doses only (the estimates still come from the whole network)."""
    return _league(synthesise(catalog, query, options), query, approved_only=approved_only)


def _league(s: Synthesis, query: Query, *, approved_only: bool) -> LeagueTable:
    measure = query.effect
    unit = "percentage points" if measure is Effect.RD else measure.label.lower()
    title = f"{query.outcome}: network estimates, row against column ({unit}, 95% CI)"
    if s.network is None or not s.network.ok:
        why = s.refused or (s.network.reason if s.network else "") or "nothing to compare"
        return LeagueTable(title, (), (), (), (), s.evidence.caveats, empty_message=why)
    net = s.network
    names = tuple(
        n.name for n in s.evidence.nodes
        if n.name in net.treatments and (not approved_only or n.approved or n.drug_id not in query.drugs)
    )  # fmt: skip
    cells, significant = [], []
    for a in names:
        row, sig = [], []
        for b in names:
            pair = net.pair(a, b)
            row.append(a if pair is None else effect_text(measure, pair.estimate, pair.low, pair.high))
            sig.append(pair is not None and (pair.low > 0 or pair.high < 0))
        cells.append(tuple(row))
        significant.append(tuple(sig))
    return LeagueTable(title, names, tuple(cells), tuple(significant), network_footnotes(s), s.evidence.caveats)


PICTURE_LIMIT = 8
"""A drawn league table shows at most this many treatments in full; a larger one shows the approved doses."""


def league_for_picture(catalog: Catalog, query: Query, options: SynthesisOptions) -> LeagueTable:
    """The league table to draw: all of it when it is small enough to read, else placebo, comparators and
    the approved doses (estimated from the whole network; the CSV always holds every pair)."""
    return _picture(synthesise(catalog, query, options), query)


def _picture(s: Synthesis, query: Query) -> LeagueTable:
    full = _league(s, query, approved_only=False)
    if len(full.treatments) <= PICTURE_LIMIT:
        return full
    shown = _league(s, query, approved_only=True)
    return replace(shown, footnotes=(_shown_note(len(shown.treatments), len(full.treatments)), *shown.footnotes))


def _shown_note(shown: int, full: int) -> str:
    return (
        f"Shown: placebo, comparators and approved doses ({shown} of {full} treatments), estimated from the "
        "whole network; the CSV export holds every pair."
    )


def network_footnotes(s: Synthesis) -> tuple[str, ...]:
    net, dbt = s.network, s.inconsistency
    assert net is not None
    model = (
        f"random effects (common tau² by {net.method.tau2.label}, correlation 1/2 within multi-arm trials)"
        if net.model is PoolModel.RANDOM else "fixed effect"
    )  # fmt: skip
    ci = "Wald 95% CIs" if net.t_df is None else f"Hartung–Knapp 95% CIs (t on {net.t_df} df)"
    out = [
        f"Frequentist contrast-based network meta-analysis on {net.measure.pooling_scale}, {model}; "
        f"{len(net.trials)} trials, {len(net.treatments)} treatments; {ci}.",
    ]
    if net.df > 0:
        out.append(
            f"Heterogeneity: tau² {net.tau2:.4g}; Q {net.q:.2f} on {net.df} df (p {net.q_p:.3g}); I² {net.i2:.1f}%."
        )
    if dbt is not None and dbt.df_between > 0:
        out.append(
            f"Inconsistency (design-by-treatment): Q {dbt.q_between:.2f} on {dbt.df_between} df, p "
            f"{dbt.p_between:.3g} (fixed); Q {dbt.q_between_random:.2f}, p {dbt.p_between_random:.3g} (random)."
        )
    elif dbt is not None:
        out.append(f"Inconsistency: {dbt.reason}.")
    if dbt is not None and dbt.df_between > 0 and dbt.reason:
        out.append(f"Inconsistency test: {dbt.reason}.")
    if s.splits:
        worst = min(s.splits, key=lambda x: x.p_value)
        out.append(
            f"Direct vs indirect (node-splitting, one model per comparison) for {len(s.splits)} comparisons; "
            f"the largest disagreement: {worst.first} vs {worst.second}, direct "
            f"{effect_text(net.measure, worst.direct)}, indirect {effect_text(net.measure, worst.indirect)}, "
            f"p {worst.p_value:.3g} (all in the CSV)."
        )
    elif net.edges:
        out.append("Direct vs indirect: no comparison has both direct and indirect evidence (nothing to split).")
    if net.reason:
        out.append(net.reason[0].upper() + net.reason[1:] + ".")
    excluded = dict.fromkeys(f"{n} ({why})" for n, why in (*s.evidence.excluded, *net.excluded) if ":" not in n)
    if excluded:
        out.append("Left out: " + "; ".join(excluded) + ".")
    return tuple(out)


def league_rows(catalog: Catalog, query: Query, options: SynthesisOptions) -> list[dict[str, str | int | float | None]]:
    """One CSV row per ordered pair, on the display scale, with the model's checks repeated on each row; its
    ``chart`` and ``chart_note`` say whether the drawn table has the pair's cell (a network too large to
    read shows only placebo, comparators and approved doses) and, if not, why."""
    s = synthesise(catalog, query, options)
    if s.network is None or not s.network.ok:
        return []
    net, dbt = s.network, s.inconsistency
    splits = {(x.first, x.second): x for x in s.splits}
    note = "; ".join(x for x in (net.reason, *s.evidence.caveats) if x)
    drawn = set(_picture(s, query).treatments)
    shown: dict[str, str | int | float | None] = {"chart": Fate.SHOWN.value, "chart_note": ""}
    left_out: dict[str, str | int | float | None] = {
        "chart": Fate.LEFT_OUT.value,
        "chart_note": f"not in the drawn table, which shows placebo, comparators and approved doses ({len(drawn)} "
        f"of {len(net.treatments)} treatments)",
    }
    return [
        _row(net, pair, splits, dbt, s.evidence, note) | (shown if {pair.first, pair.second} <= drawn else left_out)
        for pair in net.league()
    ]


def _row(net: NetworkResult, pair: PairEstimate, splits: dict[tuple[str, str], Split], dbt: DesignByTreatment | None,
         evidence: EvidencePool, note: str) -> dict[str, str | int | float | None]:  # fmt: skip
    show = net.measure.display
    split = splits.get((pair.first, pair.second))
    sign = 1.0
    if split is None and (flipped := splits.get((pair.second, pair.first))) is not None:
        split, sign = flipped, -1.0

    def opt(v: float | None) -> float | None:
        return v if v is not None and math.isfinite(v) else None

    return {
        "first": pair.first, "second": pair.second, "measure": net.measure.value, "model": net.model.value,
        "method": net.method.describe(),
        "estimate": show(pair.estimate), "ci_low": show(pair.low), "ci_high": show(pair.high),
        "p_value": opt(pair.p_value), "direct_trials": pair.direct_trials,
        "direct_estimate": show(sign * split.direct) if split else None,
        **_interval("direct", split, sign, show),
        "indirect_estimate": show(sign * split.indirect) if split else None,
        **_interval("indirect", split, sign, show),
        "split_p_value": split.p_value if split else None, "tau2": net.tau2, "q": opt(net.q),
        "q_df": net.df, "i2_percent": opt(net.i2),
        "inconsistency_q": opt(dbt.q_between) if dbt else None, "inconsistency_df": dbt.df_between if dbt else None,
        "inconsistency_p_value": opt(dbt.p_between) if dbt else None,
        "populations": ", ".join(evidence.populations), "timepoints": ", ".join(evidence.timepoints), "note": note,
    }  # fmt: skip


def _interval(name: str, split: Split | None, sign: float, show: Callable[[float], float]) -> dict[str, float | None]:
    """The direct or indirect estimate's Wald 95% limits as CSV cells, in the row's direction (empty without a
    split)."""
    if split is None:
        return {f"{name}_ci_low": None, f"{name}_ci_high": None}
    value, se = (split.direct, split.direct_se) if name == "direct" else (split.indirect, split.indirect_se)
    low, high = sorted((sign * (value - Z95 * se), sign * (value + Z95 * se)))
    return {f"{name}_ci_low": show(low), f"{name}_ci_high": show(high)}


DIAGONAL_FILL = "#E8E8E8"
SIGNIFICANT_FILL = "#DCEBF5"
FILLED_TEXT = "#1A1A1A"  # on the light fills above, so a dark theme's light text does not vanish into them
LEAGUE_NOTE = (
    "Each cell: the row treatment against the column treatment; shaded cells exclude no effect "
    "(CI not crossing {null})."
)


def league_spec(table: LeagueTable, measure: Effect) -> ChartSpec:
    """The league table drawn as text cells on a grid (row i at the top for i = 0), for the screen and files."""
    if table.is_empty:
        return ChartSpec(ChartKind.LEAGUE, table.title, "", "", warnings=table.warnings,
                         empty_message=table.empty_message)  # fmt: skip
    n = len(table.treatments)
    labels = []
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            y = float(n - 1 - i)
            if i == j:
                name = cell.replace(" ", "\n", 1)
                labels.append(TextLabel(float(j), y, name, FILLED_TEXT, bold=True, fill=DIAGONAL_FILL, tooltip=cell))
                continue
            text = cell.replace(" (", "\n(", 1)
            tip = f"{table.treatments[i]} vs {table.treatments[j]}: {cell}"
            fill = SIGNIFICANT_FILL if table.significant[i][j] else ""
            colour = FILLED_TEXT if fill else ""  # the theme's text on no fill; dark text on a light fill in any theme
            labels.append(TextLabel(float(j), y, text, colour, bold=table.significant[i][j], fill=fill, tooltip=tip))
    null = "1" if measure.is_ratio else "0"
    return ChartSpec(
        kind=ChartKind.LEAGUE,
        title=table.title,
        x_label="",
        y_label="",
        x_range=(-0.5, n - 0.5),
        y_range=(-0.5, n - 0.5),
        labels=tuple(labels),
        show_axes=False,
        footnotes=(LEAGUE_NOTE.format(null=null), *table.footnotes),
        warnings=table.warnings,
    )

"""A selection's figures and effects in one vectorised pass over the catalog's columns.

The same rules as :func:`viewer.domain.comparisons.compare` (each treated arm against the placebo of its
own trial at the same endpoint and timepoint, several placebo groups pooled, open-label groups left out),
applied to :mod:`viewer.domain.columns` with numpy: the selection is a mask, the placebo of each arm a
group lookup, and the statistics the project's array functions over every pair at once. Python objects
(:class:`Figure`, :class:`Comparison`) are made only for the rows a chart shows (:meth:`EffectTable.comparisons`),
so a click costs vector operations over the catalog and objects for the selection, never a Python loop
over every trial.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.domain.catalog import Catalog
from viewer.domain.columns import (
    PLACEBO,
    VERIFIED,
    BoolArray,
    FigureColumns,
    FloatArray,
    IntArray,
    in_groups,
    stable_sorting,
)
from viewer.domain.comparisons import (
    Comparison,
    Figure,
    adverse_figures,
    no_counts_reason,
    pooled_placebo,
    result_figures,
)
from viewer.domain.measures import DiffCI, RateCI, RatioCI
from viewer.domain.stats import Estimate, Triple, binary_effects, number_needed, rate, wilson_arrays

TimepointOrder = Callable[[str], float]
"""How far a timepoint is from the start, for a trial's earliest one ('week 12' -> 12)."""

Limits = tuple[FloatArray, FloatArray]
"""Wilson limits (low, high), or a group's placebo counts (x, n), each over many arms."""


@dataclass(frozen=True, slots=True)
class SelectionRows:
    """Which figures (rows of the catalog's results or adverse events) a query selects, in the order a
    chart lists them: by trial id, then as the catalog holds them. Results are of one outcome, each trial
    at one timepoint; adverse events of one term (in any case) at any timepoint."""

    rows: IntArray
    adverse: bool


def select_rows(
    catalog: Catalog,
    drugs: Sequence[str],
    endpoint: str,
    *,
    adverse: bool = False,
    timepoint: str = "",
    trials: Collection[str] = (),
    population: str = "",
    verified_only: bool = False,
    order: TimepointOrder | None = None,
) -> SelectionRows:
    """Figures of ``drugs`` (and the placebo groups of their trials) at ``endpoint``.

    ``endpoint`` is an outcome id, or with ``adverse`` an adverse-event term (matched ignoring case, at
    every timepoint). With no ``timepoint`` each trial shows its primary timepoint when it reported the
    outcome there, else its earliest (``order``, then the text), as ``charts.common.default_timepoint``.
    """
    columns = catalog.columns
    arms, trial_columns = columns.arms, columns.trials
    figures = columns.adverse_events if adverse else columns.results
    drug_codes = arms.drug_codes(d for d in drugs if d in catalog.drugs)
    trial = arms.trial[in_groups(arms.by_drug, arms.drug_start, drug_codes)]
    trial = trial[trial >= 0]
    if _dense(trial, len(trial_columns.ids)):  # most of the catalog: one pass over every trial, no sort
        chosen = np.zeros(len(trial_columns.ids), dtype=np.bool_)
        chosen[trial] = True
        trial = trial_columns.by_id[chosen[trial_columns.by_id]]
    else:
        trial = np.unique(trial)
        trial = trial[np.argsort(trial_columns.rank[trial])]
    # the trials are now listed by id, as the catalog's index lists them
    if trials:
        trial = trial[np.isin(trial, [trial_columns.code[t] for t in trials if t in trial_columns.code])]
    if population:
        code = trial_columns.populations.index(population) if population in trial_columns.populations else -2
        trial = trial[trial_columns.population[trial] == code]
    rows = in_groups(figures.by_trial, figures.trial_start, trial)
    if adverse:
        wanted_term = endpoint.casefold()
        codes = [k for k, term in enumerate(figures.endpoints) if term.casefold() == wanted_term]
        rows = rows[np.isin(figures.endpoint[rows], codes)]
    else:
        code = figures.endpoints.index(endpoint) if endpoint in figures.endpoints else -2
        rows = rows[figures.endpoint[rows] == code]
        if timepoint:
            wanted_code = figures.timepoints.index(timepoint) if timepoint in figures.timepoints else -2
            rows = rows[figures.timepoint[rows] == wanted_code]
        else:
            timepoints = figures.timepoint[rows]
            if len(rows) and timepoints.min() != timepoints.max():  # one timepoint: every trial's own
                rows = rows[_default_timepoints(figures, rows, len(trial_columns.ids), order)]
    arm = figures.arm[rows]  # -1 (an arm the catalog lacks) reads the last arm's fields, and is dropped
    selected = np.zeros(len(arms.drugs), dtype=np.bool_)
    selected[drug_codes] = True
    keep = (arm >= 0) & ((arms.role[arm] == PLACEBO) | selected[arms.drug[arm]])
    if verified_only:
        keep &= figures.level[rows] == VERIFIED
    return SelectionRows(rows[keep], adverse)


def _dense(codes: IntArray, size: int) -> bool:
    """Whether ``codes`` cover enough of ``0..size`` that an array of ``size`` beats sorting them: a click
    on a few drugs costs its selection, a table of every drug one pass over the catalog's trials."""
    return len(codes) * 8 > size


def _default_timepoints(
    figures: FigureColumns, rows: IntArray, catalog_trials: int, order: TimepointOrder | None
) -> BoolArray:
    """Which of ``rows`` are at their trial's primary timepoint, or its earliest when it has none there."""
    trial, timepoint = figures.trial[rows], figures.timepoint[rows]
    at_primary = timepoint == figures.primary[trial]
    if _dense(trial, catalog_trials):
        local, trials = trial, catalog_trials
    else:  # the selection's trials, numbered from 0
        local = np.unique(trial, return_inverse=True)[1].reshape(-1).astype(np.int32)
        trials = int(local.max()) + 1 if len(local) else 0
    has_primary = np.zeros(trials, dtype=np.bool_)
    has_primary[local[at_primary]] = True
    used = np.flatnonzero(np.bincount(timepoint, minlength=len(figures.timepoints)))
    key = order or (lambda _t: math.inf)
    place = np.zeros(len(figures.timepoints), dtype=np.int64)
    texts = [figures.timepoints[k] for k in used]
    place[used[sorted(range(len(used)), key=lambda k: (key(texts[k]), texts[k]))]] = np.arange(len(used))
    rank = place[timepoint]
    earliest = np.full(trials, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(earliest, local, rank)
    keep: BoolArray = np.where(has_primary[local], at_primary, rank == earliest[local])
    return keep


@dataclass(frozen=True, slots=True)
class EffectTable:
    """Every treated figure of a selection against its placebo, as columns, in ``compare``'s order.

    The placebo side is held per group (a trial's placebo at one endpoint and timepoint, shared by its
    treated arms): ``group_x``/``group_n`` are the (pooled) placebo counts, nan when missing, and a group
    with no placebo figure has no rows in ``placebo_rows``. Rates, differences and ratios are nan where the
    counts are missing; ``compared`` marks the treated figures with counts on both sides (those with an
    effect).
    """

    selection: SelectionRows
    treated: IntArray  # rows of the treated figures
    group: IntArray  # per treated figure: its placebo group
    placebo_rows: IntArray  # the rows of the placebo figures, group by group
    placebo_start: IntArray  # per group: where its placebo rows start in ``placebo_rows`` (and one past the end)
    x: FloatArray
    n: FloatArray
    group_x: FloatArray
    group_n: FloatArray
    rate: Triple
    group_rate: Triple
    rd: Triple
    rr: Triple
    odds: Triple
    corrected: BoolArray
    compared: BoolArray
    diff_method: DiffCI
    rate_method: RateCI

    def comparisons(
        self, catalog: Catalog, *, harm: bool = False, made: Mapping[int, Figure] | None = None
    ) -> list[Comparison]:
        """The comparisons as objects, equal to ``compare`` over the selection's figures; ``made`` are figures
        the caller already holds, by row (a comparison then shares them)."""
        source = catalog.adverse_events if self.selection.adverse else catalog.results
        figures = adverse_figures if self.selection.adverse else result_figures
        made = dict(made or {})

        def figure(row: int) -> Figure:
            if row not in made:
                made[row] = figures(catalog, [source[row]])[0]  # type: ignore[list-item]
            return made[row]

        placebos: dict[int, tuple[Figure | None, str]] = {}
        compared = self.compared
        out = []
        for k, row in enumerate(self.treated.tolist()):
            treated, g = figure(row), int(self.group[k])
            if g not in placebos:
                mine = self.placebo_rows[self.placebo_start[g] : self.placebo_start[g + 1]]
                placebos[g] = pooled_placebo([figure(r) for r in mine.tolist()])
            placebo, label = placebos[g]
            own = _rate(self.rate, self.x, self.n, k, self.rate_method)
            if placebo is None:
                reason = "no placebo arm in this trial"
                out.append(Comparison(treated, own, None, None, "", None, None, None, None, reason))
                continue
            placebo_rate = _rate(self.group_rate, self.group_x, self.group_n, g, self.rate_method)
            if not compared[k]:
                reason = no_counts_reason(own)
                out.append(Comparison(treated, own, placebo, placebo_rate, label, None, None, None, None, reason))
                continue
            rd = Estimate(float(self.rd[0][k]), float(self.rd[1][k]), float(self.rd[2][k]), self.diff_method)
            fixed = bool(self.corrected[k])
            rr = _ratio(self.rr, k, RatioCI.KATZ_LOG, fixed)
            odds = _ratio(self.odds, k, RatioCI.WOOLF, fixed)
            out.append(
                Comparison(treated, own, placebo, placebo_rate, label, rd, rr, odds, number_needed(rd, harm=harm), "")
            )
        return out


def _counted(x: FloatArray, n: FloatArray) -> BoolArray:
    """``Figure.has_counts`` over arrays: a count and an n of at least 1."""
    return ~np.isnan(x) & (n > 0)


def _rate(
    arrays: tuple[FloatArray, FloatArray, FloatArray], x: FloatArray, n: FloatArray, k: int, method: RateCI
) -> Estimate | None:
    if not (n[k] > 0 and not math.isnan(x[k])):
        return None
    if method is RateCI.WILSON:
        return Estimate(float(arrays[0][k]), float(arrays[1][k]), float(arrays[2][k]), method)
    return rate(int(x[k]), int(n[k]), method)


def _ratio(arrays: tuple[FloatArray, FloatArray, FloatArray], k: int, method: RatioCI, corrected: bool) -> Estimate:
    value, low, high = (float(a[k]) for a in arrays)
    return Estimate(value, low, high, method, corrected and not math.isnan(value))


def _rates(x: FloatArray, n: FloatArray, method: RateCI) -> Triple:
    """The rate and its Wilson interval where counted (nan elsewhere); other methods are made per figure."""
    ok = _counted(x, n)
    if method is RateCI.WILSON and ok.all():
        low, high = wilson_arrays(x, n)
        return x / n, low, high
    value = np.full(len(x), np.nan)
    low, high = value.copy(), value.copy()
    value[ok] = x[ok] / n[ok]
    if method is RateCI.WILSON and ok.any():
        low[ok], high[ok] = wilson_arrays(x[ok], n[ok])
    return value, low, high


def _effects(
    x1: FloatArray,
    n1: FloatArray,
    x2: FloatArray,
    n2: FloatArray,
    both: BoolArray,
    diff_method: DiffCI,
    limits1: Limits | None = None,
    limits2: Limits | None = None,
) -> tuple[Triple, Triple, Triple, BoolArray]:
    """Risk difference, risk ratio and odds ratio (each value, low, high) and the zero-cell flag of every
    pair with counts on both sides (``both``); nan where a side has none. ``limits1``/``limits2``: each
    side's Wilson limits (nan where not counted), reused by the Newcombe interval instead of worked out again."""
    if both.all():  # the common case: no copies in and out
        return binary_effects(x1, n1, x2, n2, diff_method, limits1, limits2)

    def part(limits: Limits | None) -> Limits | None:
        return None if limits is None else (limits[0][both], limits[1][both])

    a1, m1, a2, m2 = x1[both], n1[both], x2[both], n2[both]
    *values, zero = binary_effects(a1, m1, a2, m2, diff_method, part(limits1), part(limits2))
    out: list[Triple] = []
    for triple in values:
        full = tuple(np.full(len(x1), np.nan) for _ in range(3))
        for column, value in zip(full, triple, strict=True):
            column[both] = value
        out.append((full[0], full[1], full[2]))
    corrected = np.zeros(len(x1), dtype=np.bool_)
    corrected[both] = zero
    return out[0], out[1], out[2], corrected


def _pooled(group: IntArray, x: FloatArray, n: FloatArray, members: npt.NDArray[np.int64]) -> Limits:
    """Each group's placebo counts (``x``, ``n`` of the placebo figures, ``group`` theirs): its one placebo's,
    or the sums when several all have counts (``pooled_placebo``); nan when it has none, or a pool lacks
    counts."""
    px = np.full(len(members), np.nan)
    pn = px.copy()
    if len(group) == 0:
        return px, pn
    if int(members.max()) == 1:  # one placebo a group: its counts as they are
        px[group], pn[group] = x, n
        return px, pn
    counted = np.bincount(group[_counted(x, n)], minlength=len(members))
    pooled_ok = (members > 1) & (counted == members)
    px[pooled_ok] = np.bincount(group, weights=np.nan_to_num(x), minlength=len(members))[pooled_ok]
    pn[pooled_ok] = np.bincount(group, weights=np.nan_to_num(n), minlength=len(members))[pooled_ok]
    single = members == 1
    only = np.full(len(members), -1, dtype=np.int64)
    only[group] = np.arange(len(group))  # the one placebo of a single-placebo group
    px[single], pn[single] = x[only[single]], n[only[single]]
    return px, pn


def _groups(trial: IntArray, part: npt.NDArray[np.int64] | None) -> npt.NDArray[np.int64]:
    """Group numbers of (trial, endpoint and timepoint) in order of first appearance, as ``compare`` keys them
    (``part`` codes the endpoint and timepoint; None when they are one per trial).

    A selection lists each trial's figures together, and mostly at one endpoint and timepoint: then the
    groups are the runs of equal keys. Otherwise the keys are ranked by where each first appears.
    """
    if len(trial) == 0:
        return np.zeros(0, dtype=np.int64)
    trial_change = trial[1:] != trial[:-1]
    part_change = None if part is None else part[1:] != part[:-1]
    distinct = (
        int(np.count_nonzero(np.bincount(trial))) if _dense(trial, int(trial.max()) + 1) else len(np.unique(trial))
    )
    if distinct == int(trial_change.sum()) + 1:
        if part_change is None:
            return np.concatenate(([0], np.cumsum(trial_change)))
        if not np.any(part_change & ~trial_change):
            return np.concatenate(([0], np.cumsum(trial_change | part_change)))
    if part is None:
        part = np.zeros(len(trial), dtype=np.int64)
    key = trial.astype(np.int64) * (int(part.max()) + 1) + part
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    number = np.empty(len(first), dtype=np.int64)
    number[np.argsort(first, kind="stable")] = np.arange(len(first))
    grouped: npt.NDArray[np.int64] = number[inverse.reshape(-1)]
    return grouped


def effect_table(
    catalog: Catalog,
    selection: SelectionRows,
    *,
    diff_method: DiffCI = DiffCI.NEWCOMBE,
    rate_method: RateCI = RateCI.WILSON,
) -> EffectTable:
    """Pair every treated figure of ``selection`` with its pooled placebo and compute every effect at once.

    One pass: each Wilson interval is worked out once (a treated arm's for its rate and its Newcombe
    difference, a placebo group's once for all the arms compared with it), the counts are checked once and
    both ratios share one continuity correction (:func:`viewer.domain.stats.binary_effects`). The placebo
    side stays per group, and the pairing's working arrays are let go before the statistics run: a
    selection of 100,000 figures then asks the allocator for a few megabytes, not tens (fresh memory costs a
    page fault per 4 KB, as much as the arithmetic).
    """
    diff_method, rate_method = DiffCI(diff_method), RateCI(rate_method)
    pairs = _pairs(catalog, selection)
    tx, tn, tg = pairs.x, pairs.n, pairs.group
    rate = _rates(tx, tn, rate_method)
    group_rate = _rates(pairs.group_x, pairs.group_n, rate_method)
    compared = _counted(tx, tn) & _counted(pairs.group_x, pairs.group_n)[tg]
    limits1: Limits | None = None
    limits2: Limits | None = None
    if rate_method is RateCI.WILSON:
        limits1, limits2 = (rate[1], rate[2]), (group_rate[1][tg], group_rate[2][tg])
    rd, rr, odds, corrected = _effects(
        tx, tn, pairs.group_x[tg], pairs.group_n[tg], compared, diff_method, limits1, limits2
    )
    return EffectTable(
        selection=selection,
        treated=pairs.treated,
        group=tg,
        placebo_rows=pairs.placebo_rows,
        placebo_start=pairs.placebo_start,
        x=tx,
        n=tn,
        group_x=pairs.group_x,
        group_n=pairs.group_n,
        rate=rate,
        group_rate=group_rate,
        rd=rd,
        rr=rr,
        odds=odds,
        corrected=corrected,
        compared=compared,
        diff_method=diff_method,
        rate_method=rate_method,
    )


@dataclass(frozen=True, slots=True)
class _Pairs:
    """A selection's treated figures in ``compare``'s order, each with its placebo group, and the groups'
    (pooled) placebo counts."""

    treated: IntArray  # rows
    group: IntArray
    x: FloatArray
    n: FloatArray
    placebo_rows: IntArray
    placebo_start: IntArray
    group_x: FloatArray
    group_n: FloatArray


def _pairs(catalog: Catalog, selection: SelectionRows) -> _Pairs:
    """Group the selection's randomised figures by (trial, endpoint, timepoint), as ``compare`` keys them,
    and pool each group's placebo figures."""
    columns = catalog.columns
    figures = columns.adverse_events if selection.adverse else columns.results
    rows = selection.rows
    arm = figures.arm[rows]
    randomised = columns.arms.randomised[arm]
    if not randomised.all():  # open-label and switch groups are outside the comparison
        rows, arm = rows[randomised], arm[randomised]
    if selection.adverse:
        part = figures.endpoint[rows].astype(np.int64) * len(figures.timepoints) + figures.timepoint[rows]
    else:  # one outcome, each trial at one timepoint (``select_rows``): a trial is a group
        part = None
    group = _groups(figures.trial[rows], part).astype(np.int32)
    placebo = columns.arms.role[arm] == PLACEBO
    placebo_positions = np.flatnonzero(placebo)
    placebo_group = group[placebo_positions]
    members = np.bincount(placebo_group, minlength=int(group.max()) + 1 if len(group) else 0)
    placebo_figures = rows[placebo_positions]
    group_x, group_n = _pooled(placebo_group, figures.count[placebo_figures], figures.n[placebo_figures], members)
    if (by_group := stable_sorting(placebo_group)) is not None:
        placebo_figures = placebo_figures[by_group]
    treated = np.flatnonzero(~placebo)
    tg = group[treated]
    if (order := stable_sorting(tg)) is not None:  # compare: by group, then figure order
        treated, tg = treated[order], tg[order]
    treated_figures = rows[treated]
    return _Pairs(
        treated=treated_figures,
        group=tg,
        x=figures.count[treated_figures],
        n=figures.n[treated_figures],
        placebo_rows=placebo_figures,
        placebo_start=np.concatenate(([0], np.cumsum(members))).astype(np.int32),
        group_x=group_x,
        group_n=group_n,
    )


def selection_effects(
    catalog: Catalog, drugs: Sequence[str], outcome: str, order: TimepointOrder | None = None
) -> EffectTable:
    """Every effect of ``drugs`` at ``outcome`` (each trial at its default timepoint): the benchmark's pass."""
    return effect_table(catalog, select_rows(catalog, drugs, outcome, order=order))

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
from viewer.domain.columns import PLACEBO, VERIFIED, BoolArray, FigureColumns, FloatArray, IntArray, in_groups
from viewer.domain.comparisons import (
    Comparison,
    Figure,
    adverse_figures,
    no_counts_reason,
    pooled_placebo,
    result_figures,
)
from viewer.domain.measures import DiffCI, RateCI, RatioCI
from viewer.domain.stats import (
    Estimate,
    number_needed,
    odds_ratio_arrays,
    rate,
    risk_difference_arrays,
    risk_ratio_arrays,
    wilson_arrays,
    zero_cell,
)

Triple = tuple[FloatArray, FloatArray, FloatArray]
"""An estimate's value, low and high limits, each over every pair."""

TimepointOrder = Callable[[str], float]
"""How far a timepoint is from the start, for a trial's earliest one ('week 12' -> 12)."""


@dataclass(frozen=True, slots=True)
class SelectionRows:
    """Which figures (rows of the catalog's results or adverse events) a query selects, in the order a
    chart lists them: by trial id, then as the catalog holds them."""

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

    ``placebo_x``/``placebo_n`` are the (pooled) placebo counts (nan when missing); ``has_placebo`` is
    False when the trial has no placebo group at the endpoint and timepoint. Rates, differences and
    ratios are nan where the counts are missing.
    """

    selection: SelectionRows
    treated: IntArray  # rows of the treated figures
    group: IntArray  # per treated figure: its placebo group
    placebo_rows: IntArray  # the rows of the placebo figures, group by group
    placebo_start: IntArray  # per group: where its placebo rows start in ``placebo_rows`` (and one past the end)
    has_placebo: BoolArray
    x: FloatArray
    n: FloatArray
    placebo_x: FloatArray
    placebo_n: FloatArray
    rate: Triple
    placebo_rate: Triple
    rd: Triple
    rr: Triple
    odds: Triple
    corrected: BoolArray
    diff_method: DiffCI
    rate_method: RateCI

    @property
    def compared(self) -> BoolArray:
        """Treated figures with an effect: counts in the arm and in its placebo."""
        return _counted(self.x, self.n) & _counted(self.placebo_x, self.placebo_n)

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
            placebo_rate = _rate(self.placebo_rate, self.placebo_x, self.placebo_n, k, self.rate_method)
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
    x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, diff_method: DiffCI
) -> tuple[Triple, Triple, Triple, BoolArray]:
    """Risk difference, risk ratio and odds ratio (each value, low, high) and the zero-cell flag of every
    pair with counts on both sides; nan where a side has none."""
    both = _counted(x1, n1) & _counted(x2, n2)
    if both.all():  # the common case: no copies in and out
        return (
            risk_difference_arrays(x1, n1, x2, n2, method=diff_method),
            risk_ratio_arrays(x1, n1, x2, n2),
            odds_ratio_arrays(x1, n1, x2, n2),
            zero_cell(x1, n1, x2, n2),
        )
    a1, m1, a2, m2 = x1[both], n1[both], x2[both], n2[both]
    out: list[Triple] = []
    for values in (
        risk_difference_arrays(a1, m1, a2, m2, method=diff_method),
        risk_ratio_arrays(a1, m1, a2, m2),
        odds_ratio_arrays(a1, m1, a2, m2),
    ):
        full = tuple(np.full(len(x1), np.nan) for _ in range(3))
        for column, value in zip(full, values, strict=True):
            column[both] = value
        out.append((full[0], full[1], full[2]))
    corrected = np.zeros(len(x1), dtype=np.bool_)
    corrected[both] = zero_cell(a1, m1, a2, m2)
    return out[0], out[1], out[2], corrected


def _groups(trial: IntArray, part: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Group numbers of (trial, endpoint and timepoint) in order of first appearance, as ``compare`` keys them.

    A selection lists each trial's figures together, and mostly at one endpoint and timepoint: then the
    groups are the runs of equal keys. Otherwise the keys are ranked by where each first appears.
    """
    if len(trial) == 0:
        return np.zeros(0, dtype=np.int64)
    trial_change = trial[1:] != trial[:-1]
    part_change = part[1:] != part[:-1]
    distinct = (
        int(np.count_nonzero(np.bincount(trial))) if _dense(trial, int(trial.max()) + 1) else len(np.unique(trial))
    )
    if not np.any(part_change & ~trial_change) and distinct == int(trial_change.sum()) + 1:
        return np.concatenate(([0], np.cumsum(trial_change | part_change)))
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
    """Pair every treated figure of ``selection`` with its pooled placebo and compute every effect at once."""
    diff_method, rate_method = DiffCI(diff_method), RateCI(rate_method)
    columns = catalog.columns
    figures = columns.adverse_events if selection.adverse else columns.results
    rows = selection.rows
    arm = figures.arm[rows]
    rows = rows[columns.arms.randomised[arm]]  # open-label and switch groups are outside the comparison
    arm = figures.arm[rows]
    trial, endpoint, timepoint = figures.trial[rows], figures.endpoint[rows], figures.timepoint[rows]
    group = _groups(trial, endpoint.astype(np.int64) * len(figures.timepoints) + timepoint)
    placebo = columns.arms.role[arm] == PLACEBO
    x, n = figures.count[rows], figures.n[rows]
    groups = int(group.max()) + 1 if len(group) else 0
    members = np.bincount(group[placebo], minlength=groups)
    counted = np.bincount(group[placebo & _counted(x, n)], minlength=groups)
    sum_x = np.bincount(group[placebo], weights=np.nan_to_num(x[placebo]), minlength=groups)
    sum_n = np.bincount(group[placebo], weights=np.nan_to_num(n[placebo]), minlength=groups)
    single = members == 1
    pooled_ok = (members > 1) & (counted == members)
    px = np.where(pooled_ok, sum_x, np.nan)
    pn = np.where(pooled_ok, sum_n, np.nan)
    placebo_positions = np.flatnonzero(placebo)
    only = np.full(groups, -1, dtype=np.int64)
    only[group[placebo_positions]] = placebo_positions  # the one placebo of a single-placebo group
    px[single], pn[single] = x[only[single]], n[only[single]]
    by_group = np.argsort(group[placebo_positions], kind="stable")
    placebo_start = np.concatenate(([0], np.cumsum(members))).astype(np.int32)
    treated = np.flatnonzero(~placebo)
    treated = treated[np.argsort(group[treated], kind="stable")]  # compare: by group, then figure order
    tg = group[treated]
    tx, tn = x[treated], n[treated]
    has_placebo = members[tg] > 0
    ptx, ptn = px[tg], pn[tg]
    group_rate = _rates(px, pn, rate_method)
    rd, rr, odds, corrected = _effects(tx, tn, ptx, ptn, diff_method)
    return EffectTable(
        selection=selection,
        treated=rows[treated],
        group=tg.astype(np.int32),
        placebo_rows=rows[placebo_positions[by_group]],
        placebo_start=placebo_start,
        has_placebo=has_placebo,
        x=tx,
        n=tn,
        placebo_x=ptx,
        placebo_n=ptn,
        rate=_rates(tx, tn, rate_method),
        placebo_rate=(group_rate[0][tg], group_rate[1][tg], group_rate[2][tg]),
        rd=rd,
        rr=rr,
        odds=odds,
        corrected=corrected,
        diff_method=diff_method,
        rate_method=rate_method,
    )


def selection_effects(
    catalog: Catalog, drugs: Sequence[str], outcome: str, order: TimepointOrder | None = None
) -> EffectTable:
    """Every effect of ``drugs`` at ``outcome`` (each trial at its default timepoint): the benchmark's pass."""
    return effect_table(catalog, select_rows(catalog, drugs, outcome, order=order))

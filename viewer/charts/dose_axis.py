"""Dose axes that compare: daily dose in mg (linear or log) or as a multiple of each drug's approved dose.

A linear mg axis lets filgotinib's 200 mg squeeze a 4 mg drug into the left tenth of the plot; a log axis
spreads the doses but has no place for placebo (dose 0); the approved-dose axis puts every drug's
approved RA dose at 1x (:mod:`viewer.domain.approved_dose`), so 15 mg upadacitinib and 4 mg baricitinib
sit side by side. This module turns a (drug, daily dose) into the plotted ``x`` of a chart, with the
axis' title, ticks and range, as plain chart data; the same ``x`` goes into the CSV.

On the log axis placebo is kept: it is drawn left of the lowest dose, beyond an axis break
(``PLACEBO_GAP`` times below it, not to scale), and its tick says "placebo". Tick labels are plain
numbers (1, 2, 5, 10, 20 ...), never powers of ten.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise

from viewer.charts.choices import DoseAxis
from viewer.charts.spec import ChartSpec, RefLine
from viewer.domain.approved_dose import RULE, ApprovedDose, approved_dose
from viewer.domain.catalog import Catalog

__all__ = ["PLACEBO_GAP", "DoseAxis", "DoseScale", "approved_label_clear", "dose_scale"]

PLACEBO_GAP = 3.0  # on the log axis placebo sits this factor below the lowest dose, the break halfway
_LOG_NOTE = "Log dose axis: placebo (dose 0) is drawn left of the break, not to scale."
_NICE = (1.0, 2.0, 5.0)  # plain log ticks: 1, 2, 5 per decade
APPROVED_LABEL = "approved"
# Where the approved line's label reaches, in fractions of the plot: right of the line ("approved" is ~50 px of
# note text, a panel's plot >= 250 px wide) and down from its top (one ~15 px line of a plot >= 110 px tall).
_LABEL_REACH = (-0.03, 0.24)
_LABEL_HEIGHT = 0.15
_MARK_PAD = 0.05  # half a marker or cap beyond a mark's interval, as a fraction of the y span


@dataclass(frozen=True, slots=True)
class DoseScale:
    """Where a drug's daily dose goes on the axis, and how the axis reads.

    ``approved`` holds the approved dose of every drug on the chart (None: the monograph states none, so
    the drug's arms cannot be placed on the approved-dose axis). ``lowest`` and ``highest`` are the
    smallest and largest positive plotted doses (mg, or multiples on the approved axis).
    """

    axis: DoseAxis
    approved: Mapping[str, ApprovedDose | None] = field(default_factory=dict)
    lowest: float = 1.0
    highest: float = 1.0
    placebo: bool = True  # placebo is drawn as a point (absolute rates); not when effects are against it

    @property
    def log(self) -> bool:
        return self.axis is DoseAxis.LOG

    @property
    def placebo_x(self) -> float:
        """Where dose 0 (placebo) is drawn: 0, or on the log axis beyond the break left of the lowest dose."""
        return self.lowest / PLACEBO_GAP if self.log else 0.0

    def x(self, drug_id: str, daily_mg: float) -> float | None:
        """The plotted position of ``daily_mg`` of ``drug_id`` (None: it has no place on this axis)."""
        if daily_mg <= 0:
            return self.placebo_x
        if self.axis is DoseAxis.APPROVED:
            dose = self.approved.get(drug_id)
            return None if dose is None else daily_mg / dose.daily_mg
        return daily_mg

    def why_not(self, drug_id: str) -> str:
        """Why a drug's doses cannot be placed (empty when they can)."""
        if self.axis is DoseAxis.APPROVED and self.approved.get(drug_id) is None:
            return "no approved RA dose in its monograph"
        return ""

    @property
    def title(self) -> str:
        if self.axis is DoseAxis.APPROVED:
            return "Daily dose as a multiple of the approved RA dose (1x = approved dose)"
        if self.log:
            return "Daily dose (mg/day, log scale; placebo left of the break)"
        return "Daily dose (mg/day)"

    @property
    def x_range(self) -> tuple[float, float]:
        top = max(self.highest, 1e-9)
        if self.log:
            return ((self.placebo_x if self.placebo else self.lowest) / 1.6, top * 1.5)
        return (-0.04 * top, top * 1.06)

    def ticks(self) -> tuple[tuple[float, str], ...]:
        """Plain tick labels: placebo and 1-2-5 steps on the log axis, 0.5x steps on the approved axis;
        none on the linear mg axis (its automatic ticks are plain already)."""
        if self.log:
            placebo = ((self.placebo_x, "placebo"),) if self.placebo else ()
            return (*placebo, *_log_ticks(self.lowest, self.highest))
        if self.axis is DoseAxis.APPROVED:
            step = 0.5 if self.highest <= 4 else 1.0 if self.highest <= 10 else 2.0
            count = math.floor(self.highest * 1.06 / step + 1e-9)
            return tuple((k * step, "0" if k == 0 else f"{k * step:g}x") for k in range(count + 1))
        return ()

    def ref_lines(self) -> tuple[RefLine, ...]:
        """The log axis' break (between placebo and the lowest dose) and the approved axis' 1x line."""
        if self.log and self.placebo:
            return (RefLine(self.lowest / math.sqrt(PLACEBO_GAP), vertical=True, label="≈"),)
        if self.axis is DoseAxis.APPROVED:
            return (RefLine(1.0, vertical=True, label=APPROVED_LABEL),)
        return ()

    def notes(self, names: Mapping[str, str]) -> tuple[str, ...]:
        """Footnotes: what 1x is for each drug (and the rule), or where placebo is on the log axis."""
        if self.log:
            return (_LOG_NOTE,) if self.placebo else ()
        if self.axis is not DoseAxis.APPROVED:
            return ()
        doses = [f"{names.get(d, d)} {a.text}" for d, a in self.approved.items() if a is not None]
        missing = [names.get(d, d) for d, a in self.approved.items() if a is None]
        notes = [f"{RULE}: " + "; ".join(doses) + "." if doses else f"{RULE}."]
        if missing:
            notes.append(f"Not on the approved-dose axis (no approved RA dose in its monograph): {', '.join(missing)}.")
        return tuple(notes)


def dose_scale(
    axis: DoseAxis, catalog: Catalog, doses: Iterable[tuple[str, float]], *, placebo: bool = True
) -> DoseScale:
    """The scale for ``doses`` ((drug id, daily mg) pairs, placebo's 0 allowed) on ``axis``; ``placebo``
    says whether placebo is drawn as a point (it needs its place beyond the log axis' break)."""
    pairs = list(doses)
    drugs = dict.fromkeys(d for d, _ in pairs)
    approved = {d: approved_dose(catalog.drugs[d]) if d in catalog.drugs else None for d in drugs}
    scale = DoseScale(axis, approved, placebo=placebo)
    plotted = [x for d, mg in pairs if mg > 0 and (x := scale.x(d, mg)) is not None]
    if not plotted:
        return scale
    return DoseScale(axis, approved, min(plotted), max(plotted), placebo)


def _log_ticks(lowest: float, highest: float) -> tuple[tuple[float, str], ...]:
    lo, hi = lowest / 1.5, highest * 1.5
    ticks = []
    for exponent in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for base in _NICE:
            value = base * 10.0**exponent
            if lo <= value <= hi:
                ticks.append((value, f"{value:g}"))
    return tuple(ticks)


def approved_label_clear(spec: ChartSpec) -> ChartSpec:
    """``spec`` (a chart or panel on the approved-dose axis) with the 1x line's label moved down the line to the
    highest stretch where no mark, interval or curve beside it reaches (its top end by default).

    At the top it sat on upadacitinib's 1.6x interval (seen at 1440x900). The stretch is found from the placed
    marks (:attr:`ChartSpec.placement`) in a strip as wide as the label, right of the line; with no stretch
    tall enough, the tallest one.
    """
    lines = [r for r in spec.ref_lines if r.vertical and r.label == APPROVED_LABEL]
    placed = spec.placement
    if not lines or spec.is_empty:
        return spec
    (x0, x1), (y0, y1) = placed.x_range, placed.y_range
    span = y1 - y0
    if x1 <= x0 or span <= 0:
        return spec
    near = (1.0 + _LABEL_REACH[0] * (x1 - x0), 1.0 + _LABEL_REACH[1] * (x1 - x0))
    taken: list[tuple[float, float]] = []
    for series in placed.series:
        for p in series.points:
            if near[0] <= p.x <= near[1]:
                ends = [v for v in (p.y, p.low, p.high) if v is not None]
                taken.append((min(ends) - _MARK_PAD * span, max(ends) + _MARK_PAD * span))
        points = sorted((p.x, p.y) for p in series.points)
        for (ax, ay), (bx, by) in pairwise(points):  # a line through the strip
            if bx > ax and ax <= near[1] and bx >= near[0]:
                ends = [ay + (by - ay) * (min(max(x, ax), bx) - ax) / (bx - ax) for x in near]
                taken.append((min(ends) - _MARK_PAD * span, max(ends) + _MARK_PAD * span))
    for band in placed.bands:
        if band is not None:
            ys = [y for x, y in zip(band.x, band.y, strict=True) if near[0] <= x <= near[1]]
            if ys:
                taken.append((min(ys) - _MARK_PAD * span, max(ys) + _MARK_PAD * span))
    gaps, top = [], y1
    for low, high in sorted(taken, key=lambda t: -t[1]):  # from the top down
        if high < top:
            gaps.append((high, top))
        top = min(top, low)
    if top > y0:
        gaps.append((y0, top))
    if not gaps:
        return spec
    fits = [g for g in gaps if g[1] - g[0] >= _LABEL_HEIGHT * span]
    low, high = fits[0] if fits else max(gaps, key=lambda g: g[1] - g[0])
    at = min(0.98, (high - y0) / span)
    return spec.relabelled(tuple(replace(r, label_at=at) if r in lines else r for r in spec.ref_lines))

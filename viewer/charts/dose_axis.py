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
from dataclasses import dataclass, field
from enum import StrEnum

from viewer.charts.spec import RefLine
from viewer.domain.approved_dose import RULE, ApprovedDose, approved_dose
from viewer.domain.catalog import Catalog

__all__ = ["PLACEBO_GAP", "DoseAxis", "DoseScale", "dose_scale"]

PLACEBO_GAP = 3.0  # on the log axis placebo sits this factor below the lowest dose, the break halfway
_LOG_NOTE = "Log dose axis: placebo (dose 0) is drawn left of the break, not to scale."
_NICE = (1.0, 2.0, 5.0)  # plain log ticks: 1, 2, 5 per decade


class DoseAxis(StrEnum):
    """How the dose axis of a dose-response or tolerability chart is scaled."""

    LINEAR = "linear"
    LOG = "log"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        """The menu text."""
        return _LABELS[self]

    @property
    def citation(self) -> str:
        """The tooltip: what the axis shows and where its scale comes from."""
        return _TIPS[self]


_TIPS = {
    DoseAxis.LINEAR: "Daily dose in mg on a linear axis (placebo at 0)",
    DoseAxis.LOG: "Daily dose in mg on a log axis with plain labels; placebo kept left of an axis break",
    DoseAxis.APPROVED: RULE,
}
_LABELS = {
    DoseAxis.LINEAR: "Daily dose, linear (mg/day)",
    DoseAxis.LOG: "Daily dose, log scale (mg/day)",
    DoseAxis.APPROVED: "Multiple of the approved RA dose (1x = approved)",
}


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
            return (RefLine(1.0, vertical=True, label="approved"),)
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

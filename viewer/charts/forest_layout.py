"""The forest plot's layout as plain data: rows grouped by drug, the axis, the favours labels, the text cells.

Kept apart from :mod:`~viewer.charts.forest`, which computes the rows' numbers: here are the decisions a
reviewer reads the picture by (Cochrane Handbook ch. 10, figure 10.2.a; Lewis & Clarke, BMJ 2001;322:1479):

* one heading row per drug, its arms below it (the drug is said once, the rows name the dose and trial);
* a square whose *area* is proportional to the treated arm's n, so a large arm weighs visually as it does;
* an axis that ends on a labelled value (ratios on the 1-2-5 sequence, differences on tens), with room on
  both sides of the no-effect line for the "favours" labels, and fixed outer limits: beyond them an
  estimate is an arrowhead with its value printed beside it, so an OR of 169 never reads as 100;
* the effect and its CI as text, exactly, whatever the axis shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from viewer.charts.spec import Point, TextLabel
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.measures import Effect
from viewer.domain.model import Direction

__all__ = [
    "MIN_SIDE_SHARE",
    "RATIO_LIMITS",
    "RD_LIMITS",
    "ForestLayout",
    "absent_drugs",
    "absent_warning",
    "axis_limits",
    "clipped_value_labels",
    "effect_cell",
    "favours_labels",
    "fmt_effect",
    "is_harm",
    "left_out_footnote",
    "square_area",
]

RD_LIMITS = (-40.0, 100.0)  # percentage points
RATIO_LIMITS = (0.1, 100.0)
_RATIO_STEPS = (1.0, 2.0, 5.0)  # the labelled values of a ratio axis: 0.1 0.2 0.5 1 2 5 10 ...
_RD_STEP = 10.0
MIN_SIDE = 0.35  # each side of the no-effect line keeps this share of the axis (room for "favours ...")
MAX_SIDE = 1.5  # the largest arm's square, relative to the theme's marker side
MIN_SIDE_SHARE = 0.35  # the smallest square's side, relative to the largest (a tiny arm stays visible)
_SIDE_STEP = 0.05  # sides are rounded to 5 % of the largest: a bounded set of marker images

E = TypeVar("E")


@dataclass(slots=True)
class ForestLayout(Generic[E]):
    """Row positions, top to bottom: a header row (favours labels), then per drug a heading and its entries.

    ``rows[k]`` is the y of ``entries[k]``; ``headings`` pairs each drug id with its heading's y. Entries must
    come grouped by drug (as :func:`~viewer.charts.common.select` sorts them); ``drug_of`` names an entry's drug.
    With ``with_headings`` False (one panel per drug, titled with the drug) no heading rows are laid out.
    ``blocks`` gives each drug's stretch of the axis (a panel's range): its rows (and heading) with a little more
    than half a row either side, the first one reaching up over the header row.
    """

    entries: Sequence[E]
    drug_of: Callable[[E], str]
    with_headings: bool = True
    rows: list[float] = field(init=False)
    headings: list[tuple[str, float]] = field(init=False)
    blocks: list[tuple[str, tuple[float, float]]] = field(init=False)
    header_y: float = field(init=False)
    y_range: tuple[float, float] = field(init=False)

    def __post_init__(self) -> None:
        drugs = list(dict.fromkeys(self.drug_of(e) for e in self.entries))
        total = 1 + (len(drugs) if self.with_headings else 0) + len(self.entries)
        self.header_y = float(total) + 0.25  # the favours labels take two lines: the header row is taller
        self.y_range = (0.4, total + 1.1)
        self.rows, self.headings, self.blocks = [], [], []
        line = 1
        for drug in drugs:
            top = total - line
            if self.with_headings:
                self.headings.append((drug, float(top)))
                line += 1
            for e in self.entries:
                if self.drug_of(e) == drug:
                    self.rows.append(float(total - line))
                    line += 1
            bottom = total - line + 1
            self.blocks.append((drug, (bottom - 0.6, top + 0.6)))
        if self.blocks:  # the first block holds the header row, so the panels tile the overlay's range
            drug, (low, _high) = self.blocks[0]
            self.blocks[0] = (drug, (low, self.y_range[1]))
        by_entry = {id(e): k for k, e in enumerate(self.entries)}
        order = [by_entry[id(e)] for drug in drugs for e in self.entries if self.drug_of(e) == drug]
        rows = [0.0] * len(self.entries)
        for y, k in zip(self.rows, order, strict=True):
            rows[k] = y
        self.rows = rows


def _ratio_grid(lo: float, hi: float) -> list[float]:
    first, last = math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1
    return [m * 10.0**e for e in range(first, last + 1) for m in _RATIO_STEPS]


def axis_limits(intervals: list[tuple[float, float]], ratio: bool, scale: float) -> tuple[float, float]:
    """The axis: the intervals' extent, out to the next labelled value, with room on both sides of no effect,
    never beyond fixed limits (beyond them: arrows). ``scale`` turns a difference into percentage points."""
    if ratio:
        lows = [low for low, _ in intervals if low > 0 and math.isfinite(low)]
        highs = [high for _, high in intervals if math.isfinite(high)]
        grid = _ratio_grid(max(min([*lows, 1.0]), RATIO_LIMITS[0]), min(max([*highs, 1.0]), RATIO_LIMITS[1]))
        lo = max([RATIO_LIMITS[0], *(g for g in grid if g <= min([*lows, 1.0]) * 1.0001 and g < 1.0)])
        hi = min([RATIO_LIMITS[1], *(g for g in grid if g >= max([*highs, 1.0]) * 0.9999 and g > 1.0)])
        lower = [g for g in grid if g < lo]
        higher = [g for g in grid if g > hi]
        while True:
            span = math.log10(hi) - math.log10(lo)
            if -math.log10(lo) < MIN_SIDE * span and lower and lower[-1] >= RATIO_LIMITS[0]:
                lo = lower.pop()
            elif math.log10(hi) < MIN_SIDE * span and higher and higher[0] <= RATIO_LIMITS[1]:
                hi = higher.pop(0)
            else:
                return lo, hi
    lo = min([low * scale for low, _ in intervals] + [0.0])
    hi = max([high * scale for _, high in intervals] + [0.0])
    lo = max(RD_LIMITS[0], _RD_STEP * math.floor(lo / _RD_STEP - 1e-9) if lo < 0 else -_RD_STEP)
    hi = min(RD_LIMITS[1], _RD_STEP * math.ceil(hi / _RD_STEP + 1e-9) if hi > 0 else _RD_STEP)
    while True:
        span = hi - lo
        if -lo < MIN_SIDE * span and lo - _RD_STEP >= RD_LIMITS[0]:
            lo -= _RD_STEP
        elif hi < MIN_SIDE * span and hi + _RD_STEP <= RD_LIMITS[1]:
            hi += _RD_STEP
        else:
            return lo, hi


def fmt_effect(value: float, ratio: bool) -> str:
    """A ratio with three significant figures at most (0.86, 2.45, 16.9, 169); a difference in pp with a sign."""
    if not ratio:
        return f"{value:+.1f}"
    if not math.isfinite(value):
        return "∞" if value > 0 else "–"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def effect_cell(value: float, low: float, high: float, ratio: bool) -> str:
    """'2.45 (1.80 to 3.34)': the estimate and its 95% CI as computed, not as the axis clips them."""
    return f"{fmt_effect(value, ratio)} ({fmt_effect(low, ratio)} to {fmt_effect(high, ratio)})"


def clipped_value_labels(point: Point, limits: tuple[float, float], ratio: bool) -> list[TextLabel]:
    """The value of an estimate beyond the axis, printed beside the arrowhead that stands for it."""
    lo, hi = limits
    text = fmt_effect(point.x, ratio)
    if point.x > hi:  # right-aligned at the edge; the em space leaves the arrowhead free
        return [TextLabel(hi, point.y, f"{text}\u2003", anchor=(1.0, 0.5), tooltip=point.tooltip)]
    if point.x < lo:
        return [TextLabel(lo, point.y, f"\u2003{text}", anchor=(0.0, 0.5), tooltip=point.tooltip)]
    return []


def square_area(n: int | None, biggest: int) -> float:
    """The area of an arm's square, relative to the theme's marker: proportional to ``n`` (side ∝ √n)."""
    if not n or biggest <= 0:
        return MAX_SIDE**2 * MIN_SIDE_SHARE**2
    share = max(MIN_SIDE_SHARE, math.sqrt(n / biggest))
    share = round(share / _SIDE_STEP) * _SIDE_STEP
    return (MAX_SIDE * share) ** 2


def is_harm(catalog: Catalog, outcome_id: str) -> bool:
    outcome = catalog.outcomes.get(outcome_id)
    return outcome is not None and outcome.direction is Direction.HARM


def favours_labels(no_effect: float, y: float, *, harm: bool) -> tuple[TextLabel, TextLabel]:
    """'← favours placebo' left of the no-effect line and 'favours drug →' right of it (swapped for a harm:
    more events with the drug then favour placebo)."""
    left, right = ("drug", "placebo") if harm else ("placebo", "drug")
    # Two short lines, so that a narrow plot (a journal column) still has room on each side of the line.
    return (
        TextLabel(no_effect, y, f"← favours\n{left}\u2002", anchor=(1.0, 0.5), bold=True),
        TextLabel(no_effect, y, f"\u2002favours\n\u2002{right} →", anchor=(0.0, 0.5), bold=True),
    )


def _arm_name(catalog: Catalog, c: Comparison) -> str:
    drug = catalog.drugs.get(c.treated.arm.drug_id)
    return f"{drug.name if drug else c.treated.arm.drug_id} {c.treated.arm.label} · {c.treated.trial.name}"


def left_out_footnote(catalog: Catalog, comparisons: Sequence[Comparison], effect: Effect) -> str:
    """Every arm selected but not drawn, named under its reason."""
    missing = [c for c in comparisons if c.effect(effect) is None]
    if not missing:
        return ""
    by_reason: dict[str, list[str]] = {}
    for c in missing:
        by_reason.setdefault(c.reason or "no estimate", []).append(_arm_name(catalog, c))
    shown = "; ".join(f"{reason}: {', '.join(names)}" for reason, names in by_reason.items())
    return f"Not drawn ({len(missing)} arm(s) without an {effect.abbreviation}): {shown}."


def absent_drugs(
    catalog: Catalog,
    drugs: Sequence[str],
    comparisons: Sequence[Comparison],
    drawn: Sequence[Comparison],
    endpoint: str,
    *,
    adverse: bool = False,
) -> dict[str, str]:
    """Each ticked drug with no row on the chart, with the reason (its warning: :func:`absent_warning`)."""
    have = {c.treated.arm.drug_id for c in drawn}
    out = {}
    for drug_id in drugs:
        drug = catalog.drugs.get(drug_id)
        if drug is None or drug_id in have:
            continue
        reasons = sorted({c.reason for c in comparisons if c.treated.arm.drug_id == drug_id and c.reason})
        noun = "report of" if adverse else "result for"
        out[drug_id] = "; ".join(reasons) if reasons else f"no {noun} '{endpoint}' in its trials under these filters"
    return out


def absent_warning(name: str, why: str) -> str:
    """The overlay's line for a ticked drug without rows (in panels, the drug's empty panel says it)."""
    return f"{name}: not on this chart ({why})."

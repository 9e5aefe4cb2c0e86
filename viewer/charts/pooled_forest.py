"""Pooled rows of the forest plot: each drug-dose group's trials, then its pooled estimate (a diamond).

Kept apart from :mod:`~viewer.charts.forest`, which only places these rows among the trial rows.
"""

from __future__ import annotations

import math

from viewer.charts.evidence_pool import node_name
from viewer.charts.placement import Fate, PointFate, PointKey
from viewer.charts.pooled import PooledResult, PooledRow, pooled_row_text
from viewer.charts.spec import Band, ChartSpec, Marker, Orientation, Point, Series, SeriesStyle
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison

POOLED_SERIES = "pooled:"
"""Prefix of the series key of a drug's pooled rows (series are keyed by drug id in the forest plot)."""


def interleave(catalog: Catalog, rows: list[Comparison], pooled: PooledResult) -> list[Comparison | PooledRow]:
    """Trial rows grouped by drug and dose, each group of two or more trials followed by its pooled row (a
    "pooled" single trial would repeat it; the CSV still lists it); rows of trials that were not pooled
    (another timepoint, no counts) follow their drug's groups unchanged."""
    out: list[Comparison | PooledRow] = []
    placed: set[int] = set()
    drugs = list(dict.fromkeys(c.treated.arm.drug_id for c in rows))
    for drug in drugs:
        for group in (p for p in pooled.rows if p.drug_id == drug and p.pooled.k > 1):
            members = [
                c for c in rows
                if c.treated.arm.drug_id == drug and c.treated.trial.id in group.trial_ids
                and _group_of(catalog, c, pooled) == group.group
            ]  # fmt: skip
            out += members
            placed.update(id(c) for c in members)
            out.append(group)
        out += [c for c in rows if c.treated.arm.drug_id == drug and id(c) not in placed]
    return out


def _group_of(catalog: Catalog, c: Comparison, pooled: PooledResult) -> str:
    if pooled.options.across_doses:
        return catalog.drugs[c.treated.arm.drug_id].name
    return node_name(catalog, c.treated.arm)


def pooled_intervals(pooled: PooledResult) -> list[tuple[float, float]]:
    """The pooled and prediction intervals (low, high) on the forest's unscaled axis units, so the axis makes
    room for them (within the forest's fixed limits)."""
    out = []
    for row in pooled.rows:
        show = row.measure.display
        p = row.pooled
        if math.isfinite(p.estimate):
            out.append((show(p.low), show(p.high)))
        if math.isfinite(p.pi_low) and p.k > 1:
            out.append((show(p.pi_low), show(p.pi_high)))
    return out


PREDICTION_LABEL = "95% prediction interval"
PREDICTION_COLOUR = "#8C8C8C"  # one mid grey for every drug: readable on white and dark, one legend entry
PREDICTION_CAP = 0.2  # half the height of an end cap, in row units (a diamond's half height is 0.32)
PREDICTION_NOTE = (
    "The grey line through a diamond, capped at its ends: the 95% prediction interval, where a new trial's effect "
    "is expected to lie (Higgins, Thompson & Spiegelhalter 2009), hidden by the diamond when tau² is 0; an end "
    "without a cap continues beyond the axis; CSV columns prediction_low and prediction_high."
)


def prediction_band(row: PooledRow, y: float, limits: tuple[float, float]) -> list[Band]:
    """The prediction interval as a line through the diamond's row with a cap at each end that lies within
    the axis ``limits`` (none under fixed effect or for one trial).

    The line is named, so the legend has one entry for it; the caps are not; the tooltip gives its limits.
    """
    p = row.pooled
    if not (math.isfinite(p.pi_low) and math.isfinite(p.pi_high)) or p.k < 2:
        return []
    low, high = row.shown(p.pi_low), row.shown(p.pi_high)
    caps = [end for end, inside in ((low, low >= limits[0]), (high, high <= limits[1])) if inside]
    return [
        Band(PREDICTION_LABEL, PREDICTION_COLOUR, (low, high), (y, y)),
        *(Band("", PREDICTION_COLOUR, (end, end), (y - PREDICTION_CAP, y + PREDICTION_CAP)) for end in caps),
    ]


def pooled_key(row: PooledRow) -> PointKey:
    """The figure a diamond draws, so the CSV's pooled row reads its fate from the chart's placement."""
    return ("pooled", row.drug_id, row.group)


def pooled_fate(spec: ChartSpec | None, row: PooledRow) -> PointFate:
    """What the forest did with a pooled effect: its diamond's placement, or why it drew none (one trial's
    "pooled" effect is that trial's own row; no trial could be pooled)."""
    fate = spec.fate(pooled_key(row)) if spec is not None else None
    if fate is not None:
        return fate
    if row.pooled.k == 1:
        return PointFate(Fate.LEFT_OUT, f"one trial ({row.trial_names[0]}): nothing pooled, its arms are its own rows")
    return PointFate(Fate.LEFT_OUT, row.pooled.reason or "no trial could be pooled")


def pooled_point(row: PooledRow, y: float, limits: tuple[float, float]) -> tuple[Point, str, str]:
    """The diamond's point, its row label and its n cell."""
    p = row.pooled
    value, low, high = row.shown(p.estimate), row.shown(p.low), row.shown(p.high)
    lo, hi = limits
    k = f"{p.k} trial{'s' if p.k != 1 else ''}"
    label = f"Pooled {row.group} ({k})"
    point = Point(
        x=value,  # beyond the axis: an arrowhead with the value printed (forest_layout.clipped_value_labels)
        y=y,
        low=max(low, lo),
        high=min(high, hi),
        label=label,
        tooltip=pooled_row_text(row),
        clipped_low=low < lo,
        clipped_high=high > hi,
        key=pooled_key(row),
    )
    return point, label, f"{k}, {row.patients} patients"


def pooled_series(drug: str, colour: str, points: list[Point], *, group: str = "", in_legend: bool = True) -> Series:
    """A drug's pooled diamonds; ``group`` is its panel (the drug id) when the forest is split by drug."""
    return Series(
        f"{drug} pooled",
        colour,
        Marker.DIAMOND,
        tuple(points),
        style=SeriesStyle.DIAMOND,
        orientation=Orientation.HORIZONTAL,
        in_legend=in_legend,
        group=group,
    )


def not_pooled_footnote(pooled: PooledResult | None) -> str:
    """Which trials the pooling left out and why (arms without counts are named in the n column already)."""
    if pooled is None:
        return ""
    reasons = dict.fromkeys(f"{name} ({why})" for name, why in pooled.evidence.excluded if ":" not in name)
    return "Not pooled: " + "; ".join(reasons) + "." if reasons else ""


def pooled_warnings(pooled: PooledResult | None) -> tuple[str, ...]:
    """The refusal, or the caveats every pooled output carries."""
    if pooled is None:
        return ()
    if pooled.refused:
        return (pooled.refused,)
    return pooled.evidence.caveats

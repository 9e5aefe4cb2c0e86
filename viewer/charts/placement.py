"""Where each mark of a chart goes, decided as plain data before anything is drawn.

Every decision about the *data* of a drawing is made here, once, for the screen, the files and the
tests alike; :mod:`viewer.plot` then only turns these numbers into pixels:

* **the log transform**: on a logarithmic axis every coordinate is ``log10`` of its value (pyqtgraph's
  error bars, markers and reference lines ignore a plot's log mode, so the drawing works in these
  *view* coordinates and only the tick labels are logarithmic);
* **values that cannot be placed**: a point whose value is not a finite number, or is ``≤ 0`` on a log
  axis, is left out, listed in :attr:`Placement.unplaced` and said on the chart;
* **the axis ranges**: the spec's fixed range, else the data's extent with 6 % padding (categories get
  half a slot each side);
* **clamping into arrows**: nothing is drawn beyond a range (Qt's SVG output has no clipping): a point
  beyond it sits on the edge as an arrowhead, and an interval end beyond it, below zero on a log axis,
  or clipped by the chart layer (``Point.clipped_low``/``clipped_high``) ends in an arrowhead instead of
  a cap;
* **the fate of every figure**: a point that carries a :attr:`~viewer.charts.spec.Point.key` (the figure
  it draws) gets a :class:`PointFate` (shown, shown as an arrow, left out) with the reason in words, and
  so does every figure the builder left out (:attr:`~viewer.charts.spec.ChartSpec.left_out`); the CSV
  writes them in its ``chart`` and ``chart_note`` columns, so a file names what its chart did not show.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spec.py builds a Placement for every ChartSpec: a runtime import would be a cycle
    from viewer.charts.spec import Band, ChartSpec, Point, Series

__all__ = [
    "PLACEMENT_COLUMNS",
    "Arrow",
    "Fate",
    "LeftOut",
    "Orientation",
    "PlacedBand",
    "PlacedPoint",
    "PlacedSeries",
    "Placement",
    "PointFate",
    "PointKey",
    "Scale",
    "Unplaced",
    "UnplacedReason",
    "auto_range",
    "clamp",
    "place",
]

Range = tuple[float, float]
PointKey = tuple[str, ...]  # the figure a point draws, e.g. (trial id, arm id, endpoint, timepoint)
AUTO_PADDING = 0.06  # share of the data's extent added at each end of an automatic range


class Arrow(StrEnum):
    """The direction of an arrowhead: a point or interval that continues beyond the axis range."""

    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


class UnplacedReason(StrEnum):
    """Why a point is not on the chart; the value is the sentence the chart shows for it."""

    NOT_POSITIVE_ON_LOG = "cannot be placed on the logarithmic axis"
    NOT_FINITE = "are not finite numbers"

    def warning(self, count: int) -> str:
        """The note on the chart for ``count`` such values."""
        if self is UnplacedReason.NOT_POSITIVE_ON_LOG:
            return f"{count} value(s) ≤ 0 {self.value} and are not shown."
        return f"{count} value(s) {self.value} and are not shown."


class Orientation(StrEnum):
    """The axis along which a series' intervals run (and are clamped)."""

    VERTICAL = "vertical"  # along y: dose-response, tolerability, selectivity
    HORIZONTAL = "horizontal"  # along x: the forest plot


class Fate(StrEnum):
    """What a chart did with a figure; the value is the CSV's ``chart`` cell."""

    SHOWN = "shown"
    ARROW = "shown as an arrow"  # the point, or an end of its interval, is clamped into an arrowhead
    LEFT_OUT = "left out"


PLACEMENT_COLUMNS = ("chart", "chart_note")  # every CSV's last two columns: the row's Fate, and why


@dataclass(frozen=True, slots=True)
class PointFate:
    """A figure's :class:`Fate` on one chart and why (``reason`` is empty for a figure shown as it is)."""

    fate: Fate
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A figure a chart builder did not turn into a point (no daily dose, no placebo comparison...), and why."""

    key: PointKey
    reason: str


@dataclass(frozen=True, slots=True)
class Scale:
    """One axis' data-to-view transform: ``log10`` on a logarithmic axis, identity otherwise."""

    log: bool

    def placeable(self, value: float | None) -> bool:
        """Whether ``value`` has a place on this axis (finite, and positive on a log axis)."""
        return value is not None and math.isfinite(value) and (not self.log or value > 0)

    def view(self, value: float) -> float:
        """The view coordinate of a placeable ``value``."""
        return math.log10(value) if self.log else float(value)

    def data(self, view: float) -> float:
        """The value at view coordinate ``view`` (the inverse of :meth:`view`)."""
        return 10.0**view if self.log else view


@dataclass(frozen=True, slots=True)
class PlacedPoint:
    """One drawn point of a series, in view coordinates, inside the axis ranges.

    ``arrow`` is set when the value lies beyond a range: the point is drawn as an arrowhead on the edge.
    ``low``/``high`` are the interval's ends along the interval axis (y for vertical series, x for
    horizontal ones), clamped into the range; None when the end is not known. ``low_arrow`` and
    ``high_arrow`` say the interval continues beyond its drawn end (an arrowhead instead of a cap).
    """

    index: int  # the point's index in ``Series.points``
    x: float
    y: float
    arrow: Arrow | None = None
    low: float | None = None
    high: float | None = None
    low_arrow: bool = False
    high_arrow: bool = False

    @property
    def has_interval(self) -> bool:
        return self.low is not None or self.high is not None


@dataclass(frozen=True, slots=True)
class PlacedSeries:
    """The drawn points of one series (its unplaceable points are in :attr:`Placement.unplaced`)."""

    points: tuple[PlacedPoint, ...] = ()

    @property
    def indices(self) -> tuple[int, ...]:
        return tuple(p.index for p in self.points)


@dataclass(frozen=True, slots=True)
class PlacedBand:
    """A fitted curve and its band in view coordinates, clamped into the ranges (``low``/``high`` may be empty)."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    low: tuple[float, ...] = ()
    high: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A point left off the chart, and why."""

    series: str
    label: str
    x: float
    y: float
    reason: UnplacedReason
    key: PointKey = ()


@dataclass(frozen=True, slots=True)
class Placement:
    """Everything of a spec the drawing needs, in view coordinates; parallel to the spec's own tuples.

    ``series[k]`` places ``spec.series[k]``, ``bands[k]`` ``spec.bands[k]`` (None: no point of it can be
    placed), ``ref_lines[k]`` ``spec.ref_lines[k]`` (None: not placeable), ``text_cells[k]`` the cells
    of ``spec.text_columns[k]`` that can be placed.
    """

    x_scale: Scale
    y_scale: Scale
    x_range: Range
    y_range: Range
    x_ticks: tuple[tuple[float, str], ...] = ()
    y_ticks: tuple[tuple[float, str], ...] = ()
    series: tuple[PlacedSeries, ...] = ()
    bands: tuple[PlacedBand | None, ...] = ()
    ref_lines: tuple[float | None, ...] = ()
    text_cells: tuple[tuple[tuple[float, str], ...], ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    fates: dict[PointKey, PointFate] = field(default_factory=dict, compare=False)

    def fate(self, key: PointKey) -> PointFate | None:
        """What the chart did with the figure ``key`` (None: the chart never heard of it)."""
        return self.fates.get(key)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the chart says about the points it left out (one line per reason)."""
        counts: dict[UnplacedReason, int] = {}
        for u in self.unplaced:
            counts[u.reason] = counts.get(u.reason, 0) + 1
        return tuple(reason.warning(n) for reason, n in counts.items())

    def to_data(self, x: float, y: float) -> tuple[float, float]:
        """View coordinates back to data values."""
        return self.x_scale.data(x), self.y_scale.data(y)


def auto_range(values: Iterable[float], ticks: Sequence[tuple[float, str]], pad: float = AUTO_PADDING) -> Range:
    """The data's extent plus ``pad`` of it at each end; categorical ticks get half a slot each side."""
    vals = [v for v in values if math.isfinite(v)]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    width = hi - lo
    if width <= 0:
        delta = abs(lo) * 0.1 or 0.5
        lo, hi = lo - delta, hi + delta
    else:
        lo, hi = lo - width * pad, hi + width * pad
    if ticks:
        tpos = [t for t, _ in ticks]
        lo, hi = min(lo, min(tpos) - 0.5), max(hi, max(tpos) + 0.5)
    return lo, hi


def clamp(value: float, rng: Range) -> tuple[float, int]:
    """``value`` clamped into ``rng``; the int says which end was hit (-1 low, +1 high, 0 inside)."""
    if value < rng[0]:
        return rng[0], -1
    if value > rng[1]:
        return rng[1], 1
    return value, 0


def _fixed_range(rng: Range | None, scale: Scale) -> Range | None:
    if rng is None or not (scale.placeable(rng[0]) and scale.placeable(rng[1])) or rng[0] == rng[1]:
        return None
    a, b = scale.view(rng[0]), scale.view(rng[1])
    return (min(a, b), max(a, b))


@dataclass(slots=True)
class _Unclamped:
    """A placeable point in view coordinates before the ranges are known."""

    index: int
    x: float
    y: float
    low: float | None  # -inf: a lower bound ≤ 0 on a log axis (the interval runs off the axis)
    high: float | None


def _low_end(low: float | None, scale: Scale) -> float | None:
    if low is None or math.isnan(low):
        return None
    return scale.view(low) if scale.placeable(low) else -math.inf


def _unclamped(series: Series, xs: Scale, ys: Scale, unplaced: list[Unplaced]) -> list[_Unclamped]:
    along = xs if series.orientation is Orientation.HORIZONTAL else ys
    out: list[_Unclamped] = []
    for i, p in enumerate(series.points):
        if not (xs.placeable(p.x) and ys.placeable(p.y)):
            finite = math.isfinite(p.x) and math.isfinite(p.y)
            reason = UnplacedReason.NOT_POSITIVE_ON_LOG if finite else UnplacedReason.NOT_FINITE
            unplaced.append(Unplaced(series.name, p.label, p.x, p.y, reason, p.key))
            continue
        high = along.view(p.high) if p.high is not None and along.placeable(p.high) else None
        out.append(_Unclamped(i, xs.view(p.x), ys.view(p.y), _low_end(p.low, along), high))
    return out


def _extent(
    spec: ChartSpec, raw: list[tuple[Series, list[_Unclamped]]], xs: Scale, ys: Scale
) -> tuple[list[float], list[float]]:
    xv: list[float] = []
    yv: list[float] = []
    for series, points in raw:
        xv += [p.x for p in points]
        yv += [p.y for p in points]
        ends = xv if series.orientation is Orientation.HORIZONTAL else yv
        ends += [v for p in points for v in (p.low, p.high) if v is not None and math.isfinite(v)]
    for b in spec.bands:
        for x, y, lo, hi in zip(b.x, b.y, b.low or b.y, b.high or b.y, strict=False):
            if xs.placeable(x):
                xv.append(xs.view(x))
                yv += [ys.view(v) for v in (y, lo, hi) if ys.placeable(v)]
    for r in spec.ref_lines:
        scale, target = (xs, xv) if r.vertical else (ys, yv)
        if scale.placeable(r.value):
            target.append(scale.view(r.value))
    for col in spec.text_columns:
        yv += [ys.view(y) for y, _ in col.cells if ys.placeable(y)]
    return xv, yv


def _place_point(p: _Unclamped, spec_point: Point, horizontal: bool, xr: Range, yr: Range) -> PlacedPoint:
    x, sx = clamp(p.x, xr)
    y, sy = clamp(p.y, yr)
    arrow = None
    if sx:
        arrow = Arrow.RIGHT if sx > 0 else Arrow.LEFT
    elif sy:
        arrow = Arrow.UP if sy > 0 else Arrow.DOWN
    rng = xr if horizontal else yr
    low = high = None
    low_arrow = high_arrow = False
    if p.low is not None:
        low, hit = clamp(p.low, rng)
        low_arrow = spec_point.clipped_low or hit != 0
    if p.high is not None:
        high, hit = clamp(p.high, rng)
        high_arrow = spec_point.clipped_high or hit != 0
    return PlacedPoint(p.index, x, y, arrow, low, high, low_arrow, high_arrow)


def _place_band(band: Band, xs: Scale, ys: Scale, xr: Range, yr: Range) -> PlacedBand | None:
    keep = [i for i, x in enumerate(band.x) if xs.placeable(x) and ys.placeable(band.y[i])]
    if not keep:
        return None

    def along_y(values: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(clamp(ys.view(values[i]) if ys.placeable(values[i]) else yr[0], yr)[0] for i in keep)

    x = tuple(clamp(xs.view(band.x[i]), xr)[0] for i in keep)
    if band.low and band.high:
        return PlacedBand(x, along_y(band.y), along_y(band.low), along_y(band.high))
    return PlacedBand(x, along_y(band.y))


def _range_text(rng: Range, scale: Scale) -> str:
    return f"{scale.data(rng[0]):.3g} to {scale.data(rng[1]):.3g}"


def _placed_fate(p: PlacedPoint, spec_point: Point, placement: Placement, spec: ChartSpec) -> PointFate:
    """Shown, or shown as an arrow with the reason: the point beyond a range, or an end of its interval."""
    if p.arrow is not None:
        on_x = p.arrow in (Arrow.LEFT, Arrow.RIGHT)
        value = spec_point.x if on_x else spec_point.y
        rng = (
            _range_text(placement.x_range, placement.x_scale)
            if on_x
            else _range_text(placement.y_range, placement.y_scale)
        )
        label = spec.x_label if on_x else spec.y_label
        where = f" ({label})" if label else ""
        return PointFate(
            Fate.ARROW, f"{value:.4g} lies beyond the axis range {rng}{where}: an arrowhead at the {p.arrow} edge"
        )
    ends = [name for name, hit in (("lower", p.low_arrow), ("upper", p.high_arrow)) if hit]
    if ends:
        return PointFate(
            Fate.ARROW,
            f"the interval's {' and '.join(ends)} end{'s' if len(ends) > 1 else ''} continue"
            f"{'' if len(ends) > 1 else 's'} beyond what is drawn: an arrowhead instead of a cap",
        )
    return PointFate(Fate.SHOWN)


def _unplaced_fate(u: Unplaced, placement: Placement, spec: ChartSpec) -> PointFate:
    """Left out, naming the value and the axis that has no place for it."""
    on_x = not placement.x_scale.placeable(u.x)
    value, label = (u.x, spec.x_label) if on_x else (u.y, spec.y_label)
    where = f" ({label})" if label else ""
    if u.reason is UnplacedReason.NOT_POSITIVE_ON_LOG:
        return PointFate(Fate.LEFT_OUT, f"{value:.4g} {u.reason.value}{where}")
    return PointFate(Fate.LEFT_OUT, f"{value} is not a finite number{where}")


def _fates(spec: ChartSpec, placement: Placement) -> dict[PointKey, PointFate]:
    fates: dict[PointKey, PointFate] = {x.key: PointFate(Fate.LEFT_OUT, x.reason) for x in spec.left_out}
    for s, placed in zip(spec.series, placement.series, strict=True):
        for p in placed.points:
            key = s.points[p.index].key
            if key:
                fates[key] = _placed_fate(p, s.points[p.index], placement, spec)
    fates.update((u.key, _unplaced_fate(u, placement, spec)) for u in placement.unplaced if u.key)
    return fates


def place(spec: ChartSpec) -> Placement:
    """Decide where every mark of ``spec`` goes (see the module docstring)."""
    xs, ys = Scale(spec.x_log), Scale(spec.y_log)
    unplaced: list[Unplaced] = []
    raw = [(s, _unclamped(s, xs, ys, unplaced)) for s in spec.series]
    xv, yv = _extent(spec, raw, xs, ys)
    x_ticks = tuple((xs.view(v), label) for v, label in spec.x_ticks if xs.placeable(v))
    y_ticks = tuple((ys.view(v), label) for v, label in spec.y_ticks if ys.placeable(v))
    xr = _fixed_range(spec.x_range, xs) or auto_range(xv, x_ticks)
    yr = _fixed_range(spec.y_range, ys) or auto_range(yv, y_ticks)
    series = tuple(
        PlacedSeries(
            tuple(_place_point(p, s.points[p.index], s.orientation is Orientation.HORIZONTAL, xr, yr) for p in points)
        )
        for s, points in raw
    )
    placement = Placement(
        x_scale=xs,
        y_scale=ys,
        x_range=xr,
        y_range=yr,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        series=series,
        bands=tuple(_place_band(b, xs, ys, xr, yr) for b in spec.bands),
        ref_lines=tuple(
            (xs if r.vertical else ys).view(r.value) if (xs if r.vertical else ys).placeable(r.value) else None
            for r in spec.ref_lines
        ),
        text_cells=tuple(
            tuple((ys.view(y), text) for y, text in col.cells if ys.placeable(y)) for col in spec.text_columns
        ),
        unplaced=tuple(unplaced),
    )
    placement.fates.update(_fates(spec, placement))
    return placement

"""What a chart shows, as plain data.

A chart is computed here first (series, intervals, labels, footnotes) and only then drawn, so the
screen, the PNG/SVG/PDF exporters, the CSV and the tests all read the very same numbers.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Self

from viewer.charts.choices import ChartKind as ChartKind  # named by queries, kept light
from viewer.charts.placement import (
    Fate,
    LeftOut,
    Placement,
    PointFate,
    PointKey,
    UnplacedReason,
    place,
)
from viewer.charts.placement import Orientation as Orientation  # defined with the clamping it steers


class Mark(StrEnum):
    """How a point is drawn by the evidence behind it (jak-ra-evidence.md section 10): filled when read in a
    primary source, tinted when read in a secondary one (review, summary, news, press release, copy),
    hollow with a dashed edge when recalled (unverified)."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # the legend's words for the mark
        return member

    PRIMARY = ("primary", "primary source")
    SECONDARY = ("secondary", "secondary source")
    RECALLED = ("recalled", "recalled (unverified)")


# The charts that compare arms against placebo: the ones a report (table of effects, NNT) can describe.
PLACEBO_COMPARISON_KINDS: tuple[ChartKind, ...] = (ChartKind.DOSE_RESPONSE, ChartKind.FOREST, ChartKind.TOLERABILITY)


class SeriesStyle(StrEnum):
    """How the points of a series are drawn."""

    LINE = "line"  # markers joined by a line (a drug's doses in one trial)
    SCATTER = "scatter"  # markers only (forest rows, IC50 per target)
    DIAMOND = "diamond"  # a pooled estimate: a diamond spanning its interval (forest plot)


class PanelLayout(StrEnum):
    """How the panels of a chart split into one per drug are arranged, and which axis they share."""

    ROW = "row"  # side by side (wrapping two per row beyond three), sharing the response (y) axis
    COLUMN = "column"  # stacked, sharing the effect (x) axis: a forest plot's rows by drug


class Marker(StrEnum):
    """The marker shapes a series or legend entry can use (the drawing maps them to its own symbols)."""

    CIRCLE = "circle"
    SQUARE = "square"
    TRIANGLE = "triangle"
    DIAMOND = "diamond"
    PENTAGON = "pentagon"
    HEXAGON = "hexagon"
    STAR = "star"
    PLUS = "plus"
    CROSS = "cross"


@dataclass(frozen=True, slots=True)
class Point:
    """One plotted estimate with its interval; ``tooltip`` is the full provenance shown on hover.

    ``hollow`` marks a secondary or unverified figure; ``mark`` says which of the three evidence marks
    it gets (a point built with ``hollow`` only is drawn as recalled). ``clipped_low``/``clipped_high`` say the interval
    runs beyond the axis and is drawn as an arrow (forest plot). ``low``/``high`` are None when no
    interval can be computed (no n reported). ``key`` names the figure drawn: its CSV row says whether the
    chart showed it, as an arrow, or left it out (:class:`~viewer.charts.placement.Fate`).
    ``area`` scales the marker's area (its side by the square root), so a forest plot's squares weigh the
    arms by their size.
    """

    x: float
    y: float
    low: float | None = None
    high: float | None = None
    label: str = ""
    tooltip: str = ""
    hollow: bool = False
    clipped_low: bool = False
    clipped_high: bool = False
    mark: Mark = Mark.PRIMARY
    key: PointKey = ()
    area: float = 1.0  # the marker's area relative to the theme's marker (a forest square: the arm's n)

    @property
    def drawn_mark(self) -> Mark:
        return Mark.RECALLED if self.hollow and self.mark is Mark.PRIMARY else self.mark


@dataclass(frozen=True, slots=True)
class Series:
    """A set of points drawn alike: one drug in one trial, or placebo of one trial."""

    name: str
    color: str  # "#RRGGBB"
    symbol: Marker
    points: tuple[Point, ...]
    style: SeriesStyle = SeriesStyle.LINE
    orientation: Orientation = Orientation.VERTICAL
    dashed: bool = False
    in_legend: bool = True
    width: float = 0.0  # line width in points (0: the theme's), for a network graph's edges
    group: str = ""  # the panel it belongs in (a drug id) when the chart is split into panels
    hidden: bool = False  # hidden on screen by a click on its legend entry (viewer.charts.hiding); still placed


@dataclass(frozen=True, slots=True)
class Band:
    """A fitted curve with its confidence band (Emax), drawn behind the points."""

    name: str
    color: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    low: tuple[float, ...] = ()
    high: tuple[float, ...] = ()
    group: str = ""  # the panel it belongs in, as Series.group
    hidden: bool = False  # as Series.hidden


@dataclass(frozen=True, slots=True)
class RefLine:
    """A reference line: no effect (0 or 1) on a forest plot, for instance.

    ``label_at``: where along the line its label sits, as a fraction of the view from the bottom (left) end:
    the top of a vertical line's label, the right end of a horizontal one's.
    """

    value: float
    vertical: bool
    label: str = ""
    label_at: float = 0.98


@dataclass(frozen=True, slots=True)
class TextLabel:
    """Text at a data position: a league-table cell, a network node's name.

    ``anchor`` is the point of the text placed at (x, y), as pyqtgraph's TextItem takes it ((0, 0) its
    top left, (0.5, 0.5) its centre); ``fill`` is a background colour ("" none); ``color`` "" is the theme's.
    """

    x: float
    y: float
    text: str
    color: str = ""
    bold: bool = False
    anchor: tuple[float, float] = (0.5, 0.5)
    fill: str = ""
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class TextColumn:
    """A column of text beside a forest plot (effect and CI, n/N, NNT), one cell per row position ``y``.

    Columns are listed by importance: when a narrow chart cannot hold them all at a readable size, the
    last ones are left out first, and the chart says so (:meth:`ChartSpec.narrowed`).
    """

    title: str
    cells: tuple[tuple[float, str], ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One legend line. Charts with many series key colour (drug) and marker (trial) separately, so the
    legend stays a few lines long instead of one line per drug-trial pair."""

    label: str
    color: str
    symbol: Marker | None = None  # None draws a line sample only
    line: bool = True
    hollow: bool = False
    mark: Mark | None = None  # an evidence-mark entry: its swatch is drawn as points of that mark are
    band: bool = False  # a fitted curve with its band: the swatch is the curve over a translucent band
    hidden: bool = False  # what it names is hidden on screen: the entry stays, greyed, to show it again
    dashed: bool = False  # a dashed line sample (an active comparator's line)


def has_marks(series: Sequence[Series], bands: Sequence[object], labels: Sequence[object]) -> bool:
    """Whether a chart or a panel with these parts draws anything: a point, a band or a label (a panel's
    parts are checked before the panel is made: ``viewer.charts.panels``)."""
    return any(s.points for s in series) or bool(bands) or bool(labels)


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """Everything needed to draw one chart; the renderer adds nothing but pixels.

    ``placement`` is computed from the other fields when the spec is made (:func:`~viewer.charts.placement.place`):
    the view coordinates of every mark, the axis ranges, what is clamped into an arrow and which points
    cannot be placed, so the screen, the files and the tests all read the same decisions; with
    ``left_out`` it gives every keyed figure its fate (``spec.placement.fate(key)``), which the CSV writes.
    """

    kind: ChartKind
    title: str
    x_label: str
    y_label: str
    series: tuple[Series, ...] = ()
    bands: tuple[Band, ...] = ()
    ref_lines: tuple[RefLine, ...] = ()
    x_log: bool = False
    y_log: bool = False
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    x_ticks: tuple[tuple[float, str], ...] = ()  # categorical ticks; empty = automatic
    y_ticks: tuple[tuple[float, str], ...] = ()
    y_headings: tuple[float, ...] = ()  # y_ticks at these positions are group headings (a drug), set in bold
    text_columns: tuple[TextColumn, ...] = ()
    legend: tuple[LegendEntry, ...] = ()  # empty: one entry per series in the legend
    footnotes: tuple[str, ...] = ()  # sources, methods, evidence flags
    warnings: tuple[str, ...] = ()  # honesty notes shown prominently (cross-trial comparison ...)
    empty_message: str = ""  # why nothing is drawn, when nothing is
    labels: tuple[TextLabel, ...] = ()  # text in the plot (league-table cells, node names)
    show_axes: bool = True  # False for a table or a graph, where positions carry no scale
    # One chart per drug instead of the overlay: each panel is a full spec (its title names the drug, its
    # own legend, the shared axis' range already equal in all, see viewer.charts.panels); this spec then
    # holds only what the panels share: title, axis labels, warnings and footnotes.
    panels: tuple[ChartSpec, ...] = ()
    panel_layout: PanelLayout = PanelLayout.ROW
    left_out: tuple[LeftOut, ...] = ()  # figures of the selection the builder drew no point for, and why
    placement: Placement = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "placement", place(self))

    def relabelled(self, ref_lines: tuple[RefLine, ...]) -> ChartSpec:
        """This spec with ``ref_lines``: the same lines at the same values, their labels moved (``label_at``), so
        the placement stands: a new spec (``dataclasses.replace``) would place every mark again."""
        if [(r.value, r.vertical) for r in ref_lines] != [(r.value, r.vertical) for r in self.ref_lines]:
            raise ValueError("relabelled moves the labels of the same reference lines, nothing else")
        moved = copy.copy(self)  # copies the fields, placement included, without __post_init__
        object.__setattr__(moved, "ref_lines", ref_lines)
        return moved

    @property
    def is_empty(self) -> bool:
        if self.panels:
            return all(p.is_empty for p in self.panels)
        return not has_marks(self.series, self.bands, self.labels)

    def fate(self, key: PointKey) -> PointFate | None:
        """What the chart, or the panel that holds it, did with the figure ``key`` (None: never heard of it)."""
        fates = [f for spec in (self, *self.panels) if (f := spec.placement.fate(key)) is not None]
        drawn = [f for f in fates if f.fate is not Fate.LEFT_OUT]  # a panel's omissions are all the chart's
        return next(iter(drawn or fates), None)

    def narrowed(self, keep: int) -> ChartSpec:
        """This chart with only its first ``keep`` text columns, saying which ones it left out and where they are."""
        if keep >= len(self.text_columns):
            return self
        dropped = ", ".join(f"'{c.title}'" for c in self.text_columns[keep:])
        note = f"Column(s) {dropped} left out at this width (too narrow to read); they are in the CSV export."
        panels = tuple(replace(p, text_columns=p.text_columns[:keep]) for p in self.panels)  # stacked forest panels
        return replace(self, text_columns=self.text_columns[:keep], footnotes=(note, *self.footnotes), panels=panels)

    @property
    def panel_columns(self) -> int:
        """Panels per row: up to three side by side, four as two by two; stacked panels one per row."""
        if self.panel_layout is PanelLayout.COLUMN:
            return 1
        return len(self.panels) if len(self.panels) <= 3 else 2

    def all_bands(self) -> tuple[Band, ...]:
        """The bands of the chart, or of all its panels in order."""
        if self.panels:
            return tuple(b for p in self.panels for b in p.bands)
        return self.bands

    def all_series(self) -> tuple[Series, ...]:
        """The series of the chart, or of all its panels in order."""
        if self.panels:
            return tuple(s for p in self.panels for s in p.series)
        return self.series

    @property
    def shown_warnings(self) -> tuple[str, ...]:
        """The warnings the chart shows: the builder's, then what the placement left out (none when empty)."""
        if self.is_empty:
            return self.warnings
        if self.panels:
            counts: dict[UnplacedReason, int] = {}
            for u in (u for p in self.panels for u in p.placement.unplaced):
                counts[u.reason] = counts.get(u.reason, 0) + 1
            return self.warnings + tuple(reason.warning(n) for reason, n in counts.items())
        return self.warnings + self.placement.warnings

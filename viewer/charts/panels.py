"""One panel per drug: a chart's overlay split into small multiples that share the response axis.

With three or four drugs in one plot, 20 to 28 trials cross each other and a 200 mg dose squeezes a
4 mg drug into the left tenth of the axis. Small multiples (Cleveland; Tufte) keep each drug on its
own dose scale while the *response* axis stays one range for all, so heights still compare at a glance.

The chart builder tags each series and band with its panel (``Series.group``, ``Band.group``: the drug
id) and builds the overlay as usual; :func:`split_panels` then makes one full :class:`ChartSpec` per
group, titled with the drug, with the group's own compact legend and the shared axis' range set equal
in all. The drawing (:mod:`viewer.plot.panels`) only lays the panels out. Forest and tolerability
charts use the same function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from viewer.charts.choices import PanelMode
from viewer.charts.spec import (
    ChartSpec,
    LegendEntry,
    PanelLayout,
    RefLine,
    Series,
    TextColumn,
    TextLabel,
    has_marks,
)

__all__ = ["PanelGroup", "PanelMode", "split_panels"]


Range = tuple[float, float]
Ticks = tuple[tuple[float, str], ...]


@dataclass(frozen=True, slots=True)
class PanelGroup:
    """One panel: the ``Series.group``/``Band.group`` key it collects, its title and its own legend.

    ``legend`` empty gives one entry per series. ``empty_message`` says why the panel has nothing (the
    drug stays in the chart with its reason: nothing vanishes). ``ticks`` are the categorical ticks of
    the axis the panels do *not* share (a forest plot's rows of this drug); None keeps the spec's
    ticks that fall within the panel's own marks. ``text_columns`` (None: the spec's) and ``labels`` are
    the panel's own (a forest panel's rows' cells and the labels above them).
    """

    key: str
    title: str
    legend: tuple[LegendEntry, ...] = ()
    empty_message: str = ""
    ticks: tuple[tuple[float, str], ...] | None = None
    own_range: tuple[float, float] | None = None  # the range of the axis the panels do not share
    ref_lines: tuple[RefLine, ...] | None = None  # lines on the panel's own scale (None: the spec's, in each)
    text_columns: tuple[TextColumn, ...] | None = None
    labels: tuple[TextLabel, ...] = ()


def split_panels(
    spec: ChartSpec,
    groups: Sequence[PanelGroup],
    *,
    layout: PanelLayout = PanelLayout.ROW,
    share_x: bool = False,
    finish: Callable[[ChartSpec], ChartSpec] | None = None,
) -> ChartSpec:
    """``spec`` as one panel per group, in the groups' order.

    ``layout`` ROW puts panels side by side and shares the y range; COLUMN stacks them and shares the
    x range. ``share_x`` shares the x range of side-by-side panels too (a dose axis in multiples of the
    approved dose, where 1x means the same in every panel). A shared range is the spec's fixed range
    when it has one, else the union of the panels' own ranges. Reference lines go into every panel;
    the overlay's footnotes, warnings and title stay on the returned spec. ``finish`` is given each panel
    as made, its last touch (one that keeps its placement: :meth:`ChartSpec.relabelled`).

    A spec places its marks when it is made (:attr:`ChartSpec.placement`), so each panel is made once with
    its final ranges; only a shared range left to the data (no fixed range) places the panels a first time
    to read their data's ranges.
    """
    fields = [_panel_fields(spec, g, layout) for g in groups]
    shared = {"y_range": layout is PanelLayout.ROW, "x_range": layout is PanelLayout.COLUMN or share_x}
    ranges: dict[str, tuple[float, float] | None] = {}
    if any(has_marks(f["series"], f["bands"], f["labels"]) for f in fields):
        ranges = {name: getattr(spec, name) for name, on in shared.items() if on}
        if None in ranges.values():
            drawn = [p for p in (replace(spec, **f) for f in fields) if not p.is_empty]
            ranges = {name: value or _union([_data_range(p, name[0]) for p in drawn]) for name, value in ranges.items()}
    panels = []
    for f in fields:
        panel = replace(spec, **{**f, **ranges})
        panels.append(finish(panel) if finish is not None else panel)
    return replace(spec, series=(), bands=(), legend=(), labels=(), panels=tuple(panels), panel_layout=layout)


def _panel_fields(spec: ChartSpec, group: PanelGroup, layout: PanelLayout) -> dict[str, Any]:
    """What a group's panel changes in ``spec``: its marks, title, legend, own axis and text; no heading rows (the
    panel's title names its group), no footnotes, warnings or panels of its own."""
    series = tuple(s for s in spec.series if s.group == group.key)
    bands = tuple(b for b in spec.bands if b.group == group.key)
    x_ticks, y_ticks = spec.x_ticks, spec.y_ticks
    x_range, y_range = spec.x_range, spec.y_range
    if layout is PanelLayout.ROW:
        x_ticks = group.ticks if group.ticks is not None else _within(x_ticks, series, "x")
        x_range = group.own_range or x_range
    else:
        y_ticks = group.ticks if group.ticks is not None else _within(y_ticks, series, "y")
        y_range = group.own_range or y_range
    return {
        "x_range": x_range,
        "y_range": y_range,
        "title": group.title,
        "series": series,
        "bands": bands,
        "legend": group.legend,
        "ref_lines": spec.ref_lines if group.ref_lines is None else group.ref_lines,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "y_headings": (),
        "text_columns": spec.text_columns if group.text_columns is None else group.text_columns,
        "footnotes": (),
        "warnings": (),
        "labels": group.labels,
        "empty_message": group.empty_message or f"Nothing to show for {group.title}.",
        "left_out": (),  # what the builder left out is the whole chart's (ChartSpec.fate reads it there)
        "panels": (),
    }


def _within(ticks: Ticks, series: tuple[Series, ...], axis: str) -> Ticks:
    """The categorical ticks within half a slot of the panel's own points on ``axis``."""
    if not ticks:
        return ticks
    values = [p.x if axis == "x" else p.y for s in series for p in s.points]
    if not values:
        return ()
    lo, hi = min(values) - 0.5, max(values) + 0.5
    return tuple(t for t in ticks if lo <= t[0] <= hi)


def _data_range(panel: ChartSpec, axis: str) -> Range:
    placed = panel.placement
    scale, (lo, hi) = (placed.x_scale, placed.x_range) if axis == "x" else (placed.y_scale, placed.y_range)
    return scale.data(lo), scale.data(hi)


def _union(ranges: list[Range]) -> Range:
    return min(r[0] for r in ranges), max(r[1] for r in ranges)

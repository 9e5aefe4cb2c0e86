"""The plot's axes: labels, ticks, log mode and grid, set as a difference from the last drawing; text columns.

Every ``AxisItem`` setter throws the axis' cached picture away, whether or not the value changed, so the
axes are described first (:class:`AxisPlan`) and only what differs is set.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

from viewer.charts.spec import ChartSpec
from viewer.plot.columns import ColumnHeader, TextTable
from viewer.plot.result import RenderedChart
from viewer.plot.style import Theme, cosmetic_pen, make_font
from viewer.plot.workarounds import GridAxis, axis_label_text

__all__ = [
    "AXES",
    "FRESH_AXES",
    "AxisPlan",
    "TickLevels",
    "axis_ticks",
    "draw_text_columns",
    "label_table",
    "log_ticks",
    "plain_number",
    "plan_grid",
]

TickLevels = tuple[tuple[tuple[float, str], ...], ...]
"""Tick levels for ``AxisItem.setTicks``: major ticks first, each (view position, label)."""

AXES = ("left", "bottom", "top", "right")
# The state of a PlotItem's axes as pyqtgraph creates them, in the terms of AxisPlan.
FRESH_AXES: dict[str, dict[str, Any]] = {
    name: {"visible": name in ("left", "bottom"), "log": False, "ticks": None, "grid": False, "label": ""}
    for name in AXES
}


class AxisPlan:
    """The wanted state of the plot's four axes, applied as the difference from the previous drawing.

    Every AxisItem setter throws away the axis' cached picture (tick positions, labels, grid lines),
    whether or not the value changed, and regenerating it is most of a redraw's paint time. So
    :func:`render` no longer resets the axes and sets them again: it writes what it wants here (a
    blank state, then styles and data) and :meth:`apply` calls only the setters whose value differs
    from what the previous drawing left (``RenderedChart.axes``). The result is the same state.
    Styles (``setStyle``) and the tick pen accumulate, as they always did: nothing resets them.
    """

    def __init__(self, theme: Theme, scale: float) -> None:
        self.want: dict[str, dict[str, Any]] = {
            name: {
                "visible": name in ("left", "bottom"),
                "pen": (theme.foreground, theme.axis_width * scale),  # None: no pen
                "text_pen": theme.foreground,
                "tick_font": theme.tick_pt,
                "auto_si": False,
                "style": {},
                "tick_pen": None,  # None: leave as it is
                "log": False,
                "ticks": None,  # None: pyqtgraph's own; else levels of (view position, label), major first
                "grid": False,
                "backdrop": None,  # a grid axis' (GridAxis) background colour: its lines are stroked opaque on it
                "label": "",  # or (text, colour, points)
            }
            for name in AXES
        }
        # The end labels of a fixed 0-100 % axis would be hidden for poking half a line out of the axis.
        # A forest plot's axis ends on a labelled value (0.2 ... 20): its end labels stay too.
        self.want["left"]["style"] = {"hideOverlappingLabels": False}
        self.want["bottom"]["style"] = {"hideOverlappingLabels": False}
        # Axes whose title the chart gives elsewhere (a panel grid titles a shared axis once): left untitled
        # whatever the data set, so that an unchanged redraw leaves their pictures alone.
        self.untitled: frozenset[str] = frozenset()

    def set(self, name: str, **values: Any) -> None:
        self.want[name].update(values)

    def apply(self, plot: Any, previous: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Bring the axes from ``previous`` (as left by the last apply) to the wanted state; return it."""
        applied: dict[str, dict[str, Any]] = {}
        for name in AXES:
            want, had = self.want[name], previous.get(name, {})
            if name in self.untitled:
                want = {**want, "label": ""}
            axis = plot.getAxis(name)
            state = dict(want)

            def changed(key: str, want: dict[str, Any] = want, had: dict[str, Any] = had) -> bool:
                return key not in had or had[key] != want[key]

            if changed("visible"):
                plot.showAxis(name, want["visible"])
            if changed("pen"):
                pen = want["pen"]
                axis.setPen(QPen(Qt.PenStyle.NoPen) if pen is None else cosmetic_pen(pen[0], pen[1]))
            if changed("text_pen"):
                axis.setTextPen(QColor(want["text_pen"]))
            if changed("tick_font"):
                axis.setTickFont(make_font(want["tick_font"]))
            if changed("auto_si"):
                axis.enableAutoSIPrefix(want["auto_si"])
            had_style = had.get("style", {})
            style = {k: v for k, v in want["style"].items() if k not in had_style or had_style[k] != v}
            if style:
                axis.setStyle(**style)
            state["style"] = {**had_style, **want["style"]}
            if want["tick_pen"] is not None and changed("tick_pen"):
                axis.setTickPen(cosmetic_pen(*want["tick_pen"]))
            elif want["tick_pen"] is None:
                state["tick_pen"] = had.get("tick_pen")
            if changed("log"):
                axis.setLogMode(want["log"])  # tick labels only; data are already log10
            if changed("ticks"):
                axis.setTicks(None if want["ticks"] is None else [list(level) for level in want["ticks"]])
            if changed("grid"):
                axis.setGrid(want["grid"])
            if changed("backdrop") and isinstance(axis, GridAxis):
                axis.set_backdrop(want["backdrop"])
            if changed("label"):
                axis.setLabel(None)
                axis.showLabel(False)
                if want["label"]:
                    text, color, points = want["label"]
                    css = {"color": color, "font-size": f"{points}pt"}
                    plot.setLabel(name, axis_label_text(text), **css)
            applied[name] = state
        return applied


def plan_grid(plan: AxisPlan, side: str, ticks: TickLevels | None, log: bool, theme: Theme, scale: float) -> None:
    """Faint grid lines across the value axis, drawn by an otherwise invisible opposite axis.

    A grid on the labelled axis itself would cost its end labels: with a grid, pyqtgraph 0.14
    clips tick labels to the axis rectangle, so "0" and "100" of a fixed 0-100 % axis vanish. The grid
    axis lies beneath the data on the theme's background (``backdrop``), where it strokes its lines opaque
    (:class:`~viewer.plot.workarounds.GridAxis`).
    """
    plan.set(
        side,
        visible=True,
        pen=None,
        tick_pen=(theme.foreground, theme.axis_width * scale),
        # Major and first minor level only: the finest level (every 2 % on a 0-100 axis) adds ~40
        # full-width translucent lines, which cost most of a redraw's paint time and clutter the plot.
        style={"showValues": False, "tickLength": 0, "maxTickLevel": 1},
        log=log,  # same tick positions as the labelled axis
        ticks=ticks,
        grid=int(255 * theme.grid_alpha),
        backdrop=theme.background,
    )


def plain_number(value: float) -> str:
    """A tick label in plain digits: 0.1, 0.25, 1, 20, 1,000 (never 10¹ or 2·10¹)."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.6g}" if value < 1 else f"{value:g}"


_LOG_LEVELS = ((1.0,), (2.0, 5.0), (3.0, 4.0, 6.0, 7.0, 8.0, 9.0))


def log_ticks(view_range: tuple[float, float]) -> TickLevels:
    """Ticks of a logarithmic axis (view coordinates are log10) in plain numbers: the decades (… 0.1 1 10 …),
    then 2 and 5 of each decade, then the other digits when the axis spans less than a decade.

    pyqtgraph's own log ticks print "10¹" and "2·10¹" and label every minor tick until they collide. Here
    every level after the first is a separate tick level, and pyqtgraph leaves a level's labels out when
    they would crowd the axis (``textFillLimits``), so labels never overlap: a wide axis keeps its decades,
    a narrow one gets 0.5 0.6 0.7 0.8 0.9 1 2 3.
    """
    lo, hi = sorted(view_range)
    first, last = math.floor(lo) - 1, math.ceil(hi) + 1
    levels = []
    for k, steps in enumerate(_LOG_LEVELS):
        if k == 2 and hi - lo > 1.0:
            break
        level = []
        for exponent in range(first, last + 1):
            for step in steps:
                value = step * 10.0**exponent
                position = math.log10(value)
                if lo - 1e-9 <= position <= hi + 1e-9:
                    level.append((position, plain_number(float(f"{value:.6g}"))))
        levels.append(tuple(level))
    while len(levels) > 1 and not levels[-1]:
        levels.pop()
    return tuple(levels)


def axis_ticks(
    categorical: Sequence[tuple[float, str]], log: bool, view_range: tuple[float, float]
) -> TickLevels | None:
    """The tick levels of an axis: its categories, the plain log ticks, or None (pyqtgraph's linear ticks)."""
    if categorical:
        return (tuple(categorical),)
    return log_ticks(view_range) if log else None


TABLES_KEPT = 8  # text tables a chart keeps laid out for its next drawings (a few specs back and forth)


def _kept_table(out: RenderedChart, key: Any, make: Any) -> Any:
    """The table (or tables) ``key`` names, laid out by an earlier drawing of this chart, or ``make()``.

    A forest plot's columns of 2,000 rows cost milliseconds to lay out; going back to a spec drawn a
    moment ago (ACR20, ACR50, ACR20; a tick and an untick) finds them laid out. Keyed by the plot's
    ViewBox too: a table maps its rows through the ViewBox it was made for.
    """
    key = (id(out.plot.vb), key)
    kept = out.tables.pop(key, None)
    if kept is None:
        kept = make()
    out.tables[key] = kept  # the most recent last; the oldest go first
    while len(out.tables) > TABLES_KEPT:
        out.tables.pop(next(iter(out.tables)))
    return kept


def label_table(out: RenderedChart, spec: ChartSpec, theme: Theme) -> TextTable:
    """The row labels of a chart with text columns, as a table measured once (headings bold, rows indented)."""
    headings = frozenset(spec.placement.y_scale.view(y) for y in spec.y_headings)
    font = make_font(theme.tick_pt)
    cells = spec.placement.y_ticks
    table: TextTable = _kept_table(
        out,
        ("labels", cells, headings, font.key(), theme.foreground),
        lambda: TextTable(
            out.plot.vb, [cells], font=font, color=theme.foreground, lead=4.0, headings=headings, indent=True
        ),
    )
    return table


def draw_text_columns(out: RenderedChart, spec: ChartSpec, theme: Theme, labels: TextTable) -> None:
    """Row labels left of the plot, text columns (effect, n/N, NNT) right of it, titles above: laid out once.

    The labels take the left axis' place in the PlotItem's grid (the axis is hidden and put back by the
    next drawing, :func:`viewer.plot.plots.reset_plot`); the columns sit in the ViewBox's row to the
    right, their titles in the top axis' row. Being in the ViewBox's row, they get its pixel rows, and
    :class:`~viewer.plot.columns.TextTable` maps each cell's y through the ViewBox: rows line up by
    construction, at any size.
    """
    plot = out.plot
    grid = plot.layout
    grid.removeItem(plot.getAxis("left"))
    grid.addItem(labels, 2, 0)
    out.label_table = labels
    if not spec.text_columns:  # all left out (too narrow), or a chart with row headings only
        return
    columns = spec.placement.text_cells
    titles = [c.title for c in spec.text_columns]
    font = make_font(theme.tick_pt)

    def make() -> tuple[TextTable, ColumnHeader]:
        table = TextTable(plot.vb, columns, font=font, color=theme.foreground, titles=titles)
        return table, ColumnHeader(table, titles, font=font, color=theme.foreground)

    table, header = _kept_table(out, ("columns", columns, tuple(titles), font.key(), theme.foreground), make)
    grid.addItem(table, 2, 3)
    grid.addItem(header, 1, 3, Qt.AlignmentFlag.AlignBottom)
    grid.setColumnSpacing(3, 0)
    grid.setColumnStretchFactor(3, 0)
    out.text_table, out.text_header = table, header

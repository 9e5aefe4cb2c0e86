"""A chart split into one panel per drug (:mod:`viewer.charts.panels`), laid out as a grid of plots.

Each panel is a full :class:`~viewer.charts.spec.ChartSpec` drawn by the same code as a single chart
(:func:`~viewer.plot.draw.draw_data`, :func:`~viewer.plot.legend.build_legend`). The grid puts every
panel's title, plot and legend in rows of their own, so the plots of one grid row share a top and a
height and those of one column share a left edge: the shared axis lines up across the panels. The
response axis is labelled once per row (first column); the other panels keep its tick labels.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt

from viewer.charts.spec import ChartSpec, PanelLayout
from viewer.plot.axes import FRESH_AXES, AxisPlan
from viewer.plot.draw import draw_data, draw_empty
from viewer.plot.legend import build_legend
from viewer.plot.result import RenderedChart
from viewer.plot.style import Theme, make_font
from viewer.plot.text import PlainLabel

__all__ = ["draw_panels", "new_plot"]

ROWS_PER_PANEL = 3  # title, plot, legend
_SPACING = 6


def new_plot() -> Any:
    """A PlotItem for a static comparison chart: no pan, zoom, menu or "A" button."""
    plot = pg.PlotItem()
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def draw_panels(spec: ChartSpec, theme: Theme, scale: float) -> tuple[Any, list[RenderedChart]]:
    """A ``pg.GraphicsLayout`` holding the panels of ``spec``, and what was drawn in each (in order)."""
    grid = pg.GraphicsLayout()
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(_SPACING)
    columns = max(spec.panel_columns, 1)
    drawn: list[RenderedChart] = []
    for k, panel in enumerate(spec.panels):
        row, col = divmod(k, columns)
        out = RenderedChart(spec=panel, plot=new_plot(), scale=scale)
        out.axis_plan = AxisPlan(theme, scale)
        if panel.is_empty:
            draw_empty(out, panel, theme)
            out.axes = out.axis_plan.apply(out.plot, FRESH_AXES)
        else:
            draw_data(out, panel, theme, scale)
            out.legend = build_legend(panel, theme, scale)
            shared_side = "left" if spec.panel_layout is PanelLayout.ROW else "bottom"
            if (col > 0 and shared_side == "left") or (shared_side == "bottom" and k < len(spec.panels) - 1):
                out.plot.getAxis(shared_side).showLabel(False)  # the shared axis is labelled once
        out.title = PlainLabel(
            panel.title, font=make_font(theme.label_pt, bold=True), color=theme.foreground,
            align=Qt.AlignmentFlag.AlignHCenter,
        )  # fmt: skip
        top = row * ROWS_PER_PANEL
        grid.addItem(out.title, row=top, col=col)
        grid.addItem(out.plot, row=top + 1, col=col)
        if out.legend is not None:
            grid.addItem(out.legend, row=top + 2, col=col)
        drawn.append(out)
    rows = (len(spec.panels) + columns - 1) // columns
    for r in range(rows):
        members = spec.panels[r * columns : (r + 1) * columns]
        grid.layout.setRowStretchFactor(r * ROWS_PER_PANEL + 1, _plot_stretch(spec, members))
        grid.layout.setRowStretchFactor(r * ROWS_PER_PANEL, 0)
        grid.layout.setRowStretchFactor(r * ROWS_PER_PANEL + 2, 0)
    for c in range(columns):
        grid.layout.setColumnStretchFactor(c, 1)
    return grid, drawn


def _plot_stretch(spec: ChartSpec, members: tuple[ChartSpec, ...]) -> int:
    """Side-by-side rows share the height equally; stacked panels get height by their rows (a forest
    plot's row is as tall in every panel)."""
    if spec.panel_layout is PanelLayout.ROW:
        return 100
    lo, hi = members[0].placement.y_range
    return max(1, round(hi - lo))

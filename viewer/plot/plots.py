"""The PlotItem of a chart: made once with the settings of a static comparison chart, reset for each redraw."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg

from viewer.plot.result import RenderedChart
from viewer.plot.workarounds import GRID_Z, GridAxis

__all__ = ["handed_on", "new_plot", "reset_plot"]


def new_plot() -> Any:
    """A PlotItem for a static comparison chart: no pan, zoom, menu or "A" button.

    The right and top axes are :class:`~viewer.plot.workarounds.GridAxis`, beneath the ViewBox: the one that draws
    the grid (:func:`viewer.plot.axes.plan_grid`) strokes its lines opaque on the chart's background instead of
    blending them pixel by pixel, and every mark is drawn over them.
    The menu is refused when the plot is made: made and then disabled, the view box builds its context
    menu first (~5-12 ms a plot, three plots in the first window's panels) only to throw it away.
    """
    plot = pg.PlotItem(axisItems={"right": GridAxis("right"), "top": GridAxis("top")}, enableMenu=False)
    for name in ("right", "top"):  # axes given to a PlotItem are shown; a fresh one shows only left and bottom
        plot.hideAxis(name)
        plot.getAxis(name).setZValue(GRID_Z)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    return plot


def reset_plot(previous: RenderedChart) -> Any:
    """Bring the previous drawing's PlotItem back to a blank state, but for the items the next drawing takes over.

    Creating a PlotItem costs ~6 ms (axes, menus), too much for every redraw. The markers, caps and
    arrowheads (one ``ScatterPlotItem`` each, :mod:`viewer.plot.batching`), the items of the runs of lines and
    whiskers, the reference lines and the text labels stay in the plot: the next drawing
    (:func:`viewer.plot.draw.draw_data`, :func:`~viewer.plot.draw.draw_empty`) gives them its data or takes them
    out; a new item and its trip out of the plot and back cost more than its new data (2-3 ms a redraw for the
    scatter items alone). The previous drawing's focus is cleared first: what it faded is drawn as it was.
    """
    plot = previous.plot
    if previous.focus is not None:
        previous.focus.clear()
    kept = {id(item) for item in handed_on(previous)}  # by identity, as Qt holds them
    for item in plot.items[:]:  # what PlotItem.clear does, but for the kept items
        if id(item) not in kept:
            plot.removeItem(item)
    plot.avgCurves = {}
    for item in (previous.label_table, previous.text_table, previous.text_header):
        if item is None:
            continue
        plot.layout.removeItem(item)
        # The plot is out of the scene now (layout.clear()); unparent, or the stale column would
        # come back with the plot.
        item.setParentItem(None)
        if item.scene() is not None:
            item.scene().removeItem(item)
    if previous.label_table is not None:  # the left axis goes back to its place (AxisPlan shows it if wanted)
        plot.layout.addItem(plot.getAxis("left"), 2, 0)
    return plot


def handed_on(drawing: RenderedChart) -> list[Any]:
    """The items of a drawing that the next drawing of its plot takes over (:func:`reset_plot`)."""
    shared = [item for item in (drawing.caps, drawing.arrows, drawing.markers) if item is not None]
    return [*shared, *drawing.line_items, *drawing.whisker_items, *drawing.ref_lines, *drawing.labels]

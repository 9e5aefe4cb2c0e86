"""The one rule that fits a chart to the space it gets: the screen pane and an export's canvas.

A dense chart (a long legend, a forest plot's label and text columns) in a small space would otherwise
squash its plot to a sliver or run past the edge. Both front ends therefore magnify the chart's space in
the same steps until :func:`plot_fits` holds, up to a limit: the screen zooms the scene out (text never
below ``1 / MAX_SCREEN_ZOOM`` of its size), an export enlarges its canvas and scales the whole figure down
onto the page (``MAX_EXPORT_ENLARGEMENT``, which keeps lines at 300 dpi above a quarter point). So the
screen shows what an export of the same shape shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QFontMetricsF

from viewer.charts.spec import ChartSpec
from viewer.plot.result import RenderedChart
from viewer.plot.style import Theme, make_font

__all__ = [
    "FIT_STEP",
    "MAX_EXPORT_ENLARGEMENT",
    "MAX_SCREEN_ZOOM",
    "MIN_PLOT_HEIGHT_SHARE",
    "MIN_PLOT_WIDTH_SHARE",
    "Fitted",
    "fit",
    "plot_fits",
]

MIN_PLOT_HEIGHT_SHARE = 0.35  # the plot area keeps at least this share of the chart's height
MIN_PLOT_WIDTH_SHARE = 0.3  # ... and of its width (a forest plot's labels and text columns eat it)
FIT_STEP = 1.2  # each try magnifies the space by this factor
MAX_SCREEN_ZOOM = 1.8  # on screen, text is never shrunk below 1/1.8 of its size to make a chart fit
MAX_EXPORT_ENLARGEMENT = 4.0  # an export's canvas grows at most 4x (text at a quarter of its size)


class Fitted(Protocol):
    """What the rule reads of a :class:`~viewer.plot.canvas.ChartWidget` (which imports this module)."""

    spec: ChartSpec | None
    rendered: RenderedChart | None
    theme: Theme
    range: Any  # QRectF: the scene area shown
    ci: Any  # the top-level pg.GraphicsLayout


def plot_fits(widget: Fitted) -> bool:
    """Nothing runs past the scene, and the plot area is big enough for its rows and to be read."""
    rendered = widget.rendered
    spec = widget.spec
    scene_w, scene_h = widget.range.width(), widget.range.height()
    layout = widget.ci.geometry()
    if layout.width() > scene_w + 1 or layout.height() > scene_h + 1:
        return False
    if rendered is None or spec is None or spec.is_empty:
        return True
    stacked = spec.panels[:: max(spec.panel_columns, 1)] or (spec,)  # the panels of one column share the height
    rows = sum(max([len(s.y_ticks)] + [len(c.cells) for c in s.text_columns]) for s in stacked)
    row_px = QFontMetricsF(make_font(widget.theme.tick_pt)).height() + 2.0
    needed = max(MIN_PLOT_HEIGHT_SHARE * scene_h, rows * row_px)
    width, height = rendered.plot_area()
    return bool(height >= needed and width >= MIN_PLOT_WIDTH_SHARE * scene_w)


def fit(widget: Fitted, magnify: Callable[[float], None], limit: float) -> float:
    """The smallest factor ``FIT_STEP ** k`` (capped at ``limit``) at which ``widget``'s chart fits.

    ``widget`` shows the chart at factor 1 on entry; ``magnify(factor)`` gives it ``factor`` times the
    space and lays it out again. Returns the factor in effect (1 when the chart fitted as it was).
    """
    factor = 1.0
    while not plot_fits(widget) and factor < limit:
        factor = min(factor * FIT_STEP, limit)
        magnify(factor)
    return factor

"""The one rule that fits a chart to the space it gets: the screen pane and an export's canvas.

A dense chart (a long legend, a forest plot's 50 rows and its text columns) in a small space would
otherwise squash its plot to a sliver, run past the edge, or shrink its text below what anyone can read.
Both front ends follow the same three steps (:func:`fit`):

1. **Shrink, but never below a readable size.** The chart's space is magnified in steps of ``FIT_STEP``
   (the text shrinks with it) until :func:`plot_fits` holds, but only down to the floor: the smallest text
   of the theme stays at least ``MIN_SCREEN_PT`` (8 pt) on screen and ``MIN_EXPORT_PT`` (6 pt, what journals
   accept) in a file (:func:`shrink_limit`). With the default theme the screen never shrinks at all.
2. **Grow the height.** Rows are never squeezed: the chart gets the height its rows need (and the plot its
   share), and the screen scrolls; a file gets a taller page at the width asked for.
3. **Narrow.** When the plot still cannot keep its share of the width, the text columns are left out from
   the last (the spec lists them by importance), and the chart says which (:meth:`ChartSpec.narrowed`).

So the screen shows what an export of the same shape shows, and no preset can make the text unreadable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtGui import QFontMetricsF

from viewer.charts.spec import ChartSpec
from viewer.plot.result import RenderedChart
from viewer.plot.style import Theme, make_font

__all__ = [
    "FIT_STEP",
    "MIN_EXPORT_PT",
    "MIN_PLOT_HEIGHT_SHARE",
    "MIN_PLOT_WIDTH_SHARE",
    "MIN_SCREEN_PT",
    "Fit",
    "Fitted",
    "fit",
    "missing_height",
    "plot_fits",
    "row_px",
    "shrink_limit",
    "smallest_pt",
]

MIN_PLOT_HEIGHT_SHARE = 0.35  # the plot area keeps at least this share of the chart's height
MIN_PLOT_WIDTH_SHARE = 0.3  # ... and of its width (a forest plot's labels and text columns eat it)
FIT_STEP = 1.2  # each try magnifies the space by this factor
MIN_SCREEN_PT = 8.0  # no text on screen below 8 pt
MIN_EXPORT_PT = 6.0  # no text in an exported figure below 6 pt (the smallest size journals accept)
_MAX_GROW_ROUNDS = 4


class Fitted(Protocol):
    """What the rule reads of a :class:`~viewer.plot.canvas.ChartWidget` (which imports this module)."""

    spec: ChartSpec | None
    rendered: RenderedChart | None
    theme: Theme
    content: Any  # QRectF: the scene area the chart is laid out in (taller than the view when it scrolls)
    ci: Any  # the top-level pg.GraphicsLayout


@dataclass(slots=True)
class Fit:
    """The fit found: ``factor`` magnifies the chart's space (text at 1/factor of its size), ``height`` grows
    the canvas' height beyond that (a scroll on screen, a taller page in a file), ``keep`` is the number of
    text columns kept (None: all)."""

    factor: float = 1.0
    height: float = 1.0
    keep: int | None = None


def smallest_pt(theme: Theme) -> float:
    """The smallest text size the theme draws (points)."""
    return min(theme.title_pt, theme.label_pt, theme.tick_pt, theme.legend_pt, theme.note_pt)


def shrink_limit(theme: Theme, floor_pt: float) -> float:
    """How far a chart may be shrunk so that its smallest text stays at ``floor_pt`` or more (at least 1)."""
    return max(1.0, smallest_pt(theme) / floor_pt)


def _rows(spec: ChartSpec) -> float:
    """Text rows the plot must hold: its categories, or the span of its y range when it has categories
    (a forest plot's header row and margins count too)."""
    stacked = spec.panels[:: max(spec.panel_columns, 1)] or (spec,)  # the panels of one column share the height

    def rows(s: ChartSpec) -> float:
        count = max([len(s.y_ticks)] + [len(c.cells) for c in s.text_columns])
        if not count or s.y_log:
            return float(count)
        lo, hi = s.placement.y_range
        return max(float(count), hi - lo)

    return sum(rows(s) for s in stacked)


def row_px(theme: Theme) -> float:
    """The height of a text row (a forest plot's row) in scene pixels: the tick font's line and a little air."""
    return float(QFontMetricsF(make_font(theme.tick_pt)).height()) + 2.0


def missing_height(widget: Fitted) -> float:
    """Scene pixels the canvas lacks in height: for the layout's content, and for the plot to hold its rows
    at full size and keep its share of the height (0 when nothing lacks)."""
    scene_h = float(widget.content.height())
    overflow = float(widget.ci.geometry().height()) - scene_h
    rendered, spec = widget.rendered, widget.spec
    if rendered is None or spec is None or spec.is_empty:
        return max(overflow, 0.0)
    _width, height = rendered.plot_area()
    rows_short = _rows(spec) * row_px(widget.theme) - height
    # Growing the canvas by d grows the plot by d too: d >= (share * H - plot) / (1 - share).
    share_short = (MIN_PLOT_HEIGHT_SHARE * scene_h - height) / (1.0 - MIN_PLOT_HEIGHT_SHARE)
    return max(overflow, rows_short, share_short, 0.0)


def width_fits(widget: Fitted) -> bool:
    """Nothing runs past the sides, and the plot keeps its share of the width."""
    scene_w = float(widget.content.width())
    if widget.ci.geometry().width() > scene_w + 1:
        return False
    rendered, spec = widget.rendered, widget.spec
    if rendered is None or spec is None or spec.is_empty:
        return True
    width, _height = rendered.plot_area()
    return bool(width >= MIN_PLOT_WIDTH_SHARE * scene_w)


def plot_fits(widget: Fitted) -> bool:
    """Nothing runs past the scene, and the plot area is big enough for its rows and to be read."""
    return missing_height(widget) <= 0.5 and width_fits(widget)


def fit(
    widget: Fitted,
    *,
    limit: float,
    magnify: Callable[[float], None],
    grow: Callable[[float], None],
    narrow: Callable[[int], None],
) -> Fit:
    """Fit ``widget``'s chart by the three steps of the module docstring.

    ``widget`` shows the chart at factor 1, full height and all columns on entry. ``magnify(factor)`` gives
    it ``factor`` times the space (its text then ends up ``1 / factor`` of its size), ``grow(height)`` makes
    the canvas ``height`` times taller than that, ``narrow(keep)`` draws the chart with its first ``keep``
    text columns only; each lays the chart out again. ``limit`` is :func:`shrink_limit` of the front end.
    """
    result = Fit()
    while not plot_fits(widget) and result.factor < limit:
        result.factor = min(result.factor * FIT_STEP, limit)
        magnify(result.factor)
    spec = widget.spec
    columns = len(spec.text_columns) if spec is not None else 0
    while True:
        for _ in range(_MAX_GROW_ROUNDS):
            lacking = missing_height(widget)
            if lacking <= 0.5:
                break
            result.height *= (float(widget.content.height()) + lacking) / float(widget.content.height())
            grow(result.height)
        keep = columns if result.keep is None else result.keep
        if width_fits(widget) or keep <= 0:
            return result
        result.keep = keep - 1
        narrow(result.keep)

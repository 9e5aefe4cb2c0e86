"""The markers' tooltips: the spec point's own provenance, escaped, for every marker under the mouse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from viewer.charts.spec import Orientation, Point, Series
from viewer.plot.text import plain_tooltip

__all__ = ["HoverTips", "tooltip_text"]

_TOOLTIP_LIMIT = 3  # overlapping markers listed in one tooltip


def tooltip_text(series: Series, point: Point) -> str:
    """The hover text of ``point``: its provenance, or the series name, label and value."""
    if point.tooltip:
        return point.tooltip
    label = f" {point.label}" if point.label else ""
    value = point.x if series.orientation is Orientation.HORIZONTAL else point.y
    return f"{series.name}{label}: {value:g}"


class HoverTips:
    """Shows the escaped tooltips of the markers under the mouse on the plot's ViewBox.

    pyqtgraph's own ``tip=`` text is "x: … y: … data=…" and is not escaped; this looks the spec
    point up from the marker's data ``(series key, point index)``.
    """

    def __init__(self, vb: Any, series: dict[str, Series]) -> None:
        self._vb = vb
        self._series = series  # not the RenderedChart: no reference cycle keeping the plot alive

    def attach(self, scatter: Any) -> None:
        scatter.sigHovered.connect(self._on_hover)

    def _on_hover(self, scatter: Any, points: Sequence[Any], ev: Any) -> None:
        if not len(points):
            self._vb.setToolTip("")
            return
        tips = []
        for spot in points[:_TOOLTIP_LIMIT]:
            key, index = spot.data()
            series = self._series[key]
            tips.append(tooltip_text(series, series.points[index]))
        if len(points) > _TOOLTIP_LIMIT:
            tips.append(f"(and {len(points) - _TOOLTIP_LIMIT} more here)")
        self._vb.setToolTip(plain_tooltip("\n\n".join(tips)))

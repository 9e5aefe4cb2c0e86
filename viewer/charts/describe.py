"""A chart in words, from its :class:`ChartSpec`: what a screen reader says for it, and its plotted points.

The window gives every chart an accessible description (a sentence or two: the title, the axes, how
many drugs, series and points, the range of values, the warnings) and lists its points in a table that
the keyboard can walk, so nothing a chart shows is reachable only by hovering a marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.charts.spec import ChartSpec, Orientation, Series

__all__ = ["PlottedPoint", "describe", "plotted_points", "unnamed"]


@dataclass(frozen=True, slots=True)
class PlottedPoint:
    """One marker as a row: its series, its own label, the value with its interval, and its full provenance."""

    series: str
    label: str
    x: float
    y: float
    value: float  # the value the chart compares (y, or x for a horizontal forest row)
    low: float | None
    high: float | None
    mark: str
    details: str

    @property
    def interval(self) -> str:
        if self.low is None or self.high is None:
            return ""
        return f"{self.low:.3g} to {self.high:.3g}"


def _value(series: Series, x: float, y: float) -> float:
    return x if series.orientation is Orientation.HORIZONTAL else y


def plotted_points(spec: ChartSpec) -> tuple[PlottedPoint, ...]:
    """Every point of every series, in drawing order, with the text its marker's tooltip shows."""
    rows = []
    for series in spec.all_series():  # a chart in panels: each panel's series in turn
        for point in series.points:
            value = _value(series, point.x, point.y)
            label = point.label or (f"{point.x:g}" if series.orientation is Orientation.VERTICAL else "")
            details = point.tooltip or f"{series.name} {point.label}: {value:g}".strip()
            mark = point.drawn_mark.value
            rows.append(PlottedPoint(series.name, label, point.x, point.y, value, point.low, point.high, mark, details))
    return tuple(rows)


def describe(spec: ChartSpec) -> str:
    """A short spoken summary of the chart: title, axes, what it draws, the range of values, warnings."""
    if spec.is_empty:
        return f"{spec.title}. Nothing to show. {spec.empty_message}".strip()
    points = plotted_points(spec)
    drawn = [s for s in spec.all_series() if s.points]
    parts = [f"{spec.title}."]
    if spec.panels:
        parts.append(f"{len(spec.panels)} panels, one per drug: " + "; ".join(p.title for p in spec.panels) + ".")
    if spec.show_axes:
        parts.append(f"Horizontal axis: {spec.x_label or 'categories'}; vertical axis: {spec.y_label or 'rows'}.")
    names = sorted({s.name.split(" · ")[0] for s in drawn if s.in_legend})
    count = f"{len(points)} point{'s' if len(points) != 1 else ''} in {len(drawn)} series"
    parts.append(f"{count}: {', '.join(names)}." if names else f"{count}.")
    values = [p.value for p in points]
    if values:
        parts.append(f"Values from {min(values):.3g} to {max(values):.3g}.")
    bands = len(spec.bands) + sum(len(p.bands) for p in spec.panels)
    if bands:
        parts.append(f"{bands} fitted curve{'s' if bands != 1 else ''}.")
    parts += [f"Warning: {w}" for w in spec.shown_warnings]
    parts.append("The points table under the chart lists every point with its source.")
    return " ".join(parts)


def _texts(spec: ChartSpec) -> list[str]:
    """Every piece of text a chart shows: titles, series, legend, labels, ticks, columns, warnings, notes."""
    texts = [spec.title, spec.empty_message, *spec.shown_warnings, *spec.footnotes]
    texts += [s.name for s in spec.series if s.points] + [b.name for b in spec.bands]
    texts += [e.label for e in spec.legend] + [label.text for label in spec.labels]
    texts += [t for _v, t in (*spec.x_ticks, *spec.y_ticks)]
    texts += [cell for column in spec.text_columns for _y, cell in column.cells]
    for panel in spec.panels:
        texts += _texts(panel)
    return texts


def unnamed(spec: ChartSpec, names: list[str]) -> list[str]:
    """The drug ``names`` a chart neither draws nor mentions anywhere (so the window must say why)."""
    texts = _texts(spec)
    return [name for name in names if not any(name in text for text in texts)]

"""What :func:`~viewer.plot.render.render` drew: handles for tests, hover and the next redraw's re-use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from viewer.charts.placement import Arrow
from viewer.charts.spec import ChartSpec, Series
from viewer.plot.hover import tooltip_text
from viewer.plot.legend import LegendBlock
from viewer.plot.text import PlainLabel

__all__ = ["RenderedChart", "SeriesItems"]


@dataclass(slots=True)
class SeriesItems:
    """What was drawn for one series.

    ``indices[k]`` is the spec point index of drawn point ``k``; its marker is row
    ``marker_rows[k]`` of the chart's shared :attr:`RenderedChart.markers`. ``caps`` and
    ``arrows`` list the positions (view coordinates) of this series' interval caps and arrowheads.
    """

    series: Series
    indices: tuple[int, ...] = ()
    marker_rows: tuple[int, ...] = ()
    line: Any = None  # SharedPart of a pg.PlotCurveItem (consecutive series with the same pen share one)
    intervals: Any = None  # SharedPart of a pg.ErrorBarItem (likewise shared)
    caps: list[tuple[float, float]] = field(default_factory=list)
    arrows: list[tuple[float, float, Arrow]] = field(default_factory=list)  # x, y, direction
    diamonds: list[Any] = field(default_factory=list)  # QGraphicsPolygonItem per pooled estimate

    def items(self) -> list[Any]:
        """This series' graphics items: its parts (:class:`~viewer.plot.batching.SharedPart`) of line and whiskers.

        Markers, caps and arrows are rows of the chart's shared scatter items.
        """
        return [i for i in (self.line, self.intervals) if i is not None]


@dataclass(slots=True)
class RenderedChart:
    """Handles on what :func:`render` drew, for tests, hover and re-use by :class:`ChartWidget`.

    Coordinates stored in items are *view* coordinates: ``log10`` of the value on a log axis.
    """

    spec: ChartSpec
    plot: Any  # pg.PlotItem
    scale: float = 1.0
    series: dict[str, SeriesItems] = field(default_factory=dict)
    markers: Any = None  # pg.ScatterPlotItem: every marker of the chart; hover shows tooltips
    caps: Any = None  # pg.ScatterPlotItem: interval caps
    arrows: Any = None  # pg.ScatterPlotItem: clipped interval ends and out-of-range points
    bands: dict[str, list[Any]] = field(default_factory=dict)
    ref_lines: list[Any] = field(default_factory=list)
    labels: list[Any] = field(default_factory=list)  # pg.TextItem per spec label
    line_items: list[Any] = field(default_factory=list)  # the items of the runs of lines (viewer.plot.batching.Runs)
    whisker_items: list[Any] = field(default_factory=list)  # the items of the runs of whiskers
    title: PlainLabel | None = None
    warnings: PlainLabel | None = None
    footnotes: PlainLabel | None = None
    legend: LegendBlock | None = None
    label_table: Any = None  # TextTable of the row labels, in the left axis' place (charts with text columns)
    text_table: Any = None  # TextTable of the text columns right of the plot
    text_header: Any = None  # ColumnHeader: the columns' titles
    message: Any = None  # pg.TextItem with spec.empty_message
    hover: Any = None  # HoverTips: shows the markers' tooltips
    focus: Any = None  # Focus: picks out one series (hover, legend, points list)
    x_range: tuple[float, float] = (0.0, 1.0)  # view coordinates
    y_range: tuple[float, float] = (0.0, 1.0)
    atlases: dict[str, Any] = field(default_factory=dict)  # symbol atlases of markers/caps/arrows, for reuse
    tables: dict[Any, Any] = field(default_factory=dict)  # text tables laid out, by what they show (axes.py)
    axes: dict[str, dict[str, Any]] = field(default_factory=dict)  # the axes' state as drawn (AxisPlan)
    axis_plan: Any = None  # AxisPlan being filled while drawing
    panels: list[RenderedChart] = field(default_factory=list)  # one per spec panel, when the chart has panels
    panel_grid: Any = None  # pg.GraphicsLayout holding the panels

    def plot_area(self) -> tuple[float, float]:
        """Width and height of the plotting area: of the one plot, or of the panels' plots summed
        along the first panel row (width) and the first panel column (height)."""
        if not self.panels:
            return float(self.plot.vb.width()), float(self.plot.vb.height())
        columns = max(self.spec.panel_columns, 1)
        width = sum(float(p.plot.vb.width()) for p in self.panels[:columns])
        height = sum(float(p.plot.vb.height()) for p in self.panels[::columns])
        return width, height

    def layouts(self) -> list[Any]:
        """The Qt layouts a redraw must settle: the plot's, or the panel grid's and each panel plot's."""
        if not self.panels:
            return [self.plot.layout]
        return [self.panel_grid.layout, *(p.plot.layout for p in self.panels)]

    def panel_of(self, series_name: str) -> RenderedChart:
        """The drawing that holds a series: this chart, or the panel it was drawn in."""
        if series_name in self.series:
            return self
        for panel in self.panels:
            if series_name in panel.series:
                return panel
        raise KeyError(series_name)

    def focus_series(self, name: str | None) -> None:
        """Pick out the series ``name`` (in whichever panel holds it) and fade the rest; None: none."""
        for chart in (self, *self.panels):
            if chart.focus is not None:
                chart.focus.set(name if name is not None and name in chart.series else None)

    @property
    def drawn_series(self) -> dict[str, SeriesItems]:
        """What was drawn for every series, of this chart or of all its panels."""
        if not self.panels:
            return self.series
        return {name: items for panel in self.panels for name, items in panel.series.items()}

    def spots(self, series_name: str) -> list[Any]:
        """The series' markers (``pg.SpotItem``: pos, pen, brush, data) in drawn order."""
        holder = self.panel_of(series_name)
        if holder is not self:
            return holder.spots(series_name)
        if self.markers is None:
            return []
        spots = self.markers.points()
        return [spots[row] for row in self.series[series_name].marker_rows]

    def tooltip_at(self, series_name: str, index: int) -> str:
        """The hover text of spec point ``index`` of a series, read back from the drawn marker.

        Raises ``LookupError`` when that point was not drawn (e.g. dose 0 on a log axis).
        """
        holder = self.panel_of(series_name)
        for spot in self.spots(series_name):
            key, i = spot.data()
            if i == index:
                series = holder.series[key].series
                return tooltip_text(series, series.points[i])
        raise LookupError(f"point {index} of {series_name!r} was not drawn")

    def drawn_xy(self, series_name: str) -> list[tuple[float, float]]:
        """Marker positions of a series in data units (log axes undone), in drawn order."""
        to_data = self.panel_of(series_name).spec.placement.to_data
        return [to_data(float(s.pos().x()), float(s.pos().y())) for s in self.spots(series_name)]

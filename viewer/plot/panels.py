"""A chart split into one panel per drug (:mod:`viewer.charts.panels`), laid out as a grid of plots.

Each panel is a full :class:`~viewer.charts.spec.ChartSpec` drawn by the same code as a single chart
(:func:`~viewer.plot.draw.draw_data`, :func:`~viewer.plot.legend.build_legend`). The grid puts every
panel's title, plot and legend in rows of their own, so the plots of one grid row share a top and a
height and those of one column share a left edge: the shared axis lines up across the panels. The
response axis is labelled once (first column; beside every row when there are several), the dose axis
once under the last row, across the columns; every panel keeps its tick labels.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy

from viewer.charts.spec import ChartSpec, PanelLayout
from viewer.plot.axes import AxisPlan
from viewer.plot.draw import draw_data
from viewer.plot.fit import row_px
from viewer.plot.legend import build_legend
from viewer.plot.plots import new_plot, reset_plot
from viewer.plot.result import RenderedChart
from viewer.plot.style import Theme, make_font
from viewer.plot.text import PlainLabel, WrappedMessage, reuse_label, reuse_vertical_title
from viewer.plot.workarounds import deferred_layout_pass

__all__ = ["panel_steps"]

ROWS_PER_PANEL = 4  # title, plot, the shared x-axis title (last row of side-by-side panels only), legend
_SPACING = 6
_ROW_GAPS = (1, 1, 1, 10)  # px below a panel's title, its plot, the axis title and its legend
_NO_COLOUR = "transparent"  # a colour name Qt reads as fully transparent


def panel_steps(
    spec: ChartSpec, theme: Theme, scale: float, width: float = 0.0, reuse: RenderedChart | None = None
) -> Generator[None, None, tuple[Any, list[RenderedChart]]]:
    """Draw the panels of ``spec`` one at a time, yielding after each (a crowded chart's panel of 100 trials is
    ~25 ms: :meth:`~viewer.plot.canvas.ChartWidget.draw_in_steps` lets the window answer between them, and
    before the grid is laid out); returns a ``pg.GraphicsLayout`` holding the panels and what was drawn in each
    (in order).

    ``width`` is the width the grid will get (0: unknown): titles and legends are given their column's
    width before they are laid out, so they wrap once and the redraw settles in one layout pass.
    ``reuse``, the previous drawing, lends its grid when it had as many panels in as many columns, and its
    panels' plots, titles and legends in order whatever their number: fresh plots would re-measure their axes
    in the first paint and cost two more paints per click, and a new PlotItem costs ~10 ms (4 of them were a
    quarter of the 400-trial chart a 1,000,000-arm file opens on, drawn after 3 panels of the shipped data).
    """
    columns = max(spec.panel_columns, 1)
    shared_y = _shares_y_title(spec, columns)
    first = int(shared_y)  # the grid column of the first panels
    old: Any = reuse.panel_grid if reuse is not None else None
    same = (
        reuse is not None
        and old is not None
        and len(reuse.panels) == len(spec.panels)
        and reuse.spec.panel_columns == columns
        and _shares_y_title(reuse.spec, columns) == shared_y
    )
    lent = reuse.panels if reuse is not None and old is not None and (same or old.scene() is not None) else []
    previous: list[RenderedChart | None] = [lent[k] if k < len(lent) else None for k in range(len(spec.panels))]
    grid: Any
    if same:
        grid = old
    else:
        grid = pg.GraphicsLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(_SPACING)
        _release(old, previous)
    column_w = (width - _SPACING * (columns - 1)) / columns if width > 0 else 0.0
    drawn: list[RenderedChart] = []
    with deferred_layout_pass(grid.layout):
        for k, (panel, prev) in enumerate(zip(spec.panels, previous, strict=True)):
            out = _draw_panel(
                panel,
                prev,
                theme,
                scale,
                hide_labels=_hidden_labels(spec, k, columns, shared_y=shared_y),
                rows=spec.panel_layout is PanelLayout.COLUMN,
            )
            for block in (out.title, out.legend):
                if block is None or (same and prev is not None and block in (prev.title, prev.legend)):
                    continue  # a kept block in a kept grid keeps its width
                # the columns share the width equally: a long trial name wraps the legend, never widens it
                block.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
                if column_w > 0:
                    block.resize(column_w, block.size().height())  # re-wraps; the height follows
            row, col = divmod(k, columns)
            for offset, item in ((0, out.title), (1, out.plot), (3, out.legend)):
                _put(grid, item, row * ROWS_PER_PANEL + offset, col + first)
            drawn.append(out)
            yield
        _share_x_title(grid, spec, theme, columns, width, first)
        if shared_y:
            _share_y_title(grid, spec, theme, columns)
    if spec.panel_layout is PanelLayout.COLUMN:
        _line_up_stack(drawn, theme)
    rows = _rows(spec, columns)
    for r in range(rows):
        members = spec.panels[r * columns : (r + 1) * columns]
        for offset in range(ROWS_PER_PANEL):
            stretch = _plot_stretch(spec, members) if offset == 1 else 0
            grid.layout.setRowStretchFactor(r * ROWS_PER_PANEL + offset, stretch)
        if spec.panel_layout is PanelLayout.ROW:  # a panel's title and legend close to its plot, air between rows
            for offset, gap in enumerate(_ROW_GAPS):
                grid.layout.setRowSpacing(r * ROWS_PER_PANEL + offset, gap)
    for c in range(columns):
        grid.layout.setColumnStretchFactor(c + first, 1)
    return grid, drawn


def _release(old: Any, lent: list[RenderedChart | None]) -> None:
    """Take the lent panels' plots, titles and legends out of the previous drawing's grid (``old``), to be placed
    in a new one; the rest of ``old`` goes with it when the new grid takes its place."""
    for prev in lent:
        if prev is None:
            continue
        for item in (prev.plot, prev.title, prev.legend):
            if item is not None and item in old.items:
                old.removeItem(item)  # out of the scene too: the new grid adds it back


def _line_up_stack(drawn: list[RenderedChart], theme: Theme) -> None:
    """Stacked panels (a forest plot's drugs) as one table: the row labels and text columns as wide in every
    panel, so the plots share their left and right edges (one effect axis, aligned), and every panel as tall
    as its rows at one row height, so a row is as tall in every panel (a layout's stretch factors share out
    the space beyond the axes' heights, not in proportion to the rows)."""
    for tables in ([p.label_table for p in drawn], [p.text_table for p in drawn]):
        present = [t for t in tables if t is not None]
        if present:
            widths = [max(t.natural[k] for t in present) for k in range(min(len(t.natural) for t in present))]
            for table in present:
                table.widen(widths + list(table.natural[len(widths) :]))
    line = row_px(theme)
    for out in drawn:
        lo, hi = out.spec.placement.y_range
        around = float(out.plot.effectiveSizeHint(Qt.SizeHint.MinimumSize).height())  # axes and column titles
        out.plot.setMinimumHeight(around + (hi - lo) * line)
        out.plot.setPreferredHeight(around + (hi - lo) * line)


def _draw_panel(
    panel: ChartSpec,
    prev: RenderedChart | None,
    theme: Theme,
    scale: float,
    *,
    hide_labels: tuple[str, ...],
    rows: bool,
) -> RenderedChart:
    """One panel drawn as a single chart is (recycling the previous panel's plot, legend and title); a stacked
    panel (``rows``) keeps its row labels in a table, empty or not (:func:`viewer.plot.draw.draw_data`)."""
    plot = reset_plot(prev) if prev is not None else new_plot()
    plot.setMinimumHeight(-1.0)  # unset: a stacked panel's height is set once it is drawn (_line_up_stack)
    plot.setPreferredHeight(-1.0)
    out = RenderedChart(spec=panel, plot=plot, scale=scale)
    out.axis_plan = AxisPlan(theme, scale)
    # An axis title the neighbouring panels repeat is given once: planned untitled, so a redraw does not hide
    # it again (``showLabel`` throws the axis' picture away even when the label is hidden already).
    out.axis_plan.untitled = frozenset(hide_labels)
    if prev is not None:
        out.atlases = prev.atlases
        out.tables = prev.tables
    # An empty panel keeps its axes (the shared range, aligned with its neighbours) and says why it is empty.
    if panel.is_empty and not rows:
        _blank_own_axis(out.axis_plan)
    draw_data(out, panel, theme, scale, prev, rows=rows)
    if panel.is_empty:
        _say_why_empty(out, panel, theme)
    else:
        out.legend = build_legend(panel, theme, scale, prev.legend if prev is not None else None)
        if out.legend is not None:  # hovering an entry picks out its series
            out.legend.on_hover = out.focus.set_label if out.focus is not None else None
    out.title = reuse_label(
        prev.title if prev is not None else None,
        panel.title,
        font=make_font(theme.label_pt, bold=True),
        color=theme.foreground,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    return out


def _blank_own_axis(plan: AxisPlan) -> None:
    """An empty side-by-side panel has no dose scale of its own: its x axis would show pyqtgraph's 0 to 1.
    Its line, ticks and labels are drawn in no colour instead, so the axis keeps its height (the panel's plot
    still ends where its row neighbours' do) and the panel shows only the shared response axis and its
    message. Set through the plan, so the next drawing of a recycled plot sets them back."""
    plan.set("bottom", pen=None, text_pen=_NO_COLOUR)


def _say_why_empty(out: RenderedChart, panel: ChartSpec, theme: Theme) -> None:
    """The panel's empty message, centred in its plot, wrapped to the plot's width."""
    (x0, x1), (y0, y1) = out.x_range, out.y_range
    message = WrappedMessage(
        panel.empty_message, color=theme.muted, font=make_font(theme.label_pt, italic=True), fill=theme.background
    )
    message.setPos((x0 + x1) / 2, (y0 + y1) / 2)
    out.plot.addItem(message)
    out.message = message


def _shares_x_title(spec: ChartSpec) -> bool:
    """Side-by-side panels title their x axis once, under the last row across every column: each panel's
    title is the chart's (:func:`viewer.charts.panels.split_panels`), and one per panel took a row's height
    in a grid and ran into its neighbour's in a narrow panel ("Daily dose as a multiple of the approved RA
    dose ..."). Small multiples, Tufte 1983; ggplot2's ``facet_wrap``."""
    return len(spec.panels) > 1 and bool(spec.panels[0].x_label)


def _rows(spec: ChartSpec, columns: int) -> int:
    """How many rows of panels ``columns`` a row make."""
    return (len(spec.panels) + columns - 1) // columns


def _shares_y_title(spec: ChartSpec, columns: int) -> bool:
    """Side-by-side panels in more than one row title their response axis once, beside all the rows
    (:class:`~viewer.plot.text.VerticalTitle`): a title per row ran into the next one when it was longer
    than a row is tall."""
    rows = _rows(spec, columns)
    return spec.panel_layout is PanelLayout.ROW and rows > 1 and bool(spec.panels[0].y_label)


def _share_y_title(grid: Any, spec: ChartSpec, theme: Theme, columns: int) -> None:
    """The shared y-axis title in grid column 0, spanning every row of plots."""
    current = grid.getItem(0, 0)
    font, colour = make_font(theme.label_pt), theme.foreground
    title = reuse_vertical_title(current, spec.panels[0].y_label, font=font, color=colour)
    if title is current:
        return
    if current is not None:
        grid.removeItem(current)
    grid.addItem(title, row=0, col=0, rowspan=(_rows(spec, columns) - 1) * ROWS_PER_PANEL + 2, colspan=1)


def _share_x_title(grid: Any, spec: ChartSpec, theme: Theme, columns: int, width: float, first: int) -> None:
    """The shared x-axis title in its row under the last panels' plots, spanning the columns (or nothing);
    the panels start at grid column ``first``."""
    rows = _rows(spec, columns)
    for r in range(rows):  # whatever a previous drawing put in these rows
        current = grid.getItem(r * ROWS_PER_PANEL + 2, first)
        keep = r == rows - 1 and _shares_x_title(spec)
        if current is not None and not keep:
            grid.removeItem(current)
    if not _shares_x_title(spec):
        return
    row = (rows - 1) * ROWS_PER_PANEL + 2
    current = grid.getItem(row, first)
    label = reuse_label(
        current if isinstance(current, PlainLabel) else None,
        spec.panels[0].x_label,
        font=make_font(theme.label_pt),
        color=theme.foreground,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    if label is current:
        return
    if current is not None:
        grid.removeItem(current)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    if width > 0:
        label.resize(width, label.size().height())
    grid.addItem(label, row=row, col=first, rowspan=1, colspan=columns)


def _hidden_labels(spec: ChartSpec, k: int, columns: int, *, shared_y: bool) -> tuple[str, ...]:
    """The axes whose titles panel ``k`` leaves out: the shared axis is titled once (first column, beside
    all the rows of a grid (:func:`_shares_y_title`), or the bottom panel of a stack), and the x axis of
    side-by-side panels under them all (:func:`_shares_x_title`)."""
    if spec.panel_layout is not PanelLayout.ROW:
        return ("bottom",)  # stacked: the shared title under the last panel spans the chart (_share_x_title)
    hidden = ["left"] if k % columns or shared_y else []
    if _shares_x_title(spec):
        hidden.append("bottom")
    return tuple(hidden)


def _put(grid: Any, item: Any, row: int, col: int) -> None:
    """``item`` (None: nothing) into cell (row, col) of ``grid``, replacing what was there."""
    current = grid.getItem(row, col)
    if current is item:
        return
    if current is not None:
        grid.removeItem(current)
    if item is not None:
        grid.addItem(item, row=row, col=col)


def _plot_stretch(spec: ChartSpec, members: tuple[ChartSpec, ...]) -> int:
    """Side-by-side rows share the height equally; stacked panels get height by their rows (a forest
    plot's row is as tall in every panel)."""
    if spec.panel_layout is PanelLayout.ROW:
        return 100
    lo, hi = members[0].placement.y_range
    return max(1, round(hi - lo))

"""Draw a :class:`~viewer.charts.spec.ChartSpec` into a pyqtgraph layout: the one renderer for screen and export.

The spec already holds every number, colour and word; :func:`render` only turns it into graphics items.
The same function draws the on-screen chart (``scale=1``) and the exported figures, so what the user
sees is what lands in the PNG, SVG or PDF.

``scale`` is the factor by which the scene will be *magnified when painted* (device pixels per logical
pixel: 1 on screen, ``dpi / 96`` for a PNG export). Text, layout and data coordinates follow the
painter's transform by themselves, so fonts are given in points once and are **not** multiplied again.
What does not follow the painter is multiplied by ``scale``: cosmetic pen widths and pixel-mode marker
sizes. Otherwise a 300-dpi figure gets hairlines and pin-head markers.

Rows of the layout: title, plot, legend (its own row: it never covers data), warnings, footnotes. A
redraw recycles the previous drawing's PlotItem, keeps text blocks that read the same, places the rows
with one layout pass and sets only the axis settings that changed (see ``shared/reference/qt-pyqtgraph.md``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from PySide6.QtCore import Qt

from viewer.charts.spec import ChartSpec
from viewer.plot.axes import FRESH_AXES, AxisPlan
from viewer.plot.draw import draw_data, draw_empty
from viewer.plot.legend import LegendBlock, build_legend
from viewer.plot.panels import panel_steps
from viewer.plot.plots import new_plot, reset_plot
from viewer.plot.result import RenderedChart
from viewer.plot.style import LIGHT, Theme, make_font
from viewer.plot.text import PlainLabel, reuse_label
from viewer.plot.workarounds import deferred_layout_pass, kept_geometry

__all__ = ["render", "render_steps"]

_LAYOUT_MARGINS = (10, 8, 14, 8)  # left, top, right, bottom


def render(
    spec: ChartSpec,
    layout: Any,
    *,
    scale: float = 1.0,
    theme: Theme = LIGHT,
    reuse: RenderedChart | None = None,
) -> RenderedChart:
    """Clear ``layout`` (a ``pg.GraphicsLayout``) and draw ``spec`` into it: all of :func:`render_steps` at once."""
    steps = render_steps(spec, layout, scale=scale, theme=theme, reuse=reuse)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def render_steps(
    spec: ChartSpec,
    layout: Any,
    *,
    scale: float = 1.0,
    theme: Theme = LIGHT,
    reuse: RenderedChart | None = None,
) -> Generator[None, None, RenderedChart]:
    """Clear ``layout`` (a ``pg.GraphicsLayout``) and draw ``spec`` into it, yielding between the panels of a
    panelled chart (:func:`~viewer.plot.panels.panel_steps`); returns what was drawn. Until it returns, the
    layout holds a drawing in the making: nothing may read, redraw or paint it.

    ``scale`` multiplies cosmetic pen widths and pixel-sized markers: pass the factor by which
    the scene will be magnified when painted (1 on screen, ``dpi / 96`` for a PNG export).
    ``reuse`` hands back the previous result drawn into the same layout, so that its PlotItem is
    recycled: this keeps a redraw within a frame budget. Its title, legend, warnings and footnotes
    are kept too when they read the same, and rows of the layout that did not change stay in place
    (every ``GraphicsLayout.addItem`` runs a layout pass).
    """
    with kept_geometry(layout):
        layout.setContentsMargins(*_LAYOUT_MARGINS)
        layout.setSpacing(2)

        # A single plot recycles the previous single plot; a panel grid the previous grid's panels.
        recycled = reuse if reuse is not None and not reuse.panels and not spec.panels else None
        grid = None
        if spec.panels:
            left, _top, right, _bottom = _LAYOUT_MARGINS
            width = float(layout.geometry().width()) - left - right
            grid, out_panels = yield from panel_steps(spec, theme, scale, width, reuse)
            plot = out_panels[0].plot
        else:
            plot = reset_plot(recycled) if recycled is not None else new_plot()
        out = RenderedChart(spec=spec, plot=plot, scale=scale)
        out.axis_plan = AxisPlan(theme, scale)
        if recycled is not None:
            out.atlases = recycled.atlases
            out.tables = recycled.tables

        rows: list[Any] = []
        if spec.title:
            out.title = reuse_label(
                reuse.title if reuse is not None else None,
                spec.title,
                font=make_font(theme.title_pt, bold=True),
                color=theme.foreground,
                align=Qt.AlignmentFlag.AlignHCenter,
            )
            rows.append(out.title)
        plot_row = len(rows)
        rows.append(plot if grid is None else grid)

        warnings = spec.shown_warnings
        if grid is not None:
            out.panels = out_panels
            out.panel_grid = grid
        elif spec.is_empty:
            draw_empty(out, spec, theme, recycled)
            out.axes = out.axis_plan.apply(plot, recycled.axes if recycled is not None else FRESH_AXES)
        else:
            draw_data(out, spec, theme, scale, recycled)
            out.legend = build_legend(spec, theme, scale, recycled.legend if recycled is not None else None)
            if out.legend is not None:  # hovering an entry picks out its series
                out.legend.on_hover = out.focus.set_label if out.focus is not None else None
            if out.legend is not None:
                rows.append(out.legend)

        if warnings:
            out.warnings = reuse_label(
                reuse.warnings if reuse is not None else None,
                "\n".join("⚠ " + w for w in warnings),
                font=make_font(theme.legend_pt, bold=True),
                color=theme.foreground,
            )
            rows.append(out.warnings)
        if spec.footnotes:
            out.footnotes = reuse_label(
                reuse.footnotes if reuse is not None else None,
                "\n".join(spec.footnotes),
                font=make_font(theme.note_pt),
                color=theme.muted,
            )
            rows.append(out.footnotes)
        _place_rows(layout, rows, plot_row)
        for r in range(len(rows)):
            layout.layout.setRowStretchFactor(r, 100 if r == plot_row else 0)
    return out


def _place_rows(layout: Any, rows: list[Any], plot_row: int) -> None:
    """Put ``rows[r]`` in row ``r`` (column 0) of ``layout``, moving as little as possible.

    Rows that hold the same item already stay; a changed row gets its new item in place. Anything
    else (rows added, removed or reordered) clears the layout and adds all rows again, the plot
    first: it has no maximum height, so the layout never shrinks (see :func:`render`).
    """
    current = [layout.getItem(r, 0) for r in range(len(rows))]
    # GraphicsLayout.addItem activates the layout after every item: with a new note or legend at its
    # one-line width, the plot is resized to 40 px, then 0 px, then back (each resize relays the view
    # and invalidates the axes). Lay the rows out once, after the last change, instead.
    grid = layout.layout
    # New text blocks get the width they will have (a new one has sized itself to its minimum width,
    # 40 px, and wrapped to it), so the one layout pass finds their final heights.
    left, _top, right, _bottom = grid.getContentsMargins()
    width = float(layout.geometry().width()) - left - right
    if width > 0:
        for item in rows:
            if item not in layout.items and isinstance(item, PlainLabel | LegendBlock):
                item.resize(width, item.size().height())  # re-wraps (resizeEvent); the height follows
    with deferred_layout_pass(grid):
        if len(layout.items) == len(rows) and all(
            have is want or (have is not None and want not in layout.items)
            for have, want in zip(current, rows, strict=True)
        ):
            for r, (have, want) in enumerate(zip(current, rows, strict=True)):
                if have is not want:
                    layout.removeItem(have)
                    layout.addItem(want, row=r, col=0)
        else:
            layout.clear()
            layout.addItem(rows[plot_row], row=plot_row, col=0)
            for r, item in enumerate(rows):
                if r != plot_row:
                    layout.addItem(item, row=r, col=0)

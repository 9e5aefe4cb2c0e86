"""Every place where the renderer reaches past pyqtgraph's or Qt's public behaviour, named once.

Each function here stands for one workaround: its docstring says what the library does and why the
renderer cannot live with it, and ``tests/plot/test_workarounds.py`` pins each one (a test that shows
the library behaviour, or that fails when the workaround is taken out). Nothing else in
:mod:`viewer.plot` touches a private pyqtgraph attribute or patches a Qt object.

Workarounds that are a way of *using* public API stay beside their use, each with the reason in its
docstring and a pin in the same test module: the grid drawn by the invisible opposite axis
(:func:`viewer.plot.axes.plan_grid`: a grid on the labelled axis drops its end labels), text columns
as :class:`viewer.plot.columns.TextTable` (an ``AxisItem`` measures its labels again on every resize),
:class:`viewer.plot.text.PlainLabel` (``pg.LabelItem`` interprets HTML and never wraps),
:class:`viewer.plot.legend.LegendBlock` (``pg.LegendItem`` ignores transformations) and marks placed in
log10 view coordinates (:mod:`viewer.charts.placement`: error bars, markers and lines ignore log mode).
Files are written with Qt's own SVG and PDF painters (:mod:`viewer.export.figures`: pyqtgraph's
``SVGExporter`` raises on PySide6 6.11+).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontInfo, QImage, QPaintEngine, QPainter, QPen, QPicture
from PySide6.QtWidgets import QGraphicsLayout, QGraphicsScene

__all__ = [
    "ATLAS_LIMIT",
    "GRID_Z",
    "GridAxis",
    "axis_label_text",
    "composed_over",
    "deferred_layout_pass",
    "draw_symbol",
    "export_antialias",
    "inf_line_label_text",
    "kept_geometry",
    "record_axis_pictures",
    "reuse_symbol_atlas",
    "set_scene_view",
    "set_spots",
    "settle_layouts",
    "svg_font_families",
    "symbol_atlas",
    "unindexed",
]

ATLAS_LIMIT = 2000
"""Symbols in a reused atlas; beyond it, a new scatter item starts a fresh one (bounded memory)."""


def unindexed(scene: QGraphicsScene) -> None:
    """Keep no BSP index of the chart scene's items (``QGraphicsScene.ItemIndexMethod.NoIndex``).

    Qt's default index (``BspTreeIndex``) files each item under the areas of the scene its bounding rect covered
    when it was filed, and learns of a new rect only from ``prepareGeometryChange()`` called *before* the rect
    changes; an item taken out of the scene is taken out of the areas its rect covers *then*. pyqtgraph 0.14's
    ``AxisItem.setGrid`` changes the rect first (a grid axis covers its linked view) and calls
    ``prepareGeometryChange()`` after, so an axis whose grid is turned off (a chart redrawn empty:
    :class:`~viewer.plot.axes.AxisPlan`) stays filed across the view it no longer covers; once the axis is freed
    (its plot replaced by a panel grid), the next paint or hit test over that area reads freed memory and
    crashes in ``QGraphicsSceneFindItemBspTreeVisitor::visit`` (QTBUG-18021; the window's soak with every load's
    chart drawn in steps: 3 segfaults in 8 runs, read from the core files). An item that asks for no index cannot
    be filed wrongly. A chart scene has a few dozen indexed items (what a ViewBox holds is never indexed: it
    clips its children) and changes them on every redraw, which is what Qt recommends ``NoIndex`` for.
    """
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)


def reuse_symbol_atlas(scatter: Any, atlas: Any) -> None:
    """Hand a previous ``ScatterPlotItem``'s symbol atlas (``fragmentAtlas``) to a new one.

    pyqtgraph 0.14 gives every ``ScatterPlotItem`` a fresh ``SymbolAtlas`` and renders each
    (symbol, size, pen, brush) it meets into it again: ~80 small images on every redraw. The atlas is
    keyed by the *identity* of pens and brushes, which :mod:`viewer.plot.style` shares across
    drawings, so the previous drawing's atlas is valid for the next one. ``fragmentAtlas`` is an
    undocumented attribute set in ``ScatterPlotItem.__init__``; it must be replaced before
    ``setData``. The caller keeps the atlas under :data:`ATLAS_LIMIT` symbols
    (:meth:`viewer.plot.batching.ScatterColumns.item`).
    """
    if atlas is not None:
        scatter.fragmentAtlas = atlas


def set_spots(
    scatter: Any,
    x: list[float],
    y: list[float],
    data: list[Any],
    style: tuple[list[Any], list[float], list[QPen], list[QBrush]],
    *,
    hoverable: bool,
) -> None:
    """Give ``scatter`` these spots (position, data, symbol, size, pen, brush), as ``setData`` would, in a few
    array operations: ``ScatterPlotItem.setData(symbol=[...], size=[...], pen=[...], brush=[...])`` passes every
    pen and brush through ``mkPen``/``mkBrush`` one Python call at a time, measures every spot's size in a Python
    generator and builds a key tuple per spot to look it up in the symbol atlas: two thirds of a 2,000-row forest
    plot's redraw (4,000 interval caps, 2,000 markers). The renderer's pens and brushes are already ``QPen``/
    ``QBrush`` objects (shared, :mod:`viewer.plot.style`), so the item's record array (``scatter.data``,
    undocumented: its fields are set in ``ScatterPlotItem.__init__``) is filled column by column, the atlas
    (``fragmentAtlas``, keyed by symbol, size and the identity of pen and brush) is asked once per distinct style
    (a chart's caps have one per series), and the rest is what ``addPoints`` and ``updateSpots`` do after it: the
    bounds thrown away, the spot sizes taken from the atlas, the picture invalidated, ``sigPlotChanged``.
    ``tip=None``: the item shows no tooltip of its own (:class:`viewer.plot.hover.HoverTips` does).
    """
    symbols, sizes, pens, brushes = style
    n = len(x)
    record = np.zeros(n, dtype=scatter.data.dtype)  # zeros: numpy's empty() sets object fields one by one (10x slower)
    record["x"] = x
    record["y"] = y
    record["size"] = sizes
    record["visible"] = True
    record["item"] = None  # no SpotItem made yet
    for name, values in (("symbol", symbols), ("pen", pens), ("brush", brushes), ("data", data)):
        record[name] = np.fromiter(values, dtype=object, count=n)
    first, inverse = _distinct(
        np.fromiter(map(id, symbols), dtype=np.int64, count=n),
        np.asarray(sizes, dtype=np.float64),
        np.fromiter(map(id, pens), dtype=np.int64, count=n),
        np.fromiter(map(id, brushes), dtype=np.int64, count=n),
    )
    atlas = scatter.fragmentAtlas
    coords = atlas[[(symbols[i], sizes[i], pens[i], brushes[i]) for i in first]]
    record["sourceRect"] = np.array(coords, dtype=record.dtype["sourceRect"])[inverse]
    scatter.opts.update(hoverable=hoverable, tip=None, antialias=True, useCache=True)
    scatter.data = record
    scatter.prepareGeometryChange()
    scatter.informViewBoundsChanged()
    scatter._updateMaxSpotSizes(data=record)  # the atlas' widest symbol, bounds thrown away: as updateSpots does
    scatter.invalidate()
    scatter.sigPlotChanged.emit(scatter)


def _distinct(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct combination of ``columns`` and, for every row, its combination's number.

    Each column is numbered by its own sorted values and the numbers combined into one integer (a few 1-D sorts:
    ``np.unique(axis=0)`` compares rows as records, five times slower for 4,000 rows).
    """
    combined, bound = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        values, codes = np.unique(column, return_inverse=True)
        if bound * len(values) >= 2**62:  # numbered afresh before the product could overflow
            numbered, combined = np.unique(combined, return_inverse=True)
            bound, combined = len(numbered), combined.reshape(-1)
        combined, bound = combined * len(values) + codes.reshape(-1), bound * len(values)
    _values, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def symbol_atlas(scatter: Any) -> Any:
    """The symbol atlas of a ``ScatterPlotItem``, to hand on with :func:`reuse_symbol_atlas`."""
    return scatter.fragmentAtlas


def export_antialias(item: Any) -> bool:
    """Whether a ``PlotCurveItem`` subclass should antialias now, as ``PlotCurveItem.paint`` decides.

    pyqtgraph's exporters put items in export mode (``setExportMode``) and the curve then takes its
    antialiasing from the export options, kept in the private ``_exportOpts`` (``False`` outside an
    export). A subclass that paints by itself (:class:`~viewer.plot.batching.RunCurve`) must read the
    same attribute to draw like the class it replaces.
    """
    export_opts = item._exportOpts
    if export_opts is not False:
        return bool(export_opts.get("antialias", True))
    return bool(item.opts["antialias"])


def _no_layout_pass() -> None:
    """Stands in for ``QGraphicsLayout.activate`` while :func:`deferred_layout_pass` is active."""


@contextmanager
def deferred_layout_pass(layout: QGraphicsLayout) -> Iterator[None]:
    """Change the items of ``layout`` with one layout pass at the end instead of one per change.

    ``pyqtgraph.GraphicsLayout.addItem`` (0.14) calls ``layout.activate()`` after every item it adds.
    With a new note or legend at its one-line width, the plot is resized to 40 px, then 0 px, then
    back, and each resize relays the view and invalidates the axes' cached pictures. Qt offers no
    switch for this, so ``activate`` is shadowed on this one layout instance by a no-op while the rows
    change, then removed (back to ``QGraphicsLayout.activate``), and the layout is activated once.
    """
    layout.activate = _no_layout_pass  # type: ignore[method-assign]
    try:
        yield
    finally:
        del layout.activate
    layout.activate()


@contextmanager
def kept_geometry(layout: Any) -> Iterator[None]:
    """Keep the size of a top-level ``pg.GraphicsLayout`` while its rows are replaced.

    Qt bounds a top-level ``QGraphicsWidget`` by its layout's maximum size: adding a fixed-height
    item (a title, a note) to an emptied top-level layout shrinks the layout widget to that height
    for good, and the chart is drawn in a strip. The geometry it had is set back afterwards.
    """
    geometry = layout.geometry()
    yield
    if geometry.isValid() and layout.parentLayoutItem() is None:
        layout.setGeometry(geometry)


def draw_symbol(painter: QPainter, symbol: str, size: float, pen: QPen, brush: QBrush) -> None:
    """Paint one pyqtgraph marker centred on the painter's origin (a legend swatch).

    pyqtgraph draws its markers only inside ``ScatterPlotItem``; the function that paints one symbol
    lives in the ``pyqtgraph.graphicsItems.ScatterPlotItem`` module and is not exported by ``pyqtgraph``
    itself. The legend uses it so that its swatches are exactly the chart's markers.
    """
    pg.graphicsItems.ScatterPlotItem.drawSymbol(painter, symbol, size, pen, brush)


def settle_layouts(scene: Any, layouts: list[QGraphicsLayout]) -> None:
    """Finish ``layouts`` and the plot's view transform now, so that one paint shows the new chart.

    Left to the event loop, pyqtgraph updates the ViewBox transform inside the first paint
    (``GraphicsScene.prepareForPaint``); the items' geometry then changes mid-paint and the plot area
    is painted a second time (two paints per redraw, ~3 ms more on every click). Activating the outer
    layout can invalidate the plot's inner one and back, hence up to three rounds.
    """
    for _ in range(3):
        pending = [layout for layout in layouts if not layout.isActivated()]
        if not pending:
            break
        for layout in pending:
            layout.activate()
    if scene is not None:
        scene.prepareForPaint()


def set_scene_view(view: Any, visible: QRectF, content: QRectF | None, zoom: float) -> None:
    """Show the scene area ``visible`` in a ``GraphicsView``, the chart laid out over ``content`` (None: ``visible``).

    pyqtgraph's ``GraphicsView`` keeps its scene 1:1 with the widget (``autoPixelRange``) and gives its
    central item exactly the area shown, so it can neither zoom out nor scroll. A zoomed-out scene or a
    chart taller than the view (it scrolls) needs ``setRange`` with ``disableAutoPixel`` (else the next
    resize undoes it) and, for the taller chart, the central item's geometry set again afterwards
    (``setRange`` sets it to the area shown). There is no setter to go back, so at zoom 1 without
    scrolling the ``autoPixelRange`` attribute itself is set again and the scene follows the widget.
    """
    plain = content is None and zoom == 1.0
    pg.GraphicsView.setRange(view, visible, padding=0, disableAutoPixel=not plain)
    if content is not None:
        view.centralWidget.setGeometry(content)
    if plain:
        view.autoPixelRange = True


def axis_label_text(text: str) -> str:
    """``text`` for ``PlotItem.setLabel``: pyqtgraph wraps an axis label in HTML, so it is escaped.

    A label derived from a data file (an outcome's title, say) would otherwise be interpreted.
    """
    return html.escape(text)


def inf_line_label_text(text: str) -> str:
    """``text`` for ``InfLineLabel``, which formats its text with ``str.format``: literal braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def svg_font_families(svg: bytes) -> bytes:
    """``svg`` from ``QSvgGenerator`` with each font family a browser can find.

    The generator writes the family a ``QFont`` *asked for*; a default ``QFont()`` asks for Qt's generic
    name "Sans Serif", which is no CSS family, so a browser (and an SVG embedded in the HTML report) falls
    back to its serif default with other widths than the text was laid out in. The family fontconfig
    resolved it to is named instead, followed by the CSS generic ``sans-serif``.
    """
    asked = QFont().family()
    resolved = QFontInfo(QFont()).family()
    return svg.replace(f'font-family="{asked}"'.encode(), f'font-family="{resolved}, sans-serif"'.encode())


GRID_Z = -150.0
"""The grid axis' z: beneath the ViewBox (pyqtgraph's -100) and so beneath every mark, on the chart's background."""


class GridAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """An ``AxisItem`` that draws the chart's grid beneath the data, each line in one opaque colour on a raster device.

    The grid is drawn by an otherwise invisible axis (:func:`viewer.plot.axes.plan_grid`). pyqtgraph strokes its
    lines with a translucent cosmetic pen (the grid's alpha) in the axis' cached ``QPicture``, and Qt's raster
    engine blends an aliased translucent line one pixel at a time: twelve 700-pixel lines cost 2.4 ms a paint,
    opaque 0.12 ms (measured on 1440x900 ARGB32 premultiplied), and a four-panel chart has four grids. So the axis
    sits beneath the ViewBox (:data:`GRID_Z`, set by :func:`viewer.plot.plots.new_plot`), where only the chart's
    background (``backdrop``, the theme's, which the window and every export paint first) lies under its lines;
    each line's translucent colour is composed over the backdrop once, by Qt's own raster arithmetic on a
    one-pixel image (:func:`composed_over`), and the line is stroked in that opaque colour: the same pixels
    where nothing is drawn, no blend. Where a mark crosses a grid line the mark is now drawn over the line
    (it was tinted by it). Anything that is not a grid of one-pixel cosmetic solid lines on a raster device
    (SVG, PDF, a visible axis line, text, a wider pen: an export at a higher resolution), or no backdrop given,
    is pyqtgraph's own picture. The lines are kept until pyqtgraph throws the axis' picture away (the ``picture``
    attribute, undocumented, set to None by every setter, range change and resize: each such assignment clears
    them), so they are generated again exactly when pyqtgraph would record its picture again.
    """

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        self._lines: list[tuple[QPen, QLineF]] | None = None
        self._picture: QPicture | None = None
        self.backdrop: QColor | None = None
        super().__init__(orientation, **kwargs)

    @property
    def picture(self) -> QPicture | None:
        return self._picture

    @picture.setter
    def picture(self, value: QPicture | None) -> None:
        self._picture = value
        if value is None:
            self._lines = None

    def set_backdrop(self, color: str | None) -> None:
        """The colour painted under the grid (the chart's background); None: pyqtgraph's translucent lines."""
        self.backdrop = None if color is None else QColor(color)
        self.picture = None
        self.update()

    def paint(self, p: QPainter, opt: Any, widget: Any) -> None:
        engine = p.paintEngine()
        if self.backdrop is None or engine is None or engine.type() is not QPaintEngine.Type.Raster:
            super().paint(p, opt, widget)
            return
        if self._picture is None or self._lines is None:
            self._record()
        assert self._picture is not None and self._lines is not None
        if not self._lines:  # not a grid of one-pixel lines: pyqtgraph's picture
            self._picture.play(p)
            return
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # as AxisItem.drawPicture strokes them
        for pen, line in self._lines:
            p.setPen(pen)
            p.drawLine(line)
        p.restore()

    def _record(self) -> None:
        """Record the axis' picture as ``AxisItem.paint`` does, and keep its lines in opaque pens when it can."""
        specs = _record_picture(self)
        assert self.backdrop is not None
        self._lines = _opaque_lines(specs, self.backdrop)


def _record_picture(axis: Any) -> Any:
    """Record ``axis``'s picture as ``AxisItem.paint`` does; returns its draw specs (None: nothing drawn)."""
    picture = QPicture()
    painter = QPainter(picture)
    try:
        if axis.style["tickFont"]:
            painter.setFont(axis.style["tickFont"])
        specs = axis.generateDrawSpecs(painter)
        if specs is not None:
            axis.drawPicture(painter, *specs)
    finally:
        painter.end()
    axis.picture = picture
    return specs


def record_axis_pictures(plots: list[Any], visible: QRectF) -> int:
    """Record the picture of every shown axis of ``plots`` in the scene area ``visible`` (the view's: what the next
    paint draws) that has none, as its paint would (pyqtgraph's
    ``AxisItem.paint``, or :meth:`GridAxis._record` for a grid on a raster device): the paint then only plays
    it. ``generateDrawSpecs`` measures and lays out every tick string (the axes in view of a crowded four-panel
    chart: 6-13 ms of its first paint, profiled); a drawing in steps records them in a turn of its own
    (ChartWidget.draw_in_steps).
    What changes an axis later (a resize, a range) throws the picture away and its paint records it again.
    Returns how many were recorded."""
    recorded = 0
    for plot in plots:
        for entry in plot.axes.values():
            axis = entry["item"]
            if not axis.isVisible() or axis.picture is not None or not axis.sceneBoundingRect().intersects(visible):
                continue
            recorded += 1
            if isinstance(axis, GridAxis) and axis.backdrop is not None:
                axis._record()
            else:
                _record_picture(axis)
    return recorded


def composed_over(color: QColor, backdrop: QColor) -> QColor:
    """``color`` (translucent) painted over ``backdrop`` by Qt's raster engine: the opaque colour of the result."""
    return QColor.fromRgba(_composed(color.rgba(), backdrop.rgba()))


@functools.lru_cache(maxsize=512)
def _composed(rgba: int, backdrop: int) -> int:
    image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor.fromRgba(backdrop))
    painter = QPainter(image)
    painter.fillRect(0, 0, 1, 1, QColor.fromRgba(rgba))
    painter.end()
    return int(image.pixel(0, 0))


def _opaque_lines(specs: Any, backdrop: QColor) -> list[tuple[QPen, QLineF]]:
    """The tick lines of ``generateDrawSpecs`` output as (opaque cosmetic pen, line), if they are all one-pixel
    cosmetic solid lines and nothing else is drawn (no axis line, no text); otherwise the empty list."""
    if specs is None:
        return []
    (axis_pen, _a, _b), ticks, texts = specs
    if axis_pen.style() is not Qt.PenStyle.NoPen or texts:
        return []
    lines = []
    for pen, start, end in ticks:
        if not (pen.isCosmetic() and pen.widthF() in (0.0, 1.0) and pen.style() is Qt.PenStyle.SolidLine):
            return []
        opaque = QPen(pen)
        opaque.setColor(composed_over(pen.color(), backdrop))
        lines.append((opaque, QLineF(start, end)))
    return lines

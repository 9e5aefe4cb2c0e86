"""Each workaround in :mod:`viewer.plot.workarounds` pinned by the library behaviour it exists for.

A test here either shows what pyqtgraph or Qt does by itself (so a library release that changes it is
noticed, and the workaround can go) or fails when the workaround is taken out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem
from pytestqt.qtbot import QtBot

from tests.paints import PaintCount
from tests.plot.test_render import dose_response_spec, log_dose_spec, shown_chart
from viewer.plot import batching, workarounds
from viewer.plot.batching import ScatterColumns
from viewer.plot.canvas import ChartWidget
from viewer.plot.legend import LegendBlock
from viewer.plot.render import render
from viewer.plot.style import LIGHT, shared_brush, shared_pen
from viewer.plot.text import PlainLabel
from viewer.plot.workarounds import (
    GRID_Z,
    GridAxis,
    axis_label_text,
    deferred_layout_pass,
    draw_symbol,
    export_antialias,
    inf_line_label_text,
    kept_geometry,
    reuse_symbol_atlas,
    set_scene_view,
    set_spots,
    settle_layouts,
    symbol_atlas,
)


def _scatter(atlas: Any = None) -> Any:
    scatter = pg.ScatterPlotItem()
    reuse_symbol_atlas(scatter, atlas)
    scatter.setData(
        x=[0.0, 1.0], y=[0.0, 1.0], symbol="o", size=9, pen=shared_pen("#0072B2", 1.0), brush=shared_brush("#0072B2")
    )
    return scatter


def _paint(item: Any) -> None:
    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot()
    plot.addItem(item)
    view.resize(200, 200)
    view.grab()
    view.close()


def test_every_scatter_item_starts_an_atlas_of_its_own_and_reuse_hands_one_on(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _scatter()
    _paint(first)
    assert len(symbol_atlas(first)) == 1  # the one (symbol, size, pen, brush) it drew
    fresh = pg.ScatterPlotItem()
    assert symbol_atlas(fresh) is not symbol_atlas(first) and len(symbol_atlas(fresh)) == 0  # pyqtgraph: a new one

    rendered: list[Any] = []
    original = pg.graphicsItems.ScatterPlotItem.renderSymbol
    monkeypatch.setattr(
        pg.graphicsItems.ScatterPlotItem, "renderSymbol", lambda *a, **k: rendered.append(a) or original(*a, **k)
    )
    _paint(_scatter(atlas=symbol_atlas(first)))
    assert rendered == []  # the shared pen and brush found their image in the handed-on atlas
    _paint(_scatter())
    assert len(rendered) == 1  # without it, the same symbol is rendered again
    big = symbol_atlas(first)
    columns = ScatterColumns()
    columns.add(0.0, 0.0, "o", 9.0, shared_pen("#0072B2", 1.0), shared_brush("#0072B2"))
    plot = pg.PlotItem()
    previous = columns.item(plot, 1.0, atlas=big)
    assert symbol_atlas(previous) is big  # under the limit: passed on
    monkeypatch.setattr(batching, "ATLAS_LIMIT", 0)
    item = columns.item(plot, 1.0, atlas=big, previous=previous)
    assert item is not previous and previous not in plot.items and symbol_atlas(item) is not big  # over: a fresh one


def test_spots_set_as_columns_match_set_data_and_ask_the_atlas_once_per_style(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pens = [shared_pen("#0072B2", 1.0), shared_pen("#D55E00", 1.0), shared_pen("#0072B2", 1.0)]
    brushes = [shared_brush("#0072B2"), shared_brush(None), shared_brush("#0072B2")]
    symbols, sizes = ["o", "s", "o"], [9.0, 12.0, 9.0]
    data = [("a", 0), ("b", 0), ("a", 1)]
    listed = pg.ScatterPlotItem()
    listed.setData(
        x=np.arange(3.0), y=np.arange(3.0), symbol=symbols, size=sizes, pen=pens, brush=brushes, data=data, tip=None
    )
    rendered: list[Any] = []
    original = pg.graphicsItems.ScatterPlotItem.renderSymbol
    monkeypatch.setattr(
        pg.graphicsItems.ScatterPlotItem, "renderSymbol", lambda *a, **k: rendered.append(a) or original(*a, **k)
    )
    asked: list[int] = []
    lookup = pg.graphicsItems.ScatterPlotItem.SymbolAtlas.__getitem__
    monkeypatch.setattr(
        pg.graphicsItems.ScatterPlotItem.SymbolAtlas,
        "__getitem__",
        lambda atlas, styles: asked.append(len(styles)) or lookup(atlas, styles),
    )
    direct = pg.ScatterPlotItem()
    direct.setData(x=[5.0], y=[5.0], data=[("old", 0)])  # spots of an earlier drawing, replaced
    asked.clear()
    rendered.clear()
    set_spots(direct, [0.0, 1.0, 2.0], [0.0, 1.0, 2.0], data, (symbols, sizes, pens, brushes), hoverable=True)
    for name in ("x", "y", "symbol", "size", "pen", "brush", "data", "visible", "hovered"):
        assert list(direct.data[name]) == list(listed.data[name])
    assert asked == [2]  # the two styles, not one lookup per spot
    assert direct.opts["useCache"] and all(direct.data["sourceRect"]["w"] > 0)  # every spot found in the atlas
    assert len(rendered) == 2  # the two styles drawn, not pyqtgraph's default style as well
    assert [s.data() for s in direct.points()] == data and direct.opts["hoverable"]
    assert _picture(direct) == _picture(listed)  # the same spots, pixel for pixel


def _picture(item: Any) -> bytes:
    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot()
    plot.addItem(item)
    plot.setRange(xRange=(-1, 3), yRange=(-1, 3), padding=0)
    view.resize(200, 200)
    image = view.grab().toImage()
    view.close()
    return bytes(image.constBits())


def test_export_options_live_in_a_private_attribute_that_export_antialias_reads(qtbot: QtBot) -> None:
    curve = pg.PlotCurveItem(x=[0.0, 1.0], y=[0.0, 1.0], antialias=False)
    assert curve._exportOpts is False  # pyqtgraph's marker for "not exporting"
    assert export_antialias(curve) is False  # the item's own setting
    curve.setExportMode(True, {"antialias": True})
    assert curve._exportOpts == {"antialias": True}
    assert export_antialias(curve) is True  # the export's setting wins, as in PlotCurveItem.paint
    curve.setExportMode(False)
    assert export_antialias(curve) is False


def test_graphics_layout_activates_after_every_added_item(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = pg.GraphicsLayout()
    calls: list[int] = []
    original = type(layout.layout).activate
    monkeypatch.setattr(type(layout.layout), "activate", lambda self: calls.append(1) or original(self))
    for row in range(3):
        layout.addItem(pg.GraphicsWidget(), row=row, col=0)
    assert len(calls) == 3  # pyqtgraph 0.14: one layout pass per item
    calls.clear()
    with deferred_layout_pass(layout.layout):
        for row in range(3, 6):
            layout.addItem(pg.GraphicsWidget(), row=row, col=0)
    assert len(calls) == 1  # one pass, after the last change
    layout.addItem(pg.GraphicsWidget(), row=6, col=0)
    assert len(calls) == 2  # the class method is back


def test_without_settling_the_plot_transform_changes_inside_the_first_paint(qtbot: QtBot) -> None:
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    rendered = render(dose_response_spec(), view.ci)
    plot_layout = rendered.plot.layout
    assert not view.ci.layout.isActivated() or not plot_layout.isActivated()  # left to the event loop
    settle_layouts(view.scene(), [view.ci.layout, plot_layout])
    assert view.ci.layout.isActivated() and plot_layout.isActivated()
    before = rendered.plot.vb.viewRect()
    view.grab()
    assert rendered.plot.vb.viewRect() == before  # nothing left for the paint to change


def test_a_zoomed_or_scrolled_scene_survives_a_resize_and_zoom_one_follows_the_widget_again(qtbot: QtBot) -> None:
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    set_scene_view(view, QRectF(0, 0, 600, 450), None, 1.5)
    assert (view.range.width(), view.range.height()) == (600.0, 450.0)
    view.resize(420, 300)
    qtbot.wait(1)
    assert view.range.width() == 600.0  # disableAutoPixel: pyqtgraph leaves the range alone
    # A chart taller than the view: laid out over the whole content, the view shows a window of it.
    set_scene_view(view, QRectF(0, 200, 420, 300), QRectF(0, 0, 420, 900), 1.0)
    assert view.ci.geometry() == QRectF(0, 0, 420, 900)
    assert view.range == QRectF(0, 200, 420, 300)
    set_scene_view(view, QRectF(0, 0, 420, 300), None, 1.0)
    view.resize(440, 300)
    qtbot.wait(1)
    assert view.range.width() == 440.0  # autoPixelRange set back: 1:1 with the widget again


def test_axis_labels_are_html_to_pyqtgraph(qtbot: QtBot) -> None:
    plot = pg.PlotItem()
    plot.setLabel("left", "<b>dose</b>")
    assert "<b>" not in plot.getAxis("left").label.toPlainText()  # interpreted as markup
    plot.setLabel("left", axis_label_text("<b>dose</b>"))
    assert plot.getAxis("left").label.toPlainText().strip() == "<b>dose</b>"


def test_infinite_line_labels_go_through_str_format(qtbot: QtBot) -> None:
    line = pg.InfiniteLine(pos=1.0)
    with pytest.raises(KeyError):
        pg.InfLineLabel(line, text="{no effect}")
    label = pg.InfLineLabel(line, text=inf_line_label_text("{no effect} {value}"))
    assert label.toPlainText() == "{no effect} {value}"


def test_chart_widget_paints_once_per_redraw(qtbot: QtBot) -> None:
    """Why settle_layouts exists: without it, the first paint moves the plot and a second paint follows."""
    widget: ChartWidget = shown_chart(qtbot)
    widget.set_spec(dose_response_spec())
    qtbot.wait(20)
    paints = PaintCount()
    widget.viewport().installEventFilter(paints)
    widget.set_spec(log_dose_spec())
    qtbot.wait(50)
    widget.viewport().removeEventFilter(paints)
    assert paints.count == 1


def test_a_fixed_height_row_shrinks_an_emptied_top_level_layout(qtbot: QtBot) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont

    def fill(layout: Any) -> None:
        layout.clear()
        layout.addItem(PlainLabel("A title", font=QFont(), color="#000000"), row=0, col=0)
        layout.addItem(pg.PlotItem(), row=1, col=0)  # no maximum height: the layout could grow back

    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    layout = view.ci  # top level in its scene, as in ChartWidget
    layout.setGeometry(QRectF(0, 0, 500, 400))
    fill(layout)
    assert layout.geometry().height() < 400  # Qt: shrunk to the fixed-height row, and it stays shrunk
    layout.setGeometry(QRectF(0, 0, 500, 400))
    with kept_geometry(layout):
        fill(layout)
    assert (layout.geometry().width(), layout.geometry().height()) == (500.0, 400.0)


def test_draw_symbol_paints_the_markers_of_the_scatter_items(qtbot: QtBot) -> None:
    from PySide6.QtGui import QImage

    image = QImage(20, 20, QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.translate(10, 10)
    draw_symbol(painter, "s", 10.0, shared_pen("#000000", 1.0), shared_brush("#D55E00"))
    painter.end()
    assert image.pixelColor(10, 10) == QColor("#D55E00") and image.pixelColor(1, 1) == QColor("#FFFFFF")


# -- workarounds that live where they are used (viewer.plot.axes, .text, .legend, .draw) ---------------


def _left_axis_labels(grid: bool) -> list[str]:
    """The tick labels pyqtgraph draws on a 0-100 left axis, with or without a grid on that axis."""
    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot()
    plot.setYRange(0, 100, padding=0)
    axis = plot.getAxis("left")
    if grid:
        axis.setGrid(80)
    view.resize(300, 300)
    view.grab()
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    painter.end()
    view.close()
    return [text for _rect, _flags, text in texts]


def test_a_grid_on_the_labelled_axis_drops_its_end_labels(qtbot: QtBot) -> None:
    """Why ``axes.plan_grid`` draws the grid with the invisible opposite axis: a grid clips the labels."""
    assert _left_axis_labels(grid=False) == ["0", "20", "40", "60", "80", "100"]
    assert _left_axis_labels(grid=True) == ["20", "40", "60", "80"]


def _grid_view(axis: Any, width: int, height: int, *, marker: bool = False) -> Any:
    """A plot whose right axis (``axis``) draws a faint grid as ``axes.plan_grid`` sets it up (``marker``: a large
    marker crossed by grid lines)."""
    view = pg.GraphicsLayoutWidget()
    view.setBackground("#fdfdfd")
    plot = pg.PlotItem(axisItems={"right": axis})
    view.addItem(plot)
    view.plot_item = plot
    for name in ("left", "bottom"):  # only the grid on the background (an axis' ticks are drawn over it now)
        plot.hideAxis(name)
    if isinstance(axis, GridAxis):
        axis.setZValue(GRID_Z)
        axis.set_backdrop("#fdfdfd")
    axis.setPen(QPen(Qt.PenStyle.NoPen))
    axis.setTickPen(pg.mkPen("#202020", width=1.0, cosmetic=True))
    axis.setStyle(showValues=False, tickLength=0, maxTickLevel=1)
    axis.setGrid(int(255 * 0.18))
    plot.setYRange(0, 100, padding=0)
    plot.setXRange(0, 10, padding=0)
    if marker:
        plot.addItem(pg.ScatterPlotItem(x=[5.0], y=[50.0], size=40, symbol="s", pen=None, brush="#0072B2"))
    view.resize(width, height)
    return view


def test_translucent_grid_lines_are_blended_so_grid_axis_strokes_them_opaque_beneath_the_data(qtbot: QtBot) -> None:
    """Why the grid axis is a :class:`GridAxis`: pyqtgraph strokes grid lines translucent (Qt blends them one pixel
    at a time), the axis over the data, so a grid line tints a marker it crosses. Beneath the view, each line in its
    colour composed over the background gives the very same pixels where nothing else is drawn, at odd sizes
    (fractional plot edges) and under a scaled painter (an export), and the marker is drawn whole over the line."""
    for width, height in ((400, 300), (517, 433), (1021, 389)):
        ours, theirs = _grid_view(GridAxis("right"), width, height), _grid_view(pg.AxisItem("right"), width, height)
        grabbed = ours.grab().toImage()
        assert grabbed == theirs.grab().toImage()
        column = {QColor(grabbed.pixel(width // 3, y)).name() for y in range(height)}
        assert "#fdfdfd" in column and len(column) > 1  # grid lines on the background
        assert ours.plot_item.getAxis("right")._lines  # stroked opaque, not played from pyqtgraph's picture
        for view in (ours, theirs):  # an export-like painter: scaled 3x
            image = QImage(width * 3, height * 3, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QColor("#fdfdfd"))
            painter = QPainter(image)
            painter.scale(3.0, 3.0)
            view.scene().render(painter, QRectF(0, 0, width, height), QRectF(0, 0, width, height))
            painter.end()
            view.exported = image
        assert ours.exported == theirs.exported
        ours.close()
        theirs.close()
    ours, theirs = (_grid_view(axis, 400, 300, marker=True) for axis in (GridAxis("right"), pg.AxisItem("right")))
    mine, pyqtgraphs = ours.grab().toImage(), theirs.grab().toImage()
    centre = ours.plot_item.vb.mapViewToDevice(pg.Point(5.0, 50.0))
    row = round(centre.y())
    line = next(
        y
        for y in range(row - 15, row + 15)
        if pyqtgraphs.pixel(round(centre.x()), y) != mine.pixel(round(centre.x()), y)
    )  # a grid line across the marker tints it in pyqtgraph's drawing
    assert QColor(mine.pixel(round(centre.x()), line)).name() == "#0072b2"
    assert QColor(pyqtgraphs.pixel(round(centre.x()), line)).name() != "#0072b2"
    ours.close()
    theirs.close()


def test_an_axis_as_a_text_column_measures_its_labels_again_on_every_paint(qtbot: QtBot) -> None:
    """Why text columns are :class:`viewer.plot.columns.TextTable`, not AxisItems: an AxisItem measures
    each tick label again whenever its picture is rebuilt (every resize), a forest plot's 4 x 2,000 cells."""
    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot()
    axis = pg.AxisItem("right", linkView=plot.vb)
    axis.setTicks([[(float(k), f"cell {k}") for k in range(50)]])
    plot.layout.addItem(axis, 2, 3)
    plot.setYRange(0, 49, padding=0)
    view.resize(300, 900)
    view.grab()
    measured = []
    original = pg.AxisItem.generateDrawSpecs

    def counted(self: Any, painter: QPainter) -> Any:
        measured.append(self)
        return original(self, painter)

    pg.AxisItem.generateDrawSpecs = counted  # type: ignore[method-assign]
    try:
        view.resize(320, 900)
        view.grab()
    finally:
        pg.AxisItem.generateDrawSpecs = original  # type: ignore[method-assign]
    assert axis in measured
    view.close()


def test_label_item_interprets_html_and_never_wraps_so_titles_and_notes_are_plain_labels(qtbot: QtBot) -> None:
    """Why :class:`PlainLabel` replaces ``pg.LabelItem`` for text from data files and long footnotes."""
    text = "<b>TRIAL</b> " + "word " * 200
    item = pg.LabelItem(text)
    assert item.item.toPlainText().startswith("TRIAL ")  # the markup was interpreted
    assert item.item.textWidth() < 0  # no wrapping width: one line as long as the text
    label = PlainLabel(text, font=QFont(), color="#000000")
    label.resize(300, 10)
    assert label.item.toPlainText().startswith("<b>TRIAL</b>")
    assert 0 < label.item.textWidth() <= 300


def test_legend_item_ignores_transformations_so_the_legend_is_a_block_of_our_own(qtbot: QtBot) -> None:
    """Why ``legend.LegendBlock`` replaces ``pg.LegendItem``: it would stay 1x in a 300-dpi export."""
    ignores = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    assert pg.LegendItem().flags() & ignores
    assert not LegendBlock([], theme=LIGHT, scale=1.0).flags() & ignores


def test_error_bars_markers_and_lines_ignore_the_plots_log_mode(qtbot: QtBot) -> None:
    """Why the chart layer places marks in log10 view coordinates and only the axis is put in log mode."""
    plot = pg.PlotItem()
    plot.setLogMode(y=True)
    bars = pg.ErrorBarItem(x=np.array([1.0]), y=np.array([100.0]), top=np.array([100.0]), bottom=np.array([50.0]))
    marker = pg.ScatterPlotItem(x=[1.0], y=[100.0])
    line = pg.InfiniteLine(pos=100.0, angle=0)
    for item in (bars, marker, line):
        plot.addItem(item)
        assert not hasattr(item, "setLogMode")
    assert bars.boundingRect().bottom() == 200.0  # not log10(200)
    assert line.value() == 100.0


def test_pyqtgraphs_svg_exporter_fails_so_files_are_written_with_qt(qtbot: QtBot) -> None:
    """Why :mod:`viewer.export.figures` writes SVG with ``QSvgGenerator`` (and PDF with ``QPdfWriter``) from
    the scene: pyqtgraph 0.14's ``SVGExporter`` raises on this PySide6 (6.11+). When this test fails,
    pyqtgraph's exporter works again and the choice can be revisited."""
    from pyqtgraph.exporters import SVGExporter

    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot()
    plot.plot([1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    view.resize(300, 200)
    view.grab()
    with pytest.raises(ValueError, match="not enough values to unpack"):
        SVGExporter(plot).export(toBytes=True)
    view.close()


def test_qt_svg_generator_writes_the_family_a_font_asked_for(qtbot: QtBot, shipped_catalog: Any) -> None:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QFontInfo
    from PySide6.QtSvg import QSvgGenerator

    from viewer.charts.build import build_chart
    from viewer.charts.query import Query
    from viewer.charts.spec import ChartKind
    from viewer.export.figures import chart_bytes

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    painter = QPainter(generator)
    painter.setFont(QFont())
    painter.drawText(10, 10, "ACR20")
    painter.end()
    raw = bytes(buffer.data().data())
    asked, resolved = QFont().family(), QFontInfo(QFont()).family()
    assert asked != resolved and f'font-family="{asked}"'.encode() in raw  # Qt's generic name, unknown to CSS
    fixed = workarounds.svg_font_families(raw)
    assert f'font-family="{asked}"'.encode() not in fixed
    assert f'font-family="{resolved}, sans-serif"'.encode() in fixed
    spec = build_chart(ChartKind.FOREST, shipped_catalog, Query(population="MTX-IR"))
    exported = chart_bytes(spec, ".svg")
    assert f'font-family="{asked}"'.encode() not in exported
    assert f'font-family="{resolved}, sans-serif"'.encode() in exported

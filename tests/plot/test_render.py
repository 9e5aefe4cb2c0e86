"""The renderer draws exactly what the ChartSpec says: data behind items, tooltips, text, ranges.

Assertions read the data held by the pyqtgraph items (not pixels): pixels are covered by the export
tests, and item data is what a wrong transform (log axes, clipping) would corrupt.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QObject, QPoint, QPointF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem
from pytestqt.qtbot import QtBot

from tests.specs import forest_rows
from viewer.charts.spec import (
    Band,
    ChartKind,
    ChartSpec,
    Mark,
    Marker,
    Point,
    RefLine,
    Series,
    TextColumn,
)
from viewer.plot.canvas import ChartWidget
from viewer.plot.render import render
from viewer.plot.result import RenderedChart
from viewer.plot.style import LIGHT, tint
from viewer.plot.text import PlainLabel, plain_tooltip

ORANGE, SKY, BLUE, GREEN = "#E69F00", "#56B4E9", "#0072B2", "#009E73"


# --- hand-made specs -----------------------------------------------------------------------------


def dose_response_spec() -> ChartSpec:
    upa = Series(
        name="upadacitinib",
        color=ORANGE,
        symbol=Marker.CIRCLE,
        points=(
            Point(x=0, y=36.0, low=31.0, high=41.0, label="PBO", tooltip="SELECT-NEXT placebo\nn = 221"),
            Point(x=1, y=64.0, low=58.0, high=70.0, label="15 mg", tooltip="SELECT-NEXT 15 mg\n<b>141/221</b> & more"),
            Point(x=2, y=66.0, low=60.0, high=72.0, label="30 mg", tooltip="SELECT-NEXT 30 mg (label)", hollow=True),
        ),
    )
    tofa = Series(
        name="tofacitinib",
        color=SKY,
        symbol=Marker.SQUARE,
        dashed=True,
        points=(
            Point(x=0, y=27.0, low=21.0, high=33.0, tooltip="ORAL Standard placebo"),
            Point(x=1, y=52.0, low=46.0, high=58.0, tooltip="ORAL Standard 5 mg"),
            Point(x=2, y=60.0, tooltip="ORAL Standard 10 mg: no n reported, no interval"),
        ),
    )
    band = Band(
        name="Emax fit",
        color=ORANGE,
        x=(0.0, 0.5, 1.0, 1.5, 2.0),
        y=(36.0, 55.0, 63.0, 65.0, 66.0),
        low=(32.0, 50.0, 58.0, 60.0, 61.0),
        high=(40.0, 60.0, 68.0, 70.0, 71.0),
    )
    return ChartSpec(
        kind=ChartKind.DOSE_RESPONSE,
        title="ACR20 at week 12 by dose",
        x_label="Dose",
        y_label="Responders (%)",
        series=(upa, tofa),
        bands=(band,),
        x_ticks=((0.0, "placebo"), (1.0, "low"), (2.0, "high")),
        y_range=(0.0, 100.0),
        footnotes=("Bars: 95% Wilson CI.", "Hollow: secondary source."),
        warnings=("Cross-trial comparison.",),
    )


def forest_spec() -> ChartSpec:
    points = (
        Point(x=1.8, y=3, low=1.4, high=2.3, tooltip="upa RR 1.8"),
        Point(x=1.6, y=2, low=1.2, high=9.0, clipped_high=True, tooltip="tofa RR 1.6"),
        Point(x=0.9, y=1, low=0.2, high=1.3, tooltip="bari RR 0.9"),  # low beyond the range, not flagged
        Point(x=2.2, y=0, low=1.7, high=2.9, tooltip="filgo RR 2.2", hollow=True),
    )
    series = forest_rows("RR vs placebo", points)
    columns = (
        TextColumn("n/N", ((3.0, "141/221"), (2.0, "80/198"), (1.0, "60/229"), (0.0, "120/245"))),
        TextColumn("NNT", ((3.0, "4"), (2.0, "6"), (1.0, "—"), (0.0, "3"))),
    )
    return ChartSpec(
        kind=ChartKind.FOREST,
        title="ACR20 risk ratio",
        x_label="Risk ratio (log scale)",
        y_label="",
        series=(series,),
        ref_lines=(RefLine(1.0, True, "no effect {value}"),),
        x_log=True,
        x_range=(0.5, 4.0),
        y_ticks=((3.0, "upadacitinib"), (2.0, "tofacitinib"), (1.0, "baricitinib"), (0.0, "filgotinib")),
        y_range=(-0.7, 3.7),
        text_columns=columns,
    )


def log_dose_spec() -> ChartSpec:
    points = (
        Point(x=0, y=30.0, tooltip="placebo (dose 0)"),
        Point(x=2, y=50.0, low=45.0, high=55.0, tooltip="2 mg"),
        Point(x=4, y=62.0, low=57.0, high=67.0, tooltip="4 mg"),
        Point(x=8, y=66.0, low=61.0, high=71.0, tooltip="8 mg"),
    )
    return ChartSpec(
        kind=ChartKind.DOSE_RESPONSE,
        title="Log dose",
        x_label="Dose (mg)",
        y_label="Responders (%)",
        series=(Series(name="baricitinib", color=GREEN, symbol=Marker.TRIANGLE, points=points),),
        x_log=True,
        y_range=(0.0, 100.0),
    )


def shown_chart(qtbot: QtBot) -> ChartWidget:
    """A chart widget at a fixed size, shown (the layout only settles in a shown widget)."""
    widget = ChartWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 560)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def chart(qtbot: QtBot) -> ChartWidget:
    return shown_chart(qtbot)


def _draw(chart: ChartWidget, spec: ChartSpec, qtbot: QtBot) -> RenderedChart:
    rendered = chart.set_spec(spec)
    qtbot.wait(1)  # let the layout settle (wrapped notes, row alignment)
    return rendered


def _scene_pos(rendered: RenderedChart, x: float, y: float, plot: object = None) -> QPointF:
    vb = (plot or rendered.plot).vb  # type: ignore[attr-defined]
    return vb.mapViewToScene(QPointF(x, y))


# --- dose-response: lines, intervals, hollow points, band ------------------------------------------


def test_line_and_markers_carry_the_spec_values(chart: ChartWidget, qtbot: QtBot) -> None:
    spec = dose_response_spec()
    r = _draw(chart, spec, qtbot)
    for series in spec.series:
        items = r.series[series.name]
        xs, ys = items.line.getData()
        assert list(xs) == [p.x for p in series.points]
        assert list(ys) == [p.y for p in series.points]
        assert r.drawn_xy(series.name) == [(p.x, p.y) for p in series.points]
        assert items.indices == (0, 1, 2)
    assert r.series["tofacitinib"].line.opts["pen"].style() == pg.QtCore.Qt.PenStyle.DashLine


def test_vertical_intervals_are_lengths_from_the_estimate(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, dose_response_spec(), qtbot)
    upa = r.series["upadacitinib"].intervals.opts
    assert list(upa["x"]) == [0, 1, 2]
    assert list(upa["top"]) == pytest.approx([5.0, 6.0, 6.0])
    assert list(upa["bottom"]) == pytest.approx([5.0, 6.0, 6.0])
    tofa = r.series["tofacitinib"]
    # The 10 mg point has no interval (no n): it gets no whisker and no caps.
    assert list(tofa.intervals.opts["x"]) == [0, 1]
    assert list(tofa.intervals.opts["top"]) == pytest.approx([6.0, 6.0])
    assert sorted(tofa.caps) == [(0, 21.0), (0, 33.0), (1, 46.0), (1, 58.0)]
    assert tofa.arrows == []
    # All caps of the chart are one pixel-sized scatter item (2 series × up to 3 intervals × 2 ends).
    cap_x, cap_y = r.caps.getData()
    assert sorted(zip(cap_x, cap_y, strict=True)) == sorted(r.series["upadacitinib"].caps + tofa.caps)


def test_hollow_point_is_white_with_coloured_edge(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, dose_response_spec(), qtbot)
    filled, _, hollow = r.spots("upadacitinib")
    assert filled.brush().color().name() == ORANGE.lower()
    assert hollow.brush().color().name() == "#ffffff"
    assert hollow.pen().color().name() == ORANGE.lower()


def test_three_evidence_marks_are_visibly_distinct(chart: ChartWidget, qtbot: QtBot) -> None:
    """Primary: filled; secondary: an opaque tint with a dark edge; recalled: background with a dashed edge."""
    marks = (Mark.PRIMARY, Mark.SECONDARY, Mark.RECALLED)
    points = tuple(Point(x=i, y=50.0 + i, mark=m, hollow=m is not Mark.PRIMARY) for i, m in enumerate(marks))
    spec = ChartSpec(ChartKind.DOSE_RESPONSE, "marks", "x", "y", series=(Series("s", ORANGE, Marker.CIRCLE, points),))
    primary, secondary, recalled = _draw(chart, spec, qtbot).spots("s")
    assert primary.brush().color().name() == ORANGE.lower()
    assert secondary.brush().color().name() == tint(ORANGE, LIGHT.background) != ORANGE.lower()
    assert secondary.pen().style() == pg.QtCore.Qt.PenStyle.SolidLine
    assert recalled.brush().color().name() == "#ffffff"
    assert recalled.pen().style() == pg.QtCore.Qt.PenStyle.DashLine


def test_band_fills_between_low_and_high(chart: ChartWidget, qtbot: QtBot) -> None:
    spec = dose_response_spec()
    r = _draw(chart, spec, qtbot)
    fill, curve = r.bands["Emax fit"]
    assert isinstance(fill, pg.FillBetweenItem)
    low, high = (c.getData()[1] for c in fill.curves)
    assert list(low) == list(spec.bands[0].low)
    assert list(high) == list(spec.bands[0].high)
    assert list(curve.getData()[1]) == list(spec.bands[0].y)
    assert fill.zValue() < curve.zValue() < r.markers.zValue()


def test_tooltips_are_read_back_from_the_markers(chart: ChartWidget, qtbot: QtBot) -> None:
    spec = dose_response_spec()
    r = _draw(chart, spec, qtbot)
    for series in spec.series:
        for i, point in enumerate(series.points):
            assert r.tooltip_at(series.name, i) == point.tooltip
    with pytest.raises(LookupError):
        r.tooltip_at("upadacitinib", 7)


def test_hovering_a_point_shows_its_escaped_tooltip(chart: ChartWidget, qtbot: QtBot) -> None:
    spec = dose_response_spec()
    r = _draw(chart, spec, qtbot)
    scene = _scene_pos(r, 1.0, 64.0)
    qtbot.mouseMove(chart.viewport(), chart.mapFromScene(scene) + QPoint(1, 0))
    qtbot.waitUntil(lambda: bool(r.plot.vb.toolTip()), timeout=1000)
    tip = r.plot.vb.toolTip()
    assert tip == plain_tooltip(spec.series[0].points[1].tooltip)
    assert "&lt;b&gt;141/221&lt;/b&gt; &amp; more" in tip  # shown literally, never as markup
    qtbot.wait(50)  # pyqtgraph's scene drops mouse moves that come faster than 60 per second
    qtbot.mouseMove(chart.viewport(), chart.mapFromScene(_scene_pos(r, 0.5, 90.0)))
    qtbot.waitUntil(lambda: r.plot.vb.toolTip() == "", timeout=1000)


def test_legend_lists_each_series_once_and_scales(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, dose_response_spec(), qtbot)
    assert r.legend is not None
    assert r.legend.names() == ["upadacitinib", "tofacitinib", "Emax fit"]
    assert r.legend.columns() == 3  # one row: they fit in 900 px
    assert not r.legend.flags() & QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    # The legend sits in its own layout row, below the plot, so it never covers data.
    assert r.legend.sceneBoundingRect().top() >= r.plot.vb.sceneBoundingRect().bottom()


def test_legend_reflows_to_the_width(chart: ChartWidget, qtbot: QtBot) -> None:
    base = dose_response_spec().series[0]
    series = tuple(
        Series(
            name=f"Tofacitinib · a long trial name number {k} (week 12)",
            color=ORANGE,
            symbol=Marker.CIRCLE,
            points=base.points,
        )
        for k in range(7)
    )
    spec = ChartSpec(kind=ChartKind.DOSE_RESPONSE, title="t", x_label="x", y_label="y", series=series)
    r = _draw(chart, spec, qtbot)
    assert r.legend is not None
    wide = r.legend.columns()
    assert wide >= 2
    chart.resize(420, 700)
    qtbot.waitUntil(lambda: r.legend is not None and r.legend.columns() < wide, timeout=1000)
    # Nothing is pushed past the right edge: legend and plot stay inside the widget.
    qtbot.waitUntil(lambda: r.legend is not None and r.legend.sceneBoundingRect().right() <= 420, timeout=1000)
    assert r.plot.sceneBoundingRect().right() <= 420


def test_fixed_range_categorical_ticks_and_static_view(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, dose_response_spec(), qtbot)
    (_, (y0, y1)) = r.plot.vb.viewRange()
    assert (y0, y1) == (0.0, 100.0)
    x0, x1 = r.x_range
    assert x0 <= -0.5 and x1 >= 2.5  # half a category of room at each end
    assert r.plot.getAxis("bottom")._tickLevels == [[(0.0, "placebo"), (1.0, "low"), (2.0, "high")]]
    assert r.plot.vb.state["mouseEnabled"] == [False, False]
    assert r.plot.buttonsHidden
    assert not r.plot.vb.menuEnabled()


def test_text_is_never_interpreted_as_html(chart: ChartWidget, qtbot: QtBot) -> None:
    evil = "<b>bold</b> & <i>x</i>"
    base = dose_response_spec()
    series = Series(name=evil, color=ORANGE, symbol=Marker.CIRCLE, points=base.series[0].points)
    spec = ChartSpec(
        kind=ChartKind.DOSE_RESPONSE,
        title=evil,
        x_label=evil,
        y_label="y",
        series=(series,),
        footnotes=(evil,),
        warnings=(evil,),
    )
    r = _draw(chart, spec, qtbot)
    assert isinstance(r.title, PlainLabel)
    assert r.title.text() == evil
    assert r.footnotes is not None and r.footnotes.text() == evil
    assert r.warnings is not None and evil in r.warnings.text()
    assert r.plot.getAxis("bottom").label.toPlainText().strip() == evil
    assert r.legend is not None and r.legend.names() == [evil]


def test_footnotes_wrap_inside_the_widget(chart: ChartWidget, qtbot: QtBot) -> None:
    long_note = "Source: " + "a very long provenance statement " * 12
    spec = ChartSpec(
        kind=ChartKind.DOSE_RESPONSE,
        title="t",
        x_label="x",
        y_label="y",
        series=dose_response_spec().series,
        footnotes=(long_note,),
    )
    r = _draw(chart, spec, qtbot)
    assert r.footnotes is not None
    qtbot.waitUntil(lambda: r.footnotes.sceneBoundingRect().right() <= chart.width(), timeout=1000)
    assert r.footnotes.sceneBoundingRect().height() > 2 * 12  # several lines
    assert r.footnotes.sceneBoundingRect().bottom() <= chart.height()


# --- forest: horizontal intervals, clipping, text columns --------------------------------------------


def test_forest_intervals_are_clamped_to_the_range_with_arrows(chart: ChartWidget, qtbot: QtBot) -> None:
    spec = forest_spec()
    r = _draw(chart, spec, qtbot)
    lo, hi = math.log10(0.5), math.log10(4.0)
    assert r.x_range == pytest.approx((lo, hi))
    items = r.series["RR vs placebo"]
    assert r.drawn_xy("RR vs placebo") == [pytest.approx((p.x, p.y)) for p in spec.series[0].points]
    bars = items.intervals.opts
    left_ends = np.asarray(bars["x"]) - np.asarray(bars["left"])
    right_ends = np.asarray(bars["x"]) + np.asarray(bars["right"])
    assert list(left_ends) == pytest.approx([math.log10(1.4), math.log10(1.2), lo, math.log10(1.7)])
    assert list(right_ends) == pytest.approx([math.log10(2.3), hi, math.log10(1.3), math.log10(2.9)])
    # One arrow for the flagged high end of row 2, one for the unflagged but out-of-range low of row 1.
    assert sorted(items.arrows) == [(pytest.approx(lo), 1.0, "left"), (pytest.approx(hi), 2.0, "right")]
    assert len(items.caps) == 6  # the other ends
    # Nothing is drawn outside the view (the SVG export has no clipping).
    for scatter in (r.markers, r.caps, r.arrows):
        x, y = scatter.getData()
        assert np.all((x >= lo - 1e-12) & (x <= hi + 1e-12))
        assert np.all((y >= r.y_range[0]) & (y <= r.y_range[1]))
    assert np.all((left_ends >= lo - 1e-12) & (right_ends <= hi + 1e-12))


def test_reference_line_at_no_effect(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, forest_spec(), qtbot)
    (line,) = r.ref_lines
    assert line.value() == 0.0  # log10(1)
    assert line.angle == 90
    assert line.label.textItem.toPlainText() == "no effect {value}"  # braces not used as a format


def test_text_columns_line_up_with_the_rows(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, forest_spec(), qtbot)
    assert r.text_header.texts() == ["n/N", "NNT"]
    assert r.text_table.texts() == [
        [(3.0, "141/221"), (2.0, "80/198"), (1.0, "60/229"), (0.0, "120/245")],
        [(3.0, "4"), (2.0, "6"), (1.0, "—"), (0.0, "3")],
    ]
    assert r.label_table.texts() == [
        [(3.0, "upadacitinib"), (2.0, "tofacitinib"), (1.0, "baricitinib"), (0.0, "filgotinib")]
    ]
    assert not r.plot.getAxis("left").isVisible()  # the row labels stand in its place
    vb = r.plot.vb

    def aligned() -> bool:
        """Both tables span the ViewBox's pixel rows and put each row's text centre on the row's centre."""
        view = vb.sceneBoundingRect()
        for table in (r.label_table, r.text_table):
            rect = table.sceneBoundingRect()
            if abs(rect.top() - view.top()) > 0.5 or abs(rect.bottom() - view.bottom()) > 0.5:
                return False
            a, b = table.row_to_local()
            for y in (0.0, 3.0):
                centre = table.mapToScene(QPointF(0.0, a + b * y)).y()
                if abs(centre - vb.mapViewToScene(QPointF(0.0, y)).y()) > 0.5:
                    return False
        return True

    qtbot.waitUntil(aligned, timeout=1000)
    chart.resize(700, 800)
    qtbot.waitUntil(aligned, timeout=1000)
    # Labels left of the plot; columns right of it, in order; titles above their cells.
    assert r.label_table.sceneBoundingRect().right() <= vb.sceneBoundingRect().left() + 0.5
    table = r.text_table.sceneBoundingRect()
    assert vb.sceneBoundingRect().right() - 1 <= table.left()
    assert r.text_table.lefts[0] < r.text_table.lefts[1]
    assert r.text_header.sceneBoundingRect().bottom() <= table.top() + 0.5


def test_text_columns_are_measured_once_not_on_every_paint(chart: ChartWidget, qtbot: QtBot) -> None:
    """The pitfall of AxisItems as text columns: they re-measure every label on each paint and resize."""
    r = _draw(chart, forest_spec(), qtbot)
    widths = list(r.text_table.widths)
    calls = []
    original = QFontMetricsF.horizontalAdvance

    def counted(self: QFontMetricsF, *args: Any) -> float:
        calls.append(args)
        return original(self, *args)

    QFontMetricsF.horizontalAdvance = counted  # type: ignore[method-assign]
    try:
        for size in ((700, 800), (900, 600), (1200, 700)):
            chart.resize(*size)
            chart.grab()  # lays out and paints
    finally:
        QFontMetricsF.horizontalAdvance = original  # type: ignore[method-assign]
    assert r.text_table.widths == widths
    assert calls == []


def test_the_left_axis_comes_back_after_a_chart_with_text_columns(chart: ChartWidget, qtbot: QtBot) -> None:
    chart.set_spec(forest_spec())
    r = _draw(chart, dose_response_spec(), qtbot)
    axis = r.plot.getAxis("left")
    assert axis.isVisible() and axis in [r.plot.layout.itemAt(2, 0)]
    assert r.label_table is None and r.text_table is None


# --- log axes ------------------------------------------------------------------------------------


def test_log_x_places_points_by_log_dose(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, log_dose_spec(), qtbot)
    spots = r.spots("baricitinib")
    xs = [spot.pos().x() for spot in spots]
    assert xs == pytest.approx([math.log10(2), math.log10(4), math.log10(8)])
    assert r.drawn_xy("baricitinib") == [pytest.approx((2, 50.0)), pytest.approx((4, 62.0)), pytest.approx((8, 66.0))]
    # On screen, the 4 mg marker sits halfway between 2 and 8 mg, as on any log axis ...
    x2, x4, x8 = (r.markers.mapToScene(spot.pos()).x() for spot in spots)
    assert x4 == pytest.approx((x2 + x8) / 2)
    # ... and so do the whiskers, which pyqtgraph would not log-transform by itself.
    assert list(r.series["baricitinib"].intervals.opts["x"]) == pytest.approx(xs)
    axis = r.plot.getAxis("bottom")
    assert axis.logMode  # tick labels read 10^x
    assert axis.tickStrings([math.log10(4)], 1.0, 0.1) == ["4"]
    # Dose 0 cannot be placed on a log axis: it is dropped, and the chart says so.
    assert len(r.spec.placement.unplaced) == 1
    assert r.warnings is not None and "logarithmic" in r.warnings.text()
    with pytest.raises(LookupError):
        r.tooltip_at("baricitinib", 0)
    assert r.tooltip_at("baricitinib", 2) == "4 mg"


def test_log_x_auto_range_covers_the_data(chart: ChartWidget, qtbot: QtBot) -> None:
    r = _draw(chart, log_dose_spec(), qtbot)
    lo, hi = r.x_range
    assert lo < math.log10(2) and hi > math.log10(8)
    assert r.plot.vb.viewRange()[0] == pytest.approx([lo, hi])


# --- empty charts, scale, reuse -----------------------------------------------------------------


def test_empty_spec_shows_the_message_centred(chart: ChartWidget, qtbot: QtBot) -> None:
    spec = ChartSpec(
        kind=ChartKind.SELECTIVITY,
        title="Selectivity",
        x_label="x",
        y_label="y",
        empty_message="No IC50 data for this selection.",
    )
    r = _draw(chart, spec, qtbot)
    assert r.message.textItem.toPlainText() == "No IC50 data for this selection."
    assert (r.message.pos().x(), r.message.pos().y()) == (0.5, 0.5)
    assert r.plot.vb.viewRange() == [[0.0, 1.0], [0.0, 1.0]]
    assert r.series == {}
    assert r.legend is None


def test_scale_thickens_pens_and_markers_but_not_text(qtbot: QtBot) -> None:
    layout1, layout3 = pg.GraphicsLayout(), pg.GraphicsLayout()  # keep them: they own the items
    r1 = render(dose_response_spec(), layout1, scale=1.0)
    r3 = render(dose_response_spec(), layout3, scale=3.0)
    line1, line3 = r1.series["upadacitinib"].line, r3.series["upadacitinib"].line
    assert line3.opts["pen"].widthF() == pytest.approx(3 * line1.opts["pen"].widthF())
    assert line3.opts["pen"].isCosmetic()
    assert r3.series["upadacitinib"].intervals.opts["pen"].widthF() == pytest.approx(3 * LIGHT.interval_width)
    assert list(r3.markers.data["size"]) == pytest.approx([3 * LIGHT.symbol_size] * 6)
    assert list(r3.caps.data["size"]) == pytest.approx([3 * LIGHT.cap_size] * len(r3.caps.data))
    assert r3.title is not None and r1.title is not None
    assert r3.title.item.font().pointSizeF() == r1.title.item.font().pointSizeF()


def test_set_spec_recycles_the_plot_and_removes_the_old_drawing(chart: ChartWidget, qtbot: QtBot) -> None:
    first = chart.set_spec(forest_spec())
    second = chart.set_spec(dose_response_spec())
    third = chart.set_spec(forest_spec())
    assert first.plot is second.plot is third.plot
    assert chart.spec == forest_spec() and chart.rendered is third
    scene = chart.scene()
    leftovers = [
        item
        for old in (first, second)
        for item in (
            old.title,
            old.legend,
            old.warnings,
            old.footnotes,
            old.markers,
            old.caps,
            old.label_table,
            old.text_table,
            old.text_header,
            *(i for s in old.series.values() for i in s.items()),
        )
        if item is not None and item.scene() is scene
    ]
    # The forest's text columns are laid out once: going back to it shows the first drawing's tables.
    tables = (third.label_table, third.text_table, third.text_header)
    assert tables == (first.label_table, first.text_table, first.text_header)
    # The shared scatter items are handed on from drawing to drawing, holding only the current spots.
    marks = (third.markers, third.caps)
    assert third.markers is first.markers and third.caps is first.caps
    assert len(third.markers.data) == sum(len(s.points) for s in forest_spec().series)
    assert [item for item in leftovers if item not in tables and not any(item is m for m in marks)] == []
    assert len(third.text_table.texts()) == 2
    assert all(item.scene() is scene for item in (third.label_table, third.text_table, third.text_header))


def test_qt_binding_keeps_none_alive() -> None:
    """The environment check behind the ``!=6.12.0`` pin in pyproject.

    shiboken6 6.12.0's abi3 wheels drop a reference to None on every void Qt call under Python
    < 3.12 (None is immortal only from 3.12), and the app aborts with "none_dealloc" after a few
    dozen redraws. viewer.ui.errors.guard_binding_refcounts papers over it at start-up; this test
    says loudly when such a binding is installed anyway.
    """
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        obj.setObjectName("x")
    assert sys.getrefcount(None) >= before - 10, "this Qt binding leaks references to None (PySide6 6.12.0?)"

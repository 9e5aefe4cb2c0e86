"""Redraws reuse what did not change, and the result is the same chart a fresh widget draws.

The renderer shares one line item and one whisker item among consecutive series (each with its own pen),
hands the symbol atlas from one drawing to the next, keeps text blocks that read the same, lays the
rows out once and only touches the axis settings that changed. Each test checks one of these against
the plain way (a fresh ChartWidget), so a shortcut can never show a different chart.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage, QPainter
from pytestqt.qtbot import QtBot

from tests.plot.test_render import dose_response_spec, forest_spec, log_dose_spec, shown_chart
from viewer.charts.spec import ChartKind, ChartSpec, Marker, Point, Series
from viewer.plot.batching import Runs, SharedPart
from viewer.plot.canvas import ChartWidget

BLUE = "#0072B2"


def _image(widget: ChartWidget) -> np.ndarray:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    widget.render(painter)
    painter.end()
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4).copy()


TRIAL_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")


def _trials_spec(
    n: int = 4, title: str = "ACR20", footnote: str = "n/N from the trial reports.", *, coloured: bool = False
) -> ChartSpec:
    """``n`` dose-response series of one drug: one colour, one pen (``coloured``: a colour per trial, as a
    drug's panel draws them)."""
    series = tuple(
        Series(
            name=f"Drug · trial {k}",
            color=TRIAL_COLOURS[k % len(TRIAL_COLOURS)] if coloured else BLUE,
            symbol=(Marker.CIRCLE, Marker.SQUARE)[k % 2],
            points=tuple(
                Point(x=d, y=20.0 + 10 * d + k, low=15.0 + 10 * d + k, high=25.0 + 10 * d + k, hollow=d == k % 3)
                for d in range(3)
            ),
        )
        for k in range(n)
    )
    return ChartSpec(
        kind=ChartKind.DOSE_RESPONSE,
        title=title,
        x_label="Dose",
        y_label="Responders (%)",
        series=series,
        y_range=(0.0, 100.0),
        footnotes=(footnote,),
    )


def test_consecutive_series_of_one_pen_share_their_items(qtbot: QtBot) -> None:
    spec = _trials_spec()
    r = shown_chart(qtbot).set_spec(spec)
    parts = [r.series[s.name] for s in spec.series]
    assert all(isinstance(p.line, SharedPart) and isinstance(p.intervals, SharedPart) for p in parts)
    assert len({id(p.line.item) for p in parts}) == 1
    assert len({id(p.intervals.item) for p in parts}) == 1
    for series, part in zip(spec.series, parts, strict=True):
        xs, ys = part.line.getData()
        assert list(xs) == [p.x for p in series.points]
        assert list(ys) == [p.y for p in series.points]
        assert list(part.intervals.opts["top"]) == pytest.approx([5.0, 5.0, 5.0])
        assert part.line.scene() is part.line.item.scene() is not None
    # The shared curve holds every point, with no line from one series to the next.
    curve = parts[0].line.item
    assert len(curve.getData()[0]) == 3 * len(spec.series)
    assert list(curve.opts["connect"]) == [True, True, False] * len(spec.series)


@pytest.mark.parametrize("coloured", [False, True], ids=["one pen", "a pen per trial"])
def test_shared_items_paint_what_one_item_per_series_painted(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, coloured: bool
) -> None:
    spec = _trials_spec(5, coloured=coloured)
    shared = shown_chart(qtbot)
    shared.set_spec(spec)
    # The same chart with no run longer than one series: every key is new, as before the runs.
    monkeypatch.setattr(Runs, "add", _one_run_per_series)
    separate = shown_chart(qtbot)
    separate.set_spec(spec)
    assert separate.rendered is not None
    assert len({id(s.line.item) for s in separate.rendered.series.values()}) == len(spec.series)
    assert shared.rendered is not None
    assert len({id(s.line.item) for s in shared.rendered.series.values()}) == 1  # whatever the pens
    assert len({id(s.intervals.item) for s in shared.rendered.series.values()}) == 1
    qtbot.wait(1)
    assert np.array_equal(_image(shared), _image(separate))


def _one_run_per_series(self: Any, key: Any, opts: dict[str, Any]) -> SharedPart:
    part = SharedPart(opts)
    self.runs.append((object(), [part]))
    return part


def test_redraws_render_no_marker_symbol_again(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    widget = shown_chart(qtbot)
    widget.set_spec(dose_response_spec())
    widget.set_spec(forest_spec())
    calls: list[Any] = []
    original = pg.graphicsItems.ScatterPlotItem.renderSymbol

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(pg.graphicsItems.ScatterPlotItem, "renderSymbol", counted)
    for spec in (dose_response_spec(), forest_spec(), dose_response_spec()):
        widget.set_spec(spec)
        qtbot.wait(1)
    assert calls == []
    assert widget.rendered is not None and widget.rendered.markers.fragmentAtlas is widget.rendered.atlases["markers"]


def test_text_blocks_that_read_the_same_are_kept(qtbot: QtBot) -> None:
    widget = shown_chart(qtbot)
    first = widget.set_spec(_trials_spec())
    second = widget.set_spec(_trials_spec())
    assert second.title is first.title and second.footnotes is first.footnotes and second.legend is first.legend
    third = widget.set_spec(_trials_spec(title="ACR50", footnote="Another note."))
    assert third.title is not first.title and third.footnotes is not first.footnotes
    assert third.legend is first.legend  # the same series
    assert first.title is not None and first.title.scene() is None
    assert third.title is not None and third.title.text() == "ACR50"
    assert third.footnotes is not None and third.footnotes.scene() is widget.scene()


def test_one_layout_pass_for_new_text_blocks(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    widget = shown_chart(qtbot)
    widget.set_spec(_trials_spec())
    qtbot.wait(1)
    heights: list[float] = []
    original = pg.ViewBox.resizeEvent

    def recorded(self: Any, ev: Any) -> None:
        heights.append(float(self.height()))
        original(self, ev)

    monkeypatch.setattr(pg.ViewBox, "resizeEvent", recorded)
    long_note = "A long footnote that wraps over several lines of the chart's width. " * 8
    widget.set_spec(_trials_spec(n=6, title="ACR50", footnote=long_note))
    assert len(heights) <= 1  # straight to the final size, no 0 px or 40 px plot on the way
    monkeypatch.undo()
    fresh = shown_chart(qtbot)
    fresh.set_spec(_trials_spec(n=6, title="ACR50", footnote=long_note))
    qtbot.wait(1)
    assert widget.rendered is not None and fresh.rendered is not None
    assert widget.rendered.plot.vb.height() == pytest.approx(fresh.rendered.plot.vb.height())


def _axis_state(widget: ChartWidget) -> dict[str, Any]:
    assert widget.rendered is not None
    plot = widget.rendered.plot
    out = {}
    for name in ("left", "bottom", "top", "right"):
        axis = plot.getAxis(name)
        out[name] = (
            axis.isVisible(),
            axis._tickLevels,
            axis.logMode,
            axis.grid,
            axis.labelText,
            axis.label.isVisible(),
            axis.labelStyle if axis.label.isVisible() else None,
            axis.pen().style(),
            axis.pen().widthF(),
            axis.textPen().color().name(),
            axis.style["tickFont"].pointSizeF(),
            axis.autoSIPrefix,
            {k: axis.style[k] for k in ("showValues", "tickLength", "maxTickLevel", "hideOverlappingLabels")},
        )
    return out


@pytest.mark.parametrize("last", ["dose", "forest", "log", "empty"])
def test_axes_after_any_redraws_are_those_of_a_fresh_drawing(qtbot: QtBot, last: str) -> None:
    empty = ChartSpec(kind=ChartKind.DOSE_RESPONSE, title="t", x_label="x", y_label="y", empty_message="none")
    specs = {"dose": dose_response_spec(), "forest": forest_spec(), "log": log_dose_spec(), "empty": empty}
    widget = shown_chart(qtbot)
    for name in ("forest", "log", "empty", "dose", "forest", last):
        widget.set_spec(specs[name])
    fresh = shown_chart(qtbot)
    fresh.set_spec(specs[last])
    got, want = _axis_state(widget), _axis_state(fresh)
    # The grid's axis styles are never reset (as before): a hidden axis that was a grid keeps them.
    grid = {"forest": "top", "empty": None}.get(last, "right")
    for name in ("top", "right"):
        if name != grid:
            got[name], want[name] = got[name][:-1], want[name][:-1]
    assert got == want


def test_an_unchanged_redraw_keeps_the_axis_pictures(qtbot: QtBot) -> None:
    widget = shown_chart(qtbot)
    widget.set_spec(_trials_spec())
    qtbot.wait(1)
    widget.viewport().repaint()
    assert widget.rendered is not None
    axes = [widget.rendered.plot.getAxis(name) for name in ("left", "bottom", "right")]
    assert all(axis.picture is not None for axis in axes)
    widget.set_spec(_trials_spec())
    assert all(axis.picture is not None for axis in axes)  # nothing to regenerate in the next paint


def test_a_scale_change_restyles_the_reused_plot(qtbot: QtBot) -> None:
    widget = shown_chart(qtbot)
    spec = dose_response_spec()
    first = widget.set_spec(spec)
    widget.scale = 2.0
    second = widget.set_spec(spec)
    assert second.legend is not first.legend  # swatches are drawn with scaled pens
    assert second.plot.getAxis("bottom").pen().widthF() == pytest.approx(2.0)
    assert second.plot.getAxis("right").tickPen().widthF() == pytest.approx(2.0)
    assert list(second.markers.data["size"]) == pytest.approx([2 * 9.0] * 6)
    assert second.series["upadacitinib"].line.opts["pen"].widthF() == pytest.approx(2 * 1.75)


def test_many_redraws_keep_the_atlas_small(qtbot: QtBot) -> None:
    widget = shown_chart(qtbot)
    for k in range(30):
        spec = _trials_spec(n=1 + k % 4, title=f"t{k}")
        widget.set_spec(dataclasses.replace(spec, y_range=(0.0, 100.0 + k)))
    assert widget.rendered is not None
    assert len(widget.rendered.atlases["markers"]) <= 8  # (symbol, pen, brush): o/s x filled/hollow

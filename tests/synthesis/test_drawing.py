"""The synthesis charts as drawn: diamonds spanning their interval, league cells and node names as text
items in data coordinates, axes hidden where positions carry no scale. Read from the items, not pixels."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from tests.plot.test_render import shown_chart
from viewer.charts.build import build_chart
from viewer.charts.pooled import SynthesisOptions, pooled_effects
from viewer.charts.pooled_forest import PREDICTION_CAP, PREDICTION_LABEL, prediction_band
from viewer.charts.query import Effect, PanelMode, Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.synthesis.pairwise import PoolModel
from viewer.plot.canvas import ChartWidget


@pytest.fixture
def shipped(shipped_catalog: Catalog) -> Catalog:
    return shipped_catalog


@pytest.fixture
def chart(qtbot: QtBot) -> ChartWidget:
    return shown_chart(qtbot)


def test_pooled_diamond_spans_its_interval(chart: ChartWidget, shipped: Catalog, qtbot: QtBot) -> None:
    spec = build_chart(ChartKind.FOREST, shipped, Query(population="MTX-IR", pool=PoolModel.RANDOM))
    rendered = chart.set_spec(spec)
    qtbot.wait(1)
    pooled = rendered.panel_of("Baricitinib pooled").series["Baricitinib pooled"]  # in Baricitinib's panel
    point = pooled.series.points[0]
    (diamond,) = pooled.diamonds
    box = diamond.polygon().boundingRect()
    assert box.left() == pytest.approx(point.low) and box.right() == pytest.approx(point.high)
    assert box.center().y() == pytest.approx(point.y)
    assert not pooled.items()  # no whiskers: the diamond is the interval


def test_prediction_interval_is_capped_and_named_once_in_the_legend(
    chart: ChartWidget, shipped: Catalog, qtbot: QtBot
) -> None:
    query = Query(population="MTX-IR", pool=PoolModel.RANDOM, pool_doses=True, panels=PanelMode.NONE)
    spec = build_chart(ChartKind.FOREST, shipped, query)
    rendered = chart.set_spec(spec)
    qtbot.wait(1)
    assert rendered.legend is not None
    names = [name for name, _ in rendered.legend.made_from[0]]
    assert names.count(PREDICTION_LABEL) == 1 and names[-1] == PREDICTION_LABEL
    lines = [b for b in spec.bands if b.name]
    caps = [b for b in spec.bands if not b.name]
    assert len(lines) == 2 and len(caps) == 4
    for band in caps:  # a short vertical stroke at an end of its row's line, drawn as placed
        (row,) = [line for line in lines if line.y[0] == pytest.approx(sum(band.y) / 2)]
        assert band.x[0] in row.x and band.y[1] - band.y[0] == pytest.approx(2 * PREDICTION_CAP)
    (curve,) = next(items for key, items in rendered.bands.items() if key.startswith(PREDICTION_LABEL))
    xs, ys = curve.getData()
    assert list(xs) == pytest.approx(list(lines[0].x)) and list(ys) == list(lines[0].y)
    # in panels (the default with several drugs) each drug's panel names its own line once
    panelled = chart.set_spec(build_chart(ChartKind.FOREST, shipped, replace(query, panels=PanelMode.AUTO)))
    qtbot.wait(1)
    legends = [[n for n, _ in p.legend.made_from[0]] for p in panelled.panels if p.legend is not None]
    assert [names.count(PREDICTION_LABEL) for names in legends] == [1, 1]  # upadacitinib and baricitinib


def test_an_end_beyond_the_axis_gets_no_cap(shipped: Catalog) -> None:
    options = SynthesisOptions(across_doses=True)
    row = next(r for r in pooled_effects(shipped, Query(population="MTX-IR"), options).rows if r.pooled.k > 1)
    low, high = row.shown(row.pooled.pi_low), row.shown(row.pooled.pi_high)
    line, cap = prediction_band(row, 3.0, (low + 1.0, high + 1.0))
    assert line.x == (low, high) and cap.x == (high, high) and not cap.name
    assert prediction_band(row, 3.0, (low + 1.0, high - 1.0)) == [line]


def test_league_cells_are_text_items_on_a_grid(chart: ChartWidget, shipped: Catalog, qtbot: QtBot) -> None:
    spec = build_chart(ChartKind.LEAGUE, shipped, Query(population="MTX-IR", effect=Effect.OR))
    rendered = chart.set_spec(spec)
    qtbot.wait(1)
    n = round(math.sqrt(len(spec.labels)))
    assert n == 6 and len(rendered.labels) == n * n  # over eight treatments: approved doses drawn
    assert spec.footnotes[1].startswith("Shown: placebo, comparators and approved doses (6 of 14 treatments)")
    first = rendered.labels[0]
    assert first.toPlainText() == "placebo" and (first.pos().x(), first.pos().y()) == (0.0, n - 1.0)
    assert not rendered.plot.getAxis("bottom").isVisible() and not rendered.plot.getAxis("left").isVisible()


def test_network_graph_draws_edges_by_trial_count(chart: ChartWidget, shipped: Catalog, qtbot: QtBot) -> None:
    spec = build_chart(ChartKind.NETWORK, shipped, Query(population="MTX-IR"))
    rendered = chart.set_spec(spec)
    qtbot.wait(1)
    edges = [s for s in spec.series if s.style == "line"]
    assert {s.width for s in edges} == {1.0, 6.0}
    assert any("placebo" in label.toPlainText() for label in rendered.labels)


def test_refused_synthesis_draws_the_reason(chart: ChartWidget, shipped: Catalog, qtbot: QtBot) -> None:
    spec = build_chart(ChartKind.LEAGUE, shipped, Query())
    rendered = chart.set_spec(spec)
    assert spec.is_empty and rendered.message is not None
    assert rendered.message.toPlainText().startswith("Not combined")


def test_network_labels_stay_inside_a_narrow_chart(chart: ChartWidget, shipped: Catalog, qtbot: QtBot) -> None:
    """At the width the window gives the chart at 1024 px, every node's name is inside the plot."""
    chart.resize(760, 560)
    spec = build_chart(ChartKind.NETWORK, shipped, Query(population="MTX-IR"))
    rendered = chart.set_spec(spec)
    qtbot.wait(1)
    inside = rendered.plot.vb.sceneBoundingRect()
    for label in rendered.labels:
        box = label.sceneBoundingRect()
        assert inside.left() <= box.left() and box.right() <= inside.right(), label.toPlainText()

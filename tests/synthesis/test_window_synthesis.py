"""The synthesis in the window: the Options menu sets the pooling, the forest tab draws the diamonds, the
league and network tabs draw what the command line exports, and the compare table gains its rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from viewer.charts.spec import ChartKind
from viewer.domain.synthesis.pairwise import PoolModel, Tau2Method


def test_options_menu_pools_the_forest_and_feeds_the_synthesis_tabs(
    qtbot: Any, make_main_window: Callable[..., Any]
) -> None:
    window = make_main_window()
    window.state.update_query(population="MTX-IR")
    controls = window.controls
    controls.pool["random"].trigger()
    controls.tau2["dl"].trigger()
    controls.hksj.trigger()
    query = window.state.query
    assert (query.pool, query.tau2, query.hksj) == (PoolModel.RANDOM, Tau2Method.DL, True)
    window.chart_pane.show_kind(ChartKind.FOREST)
    forest = window.chart_pane.spec(ChartKind.FOREST)
    assert any(s.style == "diamond" for s in forest.all_series())
    assert any("Hartung–Knapp" in f and "DerSimonian–Laird" in f for f in forest.footnotes)
    for kind in (ChartKind.LEAGUE, ChartKind.NETWORK):
        window.chart_pane.show_kind(kind)
        chart = window.chart_pane.chart(kind)
        assert chart.spec is not None and chart.spec.labels and chart.rendered is not None
    controls.pool[""].trigger()
    assert window.state.query.pool is None
    unpooled = window.chart_pane.spec(ChartKind.FOREST).all_series()
    assert unpooled and not any(s.style == "diamond" for s in unpooled)
    window.state.update_query(population="")
    league = window.chart_pane.spec(ChartKind.LEAGUE)
    assert league.is_empty and league.empty_message.startswith("Not combined")
    controls.combine.trigger()
    assert window.state.query.combine_populations
    assert not window.chart_pane.spec(ChartKind.LEAGUE).is_empty

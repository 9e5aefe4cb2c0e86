"""Chart descriptions of the synthesis on the shipped catalog: pooled forest rows, league table, network
graph, and the population and timepoint rules that decide what may be combined."""

from __future__ import annotations

import math

import pytest

from viewer.charts.evidence_pool import gather
from viewer.charts.forest import build_forest
from viewer.charts.league import LEAGUE_COLUMNS, build_league, league_for_picture, league_rows, synthesise
from viewer.charts.network_graph import (
    NETWORK_COLUMNS,
    SMALLEST_NODE,
    UNLINKED_NOTE,
    GraphEdge,
    GraphNode,
    NetworkGraph,
    build_network_graph,
    network_rows,
    network_spec,
)
from viewer.charts.placement import PLACEMENT_COLUMNS, Fate
from viewer.charts.pooled import POOLED_COLUMNS, SynthesisOptions, pooled_csv_rows, pooled_effects
from viewer.charts.query import Effect, PanelMode, Query
from viewer.charts.spec import ChartKind, Marker
from viewer.charts.table import chart_rows
from viewer.domain.catalog import Catalog
from viewer.domain.synthesis.effect_sizes import two_by_two
from viewer.domain.synthesis.pairwise import PoolMethod, PoolModel, Tau2Method, pool

MTX_IR = Query(population="MTX-IR")


@pytest.fixture(scope="module")
def shipped(shipped_catalog: Catalog) -> Catalog:
    return shipped_catalog


def test_populations_are_not_combined_unless_asked(shipped: Catalog) -> None:
    refused = gather(shipped, Query())
    assert refused.refused.startswith("Not combined: the trials are in different populations (")
    assert "MTX-IR (5 trials)" in refused.refused and "TNF-IR" in refused.refused
    combined = gather(shipped, Query(), combine_populations=True)
    assert not combined.refused and len(combined.populations) > 1
    assert any(c.startswith("Populations combined at the user's request") for c in combined.caveats)


def test_timepoints_far_from_the_common_one_are_left_out_with_the_reason(shipped: Catalog) -> None:
    pool_ = gather(shipped, MTX_IR)
    assert ("ORAL Standard", "read at month 6, not near week 12; choose that timepoint to use it") in pool_.excluded
    assert pool_.timepoints == ("week 12", "month 3")
    at_six = gather(shipped, MTX_IR.with_(timepoint="month 6"))
    assert {t.trial for t in at_six.trials} == {"oral-scan", "oral-standard"}


def test_pooled_diamond_sits_under_its_trials_and_equals_the_pooled_tables(shipped: Catalog) -> None:
    spec = build_forest(shipped, MTX_IR.with_(panels=PanelMode.NONE), pooling=SynthesisOptions())
    labels = [label for _, label in spec.y_ticks]
    at = labels.index("Pooled Baricitinib 4 mg QD (2 trials)")
    assert labels[at - 2 : at] == ["4 mg QD · JADA", "4 mg QD + MTX · RA-BEAM"]  # under the drug's heading
    assert "Baricitinib" in labels[:at]
    diamond = next(s for s in spec.series if s.name == "Baricitinib pooled")
    assert diamond.symbol is Marker.DIAMOND and len(diamond.points) == 1
    yi, vi, _, _ = two_by_two([39, 341], [52, 487], [40, 195], [98, 488], Effect.RD)
    expected = pool(yi, vi)
    assert diamond.points[0].x == pytest.approx(100 * expected.estimate)
    assert diamond.points[0].low == pytest.approx(100 * expected.low)
    assert "REML" in diamond.points[0].tooltip and "I²" in diamond.points[0].tooltip
    assert any(f.startswith("Diamonds: each dose pooled on risk differences, random effects") for f in spec.footnotes)
    assert "Population: MTX-IR." in spec.warnings
    panelled = build_forest(shipped, MTX_IR, pooling=SynthesisOptions())  # the default with several drugs
    bari = next(p for p in panelled.panels if p.title == "Baricitinib")
    in_panel = [label for _, label in bari.y_ticks]
    at = in_panel.index("Pooled Baricitinib 4 mg QD (2 trials)")
    assert in_panel[at - 2 : at] == ["4 mg QD · JADA", "4 mg QD + MTX · RA-BEAM"]  # under its trials
    assert next(s for s in bari.series if s.name == "Baricitinib pooled").points == diamond.points
    plain = build_forest(shipped, MTX_IR.with_(panels=PanelMode.NONE))
    assert len(plain.y_ticks) == len(spec.y_ticks) - 1


def test_pooling_refused_across_populations_keeps_the_trial_rows(shipped: Catalog) -> None:
    spec = build_forest(shipped, Query(), pooling=SynthesisOptions())
    assert spec.all_series() and not any(s.name.endswith(" pooled") for s in spec.all_series())
    assert any(w.startswith("Not combined") for w in spec.warnings)


@pytest.mark.parametrize(
    "method",
    [PoolMethod(), PoolMethod(PoolModel.FIXED), PoolMethod(tau2=Tau2Method.DL, hksj=True)],
    ids=["reml", "fixed", "dl-hksj"],
)
def test_pooled_csv_names_the_method_and_heterogeneity(shipped: Catalog, method: PoolMethod) -> None:
    result = pooled_effects(shipped, MTX_IR.with_(effect=Effect.OR), SynthesisOptions(method=method))
    rows = pooled_csv_rows(result)
    assert rows and all(set(r) == set(POOLED_COLUMNS) for r in rows)
    bari = next(r for r in rows if r["pooled_over"] == "Baricitinib 4 mg QD")
    assert bari["method"] == method.describe() and bari["k_trials"] == 2 and bari["measure"] == "or"
    assert bari["trials"] == "JADA; RA-BEAM" and bari["populations"] == "MTX-IR"
    assert isinstance(bari["estimate"], float) and bari["estimate"] > 1
    if method.model is PoolModel.FIXED:
        assert bari["prediction_low"] is None
    else:
        assert isinstance(bari["prediction_low"], float) and isinstance(bari["i2_percent"], float)
    single = next(r for r in rows if r["pooled_over"] == "Upadacitinib 15 mg QD")
    assert single["k_trials"] == 1 and single["tau2"] is None and "one trial" in str(single["note"])


def test_pooling_across_doses_counts_a_trial_once(shipped: Catalog) -> None:
    result = pooled_effects(shipped, MTX_IR, SynthesisOptions(across_doses=True))
    upa = next(r for r in result.rows if r.group == "Upadacitinib")
    assert upa.trial_ids == ("balance-2", "select-compare")
    assert upa.patients == 50 + 248 + 651 + 651  # BALANCE-II's five doses merged, placebo once


def test_league_table_is_reciprocal_and_carries_the_checks(shipped: Catalog) -> None:
    table = build_league(shipped, MTX_IR.with_(effect=Effect.OR), SynthesisOptions(), approved_only=True)
    assert table.treatments == (
        "placebo", "Upadacitinib 15 mg QD", "Tofacitinib 5 mg BID", "Baricitinib 2 mg QD", "Baricitinib 4 mg QD",
        "Adalimumab 40 mg Q2W",
    )  # fmt: skip
    assert all(table.cells[i][i] == name for i, name in enumerate(table.treatments))
    s = synthesise(shipped, MTX_IR.with_(effect=Effect.OR), SynthesisOptions())
    assert s.network is not None
    pair = s.network.pair("Upadacitinib 15 mg QD", "placebo")
    assert pair is not None
    assert table.cells[1][0] == (
        f"{math.exp(pair.estimate):.2f} ({math.exp(pair.low):.2f} to {math.exp(pair.high):.2f})"
    )
    assert table.cells[0][1].startswith(f"{math.exp(-pair.estimate):.2f}")
    assert any(f.startswith("Inconsistency (design-by-treatment): Q") for f in table.footnotes)
    assert "Population: MTX-IR." in table.warnings
    rows = league_rows(shipped, MTX_IR, SynthesisOptions())
    assert len(rows) == 14 * 13 and all(r["populations"] == "MTX-IR" for r in rows)


def test_league_csv_rows_say_which_pairs_the_drawn_table_leaves_out(shipped: Catalog) -> None:
    drawn = league_for_picture(shipped, MTX_IR, SynthesisOptions())
    assert len(drawn.treatments) == 6 and drawn.footnotes[0].startswith("Shown: placebo, comparators and approved")
    rows = league_rows(shipped, MTX_IR, SynthesisOptions())
    shown = [r for r in rows if r["chart"] == Fate.SHOWN.value]
    assert {(r["first"], r["second"]) for r in shown} == {
        (a, b) for a in drawn.treatments for b in drawn.treatments if a != b
    }
    assert all(r["chart_note"] == "" for r in shown)
    left = [r for r in rows if r["chart"] == Fate.LEFT_OUT.value]
    assert len(left) == 14 * 13 - 6 * 5
    assert {r["chart_note"] for r in left} == {
        "not in the drawn table, which shows placebo, comparators and approved doses (6 of 14 treatments)"
    }
    assert any(r["first"] == "Upadacitinib 24 mg QD" for r in left)
    assert LEAGUE_COLUMNS[-2:] == PLACEMENT_COLUMNS


def test_a_league_small_enough_to_draw_whole_shows_every_pair(shipped: Catalog) -> None:
    query = MTX_IR.with_(drugs=("tofacitinib",))
    assert len(league_for_picture(shipped, query, SynthesisOptions()).treatments) <= 8
    rows = league_rows(shipped, query, SynthesisOptions())
    assert rows and {r["chart"] for r in rows} == {Fate.SHOWN.value}


def test_network_csv_rows_name_the_edges_drawn_between_hollow_nodes() -> None:
    def node(name: str, connected: bool) -> GraphNode:
        return GraphNode(name, "", 0.0, 0.0, "#000000", 1, 100, 10.0, connected, False)

    graph = NetworkGraph(
        "t", (node("placebo", True), node("a", True), node("c", False), node("d", False)),
        (GraphEdge("a", "placebo", 2, 200, 1.0), GraphEdge("c", "d", 1, 100, 1.0)), (), (),
    )  # fmt: skip
    rows = network_rows(graph, "MTX-IR", "")
    assert [(r["chart"], r["chart_note"]) for r in rows] == [("shown", ""), ("shown", UNLINKED_NOTE)]
    assert NETWORK_COLUMNS[-2:] == PLACEMENT_COLUMNS


def test_league_refuses_mixed_populations(shipped: Catalog) -> None:
    table = build_league(shipped, Query(), SynthesisOptions())
    assert table.is_empty and table.empty_message.startswith("Not combined")
    assert league_rows(shipped, Query(), SynthesisOptions()) == []


def test_network_graph_weights_edges_by_trials(shipped: Catalog) -> None:
    graph = build_network_graph(shipped, MTX_IR, SynthesisOptions())
    placebo = graph.node("placebo")
    assert (placebo.x, placebo.y) == (0.0, 0.0) and placebo.trials == 5
    bari4 = next(e for e in graph.edges if {e.first, e.second} == {"Baricitinib 4 mg QD", "placebo"})
    single = next(e for e in graph.edges if {e.first, e.second} == {"Tofacitinib 5 mg BID", "placebo"})
    assert bari4.trials == 2 and bari4.width > single.width
    assert all(n.connected for n in graph.nodes)
    assert graph.footnotes[0].startswith("5 trials, 14 treatments")
    points = {p.label: p for s in network_spec(graph).series for p in s.points if p.label}
    assert points["placebo"].area > points["Upadacitinib 15 mg QD"].area > points["Upadacitinib 3 mg BID"].area
    for n in graph.nodes:  # drawn diameter ∝ size: area grows with patients (size² ∝ a constant + patients)
        assert points[n.name].area == pytest.approx((n.size / SMALLEST_NODE) ** 2)


def test_compare_view_gives_pooled_and_network_estimates_at_approved_doses(shipped: Catalog) -> None:
    from viewer.charts.compare import build_compare

    table = build_compare(shipped, MTX_IR)
    rows = dict(table.text_rows())
    assert table.columns == ("Upadacitinib", "Tofacitinib", "Baricitinib")
    # each row names the population and timepoints its trials were read at (tofacitinib's ORAL trials: month 3)
    pooled = rows["Pooled ACR20 vs placebo, MTX-IR, week 12 / month 3, approved doses (random effects)"]
    assert "Baricitinib 4 mg QD: 2 trials, 1125 patients" in pooled[2]
    # the standard approved dose first (EU 4 mg), then the US 2 mg: a narrow cell's first line is the usual dose
    assert pooled[2].splitlines()[1] == "Baricitinib 4 mg QD: 2 trials, 1125 patients"
    assert "Baricitinib 2 mg QD" in pooled[2].splitlines()[3]
    network = rows[
        "Network ACR20 vs placebo, MTX-IR, week 12 / month 3, approved doses (random effects, 5 trials, 4330 patients)"
    ]
    assert network[2].splitlines()[1] == "Baricitinib 4 mg QD: 2 trials with this dose, 539 patients on it"  # 52+487
    s = synthesise(shipped, MTX_IR, SynthesisOptions())
    assert s.network is not None
    pair = s.network.pair("Upadacitinib 15 mg QD", "placebo")
    assert pair is not None and network[0].startswith(f"{100 * pair.estimate:+.1f}")
    against = rows["Network ACR20: MTX-IR, week 12 / month 3, approved doses against each other"]
    assert "Upadacitinib 15 mg QD vs Tofacitinib 5 mg BID: " in against[0] and "(indirect only)" in against[0]
    assert "Population: MTX-IR." in rows["Caveats across trials"][1]
    refused = dict(build_compare(shipped, Query()).text_rows())
    assert refused["Pooled ACR20 vs placebo, approved doses (random effects)"][0].startswith("not combined")


def test_dose_response_chart_draws_emax_across_trials_when_adjusted(shipped: Catalog) -> None:
    from tests.synthesis.r_reference import dose_trials
    from viewer.charts.build import build_chart
    from viewer.charts.spec import ChartKind
    from viewer.domain.synthesis.dose_response import DoseModel, fit_dose_response

    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, MTX_IR.with_(adjusted=True, emax=True))
    bands = {b.name: b for b in spec.all_bands()}
    upa = bands["Emax across trials · Upadacitinib"]
    fit = fit_dose_response(dose_trials("upadacitinib"), Effect.RD, DoseModel.EMAX)
    assert upa.y[-1] == pytest.approx(100 * fit.predict(upa.x[-1]))
    assert upa.low and all(lo <= y <= hi for lo, y, hi in zip(upa.low, upa.y, upa.high, strict=True))
    assert not bands["Emax across trials · Tofacitinib"].low  # exact fit: no band
    assert any(f.startswith("Upadacitinib: Emax 37.4 pp") for f in spec.footnotes)
    assert "Population: MTX-IR." in spec.warnings
    mixed = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(adjusted=True, emax=True))
    assert not mixed.all_bands() and any(
        f.startswith("Emax across trials not fitted. Not combined") for f in mixed.footnotes
    )


def test_filled_league_cells_keep_dark_text_in_any_theme(shipped: Catalog) -> None:
    """Regression (seen in a dark-theme grab): light-filled cells took the theme's light text and vanished."""
    from viewer.charts.league import FILLED_TEXT, league_for_picture, league_spec

    spec = league_spec(league_for_picture(shipped, MTX_IR, SynthesisOptions()), Effect.RD)
    filled = [label for label in spec.labels if label.fill]
    assert filled and all(label.color == FILLED_TEXT for label in filled)
    assert all(label.color == "" for label in spec.labels if not label.fill)


def test_pooled_csv_rows_say_whether_the_forest_drew_their_diamond(shipped: Catalog) -> None:
    query = MTX_IR.with_(pool=PoolModel.RANDOM, pool_doses=True)
    columns, rows = chart_rows(ChartKind.FOREST, shipped, query)
    assert columns[-2:] == PLACEMENT_COLUMNS
    pooled = {r["pooled_over"]: r for r in rows if r["row_type"] == "pooled"}
    assert (pooled["Upadacitinib"]["k_trials"], pooled["Upadacitinib"]["chart"]) == (2, Fate.SHOWN.value)
    assert (pooled["Baricitinib"]["chart"], pooled["Baricitinib"]["chart_note"]) == (Fate.SHOWN.value, "")
    assert pooled["Tofacitinib"]["k_trials"] == 1 and pooled["Tofacitinib"]["chart"] == Fate.LEFT_OUT.value
    assert pooled["Tofacitinib"]["chart_note"] == "one trial (ORAL Scan): nothing pooled, its arms are its own rows"
    spec = build_forest(shipped, query, pooling=SynthesisOptions(across_doses=True))
    assert "Pooled Tofacitinib (1 trial)" not in [text for _, text in spec.y_ticks]
    refused = chart_rows(ChartKind.FOREST, shipped, Query(pool=PoolModel.RANDOM))[1]
    (note,) = [r for r in refused if r["row_type"] == "pooled"]
    assert note["chart"] == Fate.LEFT_OUT.value and str(note["chart_note"]).startswith("Not combined")


def test_approved_doses_rank_from_the_standard_dose(shipped: Catalog) -> None:
    from viewer.charts.compare_synthesis import dose_rank

    bari, upa = shipped.drugs["baricitinib"], shipped.drugs["upadacitinib"]
    assert [dose_rank(bari, mg) for mg in (4.0, 2.0, 8.0, None)] == [0, 1, 1_000, 1_000]
    assert dose_rank(upa, 15.0) == 0 and dose_rank(upa, 30.0) == 1_000
    assert dose_rank(shipped.drugs["ruxolitinib"], 20.0) == 1_000  # no approved RA dose

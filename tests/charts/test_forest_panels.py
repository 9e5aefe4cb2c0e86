"""The forest plot in panels: one stacked panel per ticked drug on one effect axis (the default with two or
more drugs, ``--panels none`` or the window's toggle for the overlay with drug headings), each titled with
its drug and holding its own rows, text cells and arrowhead values; drawn aligned, a row as tall in every
panel. Specs from the shipped catalog; the drawing read back from the drawn items."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

import viewer.charts.spec as spec_module
from tests.plot.test_render import shown_chart
from viewer.charts.build import build_chart
from viewer.charts.dose_axis import DoseAxis
from viewer.charts.query import Effect, PanelMode, Query
from viewer.charts.spec import ChartKind, PanelLayout, RefLine
from viewer.charts.table import chart_rows
from viewer.domain.catalog import Catalog
from viewer.plot.text import PlainLabel

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


def test_four_drugs_stack_one_panel_each_on_the_overlays_axis(shipped_catalog: Catalog) -> None:
    query = Query(drugs=FOUR, effect=Effect.RR)
    spec = build_chart(ChartKind.FOREST, shipped_catalog, query)
    overlay = build_chart(ChartKind.FOREST, shipped_catalog, replace(query, panels=PanelMode.NONE))
    assert spec.panel_layout is PanelLayout.COLUMN and spec.panel_columns == 1
    assert [p.title for p in spec.panels] == ["Upadacitinib", "Tofacitinib", "Baricitinib", "Filgotinib"]
    assert {p.x_range for p in spec.panels} == {overlay.x_range}  # one effect axis
    assert {p.x_log for p in spec.panels} == {True}
    # every row of the overlay is in its drug's panel, with its own text cells; the headings are the titles
    headings = set(overlay.y_headings)
    overlay_rows = sorted(text for y, text in overlay.y_ticks if y not in headings)
    assert sorted(text for p in spec.panels for _, text in p.y_ticks) == overlay_rows
    for p in spec.panels:
        assert not p.y_headings and all(s.group == p.series[0].group for s in p.series)
        ys = sorted(y for y, _ in p.y_ticks)
        for column in p.text_columns:
            assert sorted(y for y, _ in column.cells) == ys
        lo, hi = p.y_range or (0.0, 0.0)
        assert all(lo < y < hi for y in ys)
        assert not p.legend and not any(s.in_legend for s in p.series)  # the title names the drug
    # the favours labels once, above the first panel's rows; nothing of the overlay is lost
    first = spec.panels[0]
    favours = [" ".join(label.text.split()) for label in first.labels if "favours" in label.text]
    assert favours == ["← favours placebo", "favours drug →"]
    assert not any("favours" in label.text for p in spec.panels[1:] for label in p.labels)
    assert sorted(label.text for p in spec.panels for label in p.labels) == sorted(lb.text for lb in overlay.labels)
    assert spec.footnotes == overlay.footnotes and spec.shown_warnings == overlay.shown_warnings
    # the CSV says the same of every figure, panels or not
    assert chart_rows(ChartKind.FOREST, shipped_catalog, query, spec) == chart_rows(
        ChartKind.FOREST, shipped_catalog, replace(query, panels=PanelMode.NONE), overlay
    )


def test_panels_none_keeps_the_overlay_and_one_drug_needs_no_panel(shipped_catalog: Catalog) -> None:
    overlay = build_chart(ChartKind.FOREST, shipped_catalog, Query(drugs=FOUR, panels=PanelMode.NONE))
    assert not overlay.panels and len(overlay.y_headings) == 4
    single = build_chart(ChartKind.FOREST, shipped_catalog, Query(drugs=("upadacitinib",)))
    assert not single.panels and len(single.y_headings) == 1
    forced = build_chart(ChartKind.FOREST, shipped_catalog, Query(drugs=("upadacitinib",), panels=PanelMode.DRUG))
    assert [p.title for p in forced.panels] == ["Upadacitinib"]


def test_a_ticked_drug_without_rows_keeps_a_panel_saying_why(shipped_catalog: Catalog) -> None:
    query = Query(drugs=("filgotinib", "tofacitinib"), outcome="DAS28-CRP<2.6")
    spec = build_chart(ChartKind.FOREST, shipped_catalog, query)
    filgo, tofa = spec.panels
    assert not filgo.is_empty and tofa.is_empty
    assert tofa.empty_message == "Tofacitinib: no result for 'DAS28-CRP<2.6' in its trials under these filters."
    assert not any("Tofacitinib" in w for w in spec.shown_warnings)  # said once, in its panel


@pytest.mark.parametrize("size", [(1440, 900), (1024, 700)])
def test_stacked_panels_are_drawn_aligned_with_rows_of_one_height(
    qtbot: QtBot, shipped_catalog: Catalog, size: tuple[int, int]
) -> None:
    chart = shown_chart(qtbot)
    chart.resize(*size)
    spec = build_chart(ChartKind.FOREST, shipped_catalog, Query(drugs=FOUR, effect=Effect.RR))
    chart.set_spec(spec)
    qtbot.waitUntil(lambda: not chart._fit_pending, timeout=3000)
    rendered = chart.rendered
    assert rendered is not None and len(rendered.panels) == 4
    boxes = [p.plot.vb.sceneBoundingRect() for p in rendered.panels]
    assert {round(b.left()) for b in boxes} == {round(boxes[0].left())}  # one effect axis, aligned
    assert {round(b.right()) for b in boxes} == {round(boxes[0].right())}
    assert all(a.bottom() < b.top() for a, b in itertools.pairwise(boxes))  # stacked in order
    heights = []
    for p, box in zip(rendered.panels, boxes, strict=True):
        lo, hi = p.spec.placement.y_range
        heights.append(box.height() / (hi - lo))
    assert max(heights) / min(heights) < 1.1  # a row is as tall in every panel
    assert min(heights) >= 14  # and at full size (the chart scrolls instead)
    labels = [p.label_table for p in rendered.panels]
    assert {round(t.total_width) for t in labels} == {round(labels[0].total_width)}
    # the effect axis is titled once, under the last panel and across the whole chart (a title wider than the
    # last plot ran off the page in a journal-column export when it was that plot's axis label)
    assert [p.plot.getAxis("bottom").label.isVisible() for p in rendered.panels] == [False] * 4
    shared = [i for i in rendered.panel_grid.items if isinstance(i, PlainLabel) and i.made_from[0] == spec.x_label]
    assert len(shared) == 1 and shared[0].sceneBoundingRect().top() > boxes[-1].bottom()
    upa = rendered.panels[0]
    assert upa.title is not None and upa.title.made_from[0] == "Upadacitinib"
    assert upa.tooltip_at("Upadacitinib", 0) == spec.panels[0].series[0].points[0].tooltip


def test_a_narrow_chart_leaves_the_same_columns_out_of_every_panel(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.FOREST, shipped_catalog, Query(drugs=FOUR))
    narrow = spec.narrowed(1)
    assert {tuple(c.title for c in p.text_columns) for p in narrow.panels} == {("RD (95% CI)",)}
    assert narrow.footnotes[0].startswith("Column(s) 'n/N vs placebo', 'NNT (95% CI)' left out at this width")


def test_the_window_toggle_switches_the_forest_between_panels_and_the_overlay(
    qtbot: QtBot, make_main_window: Any
) -> None:
    window = make_main_window()
    window.state.update_query(drugs=FOUR)
    pane = window.chart_pane
    pane.show_kind(ChartKind.FOREST)
    chart = pane.chart(ChartKind.FOREST)
    qtbot.waitUntil(lambda: chart.rendered is not None and len(chart.rendered.panels) == 4)
    assert window.controls.panels.isChecked()
    window.controls.panels.setChecked(False)  # "One panel per drug" off: all drugs in one plot
    assert window.state.query.panels is PanelMode.NONE
    qtbot.waitUntil(lambda: chart.rendered is not None and not chart.rendered.panels)
    assert chart.spec is not None and chart.spec.y_headings and not chart.spec.panels  # drug headings instead
    window.controls.panels.setChecked(True)
    qtbot.waitUntil(lambda: chart.rendered is not None and len(chart.rendered.panels) == 4)


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        (ChartKind.FOREST, Query(drugs=FOUR, effect=Effect.RR)),
        (ChartKind.DOSE_RESPONSE, Query(drugs=FOUR, dose_axis=DoseAxis.APPROVED)),  # its 1x labels moved clear
    ],
    ids=["forest", "dose-response-approved"],
)
def test_each_panel_places_its_marks_once(
    shipped_catalog: Catalog, monkeypatch: pytest.MonkeyPatch, kind: ChartKind, query: Query
) -> None:
    """A spec places every mark when it is made: each panel is made once, with its final ranges, text and labels,
    and an approved-dose axis' label is moved clear without placing the panel again."""
    placed: list[str] = []
    place = spec_module.place
    monkeypatch.setattr(spec_module, "place", lambda spec: placed.append(spec.title) or place(spec))
    spec = build_chart(kind, shipped_catalog, query)
    titles = [p.title for p in spec.panels]
    assert len(titles) == 4 and all(placed.count(title) == 1 for title in titles), placed
    if kind is ChartKind.DOSE_RESPONSE:
        assert any(r.label_at != RefLine(1.0, True).label_at for p in spec.panels for r in p.ref_lines)  # one was moved

"""A chart in words: the accessible description, the points list and the drugs a chart leaves unnamed."""

from __future__ import annotations

from dataclasses import replace

from viewer.charts.build import build_chart
from viewer.charts.describe import describe, plotted_points, unnamed
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog


def test_the_description_says_what_the_chart_shows(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query())
    text = describe(spec)
    points = plotted_points(spec)
    assert text.startswith(spec.title)
    assert f"{len(points)} points" in text
    for name in ("Upadacitinib", "Tofacitinib", "Baricitinib"):
        assert name in text
    assert spec.x_label in text and spec.y_label in text
    assert all(f"Warning: {w}" in text for w in spec.shown_warnings)
    low, high = min(p.value for p in points), max(p.value for p in points)
    assert f"Values from {low:.3g} to {high:.3g}" in text


def test_every_marker_is_a_row_with_its_tooltip(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.FOREST, shipped_catalog, Query())
    points = plotted_points(spec)
    markers = [(s.name, p) for s in spec.all_series() for p in s.points]
    assert len(points) == len(markers) > 10
    for row, (name, point) in zip(points, markers, strict=True):
        assert row.series == name and row.details == (point.tooltip or row.details)
        assert row.value == point.x  # the forest plot compares along x
        assert row.mark == point.drawn_mark.value


def test_an_empty_chart_is_described_by_its_reason(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=("ruxolitinib",)))
    assert describe(spec) == f"{spec.title}. Nothing to show. {spec.empty_message}".strip()


def test_a_drug_neither_drawn_nor_named_is_found(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=("tofacitinib", "ruxolitinib")))
    missing = unnamed(spec, ["Tofacitinib", "Ruxolitinib"])
    if missing:  # the chart layer may name it itself; then the window adds nothing
        assert missing == ["Ruxolitinib"]
    named = replace(spec, warnings=(*spec.warnings, "Ruxolitinib: no ACR20 results."))
    assert unnamed(named, ["Tofacitinib", "Ruxolitinib"]) == []

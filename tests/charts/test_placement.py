"""Where the marks of a chart go, decided in the chart layer: log transform, values that cannot be placed,
axis ranges and clamping into arrows. Pure: no Qt."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.domain.minidata import TINY_ARMS_FILES, write_dataset
from viewer.charts.build import build_chart
from viewer.charts.placement import Arrow, Scale, UnplacedReason, auto_range, clamp
from viewer.charts.query import Effect, Query
from viewer.charts.spec import (
    Band,
    ChartKind,
    ChartSpec,
    Marker,
    Orientation,
    Point,
    RefLine,
    Series,
    SeriesStyle,
    TextColumn,
)
from viewer.domain.catalog import Catalog
from viewer.domain.readers.dataset import load_dataset


def spec_of(*series: Series, **fields: object) -> ChartSpec:
    return ChartSpec(ChartKind.DOSE_RESPONSE, "t", "x", "y", series=series, **fields)  # type: ignore[arg-type]


def line(*points: Point, name: str = "drug") -> Series:
    return Series(name, "#0072B2", Marker.CIRCLE, points)


def test_scale_is_log10_and_back() -> None:
    log = Scale(log=True)
    assert log.view(100.0) == 2.0 and log.data(2.0) == pytest.approx(100.0)
    assert not log.placeable(0.0) and not log.placeable(-1.0) and not log.placeable(math.nan)
    assert Scale(log=False).placeable(-1.0) and not Scale(log=False).placeable(math.inf)


def test_values_that_cannot_be_placed_are_listed_and_said() -> None:
    spec = spec_of(line(Point(0.0, 10.0, label="placebo"), Point(1.0, 20.0), Point(10.0, 30.0)), x_log=True)
    placed = spec.placement
    (unplaced,) = placed.unplaced
    assert (unplaced.series, unplaced.label, unplaced.x, unplaced.reason) == (
        "drug",
        "placebo",
        0.0,
        UnplacedReason.NOT_POSITIVE_ON_LOG,
    )
    assert [(p.index, p.x) for p in placed.series[0].points] == [(1, 0.0), (2, 1.0)]
    note = "1 value(s) ≤ 0 cannot be placed on the logarithmic axis and are not shown."
    assert placed.warnings == (note,)
    assert spec.shown_warnings == (note,)


def test_a_value_that_is_not_a_number_is_not_placed_either() -> None:
    spec = spec_of(line(Point(1.0, math.nan), Point(2.0, 3.0)))
    assert [u.reason for u in spec.placement.unplaced] == [UnplacedReason.NOT_FINITE]
    assert spec.shown_warnings == ("1 value(s) are not finite numbers and are not shown.",)


def test_an_empty_chart_says_nothing_about_placement() -> None:
    spec = ChartSpec(ChartKind.FOREST, "t", "x", "y", warnings=("cross-trial",), empty_message="none")
    assert spec.is_empty and spec.shown_warnings == ("cross-trial",)


def test_automatic_range_pads_the_data_and_gives_categories_half_a_slot() -> None:
    assert auto_range([0.0, 10.0], ()) == pytest.approx((-0.6, 10.6))
    assert auto_range([5.0], ()) == pytest.approx((4.5, 5.5))
    assert auto_range([], ()) == pytest.approx((-0.06, 1.06))
    assert auto_range([1.0, 2.0], ((0.0, "a"), (3.0, "b"))) == pytest.approx((-0.5, 3.5))
    spec = spec_of(line(Point(0.0, 0.0, low=-5.0, high=10.0), Point(10.0, 5.0)))
    assert spec.placement.x_range == pytest.approx((-0.6, 10.6))
    assert spec.placement.y_range == pytest.approx((-5.9, 10.9))  # the interval counts, along y


def test_a_fixed_range_is_kept_in_view_coordinates() -> None:
    spec = spec_of(line(Point(2.0, 50.0)), x_log=True, x_range=(1.0, 100.0), y_range=(100.0, 0.0))
    assert spec.placement.x_range == (0.0, 2.0)
    assert spec.placement.y_range == (0.0, 100.0)  # reversed ends are put in order


def test_points_and_interval_ends_beyond_the_range_become_arrows() -> None:
    spec = spec_of(
        line(Point(1.0, 120.0), Point(2.0, 50.0, low=-10.0, high=80.0), Point(3.0, 20.0, low=10.0, high=30.0)),
        y_range=(0.0, 100.0),
    )
    beyond, low_cut, inside = spec.placement.series[0].points
    assert (beyond.y, beyond.arrow) == (100.0, Arrow.UP)
    assert (low_cut.low, low_cut.low_arrow, low_cut.high, low_cut.high_arrow) == (0.0, True, 80.0, False)
    assert inside.arrow is None and not inside.low_arrow and not inside.high_arrow
    assert clamp(-3.0, (0.0, 1.0)) == (0.0, -1) and clamp(0.5, (0.0, 1.0)) == (0.5, 0)


def test_a_horizontal_series_clamps_along_x() -> None:
    row = Point(5.0, 1.0, low=0.5, high=50.0, clipped_low=True)
    series = Series("RR", "#000000", Marker.SQUARE, (row,), SeriesStyle.SCATTER, Orientation.HORIZONTAL)
    spec = ChartSpec(ChartKind.FOREST, "t", "x", "y", series=(series,), x_log=True, x_range=(0.1, 10.0))
    (p,) = spec.placement.series[0].points
    assert p.x == pytest.approx(math.log10(5.0))
    assert p.low == pytest.approx(math.log10(0.5)) and p.low_arrow  # the chart layer's own clip flag
    assert (p.high, p.high_arrow) == (1.0, True)  # beyond the range


def test_a_lower_bound_below_zero_on_a_log_axis_runs_off_the_axis() -> None:
    row = Point(2.0, 1.0, low=0.0, high=4.0)
    series = Series("RR", "#000000", Marker.SQUARE, (row,), SeriesStyle.SCATTER, Orientation.HORIZONTAL)
    spec = ChartSpec(ChartKind.FOREST, "t", "x", "y", series=(series,), x_log=True, x_range=(0.1, 10.0))
    (p,) = spec.placement.series[0].points
    assert (p.low, p.low_arrow) == (-1.0, True)


def test_bands_reference_lines_and_text_cells_are_placed() -> None:
    band = Band(
        "Emax", "#000000", x=(0.0, 10.0, 20.0), y=(5.0, 50.0, 150.0), low=(-5.0, 40.0, 90.0), high=(10, 60, 200)
    )
    spec = spec_of(
        line(Point(10.0, 50.0)),
        bands=(band,),
        y_range=(0.0, 100.0),
        x_log=True,
        ref_lines=(RefLine(0.0, vertical=True), RefLine(1.0, vertical=True)),
        text_columns=(TextColumn("n", ((1.0, "a"), (2.0, "b"))),),
    )
    (placed_band,) = spec.placement.bands
    assert placed_band is not None
    assert placed_band.x == pytest.approx((1.0, math.log10(20.0)))  # x = 0 has no place on the log axis
    assert placed_band.y == (50.0, 100.0) and placed_band.low == (40.0, 90.0) and placed_band.high == (60.0, 100.0)
    assert spec.placement.ref_lines == (None, 0.0)
    assert spec.placement.text_cells == (((1.0, "a"), (2.0, "b")),)


@pytest.fixture
def shipped(shipped_catalog: Catalog) -> Catalog:
    return shipped_catalog


def test_selectivity_bound_is_an_arrow_up_from_the_bound(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.SELECTIVITY, shipped, Query(drugs=("baricitinib",), ic50_raw=True))
    (series,) = spec.series
    (placed,) = spec.placement.series
    k = next(k for k, p in enumerate(placed.points) if series.points[p.index].clipped_high)
    bound = placed.points[k]
    assert bound.low is None and bound.high_arrow
    assert spec.placement.to_data(bound.x, bound.high or 0.0)[1] == pytest.approx(800.0)
    assert not spec.placement.unplaced


def test_forest_intervals_wider_than_the_axis_end_in_arrows(tmp_path: Path) -> None:
    catalog = Catalog.from_datasets([load_dataset(write_dataset(tmp_path, TINY_ARMS_FILES))])
    spec = build_chart(ChartKind.FOREST, catalog, Query(drugs=("testinib",), effect=Effect.OR))
    lo, hi = spec.placement.x_range
    for series, placed in zip(spec.series, spec.placement.series, strict=True):
        for p in placed.points:
            assert lo <= p.x <= hi
            assert p.high is None or lo <= p.high <= hi
            if series.points[p.index].clipped_high:
                assert p.high_arrow and p.high == hi

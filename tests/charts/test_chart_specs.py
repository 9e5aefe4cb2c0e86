"""Chart descriptions built from the shipped catalog and small made-up trials: the numbers behind every
point, whisker, row and footnote, with no Qt involved."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.domain.minidata import FILES, TINY_ARMS_FILES, write_dataset
from viewer.charts.build import build_chart
from viewer.charts.compare import build_compare
from viewer.charts.dose_axis import PLACEBO_GAP
from viewer.charts.forest import build_forest
from viewer.charts.placement import Arrow
from viewer.charts.query import DiffCI, DoseAxis, Effect, PanelMode, Query, RateCI
from viewer.charts.spec import ChartKind, ChartSpec, Marker, Orientation, Series, SeriesStyle
from viewer.charts.sponsor import measure_of
from viewer.charts.table import COLUMNS, chart_rows
from viewer.domain.catalog import Catalog
from viewer.domain.readers.dataset import load_dataset


@pytest.fixture(scope="module")
def shipped(shipped_catalog: Catalog) -> Catalog:
    return shipped_catalog


def series_named(spec: ChartSpec, piece: str) -> Series:
    return next(s for s in spec.all_series() if piece in s.name)


def test_default_dose_response_has_three_drugs_with_placebo_at_zero(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(panels=PanelMode.NONE))
    names = {s.name.split(" · ")[0] for s in spec.all_series() if not s.dashed}  # not the active comparators
    assert names == {"Upadacitinib", "Tofacitinib", "Baricitinib"}
    balance = series_named(spec, "BALANCE-I ")
    assert [p.x for p in balance.points] == [0, 6, 12, 24, 36]
    placebo = balance.points[0]
    assert placebo.y == pytest.approx(100 * 19 / 56)
    assert placebo.low is not None and placebo.high is not None
    assert placebo.low < placebo.y < placebo.high
    assert all(p.hollow for p in balance.points), "BALANCE-I rates are unverified"
    assert spec.y_range == (0.0, 100.0)
    assert "not randomised" in spec.warnings[0]
    assert any(f.startswith("Bars: 95% Wilson CI") for f in spec.footnotes)


def test_tooltip_carries_arm_dose_counts_ci_trial_and_source(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(drugs=("upadacitinib",)))
    tip = series_named(spec, "BALANCE-II ").points[-1].tooltip
    for piece in (
        "Upadacitinib: 18 mg BID, 36 mg/day",
        "31/49",
        "95% CI",
        "BALANCE-II (NCT02066389)",
        "[unverified · recalled]",
    ):
        assert piece in tip


def test_verified_only_hides_unverified_points(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(verified_only=True))
    assert not any(p.hollow for s in spec.all_series() for p in s.points)
    assert not any("BALANCE" in s.name for s in spec.all_series())


def test_adjusted_mode_plots_difference_from_own_placebo(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(drugs=("baricitinib",), adjusted=True))
    build = series_named(spec, "RA-BUILD")
    assert [p.x for p in build.points] == [2, 4]
    # RA-BUILD ACR20: 66% of 229 and 62% of 227 against 39% of 228 (counts derived from percentages)
    assert build.points[0].y == pytest.approx(100 * (151 / 229 - 89 / 228))
    assert spec.y_label.startswith("Difference from placebo")
    assert spec.ref_lines[0].value == 0.0


def test_log_dose_axis_keeps_placebo_beyond_a_break_with_plain_labels(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(dose_axis=DoseAxis.LOG, panels=PanelMode.NONE))
    assert spec.x_log
    balance = series_named(spec, "BALANCE-I ")
    lowest = min(p.x for s in spec.series for p in s.points[1:])
    assert balance.points[0].x == pytest.approx(lowest / PLACEBO_GAP)  # placebo kept, left of the lowest dose
    assert spec.x_ticks[0] == (balance.points[0].x, "placebo")
    assert {label for _, label in spec.x_ticks[1:]} >= {"1", "2", "5", "10", "20"}
    assert all(float(label) == pytest.approx(v) and "e" not in label for v, label in spec.x_ticks[1:])
    (brk,) = [r for r in spec.ref_lines if r.vertical]
    assert balance.points[0].x < brk.value < lowest
    assert any("left of the break" in f for f in spec.footnotes)
    assert not spec.placement.unplaced


def test_forest_rows_columns_and_clipping(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.FOREST, shipped, Query(effect=Effect.OR, diff_ci=DiffCI.WALD, panels=PanelMode.NONE))
    assert spec.x_log
    assert spec.ref_lines[0].value == 1.0
    rows = [p for s in spec.all_series() for p in s.points]
    assert len(rows) == len(spec.y_ticks) - len(spec.y_headings) == len(spec.text_columns[0].cells)
    lo, hi = spec.x_range or (0, 0)
    assert all(lo <= p.low <= p.high <= hi for p in rows if p.low is not None and p.high is not None)
    assert [c.title for c in spec.text_columns] == ["OR (95% CI)", "n/N vs placebo", "NNT (95% CI)"]
    # An estimate beyond the axis keeps its value: an arrowhead stands for it and the value is printed.
    beyond = [p for p in rows if not lo <= p.x <= hi]
    printed = {(label.y, label.text.strip("\u2003")) for label in spec.labels}
    assert all((p.y, f"{p.x:.0f}" if p.x >= 100 else f"{p.x:.1f}") in printed for p in beyond if p.x > hi)


def test_forest_reads_as_reviewers_expect(shipped: Catalog) -> None:
    """Favours labels on both sides of no effect, rows grouped under a heading per drug, squares by n."""
    drugs = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")
    spec = build_chart(ChartKind.FOREST, shipped, Query(drugs=drugs, effect=Effect.RR, panels=PanelMode.NONE))
    left, right = spec.labels[:2]
    assert (" ".join(left.text.split()), left.x, left.anchor[0]) == ("← favours placebo", 1.0, 1.0)
    assert (" ".join(right.text.split()), right.x, right.anchor[0]) == ("favours drug →", 1.0, 0.0)
    headings = {y: text for y, text in spec.y_ticks if y in spec.y_headings}
    assert sorted(headings.values()) == sorted(shipped.drugs[d].name for d in drugs)
    by_y = dict(spec.y_ticks)
    for series in spec.series:  # every row sits below its own drug's heading, before the next heading
        above = [y for y in spec.y_headings if y > max(p.y for p in series.points)]
        assert by_y[min(above)] == series.name
    points = [p for s in spec.series for p in s.points]
    assert len({p.area for p in points}) > 3  # areas differ with n
    effect = dict(spec.text_columns[0].cells)
    sample = points[0]
    assert effect[sample.y].startswith(f"{sample.x:.2f} (")
    lo, hi = spec.x_range or (0, 0)
    assert lo in (0.1, 0.2, 0.5) and hi in (2, 5, 10, 20, 50, 100)  # the axis ends on a labelled value


def test_forest_of_a_harm_swaps_the_favours_labels(shipped: Catalog) -> None:
    spec = build_forest(shipped, Query(effect=Effect.RR, panels=PanelMode.NONE), adverse=True)
    assert not spec.is_empty
    assert [" ".join(label.text.split()) for label in spec.labels[:2]] == ["← favours drug", "favours placebo →"]


def test_forest_names_a_ticked_drug_without_rows(shipped: Catalog) -> None:
    query = Query(drugs=("filgotinib", "tofacitinib"), outcome="DAS28-CRP<2.6", panels=PanelMode.NONE)
    spec = build_chart(ChartKind.FOREST, shipped, query)
    assert [s.name for s in spec.series] == ["Filgotinib"]
    assert "Tofacitinib: not on this chart (no result for 'DAS28-CRP<2.6' in its trials under these filters)." in (
        spec.shown_warnings
    )


def test_forest_clips_wide_intervals_to_arrows(tmp_path: Path) -> None:
    catalog = Catalog.from_datasets([load_dataset(write_dataset(tmp_path, TINY_ARMS_FILES))])
    spec = build_chart(ChartKind.FOREST, catalog, Query(drugs=("testinib",), effect=Effect.OR))
    wide = next(p for s in spec.all_series() for p in s.points if "20 mg" in p.label)
    assert wide.clipped_high
    assert "0.5 added to every cell" in wide.tooltip


def test_no_placebo_gives_a_reason_not_an_effect(tmp_path: Path) -> None:
    arms = "\n".join(line for line in FILES["arms.csv"].splitlines() if "placebo" not in line) + "\n"
    results = "\n".join(line for line in FILES["results.csv"].splitlines() if "t1-pbo" not in line) + "\n"
    events = FILES["adverse_events.csv"].splitlines()[0] + "\n"
    ds = load_dataset(write_dataset(tmp_path, {"arms.csv": arms, "results.csv": results, "adverse_events.csv": events}))
    catalog = Catalog.from_datasets([ds])
    spec = build_chart(ChartKind.FOREST, catalog, Query(drugs=("testinib",)))
    assert spec.is_empty
    assert "no placebo arm in this trial" in spec.empty_message
    _, rows = chart_rows(ChartKind.FOREST, catalog, Query(drugs=("testinib",)))
    assert rows[0]["rd"] is None
    assert rows[0]["nnt_ci"] == "no placebo arm in this trial"


def test_two_placebo_groups_are_pooled_and_named(tmp_path: Path) -> None:
    arms = FILES["arms.csv"] + "t1-pbo2,t1,placebo,,Placebo 2,,,,0,50,S1,verified,\n"
    results = FILES["results.csv"] + "t1,t1-pbo2,ACR20,week 12,20,,,S1,verified,\n"
    catalog = Catalog.from_datasets([load_dataset(write_dataset(tmp_path, {"arms.csv": arms, "results.csv": results}))])
    _, rows = chart_rows(ChartKind.DOSE_RESPONSE, catalog, Query(drugs=("testinib",)))
    assert {r["placebo_arm"] for r in rows} == {"pooled: Placebo + Placebo 2"}
    assert {(r["placebo_responders"], r["placebo_n"]) for r in rows} == {(50, 150)}


def test_csv_rows_have_the_columns_and_balance_arms(shipped: Catalog) -> None:
    columns, rows = chart_rows(ChartKind.DOSE_RESPONSE, shipped, Query(drugs=("upadacitinib",)))
    assert columns == (*COLUMNS[:-2], "x", "dose_axis", *COLUMNS[-2:])
    assert COLUMNS[:29] == (
        "drug",
        "trial",
        "nct",
        "population",
        "arm",
        "dose",
        "daily_dose_mg",
        "outcome",
        "timepoint",
        "responders",
        "n",
        "rate",
        "rate_ci_low",
        "rate_ci_high",
        "placebo_responders",
        "placebo_n",
        "rd",
        "rd_ci_low",
        "rd_ci_high",
        "rr",
        "rr_ci_low",
        "rr_ci_high",
        "or",
        "or_ci_low",
        "or_ci_high",
        "nnt",
        "nnt_ci",
        "derived",
        "source",
    )
    balance2 = {r["arm"]: r for r in rows if r["trial"] == "BALANCE-II"}
    assert len(balance2) == 5
    assert (balance2["12 mg BID"]["responders"], balance2["12 mg BID"]["n"]) == (40, 50)
    assert balance2["12 mg BID"]["rate"] == pytest.approx(0.8)
    assert balance2["12 mg BID"]["derived"] == "yes"
    assert balance2["12 mg BID"]["level"] == "unverified"


def test_tolerability_uses_adverse_events(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.TOLERABILITY, shipped, Query(drugs=("upadacitinib",), ae_term="herpes zoster"))
    sunrise = series_named(spec, "SELECT-SUNRISE")
    assert [p.x for p in sunrise.points] == [0, 7.5, 15, 30]
    assert sunrise.points[-1].y == pytest.approx(6.0)
    assert "herpes zoster" in spec.title.lower()
    assert spec.y_range == (0.0, 20.0)


def test_selectivity_is_log_scale_with_assays(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.SELECTIVITY, shipped, Query(drugs=("baricitinib",), ic50_raw=True))
    assert spec.y_log
    (bari,) = spec.all_series()
    values = {round(p.x): (p.y, p.clipped_high) for p in bari.points}
    assert values[0] == (5.9, False)
    assert values[2] == (400.0, True)
    bound = next(p for p in bari.points if p.clipped_high)
    assert (bound.low, bound.high) == (None, 800.0)  # '>400 nM' drawn as an arrow up from the bound
    assert ">400 nM" in bound.tooltip
    assert spec.footnotes[0].startswith("Assays: Baricitinib:")


def test_empty_selection_explains_itself(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(drugs=("ruxolitinib",)))
    assert spec.is_empty
    assert "No ACR20 figures for Ruxolitinib" in spec.empty_message


def test_compare_table_has_a_column_per_drug(shipped: Catalog) -> None:
    table = build_compare(shipped, Query())
    assert table.columns == ("Upadacitinib", "Tofacitinib", "Baricitinib")
    rows = dict(table.text_rows())
    assert "5.9 nM" in rows["Selectivity (IC50)"][2]
    effects = table.row("ACR20 vs placebo").cells
    assert all(cell.summary[2:].startswith("+") for cell in effects)  # after the evidence mark
    assert "Serious infections" in rows["Boxed warning"][0]


def test_emax_band_on_balance_trials(shipped: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(drugs=("upadacitinib",), emax=True))
    balance = next(b for b in spec.bands if "BALANCE-II" in b.name)
    assert balance.low and balance.high
    assert all(lo <= y <= hi for lo, y, hi in zip(balance.low, balance.y, balance.high, strict=True))
    assert all(0 <= v <= 100 and math.isfinite(v) for v in balance.y)


@pytest.mark.parametrize("effect", list(Effect))
@pytest.mark.parametrize("diff_ci", list(DiffCI))
def test_forest_names_the_measure_and_its_interval_method(shipped: Catalog, effect: Effect, diff_ci: DiffCI) -> None:
    """Axis, footnote and every tooltip name the measure and the method from the one vocabulary."""
    spec = build_chart(ChartKind.FOREST, shipped, Query(effect=effect, diff_ci=diff_ci))
    method = effect.interval or diff_ci
    assert spec.x_label == f"{effect.label} vs placebo ({effect.scale})"
    assert any((f.startswith(effect.label) and f"95% {method.label} CI" in f) or f"95% CI {method.label}" in f
               for f in spec.footnotes)  # fmt: skip
    points = [p for s in spec.all_series() for p in s.points]
    assert points and all(f"; {method.label})" in p.tooltip for p in points)
    assert all(f"\n{effect.abbreviation} " in p.tooltip for p in points)


@pytest.mark.parametrize("rate_ci", list(RateCI))
@pytest.mark.parametrize("diff_ci", list(DiffCI))
def test_dose_response_and_csv_name_the_chosen_methods(shipped: Catalog, rate_ci: RateCI, diff_ci: DiffCI) -> None:
    query = Query(drugs=("upadacitinib",), rate_ci=rate_ci, diff_ci=diff_ci)
    absolute = build_chart(ChartKind.DOSE_RESPONSE, shipped, query)
    adjusted = build_chart(ChartKind.DOSE_RESPONSE, shipped, query.with_(adjusted=True))
    assert any(f.startswith(f"Bars: 95% {rate_ci.label} CI") for f in absolute.footnotes)
    assert any(f"bars: 95% {diff_ci.label} CI" in f for f in adjusted.footnotes)
    assert all(f"({rate_ci.label})" in p.tooltip for s in absolute.series for p in s.points if p.low is not None)
    _, rows = chart_rows(ChartKind.DOSE_RESPONSE, shipped, query)
    assert {r["rate_ci_method"] for r in rows if r["rate_ci_low"] is not None} == {rate_ci.value}
    assert {r["rd_ci_method"] for r in rows if r["rd"] is not None} == {diff_ci.value}


@pytest.mark.parametrize(
    ("param_type", "effect"),
    [("Odds Ratio (OR)", Effect.OR), ("Relative Risk", Effect.RR), ("Risk Difference (RD)", Effect.RD),
     ("Difference in percentages", Effect.RD), ("Mean Difference (Final Values)", None)],
)  # fmt: skip
def test_a_sponsor_parameter_type_names_its_effect(param_type: str, effect: Effect | None) -> None:
    assert measure_of(param_type) is effect


def test_dose_response_draws_three_evidence_marks_with_legend_entries(shipped: Catalog) -> None:
    """Tofacitinib's Fleischmann 2012 (PubMed abstract), ORAL Solo (label on a mirror), Kremer 2012 (recalled)."""
    from viewer.charts.spec import Mark

    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped, Query(drugs=("tofacitinib",)))
    marks = {p.mark for s in spec.all_series() for p in s.points}
    assert marks == {Mark.PRIMARY, Mark.SECONDARY, Mark.RECALLED}
    legend = {e.label: e.mark for e in spec.legend if e.mark is not None}
    assert legend == {
        "primary source": Mark.PRIMARY, "secondary source": Mark.SECONDARY, "recalled (unverified)": Mark.RECALLED,
    }  # fmt: skip
    fleischmann = series_named(spec, "Fleischmann 2012")
    assert {p.mark for p in fleischmann.points[1:]} >= {Mark.PRIMARY}
    assert any(f.startswith("Marks: filled = read in a primary source") for f in spec.footnotes)
    assert any(f.startswith("Evidence: ") and "recalled" in f for f in spec.footnotes)


def test_an_estimate_beyond_the_axis_is_an_arrow_with_its_value_printed() -> None:
    from viewer.charts.forest_layout import clipped_value_labels
    from viewer.charts.spec import Point

    (label,) = clipped_value_labels(Point(x=169.0, y=3.0, low=20.0, high=100.0), (0.2, 100.0), ratio=True)
    assert (label.x, label.y, label.text.strip("\u2003"), label.anchor) == (100.0, 3.0, "169", (1.0, 0.5))
    assert clipped_value_labels(Point(x=50.0, y=3.0), (0.2, 100.0), ratio=True) == []
    spec = ChartSpec(ChartKind.FOREST, "t", "OR", "", series=(
        Series("d", "#0072B2", Marker.SQUARE, (Point(x=169.0, y=1.0, low=20.0, high=100.0, clipped_high=True),),
               style=SeriesStyle.SCATTER, orientation=Orientation.HORIZONTAL),
    ), x_log=True, x_range=(0.2, 100.0), y_range=(0.5, 1.5))  # fmt: skip
    (placed,) = spec.placement.series[0].points
    assert placed.arrow is Arrow.RIGHT and placed.x == 2.0  # log10(100): on the edge, not a square at 100

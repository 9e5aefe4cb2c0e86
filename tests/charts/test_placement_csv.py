"""What a chart did with each figure reaches its CSV: shown, shown as an arrow, or left out, and why.

The placement decisions (log transform, values that cannot be placed, clamping into arrows, the axis range)
are made once in the chart layer; these tests export real CSVs through the command line and parse them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.domain.minidata import FILES, TINY_ARMS_FILES, write_dataset
from viewer.charts.panels import PanelGroup, split_panels
from viewer.charts.placement import Fate, LeftOut, PointFate
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec, Marker, Point, Series
from viewer.charts.table import PLACEMENT_COLUMNS, chart_rows
from viewer.cli import build_parser, run_command
from viewer.domain.catalog import Catalog

FATES = {f.value for f in Fate}


def export_csv(tmp_path: Path, *args: str) -> list[dict[str, str]]:
    """Run ``drug-viewer export ... -o out.csv`` in-process and parse the file it wrote."""
    out_path = tmp_path / "out.csv"
    err = io.StringIO()
    code = run_command(build_parser().parse_args(["export", *args, "-o", str(out_path)]), io.StringIO(), err)
    assert code == 0, err.getvalue()
    with out_path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def row_of(rows: list[dict[str, str]], arm: str) -> dict[str, str]:
    return next(r for r in rows if r["arm"] == arm)


def test_an_interval_clamped_into_an_arrow_says_so_in_the_csv(tmp_path: Path) -> None:
    """Three patients an arm: the odds ratio's interval runs past the forest's axis and ends in an arrow."""
    data = write_dataset(tmp_path / "data", TINY_ARMS_FILES)
    rows = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", "--chart", "forest", "--effect", "or")
    wide = row_of(rows, "20 mg QD")
    assert wide["chart"] == Fate.ARROW.value
    assert "upper end" in wide["chart_note"] and "arrowhead" in wide["chart_note"]
    assert float(wide["or_ci_high"]) > 100  # the CSV keeps the whole interval the chart could not show


def test_a_dose_that_cannot_sit_on_a_log_axis_is_left_out_with_the_reason(tmp_path: Path) -> None:
    arms = FILES["arms.csv"] + "t1-0,t1,drug,testinib,0 mg (run-in),0,mg,QD,0,100,S1,verified,\n"
    results = FILES["results.csv"] + "t1,t1-0,ACR20,week 12,31,,,S1,verified,\n"
    data = write_dataset(tmp_path / "data", {"arms.csv": arms, "results.csv": results})
    rows = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", "--dose-axis", "log")
    zero = row_of(rows, "0 mg (run-in)")
    assert zero["chart"] == Fate.LEFT_OUT.value
    axis = "Daily dose (mg/day, log scale; placebo left of the break)"
    assert zero["chart_note"] == f"0 cannot be placed on the logarithmic axis ({axis})"
    assert {row_of(rows, a)["chart"] for a in ("10 mg QD", "20 mg QD")} == {Fate.SHOWN.value}
    linear = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", "--dose-axis", "linear")
    assert row_of(linear, "0 mg (run-in)")["chart"] == Fate.SHOWN.value


def test_arms_the_builder_does_not_draw_are_left_out_with_the_reason(tmp_path: Path) -> None:
    arms = FILES["arms.csv"] + "t1-kg,t1,drug,testinib,2 mg/kg,2,mg/kg,QD,,100,S1,verified,\n"
    results = FILES["results.csv"] + "t1,t1-kg,ACR20,week 12,40,,,S1,verified,\n"
    data = write_dataset(tmp_path / "data", {"arms.csv": arms, "results.csv": results})
    rows = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", "--adjusted")
    per_kg = row_of(rows, "2 mg/kg")
    assert per_kg["chart"] == Fate.LEFT_OUT.value
    assert per_kg["chart_note"] == "no comparable daily dose: dose per body size (2 mg/kg)"
    assert row_of(rows, "20 mg QD")["chart"] == Fate.SHOWN.value
    forest = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", "--chart", "forest")
    assert row_of(forest, "2 mg/kg")["chart"] == Fate.SHOWN.value  # the forest plot needs no dose


def test_selectivity_rows_name_the_values_the_chart_leaves_out(tmp_path: Path) -> None:
    drug = FILES["drugs/testinib.toml"] + (
        '\n[[selectivity]]\ntarget = "JAK2"\nic50_nm = 40.0\nqualifier = ">"\nassay = "cellular"\nsource = "S1"\n'
        'level = "unverified"\n'
    )
    data = write_dataset(tmp_path / "data", {"drugs/testinib.toml": drug})
    raw = ("--chart", "selectivity", "--ic50-raw")
    rows = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", *raw)
    assert [(r["target"], r["chart"]) for r in rows] == [("JAK1", "shown"), ("JAK2", "shown as an arrow")]
    assert (
        rows[1]["chart_note"]
        == "the interval's upper end continues beyond what is drawn: an arrowhead instead of a cap"
    )
    rows = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", *raw, "--verified-only")
    assert [(r["target"], r["chart"]) for r in rows] == [("JAK1", "shown"), ("JAK2", "left out")]
    assert rows[1]["chart_note"] == "not verified ('verified figures only' is on)"
    folds = export_csv(tmp_path, "--data", str(data), "--drug", "testinib", "--chart", "selectivity")
    assert [(r["target"], r["chart"]) for r in folds] == [("JAK1", "left out"), ("JAK2", "left out")]
    assert folds[0]["chart_note"] == "JAK1 is the reference of the folds (1-fold)"
    assert folds[1]["chart_note"] == "no JAK1 IC50 from the same assay, so no fold"  # cellular vs enzyme


@pytest.mark.parametrize(
    "kind", [ChartKind.DOSE_RESPONSE, ChartKind.FOREST, ChartKind.TOLERABILITY, ChartKind.SELECTIVITY]
)
@pytest.mark.parametrize("adjusted", [False, True])
def test_every_row_of_the_shipped_charts_has_a_fate_and_a_reason_when_not_plainly_shown(
    shipped_catalog: Catalog, kind: ChartKind, adjusted: bool
) -> None:
    query = Query(adjusted=adjusted, drugs=("upadacitinib", "tofacitinib", "baricitinib", "filgotinib"))
    columns, rows = chart_rows(kind, shipped_catalog, query)
    assert columns[-2:] == PLACEMENT_COLUMNS
    assert rows
    for row in rows:
        assert row["chart"] in FATES
        assert (row["chart"] == Fate.SHOWN.value) == (row["chart_note"] == ""), row
        assert row["chart_note"] != "not drawn on this chart", row  # every omission has its builder's reason


def test_a_point_beyond_a_fixed_range_is_an_arrow_naming_the_range() -> None:
    points = (Point(1.0, 50.0, key=("in",)), Point(2.0, 250.0, key=("beyond",)), Point(3.0, -1.0, key=("neg",)))
    spec = ChartSpec(
        ChartKind.DOSE_RESPONSE, "t", "dose", "rate (%)",
        series=(Series("s", "#0072B2", Marker.CIRCLE, points),), y_range=(0.0, 100.0), y_log=False,
    )  # fmt: skip
    assert spec.placement.fate(("in",)) == PointFate(Fate.SHOWN)
    beyond = spec.placement.fate(("beyond",))
    assert beyond is not None and beyond.fate is Fate.ARROW
    assert beyond.reason == "250 lies beyond the axis range 0 to 100 (rate (%)): an arrowhead at the up edge"
    assert spec.placement.fate(("unknown",)) is None


def test_a_chart_split_into_panels_keeps_each_figures_fate() -> None:
    a = Series("A", "#0072B2", Marker.CIRCLE, (Point(1.0, 50.0, key=("a",)), Point(2.0, 250.0, key=("a2",))), group="a")
    b = Series("B", "#E69F00", Marker.CIRCLE, (Point(1.0, 40.0, key=("b",)),), group="b")
    overlay = ChartSpec(
        ChartKind.DOSE_RESPONSE, "t", "dose", "rate (%)", series=(a, b), y_range=(0.0, 100.0),
        left_out=(LeftOut(("c",), "no comparable daily dose: no dose stated"),),
    )  # fmt: skip
    spec = split_panels(overlay, [PanelGroup("a", "A"), PanelGroup("b", "B")])
    assert spec.panels and not spec.series
    assert spec.fate(("a",)) == spec.fate(("b",)) == PointFate(Fate.SHOWN)
    fate = spec.fate(("a2",))
    assert fate is not None and fate.fate is Fate.ARROW
    assert spec.fate(("c",)) == PointFate(Fate.LEFT_OUT, "no comparable daily dose: no dose stated")

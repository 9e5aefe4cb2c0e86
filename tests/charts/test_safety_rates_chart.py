"""The patient-year safety-rate chart: each group beside its own analysis' comparator, marked by its evidence."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.domain.minidata import FILES, write_dataset
from viewer.charts.query import Query
from viewer.charts.safety_rates import (
    COMPARATOR_SERIES,
    CROSS_ANALYSIS_WARNING,
    HR_IN_FOOTNOTES,
    NOT_VERIFIED,
    build_safety_rates,
    safety_rate_rows,
)
from viewer.charts.spec import ChartKind, Mark
from viewer.cli import build_parser, run_command
from viewer.domain.catalog import Catalog
from viewer.domain.readers.dataset import load_dataset
from viewer.query_rules import QueryError, QueryField
from viewer.session import Session

SOURCES = FILES["sources.csv"] + "S2,Review R et al. 2021,review,,,,,Table 3,\n"
RATES = (
    "analysis,trial,drug,group,role,daily_dose_mg,term,events,patient_years,rate,rate_low,rate_high,period,"
    "source,level,note\n"
    "Analysis A,,testinib,Testinib 10 mg,drug,10,MACE,30,1000,3.0,,,week 52,S1,verified,\n"
    "Analysis A,,,Placebo,placebo,0,MACE,12,800,1.5,,,week 52,S1,verified,\n"
    "Analysis B,,testinib,Testinib 20 mg,drug,20,MACE,,,4.0,3.0,5.0,,S2,secondary,\n"
    "Analysis A,,testinib,Testinib 10 mg,drug,10,VTE,2,1000,,,,week 52,S1,verified,\n"
)
HAZARDS = (
    "trial,term,group,drug,comparator,hr,low,high,source,level,note\n"
    "t1,MACE,Testinib 10 mg,testinib,Placebo,1.9,1.1,3.2,S1,verified,\n"
)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    root = write_dataset(
        tmp_path / "ds", {"sources.csv": SOURCES, "safety_rates.csv": RATES, "hazard_ratios.csv": HAZARDS}
    )
    return Catalog.from_datasets([load_dataset(root)])


def test_each_analysis_lists_its_groups_then_its_comparator(catalog: Catalog) -> None:
    spec = build_safety_rates(catalog, Query(drugs=("testinib",), safety_term="MACE"))
    assert spec.kind is ChartKind.SAFETY_RATES
    labels = [text for _y, text in sorted(spec.y_ticks, reverse=True)]
    assert labels == ["Analysis A", "Testinib 10 mg", "Placebo", "Analysis B", "Testinib 20 mg"]
    headings = dict(spec.y_ticks)
    assert [headings[y] for y in sorted(spec.y_headings, reverse=True)] == ["Analysis A", "Analysis B"]
    assert spec.warnings == (CROSS_ANALYSIS_WARNING,)
    drug, comparator = spec.series
    assert [p.x for p in drug.points] == [3.0, 4.0] and [p.x for p in comparator.points] == [1.5]
    # printed rate with no printed interval: ours from events and patient-years (R: poisson.test(30, 1000))
    ten = drug.points[0]
    assert (ten.low, ten.high) == pytest.approx((2.02408740214, 4.28268653948), rel=1e-10)
    assert (drug.points[1].low, drug.points[1].high) == (3.0, 5.0)  # as printed
    assert "Comparator: Placebo: Placebo" in ten.tooltip and "[verified · article]" in ten.tooltip
    (column,) = spec.text_columns
    versus = dict(column.cells)
    assert versus[ten.y] == "2.00 (0.99–4.29)"  # R: poisson.test(c(30, 12), c(1000, 800))
    assert versus[comparator.points[0].y] == "ref." and versus[drug.points[1].y] == "–"
    assert "Against it: RR 2.00 (0.99 to 4.29); RD +1.50 (+0.13 to +2.87) per 100 PY" in ten.tooltip
    assert any("Hazard ratio, TEST-1: Testinib 10 mg vs Placebo 1.9 (95% CI 1.1 to 3.2)" in f for f in spec.footnotes)


def test_the_three_evidence_marks_and_their_legend(catalog: Catalog) -> None:
    spec = build_safety_rates(catalog, Query(drugs=("testinib",), safety_term="MACE"))
    marks = [p.drawn_mark for s in spec.series for p in s.points]
    assert marks.count(Mark.SECONDARY) == 1 and marks.count(Mark.PRIMARY) == 2
    legend = {e.label: e.mark for e in spec.legend}
    assert legend[Mark.SECONDARY.label] is Mark.SECONDARY
    assert any("2 verified (article 2); 1 secondary (review 1)" in f for f in spec.footnotes)
    assert any("[review]" in f for f in spec.footnotes)
    verified = build_safety_rates(catalog, Query(drugs=("testinib",), safety_term="MACE", verified_only=True))
    assert [t for _y, t in sorted(verified.y_ticks, reverse=True)] == ["Analysis A", "Testinib 10 mg", "Placebo"]
    assert not verified.warnings


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of '#RRGGBB'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_comparators_read_on_both_chart_backgrounds(catalog: Catalog) -> None:
    """The comparators' grey keeps WCAG's 3:1 non-text contrast on the light and the dark chart background."""
    spec = build_safety_rates(catalog, Query(drugs=("testinib",), safety_term="MACE"))
    (comparators,) = [s for s in spec.series if s.name == COMPARATOR_SERIES]
    for background in ("#FFFFFF", "#1E1F22"):  # viewer.plot.style LIGHT and DARK
        high, low = sorted((_luminance(comparators.color), _luminance(background)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 3.0, background


def test_a_rate_from_events_alone_gets_the_exact_interval(catalog: Catalog) -> None:
    spec = build_safety_rates(catalog, Query(drugs=("testinib",), safety_term="VTE"))
    (point,) = spec.series[0].points
    assert point.x == pytest.approx(0.2)
    # R: poisson.test(2, 1000)
    assert (point.low, point.high) == pytest.approx((0.0242209278544, 0.7224687667724), rel=1e-10)
    assert "Garwood exact" in point.tooltip


def test_rows_name_the_comparator_and_the_hazard_ratio(catalog: Catalog) -> None:
    columns, rows = safety_rate_rows(catalog, Query(drugs=("testinib",), safety_term="MACE"))
    assert set(columns) >= {"level", "source_kind", "rate_per_100py", "rate_ratio", "comparator", "hazard_ratio"}
    by_group = {(r["measure"], r["group"]): r for r in rows}
    ten = by_group[("rate per 100 patient-years", "Testinib 10 mg")]
    assert ten["comparator"] == "Placebo" and ten["comparator_events"] == 12
    assert ten["rate_ratio"] == pytest.approx(2.0) and ten["rate_ratio_method"] == "exact conditional"
    assert by_group[("rate per 100 patient-years", "Testinib 20 mg")]["source_kind"] == "review"
    hr = by_group[("hazard ratio", "Testinib 10 mg")]
    assert (hr["hazard_ratio"], hr["hazard_ratio_ci_low"], hr["hazard_ratio_ci_high"]) == (1.9, 1.1, 3.2)
    assert {r["chart"] for r in rows if r["measure"] != "hazard ratio"} == {"shown"}
    assert (hr["chart"], hr["chart_note"]) == ("shown", HR_IN_FOOTNOTES)


def test_rows_name_what_verified_only_leaves_out(catalog: Catalog) -> None:
    """A rate kept off the chart is still a CSV row, saying why (as every chart's CSV does)."""
    _columns, rows = safety_rate_rows(catalog, Query(drugs=("testinib",), safety_term="MACE", verified_only=True))
    fates = {r["group"]: (r["chart"], r["chart_note"]) for r in rows if r["measure"] != "hazard ratio"}
    assert fates == {
        "Testinib 10 mg": ("shown", ""), "Placebo": ("shown", ""), "Testinib 20 mg": ("left out", NOT_VERIFIED),
    }  # fmt: skip


def test_the_session_says_why_a_safety_query_is_empty(tmp_path: Path, catalog: Catalog) -> None:
    session = Session()
    session.load([write_dataset(tmp_path / "s", {"sources.csv": SOURCES, "safety_rates.csv": RATES})])
    query = session.query.with_(drugs=("testinib",), safety_term="death")
    with pytest.raises(QueryError) as info:
        session.chart(ChartKind.SAFETY_RATES, query)
    (problem,) = info.value.problems
    assert problem.field is QueryField.SAFETY_TERM and problem.offered == ("MACE", "VTE")
    only_verified = query.with_(safety_term="MACE", verified_only=True)
    assert session.validate(only_verified, ChartKind.SAFETY_RATES) == []


SHIPPED_DRUGS = ("--drug", "upadacitinib", "--drug", "tofacitinib", "--drug", "baricitinib", "--drug", "filgotinib")


def main(argv: list[str]) -> int:
    return run_command(build_parser().parse_args(argv), io.StringIO(), io.StringIO())


def test_cli_exports_the_shipped_rates_as_csv_and_pictures(tmp_path: Path) -> None:
    out = tmp_path / "malignancy.csv"
    args = ["export", "--chart", "safety-rates", "--safety-term", "malignancy excluding NMSC", *SHIPPED_DRUGS]
    assert main([*args, "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tofa = [r for r in rows if r["group"] == "Tofacitinib 5 mg BID (N=1455)"]
    (rate,) = [r for r in tofa if r["measure"] == "rate per 100 patient-years"]
    assert rate["comparator"] == "TNF inhibitor (N=1451)" and rate["level"] == "verified"
    assert rate["source_kind"] == "article" and rate["rate_ci_method"] == "as printed"
    # R: poisson.test(c(62, 42), c(5491, 5482)) -> 1.47377093252 (0.980285272403 to 2.235225942454)
    assert float(rate["rate_ratio"]) == pytest.approx(1.47377093252, rel=1e-10)
    assert float(rate["rate_ratio_ci_low"]) == pytest.approx(0.980285272403, rel=1e-9)
    assert float(rate["rate_ratio_ci_high"]) == pytest.approx(2.235225942454, rel=1e-9)
    assert {r["measure"] for r in rows} == {"rate per 100 patient-years", "hazard ratio"}
    for suffix, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")):
        picture = tmp_path / f"rates{suffix}"
        assert main([*args, "--width", "1024", "--height", "700", "-o", str(picture)]) == 0
        assert picture.read_bytes().startswith(magic)
    assert main(["export", "--chart", "safety-rates", "--safety-term", "gout", "-o", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "x.csv").exists()


def test_a_zero_rate_marker_is_drawn_whole_at_the_axis_end(tmp_path: Path) -> None:
    """A placebo arm with no events (rate 0) sat on the axis' left end, its marker cut in half."""
    rates = RATES + "Analysis A,,,Placebo 2,placebo,0,VTE,0,800,0,,,week 52,S1,verified,\n"
    root = write_dataset(
        tmp_path / "ds", {"sources.csv": SOURCES, "safety_rates.csv": rates, "hazard_ratios.csv": HAZARDS}
    )
    spec = build_safety_rates(
        Catalog.from_datasets([load_dataset(root)]), Query(drugs=("testinib",), safety_term="VTE")
    )
    zero = [p for s in spec.series for p in s.points if p.x == 0.0]
    assert len(zero) == 1
    lo, hi = spec.placement.x_range
    # half a 9 px marker (4.5 px) fits left of 0 even in a 200 px plot
    assert lo < 0.0 and (0.0 - lo) / (hi - lo) * 200 > 4.5
    assert hi >= max(p.high or p.x for s in spec.series for p in s.points)

"""The report of the safety-rates chart: its rows are the chart's groups, its methods the ones its rows used,
written as HTML (parsed as XML) and PDF (parsed with pypdf) from the shipped catalog and the command line."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest

from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.cli import build_parser, run_command
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset, Origin
from viewer.domain.readers import load_path
from viewer.domain.stats import rate_difference, rate_ratio
from viewer.export.report import report_content
from viewer.export.report_content import ReportError
from viewer.export.report_safety import CROSS_ANALYSIS_CAVEAT, SAFETY_HEADINGS
from viewer.paths import shipped_datasets

WHEN = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def shipped() -> tuple[tuple[Dataset, ...], Catalog]:
    datasets = tuple(load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets())
    return datasets, Catalog.from_datasets(datasets)


def test_rows_are_the_charts_groups_with_computed_and_printed_rates(
    shipped: tuple[tuple[Dataset, ...], Catalog],
) -> None:
    datasets, catalog = shipped
    query = Query(drugs=("upadacitinib", "tofacitinib"), safety_term="MACE")
    content = report_content(catalog, query, ChartKind.SAFETY_RATES, datasets, generated=WHEN)
    assert content.title == "Upadacitinib, Tofacitinib: MACE per 100 patient-years"
    assert content.headings == SAFETY_HEADINGS
    rows = {(r.trial.split(" (")[0], r.arm): r for r in content.rows}
    upa = rows[("SELECT-COMPARE through 264 weeks", "Any UPA 15 mg QD")]
    # SELECT-COMPARE prints events and patient-years for both groups (U28): the comparison is ours
    ratio, diff = rate_ratio(12, 4496.6, 4, 1472.4), rate_difference(12, 4496.6, 4, 1472.4)
    assert upa.counts == "12 / 4496.6" and upa.placebo == "Any ADA 40 mg EOW"
    assert upa.effect == f"{ratio.value:.2f} ({ratio.low:.2f} to {ratio.high:.2f})"
    assert upa.nnt == f"{diff.value:+.2f} ({diff.low:+.2f} to {diff.high:+.2f})"
    assert upa.rate == "0.3 (0.14 to 0.47 exact)"  # U28 prints no interval: Garwood's from 12 events, 4496.6 PY
    # tofacitinib's placebo-controlled rates (T21) print a rate and interval but no events: nothing computed
    tofa = rows[("Tofacitinib phase 3, bDMARD-naive", "Tofacitinib 5 mg BID (N=893, 885.5 PY)")]
    assert tofa.rate == "0.6 (0.2 to 1.4)" and tofa.placebo == "Placebo (N=465, 149.5 PY)"
    assert tofa.effect.startswith("not computed") and tofa.nnt == ""
    assert rows[("Tofacitinib phase 3, bDMARD-naive", "Placebo (N=465, 149.5 PY)")].placebo == "(comparator)"
    assert "exact conditional interval, Breslow & Day 1987" in content.methods
    assert CROSS_ANALYSIS_CAVEAT in content.caveats
    assert any("Hazard ratio as printed (secondary)" in c and "1.33" in c for c in content.caveats)
    cited = {c.source_id for c in content.citations}
    assert {"U28", "T21", "T18"} <= cited


def test_a_computed_interval_is_named_exact(shipped: tuple[tuple[Dataset, ...], Catalog]) -> None:
    datasets, catalog = shipped
    content = report_content(
        catalog, Query(drugs=("upadacitinib",), safety_term="death"), ChartKind.SAFETY_RATES, datasets, generated=WHEN
    )
    upa = next(r for r in content.rows if r.arm == "Any UPA 15 mg QD")
    assert upa.rate.endswith(" exact)") and upa.rate.startswith("0.9 (")  # 41 deaths in 4496.6 PY, Garwood
    assert "exact Poisson interval (Garwood 1936)" in content.methods


def test_verified_only_names_the_rates_it_leaves_out(shipped: tuple[tuple[Dataset, ...], Catalog]) -> None:
    datasets, catalog = shipped
    query = Query(drugs=("baricitinib",), safety_term="herpes zoster", verified_only=True)
    content = report_content(catalog, query, ChartKind.SAFETY_RATES, datasets, generated=WHEN)
    assert not [r for r in content.rows if r.trial.startswith("Baricitinib RA, placebo-controlled set")]
    (left,) = [c for c in content.caveats if c.startswith("Left out by 'verified figures only' (3)")]
    assert "Baricitinib 4 mg (Baricitinib RA, placebo-controlled set, secondary)" in left  # B19, a copy
    assert dict(content.comparison)["Figures"] == "verified only"


def test_no_rates_is_a_report_error(shipped: tuple[tuple[Dataset, ...], Catalog]) -> None:
    datasets, catalog = shipped
    with pytest.raises(ReportError, match="no patient-year rates of VTE"):
        report_content(catalog, Query(drugs=("ruxolitinib",), safety_term="VTE"), ChartKind.SAFETY_RATES, datasets)


def test_html_and_pdf_written_from_the_command_line(qapp: Any, tmp_path: Path) -> None:
    for suffix in (".html", ".pdf"):
        out, err = io.StringIO(), io.StringIO()
        args = ["report", "--chart", "safety-rates", "--drug", "tofacitinib", "--safety-term", "death"]
        code = run_command(build_parser().parse_args([*args, "-o", str(tmp_path / f"r{suffix}")]), out, err)
        assert code == 0, err.getvalue()
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    root = ET.fromstring(text.split("\n", 1)[1])
    heads = [th.text for th in root.iter(f"{XHTML}th")]
    assert heads[: len(SAFETY_HEADINGS)] == list(SAFETY_HEADINGS)
    body = " ".join(" ".join(td.itertext()) for td in root.iter(f"{XHTML}td"))
    assert "All cause mortality" not in body  # notes stay in the CSV; the table holds the numbers
    assert "Tofacitinib 10 mg BID (N=241, 154.8 PY)" in body and "0 (no interval)" in body
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert "Tofacitinib: death per 100 patient-years" in pdf_text


def test_a_placebo_kind_report_keeps_its_arm_headings(shipped: tuple[tuple[Dataset, ...], Catalog]) -> None:
    datasets, catalog = shipped
    content = report_content(catalog, Query(drugs=("upadacitinib",)), ChartKind.FOREST, datasets, generated=WHEN)
    assert content.headings == ()

"""The one-page report: its content computed from the selection, the HTML parsed as XML, the PDF parsed
with pypdf (text, pages, embedded fonts, the chart as vector paths)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import pypdf
import pytest

from viewer.charts.common import select
from viewer.charts.query import DiffCI, Effect, Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset, Origin
from viewer.domain.readers import load_path
from viewer.export import ExportError
from viewer.export.report import export_report, report_content
from viewer.export.report_content import CROSS_TRIAL_CAVEAT, ReportContent, ReportError
from viewer.paths import shipped_datasets
from viewer.session_file import content_hash

JAKS = ("upadacitinib", "tofacitinib", "baricitinib")
WHEN = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def shipped_data() -> tuple[tuple[Dataset, ...], Catalog]:
    datasets = tuple(load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets())
    return datasets, Catalog.from_datasets(datasets)


@pytest.fixture(scope="module")
def acr20(shipped_data: tuple[tuple[Dataset, ...], Catalog]) -> ReportContent:
    datasets, catalog = shipped_data
    return report_content(catalog, Query(drugs=JAKS, outcome="ACR20"), ChartKind.FOREST, datasets, generated=WHEN)


@pytest.fixture(scope="module")
def pdf_and_html(
    qapp: Any, tmp_path_factory: pytest.TempPathFactory, shipped_data: tuple[tuple[Dataset, ...], Catalog]
) -> tuple[Path, Path]:
    datasets, catalog = shipped_data
    folder = tmp_path_factory.mktemp("report")
    query = Query(drugs=JAKS, outcome="ACR20")
    pdf = export_report(folder / "r.pdf", catalog, query, ChartKind.FOREST, datasets, generated=WHEN)
    html = export_report(folder / "r.html", catalog, query, ChartKind.FOREST, datasets, generated=WHEN)
    return pdf, html


def test_content_names_the_comparison_and_every_arm(acr20: ReportContent) -> None:
    assert acr20.title == "Upadacitinib, Tofacitinib, Baricitinib: ACR20"
    assert acr20.generated == "2026-12-02 12:00 UTC"
    assert dict(acr20.comparison)["Drugs"] == "Upadacitinib, Tofacitinib, Baricitinib"
    balance = [r for r in acr20.rows if r.trial == "BALANCE-I"]
    assert [r.counts for r in balance] == ["29/55*", "32/55*", "39/55*", "37/55*"]
    assert balance[0].rate == "52.7% (39.8 to 65.3)" and balance[0].effect == "18.8% (0.4 to 35.5)"
    assert balance[0].nnt.startswith("NNT 6 (95% CI")
    assert {r.drug for r in acr20.rows} == {"Upadacitinib", "Tofacitinib", "Baricitinib"}
    assert CROSS_TRIAL_CAVEAT in acr20.caveats
    assert any(w.drug == "Tofacitinib" and "Serious infections" in w.text for w in acr20.warnings)


def test_every_citation_number_is_listed_once(acr20: ReportContent) -> None:
    numbers = [c.number for c in acr20.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    used = {r.citation for r in acr20.rows} | {w.citation for w in acr20.warnings}
    assert used <= set(numbers)
    assert all(link.url.startswith(("https://", "http://")) for c in acr20.citations for link in c.links)
    assert any(link.label.startswith("PMID") for c in acr20.citations for link in c.links)


def test_datasets_carry_their_content_hash(acr20: ReportContent) -> None:
    (shipped,) = acr20.datasets
    assert shipped.where == "shipped" and shipped.sha256 == content_hash(shipped_datasets()[0])


@pytest.mark.parametrize(
    ("changes", "expected", "absent"),
    [
        ({}, ["95% Wilson", "Risk differences", "Newcombe", "No result was pooled", "primary timepoint"], ["Emax"]),
        ({"effect": Effect.RR, "diff_ci": DiffCI.WALD}, ["Risk ratios", "Katz log", "NNT is 1/risk difference"], []),
        ({"effect": Effect.OR, "timepoint": "week 12"}, ["Odds ratios", "Woolf"], ["primary timepoint"]),
        ({"verified_only": True}, ["Only verified figures are shown"], ["Hollow"]),
    ],
)
def test_methods_follow_what_was_computed(
    shipped_data: tuple[tuple[Dataset, ...], Catalog], changes: dict[str, Any], expected: list[str], absent: list[str]
) -> None:
    datasets, catalog = shipped_data
    query = Query(drugs=JAKS, outcome="ACR20").with_(**changes)
    methods = report_content(catalog, query, ChartKind.FOREST, datasets).methods
    assert all(text in methods for text in expected), methods
    assert not any(text in methods for text in absent), methods


def test_emax_and_continuity_correction_are_reported_when_used(
    shipped_data: tuple[tuple[Dataset, ...], Catalog],
) -> None:
    datasets, catalog = shipped_data
    emax = report_content(catalog, Query(drugs=("upadacitinib",), emax=True), ChartKind.DOSE_RESPONSE, datasets)
    assert "An Emax model was fitted" in emax.methods
    everyone = tuple(catalog.drugs)
    harm = Query(drugs=everyone, ae_term="serious adverse event", effect=Effect.RR)
    tables = sum(
        1
        for c in select(catalog, harm, adverse=True).comparisons
        if any(e is not None and e.corrected for e in (c.rd, c.rr, c.odds))
    )
    assert tables > 0
    methods = report_content(catalog, harm, ChartKind.TOLERABILITY, datasets).methods
    assert f"{tables} 2×2 table{'s' if tables > 1 else ''} had an empty cell: 0.5 was added" in methods
    assert "Rates are patients with the adverse event" in methods and "NNH is 1/risk difference" in methods


def test_nothing_selected_is_a_report_error(shipped_data: tuple[tuple[Dataset, ...], Catalog]) -> None:
    datasets, catalog = shipped_data
    with pytest.raises(ReportError, match="no figures"):
        report_content(catalog, Query(drugs=JAKS, population="nobody"), ChartKind.FOREST, datasets)
    with pytest.raises(ReportError, match="compares arms against placebo"):
        report_content(catalog, Query(drugs=JAKS), ChartKind.SELECTIVITY, datasets)


def test_html_is_well_formed_without_script_and_links_every_citation(pdf_and_html: tuple[Path, Path]) -> None:
    _, html = pdf_and_html
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    root = ET.fromstring(text.split("\n", 1)[1])
    assert not [el for el in root.iter() if el.tag.lower().endswith("script")]
    assert "javascript:" not in text.lower()
    assert not re.search(r"<[^>]+\son[a-z]+=", text)
    anchors = {a.get("href") for a in root.iter(f"{XHTML}a")}
    items = {li.get("id"): li for li in root.iter(f"{XHTML}li") if li.get("id", "").startswith("ref-")}
    cited = {h[1:] for h in anchors if h and h.startswith("#")}
    assert cited and cited <= set(items)
    for li in items.values():
        for a in li.iter(f"{XHTML}a"):
            assert (a.get("href") or "").startswith(("https://", "http://"))
    assert any("pubmed.ncbi.nlm.nih.gov" in (h or "") for h in anchors)
    svg = root.find(f".//{XHTML}div[@class='chart']/{{http://www.w3.org/2000/svg}}svg")
    assert svg is not None and len(list(svg.iter("{http://www.w3.org/2000/svg}path"))) > 50
    assert "Methods" in text and "SHA-256" in text and escape(CROSS_TRIAL_CAVEAT) in text


def test_pdf_has_text_fonts_pages_and_a_vector_chart(pdf_and_html: tuple[Path, Path]) -> None:
    pdf, _ = pdf_and_html
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 3  # 35 comparisons and the sources do not fit one page
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    for needle in ("Upadacitinib, Tofacitinib, Baricitinib: ACR20", "Methods", "Boxed warnings", "BALANCE-I"):
        assert needle in flat, needle
    assert "page 1 of" in flat
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts.append(
                descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
    assert fonts and all(fonts)
    first = reader.pages[0].get_contents().get_data().decode("latin-1")
    paths = len(re.findall(r"\s[ml]\s", first))
    assert paths > 300, paths  # markers, whiskers, axes and gridlines drawn as paths
    xobjects = reader.pages[0]["/Resources"].get("/XObject", {})
    assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]


def test_pdf_rows_never_straddle_a_page(pdf_and_html: tuple[Path, Path]) -> None:
    """Every arm's counts and its NNT land on the same page (a cut row would split them)."""
    pdf, _ = pdf_and_html
    reader = pypdf.PdfReader(pdf)
    for page in reader.pages[1:]:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        # the table header is repeated at the top of each continued page
        if any("Rate (95% CI)" in line.replace("\t", " ") for line in lines[:12]):
            first_row = " ".join(lines[:40]).replace("\t", " ")
            assert re.search(r"(Upadacitinib|Tofacitinib|Baricitinib)\s", first_row), first_row[:300]


def test_unsupported_report_suffix(shipped_data: tuple[tuple[Dataset, ...], Catalog], tmp_path: Path) -> None:
    datasets, catalog = shipped_data
    with pytest.raises(ExportError, match=r"unsupported format '\.docx'"):
        export_report(tmp_path / "r.docx", catalog, Query(drugs=JAKS), ChartKind.FOREST, datasets)
    assert not (tmp_path / "r.docx").exists()

"""A report of a forest plot with pooled rows names the pooling model that made them, lists the pooled
estimates as the chart draws them, and says so when pooling was asked for but refused."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pypdf
import pytest

from viewer.charts.pooled import options_of, pooled_effects
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.cli import build_parser, run_command
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset, Origin
from viewer.domain.readers import load_path
from viewer.domain.synthesis.pairwise import PoolModel, Tau2Method
from viewer.export.report import report_content
from viewer.paths import shipped_datasets

JAKS = ("upadacitinib", "tofacitinib", "baricitinib")
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def shipped() -> tuple[tuple[Dataset, ...], Catalog]:
    datasets = tuple(load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets())
    return datasets, Catalog.from_datasets(datasets)


@pytest.mark.parametrize(
    ("model", "tau2", "hksj", "named"),
    [
        (PoolModel.RANDOM, Tau2Method.REML, False, "random effects, tau² by REML, Wald z interval"),
        (PoolModel.RANDOM, Tau2Method.DL, True, "Hartung–Knapp–Sidik–Jonkman t interval"),
        (PoolModel.FIXED, Tau2Method.REML, False, "fixed effect, inverse variance"),
    ],
)
def test_methods_name_the_pooling_model_used(
    shipped: tuple[tuple[Dataset, ...], Catalog], model: PoolModel, tau2: Tau2Method, hksj: bool, named: str
) -> None:
    datasets, catalog = shipped
    query = Query(drugs=JAKS, outcome="ACR20", population="MTX-IR", pool=model, tau2=tau2, hksj=hksj)
    content = report_content(catalog, query, ChartKind.FOREST, datasets)
    assert named in content.methods, content.methods
    assert "No result was pooled" not in content.methods
    assert dict(content.comparison)["Pooling"] == options_of(query).method.describe()
    if tau2 is Tau2Method.DL and model is PoolModel.RANDOM:
        assert "DerSimonian" in content.methods or "DL" in content.methods, content.methods
    expected = pooled_effects(catalog, query, options_of(query))
    assert [line.group for line in content.pooled] == [row.group for row in expected.rows]
    first, row = content.pooled[0], expected.rows[0]
    assert first.effect.startswith(f"{row.shown(row.pooled.estimate):.1f}%")
    assert first.patients == row.patients and first.trials.startswith(f"{row.pooled.k} trial")
    assert (first.prediction == "") == (model is PoolModel.FIXED or not math.isfinite(row.pooled.pi_low))


def test_no_pooling_asked_says_none_was_done(shipped: tuple[tuple[Dataset, ...], Catalog]) -> None:
    datasets, catalog = shipped
    content = report_content(catalog, Query(drugs=JAKS, outcome="ACR20"), ChartKind.FOREST, datasets)
    assert "No result was pooled across trials." in content.methods
    assert content.pooled == () and "Pooling" not in dict(content.comparison)


def test_refused_pooling_is_named_with_its_reason(shipped: tuple[tuple[Dataset, ...], Catalog]) -> None:
    datasets, catalog = shipped
    query = Query(drugs=JAKS, outcome="ACR20", pool=PoolModel.RANDOM)  # every population: refused
    content = report_content(catalog, query, ChartKind.FOREST, datasets)
    refused = pooled_effects(catalog, query, options_of(query)).refused
    assert refused
    method = "random effects, tau² by REML, Wald z interval"
    assert f"Pooling across trials was asked for ({method}) but not done: {refused}" in content.methods
    assert content.pooled == () and "No result was pooled" not in content.methods


def _run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args([str(a) for a in args]), out, err)
    return code, out.getvalue(), err.getvalue()


def test_report_command_pools(qapp: Any, tmp_path: Path) -> None:
    drugs = [a for d in JAKS for a in ("--drug", d)]
    common = ("--outcome", "ACR20", "--population", "MTX-IR", "--pool", "random", "--tau2", "dl", "--hksj")
    code, _, err = _run("report", *drugs, *common, "-o", tmp_path / "r.html")
    assert code == 0, err
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    root = ET.fromstring(text.split("\n", 1)[1])
    pooled = root.find(f".//{XHTML}table[@class='pooled']")
    assert pooled is not None and len(list(pooled.iter(f"{XHTML}tr"))) > 2
    assert "Hartung–Knapp–Sidik–Jonkman t interval" in text and "No result was pooled" not in text
    code, _, err = _run("report", *drugs, *common, "-o", tmp_path / "r.pdf")
    assert code == 0, err
    pages = [page.extract_text() for page in pypdf.PdfReader(tmp_path / "r.pdf").pages]
    flat = " ".join(" ".join(pages).split())
    assert "Pooled estimates" in flat and "Hartung" in flat, flat[:2000]
    # no page is left blank (a table closed at the very foot of a page once pushed its continuation a page on)
    assert all(len(text.split()) > 30 for text in pages), [len(text.split()) for text in pages]

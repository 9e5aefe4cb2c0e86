"""The synthesis from the command line: pooled forest rows, league table and network graph, as files that
are read back (CSV parsed, PDF and SVG opened), and the refusal to mix populations as exit code 2."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest

from viewer.cli import build_parser, run_command


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    ("pool", "tau2", "hksj"), [("random", "reml", False), ("random", "dl", True), ("fixed", "reml", False)]
)
def test_forest_csv_gets_pooled_rows_naming_the_method(tmp_path: Path, pool: str, tau2: str, hksj: bool) -> None:
    out = tmp_path / "forest.csv"
    argv = ["export", "-o", str(out), "--chart", "forest", "--population", "MTX-IR", "--pool", pool, "--tau2", tau2]
    code, _, err = run(*argv, *(["--hksj"] if hksj else []))
    assert code == 0, err
    rows = read_csv(out)
    trials = [r for r in rows if r["row_type"] == "trial"]
    pooled = [r for r in rows if r["row_type"] == "pooled"]
    assert trials and pooled
    bari = next(r for r in pooled if r["pooled_over"] == "Baricitinib 4 mg QD")
    assert bari["k_trials"] == "2" and bari["trials"] == "JADA; RA-BEAM"
    assert ("fixed effect" in bari["method"]) == (pool == "fixed")
    assert ("DerSimonian–Laird" in bari["method"]) == (tau2 == "dl" and pool == "random")
    assert ("Hartung–Knapp" in bari["method"]) == hksj
    assert float(bari["i2_percent"]) >= 0 and float(bari["estimate"]) > 0
    assert (bari["prediction_low"] == "") == (pool == "fixed")
    assert "Population: MTX-IR." in bari["note"]


def test_league_csv_pdf_and_network_svg(tmp_path: Path) -> None:
    code, _, err = run("export", "-o", str(tmp_path / "league.csv"), "--chart", "league", "--population", "MTX-IR",
                       "--effect", "or")  # fmt: skip
    assert code == 0, err
    rows = read_csv(tmp_path / "league.csv")
    upa = next(r for r in rows if r["first"] == "Upadacitinib 15 mg QD" and r["second"] == "placebo")
    back = next(r for r in rows if r["first"] == "placebo" and r["second"] == "Upadacitinib 15 mg QD")
    assert float(upa["estimate"]) == pytest.approx(1 / float(back["estimate"]))
    assert float(upa["ci_low"]) < float(upa["estimate"]) < float(upa["ci_high"])
    assert upa["model"] == "random" and upa["measure"] == "or" and upa["inconsistency_df"] == "2"
    assert upa["split_p_value"] == ""  # every trial with upadacitinib 15 mg has placebo: no indirect evidence
    split = next(r for r in rows if r["first"] == "Baricitinib 4 mg QD" and r["second"] == "Adalimumab 40 mg Q2W")
    assert math.isfinite(float(split["split_p_value"])) and float(split["direct_estimate"]) > 0
    for part in ("direct", "indirect"):
        assert float(split[f"{part}_ci_low"]) < float(split[f"{part}_estimate"]) < float(split[f"{part}_ci_high"])
    back = next(r for r in rows if r["first"] == "Adalimumab 40 mg Q2W" and r["second"] == "Baricitinib 4 mg QD")
    assert float(back["direct_ci_high"]) == pytest.approx(1 / float(split["direct_ci_low"]))
    assert upa["method"] == "random effects, tau² by REML, Wald z interval"
    code, _, err = run("export", "-o", str(tmp_path / "dl.csv"), "--chart", "league", "--population", "MTX-IR",
                       "--effect", "rr", "--tau2", "dl", "--hksj")  # fmt: skip
    assert code == 0, err
    dl = next(r for r in read_csv(tmp_path / "dl.csv") if r["first"] == "Upadacitinib 15 mg QD")
    assert dl["method"] == "random effects, tau² by DerSimonian–Laird, Hartung–Knapp–Sidik–Jonkman t interval"
    assert float(dl["tau2"]) == pytest.approx(0.000134413087057821, rel=1e-8)  # R: moment estimator, rr
    code, _, err = run("export", "-o", str(tmp_path / "league.pdf"), "--chart", "league", "--population", "MTX-IR")
    assert code == 0, err
    from pypdf import PdfReader

    text = " ".join(PdfReader(tmp_path / "league.pdf").pages[0].extract_text().split())
    assert "network estimates, row against column" in text and "Upadacitinib" in text
    code, _, err = run("export", "-o", str(tmp_path / "network.svg"), "--chart", "network", "--population", "MTX-IR")
    assert code == 0, err
    svg = (tmp_path / "network.svg").read_text(encoding="utf-8")
    assert "network of randomised comparisons" in svg and "4 mg QD, approved" in svg
    code, _, err = run("export", "-o", str(tmp_path / "network.csv"), "--chart", "network", "--population", "MTX-IR")
    assert code == 0, err
    edge = next(
        r for r in read_csv(tmp_path / "network.csv") if {r["first"], r["second"]} == {"Baricitinib 4 mg QD", "placebo"}
    )
    assert edge["trials"] == "2" and edge["patients"] == "1125"
    assert (edge["chart"], edge["chart_note"]) == ("shown", "")
    for name in ("league.csv", "network.csv"):
        header = (tmp_path / name).read_text(encoding="utf-8").splitlines()[0]
        assert header.endswith(",note,chart,chart_note")
    assert {r["chart"] for r in rows} == {"shown", "left out"}


def test_mixed_populations_are_refused_with_exit_2_and_allowed_on_request(tmp_path: Path) -> None:
    out = tmp_path / "league.csv"
    code, _, err = run("export", "-o", str(out), "--chart", "league")
    assert code == 2 and "Not combined: the trials are in different populations" in err and not out.exists()
    code, _, err = run("export", "-o", str(out), "--chart", "league", "--combine-populations")
    assert code == 0, err
    assert "Populations combined at the user's request" in read_csv(out)[0]["note"]

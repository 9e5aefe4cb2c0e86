"""`drug-viewer list outcomes --data FILE` names the registry outcomes it kept out, and why (issue 14)."""

from __future__ import annotations

import io
from pathlib import Path

from viewer.cli import build_parser, run_command

DATA = Path(__file__).resolve().parents[1] / "data" / "ctgov"


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args(argv), out, err)
    return code, out.getvalue()


def test_a_record_with_no_usable_outcome_says_so() -> None:
    code, out = run("list", "outcomes", "--data", str(DATA / "NCT02305381_SUSTAIN5_ctgov_legacy.xml"))
    assert code == 0
    assert "# ClinicalTrials.gov NCT02305381: 0 outcomes read, 8 kept out (no usable outcome in this file)" in out
    assert "continuous measure: 6; adjusted or model-based estimate: 2 (--verbose lists them)" in out


def test_verbose_lists_each_kept_out_outcome_with_its_reason() -> None:
    code, out = run("list", "outcomes", "--verbose", "--data", str(DATA / "NCT01076361.xml"))
    assert code == 0
    assert (
        "#   kept out: Survival Probability of the Model 4968 Lead Based on Lead-related Complications "
        "(time-to-event or life-table estimate: the record says 'Survival Probability')"
    ) in out


def test_registry_outcome_titles_are_printed_once() -> None:
    code, out = run("list", "outcomes", "--data", str(DATA / "NCT01065844.xml"))
    assert code == 0
    assert "Tumor Progression · Stable disease (SD)\n" in out
    assert "Tumor Progression · Stable disease (SD)\tTumor Progression" not in out


def test_an_ambiguous_outcome_prints_each_match_once_on_its_own_line(tmp_path: Path) -> None:
    """NCT02552212 has two ASAS40 outcomes (weeks 12 and 52): both offered, each title once, one a line."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["export", "--data", str(DATA / "NCT02552212_ctgov_v2.json"), "--chart", "forest", "--outcome", "ASAS40"]
    code = run_command(build_parser().parse_args([*argv, "-o", str(tmp_path / "x.csv")]), out, err)
    assert code == 2
    assert not (tmp_path / "x.csv").exists()
    title = "Percentage of Subjects With Axial SpondyloArthritis International Society 40% Response Criteria (ASAS40)"
    assert err.getvalue() == (
        "drug-viewer: --outcome 'ASAS40': ambiguous outcome, matches 2; the data offers:\n"
        f"  {title} Response at Week 12\n"
        f"  {title} Response at Week 52\n"
    )


def test_short_outcome_choices_stay_on_one_line_named_once(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(
        build_parser().parse_args(["export", "--outcome", "DAS", "-o", str(tmp_path / "x.csv")]), out, err
    )
    assert code == 2
    assert err.getvalue() == (
        "drug-viewer: --outcome 'DAS': ambiguous outcome, matches 4; the data offers: DAS28-CRP<2.6 (DAS28-CRP < 2.6), "
        "DAS28-CRP<=3.2 (DAS28-CRP <= 3.2), DAS28-ESR<2.6 (DAS28-4(ESR) < 2.6), DAS28<2.6 (DAS28 < 2.6)\n"
    )

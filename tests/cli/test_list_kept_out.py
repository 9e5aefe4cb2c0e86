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
    assert "Tumor Progression — Stable disease (SD)\n" in out
    assert "Tumor Progression — Stable disease (SD)\tTumor Progression" not in out

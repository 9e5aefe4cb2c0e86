"""The command line's sessions and reports, run in-process as a user runs them."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pypdf
import pytest

from viewer.cli import build_parser, run_command
from viewer.session_file import content_hash

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "tests" / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args([str(a) for a in args]), out, err)
    assert capsys.readouterr().err == ""
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("suffix", [".png", ".svg", ".csv"])
def test_export_save_session_reopen_export_same_bytes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    record = tmp_path / RECORD.name
    shutil.copyfile(RECORD, record)
    first, again, saved = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}", tmp_path / "s.dvsession.json"
    options = ("--drug", "upadacitinib", "--drug", "baricitinib", "--outcome", "ACR50", "--chart", "forest")
    options += ("--effect", "rr", "--ci", "wald", "--width", "900", "--height", "600")
    code, out, err = run(capsys, "export", *options, "--data", record, "-o", first, "--save-session", saved)
    assert code == 0, err
    assert f"wrote {saved}" in out
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["chart"] == "forest" and document["query"]["effect"] == "rr"
    assert document["query"]["drugs"] == ["upadacitinib", "baricitinib"]
    assert document["export"] == {"width": 900, "height": 600, "dpi": 96}
    assert document["datasets"][-1]["sha256"] == content_hash(record)
    code, _, err = run(capsys, "export", "--session", saved, "-o", again)
    assert code == 0, err
    assert again.read_bytes() == first.read_bytes()


def test_options_override_the_session(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    code, _, err = run(
        capsys, "export", "--chart", "forest", "--emax", "-o", tmp_path / "a.csv", "--save-session", saved
    )
    assert code == 0, err
    again = tmp_path / "again.json"
    options = ("--session", saved, "--outcome", "ACR70", "--no-emax", "-o", tmp_path / "b.csv", "--save-session", again)
    code, _, err = run(capsys, "export", *options)
    assert code == 0, err
    reopened = json.loads(again.read_text(encoding="utf-8"))
    assert reopened["query"]["outcome"] == "ACR70" and reopened["query"]["emax"] is False
    assert reopened["chart"] == "forest"


def test_moved_dataset_is_named_and_the_rest_opens(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    record = tmp_path / "records" / RECORD.name
    record.parent.mkdir()
    shutil.copyfile(RECORD, record)
    saved = tmp_path / "sessions" / "s.json"
    saved.parent.mkdir()
    first = ("--data", record, "--outcome", "ASDAS-MI", "--chart", "forest", "-o", tmp_path / "a.csv")
    code, _, err = run(capsys, "export", *first, "--save-session", saved)
    assert code == 0, err
    shutil.move(record, tmp_path / "elsewhere.json")
    again = ("--session", saved, "--drug", "upadacitinib", "--outcome", "ACR20", "-o", tmp_path / "b.csv")
    code, _, err = run(capsys, "export", *again)
    assert code == 0, err
    assert f"{record}: not found" in err and "the session opens without it" in err
    assert (tmp_path / "b.csv").stat().st_size > 100


def test_corrupt_session_is_exit_2_and_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "s.json"
    broken.write_text('{"format": "drug-viewer-session", "version": 1, "chart": "pie"', encoding="utf-8")
    before = broken.read_bytes()
    code, _, err = run(capsys, "export", "--session", broken, "-o", tmp_path / "a.png")
    assert code == 2
    assert f"{broken}" in err and "not JSON" in err and "Traceback" not in err
    assert not (tmp_path / "a.png").exists() and broken.read_bytes() == before


def test_report_pdf_and_html_from_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    drugs = ("--drug", "upadacitinib", "--drug", "tofacitinib", "--drug", "baricitinib", "--outcome", "ACR20")
    code, out, err = run(capsys, "report", *drugs, "-o", tmp_path / "r.pdf", "--save-session", tmp_path / "r.json")
    assert code == 0, err
    assert f"wrote {tmp_path / 'r.pdf'}" in out
    reader = pypdf.PdfReader(tmp_path / "r.pdf")
    assert "Upadacitinib, Tofacitinib, Baricitinib: ACR20" in " ".join(reader.pages[0].extract_text().split())
    code, _, err = run(capsys, "report", "--session", tmp_path / "r.json", "-o", tmp_path / "r.html")
    assert code == 0, err
    assert "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_report_that_selects_nothing_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "report", "--population", "nobody", "-o", tmp_path / "r.pdf")
    assert code == 2 and "--population" in err
    assert not (tmp_path / "r.pdf").exists()
    code, _, err = run(capsys, "report", "-o", tmp_path / "r.docx")
    assert code == 2 and "unsupported format" in err

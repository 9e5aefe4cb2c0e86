"""The command line, run as a user runs it: in a subprocess, reading its output and exit code."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.domain.minidata import TEN_MISTAKES_FILES

ROOT = Path(__file__).resolve().parents[2]
SIX = {"upadacitinib", "tofacitinib", "baricitinib", "filgotinib", "peficitinib", "ruxolitinib"}


def drug_viewer(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_help_and_version() -> None:
    shown = drug_viewer("--help")
    assert shown.returncode == 0
    assert "list" in shown.stdout and "export" in shown.stdout and "not medical advice" in shown.stdout
    version = drug_viewer("--version")
    assert version.returncode == 0 and version.stdout.startswith("drug-viewer ")


def test_list_drugs_trials_outcomes() -> None:
    drugs = drug_viewer("list", "drugs")
    assert drugs.returncode == 0, drugs.stderr
    assert {line.split("\t")[0] for line in drugs.stdout.splitlines()} >= SIX
    trials = drug_viewer("list", "trials")
    assert "BALANCE-I\tNCT01960855" in trials.stdout and "BALANCE-II\tNCT02066389" in trials.stdout
    outcomes = drug_viewer("list", "outcomes")
    assert [line.split("\t")[0] for line in outcomes.stdout.splitlines()][:3] == ["ACR20", "ACR50", "ACR70"]


def test_user_dataset_adds_to_the_list(tmp_path: Path) -> None:
    from tests.domain.minidata import write_dataset

    listed = drug_viewer("list", "trials", "--data", write_dataset(tmp_path / "mine"))
    assert listed.returncode == 0, listed.stderr
    assert "TEST-1\tNCT01234567\tMTX-IR" in listed.stdout
    assert "BALANCE-I" in listed.stdout


def test_ten_mistakes_exit_2_with_ten_located_messages(tmp_path: Path) -> None:
    from tests.domain.minidata import write_dataset

    bad = write_dataset(tmp_path / "bad", TEN_MISTAKES_FILES)
    run = drug_viewer("list", "drugs", "--data", bad)
    assert run.returncode == 2
    located = [line for line in run.stderr.splitlines() if line.startswith("results.csv:row ")]
    assert len(located) == 10
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--drug", "nosuchdrug"), "drug-viewer: --drug 'nosuchdrug': unknown drug; the data offers: Baricitinib,"),
        (("--outcome", "ACR"), "drug-viewer: --outcome 'ACR': ambiguous outcome, matches 3; the data offers: ACR20,"),
        (("--outcome", "weight loss"), "drug-viewer: --outcome 'weight loss': unknown outcome; the data offers:"),
    ],
)
def test_export_refuses_unknown_choices(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    run = drug_viewer("export", *args, "-o", tmp_path / "x.csv")
    assert run.returncode == 2
    assert expected in run.stderr
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("--timepoint", "week 99", "-o", "t.csv"),
            "drug-viewer: --timepoint 'week 99': no ACR20 results of Upadacitinib, Tofacitinib, Baricitinib "
            "at this timepoint; the data offers: week 12,",
        ),
        (
            ("--population", "nonsense", "--chart", "forest", "-o", "x.png"),
            "drug-viewer: --population 'nonsense': no trial of Upadacitinib, Tofacitinib, Baricitinib "
            "in this population; the data offers: bDMARD-IR,",
        ),
    ],
)
def test_a_query_that_selects_nothing_exits_2_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    """The two cases of issue 13, as a user types them: no header-only CSV, no empty PNG, no exit 0."""
    run = drug_viewer("export", *args, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(expected), run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_csv_has_balance_arms(tmp_path: Path) -> None:
    out = tmp_path / "upa.csv"
    run = drug_viewer("export", "--drug", "ABT-494", "--outcome", "acr20", "-o", out)
    assert run.returncode == 0, run.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    balance1 = [r for r in rows if r["trial"] == "BALANCE-I"]
    assert sorted(int(r["n"]) for r in balance1) == [55, 55, 55, 55]
    assert {r["placebo_n"] for r in balance1} == {"56"}


def test_window_opens_and_closes(tmp_path: Path) -> None:
    """main() in its own process: the window is built, shown and closed (one QApplication per process)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "viewer", "--smoke"], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr

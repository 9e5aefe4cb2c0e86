"""The command line's logic in-process: choices, messages, exit codes and the window-less hints."""

from __future__ import annotations

import csv
import ctypes.util
import gc
import io
from pathlib import Path
from typing import Any

import pytest

from tests.domain.minidata import FILES, NO_PLACEBO_FILES, write_dataset
from viewer import app
from viewer.cli import TRACEBACK_ENV, build_parser, run_command

MIGRAINE = Path(__file__).resolve().parents[1] / "data" / "migraine_spreadsheet.csv"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_list_outcomes_and_trials() -> None:
    code, out, _ = run("list", "outcomes")
    assert code == 0
    assert out.splitlines()[0] == "ACR20"  # a title that repeats the id is printed once (issue 14)
    code, out, _ = run("list", "trials")
    assert "FINCH 1\tNCT02889796\tMTX-IR" in out


def test_export_csv_for_each_chart(tmp_path: Path) -> None:
    for chart in ("dose-response", "forest", "tolerability", "selectivity"):
        drug = "Xeljanz" if chart == "tolerability" else "Olumiant"  # the catalog has no AE counts of Olumiant
        code, out, err = run("export", "--chart", chart, "--drug", drug, "-o", str(tmp_path / f"{chart}.csv"))
        assert code == 0, err
        assert out.startswith("wrote ")
        header = (tmp_path / f"{chart}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("drug,target" if chart == "selectivity" else "drug,trial,nct")


def test_export_png_in_process(qapp: Any, tmp_path: Path) -> None:
    code, _, err = run(
        "export", "--width", "640", "--height", "400", "--emax", "--dose-axis", "log", "-o", str(tmp_path / "a.png")
    )
    assert code == 0, err
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_collector_is_on_again_after_a_command(qapp: Any, tmp_path: Path) -> None:
    """viewer.app pauses it while the command's modules are imported, never for the rest of the run."""
    assert app.main(["export", "--width", "320", "--height", "200", "-o", str(tmp_path / "a.png")]) == 0
    assert gc.isenabled()


def test_export_failures_exit_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, _, err = run("export", "-o", str(tmp_path / "file" / "out.csv"))
    assert code == 2
    assert "cannot write" in err
    code, _, err = run("export", "-o", str(tmp_path / "out.docx"))
    assert code == 2
    assert ".png" in err


def test_bad_data_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"protocolSection": ')
    code, _, err = run("list", "drugs", "--data", str(bad))
    assert code == 2
    assert err.startswith("drug-viewer: cannot load data")
    assert "bad.json" in err


# Every kind of query that selects nothing: the option named, what the data offers, exit 2, no file.
BAD_QUERIES = [
    pytest.param(
        ("--timepoint", "week 99"),
        "--timepoint 'week 99': no ACR20 results of Upadacitinib, Tofacitinib, Baricitinib at this timepoint; "
        "the data offers: week 12, month 3, week 14, week 24, month 6",
        id="timepoint",
    ),
    pytest.param(
        ("--population", "nonsense", "--chart", "forest"),
        "--population 'nonsense': no trial of Upadacitinib, Tofacitinib, Baricitinib in this population; "
        "the data offers: bDMARD-IR, csDMARD-IR, DMARD-IR, MTX-IR, MTX-naive, MTX-treated, not stated, TNF-IR",
        id="population",
    ),
    pytest.param(
        ("--drug", "nosuchdrug"),
        "--drug 'nosuchdrug': unknown drug; the data offers: "
        "Baricitinib, Filgotinib, Peficitinib, Ruxolitinib, Tofacitinib, Upadacitinib",
        id="unknown-drug",
    ),
    pytest.param(
        ("--drug", "ruxolitinib", "--chart", "forest"),
        "--outcome 'ACR20': no results of Ruxolitinib for this outcome; the data offers: SVR35",
        id="drug-without-the-outcome",
    ),
    pytest.param(
        ("--outcome", "weight loss"),
        "--outcome 'weight loss': unknown outcome; the data offers: ACR20, ACR50, ACR70, "
        "DAS28-CRP<2.6 (DAS28-CRP < 2.6)",
        id="unknown-outcome",
    ),
    pytest.param(
        ("--outcome", "ACR"),
        "--outcome 'ACR': ambiguous outcome, matches 3; the data offers: ACR20, ACR50, ACR70",
        id="ambiguous-outcome",
    ),
    pytest.param(
        ("--chart", "tolerability", "--ae", "nonsense", "--population", ""),
        "--ae 'nonsense': no adverse-event counts of Upadacitinib, Tofacitinib, Baricitinib under this term; "
        "the data offers: any adverse event,",
        id="tolerability-term",
    ),
    pytest.param(
        ("--chart", "tolerability", "--drug", "Olumiant"),
        "--drug 'Baricitinib': no adverse-event counts; the data offers: Filgotinib, Tofacitinib, Upadacitinib",
        id="tolerability-drug",
    ),
    pytest.param(
        ("--chart", "selectivity", "--data", str(MIGRAINE)),
        "--drug 'study drug': no IC50 values with a source; the data offers: Baricitinib,",
        id="selectivity-without-ic50",
    ),
]


@pytest.mark.parametrize("suffix", [".csv", ".png"])
@pytest.mark.parametrize(("args", "expected"), BAD_QUERIES)
def test_a_query_that_selects_nothing_exits_2_naming_the_option(
    qapp: Any, tmp_path: Path, args: tuple[str, ...], expected: str, suffix: str
) -> None:
    target = tmp_path / f"out{suffix}"
    code, out, err = run("export", *args, "-o", str(target))
    assert code == 2
    assert err.startswith(f"drug-viewer: {expected}"), err
    assert err.count("\n") == 1 and out == ""
    assert not target.exists()


@pytest.mark.parametrize("suffix", [".csv", ".png"])
def test_verified_only_that_hides_every_figure_is_named(qapp: Any, tmp_path: Path, suffix: str) -> None:
    secondary = write_dataset(
        tmp_path / "ds", {"results.csv": FILES["results.csv"].replace(",verified,", ",secondary,")}
    )
    target = tmp_path / f"out{suffix}"
    code, _, err = run("export", "--data", str(secondary), "--verified-only", "-o", str(target))
    assert code == 2
    assert err == (
        "drug-viewer: --verified-only: every figure selected is secondary or unverified, "
        "and only verified figures are asked for\n"
    )
    assert not target.exists()


def test_an_empty_chart_of_a_query_every_filter_accepts_is_refused(qapp: Any, tmp_path: Path) -> None:
    """A forest plot of a trial without placebo has nothing to draw: the chart's own reason, no file. Its CSV
    is not empty: each arm is a row that says why it has no effect estimate."""
    data = str(write_dataset(tmp_path / "no-placebo", NO_PLACEBO_FILES))
    code, _, err = run("export", "--data", data, "--chart", "forest", "-o", str(tmp_path / "forest.png"))
    assert code == 2
    reason = "No comparisons with placebo to show (no placebo arm in this trial)."
    assert err == f"drug-viewer: the query selects nothing: {reason}\n"
    assert not (tmp_path / "forest.png").exists()
    code, _, err = run("export", "--data", data, "--chart", "forest", "-o", str(tmp_path / "forest.csv"))
    assert code == 0, err
    with (tmp_path / "forest.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["nnt_ci"], r["chart"], r["chart_note"]) for r in rows] == [
        ("no placebo arm in this trial", "left out", "no placebo arm in this trial")
    ] * 2
    code, _, err = run("export", "--data", data, "--chart", "dose-response", "-o", str(tmp_path / "dose.png"))
    assert code == 0, err  # the rates alone are something to show


def test_a_planted_reader_bug_exits_1_without_a_traceback(
    planted_reader_bug: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TRACEBACK_ENV, raising=False)
    code, out, err = run("list", "drugs", "--data", str(planted_reader_bug))
    assert code == 1
    assert out == ""
    assert err == (
        "drug-viewer: internal error (KeyError: 'planted'). This is a bug; please report it with the command "
        f"you ran. Set {TRACEBACK_ENV}=1 to print the traceback.\n"
    )
    monkeypatch.setenv(TRACEBACK_ENV, "1")
    code, _, err = run("list", "drugs", "--data", str(planted_reader_bug))
    assert code == 1
    assert "Traceback (most recent call last)" in err and "in planted" in err


def test_drugs_of_a_data_file_become_the_selection(tmp_path: Path) -> None:
    sheet = Path(__file__).resolve().parents[1] / "data" / "migraine_spreadsheet.csv"
    out = tmp_path / "m.csv"
    code, _, err = run("export", "--data", str(sheet), "--outcome", "pain-free", "-o", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").count("\nstudy drug,") == 7


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, ""),
        ({"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}, "no display found"),
        ({"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": "wayland-0"}, ""),
    ],
)
def test_display_problem(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert expected in app.display_problem()
    assert bool(app.display_problem()) == bool(expected)


def test_missing_xcb_libraries_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(app, "loadable", lambda soname: not soname.startswith("libxcb-cursor."))
    hint = app.display_problem()
    assert "libraries libxcb-cursor are missing" in hint
    assert "apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in hint


def test_a_library_is_loadable_by_its_soname() -> None:
    assert app.loadable(ctypes.util.find_library("c") or "libc.so.6")
    assert not app.loadable("libdrug-viewer-no-such-library.so.0")


def test_launch_prints_the_hint_instead_of_aborting(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setattr(app, "display_problem", lambda: "no display found")
    assert app.launch([]) == 1
    assert "no display found" in capsys.readouterr().err


def test_audit_prints_levels_kinds_and_weak_figures() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_command(build_parser().parse_args(["audit"]), out, err) == 0, err.getvalue()
    text = out.getvalue()
    assert text.startswith("Audit of JAK inhibitors in RA (curated)")
    for heading in ("Per drug", "Per trial", "Arms the charts cannot place", "Figures resting on a recalled source"):
        assert heading in text
    assert "BALANCE-I 3 mg BID: ACR20 at week 12 — UNV (recalled), unverified" in text


def test_audit_of_a_user_folder_only(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    folder = write_dataset(tmp_path / "mine")
    assert run_command(build_parser().parse_args(["audit", "--data", str(folder)]), out, err) == 0, err.getvalue()
    assert "Figures (results, adverse events, safety rates, hazard ratios): 5 (verified 5" in out.getvalue()
    assert "BALANCE" not in out.getvalue()


def test_export_theme_dark_only_when_asked(qapp: Any, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    from viewer.plot.style import DARK

    for theme, colour in (("", "#ffffff"), ("dark", QColor(DARK.background).name())):
        path = tmp_path / f"forest{theme}.png"
        extra = ("--theme", theme) if theme else ()
        code, _, err = run("export", "--chart", "forest", "--width", "640", "--height", "400", *extra, "-o", str(path))
        assert code == 0, err
        assert QImage(str(path)).pixelColor(2, 2).name() == colour

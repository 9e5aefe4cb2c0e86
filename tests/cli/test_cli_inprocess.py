"""The command line's logic in-process: choices, messages and the window-less hints."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from viewer import app
from viewer.cli import build_parser, run_command


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_list_outcomes_and_trials() -> None:
    code, out, _ = run("list", "outcomes")
    assert code == 0
    assert out.splitlines()[0] == "ACR20\tACR20"
    code, out, _ = run("list", "trials")
    assert "FINCH 1\tNCT02889796\tMTX-IR" in out


def test_export_csv_for_each_chart(tmp_path: Path) -> None:
    for chart in ("dose-response", "forest", "tolerability", "selectivity"):
        code, out, err = run("export", "--chart", chart, "--drug", "Olumiant", "-o", str(tmp_path / f"{chart}.csv"))
        assert code == 0, err
        assert out.startswith("wrote ")
        header = (tmp_path / f"{chart}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("drug,target" if chart == "selectivity" else "drug,trial,nct")


def test_export_png_in_process(qapp: Any, tmp_path: Path) -> None:
    code, _, err = run(
        "export", "--width", "640", "--height", "400", "--emax", "--log-dose", "-o", str(tmp_path / "a.png")
    )
    assert code == 0, err
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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
    monkeypatch.setattr(app.ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else name)
    hint = app.display_problem()
    assert "libxcb-cursor" in hint
    assert "apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in hint


def test_launch_prints_the_hint_instead_of_aborting(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setattr(app, "display_problem", lambda: "no display found")
    assert app.launch([]) == 1
    assert "no display found" in capsys.readouterr().err

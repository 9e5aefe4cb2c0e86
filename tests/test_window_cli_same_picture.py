"""A chart exported from the window and the same chart from the command line are the same picture."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli_export(out: Path, *args: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "viewer", "export", *args, "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    ("kind", "args", "query"),
    [
        ("dose-response", ("--width", "1200", "--height", "800"), {}),
        ("forest", ("--chart", "forest", "--effect", "or", "--width", "1200", "--height", "800"), {"effect": "or"}),
    ],
)
def test_window_and_cli_exports_are_identical(
    make_main_window: Any, tmp_path: Path, kind: str, args: tuple[str, ...], query: dict[str, str]
) -> None:
    from PySide6.QtGui import QImage

    from viewer.charts.query import Effect
    from viewer.charts.spec import ChartKind

    window = make_main_window()
    if query:
        window.state.update_query(effect=Effect(query["effect"]))
    from_window = window.export_chart_to(tmp_path / "window.png", 1200, 800, 96, kind=ChartKind(kind))
    cli_export(tmp_path / "cli.png", *args)
    a, b = QImage(str(from_window)), QImage(str(tmp_path / "cli.png"))
    assert (a.width(), a.height()) == (b.width(), b.height()) == (1200, 800)
    assert a == b, "the window's export differs from the command line's"
    svg_window = window.export_chart_to(tmp_path / "window.svg", 1200, 800, 96, kind=ChartKind(kind))
    cli_export(tmp_path / "cli.svg", *args)
    assert svg_window.read_text(encoding="utf-8") == (tmp_path / "cli.svg").read_text(encoding="utf-8")

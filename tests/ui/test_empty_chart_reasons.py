"""An empty chart says why in the session's words, whether the window built it or the loader's worker prepared
it (``PreparedChart``), and those are the command line's words for the same query: its exit-2 message, or the
reasons of the CSV's left-out lines (one composition: ``Session.explained``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.cli import build_parser, problem_text, run_command
from viewer.ui.main_window import MainWindow
from viewer.ui.swap import PreparedChart

Make = Callable[..., MainWindow]
RECORD = Path(__file__).resolve().parents[1] / "data" / "ctgov" / "NCT01207388.xml"
MRD = "Percentage of Participants With a Minimal Residual Disease (MRD) Response Within the First Treatment Cycle"
KIND = ChartKind.DOSE_RESPONSE


def cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(
        build_parser().parse_args(["export", "--data", str(RECORD), "--chart", KIND.value, *args]), out, err
    )
    return code, " ".join(err.getvalue().split())


def loaded_from_the_worker(qtbot: Any, window: MainWindow, query: Query) -> str:
    """Open the record with ``query`` (a reopened session's): the worker prepares the chart, the pane draws it."""
    offered: list[PreparedChart] = []
    offer = window.chart_pane.offer
    window.chart_pane.offer = lambda chart: (offered.append(chart), offer(chart))[-1]  # type: ignore[method-assign]
    window.chart_pane.show_kind(KIND)
    assert window.open_with_query([RECORD], query)
    qtbot.waitUntil(lambda: not window.loader.is_busy() and window.chart_pane.up_to_date(), timeout=20000)
    assert len(offered) == 1 and offered[0].kind is KIND and offered[0].spec.is_empty
    drawn = window.chart_pane.charts[KIND].spec
    assert drawn is offered[0].spec  # the worker's chart, drawn as prepared
    return drawn.empty_message


def built_by_the_window(qtbot: Any, window: MainWindow) -> str:
    """The same query's chart built on the GUI thread (no chart offered)."""
    with qtbot.waitSignal(window.chart_pane.rebuilt):
        window.chart_pane.invalidate()
    spec = window.chart_pane.charts[KIND].spec
    assert spec is not None and spec.is_empty
    return spec.empty_message


def test_an_outcome_no_ticked_drug_reports(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    drawn = loaded_from_the_worker(qtbot, window, Query(drugs=("blinatumomab",), outcome="ACR20"))
    assert window.state.query.outcome == "ACR20"
    reason = "ACR20: no results of Blinatumomab for this outcome"
    assert f"({reason})" in drawn and "The data offers: Number of Participants With Adverse Events" in drawn
    assert built_by_the_window(qtbot, window) == drawn
    code, said = cli("--drug", "blinatumomab", "--outcome", "ACR20", "-o", "x.png")
    assert code == 2 and "--outcome 'ACR20': no results of Blinatumomab for this outcome; the data offers:" in said


def test_every_arm_kept_out(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    drawn = loaded_from_the_worker(qtbot, window, Query(drugs=("blinatumomab",), outcome=MRD))
    assert "Arms without a comparable daily dose, not drawn: 1: Blinatumomab (dose per body size (15 µg/m²))" in (
        " ".join(drawn.split())
    )
    assert built_by_the_window(qtbot, window) == drawn
    code, said = cli("--drug", "blinatumomab", "--outcome", MRD, "-o", str(tmp_path / "x.png"))
    assert code == 2 and said == f"drug-viewer: the query selects nothing: {' '.join(drawn.split())}"
    code, _said = cli("--drug", "blinatumomab", "--outcome", MRD, "-o", str(tmp_path / "x.csv"))
    with (tmp_path / "x.csv").open(encoding="utf-8", newline="") as written:
        rows = list(csv.DictReader(written))
    assert code == 0 and not [r for r in rows if r["chart"] != "left out"]
    assert [r["chart_note"] for r in rows if r["arm"]] == ["no comparable daily dose: dose per body size (15 µg/m²)"]


@pytest.mark.parametrize("kind", [ChartKind.DOSE_RESPONSE, ChartKind.FOREST, ChartKind.TOLERABILITY])
def test_no_drug_ticked(qtbot: Any, make_main_window: Make, kind: ChartKind) -> None:
    """A catalog without drugs (no data): the one state in which no drug is ticked."""
    window = make_main_window(shipped=[])
    session = window.state.session
    assert session.query.drugs == ()
    window.chart_pane.show_kind(kind)
    built = window.chart_pane.spec(kind).empty_message
    prepared = PreparedChart.of(session, kind, build_chart(kind, session.catalog, session.query))
    window.chart_pane.offer(prepared)
    window.chart_pane.invalidate()
    qtbot.waitUntil(window.chart_pane.up_to_date)
    drawn = window.chart_pane.charts[kind].spec
    assert drawn is prepared.spec and drawn.empty_message == built
    problem = session.validate(kind=kind)[0]
    assert f"({problem.reason})" in built and problem.reason == "no drug is selected"
    assert problem_text(problem) == "--drug: no drug is selected"  # the command line's exit-2 line

"""Issue 14 in the window: a registry record's outcome names are readable in the outcome box, and a chart
that has nothing to draw says, on lines that fit, which outcomes of the record were kept out and why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from viewer.charts.spec import ChartKind
from viewer.ui.main_window import MainWindow

Make = Callable[..., MainWindow]
RECORD = Path(__file__).resolve().parents[1] / "data" / "ctgov" / "NCT01207388.xml"
MRD = "Percentage of Participants With a Minimal Residual Disease (MRD) Response Within the First Treatment Cycle"


def test_a_registry_outcome_reads_in_the_outcome_box(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window(extra_paths=[RECORD])
    combo = window.controls.outcome
    assert combo.findData(MRD) >= 0
    # the box shows far more than "Percentage" (six characters was the complaint)
    assert combo.minimumContentsLength() >= 20
    shown = combo.fontMetrics().horizontalAdvance("Percentage of Participants")
    assert combo.width() >= shown


def test_an_empty_registry_chart_names_what_it_kept_out_on_short_lines(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window(extra_paths=[RECORD])
    with qtbot.waitSignal(window.chart_pane.rebuilt):
        window.state.update_query(drugs=("blinatumomab",), outcome=MRD)
    window.chart_pane.show_kind(ChartKind.DOSE_RESPONSE)
    message = window.chart_pane.spec(ChartKind.DOSE_RESPONSE).empty_message
    ours = [line for line in message.splitlines()[1:] if not line.startswith(("(", "The data offers"))]
    assert "Blinatumomab (dose per body size (15 µg/m²))" in " ".join(message.split())
    assert "Registry outcomes kept out (not crude counts of participants): 8" in " ".join(message.split())
    assert ours and all(len(line) <= 96 for line in ours)

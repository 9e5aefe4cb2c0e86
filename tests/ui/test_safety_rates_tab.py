"""The Safety rates tab: the patient-year chart of the chosen class outcome, driven by its control, exported."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viewer.charts.spec import ChartKind, Mark
from viewer.ui.main_window import MainWindow

Make = Callable[..., MainWindow]


def test_the_tab_draws_the_chosen_outcome_and_exports_it(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    pane = window.chart_pane
    pane.show_kind(ChartKind.SAFETY_RATES)
    assert pane.tabs.tabText(pane.tabs.currentIndex()) == "Safety rates"
    chart = pane.chart(ChartKind.SAFETY_RATES)
    assert chart.spec is not None and chart.spec.title.startswith("Serious infection: events per 100 patient-years")
    assert chart.rendered is not None

    combo = window.controls.safety_term
    assert [combo.itemData(i) for i in range(combo.count())][:2] == ["serious infection", "herpes zoster"]
    with qtbot.waitSignal(pane.rebuilt, timeout=5000):
        combo.setCurrentIndex(combo.findData("malignancy excluding NMSC"))
    assert window.state.query.safety_term == "malignancy excluding NMSC"
    spec = chart.spec
    assert spec is not None and spec.kind is ChartKind.SAFETY_RATES
    ticks = [text for _y, text in sorted(spec.y_ticks, reverse=True)]
    assert "ORAL Surveillance" in ticks and "TNF inhibitor (N=1451)" in ticks
    assert all(p.drawn_mark is Mark.PRIMARY for s in spec.series for p in s.points)  # every shipped rate is primary
    assert any(f.startswith("Hazard ratio, ORAL Surveillance: Combined tofacitinib doses") for f in spec.footnotes)

    rows_path = window.export_data_to(tmp_path / "rates.csv")
    with rows_path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["term"] for r in rows} == {"malignancy excluding NMSC"}
    assert all(r["level"] and r["source_kind"] for r in rows)
    picture = window.export_chart_to(tmp_path / "rates.svg", 1024, 700, 96)
    assert "ORAL Surveillance" in picture.read_text(encoding="utf-8")

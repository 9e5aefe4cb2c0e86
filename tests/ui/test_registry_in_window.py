"""A user opens a registry record they downloaded, picks its outcome, and sees and exports its charts
with a source behind every point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from viewer.charts.spec import ChartKind

RECORD = Path(__file__).resolve().parents[1] / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"


def test_registry_record_shows_and_exports(make_main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    window = make_main_window()
    with qtbot.waitSignal(window.loader.finished, timeout=10_000):
        assert window.open_paths([RECORD])
    state = window.state
    assert state.query.drugs == ("certolizumabpegol",)
    assert state.focused_drug == "certolizumabpegol"
    asdas = next(o for o in state.catalog.outcome_ids() if "ASDAS-MI" in o)
    state.update_query(outcome=asdas)
    for kind in (ChartKind.DOSE_RESPONSE, ChartKind.FOREST):
        window.chart_pane.show_kind(kind)
        spec = window.chart_pane.spec(kind)
        points = [p for s in spec.series for p in s.points]
        assert points, kind
        assert all("Provenance: NCT02552212" in p.tooltip for p in points if "Placebo" not in p.label)
        assert all("Source: ClinicalTrials.gov NCT02552212" in p.tooltip for p in points)
        out = window.export_chart_to(tmp_path / f"{kind.value}.png", 800, 500, 96, kind=kind)
        assert out.read_bytes()[:4] == b"\x89PNG"
    forest = window.chart_pane.spec(ChartKind.FOREST)
    (row,) = [p for s in forest.series for p in s.points]
    assert "Sponsor-posted Odds Ratio (OR): 15.231" in row.tooltip
    assert "DIFFERS from the app's crude odds ratio: 11.93" in row.tooltip

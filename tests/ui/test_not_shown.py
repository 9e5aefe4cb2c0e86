"""A ticked drug with no data is never silently absent: the chart names it, or the window does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from viewer.charts.describe import unnamed
from viewer.charts.spec import ChartKind
from viewer.ui.main_window import MainWindow


def test_each_chart_names_or_the_window_names_every_ticked_drug(
    qtbot: Any, make_main_window: Callable[..., MainWindow]
) -> None:
    window = make_main_window()
    window.state.update_query(drugs=("tofacitinib", "ruxolitinib", "peficitinib"))
    names = ["Tofacitinib", "Ruxolitinib", "Peficitinib"]
    pane = window.chart_pane
    for kind in ChartKind:
        pane.show_kind(kind)
        spec = pane.spec(kind)
        listed = pane.drawer.not_shown()
        if spec.is_empty:
            assert listed == [] and spec.empty_message  # the empty state says why
            continue
        left = unnamed(spec, names)
        assert [line.split(":")[0] for line in listed] == left, kind  # exactly those, none twice
        if listed:
            assert pane.drawer.missing.isVisible() and all(line in pane.drawer.missing.text() for line in listed)
    # Ruxolitinib has no ACR20 and no adverse-event counts: on the dose-response chart the window (or the
    # chart) says so with the session's reason.
    pane.show_kind(ChartKind.DOSE_RESPONSE)
    dose = pane.spec(ChartKind.DOSE_RESPONSE)
    if "Ruxolitinib" in unnamed(dose, names):
        assert "Ruxolitinib: ACR20: no results of Ruxolitinib for this outcome" in pane.drawer.not_shown()

"""On the log dose axis each drug's panel has its own dose range, and its axis break sits between its own
placebo and its own lowest dose (the break of the overlay's scale, the lowest dose of all drugs, was drawn
left of tofacitinib's placebo and outside upadacitinib's plot)."""

from __future__ import annotations

import pytest

from viewer.charts.build import build_chart
from viewer.charts.dose_axis import DoseAxis
from viewer.charts.panels import PanelMode
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


@pytest.mark.parametrize("adjusted", [False, True])
def test_each_panel_breaks_its_own_log_axis_between_placebo_and_its_lowest_dose(
    shipped_catalog: Catalog, adjusted: bool
) -> None:
    query = Query(drugs=FOUR, dose_axis=DoseAxis.LOG, population="MTX-IR", timepoint="week 12", adjusted=adjusted)
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, query)
    assert len(spec.panels) == 4
    for panel in spec.panels:
        doses = sorted({p.x for s in panel.series for p in s.points})
        breaks = [r.value for r in panel.ref_lines if r.vertical]
        placebo = [x for x, label in panel.x_ticks if label == "placebo"]
        lo, hi = panel.x_range or (0.0, 0.0)
        if adjusted:  # no placebo point: no break, and the placebo line of a difference chart stays
            assert not breaks and not placebo
            assert [r.value for r in panel.ref_lines if not r.vertical] == [0.0]
            continue
        assert len(breaks) == 1 and len(placebo) == 1, panel.title
        lowest = min(x for x in doses if x > placebo[0])
        assert lo < placebo[0] < breaks[0] < lowest <= hi, (panel.title, placebo, breaks, lowest)


def test_the_overlay_keeps_one_break_for_all_drugs(shipped_catalog: Catalog) -> None:
    query = Query(drugs=FOUR, dose_axis=DoseAxis.LOG, population="MTX-IR", timepoint="week 12", panels=PanelMode.NONE)
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, query)
    assert not spec.panels
    assert len([r for r in spec.ref_lines if r.vertical]) == 1

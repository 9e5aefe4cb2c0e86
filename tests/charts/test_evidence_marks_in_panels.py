"""Issue 15: the three evidence marks keep their legend entries when a chart is split into per-drug panels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.charts.build import build_chart
from viewer.charts.query import PanelMode, Query
from viewer.charts.spec import ChartKind, Mark

if TYPE_CHECKING:
    from viewer.domain.catalog import Catalog


def test_the_marks_are_keyed_once_in_the_first_panel(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(panels=PanelMode.DRUG))
    assert len(spec.panels) == 3
    drawn = {p.drawn_mark for panel in spec.panels for s in panel.series for p in s.points}
    assert drawn == {Mark.PRIMARY, Mark.SECONDARY, Mark.RECALLED}  # upadacitinib, tofacitinib, baricitinib
    first, *others = spec.panels
    assert [e.mark for e in first.legend if e.mark is not None] == [Mark.PRIMARY, Mark.SECONDARY, Mark.RECALLED]
    assert not [e for panel in others for e in panel.legend if e.mark is not None]
    overlay = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(panels=PanelMode.NONE))
    assert [e.mark for e in overlay.legend if e.mark is not None] == [Mark.PRIMARY, Mark.SECONDARY, Mark.RECALLED]

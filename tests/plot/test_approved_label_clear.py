"""The approved-dose axis' "approved" label is drawn clear of every mark: at the top of its line it sat on
upadacitinib's 1.6x interval (shipped chart, four drugs, 1440x900). Checked on the drawn items' scene boxes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QApplication

from viewer.charts.build import build_chart
from viewer.charts.dose_axis import APPROVED_LABEL, DoseAxis
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.plot.offscreen import OffscreenChart
from viewer.plot.result import RenderedChart

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")
HALF_MARK = 5.0  # px: half a marker or an interval's cap


def _mark_boxes(panel: RenderedChart) -> list[QRectF]:
    """Each drawn point with its interval, in scene pixels, as wide as its marker."""
    vb, boxes = panel.plot.vb, []
    for placed in panel.spec.placement.series:
        for p in placed.points:
            ends = [v for v in (p.y, p.low, p.high) if v is not None]
            top, bottom = vb.mapViewToScene(QPointF(p.x, max(ends))), vb.mapViewToScene(QPointF(p.x, min(ends)))
            boxes.append(
                QRectF(top.x() - HALF_MARK, top.y() - HALF_MARK, 2 * HALF_MARK, bottom.y() - top.y() + 2 * HALF_MARK)
            )
    return boxes


@pytest.mark.parametrize("kind", [ChartKind.DOSE_RESPONSE, ChartKind.TOLERABILITY])
@pytest.mark.parametrize("size", [(690, 700), (1010, 600)], ids=["1440x900", "1024x700"])
def test_the_approved_label_touches_no_mark(
    qapp: QApplication, shipped_catalog: Catalog, kind: ChartKind, size: tuple[int, int]
) -> None:
    query = Query(drugs=FOUR, population="MTX-IR", timepoint="week 12", dose_axis=DoseAxis.APPROVED)
    spec = build_chart(kind, shipped_catalog, query)
    with OffscreenChart(spec, *size, 1.0) as widget:
        QApplication.processEvents()
        rendered = widget.rendered
        assert rendered is not None and len(rendered.panels) == 4
        labels = 0
        for panel in rendered.panels:
            for line in panel.ref_lines:
                if getattr(line, "label", None) is None or line.label.toPlainText() != APPROVED_LABEL:
                    continue
                labels += 1
                box = line.label.sceneBoundingRect()
                assert panel.plot.vb.sceneBoundingRect().contains(box), panel.spec.title
                hits = [m for m in _mark_boxes(panel) if m.intersects(box)]
                assert not hits, (panel.spec.title, box, hits)
        assert labels == 4  # an empty panel keeps the line (the shared axis), its label clear of the message

"""Panels line up in an export: the journal-column preset (1050 x 700 px at 300 dpi) draws the forest plot's
stacked panels with every text column left out and the row labels narrower than on screen; each panel's
plot must still share the others' left and right edges (one effect axis), an empty panel included, which
shows its message and no numbers of its own. Measured on the plots' scene rectangles as exported."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.domain.catalog import Catalog
from viewer.export.figures import _logical
from viewer.plot.offscreen import OffscreenChart
from viewer.plot.result import RenderedChart

JOURNAL = (1050, 700, 300)  # the "Journal column" preset and the README's example
# ruxolitinib has no ACR20 figure at MTX-IR week 12: its panel is empty
WITH_EMPTY = ("upadacitinib", "tofacitinib", "baricitinib", "ruxolitinib")
FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


def spec_of(catalog: Catalog, kind: ChartKind, drugs: tuple[str, ...]) -> ChartSpec:
    return build_chart(kind, catalog, Query(drugs=drugs, population="MTX-IR", timepoint="week 12"))


def edges(panel: RenderedChart) -> tuple[float, float]:
    box = panel.plot.vb.sceneBoundingRect()
    return box.left(), box.right()


@pytest.mark.parametrize("drugs", [FOUR, WITH_EMPTY])
def test_stacked_forest_panels_share_their_plot_edges_in_a_journal_column(
    qapp: QApplication, shipped_catalog: Catalog, drugs: tuple[str, ...]
) -> None:
    spec = spec_of(shipped_catalog, ChartKind.FOREST, drugs)
    assert len(spec.panels) == 4
    offscreen = OffscreenChart(spec, *_logical(*JOURNAL))
    with offscreen as widget:
        assert offscreen.fitted.keep == 0  # the case that misaligned: every text column left out
        rendered = widget.rendered
        assert rendered is not None and len(rendered.panels) == 4
        lefts, rights = zip(*(edges(p) for p in rendered.panels), strict=True)
        assert max(lefts) - min(lefts) < 1, lefts
        assert max(rights) - min(rights) < 1, rights
        for panel in rendered.panels:
            assert panel.label_table is not None  # the row labels, as wide in every panel
            assert not panel.plot.getAxis("left").isVisible()  # no axis numbers beside them
        if drugs == WITH_EMPTY:
            empty = rendered.panels[3]
            assert empty.spec.is_empty and empty.message is not None
            assert "Ruxolitinib" in empty.message.toPlainText()
            assert empty.label_table is not None and empty.label_table.texts() == [[]]


def test_an_empty_panel_recycled_from_a_full_one_lines_up(qapp: QApplication, shipped_catalog: Catalog) -> None:
    """Going from four drugs with rows to a panel with none (and back) reuses the plots: nothing of the
    previous drawing's axes may remain (the left axis' numbers, its width)."""
    full, with_empty = (spec_of(shipped_catalog, ChartKind.FOREST, d) for d in (FOUR, WITH_EMPTY))
    with OffscreenChart(full, *_logical(*JOURNAL)) as widget:
        for spec in (with_empty, full, with_empty):
            widget.set_spec(spec)
            widget.show_columns(0)
            QApplication.processEvents()
            rendered = widget.rendered
            assert rendered is not None
            lefts = [edges(p)[0] for p in rendered.panels]
            assert max(lefts) - min(lefts) < 1, lefts
            assert not any(p.plot.getAxis("left").isVisible() for p in rendered.panels)


def test_side_by_side_panels_share_their_columns_edges_in_a_journal_column(
    qapp: QApplication, shipped_catalog: Catalog
) -> None:
    spec = spec_of(shipped_catalog, ChartKind.DOSE_RESPONSE, FOUR)
    assert spec.panel_columns == 2
    with OffscreenChart(spec, *_logical(*JOURNAL)) as widget:
        rendered = widget.rendered
        assert rendered is not None
        boxes = [p.plot.vb.sceneBoundingRect() for p in rendered.panels]
        for column in (boxes[0::2], boxes[1::2]):
            assert max(b.left() for b in column) - min(b.left() for b in column) < 1
            assert max(b.right() for b in column) - min(b.right() for b in column) < 1
        for row in (boxes[0:2], boxes[2:4]):
            assert abs(row[0].top() - row[1].top()) < 1 and abs(row[0].bottom() - row[1].bottom()) < 1

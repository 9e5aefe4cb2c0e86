"""An empty panel's message reads cleanly: the panel's grid lines stop at a margin of the chart's own background
around the words instead of running through them (an empty panel has no data to hide), light and dark; the
grid still runs across the rest of the panel, and beneath the data of a plot recycled for a panel with data."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.plot.offscreen import OffscreenChart
from viewer.plot.style import DARK, LIGHT, Theme
from viewer.plot.text import WrappedMessage

# ruxolitinib has no ACR20 figure at MTX-IR week 12: its forest panel is empty, its grid runs across the effect axis
WITH_EMPTY = ("upadacitinib", "tofacitinib", "baricitinib", "ruxolitinib")
FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


def _forest(catalog: Catalog, drugs: tuple[str, ...]) -> object:
    return build_chart(ChartKind.FOREST, catalog, Query(drugs=drugs, population="MTX-IR", timepoint="week 12"))


def _ring(image: QImage, left: int, top: int, right: int, bottom: int) -> set[str]:
    """The colours of a rectangle's outline (image pixels)."""
    points = [(x, y) for x in range(left, right + 1) for y in (top, bottom)]
    points += [(x, y) for y in range(top, bottom + 1) for x in (left, right)]
    return {QColor(image.pixel(x, y)).name() for x, y in points}


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_grid_lines_stop_at_the_empty_panels_message(
    qapp: QApplication, shipped_catalog: Catalog, theme: Theme
) -> None:
    with OffscreenChart(_forest(shipped_catalog, WITH_EMPTY), 900, 900, 1.0, theme) as widget:
        QApplication.processEvents()
        rendered = widget.rendered
        assert rendered is not None
        empty = rendered.panels[3]
        assert empty.spec.is_empty and isinstance(empty.message, WrappedMessage)
        image = widget.grab().toImage()
        box = widget.mapFromScene(empty.message.sceneBoundingRect()).boundingRect()
        view = widget.mapFromScene(empty.plot.vb.sceneBoundingRect()).boundingRect()
        assert view.contains(box)
        # inside the message's margin, clear of the letters: only the background (grid lines used to cross it)
        pad = int(WrappedMessage.PAD)
        assert _ring(image, box.left() + 2, box.top() + 2, box.right() - 2, box.top() + pad - 2) == {
            theme.background.lower()
        }
        assert _ring(image, box.left() + 2, box.bottom() - pad + 2, box.right() - 2, box.bottom() - 2) == {
            theme.background.lower()
        }
        # the grid is still drawn across the panel, above and below the message
        above = _ring(image, view.left() + 2, view.top() + 2, view.right() - 2, box.top() - 2)
        assert len(above) > 1, above
    # the same plots recycled for a chart with data in every panel: the grid stays beneath the view
    with OffscreenChart(_forest(shipped_catalog, WITH_EMPTY), 900, 900, 1.0, theme) as widget:
        rux = widget.rendered.panels[3].plot
        again = widget.set_spec(_forest(shipped_catalog, FOUR))
        assert again.panels[3].plot is rux and again.panels[3].message is None
        assert rux.getAxis("top").zValue() < rux.vb.zValue()

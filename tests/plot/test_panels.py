"""One panel per drug: the pure split (shared axis range, each drug's series and legend, empty panels
named) and its drawing (one plot per panel, aligned, the shared range on screen)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.plot.test_render import shown_chart
from viewer.charts.forest_panels import forest_panels
from viewer.charts.panels import PanelGroup, split_panels
from viewer.charts.spec import (
    ChartKind,
    ChartSpec,
    LegendEntry,
    Marker,
    Orientation,
    PanelLayout,
    Point,
    RefLine,
    Series,
    SeriesStyle,
    TextColumn,
)
from viewer.plot.canvas import ChartWidget
from viewer.plot.text import VerticalTitle

GROUPS = (
    PanelGroup("upa", "Upadacitinib", (LegendEntry("SELECT-NEXT", "#0072B2", Marker.CIRCLE),)),
    PanelGroup("filgo", "Filgotinib"),
    PanelGroup("tofa", "Tofacitinib"),
    PanelGroup("rux", "Ruxolitinib", empty_message="Ruxolitinib: no ACR20 figures in its trials."),
)


def overlay() -> ChartSpec:
    def series(name: str, group: str, xs: tuple[float, ...], ys: tuple[float, ...]) -> Series:
        points = tuple(Point(x, y, y - 5, y + 5, tooltip=f"{name} {x:g} mg") for x, y in zip(xs, ys, strict=True))
        return Series(name, "#0072B2", Marker.CIRCLE, points, group=group)

    return ChartSpec(
        kind=ChartKind.DOSE_RESPONSE,
        title="ACR20 by daily dose",
        x_label="Daily dose (mg/day)",
        y_label="Responding (%)",
        series=(
            series("Upadacitinib · SELECT-NEXT", "upa", (0, 15, 30), (36, 64, 66)),
            series("Filgotinib · FINCH 2", "filgo", (0, 100, 200), (31, 58, 66)),
            series("Tofacitinib · ORAL Solo", "tofa", (0, 10, 20), (27, 60, 72)),
        ),
        ref_lines=(RefLine(0.0, vertical=False),),
        footnotes=("Bars: 95% Wilson CI.",),
        warnings=("Cross-trial comparison.",),
    )


def test_split_gives_one_panel_per_group_with_the_shared_response_range() -> None:
    spec = split_panels(overlay(), GROUPS)
    assert [p.title for p in spec.panels] == ["Upadacitinib", "Filgotinib", "Tofacitinib", "Ruxolitinib"]
    assert [len(p.series) for p in spec.panels] == [1, 1, 1, 0]
    assert spec.series == () and spec.footnotes == ("Bars: 95% Wilson CI.",)
    assert spec.shown_warnings == ("Cross-trial comparison.",)
    assert spec.panels[0].legend == GROUPS[0].legend and spec.panels[1].legend == ()
    y_ranges = {p.y_range for p in spec.panels}
    assert len(y_ranges) == 1
    (low, high) = y_ranges.pop() or (0.0, 0.0)
    assert low < 22 and high > 77  # every panel's intervals (22 to 77) fit the one range
    # each drug keeps its own dose scale: filgotinib's 200 mg does not squeeze upadacitinib
    assert spec.panels[0].placement.x_range[1] < 40 < spec.panels[1].placement.x_range[1]
    assert spec.panels[3].is_empty and "no ACR20 figures" in spec.panels[3].empty_message
    assert all(p.ref_lines == overlay().ref_lines for p in spec.panels)
    assert len(spec.all_series()) == 3 and not spec.is_empty
    assert spec.panel_columns == 2  # four panels: two by two


def test_share_x_and_a_fixed_range_are_kept() -> None:
    fixed_y = replace(overlay(), y_range=(0.0, 100.0))
    fixed = split_panels(fixed_y, GROUPS[:2], share_x=True)
    assert {p.y_range for p in fixed.panels} == {(0.0, 100.0)}
    assert len({p.placement.x_range for p in fixed.panels}) == 1
    assert fixed.panel_columns == 2


def test_stacked_panels_share_x_and_keep_their_own_rows() -> None:
    rows = tuple(
        Series(f"arm {k}", "#000000", Marker.SQUARE, (Point(1.0 + k / 10, float(k), 0.9, 2.0 + k),),
               style=SeriesStyle.SCATTER, orientation=Orientation.HORIZONTAL, group="a" if k < 2 else "b")
        for k in range(4)
    )  # fmt: skip
    spec = ChartSpec(
        ChartKind.FOREST, "Risk ratio", "RR (log scale)", "", series=rows, x_log=True,
        y_ticks=tuple((float(k), f"arm {k}") for k in range(4)),
    )  # fmt: skip
    split = split_panels(spec, (PanelGroup("a", "A"), PanelGroup("b", "B")), layout=PanelLayout.COLUMN)
    assert [p.y_ticks for p in split.panels] == [((0.0, "arm 0"), (1.0, "arm 1")), ((2.0, "arm 2"), (3.0, "arm 3"))]
    assert split.panels[0].x_range == split.panels[1].x_range
    assert split.panel_columns == 1


@pytest.fixture
def chart(qtbot: QtBot) -> ChartWidget:
    return shown_chart(qtbot)


def test_panels_are_drawn_one_plot_each_aligned_with_one_response_range(chart: ChartWidget, qtbot: QtBot) -> None:
    spec = split_panels(overlay(), GROUPS)
    rendered = chart.set_spec(spec)
    qtbot.wait(1)
    assert len(rendered.panels) == 4
    assert [p.title.made_from[0] for p in rendered.panels if p.title is not None] == [g.title for g in GROUPS]
    drawn = rendered.panels[:3]
    y_ranges = {tuple(round(v, 6) for v in p.plot.vb.viewRange()[1]) for p in drawn}
    assert len(y_ranges) == 1
    # grid: plots of one row share their top edge; plots of one column their left edge
    boxes = [p.plot.vb.sceneBoundingRect() for p in rendered.panels]
    assert boxes[0].top() == pytest.approx(boxes[1].top(), abs=1)
    assert boxes[0].left() == pytest.approx(boxes[2].left(), abs=1)
    assert boxes[2].top() > boxes[0].bottom()
    assert rendered.panels[3].message is not None
    assert "no ACR20 figures" in rendered.panels[3].message.toPlainText()
    assert rendered.panels[0].legend is not None and rendered.panels[0].legend.names() == ["SELECT-NEXT"]
    # two rows: the response axis is titled once, beside both rows (a title per row ran into the next)
    assert not any(p.plot.getAxis("left").label.isVisible() for p in rendered.panels)
    (title,) = [item for item in rendered.panel_grid.items if isinstance(item, VerticalTitle)]
    assert title.text() == spec.panels[0].y_label
    box = title.sceneBoundingRect()
    assert box.right() <= boxes[0].left() and box.top() <= boxes[0].top() and box.bottom() >= boxes[2].bottom()
    label = title.item.sceneBoundingRect()  # the rotated text block: the cell's height, its line centred in it
    assert label.top() == pytest.approx(box.top(), abs=1) and label.bottom() == pytest.approx(box.bottom(), abs=1)
    assert title.item.document().defaultTextOption().alignment() == Qt.AlignmentFlag.AlignHCenter
    # tooltips come from each panel's own markers
    assert rendered.panels[1].tooltip_at("Filgotinib · FINCH 2", 2) == "Filgotinib · FINCH 2 200 mg"
    width, height = rendered.plot_area()
    assert width > boxes[0].width() and height > boxes[0].height()


def test_switching_between_panels_and_overlay_redraws_cleanly(chart: ChartWidget, qtbot: QtBot) -> None:
    chart.set_spec(split_panels(overlay(), GROUPS[:3]))
    single = chart.set_spec(overlay())
    qtbot.wait(1)
    assert not single.panels and len(single.series) == 3
    assert chart.ci.getItem(1, 0) is single.plot
    again = chart.set_spec(split_panels(overlay(), GROUPS[:3]))
    qtbot.wait(1)
    assert len(again.panels) == 3 and chart.ci.getItem(1, 0) is again.panel_grid


def _stack(effect_a: str) -> ChartSpec:
    """Two stacked forest panels with one text column; ``effect_a`` is the cell of panel A's row."""
    series = tuple(
        Series(
            name,
            "#0072B2",
            Marker.SQUARE,
            (Point(1.0, y, 0.5, 2.0),),
            SeriesStyle.SCATTER,
            Orientation.HORIZONTAL,
            group=name,
        )
        for name, y in (("a", 1.0), ("b", 0.0))
    )
    overlay = ChartSpec(
        ChartKind.FOREST,
        "Stacked",
        "Risk ratio",
        "",
        series=series,
        x_log=True,
        x_range=(0.2, 5.0),
        y_range=(-0.5, 1.5),
        y_ticks=((1.0, "row a"), (0.0, "row b")),
        text_columns=(TextColumn("RR", ((1.0, effect_a), (0.0, "1.0"))),),
    )
    return forest_panels(overlay, {"a": (0.5, 1.5), "b": (-0.5, 0.5)}, {"a": "A", "b": "B"}, ["a", "b"], {})


def test_a_stacked_panels_kept_columns_narrow_again_when_their_neighbours_do(qtbot: QtBot) -> None:
    """Stacked panels give a column one width in every panel, the widest panel's; a panel's table kept for the next
    drawing (the same cells) gets the next drawing's width, narrower too, never a width left by an older drawing."""
    chart = shown_chart(qtbot)
    wide = chart.set_spec(_stack("1.0 (0.5 to 2.0), a long cell of panel A"))
    kept = wide.panels[1].text_table
    wide_width = kept.widths[0]
    assert wide.panels[0].text_table.widths == kept.widths  # panel B's column as wide as panel A's long cell
    narrow = chart.set_spec(_stack("1.0"))
    assert narrow.panels[1].text_table is kept  # the same cells: the table laid out before
    assert kept.widths == narrow.panels[0].text_table.widths and kept.widths[0] < wide_width

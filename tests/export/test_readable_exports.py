"""Exported figures are readable whatever the preset: text is measured in the files themselves.

The forest plot of four drugs (44 rows and three text columns) is the hardest case: in the "Journal
column" preset (and the README's ``--width 1050 --height 700 --dpi 300`` example) it used to be shrunk
to 2-3 pt. Now no text in a PDF or SVG is below 6 pt; the page grows taller at the width asked for, the
text columns that cannot be read at that width are left out and named. Exports are print-ready white
unless ``--theme dark`` is asked for; on screen the chart follows the window's palette.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from viewer.charts.build import build_chart
from viewer.charts.forest_layout import clipped_value_labels
from viewer.charts.query import Effect, Query
from viewer.charts.spec import ChartKind, ChartSpec, Marker, Orientation, Point, Series, SeriesStyle
from viewer.domain.catalog import Catalog
from viewer.export.figures import export_chart
from viewer.plot.canvas import ChartWidget
from viewer.plot.fit import MIN_EXPORT_PT, MIN_SCREEN_PT
from viewer.plot.style import DARK, LIGHT
from viewer.ui.export_dialog import PRESETS

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


@pytest.fixture(scope="module")
def shipped(shipped_catalog: Catalog) -> Catalog:
    return shipped_catalog


@pytest.fixture(scope="module")
def forest(shipped: Catalog) -> ChartSpec:
    return build_chart(ChartKind.FOREST, shipped, Query(drugs=FOUR, effect=Effect.RR))


def pdf_text_sizes(path: Path) -> list[tuple[float, str]]:
    """(size in points, text) of every text run on the page, with the text and current matrices applied."""
    sizes: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        a, b, c, d = tm[0], tm[1], tm[2], tm[3]
        m = (a * cm[0] + b * cm[2], a * cm[1] + b * cm[3], c * cm[0] + d * cm[2], c * cm[1] + d * cm[3])
        sizes.append((size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])), text))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return sizes


def svg_text_sizes(path: Path) -> list[tuple[float, str]]:
    """(size in points, text) of every <text>: its font-size in viewBox units, through the groups'
    transforms, scaled from the viewBox to the physical width."""
    root = ET.parse(path).getroot()
    width_pt = float(root.attrib["width"].removesuffix("mm")) / 25.4 * 72.0
    points_per_unit = width_pt / float(root.attrib["viewBox"].split()[2])
    sizes: list[tuple[float, str]] = []

    def walk(element: ET.Element, scale: float, font_size: float) -> None:
        matrix = re.match(r"matrix\(([^)]*)\)", element.attrib.get("transform", ""))
        if matrix:
            a, b, c, d = (float(v) for v in matrix.group(1).split(",")[:4])
            scale *= math.sqrt(abs(a * d - b * c))
        font_size = float(element.attrib.get("font-size", font_size))
        if element.tag.endswith("}text") and "".join(element.itertext()).strip():
            sizes.append((font_size * scale * points_per_unit, "".join(element.itertext())))
        for child in element:
            walk(child, scale, font_size)

    walk(root, 1.0, 0.0)
    return sizes


SIZES = [(p.name, p.width_px, p.height_px, p.dpi) for p in PRESETS] + [("README example", 1050, 700, 300)]


@pytest.mark.parametrize(("name", "width", "height", "dpi"), SIZES, ids=[s[0].split(" (")[0] for s in SIZES])
def test_no_text_below_six_points_in_any_preset(
    qapp: QApplication, tmp_path: Path, forest: ChartSpec, name: str, width: int, height: int, dpi: int
) -> None:
    pdf = export_chart(forest, tmp_path / "f.pdf", width_px=width, height_px=height, dpi=dpi)
    svg = export_chart(forest, tmp_path / "f.svg", width_px=width, height_px=height, dpi=dpi)
    for sizes in (pdf_text_sizes(pdf), svg_text_sizes(svg)):
        assert len(sizes) > 40  # the rows' labels are text, not paths
        smallest = min(sizes)
        assert smallest[0] >= MIN_EXPORT_PT - 0.05, (name, smallest)
    page = PdfReader(pdf).pages[0].mediabox
    assert float(page.width) == pytest.approx(width / dpi * 72, abs=1.0)  # the width asked for ...
    assert float(page.height) >= height / dpi * 72 - 1.0  # ... and the height, or more for the rows


def test_a_journal_column_keeps_the_rows_and_names_the_columns_it_left_out(
    qapp: QApplication, tmp_path: Path, forest: ChartSpec
) -> None:
    svg = export_chart(forest, tmp_path / "f.svg", width_px=1050, height_px=700, dpi=300)
    texts = " ".join(text for _size, text in svg_text_sizes(svg))
    for row in ("SELECT-COMPARE", "ORAL Standard", "RA-BEAM", "FINCH 1", "Upadacitinib", "Filgotinib"):
        assert row in texts, row
    assert "left out at this width (too narrow to read); they are in the CSV export" in texts
    # A slide has room for every column: the effect and its CI, n/N and NNT, with the favours labels.
    wide = " ".join(
        t for _s, t in svg_text_sizes(export_chart(forest, tmp_path / "w.svg", width_px=1920, height_px=1080))
    )
    for word in ("RR (95% CI)", "n/N vs placebo", "NNT (95% CI)", "favours", "placebo", "drug →", "left out"):
        assert (word in wide) is (word != "left out"), word


def test_ratio_axis_ticks_are_plain_numbers_in_the_file(qapp: QApplication, tmp_path: Path, forest: ChartSpec) -> None:
    texts = [t.strip() for _s, t in svg_text_sizes(export_chart(forest, tmp_path / "f.svg"))]
    ticks = [t for t in texts if re.fullmatch(r"[0-9.,]+", t)]
    assert {"0.2", "0.5", "1", "2", "5"} <= set(ticks)
    assert not any("·10" in t or "10¹" in t or "e+" in t for t in texts)


def test_an_estimate_beyond_the_axis_is_an_arrow_with_its_value_in_the_file(qapp: QApplication, tmp_path: Path) -> None:
    """OR 169 on an axis that ends at 100: an arrowhead on the edge and '169' beside it, not a square at 100."""
    point = Point(x=169.0, y=1.0, low=20.0, high=100.0, clipped_high=True, label="arm", tooltip="OR 169")
    inside = Point(x=2.0, y=2.0, low=1.2, high=3.5, label="other", tooltip="OR 2")
    spec = ChartSpec(
        ChartKind.FOREST, "Clipped", "Odds ratio", "",
        series=(Series("d", "#0072B2", Marker.SQUARE, (point, inside), SeriesStyle.SCATTER, Orientation.HORIZONTAL),),
        x_log=True, x_range=(0.2, 100.0), y_range=(0.5, 2.5),
        labels=tuple(clipped_value_labels(point, (0.2, 100.0), ratio=True)),
    )  # fmt: skip
    chart = ChartWidget(auto_fit=False)
    drawn = chart.set_spec(spec)
    assert (2.0, 1.0, "right") in drawn.series["d"].arrows  # log10(100): the arrowhead on the edge
    chart.close()
    texts = [t.strip().strip("\u2003") for _s, t in svg_text_sizes(export_chart(spec, tmp_path / "o.svg"))]
    assert "169" in texts and "100" in texts  # the value beside the arrow; the axis still ends at 100


def _background(image: QImage) -> str:
    return image.pixelColor(2, 2).name()


def test_exports_are_white_unless_dark_is_asked_for(qapp: QApplication, tmp_path: Path, forest: ChartSpec) -> None:
    light = QImage(str(export_chart(forest, tmp_path / "l.png", width_px=800, height_px=600)))
    dark = QImage(str(export_chart(forest, tmp_path / "d.png", width_px=800, height_px=600, theme=DARK)))
    assert _background(light) == "#ffffff"
    assert _background(dark) == QColor(DARK.background).name()
    svg = export_chart(forest, tmp_path / "d.svg", theme=DARK)
    assert DARK.foreground.lower() in svg.read_text().lower()  # the text is light on the dark page


def test_the_screen_follows_the_window_palette(qtbot: QtBot, forest: ChartSpec) -> None:
    chart = ChartWidget()
    qtbot.addWidget(chart)
    assert chart.theme == LIGHT
    palette = chart.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8e8e8"))
    chart.set_spec(forest)
    chart.setPalette(palette)
    qtbot.waitUntil(lambda: chart.theme == DARK, timeout=1000)
    assert chart.backgroundBrush().color().name() == QColor(DARK.background).name()
    assert chart.rendered is not None and chart.rendered.title is not None
    assert chart.rendered.title.item.defaultTextColor().name() == QColor(DARK.foreground).name()


@pytest.mark.parametrize("size", [(1440, 900), (1024, 700), (700, 500)])
def test_a_long_chart_scrolls_on_screen_and_its_text_never_shrinks(
    qtbot: QtBot, forest: ChartSpec, size: tuple[int, int]
) -> None:
    chart = ChartWidget()
    qtbot.addWidget(chart)
    chart.resize(*size)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_spec(forest)
    qtbot.waitUntil(lambda: not chart._fit_pending, timeout=2000)
    assert chart.zoom == 1.0  # the default theme's smallest text is 8 pt: never shrunk on screen
    assert min(LIGHT.note_pt, LIGHT.tick_pt) / chart.zoom >= MIN_SCREEN_PT
    assert chart.fitted.height > 1.0 and chart.scrollbar.isVisible()
    assert chart.rendered is not None
    assert len(chart.rendered.panels) == len(FOUR)  # four drugs: one stacked panel each
    for panel in chart.rendered.panels:
        assert panel.plot.vb.height() >= len(panel.spec.y_ticks) * 14  # every row at full size
    top = chart.range.top()
    chart.scrollbar.setValue(chart.scrollbar.maximum())
    assert chart.range.top() > top  # it scrolls

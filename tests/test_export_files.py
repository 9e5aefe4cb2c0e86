"""Exported files: right size, DPI, real text, and safe writing (nothing half-written, ever)."""

from __future__ import annotations

import csv
import errno
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.specs import forest_rows
from viewer.charts.spec import (
    ChartKind,
    ChartSpec,
    Marker,
    Point,
    RefLine,
    Series,
    TextColumn,
)
from viewer.export import ExportError, chart_image, ensure_app, export_chart, write_csv
from viewer.plot.canvas import ChartWidget

ORANGE, BLUE = "#E69F00", "#0072B2"


def sample_spec() -> ChartSpec:
    """A dose-response chart with one big, isolated marker whose pixels the PNG test looks for."""
    upa = Series(
        name="upadacitinib",
        color=ORANGE,
        symbol=Marker.SQUARE,
        points=(
            Point(x=0, y=30.0, low=25.0, high=35.0, tooltip="placebo"),
            Point(x=1, y=60.0, low=54.0, high=66.0, tooltip="15 mg"),
        ),
    )
    tofa = Series(
        name="tofacitinib",
        color=BLUE,
        symbol=Marker.CIRCLE,
        points=(Point(x=0, y=20.0, tooltip="placebo"), Point(x=1, y=45.0, low=40.0, high=50.0, tooltip="5 mg")),
    )
    return ChartSpec(
        kind=ChartKind.DOSE_RESPONSE,
        title="ACR20 response by dose",
        x_label="Dose group",
        y_label="Responders (%)",
        series=(upa, tofa),
        x_ticks=((0.0, "placebo"), (1.0, "active")),
        y_range=(0.0, 100.0),
        footnotes=("Source: SELECT-NEXT, ORAL Standard.",),
    )


def forest_spec() -> ChartSpec:
    s = forest_rows(
        "risk ratio", (Point(x=1.5, y=1, low=1.1, high=9.0, clipped_high=True), Point(x=0.8, y=0, low=0.1, high=1.2))
    )
    return ChartSpec(
        kind=ChartKind.FOREST,
        title="Forest <&>",
        x_label="Risk ratio",
        y_label="",
        series=(s,),
        ref_lines=(RefLine(1.0, True),),
        x_log=True,
        x_range=(0.5, 4.0),
        y_ticks=((1.0, "baricitinib"), (0.0, "filgotinib")),
        y_range=(-0.6, 1.6),
        text_columns=(TextColumn("n/N", ((1.0, "80/198"), (0.0, "60/229"))),),
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- PNG ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("dpi", "dots_per_metre"), [(96, 3780), (300, 11811)])
def test_png_has_the_requested_size_and_dpi(qapp: QApplication, tmp_path: Path, dpi: int, dots_per_metre: int) -> None:
    path = export_chart(sample_spec(), tmp_path / "chart.png", width_px=1440, height_px=900, dpi=dpi)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1440, 900)
    assert image.dotsPerMeterX() == dots_per_metre
    assert image.dotsPerMeterY() == dots_per_metre
    assert image.pixelColor(2, 2) == QColor("#ffffff")
    assert image.pixelColor(1437, 897) == QColor("#ffffff")


def _pixel_of(qtbot: QtBot, spec: ChartSpec, size: tuple[int, int], dpi: int, x: float, y: float) -> tuple[int, int]:
    """Where data point (x, y) lands in an exported image, found the way the exporter lays out."""
    width, height = size
    scale = dpi / 96
    probe = ChartWidget(scale=scale)
    qtbot.addWidget(probe)
    probe.resize(round(width / scale), round(height / scale))
    probe.show()
    rendered = probe.set_spec(spec)
    qtbot.waitUntil(lambda: rendered.plot.vb.sceneBoundingRect().height() > 100, timeout=1000)
    qtbot.wait(10)
    scene = rendered.plot.vb.mapViewToScene(QPointF(x, y))
    return round(scene.x() * width / probe.width()), round(scene.y() * height / probe.height())


def _rgb(image: QImage) -> np.ndarray:
    """The image as a height × width × 3 uint8 array."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    return rows[:, : rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3).copy()


def _near(pixels: np.ndarray, color: str, tolerance: int = 40) -> np.ndarray:
    c = QColor(color)
    target = np.array([c.red(), c.green(), c.blue()], dtype=int)
    return np.all(np.abs(pixels.astype(int) - target) < tolerance, axis=-1)


@pytest.mark.parametrize("dpi", [96, 300])
def test_png_has_ink_where_the_point_is(qapp: QApplication, qtbot: QtBot, tmp_path: Path, dpi: int) -> None:
    size = (1200, 800)
    spec = sample_spec()
    image = QImage(str(export_chart(spec, tmp_path / "chart.png", width_px=size[0], height_px=size[1], dpi=dpi)))
    pixels = _rgb(image)
    px, py = _pixel_of(qtbot, spec, size, dpi, 1.0, 60.0)  # the 15 mg marker
    r = max(2, round(2 * dpi / 96))
    assert _near(pixels[py - r : py + r + 1, px - r : px + r + 1], ORANGE).mean() > 0.5, (px, py)
    # Away from the data (top left of the plot area, 95 % on a 0-100 axis) there is no ink.
    ex, ey = _pixel_of(qtbot, spec, size, dpi, -0.3, 95.0)
    assert pixels[ey, ex].min() > 200


def test_pens_are_thicker_in_a_300_dpi_png(qapp: QApplication, qtbot: QtBot) -> None:
    """A journal figure must not get hairlines: the whisker is about dpi/96 times wider in pixels."""
    spec = sample_spec()
    size = (1200, 800)

    def whisker_width(dpi: int) -> float:
        pixels = _rgb(chart_image(spec, size[0], size[1], dpi))
        px, py = _pixel_of(qtbot, spec, size, dpi, 1.0, 63.5)  # middle of the upper whisker
        # Ink across the row, antialiasing included: orange has no blue, the background is white.
        row = pixels[py, px - 30 : px + 31, 2].astype(float)
        return float(((255.0 - row) / 255.0).sum())

    thin, thick = whisker_width(96), whisker_width(300)
    assert 1.0 <= thin <= 2.5
    assert thick >= 2.5 * thin


def test_chart_image_for_the_clipboard(qapp: QApplication) -> None:
    image = chart_image(sample_spec(), 800, 500, 150)
    assert (image.width(), image.height()) == (800, 500)
    assert image.dotsPerMeterX() == round(150 / 0.0254)


def test_export_leaves_no_window_behind(qapp: QApplication, tmp_path: Path) -> None:
    before = len(QApplication.topLevelWidgets())
    export_chart(sample_spec(), tmp_path / "a.png", width_px=400, height_px=300)
    assert len(QApplication.topLevelWidgets()) == before


# --- SVG ------------------------------------------------------------------------------------------


def test_svg_is_valid_xml_with_real_text(qapp: QApplication, tmp_path: Path) -> None:
    spec = forest_spec()
    path = export_chart(spec, tmp_path / "chart.svg", width_px=1440, height_px=900, dpi=96)
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert [float(v) for v in root.attrib["viewBox"].split()] == [0, 0, 1440, 900]
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.find("svg:title", ns) is not None and root.find("svg:title", ns).text == "Forest <&>"
    texts = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text"))
    for word in ("baricitinib", "filgotinib", "Risk ratio", "80/198", "n/N", "risk ratio", "Forest <&>"):
        assert word in texts, word


def test_svg_at_300_dpi_keeps_the_physical_size(qapp: QApplication, tmp_path: Path) -> None:
    path = export_chart(sample_spec(), tmp_path / "chart.svg", width_px=1920, height_px=1080, dpi=300)
    root = ET.parse(path).getroot()
    width_mm = float(root.attrib["width"].removesuffix("mm"))
    assert width_mm == pytest.approx(1920 / 300 * 25.4, abs=0.5)
    assert [float(v) for v in root.attrib["viewBox"].split()] == [0, 0, round(1920 / 300 * 96), round(1080 / 300 * 96)]


# --- PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [96, 300])
def test_pdf_page_size_and_extractable_text(qapp: QApplication, tmp_path: Path, dpi: int) -> None:
    spec = sample_spec()
    path = export_chart(spec, tmp_path / "chart.pdf", width_px=1920, height_px=1080, dpi=dpi)
    assert path.read_bytes().startswith(b"%PDF")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(1920 / dpi * 72, abs=1.0)
    assert float(box.height) == pytest.approx(1080 / dpi * 72, abs=1.0)
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    for word in (spec.title, "upadacitinib", "tofacitinib", "Responders (%)", "placebo"):
        assert word in text, word
    assert reader.metadata is not None
    assert reader.metadata.title == spec.title
    assert reader.metadata.creator == "drug-viewer"


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_round_trips(tmp_path: Path) -> None:
    rows = [
        {"drug": "upadacitinib", "dose": "15 mg", "n": 221, "rate": 0.64, "note": 'says "hi", twice'},
        {"drug": "tofacitinib", "dose": "5 mg", "n": None, "rate": 0.52, "extra": "ignored"},
        {"drug": "bärícitinib — ü", "dose": "4 mg"},
    ]
    columns = ["drug", "dose", "n", "rate", "note"]
    path = write_csv(rows, columns, tmp_path / "table.csv")
    with path.open(newline="", encoding="utf-8") as f:
        back = list(csv.DictReader(f))
    assert list(back[0]) == columns
    assert back[0] == {"drug": "upadacitinib", "dose": "15 mg", "n": "221", "rate": "0.64", "note": 'says "hi", twice'}
    assert back[1]["n"] == "" and "extra" not in back[1]
    assert back[2] == {"drug": "bärícitinib — ü", "dose": "4 mg", "n": "", "rate": "", "note": ""}


def test_csv_gets_a_normal_file_mode(tmp_path: Path) -> None:
    path = write_csv([{"a": 1}], ["a"], tmp_path / "t.csv")
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


# --- failures: clear messages, nothing half-written -------------------------------------------------


def test_parent_is_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "chart.csv"
    with pytest.raises(ExportError, match=re.escape(f"cannot write to {target}: a parent in the path is not a folder")):
        write_csv([], ["a"], target)


def test_parent_does_not_exist(qapp: QApplication, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "chart.png"
    with pytest.raises(ExportError, match=re.escape(f"cannot write to {target}: folder does not exist")):
        export_chart(sample_spec(), target, width_px=300, height_px=200)
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_destination_is_a_directory(qapp: QApplication, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"folder{suffix}"
    target.mkdir()
    with pytest.raises(ExportError, match="is a directory"):
        export_chart(sample_spec(), target, width_px=300, height_px=200)
    assert target.is_dir()
    assert _leftovers(tmp_path) == []


def test_directory_detected_at_rename_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A directory appearing between the check and the rename still gives a clear message."""
    target = tmp_path / "t.csv"

    def replace(src: str, dst: object) -> None:
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(dst))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ExportError, match=re.escape(f"cannot write to {target}: is a directory")):
        write_csv([{"a": 1}], ["a"], target)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".csv"])
def test_disk_full_keeps_the_old_file_and_leaves_no_temp(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    target = tmp_path / f"chart{suffix}"
    target.write_bytes(b"previous version")
    real_write = os.write
    calls = {"n": 0}

    def write(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data)[:2])  # a partial write first ...
        raise OSError(errno.ENOSPC, "No space left on device")  # ... then the disk is full

    monkeypatch.setattr(os, "write", write)

    def export() -> Path:
        if suffix == ".csv":
            return write_csv([{"a": 1}], ["a"], target)
        return export_chart(sample_spec(), target, width_px=300, height_px=200)

    with pytest.raises(ExportError, match=re.escape(f"cannot write to {target}: disk full")):
        export()
    assert target.read_bytes() == b"previous version"
    assert _leftovers(tmp_path) == []


def test_permission_denied_at_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.csv"
    target.write_text("old")

    def replace(src: str, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ExportError, match=re.escape(f"cannot write to {target}: permission denied")):
        write_csv([{"a": 1}], ["a"], target)
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_fsync_failure_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(ExportError, match="Input/output error"):
        write_csv([{"a": 1}], ["a"], tmp_path / "t.csv")
    assert list(tmp_path.iterdir()) == []


def test_success_replaces_an_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_csv([{"a": 1}], ["a"], target)
    assert target.read_text() == "a\n1\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_unsupported_suffix_lists_the_supported_ones(qapp: QApplication, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.png, \.svg, \.pdf"):
        export_chart(sample_spec(), tmp_path / "chart.jpg")
    with pytest.raises(ExportError, match="no suffix"):
        export_chart(sample_spec(), tmp_path / "chart")
    assert list(tmp_path.iterdir()) == []


def test_absurd_sizes_are_refused(qapp: QApplication, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="out of range"):
        export_chart(sample_spec(), tmp_path / "a.png", width_px=0, height_px=100)
    with pytest.raises(ExportError, match="out of range"):
        export_chart(sample_spec(), tmp_path / "a.png", dpi=5)


def test_ensure_app_returns_the_running_application(qapp: QApplication) -> None:
    assert ensure_app() is qapp


def test_empty_chart_exports(qapp: QApplication, tmp_path: Path) -> None:
    spec = ChartSpec(
        kind=ChartKind.SELECTIVITY,
        title="Nothing",
        x_label="x",
        y_label="y",
        empty_message="No data for this selection.",
    )
    reader = PdfReader(export_chart(spec, tmp_path / "e.pdf", width_px=800, height_px=500))
    assert "No data for this selection." in re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert not math.isnan(float(reader.pages[0].mediabox.width))


def dense_forest_spec(rows: int = 36) -> ChartSpec:
    points = tuple(Point(x=1.5 + 0.01 * k, y=float(k), low=1.1, high=2.2) for k in range(rows))
    series = forest_rows("RR", points)
    long_note = "Sources: " + "a long citation, journal, year, table; " * 20
    return ChartSpec(
        kind=ChartKind.FOREST,
        title="Dense forest",
        x_label="Risk ratio",
        y_label="",
        series=(series,),
        x_log=True,
        x_range=(0.5, 4.0),
        y_ticks=tuple((float(k), f"Drug {k} mg · TRIAL-{k}") for k in range(rows)),
        y_range=(-0.7, rows - 0.3),
        text_columns=(TextColumn("n/N vs placebo", tuple((float(k), f"{k}/120 vs 30/118") for k in range(rows))),),
        footnotes=(long_note, long_note),
    )


def test_a_dense_chart_is_enlarged_to_fit_a_small_high_dpi_figure(qapp: QApplication) -> None:
    """1920 x 1080 at 300 dpi is a 614 x 346 canvas: too small for 36 rows at 9 pt. The chart is laid out
    larger and scaled down, but only until its smallest text reaches 6 pt; then the page grows taller at the
    width asked for, instead of squashing the rows or shrinking the text further."""
    from viewer.export.figures import _logical
    from viewer.plot.fit import MIN_EXPORT_PT, smallest_pt
    from viewer.plot.offscreen import OffscreenChart

    spec = dense_forest_spec()
    lw, lh, scale = _logical(1920, 1080, 300)
    offscreen = OffscreenChart(spec, lw, lh, scale)
    with offscreen as widget:
        fitted = offscreen.fitted
        assert 1.0 < fitted.factor <= smallest_pt(widget.theme) / MIN_EXPORT_PT
        assert fitted.height > 1.0
        assert widget.width() == round(lw * fitted.factor)
        assert widget.height() == round(lh * fitted.factor * fitted.height)
        assert widget.ci.geometry().width() <= widget.width() + 1
        assert widget.ci.geometry().height() <= widget.height() + 1
        assert widget.rendered is not None
        assert widget.rendered.plot.vb.height() >= 36 * 14
        assert widget.scale == pytest.approx(scale / fitted.factor)  # lines and markers shrink too
    # A light chart at screen resolution is left alone.
    with OffscreenChart(sample_spec(), 1440, 900, 1.0) as widget:
        assert (widget.width(), widget.height()) == (1440, 900)


def test_dense_chart_exports_keep_the_requested_width_and_grow_taller(qapp: QApplication, tmp_path: Path) -> None:
    spec = dense_forest_spec()
    image = QImage(str(export_chart(spec, tmp_path / "d.png", width_px=1920, height_px=1080, dpi=300)))
    assert image.width() == 1920 and image.height() > 1080
    reader = PdfReader(export_chart(spec, tmp_path / "d.pdf", width_px=1920, height_px=1080, dpi=300))
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(1920 / 300 * 72, abs=1.0)
    assert float(box.height) == pytest.approx(image.height() / 300 * 72, abs=1.0)  # PNG and PDF alike
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Drug 35 mg · TRIAL-35" in text and "35/120 vs 30/118" in text
    root = ET.parse(export_chart(spec, tmp_path / "d.svg", width_px=1920, height_px=1080, dpi=300)).getroot()
    assert float(root.attrib["width"].removesuffix("mm")) == pytest.approx(1920 / 300 * 25.4, abs=0.5)
    view_w, view_h = (float(v) for v in root.attrib["viewBox"].split()[2:])
    assert view_w > 614 and view_w / view_h == pytest.approx(1920 / image.height(), rel=0.01)

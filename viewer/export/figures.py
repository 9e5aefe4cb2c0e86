"""Charts as PNG, SVG and PDF, drawn by the same renderer as the screen (:mod:`viewer.plot`).

The scene is laid out at the *logical* size ``width_px / s × height_px / s`` with ``s = dpi / 96``
(enlarged by the fit rule when a dense chart needs it, :mod:`viewer.plot.fit`) and then painted:

* PNG: into a ``width_px × height_px`` image, i.e. magnified by ``s``. Text and geometry follow
  the painter; cosmetic pens and pixel-sized markers do not, so the scene is rendered with
  ``scale=s`` (see :mod:`viewer.plot.render`). The DPI is stamped on the image *after* painting, and
  the image is encoded by :mod:`viewer.export.png` (a third of the time of Qt's PNG writer).
* SVG and PDF: at 96 units per inch, 1:1 (``scale=1``), on a page of ``width_px / dpi`` inches.
  Any other resolution makes pyqtgraph's cached axis pictures replay at the wrong size.

pyqtgraph 0.14's ``SVGExporter`` fails on PySide6 6.11+: SVG is written with ``QSvgGenerator`` and PDF
with ``QPdfWriter``, both from the same scene.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from viewer.charts.spec import ChartSpec
from viewer.export.files import ExportError, write_atomically
from viewer.export.png import encode_png
from viewer.plot.offscreen import OffscreenChart, paint_chart
from viewer.plot.style import LIGHT, Theme
from viewer.plot.workarounds import svg_font_families

__all__ = ["CHART_SUFFIXES", "chart_bytes", "chart_image", "ensure_app", "export_chart"]

CHART_SUFFIXES: tuple[str, ...] = (".png", ".svg", ".pdf")
_LOGICAL_DPI = 96.0
_MAX_PIXELS = 20_000  # per side; beyond this QImage allocation fails or eats gigabytes


def ensure_app() -> QApplication:
    """Return the running QApplication, creating one (offscreen when there is no display) if needed.

    The command line exports without a window system (SSH, CI). The platform must be chosen
    before the application exists, and an explicit ``QT_QPA_PLATFORM`` is respected.
    """
    app = QApplication.instance()
    if app is None:
        if (
            not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication([sys.argv[0] if sys.argv and sys.argv[0] else "drug-viewer"])
    if not isinstance(app, QApplication):
        raise ExportError("charts can only be exported from a GUI application (a QCoreApplication is running)")
    return app


def _check_size(width_px: int, height_px: int, dpi: int) -> None:
    if not (0 < width_px <= _MAX_PIXELS and 0 < height_px <= _MAX_PIXELS):
        raise ExportError(f"image size {width_px}×{height_px} px is out of range (1 to {_MAX_PIXELS} per side)")
    if not 24 <= dpi <= 2400:
        raise ExportError(f"resolution {dpi} dpi is out of range (24 to 2400)")


def offscreen_chart(
    spec: ChartSpec, logical_w: int, logical_h: int, scale: float, theme: Theme = LIGHT
) -> OffscreenChart:
    """The chart laid out offscreen at the export's logical size (a ``QApplication`` is made if needed)."""
    ensure_app()
    return OffscreenChart(spec, logical_w, logical_h, scale, theme)


def _page_height(height_px: int, offscreen: OffscreenChart) -> int:
    """The height of the figure: as asked, or taller when its rows need it at a readable text size."""
    height = round(height_px * offscreen.height_factor)
    if height > _MAX_PIXELS:
        raise ExportError(
            f"the chart needs {height} px of height to keep its text at 6 pt or more ({_MAX_PIXELS} at most): "
            "export fewer rows, a smaller resolution or SVG/PDF at a lower dpi"
        )
    return height


def _logical(width_px: int, height_px: int, dpi: int) -> tuple[int, int, float]:
    scale = dpi / _LOGICAL_DPI
    return max(1, round(width_px / scale)), max(1, round(height_px / scale)), scale


def chart_image(spec: ChartSpec, width_px: int, height_px: int, dpi: int, theme: Theme = LIGHT) -> QImage:
    """The chart as a ``width_px``-wide image stamped with ``dpi`` (also for the clipboard), ``height_px`` tall
    or taller when its rows need it (:mod:`viewer.plot.fit`: text never below 6 pt)."""

    _check_size(width_px, height_px, dpi)
    lw, lh, scale = _logical(width_px, height_px, dpi)
    offscreen = offscreen_chart(spec, lw, lh, scale, theme)
    with offscreen as widget:
        page_h = _page_height(height_px, offscreen)
        image = QImage(width_px, page_h, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            paint_chart(widget, painter, width_px, page_h)
        finally:
            painter.end()
    # After painting: a non-96 DPI during painting blows up pyqtgraph's cached axis pictures.
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


@contextlib.contextmanager
def byte_buffer() -> Iterator[tuple[QBuffer, QByteArray]]:
    """An open in-memory device to paint or encode into; every format is built in memory first and
    written by one atomic replace, so a failed export never leaves a partial file."""

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        yield buffer, data
    finally:
        buffer.close()


def _png_bytes(spec: ChartSpec, width_px: int, height_px: int, dpi: int, theme: Theme) -> bytes:
    image = chart_image(spec, width_px, height_px, dpi, theme)
    # Painted over the theme's background: opaque unless that background is not (:mod:`viewer.export.png`).
    return encode_png(image, alpha=QColor(theme.background).alpha() < 255)


def _description(spec: ChartSpec) -> str:
    return "\n".join([f"drug-viewer {spec.kind} chart", *spec.shown_warnings, *spec.footnotes])


def _svg_bytes(spec: ChartSpec, width_px: int, height_px: int, dpi: int, theme: Theme) -> bytes:
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator  # the SVG and PDF writers on first use: a PNG needs neither

    lw, lh, _ = _logical(width_px, height_px, dpi)
    offscreen = offscreen_chart(spec, lw, lh, 1.0, theme)
    with offscreen as widget, byte_buffer() as (buffer, data):
        gen = QSvgGenerator()
        gen.setOutputDevice(buffer)
        gen.setResolution(int(_LOGICAL_DPI))
        # Physical size = width_px / dpi inches, as the PDF (taller when the rows need it).
        gen.setSize(QSize(lw, round(lh * offscreen.height_factor)))
        canvas_w, canvas_h = widget.width(), widget.height()  # larger than lw × lh if enlarged to fit
        gen.setViewBox(QRectF(0, 0, canvas_w, canvas_h))
        gen.setTitle(spec.title)
        gen.setDescription(_description(spec))
        painter = QPainter(gen)
        try:
            paint_chart(widget, painter, canvas_w, canvas_h)
        finally:
            painter.end()
    return svg_font_families(bytes(data.data()))


def _pdf_bytes(spec: ChartSpec, width_px: int, height_px: int, dpi: int, theme: Theme) -> bytes:
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    lw, lh, _ = _logical(width_px, height_px, dpi)
    offscreen = offscreen_chart(spec, lw, lh, 1.0, theme)
    with offscreen as widget, byte_buffer() as (buffer, data):
        pdf = QPdfWriter(buffer)
        pdf.setResolution(int(_LOGICAL_DPI))
        page = QPageSize(
            QSizeF(width_px / dpi * 72.0, height_px * offscreen.height_factor / dpi * 72.0),
            QPageSize.Unit.Point,
            "drug-viewer",
            QPageSize.SizeMatchPolicy.ExactMatch,
        )
        pdf.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        pdf.setTitle(spec.title)
        pdf.setCreator("drug-viewer")
        painter = QPainter(pdf)
        try:
            paint_chart(widget, painter, pdf.width(), pdf.height())
        finally:
            painter.end()
    return bytes(data.data())


_RENDERERS = {".png": _png_bytes, ".svg": _svg_bytes, ".pdf": _pdf_bytes}


def chart_bytes(
    spec: ChartSpec, suffix: str, *, width_px: int = 1920, height_px: int = 1080, dpi: int = 96, theme: Theme = LIGHT
) -> bytes:
    """The encoded chart for ``suffix`` (``.png``, ``.svg`` or ``.pdf``), without touching the disk.

    Exports are print-ready (white, :data:`~viewer.plot.style.LIGHT`) unless another ``theme`` is asked for."""
    renderer = _RENDERERS.get(suffix.lower())
    if renderer is None:
        raise ExportError(f"unsupported chart format {suffix or '(none)'!r}: use one of {', '.join(CHART_SUFFIXES)}")
    _check_size(width_px, height_px, dpi)
    return renderer(spec, width_px, height_px, dpi, theme)


def export_chart(
    spec: ChartSpec,
    path: Path,
    *,
    width_px: int = 1920,
    height_px: int = 1080,
    dpi: int = 96,
    theme: Theme = LIGHT,
) -> Path:
    """Export ``spec`` to ``path``; the format follows the suffix (.png, .svg, .pdf).

    ``width_px × height_px`` is the size in pixels at ``dpi``: a PNG has exactly these pixels,
    an SVG or PDF is ``width_px / dpi`` by ``height_px / dpi`` inches; a chart whose rows cannot be
    read at that height (text below 6 pt) gets a taller page at that width. Raises :class:`ExportError`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _RENDERERS:
        given = repr(path.suffix) if path.suffix else "(no suffix)"
        supported = ", ".join(CHART_SUFFIXES)
        raise ExportError(f"cannot write to {path}: unsupported format {given}; use one of {supported}")
    if path.is_dir():  # fail before spending time on rendering
        raise ExportError(f"cannot write to {path}: is a directory")
    data = chart_bytes(spec, suffix, width_px=width_px, height_px=height_px, dpi=dpi, theme=theme)
    return write_atomically(path, data)

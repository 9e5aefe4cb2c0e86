"""Export charts (PNG, SVG, PDF) and tables (CSV) to files, safely.

Every format is produced in memory first and then written with :func:`_write_atomically`: a
temporary file in the destination folder, ``fsync``, ``os.replace``. A failed export therefore
never leaves a half-written figure behind, and never destroys the file it was meant to replace.

Charts are drawn by the same :func:`viewer.ui.render.render` as on screen. The scene is laid out at
the *logical* size ``width_px / s × height_px / s`` with ``s = dpi / 96`` and then painted:

* PNG: into a ``width_px × height_px`` image, i.e. magnified by ``s``. Text and geometry follow
  the painter; cosmetic pens and pixel-sized markers do not, so the scene is rendered with
  ``scale=s`` (see :mod:`viewer.ui.render`). The DPI is stamped on the image *after* painting.
* SVG and PDF: at 96 units per inch, 1:1 (``scale=1``), on a page of ``width_px / dpi`` inches.
  Any other resolution makes pyqtgraph's cached axis pictures replay at the wrong size.

Qt is imported inside the functions: ``write_csv`` and the command-line start-up do not pay for it.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QBuffer, QByteArray
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from viewer.charts.spec import ChartSpec
    from viewer.ui.render import ChartWidget

__all__ = [
    "CHART_SUFFIXES",
    "ExportError",
    "chart_bytes",
    "chart_image",
    "ensure_app",
    "export_chart",
    "write_csv",
]

CHART_SUFFIXES: tuple[str, ...] = (".png", ".svg", ".pdf")
_LOGICAL_DPI = 96.0
_MAX_PIXELS = 20_000  # per side; beyond this QImage allocation fails or eats gigabytes


class ExportError(Exception):
    """An export could not be written; the message names the path and the cause for the user."""


_CAUSES = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EISDIR: "is a directory",
    errno.ENOENT: "folder does not exist",
    errno.ENOTDIR: "a parent in the path is not a folder",
    errno.ENAMETOOLONG: "file name too long",
}


def _cause(exc: OSError) -> str:
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return exc.strerror or str(exc)


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` would race other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all or nothing.

    The temporary file lives in the destination folder so that ``os.replace`` is a same-file-system
    rename. On any ``OSError`` the temporary file is removed and :class:`ExportError` is raised; an
    existing file at ``path`` is only replaced once the new content is safely on disk.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"cannot write to {path}: is a directory")
    folder = path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            # mkstemp creates 0600; give the file the mode a normal save would (or keep the old one).
            try:
                mode = path.stat().st_mode & 0o777
            except OSError:
                mode = 0o666 & ~_umask()
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise ExportError(f"cannot write to {path}: {_cause(exc)}") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def write_csv(rows: Sequence[Mapping[str, object]], columns: Sequence[str], path: Path) -> Path:
    """Write ``rows`` as CSV (UTF-8, header = ``columns``, missing keys empty, extra keys ignored).

    ``None`` becomes an empty cell; everything else goes through ``str``.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return _write_atomically(Path(path), buffer.getvalue().encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def ensure_app() -> QApplication:
    """Return the running QApplication, creating one (offscreen when there is no display) if needed.

    The command line exports without a window system (SSH, CI). The platform must be chosen
    before the application exists, and an explicit ``QT_QPA_PLATFORM`` is respected.
    """
    from PySide6.QtWidgets import QApplication

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


_MAX_FIT = 4.0  # enlarge the canvas at most 4x (text at a quarter of its size) to fit a chart


class _Offscreen:
    """A laid-out but never shown chart widget for an export, sized to fit the chart.

    The canvas starts at the logical size of the export (``width_px / s`` with ``s = dpi / 96``).
    A small, high-resolution figure (1920 px at 300 dpi is 614 logical pixels) may not hold a
    dense chart at the nominal font sizes: the plot gets squashed under the legend and notes, or
    the layout runs past the edge. The canvas is then enlarged step by step (aspect kept) until the
    chart fits, and the whole chart is scaled down onto the page: text, lines and markers shrink
    together, so the figure looks like the screen chart, only smaller (at most 4x, which keeps
    lines at 300 dpi above a quarter point). ``fit`` is the enlargement (1 when it fitted).

    ``WA_DontShowOnScreen`` lets ``show()`` run the layout (an unshown widget exports at a
    default size) without a window flashing on a real desktop. The widget is closed and deleted
    on exit; a widget left alive at interpreter exit can crash the teardown.
    """

    def __init__(self, spec: ChartSpec, logical_w: int, logical_h: int, scale: float) -> None:
        self.spec = spec
        self.size = (logical_w, logical_h)
        self.scale = scale
        self.fit = 1.0
        self.widget: ChartWidget | None = None

    def __enter__(self) -> ChartWidget:
        from PySide6.QtCore import Qt

        from viewer.ui.render import ChartWidget

        app = ensure_app()
        widget = ChartWidget(scale=self.scale, auto_fit=False)
        self.widget = widget
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.resize(*self.size)
        widget.set_spec(self.spec)
        widget.show()
        self._settle(app)
        while not self._fits(widget) and self.fit < _MAX_FIT:
            self.fit = min(self.fit * 1.2, _MAX_FIT)
            widget.resize(round(self.size[0] * self.fit), round(self.size[1] * self.fit))
            widget.scale = self.scale / self.fit  # the painter now magnifies by scale / fit
            widget.set_spec(self.spec)
            self._settle(app)
        return widget

    @staticmethod
    def _settle(app: Any) -> None:
        # Two rounds: wrapped notes and the legend change height once they know their width.
        app.processEvents()
        app.processEvents()

    def _fits(self, widget: ChartWidget) -> bool:
        from viewer.ui.render import plot_fits

        return plot_fits(widget)

    def __exit__(self, *exc: object) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        if self.widget is not None:
            self.widget.close()
            self.widget.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            self.widget = None


def _paint(widget: ChartWidget, painter: QPainter, width: float, height: float) -> None:
    """Paint the widget's scene into ``(0, 0, width, height)`` of an active painter.

    Items are put in export mode as pyqtgraph's own exporters do: markers are then drawn as
    vector paths instead of cached pixmaps (sharp in PDF/SVG). The background is painted
    explicitly: the view's background brush is not part of the scene.
    """
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QPainter

    scene = widget.scene()
    source = QRectF(0, 0, widget.width(), widget.height())
    target = QRectF(0, 0, width, height)
    background = QColor(widget.theme.background)
    opts: dict[str, Any] = {"antialias": True, "background": background, "painter": painter, "resolutionScale": 1.0}
    items = [item for item in scene.items() if hasattr(item, "setExportMode")]
    for item in items:
        item.setExportMode(True, opts)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.fillRect(target, background)
        scene.render(painter, target, source)
    finally:
        for item in items:
            item.setExportMode(False)


def _logical(width_px: int, height_px: int, dpi: int) -> tuple[int, int, float]:
    scale = dpi / _LOGICAL_DPI
    return max(1, round(width_px / scale)), max(1, round(height_px / scale)), scale


def chart_image(spec: ChartSpec, width_px: int, height_px: int, dpi: int) -> QImage:
    """The chart as a ``width_px × height_px`` image stamped with ``dpi`` (also for the clipboard)."""
    from PySide6.QtGui import QImage, QPainter

    _check_size(width_px, height_px, dpi)
    lw, lh, scale = _logical(width_px, height_px, dpi)
    with _Offscreen(spec, lw, lh, scale) as widget:
        image = QImage(width_px, height_px, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            _paint(widget, painter, width_px, height_px)
        finally:
            painter.end()
    # After painting: a non-96 DPI during painting blows up pyqtgraph's cached axis pictures.
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


@contextlib.contextmanager
def _byte_buffer() -> Iterator[tuple[QBuffer, QByteArray]]:
    """An open in-memory device to paint or encode into; every format is built in memory first and
    written by one atomic replace, so a failed export never leaves a partial file."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        yield buffer, data
    finally:
        buffer.close()


PNG_QUALITY = 80


def _png_bytes(spec: ChartSpec, width_px: int, height_px: int, dpi: int) -> bytes:

    image = chart_image(spec, width_px, height_px, dpi)
    with _byte_buffer() as (buffer, data):
        # Qt's PNG "quality" 80 is a lighter zlib level: ~30% faster than the default for ~8% more bytes.
        # The stub types the format as bytes, but the binding only accepts str.
        if not image.save(buffer, "PNG", PNG_QUALITY):  # type: ignore[call-overload]
            raise ExportError("could not encode the chart as PNG")
    return bytes(data.data())


def _description(spec: ChartSpec) -> str:
    return "\n".join([f"drug-viewer {spec.kind} chart", *spec.warnings, *spec.footnotes])


def _svg_bytes(spec: ChartSpec, width_px: int, height_px: int, dpi: int) -> bytes:
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    lw, lh, _ = _logical(width_px, height_px, dpi)
    with _Offscreen(spec, lw, lh, 1.0) as widget, _byte_buffer() as (buffer, data):
        gen = QSvgGenerator()
        gen.setOutputDevice(buffer)
        gen.setResolution(int(_LOGICAL_DPI))
        gen.setSize(QSize(lw, lh))  # physical size = width_px / dpi inches, as the PDF
        canvas_w, canvas_h = widget.width(), widget.height()  # larger than lw × lh if enlarged to fit
        gen.setViewBox(QRectF(0, 0, canvas_w, canvas_h))
        gen.setTitle(spec.title)
        gen.setDescription(_description(spec))
        painter = QPainter(gen)
        try:
            _paint(widget, painter, canvas_w, canvas_h)
        finally:
            painter.end()
    return bytes(data.data())


def _pdf_bytes(spec: ChartSpec, width_px: int, height_px: int, dpi: int) -> bytes:
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    lw, lh, _ = _logical(width_px, height_px, dpi)
    with _Offscreen(spec, lw, lh, 1.0) as widget, _byte_buffer() as (buffer, data):
        pdf = QPdfWriter(buffer)
        pdf.setResolution(int(_LOGICAL_DPI))
        page = QPageSize(
            QSizeF(width_px / dpi * 72.0, height_px / dpi * 72.0),
            QPageSize.Unit.Point,
            "drug-viewer",
            QPageSize.SizeMatchPolicy.ExactMatch,
        )
        pdf.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        pdf.setTitle(spec.title)
        pdf.setCreator("drug-viewer")
        painter = QPainter(pdf)
        try:
            _paint(widget, painter, pdf.width(), pdf.height())
        finally:
            painter.end()
    return bytes(data.data())


_RENDERERS = {".png": _png_bytes, ".svg": _svg_bytes, ".pdf": _pdf_bytes}


def chart_bytes(spec: ChartSpec, suffix: str, *, width_px: int = 1920, height_px: int = 1080, dpi: int = 96) -> bytes:
    """The encoded chart for ``suffix`` (``.png``, ``.svg`` or ``.pdf``), without touching the disk."""
    renderer = _RENDERERS.get(suffix.lower())
    if renderer is None:
        raise ExportError(f"unsupported chart format {suffix or '(none)'!r}: use one of {', '.join(CHART_SUFFIXES)}")
    _check_size(width_px, height_px, dpi)
    return renderer(spec, width_px, height_px, dpi)


def export_chart(spec: ChartSpec, path: Path, *, width_px: int = 1920, height_px: int = 1080, dpi: int = 96) -> Path:
    """Export ``spec`` to ``path``; the format follows the suffix (.png, .svg, .pdf).

    ``width_px × height_px`` is the size in pixels at ``dpi``: a PNG has exactly these pixels,
    an SVG or PDF is ``width_px / dpi`` by ``height_px / dpi`` inches. Raises :class:`ExportError`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _RENDERERS:
        given = repr(path.suffix) if path.suffix else "(no suffix)"
        supported = ", ".join(CHART_SUFFIXES)
        raise ExportError(f"cannot write to {path}: unsupported format {given}; use one of {supported}")
    if path.is_dir():  # fail before spending time on rendering
        raise ExportError(f"cannot write to {path}: is a directory")
    data = chart_bytes(spec, suffix, width_px=width_px, height_px=height_px, dpi=dpi)
    return _write_atomically(path, data)

"""The PNG writer: a file any reader decodes to the chart's own pixels, chunk by chunk as the PNG spec says."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from tests.test_export_files import sample_spec
from viewer.export import chart_image, export_chart
from viewer.export.png import SIGNATURE, encode_png


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk, each CRC checked: an independent reading of the file (PNG spec, 5.3)."""
    assert data[:8] == SIGNATURE
    found, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        found.append((kind, body))
        at += 12 + length
    assert at == len(data)
    return found


@pytest.mark.parametrize("dpi", [96, 300])
def test_exported_png_holds_the_chart_pixels_and_its_dpi(qapp: QApplication, tmp_path: Path, dpi: int) -> None:
    spec = sample_spec()
    path = export_chart(spec, tmp_path / "chart.png", width_px=900, height_px=500, dpi=dpi)
    parts = chunks(path.read_bytes())
    assert [kind for kind, _ in parts] == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    width, height, depth, colour, *methods = struct.unpack(">IIBBBBB", parts[0][1])
    assert (width, height, depth, colour, methods) == (900, 500, 8, 2, [0, 0, 0])  # opaque truecolour
    per_metre = round(dpi / 0.0254)
    assert struct.unpack(">IIB", parts[1][1]) == (per_metre, per_metre, 1)
    scanlines = zlib.decompress(parts[2][1])
    assert len(scanlines) == height * (1 + 3 * width)
    assert all(scanlines[y * (1 + 3 * width)] == 0 for y in range(height))  # filter type None on every line
    expected = chart_image(spec, 900, 500, dpi).convertToFormat(QImage.Format.Format_RGB888)
    read = QImage(str(path))  # Qt's own reader agrees with the raw scanlines
    assert read.convertToFormat(QImage.Format.Format_RGB888) == expected
    pixels = b"".join(scanlines[y * (1 + 3 * width) + 1 : (y + 1) * (1 + 3 * width)] for y in range(height))
    stride = expected.bytesPerLine()
    raw = bytes(expected.constBits())
    assert pixels == b"".join(raw[y * stride : y * stride + 3 * width] for y in range(height))


def test_translucent_pixels_keep_their_alpha_unpremultiplied(qapp: QApplication) -> None:
    image = QImage(3, 2, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    image.setPixelColor(0, 0, QColor(200, 100, 50, 128))
    image.setPixelColor(2, 1, QColor(10, 20, 30, 255))
    data = encode_png(image, alpha=True)
    header = dict(chunks(data))[b"IHDR"]
    assert header[9] == 6  # truecolour with alpha
    back = QImage.fromData(data).convertToFormat(QImage.Format.Format_ARGB32)
    assert back.pixelColor(0, 0) == QColor(200, 100, 50, 128)
    assert back.pixelColor(2, 1) == QColor(10, 20, 30, 255)
    assert back.pixelColor(1, 1).alpha() == 0

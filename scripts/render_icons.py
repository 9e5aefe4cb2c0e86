"""Render resources/icons/drug-viewer.svg to the PNG sizes desktops and Qt pick from.

The PNGs are committed (a bundle or a wheel needs no SVG renderer at install time); run this script
after changing the SVG: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_icons.py``.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from viewer.paths import ICON_SIZES, icon_png, icon_svg, resource_root


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(icon_svg()))
    if not renderer.isValid():
        sys.stderr.write(f"cannot read {icon_svg()}\n")
        return 1
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = icon_png(size)
        if not image.save(str(target), "PNG"):
            sys.stderr.write(f"cannot write {target}\n")
            return 1
        print(target.relative_to(resource_root().parent))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

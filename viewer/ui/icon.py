"""The application's icon in Qt: the window, the task switcher and the About box.

Every shipped PNG size goes into one QIcon, so Qt picks the nearest size instead of scaling one image
(the SVG stays the source; ``scripts/render_icons.py`` renders the PNGs).
"""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from viewer.paths import ICON_SIZES, icon_png

ABOUT_ICON_SIZE = 64


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)))
    return icon


def about_pixmap() -> QPixmap:
    return app_icon().pixmap(ABOUT_ICON_SIZE, ABOUT_ICON_SIZE)

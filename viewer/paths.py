"""Where the shipped data and resources are, from a checkout, an editable install or a wheel.

The wheel maps the top-level ``data/`` and ``resources/`` into the package (pyproject force-include);
a checkout has them beside the package. One resolver keeps every caller right in both cases.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _root(name: str) -> Path:
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def data_root() -> Path:
    return _root("data")


def resource_root() -> Path:
    return _root("resources")


def shipped_datasets() -> tuple[Path, ...]:
    """Every dataset folder shipped in data/ (the curated JAK catalog today)."""
    root = data_root()
    return tuple(sorted(p for p in root.iterdir() if p.is_dir() and (p / "trials.csv").is_file()))


# The application's identity on a Linux desktop: one reverse-DNS id names the desktop entry, the
# AppStream metainfo and the icon, and Qt reports it as the window's desktop file name.
APP_ID = "org.drugviewer.DrugViewer"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_svg() -> Path:
    return resource_root() / "icons" / "drug-viewer.svg"


def icon_png(size: int) -> Path:
    return resource_root() / "icons" / f"drug-viewer-{size}.png"


def desktop_file() -> Path:
    return resource_root() / "linux" / f"{APP_ID}.desktop"


def metainfo_file() -> Path:
    return resource_root() / "linux" / f"{APP_ID}.metainfo.xml"

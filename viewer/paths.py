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

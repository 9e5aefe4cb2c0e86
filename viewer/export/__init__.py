"""Export charts (PNG, SVG, PDF) and their numbers (CSV) to files, safely.

Two modules, by what they need: :mod:`~viewer.export.files` (atomic writes and CSV, standard library
only) and :mod:`~viewer.export.figures` (the chart pictures, drawn by :mod:`viewer.plot` with Qt). The
names of ``figures`` are loaded on first use (PEP 562), so a CSV export from the command line does not
pay for starting Qt and pyqtgraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from viewer.export.files import ExportError, write_atomically, write_csv

if TYPE_CHECKING:
    from viewer.export.figures import CHART_SUFFIXES, chart_bytes, chart_image, ensure_app, export_chart

__all__ = [
    "CHART_SUFFIXES",
    "ExportError",
    "chart_bytes",
    "chart_image",
    "ensure_app",
    "export_chart",
    "write_atomically",
    "write_csv",
]

_FIGURES = frozenset({"CHART_SUFFIXES", "chart_bytes", "chart_image", "ensure_app", "export_chart"})


def __getattr__(name: str) -> Any:
    if name in _FIGURES:
        from viewer.export import figures

        return getattr(figures, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

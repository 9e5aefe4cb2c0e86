"""The one-page report as a file: PDF or HTML by the suffix, written atomically.

Both front ends call :func:`export_report`: the window (File > Export report) and the command line
(``drug-viewer report ... -o report.pdf``), so the two write the same document for the same selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset
from viewer.export.figures import chart_bytes, ensure_app
from viewer.export.files import ExportError, write_atomically
from viewer.export.report_content import ReportContent, ReportError, build_report, dataset_lines
from viewer.export.report_html import report_html
from viewer.export.report_pdf import CHART_LOGICAL, report_pdf
from viewer.export.report_safety import build_safety_report

REPORT_SUFFIXES = (".pdf", ".html")


def report_content(
    catalog: Catalog,
    query: Query,
    kind: ChartKind,
    datasets: Sequence[Dataset],
    *,
    generated: datetime | None = None,
) -> ReportContent:
    """The report for a selection; raises :class:`ReportError` when it has nothing to report."""
    spec = build_chart(kind, catalog, query)
    if kind is ChartKind.SAFETY_RATES:
        return build_safety_report(catalog, query, spec, dataset_lines(datasets), generated=generated)
    return build_report(catalog, query, kind, spec, dataset_lines(datasets), generated=generated)


def report_bytes(content: ReportContent, suffix: str) -> bytes:
    ensure_app()
    if suffix == ".pdf":
        return report_pdf(content)
    if suffix == ".html":
        width, height = CHART_LOGICAL
        svg = chart_bytes(content.spec, ".svg", width_px=width, height_px=height)
        return report_html(content, svg).encode("utf-8")
    raise ExportError(f"unsupported report format {suffix or '(none)'!r}: use one of {', '.join(REPORT_SUFFIXES)}")


def export_report(
    path: Path,
    catalog: Catalog,
    query: Query,
    kind: ChartKind,
    datasets: Sequence[Dataset],
    *,
    generated: datetime | None = None,
) -> Path:
    """Write the report to ``path`` (``.pdf`` or ``.html``); raises ExportError or ReportError."""
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        given = repr(path.suffix) if path.suffix else "(no suffix)"
        raise ExportError(
            f"cannot write to {path}: unsupported format {given}; use one of {', '.join(REPORT_SUFFIXES)}"
        )
    if path.is_dir():
        raise ExportError(f"cannot write to {path}: is a directory")
    content = report_content(catalog, query, kind, datasets, generated=generated)
    return write_atomically(path, report_bytes(content, suffix))


__all__ = ["REPORT_SUFFIXES", "ReportError", "export_report", "report_bytes", "report_content"]

"""The window's chart and data export, and copy to the clipboard (File > Export chart/data, Edit > Copy).

A base of :class:`~viewer.ui.main_window.MainWindow`, kept in its own module so the window stays one
job: composing the panes. The methods are the window's public export handles (``window.export_chart_to``,
``window.export_data_to``, ``window.copy_chart``) used by scripts, soak tests and benchmarks; every file is
written by :mod:`viewer.export`, imported when first used so that opening the window does not load it (nor
the export dialog and the chart's table rows, with their dataclasses: ``bench``, ``startup_ratio``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from viewer.charts.spec import ChartKind
from viewer.ui import errors
from viewer.ui.chart_pane import ChartPane
from viewer.ui.settings import Settings
from viewer.ui.state import AppState


class WindowExports(QMainWindow):
    """Export and copy for a main window that has a ``chart_pane`` and a ``state``."""

    chart_pane: ChartPane
    state: AppState
    settings: Settings

    def _export_kind(self, kind: ChartKind | None) -> ChartKind:
        return kind or self.chart_pane.current_kind() or ChartKind.DOSE_RESPONSE

    def export_chart_to(
        self, path: Path, width_px: int, height_px: int, dpi: int, kind: ChartKind | None = None
    ) -> Path:
        """Write the chart (default: the current tab's) to ``path``; raises ``viewer.export.ExportError``,
        also when the chart is empty (its empty state is for the screen, never a file)."""
        from viewer.export import ExportError, export_chart

        kind = self._export_kind(kind)
        spec = self.chart_pane.spec(kind)
        if spec.is_empty:
            raise ExportError(self._nothing_to_export(kind, spec.empty_message))
        return export_chart(spec, Path(path), width_px=width_px, height_px=height_px, dpi=dpi)

    def export_data_to(self, path: Path, kind: ChartKind | None = None) -> Path:
        """Write the numbers of the current chart (or the compare table, when shown) as CSV; raises
        ``viewer.export.ExportError`` when there is no row (never a header-only file)."""
        from viewer.export import ExportError, write_csv

        if kind is None and self.chart_pane.current_kind() is None:
            columns, rows = self.chart_pane.compare.compare_model.as_rows()
            return write_csv(rows, columns, Path(path))
        kind = self._export_kind(kind)
        from viewer.charts.table import chart_rows  # the chart's rows: on first export (module docstring)

        columns_, rows_ = chart_rows(kind, self.state.catalog, self.state.query, self.chart_pane.spec(kind))
        if not rows_:
            raise ExportError(self._nothing_to_export(kind, "no row to write"))
        return write_csv(rows_, columns_, Path(path))

    def _nothing_to_export(self, kind: ChartKind, fallback: str) -> str:
        """Why the chart of ``kind`` shows nothing, in the session's words (the command line's too)."""
        problems = self.state.session.validate(kind=kind)
        reason = problems[0].message() if problems else fallback
        return f"Nothing to export: the current selection shows nothing on this chart ({reason})."

    def export_chart_dialog(self) -> None:
        kind = self.chart_pane.current_kind()
        if kind is None:
            self.statusBar().showMessage("Choose a chart tab to export a chart; Export data saves the table.", 6000)
            return
        from viewer.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self, self.chart_pane.spec(kind).title, self.settings)
        accepted = dialog.exec() == ExportDialog.DialogCode.Accepted
        options = dialog.options()
        dialog.deleteLater()  # a child of the window: without this, every export would leave one behind
        if not accepted:
            return
        suggested = str(self.settings.start_folder() / f"{kind.value}.{options.fmt}")
        path, _filter = QFileDialog.getSaveFileName(self, "Export chart", suggested, options.file_filter)
        if not path:
            return
        self.settings.remember_folder(Path(path))
        target = Path(path)
        if target.suffix.lower() != f".{options.fmt}":
            target = target.with_name(target.name + f".{options.fmt}")
        self._run_export(lambda: self.export_chart_to(target, options.width_px, options.height_px, options.dpi, kind))

    def export_data_dialog(self) -> None:
        kind = self.chart_pane.current_kind()
        name = kind.value if kind else "compare"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export data", str(self.settings.start_folder() / f"{name}.csv"), "CSV (*.csv)"
        )
        if path:
            self.settings.remember_folder(Path(path))
            target = Path(path) if Path(path).suffix else Path(path + ".csv")
            self._run_export(lambda: self.export_data_to(target))

    def _run_export(self, job: Callable[[], Path]) -> None:
        """Run an export; a failure (disk full, no permission) becomes a dialog, never a traceback."""
        from viewer.export import ExportError

        try:
            written = job()
        except ExportError as exc:
            errors.message_box(self, QMessageBox.Icon.Warning, "Export failed", str(exc))
            return
        self.statusBar().showMessage(f"Saved {written}", 8000)

    def copy_chart(self) -> None:
        """The current chart as an image (twice the on-screen size, 192 dpi) or the compare table as text."""
        kind = self.chart_pane.current_kind()
        clipboard = QGuiApplication.clipboard()
        if kind is None:
            self.chart_pane.compare.copy(whole=True)  # tab-separated text and an HTML table, every cell in full
            self.statusBar().showMessage("Compare table copied (tab-separated text and HTML table).", 5000)
            return
        from viewer.export import ExportError, chart_image

        chart = self.chart_pane.chart(kind)
        width, height = max(chart.width(), 480), max(chart.height(), 320)
        try:
            image = chart_image(self.chart_pane.spec(kind), 2 * width, 2 * height, 192)
        except ExportError as exc:
            errors.message_box(self, QMessageBox.Icon.Warning, "Copy failed", str(exc))
            return
        clipboard.setImage(image)
        self.statusBar().showMessage("Chart copied to the clipboard.", 5000)

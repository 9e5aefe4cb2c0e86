"""The Export chart dialog: a file format and a size, chosen by preset or by hand.

Presets name the places a chart ends up (a slide, a journal column, an A4 page) with the pixel size and
resolution that place needs, so nobody has to work out that 3.5 inches at 300 dpi is 1050 pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    width_px: int
    height_px: int
    dpi: int


PRESETS: tuple[Preset, ...] = (
    Preset("Slide (1920 × 1080 px, 96 dpi)", 1920, 1080, 96),
    Preset("Journal column (3.5 in wide: 1050 × 700 px, 300 dpi)", 1050, 700, 300),
    Preset("A4 landscape (297 × 210 mm: 3508 × 2480 px, 300 dpi)", 3508, 2480, 300),
)
CUSTOM = "Custom size"
FORMATS: tuple[tuple[str, str], ...] = (("PNG image", "png"), ("SVG vector", "svg"), ("PDF document", "pdf"))


@dataclass(frozen=True, slots=True)
class ExportOptions:
    fmt: str  # png, svg, pdf
    width_px: int
    height_px: int
    dpi: int

    @property
    def file_filter(self) -> str:
        return {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)", "pdf": "PDF document (*.pdf)"}[self.fmt]


class ExportDialog(QDialog):
    """Asks format and size; the caller then asks for the file name and exports."""

    def __init__(self, parent: QWidget | None = None, chart_title: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export chart")
        self.format = QComboBox(self)
        for text, value in FORMATS:
            self.format.addItem(text, value)
        self.preset = QComboBox(self)
        for preset in PRESETS:
            self.preset.addItem(preset.name)
        self.preset.addItem(CUSTOM)
        self.width_px = self._spin(100, 20000, " px")
        self.height_px = self._spin(100, 20000, " px")
        self.dpi = self._spin(72, 1200, " dpi")
        self.physical = QLabel(self)

        form = QFormLayout(self)
        if chart_title:
            title = QLabel(chart_title, self)
            title.setTextFormat(Qt.TextFormat.PlainText)  # the title may carry a term from a user file
            title.setWordWrap(True)
            form.addRow("Chart:", title)
        form.addRow("&Format:", self.format)
        form.addRow("&Size:", self.preset)
        form.addRow("&Width:", self.width_px)
        form.addRow("&Height:", self.height_px)
        form.addRow("&Resolution:", self.dpi)
        form.addRow("Printed size:", self.physical)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

        self.preset.currentIndexChanged.connect(self._apply_preset)
        for spin in (self.width_px, self.height_px, self.dpi):
            spin.valueChanged.connect(self._update_physical)
        self._apply_preset(0)

    def _spin(self, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        return spin

    def _apply_preset(self, index: int) -> None:
        custom = index >= len(PRESETS)
        for spin in (self.width_px, self.height_px, self.dpi):
            spin.setEnabled(custom)
        if not custom:
            preset = PRESETS[index]
            self.width_px.setValue(preset.width_px)
            self.height_px.setValue(preset.height_px)
            self.dpi.setValue(preset.dpi)
        self._update_physical()

    def _update_physical(self) -> None:
        dpi = self.dpi.value() or 96
        w_in, h_in = self.width_px.value() / dpi, self.height_px.value() / dpi
        self.physical.setText(f"{w_in:.2f} × {h_in:.2f} in ({25.4 * w_in:.0f} × {25.4 * h_in:.0f} mm)")

    def options(self) -> ExportOptions:
        return ExportOptions(
            str(self.format.currentData()), self.width_px.value(), self.height_px.value(), self.dpi.value()
        )

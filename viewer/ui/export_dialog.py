"""The Export chart dialog: a file format and a size, chosen by preset or by hand, as chosen last time.

Presets name the places a chart ends up (a slide, a journal column, an A4 page) with the pixel size and
resolution that place needs, so nobody has to work out that 3.5 inches at 300 dpi is 1050 pixels.

A user exporting a series of figures for one report wants them alike, so the dialog opens with the format and
size of the last export it confirmed (QSettings ``export/*``, as the folder is remembered by the file dialog
that follows): a preset by its name, a custom size by its numbers. What is read back is checked field by
field, as the remembered query is: an unknown format or preset, or a number the fields cannot hold (a
hand-edited or damaged file, a size of a later version), gives that field's default, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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

from viewer.ui.settings import Settings


class ExportFormat(StrEnum):
    """A file a chart is written as: the value is its suffix, and what the settings keep."""

    PNG = "png"
    SVG = "svg"
    PDF = "pdf"


class Size(StrEnum):
    """A preset, or a size typed in: the value is what the settings keep."""

    SLIDE = "slide"
    JOURNAL = "journal"
    A4 = "a4"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class Preset:
    size: Size
    name: str
    width_px: int
    height_px: int
    dpi: int


PRESETS: tuple[Preset, ...] = (
    Preset(Size.SLIDE, "Slide (1920 × 1080 px, 96 dpi)", 1920, 1080, 96),
    Preset(Size.JOURNAL, "Journal column (3.5 in wide: 1050 × 700 px, 300 dpi)", 1050, 700, 300),
    Preset(Size.A4, "A4 landscape (297 × 210 mm: 3508 × 2480 px, 300 dpi)", 3508, 2480, 300),
)
CUSTOM = "Custom size"
FORMATS: tuple[tuple[str, ExportFormat], ...] = (
    ("PNG image", ExportFormat.PNG),
    ("SVG vector", ExportFormat.SVG),
    ("PDF document", ExportFormat.PDF),
)
PIXELS, DPI = (100, 20000), (72, 1200)  # what the size fields take (lowest, highest)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    fmt: ExportFormat
    width_px: int
    height_px: int
    dpi: int

    @property
    def file_filter(self) -> str:
        return {
            ExportFormat.PNG: "PNG image (*.png)",
            ExportFormat.SVG: "SVG image (*.svg)",
            ExportFormat.PDF: "PDF document (*.pdf)",
        }[self.fmt]


class ExportDialog(QDialog):
    """Asks format and size, opening on the last ones confirmed in ``settings``; the caller then asks for the
    file name and exports."""

    def __init__(self, parent: QWidget | None = None, chart_title: str = "", settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export chart")
        self.settings = settings
        self.format = QComboBox(self)
        for text, value in FORMATS:
            self.format.addItem(text, value)
        self.format.setToolTip(
            "PNG: pixels, for slides and documents; SVG and PDF: vectors, sharp at any zoom, their text kept as text"
        )
        self.preset = QComboBox(self)
        for preset in PRESETS:
            self.preset.addItem(preset.name, preset.size)
        self.preset.addItem(CUSTOM, Size.CUSTOM)
        self.preset.setToolTip("Where the chart goes: each place's pixel size and resolution, or a size of your own")
        self.width_px = self._spin(PIXELS, " px", "The picture's width in pixels (with Custom size)")
        self.height_px = self._spin(PIXELS, " px", "The picture's height in pixels (with Custom size)")
        self.dpi = self._spin(DPI, " dpi", "Pixels to the inch: the printed size, and the text's size in pixels")
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
        ok.setToolTip("Choose the file name next; these choices open the next export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

        self.preset.currentIndexChanged.connect(self._apply_preset)
        for spin in (self.width_px, self.height_px, self.dpi):
            spin.valueChanged.connect(self._update_physical)
        self._apply_preset(0)
        if settings is not None:
            self._restore(settings)

    def _spin(self, limits: tuple[int, int], suffix: str, tip: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(*limits)
        spin.setSuffix(suffix)
        spin.setToolTip(tip)
        return spin

    def _restore(self, settings: Settings) -> None:
        """The last format and size confirmed (module docstring); each unreadable one stays the default."""
        fmt = settings.get_enum("export/format", ExportFormat(self.format.currentData()))
        self.format.setCurrentIndex(self.format.findData(fmt))
        size = settings.get_enum("export/size", Size(self.preset.currentData()))
        self.preset.setCurrentIndex(self.preset.findData(size))
        if size is Size.CUSTOM:  # the first preset's numbers stand for any that cannot be held
            for spin, key, limits in (
                (self.width_px, "export/width_px", PIXELS),
                (self.height_px, "export/height_px", PIXELS),
                (self.dpi, "export/dpi", DPI),
            ):
                value = settings.get_int(key)
                if limits[0] <= value <= limits[1]:
                    spin.setValue(value)

    def accept(self) -> None:
        """Confirmed: these choices are the ones the next export opens with."""
        if self.settings is not None:
            options = self.options()
            self.settings.set("export/format", options.fmt.value)
            self.settings.set("export/size", Size(self.preset.currentData()).value)
            self.settings.set("export/width_px", options.width_px)
            self.settings.set("export/height_px", options.height_px)
            self.settings.set("export/dpi", options.dpi)
        super().accept()

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
            ExportFormat(self.format.currentData()), self.width_px.value(), self.height_px.value(), self.dpi.value()
        )

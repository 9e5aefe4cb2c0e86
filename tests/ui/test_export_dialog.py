"""File > Export chart opens on the format and size of the last export confirmed, in this run and the next
(QSettings ``export/*``), and a remembered value that cannot be used gives that field's default."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from viewer.ui.export_dialog import PRESETS, ExportDialog, ExportFormat, ExportOptions, Size
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

Make = Callable[..., MainWindow]
DEFAULT = ExportOptions(ExportFormat.PNG, PRESETS[0].width_px, PRESETS[0].height_px, PRESETS[0].dpi)


def fresh(path: Path) -> Settings:
    """The settings as the next run reads them: a new QSettings over the file (every value text again)."""
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def choose(dialog: ExportDialog, fmt: ExportFormat, size: Size, numbers: tuple[int, int, int] = (0, 0, 0)) -> None:
    """What a user does: pick a format and a size (typing the numbers of a custom size)."""
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.preset.setCurrentIndex(dialog.preset.findData(size))
    if size is Size.CUSTOM:
        for spin, value in zip((dialog.width_px, dialog.height_px, dialog.dpi), numbers, strict=True):
            spin.setValue(value)


def shown(dialog: ExportDialog) -> tuple[ExportOptions, str, bool]:
    """The dialog's choices, the size shown and whether its numbers can be typed."""
    return dialog.options(), dialog.preset.currentText(), dialog.width_px.isEnabled()


def press(qtbot: Any, dialog: ExportDialog, button: QDialogButtonBox.StandardButton) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("fmt", "size", "numbers", "expected"),
    [
        (ExportFormat.SVG, Size.CUSTOM, (1234, 567, 150), ExportOptions(ExportFormat.SVG, 1234, 567, 150)),
        (ExportFormat.PDF, Size.JOURNAL, (0, 0, 0), ExportOptions(ExportFormat.PDF, 1050, 700, 300)),
    ],
)
def test_the_next_dialog_opens_on_the_choices_confirmed(
    qtbot: Any,
    tmp_path: Path,
    fmt: ExportFormat,
    size: Size,
    numbers: tuple[int, int, int],
    expected: ExportOptions,
) -> None:
    path = tmp_path / "viewer.ini"
    settings = fresh(path)
    first = ExportDialog(None, "Chart", settings)
    qtbot.addWidget(first)
    assert first.options() == DEFAULT  # nothing remembered yet
    choose(first, fmt, size, numbers)
    press(qtbot, first, QDialogButtonBox.StandardButton.Ok)
    settings.sync()
    again = ExportDialog(None, "Chart", fresh(path))
    qtbot.addWidget(again)
    preset = next((p.name for p in PRESETS if p.size is size), "Custom size")
    assert shown(again) == (expected, preset, size is Size.CUSTOM)


def test_a_cancelled_dialog_changes_nothing(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "viewer.ini"
    settings = fresh(path)
    first = ExportDialog(None, "Chart", settings)
    qtbot.addWidget(first)
    choose(first, ExportFormat.PDF, Size.A4)
    press(qtbot, first, QDialogButtonBox.StandardButton.Ok)
    second = ExportDialog(None, "Chart", settings)
    qtbot.addWidget(second)
    choose(second, ExportFormat.SVG, Size.CUSTOM, (640, 480, 72))
    press(qtbot, second, QDialogButtonBox.StandardButton.Cancel)
    settings.sync()
    third = ExportDialog(None, "Chart", fresh(path))
    qtbot.addWidget(third)
    assert third.options() == ExportOptions(ExportFormat.PDF, 3508, 2480, 300)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unknown format or size: that field's default, the other one kept
        ("format=tiff\nsize=a4\n", ExportOptions(ExportFormat.PNG, 3508, 2480, 300)),
        ("format=svg\nsize=poster\nwidth_px=900\n", ExportOptions(ExportFormat.SVG, 1920, 1080, 96)),
        ("format=\nsize=\n", DEFAULT),
        # a custom size's numbers the fields cannot hold: the first preset's, the others kept
        (
            "format=pdf\nsize=custom\nwidth_px=abc\nheight_px=50\ndpi=99999\n",
            ExportOptions(ExportFormat.PDF, 1920, 1080, 96),
        ),
        ("size=custom\nwidth_px=800\nheight_px=-3\ndpi=150.5\n", ExportOptions(ExportFormat.PNG, 800, 1080, 96)),
        ("size=custom\nwidth_px=20000\nheight_px=100\ndpi=1200\n", ExportOptions(ExportFormat.PNG, 20000, 100, 1200)),
        # a list where text belongs reads as missing
        ("format=png, svg\nsize=custom\nwidth_px=1, 2\n", ExportOptions(ExportFormat.PNG, 1920, 1080, 96)),
    ],
)
def test_a_remembered_value_that_cannot_be_used_gives_the_default(
    qtbot: Any, tmp_path: Path, text: str, expected: ExportOptions
) -> None:
    path = tmp_path / "viewer.ini"
    path.write_text("[export]\n" + text, encoding="utf-8")
    dialog = ExportDialog(None, "Chart", fresh(path))
    qtbot.addWidget(dialog)
    assert dialog.options() == expected


def test_a_file_of_garbage_bytes_opens_the_default_dialog(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "garbage.ini"
    path.write_bytes(
        b"\x00\xff\xfe [[[\n[export]\nformat=\xc3\x28\nsize=custom\nwidth_px=\x00\x00\ndpi=@ByteArray(zz\n"
    )
    dialog = ExportDialog(None, "Chart", fresh(path))
    qtbot.addWidget(dialog)
    assert dialog.options() == DEFAULT


def test_file_export_chart_remembers_between_runs(
    qtbot: Any, make_main_window: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set in the window's dialog, export, close the window; the next window's dialog shows the same choice, and
    its file dialog suggests that format's name in the folder of the last export."""
    ini = tmp_path / "run.ini"
    saved: list[str] = []

    def save_file(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        saved.append(suggested)
        return str(tmp_path / "out" / Path(suggested).name), ""

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file)
    seen: list[tuple[ExportOptions, str, bool]] = []

    def in_the_dialog(act: Callable[[ExportDialog], None]) -> None:
        def later() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, ExportDialog)
            seen.append(shown(dialog))
            act(dialog)

        QTimer.singleShot(0, later)

    def set_and_export(dialog: ExportDialog) -> None:
        choose(dialog, ExportFormat.SVG, Size.CUSTOM, (1200, 800, 150))
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    window = make_main_window(settings=fresh(ini))
    in_the_dialog(set_and_export)
    window.export_chart_action.trigger()
    assert seen == [(DEFAULT, PRESETS[0].name, False)]
    written = tmp_path / "out" / Path(saved[0]).name
    assert written.suffix == ".svg"
    assert '<svg width="203.2mm" height="135.467mm"' in written.read_text(encoding="utf-8")  # 1200 × 800 at 150 dpi
    window.close()

    again = make_main_window(settings=fresh(ini))
    in_the_dialog(lambda dialog: press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok))
    again.export_chart_action.trigger()
    assert seen[-1] == (ExportOptions(ExportFormat.SVG, 1200, 800, 150), "Custom size", True)
    assert saved[-1] == str(tmp_path / "out" / "dose-response.svg")  # the folder was remembered already

"""An unexpected exception in the running window: logged, shown with its traceback, and survived.

These tests build the window the way the app does, with the exception hook installed, and make a real
handler fail: a slot reached through widget signals, a timer callback run by the event loop, and a
virtual method (an event filter) called from C++. pytest-qt's own capture is switched off
(``qt_no_exception_capture``) so the app's hook is the one that sees the exceptions; ``sys.excepthook``
is restored after each test. The log goes to the user's data folder, which is pointed at ``tmp_path``
through ``XDG_DATA_HOME`` (where Qt looks on Linux), so no test writes to the real home folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMessageBox

from viewer.charts.build import build_chart
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.ui import errors
from viewer.ui.main_window import MainWindow, build_main_window
from viewer.ui.settings import Settings

pytestmark = [pytest.mark.qt_no_exception_capture, pytest.mark.skipif(sys.platform != "linux", reason="XDG paths")]


@dataclass
class Running:
    window: MainWindow
    hook: errors.ExceptionHook
    log: Path
    boxes: list[dict[str, Any]]

    def dose_spec(self) -> ChartSpec:
        spec = self.window.chart_pane.chart(ChartKind.DOSE_RESPONSE).spec
        assert spec is not None
        return spec

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


@pytest.fixture
def running(
    qtbot: Any,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: list[dict[str, Any]],
) -> Running:
    """The window as the app builds it, hook included (``install_excepthook=True``)."""
    data_home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # whatever the app installs is undone afterwards
    window = build_main_window(settings=settings, install_excepthook=True)
    window.loader.show_progress = False
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    hook = sys.excepthook
    assert isinstance(hook, errors.ExceptionHook)
    log = errors.log_path()
    assert log.is_relative_to(data_home), log  # the user's data folder, here under tmp_path
    assert not log.exists()
    return Running(window, hook, log, message_boxes)


def fail_once(message: str) -> Callable[..., None]:
    """A callable that raises the first time only (so the test can check the window recovers)."""
    calls: list[int] = []

    def boom(*_args: object, **_kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError(message)

    return boom


def assert_reported_once(run: Running, message: str, where: str) -> None:
    """One critical dialog with the traceback in its details, and the same traceback in the log."""
    unexpected = [b for b in run.boxes if b["title"] == "Unexpected error"]
    assert len(unexpected) == 1, run.boxes
    box = unexpected[0]
    assert box["icon"] == QMessageBox.Icon.Critical
    # PySide prefixes an error from a virtual method: "Error calling Python override of ...: message".
    assert "RuntimeError: " in box["text"] and message in box["text"]
    assert str(run.log) in box["text"]  # the user is told where the details were written
    assert "carry on" in box["text"]
    details = box["details"]
    assert details.startswith("Traceback (most recent call last):")
    assert where in details and message in details.splitlines()[-1]
    logged = run.log_text()
    assert logged.count("===") == 2  # one dated entry
    assert details.strip() in logged


def assert_still_responds(qtbot: Any, run: Running, outcome: str) -> None:
    """The window answers the next change: the query moves and the visible chart is rebuilt from it."""
    combo = run.window.controls.outcome
    with qtbot.waitSignal(run.window.chart_pane.rebuilt, timeout=5000):
        combo.setCurrentIndex(combo.findData(outcome))
    assert run.window.state.query.outcome == outcome
    assert outcome in run.dose_spec().title
    assert not run.dose_spec().is_empty


def test_an_error_in_a_slot_is_logged_shown_and_survived(
    qtbot: Any, running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changing the outcome runs combo -> state -> chart pane slots; the chart build fails once."""
    message = "chart builder exploded <b>once</b>"
    real = build_chart
    boom = fail_once(message)

    def flaky_build(*args: Any, **kwargs: Any) -> ChartSpec:
        boom()
        return real(*args, **kwargs)

    monkeypatch.setattr("viewer.ui.chart_pane.build_chart", flaky_build)
    combo = running.window.controls.outcome
    combo.setCurrentIndex(combo.findData("ACR50"))  # the signal is emitted by Qt (C++), as on a click

    assert_reported_once(running, message, "flaky_build")
    assert running.window.state.query.outcome == "ACR50"  # the state took the change before the chart failed
    assert running.window.isVisible()
    assert "ACR50" not in running.dose_spec().title  # the chart could not be redrawn...
    pane = running.window.chart_pane
    pane.show_kind(ChartKind.FOREST)
    with qtbot.waitSignal(pane.rebuilt, check_params_cb=lambda kind: kind is ChartKind.DOSE_RESPONSE):
        pane.show_kind(ChartKind.DOSE_RESPONSE)  # ...and is retried when its tab is shown again
    assert "ACR50" in running.dose_spec().title
    assert_still_responds(qtbot, running, "ACR70")
    assert len(running.boxes) == 1


def test_an_error_in_a_timer_callback_is_logged_shown_and_survived(qtbot: Any, running: Running) -> None:
    message = "late callback failed"
    QTimer.singleShot(0, running.window, fail_once(message))
    qtbot.waitUntil(lambda: bool(running.boxes), timeout=5000)
    assert_reported_once(running, message, "boom")
    assert_still_responds(qtbot, running, "ACR50")


def test_an_error_in_a_virtual_method_is_logged_shown_and_survived(
    qtbot: Any, running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ChartPane.eventFilter is a C++ virtual overridden in Python; it fails on the next resize.

    Patched on the instance: replacing a virtual on the class once an instance exists crashes
    PySide6 6.11 on the next call from C++.
    """
    message = "event filter failed"
    pane = running.window.chart_pane
    real = pane.eventFilter
    boom = fail_once(message)

    def flaky_filter(watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            boom()
        return real(watched, event)

    monkeypatch.setattr(pane, "eventFilter", flaky_filter)
    chart = pane.chart(ChartKind.DOSE_RESPONSE)
    # Delivered by the event loop, as a resize from the window system is: no Python frame is above it.
    QCoreApplication.postEvent(chart, QResizeEvent(chart.size(), QSize(chart.width() + 10, chart.height())))
    qtbot.waitUntil(lambda: bool(running.boxes), timeout=5000)
    assert_reported_once(running, message, "flaky_filter")
    running.window.resize(running.window.width() - 100, running.window.height())  # the filter runs normally again
    qtbot.waitUntil(pane.warnings_visible)
    assert_still_responds(qtbot, running, "ACR50")


def test_an_error_while_the_dialog_is_open_is_logged_not_stacked(
    qtbot: Any, running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog runs an event loop; a second failure there is logged, without a second dialog."""
    shown: list[str] = []

    def exec_with_events(box: QMessageBox) -> int:
        shown.append(box.text())
        QTimer.singleShot(0, fail_once("second failure inside the dialog"))
        QCoreApplication.processEvents()  # what the dialog's own event loop would do
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_with_events)
    QTimer.singleShot(0, running.window, fail_once("first failure"))
    qtbot.waitUntil(lambda: running.log_text().count("===") == 4, timeout=5000)
    assert len(shown) == 1 and "first failure" in shown[0]
    logged = running.log_text()
    assert "RuntimeError: first failure" in logged
    assert "RuntimeError: second failure inside the dialog" in logged
    # The hook is ready for the next error: it shows a dialog again.
    QTimer.singleShot(0, running.window, fail_once("third failure"))
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    assert "third failure" in shown[1]
    assert_still_responds(qtbot, running, "ACR50")


def test_an_unwritable_log_is_said_and_the_dialog_still_shows(
    qtbot: Any, running: Running, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    running.hook.log_file = blocker / "errors.log"
    QTimer.singleShot(0, running.window, fail_once("nowhere to log"))
    qtbot.waitUntil(lambda: bool(running.boxes), timeout=5000)
    box = running.boxes[0]
    assert "RuntimeError: nowhere to log" in box["text"]
    assert "could not be written" in box["text"]
    assert "Traceback" in box["details"]
    assert_still_responds(qtbot, running, "ACR50")


def test_a_reader_bug_shows_the_dialog_and_keeps_what_was_loaded(
    qtbot: Any, running: Running, planted_reader_bug: Path
) -> None:
    """A KeyError planted in a reader reaches the loader's boundary as a bug: the unexpected-error dialog
    with its traceback, never "could not load data" (which would blame the user's file)."""
    window = running.window
    catalog, query, datasets = window.state.catalog, window.state.query, window.state.datasets
    with qtbot.waitSignal(window.loader.finished, timeout=10000) as blocker:
        assert window.open_paths([planted_reader_bug])
    outcome = blocker.args[0]
    assert outcome.bug is not None and outcome.bug.summary == "KeyError: 'planted'"
    assert [b["title"] for b in running.boxes] == ["Unexpected error"]
    box = running.boxes[0]
    assert box["icon"] == QMessageBox.Icon.Critical
    assert "KeyError: 'planted'" in box["text"] and str(running.log) in box["text"]
    assert box["details"].startswith("Traceback (most recent call last):") and "in planted" in box["details"]
    assert "KeyError: 'planted'" in running.log_text()
    assert window.state.catalog is catalog and window.state.datasets == datasets and window.state.query == query
    assert "unexpected error" in window.statusBar().currentMessage()
    assert not window.loader.is_busy()
    assert_still_responds(qtbot, running, "ACR50")

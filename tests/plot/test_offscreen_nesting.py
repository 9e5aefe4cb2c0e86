"""An export's offscreen chart runs no nested event loop: the window's pending work and other objects' deferred
deletes wait for the window's own event loop (the export runs inside the window's action)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from tests.plot.test_render import dose_response_spec
from viewer.export.figures import chart_image
from viewer.plot.offscreen import OffscreenChart


def test_an_export_inside_an_action_leaves_the_window_s_posted_work_and_deferred_deletes_alone(
    qapp: QApplication, qtbot: QtBot
) -> None:
    seen: dict[str, object] = {}

    def action() -> None:  # what File > Export runs: pending window work, then the export
        ran: list[str] = []
        QTimer.singleShot(0, lambda: ran.append("posted"))  # a pane's redraw, a chart's fit or next step
        doomed = QObject()
        doomed.deleteLater()  # something the action's loop level deletes when it returns to the event loop
        offscreen = OffscreenChart(dose_response_spec(), 400, 300, 1.0)
        with offscreen as widget:
            seen["inside"] = (list(ran), isValid(doomed))
        seen["after"] = (list(ran), isValid(doomed), isValid(widget))
        image = chart_image(dose_response_spec(), 400, 300, 96)
        seen["image"] = (list(ran), isValid(doomed), image.width())
        seen["ran"], seen["doomed"] = ran, doomed

    QTimer.singleShot(0, action)
    qtbot.waitUntil(lambda: "image" in seen)
    assert seen["inside"] == ([], True)
    assert seen["after"] == ([], True, False)  # the offscreen widget itself is deleted at once
    assert seen["image"] == ([], True, 400)
    qtbot.waitUntil(lambda: seen["ran"] == ["posted"] and not isValid(seen["doomed"]))  # the loop's own turn

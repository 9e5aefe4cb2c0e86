"""An empty chart's message stays inside its plot: wrapped to the plot's width, again after a resize."""

from __future__ import annotations

from PySide6.QtGui import QFontMetricsF
from pytestqt.qtbot import QtBot

from tests.plot.test_render import shown_chart
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.plot.canvas import ChartWidget

# A registry record's message: why nothing is drawn, then what was kept out (one long first line)
LONG = (
    "No dose-response figures for Fluconazole at this outcome: every arm's dose is per kilogram of body weight "
    "(6 mg/kg twice weekly), which gives no daily mg dose to compare. Kept out: 3 outcomes (time-to-event estimates)."
)


def _message_fits(widget: ChartWidget, qtbot: QtBot) -> tuple[float, float, int]:
    qtbot.wait(20)  # let the layout settle and the view report its size
    rendered = widget.rendered
    assert rendered is not None and rendered.message is not None
    message = rendered.message
    shown = message.mapRectToScene(message.boundingRect())
    plot = rendered.plot.vb.sceneBoundingRect()
    assert plot.left() <= shown.left() and shown.right() <= plot.right(), (shown, plot)
    lines = round(message.textItem.boundingRect().height() / QFontMetricsF(message.textItem.font()).lineSpacing())
    return shown.width(), plot.width(), lines


def test_a_long_empty_message_wraps_inside_the_plot_and_follows_a_resize(qtbot: QtBot) -> None:
    widget = shown_chart(qtbot)  # 900 px wide
    widget.set_spec(
        ChartSpec(kind=ChartKind.DOSE_RESPONSE, title="ACR20", x_label="x", y_label="y", empty_message=LONG)
    )
    wide, _, wide_lines = _message_fits(widget, qtbot)
    assert wide_lines >= 2  # 230 characters do not fit one line of a 900-pixel plot

    widget.resize(500, 560)
    narrow, plot_width, narrow_lines = _message_fits(widget, qtbot)
    assert narrow < wide and narrow <= plot_width
    assert narrow_lines > wide_lines
    assert widget.rendered is not None and widget.rendered.message.toPlainText() == LONG  # nothing cut

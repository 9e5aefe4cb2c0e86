"""The compare grid: four drugs on one screen, cells that open to their full text, copied as a table."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from viewer.charts.spec import ChartKind
from viewer.ui.compare_view import CLOSED, FOLDED_HEADER, MIN_PAD_Y, NOTE_ROLE, OPEN, PAD, QUESTION
from viewer.ui.main_window import MainWindow

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")
Make = Callable[..., MainWindow]


def compare_window(make_main_window: Make, qtbot: Any, size: tuple[int, int] = (1440, 900)) -> MainWindow:
    window = make_main_window()
    window.resize(*size)
    window.reset_layout()
    window.state.update_query(drugs=FOUR)
    window.chart_pane.show_kind(None)
    qtbot.waitUntil(lambda: window.chart_pane.compare.compare_model.columnCount() == 5)
    qtbot.wait(20)
    return window


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize("size", [(1440, 900), (1024, 700)])
def test_four_drugs_fit_one_screen(qtbot: Any, make_main_window: Make, size: tuple[int, int]) -> None:
    """Every row of four drugs in sight without scrolling, at 1440x900 and at 1024x700 (where it scrolled by
    92 px): the rows sit closer when the height is short, the text keeps its size."""
    window = compare_window(make_main_window, qtbot, size)
    view = window.chart_pane.compare
    assert [view.compare_model.headerData(c, Qt.Orientation.Horizontal) for c in range(1, 5)] == [
        "Upadacitinib", "Tofacitinib", "Baricitinib", "Filgotinib",
    ]  # fmt: skip
    height = view.content_height()
    assert height <= view.height(), (height, view.height())  # every row visible without scrolling
    assert view.verticalScrollBar().maximum() == 0
    assert window.height() == size[1] and height < size[1]
    assert view.font().pointSizeF() == window.font().pointSizeF()  # fitted by the space around the text only
    if size == (1440, 900):
        assert view.delegate.pad_y == PAD
    else:  # closer rows, and back to the full space once the window is tall again
        assert MIN_PAD_Y <= view.delegate.pad_y < PAD
        window.resize(1440, 900)
        qtbot.waitUntil(lambda: view.delegate.pad_y == PAD)
        window.resize(*size)
        qtbot.waitUntil(lambda: view.delegate.pad_y < PAD)
    # one line per row, two for the rows whose rule or source is named under the number, three where a
    # source line is broken at its ' · ' (at 1440x900: the place, then the trial, neither cut off)
    model = view.compare_model
    rows = model.rowCount()
    line = view.fontMetrics().lineSpacing()
    assert all(view.rowHeight(r) <= 3 * line + 2 * PAD + 1 for r in range(rows))
    acr20 = next(r for r in range(rows) if model.table.rows[r].title == "ACR20 vs placebo")
    tofa = model.index(acr20, 2)
    width = view.columnWidth(2) - 2 * PAD
    shown = view.delegate.closed_lines(str(tofa.data()), width, view.fontMetrics())
    if size == (1440, 900):
        assert view.delegate.split
        assert shown[1:] == ["‡ DMARD-IR, month 3", "ORAL Solo 5 mg BID"]
        assert all(view.fontMetrics().horizontalAdvance(t) <= width for t in shown[1:])
    else:  # no room for a third line: the place first, the trial elided
        assert not view.delegate.split and shown[1].startswith("‡ DMARD-IR, month 3 · ")
    # the drugs get the width: the details pane steps aside while the compare table is shown
    assert not window.details_pane.isVisible()
    assert all(view.columnWidth(c) >= 180 for c in range(1, 5)), [view.columnWidth(c) for c in range(5)]


@pytest.mark.parametrize("size", [(1440, 900), (1024, 700)])
def test_four_drugs_fit_one_screen_with_an_11_pt_desktop_font(
    qtbot: Any, make_main_window: Make, size: tuple[int, int]
) -> None:
    """GNOME's 11 pt default: at 1024x700 the grid scrolled 86 px with the rows as close as they go. Its rows
    fold to their first line there (the header says so, ▸ opens a cell, ‡ stays), the text keeps 11 pt."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.font()
    font = app.font()
    font.setPointSizeF(11.0)
    app.setFont(font)
    try:
        window = compare_window(make_main_window, qtbot, size)
        view = window.chart_pane.compare
        model = view.compare_model
        assert view.font().pointSizeF() == 11.0
        height = view.content_height()
        assert height <= view.height(), (height, view.height())
        assert view.verticalScrollBar().maximum() == 0
        line = view.fontMetrics().lineSpacing()
        folded = view.delegate.fold
        assert folded == (size == (1024, 700))  # only where nothing else fits
        header = model.headerData(QUESTION, Qt.Orientation.Horizontal)
        assert header == (FOLDED_HEADER if folded else "")
        acr20 = next(r for r in range(model.rowCount()) if model.table.rows[r].title == "ACR20 vs placebo")
        tofa = model.index(acr20, 2)
        shown = view.delegate.closed_lines(CLOSED + str(tofa.data()), view.columnWidth(2), view.fontMetrics())
        if folded:
            assert all(view.rowHeight(r) <= line + 2 * PAD for r in range(model.rowCount()))
            assert shown[0].startswith(CLOSED + "‡ ") and len(shown) == 1  # the figure from elsewhere says so
            assert model.data(model.index(acr20, QUESTION), NOTE_ROLE) == ""
            model.toggle(model.index(acr20, QUESTION))  # the question opens its row: its rule shows again
            assert model.data(model.index(acr20, QUESTION), NOTE_ROLE)
            model.toggle(model.index(acr20, QUESTION))
            # a new table made while another tab is shown (a hidden grid does not fold) folds once shown
            window.chart_pane.show_kind(ChartKind.FOREST)
            window.state.update_query(drugs=FOUR[::-1])
            qtbot.wait(20)
            window.chart_pane.show_kind(None)
            qtbot.waitUntil(lambda: view.delegate.fold and view.content_height() <= view.height())
        else:
            assert len(shown) >= 2
    finally:
        app.setFont(old)


def test_the_details_pane_steps_aside_and_comes_back(qtbot: Any, make_main_window: Make) -> None:
    window = compare_window(make_main_window, qtbot)
    assert not window.details_pane.isVisible()
    window.chart_pane.tabs.setCurrentIndex(0)
    assert window.details_pane.isVisible()
    window.chart_pane.show_kind(None)
    window.details_action.setChecked(True)  # the user brings it back on the compare tab: it stays
    window.chart_pane.tabs.setCurrentIndex(0)
    window.chart_pane.show_kind(None)
    assert not window.details_pane.isVisible()  # ...until the next visit, which steps aside again


def test_a_cell_opens_to_its_full_text_and_closes(qtbot: Any, make_main_window: Make) -> None:
    window = compare_window(make_main_window, qtbot)
    view = window.chart_pane.compare
    model = view.compare_model
    row = next(r for r, x in enumerate(model.table.rows) if x.title == "ACR20 vs placebo")
    index = model.index(row, 1)
    cell = model.cell(index)
    assert cell is not None and cell.expandable
    assert model.data(index) == cell.summary
    closed_height = view.rowHeight(row)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert model.data(index) == cell.detail and "Other figures at an approved dose" in model.data(index)
    qtbot.waitUntil(lambda: view.rowHeight(row) > 3 * closed_height)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.data(index) == cell.summary
    # one click on the ▸ opens it; a click on the question opens the whole row
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 6, rect.top() + 6))
    assert model.is_open(index)
    question = view.visualRect(model.index(row, QUESTION))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=question.center())
    assert all(model.is_open(model.index(row, c)) for c in range(1, 5) if model.cell(model.index(row, c)).expandable)  # type: ignore[union-attr]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=question.center())
    assert not any(model.is_open(model.index(row, c)) for c in range(1, 5))
    # the cell stays open while the query changes around it
    model.toggle(index)
    window.state.update_query(verified_only=True)
    window.state.update_query(verified_only=False)
    assert model.is_open(model.index(row, 1))


def test_drawn_markers_say_open_or_closed(qtbot: Any, make_main_window: Make) -> None:
    from viewer.ui.compare_view import CompareDelegate

    window = compare_window(make_main_window, qtbot)
    model = window.chart_pane.compare.compare_model
    delegate = window.chart_pane.compare.itemDelegate()
    assert isinstance(delegate, CompareDelegate)
    row = next(r for r, x in enumerate(model.table.rows) if x.title == "Boxed warning")
    index = model.index(row, 1)
    assert delegate._lines(index)[0].startswith(CLOSED + "⚠ 7 items")
    model.toggle(index)
    text = delegate._lines(index)[0]
    assert text.startswith(OPEN + "• Serious infections.")
    assert text.count("\n• ") == 6  # the warning as a bullet list, one item per line


def test_ctrl_c_copies_the_selection_as_tsv_and_html(qtbot: Any, make_main_window: Make) -> None:
    window = compare_window(make_main_window, qtbot)
    view = window.chart_pane.compare
    model = view.compare_model
    row = next(r for r, x in enumerate(model.table.rows) if x.title == "Boxed warning")
    view.setFocus()
    view.selectionModel().clear()
    for c in (1, 2):
        view.selectionModel().select(model.index(row, c), view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    lines = list(csv.reader(io.StringIO(mime.text()), delimiter="\t"))
    assert lines[0] == ["Upadacitinib", "Tofacitinib"]
    assert lines[1] == [model.table.rows[row].cells[0].full, model.table.rows[row].cells[1].full]
    assert lines[1][0].count("\n• ") == 6  # the full bullet list, not the summary
    parser = _Cells()
    parser.feed(mime.html())
    assert parser.rows[0] == ["Upadacitinib", "Tofacitinib"] and parser.rows[1] == lines[1]


def test_the_window_copy_action_copies_the_whole_grid(qtbot: Any, make_main_window: Make) -> None:
    window = compare_window(make_main_window, qtbot)
    window.copy_chart()
    text = QGuiApplication.clipboard().mimeData().text()
    lines = list(csv.reader(io.StringIO(text), delimiter="\t"))
    model = window.chart_pane.compare.compare_model
    assert lines[0] == ["", "Upadacitinib", "Tofacitinib", "Baricitinib", "Filgotinib"]
    assert len(lines) == 1 + model.rowCount()
    assert [line[0] for line in lines[1:]] == [r.full_title for r in model.table.rows]


def test_a_screen_reader_hears_the_marks_in_words(qtbot: Any, make_main_window: Make) -> None:
    window = compare_window(make_main_window, qtbot)
    model = window.chart_pane.compare.compare_model
    acr20 = next(r for r in range(model.rowCount()) if model.table.rows[r].title == "ACR20 vs placebo")
    said = model.index(acr20, 2).data(Qt.ItemDataRole.AccessibleTextRole)  # tofacitinib, from elsewhere
    assert said == (
        "secondary source, +33 pp (+22 to +42); elsewhere: DMARD-IR, month 3 · ORAL Solo 5 mg BID "
        "(press Enter for the full text)"
    )
    assert model.index(acr20, 2).data().startswith("◐ ")  # on screen, the marks

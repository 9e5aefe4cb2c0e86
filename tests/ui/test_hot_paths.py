"""Behaviour kept by the hot-path optimisations that `make bench` measures (search, query checks, redraw)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidgetItem

from tests.conftest import shipped_session
from tests.paints import PaintCount
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset, Drug, Origin
from viewer.query_rules import fit_query
from viewer.ui import pickers
from viewer.ui.catalog_index import Column
from viewer.ui.catalog_pane import CatalogPane
from viewer.ui.main_window import MainWindow
from viewer.ui.state import AppState

CHECKED = Qt.CheckState.Checked


def _pane(qtbot: Any, drugs: int = 0) -> CatalogPane:
    datasets = list(shipped_session().datasets)
    if drugs:
        synthetic = tuple(
            Drug(id=f"syn{i:04d}", name=f"Syntinib {i:04d}", targets=(f"JAK{1 + i % 3}",), origin=Origin.USER)
            for i in range(drugs)
        )
        datasets.append(Dataset("synthetic", "<test>", Origin.USER, drugs=synthetic))
    pane = CatalogPane(AppState(datasets))
    qtbot.addWidget(pane)
    return pane


def _synthetic(count: int) -> Dataset:
    """``count`` user drugs whose names differ in width, not only in length ('W' is the widest letter)."""
    names = (f"Syntinib {'W' * (i % 7)}{i:04d}" for i in range(count))
    drugs = tuple(
        Drug(id=f"syn{i:04d}", name=name, targets=(f"JAK{1 + i % 3}",), origin=Origin.USER)
        for i, name in enumerate(names)
    )
    return Dataset("synthetic", "<test>", Origin.USER, drugs=drugs)


def _counts(pane: CatalogPane) -> list[int]:
    catalog = pane.model._state.catalog
    return [len(catalog.trials_of(d)) for d in pane.visible_drug_ids()]


def test_a_cleared_search_keeps_the_column_sort(qtbot: Any) -> None:
    pane = _pane(qtbot)
    pane.table.sortByColumn(Column.TRIALS, Qt.SortOrder.DescendingOrder)
    qtbot.keyClicks(pane.search, "jak")
    assert _counts(pane) == sorted(_counts(pane), reverse=True)
    pane.search.clear()
    assert len(pane.visible_drug_ids()) == len(pane.model._state.catalog.drugs)
    assert _counts(pane) == sorted(_counts(pane), reverse=True)


def test_sorting_keeps_the_current_drug(qtbot: Any) -> None:
    pane = _pane(qtbot)
    pane.select_drug("filgotinib")
    pane.table.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
    names = [pane.model.drug_at(r).name for r in range(pane.model.rowCount())]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert pane.table.currentIndex().data(Qt.ItemDataRole.UserRole + 1) == "filgotinib"


def test_search_over_many_drugs_matches_codes_and_restores_name_order(qtbot: Any) -> None:
    pane = _pane(qtbot, drugs=2_000)
    qtbot.keyClicks(pane.search, "Syntinib 12")
    assert pane.visible_drug_ids() == [f"syn{i:04d}" for i in range(1200, 1300)]
    pane.search.clear()
    ids = pane.visible_drug_ids()
    names = [pane.model._state.catalog.drugs[d].name for d in ids]
    assert len(ids) == 2_006 and names == sorted(names, key=str.casefold)


def test_fit_query_follows_the_catalog_it_is_given() -> None:
    """The outcomes are remembered per catalog; a different catalog is never judged by the last one's."""
    shipped = shipped_session().catalog
    empty = Catalog.from_datasets([])
    timepoint = shipped.timepoints()[0]
    assert fit_query(Query(outcome="ACR50", timepoint=timepoint), shipped).timepoint == timepoint
    assert fit_query(Query(outcome="ACR50", timepoint=timepoint), empty).timepoint == ""
    assert fit_query(Query(outcome="ACR50", timepoint=timepoint), shipped).timepoint == timepoint


@pytest.mark.parametrize("compact", [False, True], ids=["all controls", "compact controls"])
def test_a_redraw_paints_the_chart_once(qtbot: Any, make_main_window: Callable[..., MainWindow], compact: bool) -> None:
    """The layout and the plot's transform settle before the paint, so a change costs one paint, not two
    (also with the controls folded into one row, whose summary line changes with every query)."""
    window = make_main_window()
    window.controls.set_compact(compact)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    qtbot.wait(50)
    paints = PaintCount()
    chart.viewport().installEventFilter(paints)
    for outcome in ("ACR50", "ACR20", "ACR50"):
        paints.count = 0
        window.state.update_query(outcome=outcome)
        for _ in range(10):
            QApplication.processEvents()
        assert paints.count == 1, outcome


def test_the_drug_columns_fit_their_widest_cell_measured_over_every_row(qtbot: Any) -> None:
    """The pane measures only the cells with the longest texts, over every row, also those a search hides
    when the catalog changes; the oracle is Qt's own measure of every row (precision -1) and the header's
    hint. Qt's default sample (the visible rows and 50 more) sized the name column for a 150 px name while
    220 px ones sat further down."""
    extra = Dataset("extra", "<extra>", Origin.USER, drugs=(Drug(id="extra", name="Extratinib"),))
    state = AppState([*shipped_session().datasets, _synthetic(2_000), extra])
    pane = CatalogPane(state)
    qtbot.addWidget(pane)
    pane.resize(700, 600)
    pane.show()
    table, header = pane.table, pane.table.horizontalHeader()
    header.setStretchLastSection(False)  # the last column's stretch is the header's, not a measure
    pane.set_column_visible(Column.CLASS, True)
    qtbot.keyClicks(pane.search, "tofa")
    assert state.remove_dataset("<extra>")  # a new catalog, fitted while the search shows one row
    pane.search.clear()
    header.setResizeContentsPrecision(-1)
    for column in Column:
        assert table.columnWidth(column) == max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
    assert table.columnWidth(Column.NAME) > 200


def test_the_check_list_pop_ups_are_filled_when_shown_not_on_every_change(
    qtbot: Any, make_main_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query change updates the Drugs and Trials buttons' texts; their lists are filled when about to show
    (one QListWidgetItem per drug: 1.2 s a change at 100,000 drugs while the pop-up was hidden). The drugs list
    is a model over the drug table's own rows, in their name order: no item per drug at all."""
    made: list[str] = []
    real = pickers.QListWidgetItem

    def item(text: str) -> QListWidgetItem:
        made.append(text)
        return real(text)

    monkeypatch.setattr(pickers, "QListWidgetItem", item)
    window = make_main_window()
    state, drugs, trials = window.state, window.controls.drugs, window.controls.trials
    made.clear()
    resets: list[int] = []
    drugs.model.modelReset.connect(lambda: resets.append(1))
    for outcome in ("ACR50", "ACR20"):
        state.update_query(outcome=outcome)
    state.set_drug_ticked("filgotinib", False)
    assert made == [] and resets == []
    assert drugs.text() == f"3 of {len(state.catalog.drugs)}"
    drugs.menu_.aboutToShow.emit()
    model = drugs.model
    assert model._drugs is window.catalog_pane.model.rows.drugs  # the table's rows, not a copy sorted again
    names = [model.data(model.index(r)) for r in range(model.rowCount())]
    assert names == sorted((d.name for d in state.catalog.drugs.values()), key=str.casefold)
    ticked = [n for r, n in enumerate(names) if model.data(model.index(r), Qt.ItemDataRole.CheckStateRole) == CHECKED]
    assert sorted(ticked) == sorted(state.catalog.drugs[d].name for d in state.query.drugs)
    drugs.menu_.aboutToShow.emit()
    assert made == [] and len(resets) == 1  # nothing changed since: not filled again
    count = len({t for d in state.query.drugs for t in state.catalog.trials_of(d)})
    assert trials.text() == f"All {count}" and made == []
    assert trials.popup_list().count() == count and len(made) == count


def test_the_drugs_pop_up_asks_only_for_the_rows_in_sight(
    qtbot: Any, make_main_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened over 2,000 drugs, the list reads the names of about the rows it shows (100,000 drugs: 1.2 s to open
    when every drug was an item); a tick in it ticks the drug everywhere, and a fifth is refused."""
    state = AppState([*shipped_session().datasets, _synthetic(2_000)])
    for drug_id in state.catalog.drugs:
        if len(state.query.drugs) < 4:
            state.set_drug_ticked(drug_id, True)
    asked: list[int] = []

    class Counted(pickers.DrugList):
        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role == Qt.ItemDataRole.DisplayRole:
                asked.append(index.row())
            return super().data(index, role)

    drugs = pickers.DrugsButton(state)
    qtbot.addWidget(drugs)
    drugs.model = Counted(state)
    drugs.view.setModel(drugs.model)
    drugs.sync(state.catalog, state.query)
    drugs.fill()
    drugs.view.resize(420, 320)
    drugs.view.show()
    qtbot.waitExposed(drugs.view)
    drugs.view.grab()  # painted: the rows in sight are asked for their names
    assert 0 < len(set(asked)) < 100 and drugs.model.rowCount() == len(state.catalog.drugs)
    model = drugs.model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r), Qt.ItemDataRole.UserRole) == "syn0000")
    assert len(state.query.drugs) == 4
    assert model.setData(model.index(row), CHECKED, Qt.ItemDataRole.CheckStateRole)
    assert "syn0000" not in state.query.drugs  # a fifth drug: refused (the state says why)
    assert model.data(model.index(row), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    first = state.query.drugs[0]
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r), Qt.ItemDataRole.UserRole) == first)
    assert model.setData(model.index(row), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert first not in state.query.drugs
    drugs.view.hide()

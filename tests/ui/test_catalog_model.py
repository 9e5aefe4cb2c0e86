"""The catalog table model, its search proxy and the compare model, without the main window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.domain.minidata import write_dataset
from viewer.charts.compare import build_compare
from viewer.charts.query import MAX_DRUGS, Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset
from viewer.domain.readers import load_path
from viewer.ui.catalog_index import Column
from viewer.ui.catalog_model import DRUG_ID_ROLE, CatalogFilter, CatalogModel
from viewer.ui.catalog_pane import CatalogPane
from viewer.ui.compare_view import CompareModel, CompareView
from viewer.ui.state import AppState


@pytest.fixture
def pane(qtbot: Any, state: AppState) -> CatalogPane:
    widget = CatalogPane(state)
    qtbot.addWidget(widget)
    return widget


def test_catalog_model_passes_the_model_tester(qtmodeltester: Any, state: AppState) -> None:
    model = CatalogModel(state)
    qtmodeltester.check(model)
    assert model.rowCount() == len(state.catalog.drugs)
    assert model.columnCount() == len(Column)


def test_filter_proxy_passes_the_model_tester(qtmodeltester: Any, state: AppState) -> None:
    model = CatalogModel(state)
    proxy = CatalogFilter()
    proxy.setSourceModel(model)
    proxy.set_search("jak")
    qtmodeltester.check(proxy)
    proxy.set_search("zzz")
    qtmodeltester.check(proxy)


def test_compare_model_passes_the_model_tester(qtmodeltester: Any, state: AppState) -> None:
    model = CompareModel()
    qtmodeltester.check(model)  # empty
    model.set_table(build_compare(state.catalog, state.query))
    qtmodeltester.check(model)
    assert model.columnCount() == 1 + len(state.query.drugs)  # the question, then one column per drug
    assert model.rowCount() > 5


def _jak1(catalog: Catalog) -> set[str]:
    return {d.id for d in catalog.drugs.values() if "JAK1" in d.targets}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ABT", {"upadacitinib"}),
        ("abt 494", {"upadacitinib"}),
        ("ABT-494", {"upadacitinib"}),
        ("olumiant", {"baricitinib"}),
        ("Rinvoq", {"upadacitinib"}),
        ("xeljanz", {"tofacitinib"}),
        ("jak1", _jak1),
        ("TYK2", {"peficitinib"}),
        ("zzz", set()),
    ],
)
def test_typing_in_the_search_box_filters_rows(qtbot: Any, pane: CatalogPane, typed: str, expected: object) -> None:
    qtbot.keyClicks(pane.search, typed)
    want = expected(pane.model._state.catalog) if callable(expected) else expected
    assert set(pane.visible_drug_ids()) == want


def test_clearing_the_search_shows_every_drug(qtbot: Any, pane: CatalogPane, state: AppState) -> None:
    qtbot.keyClicks(pane.search, "olu")
    assert pane.visible_drug_ids() == ["baricitinib"]
    pane.search.clear()
    assert set(pane.visible_drug_ids()) == set(state.catalog.drugs)


def test_target_and_status_combos_filter(pane: CatalogPane, state: AppState) -> None:
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("JAK3"))
    assert set(pane.visible_drug_ids()) == {d.id for d in state.catalog.drugs.values() if "JAK3" in d.targets}
    pane.target_combo.setCurrentIndex(0)
    pane.status_combo.setCurrentIndex(pane.status_combo.findData("investigational"))
    want = {d.id for d in state.catalog.drugs.values() if d.approval_status == "investigational"}
    assert set(pane.visible_drug_ids()) == want


def test_sorting_by_trial_count_is_numeric(pane: CatalogPane, state: AppState) -> None:
    pane.table.sortByColumn(Column.TRIALS, Qt.SortOrder.DescendingOrder)
    counts = [len(state.catalog.trials_of(d)) for d in pane.visible_drug_ids()]
    assert counts == sorted(counts, reverse=True)


def test_check_state_mirrors_the_query(state: AppState) -> None:
    model = CatalogModel(state)
    checked = {
        model.index(r, 0).data(DRUG_ID_ROLE)
        for r in range(model.rowCount())
        if model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    }
    assert checked == set(Query().drugs)


def test_ticking_through_the_model_changes_the_query(qtbot: Any, state: AppState) -> None:
    model = CatalogModel(state)
    row = model.row_of("filgotinib")
    with qtbot.waitSignal(state.query_changed) as blocker:
        assert model.setData(model.index(row, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert "filgotinib" in blocker.args[0].drugs
    assert model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_a_fifth_tick_is_refused_with_a_notice(qtbot: Any, state: AppState) -> None:
    model = CatalogModel(state)
    state.set_drug_ticked("filgotinib", True)
    assert len(state.query.drugs) == MAX_DRUGS
    row = model.row_of("peficitinib")
    with qtbot.waitSignal(state.notice) as blocker:
        assert not model.setData(model.index(row, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert "At most 4" in blocker.args[0]
    assert "peficitinib" not in state.query.drugs
    assert model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_space_on_the_current_row_ticks_it(qtbot: Any, pane: CatalogPane, state: AppState) -> None:
    pane.show()
    qtbot.waitExposed(pane)
    pane.select_drug("filgotinib")
    pane.table.setFocus()
    with qtbot.waitSignal(state.query_changed):
        qtbot.keyClick(pane.table, Qt.Key.Key_Space)
    assert "filgotinib" in state.query.drugs


def test_selecting_a_row_focuses_the_drug(qtbot: Any, pane: CatalogPane, state: AppState) -> None:
    with qtbot.waitSignal(state.focused_drug_changed) as blocker:
        pane.select_drug("baricitinib")
    assert blocker.args == ["baricitinib"]


def test_html_in_a_user_drug_name_is_data_not_markup(qtbot: Any, tmp_path: Path, shipped: tuple[Dataset, ...]) -> None:
    folder = write_dataset(tmp_path / "html")
    toml = (folder / "drugs" / "testinib.toml").read_text(encoding="utf-8")
    (folder / "drugs" / "testinib.toml").write_text(
        toml.replace('name = "Testinib"', 'name = "<b>Bold</b><script>x()</script>"'), encoding="utf-8"
    )
    dataset = load_path(folder, Catalog.from_datasets(shipped))
    state = AppState((*shipped, dataset))
    model = CatalogModel(state)
    row = model.row_of("testinib")
    assert model.index(row, Column.NAME).data().startswith("<b>Bold</b><script>x()</script>")
    tip = model.index(row, Column.NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Bold&lt;/b&gt;" in tip and "<b>" not in tip


def test_compare_view_shows_plain_text_cells(qtbot: Any, state: AppState) -> None:
    view = CompareView()
    qtbot.addWidget(view)
    table = build_compare(state.catalog, state.query)
    view.set_table(table)
    model = view.compare_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["", *table.columns]
    for row, compare_row in enumerate(table.rows):
        assert model.index(row, 0).data() == compare_row.title
        shown = [model.index(row, c + 1).data() for c in range(len(compare_row.cells))]
        assert shown == [cell.summary for cell in compare_row.cells]  # closed: the one-line summaries

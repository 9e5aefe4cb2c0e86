"""The catalog search (numpy over prepared keys, narrowing from earlier hits) shows exactly what the naive
filter would: every row whose normalised names contain the normalised text, with the target and status
filters, in the table's current sort order."""

from __future__ import annotations

import random
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.conftest import shipped_session
from viewer.domain.catalog import normalise_name
from viewer.domain.model import ApprovalStatus, Dataset, Drug, Origin
from viewer.ui.catalog_index import Column, search_keys
from viewer.ui.catalog_pane import CatalogPane
from viewer.ui.state import AppState

PREFIXES = ("Syntinib", "Éclatinib", "Zeta-tinib", "abrocitinib X", "µ-kinib")


def _drugs(count: int, seed: int = 17) -> tuple[Drug, ...]:
    rng = random.Random(seed)
    return tuple(
        Drug(
            id=f"syn{i:05d}",
            name=f"{rng.choice(PREFIXES)} {i:04d}",
            drug_class=rng.choice(("synthetic", "kinase inhibitor")),
            brands=(f"Brand{rng.randint(0, 999)}",) if i % 3 == 0 else (),
            codes=(f"SY-{rng.randint(0, 99999)}",),
            targets=tuple(rng.sample(("JAK1", "JAK2", "JAK3", "TYK2", "SYK"), rng.randint(0, 2))),
            origin=Origin.USER,
        )
        for i in range(count)
    )


@pytest.fixture
def pane(qtbot: Any) -> CatalogPane:
    datasets = [*shipped_session().datasets, Dataset("synthetic", "<test>", Origin.USER, drugs=_drugs(3_000))]
    widget = CatalogPane(AppState(datasets))
    widget.resize(420, 700)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _naive(pane: CatalogPane, text: str, target: str = "", status: str = "") -> list[str]:
    """Every row of the table, in its order, tested one by one: the definition the search must equal."""
    needle = normalise_name(text)
    model = pane.model
    rows = (model.drug_at(r) for r in range(model.rowCount()))
    return [
        d.id
        for d in rows
        if needle in search_keys(d)
        and (not target or target in d.targets)
        and (not status or d.approval_status.value == status)
    ]


def test_typing_and_deleting_shows_what_the_naive_filter_finds_at_every_keystroke(
    qtbot: Any, pane: CatalogPane
) -> None:
    for word in ("syntinib 12", "ECLATINIB", "abro x", "sy-1", "jak2", "brand9", "upadacitinib", "zz"):
        for ch in word:
            qtbot.keyClick(pane.search, ch)
            assert pane.visible_drug_ids() == _naive(pane, pane.search.text()), pane.search.text()
        for _ in word:
            qtbot.keyClick(pane.search, Qt.Key.Key_Backspace)
            assert pane.visible_drug_ids() == _naive(pane, pane.search.text()), pane.search.text()
    assert len(pane.visible_drug_ids()) == pane.model.rowCount()


def test_text_beyond_ascii_is_matched_as_the_naive_filter_matches_it(pane: CatalogPane) -> None:
    """Keys are UTF-8 bytes: a substring of the bytes is a substring of the text (µ casefolds to μ)."""
    for text in ("É", "Éclatinib 1", "éclatinib 10", "µ", "µ-kinib", "Μ", "ß"):
        pane.search.setText(text)
        assert pane.visible_drug_ids() == _naive(pane, text), text
    assert pane.visible_drug_ids() == []  # "ß" casefolds to "ss": no name has it
    pane.search.setText("µ")
    assert len(pane.visible_drug_ids()) > 100


@pytest.mark.parametrize(
    ("column", "order"),
    [(Column.NAME, Qt.SortOrder.DescendingOrder), (Column.TRIALS, Qt.SortOrder.DescendingOrder)],
)
def test_the_search_with_filters_equals_the_naive_filter_in_any_sort_order(
    qtbot: Any, pane: CatalogPane, column: Column, order: Qt.SortOrder
) -> None:
    pane.table.sortByColumn(column, order)
    for target in ("", "JAK1", "SYK"):
        pane.target_combo.setCurrentIndex(max(pane.target_combo.findData(target), 0))
        for status in ("", ApprovalStatus.APPROVED.value, ApprovalStatus.NOT_IN_CATALOG.value):
            pane.status_combo.setCurrentIndex(max(pane.status_combo.findData(status), 0))
            for text in ("", "tinib", "tinib 1", "éc", "jak"):
                pane.search.setText(text)
                assert pane.visible_drug_ids() == _naive(pane, text, target, status), (target, status, text)


def test_a_filter_keeps_column_widths_and_the_current_drug(qtbot: Any, pane: CatalogPane) -> None:
    """A filter change is a layout change, not a reset: the user's widths stay, and the drug described in
    the details pane is the current row again whenever the filter shows it."""
    pane.table.setColumnWidth(Column.TARGETS, 177)
    pane._state.set_focused_drug("syn00012")
    qtbot.keyClicks(pane.search, "zzz")
    assert pane.proxy.rowCount() == 0 and not pane.table.currentIndex().isValid()
    pane.search.setText(pane.model.drug_at(pane.model.row_of("syn00012")).name[:4])
    assert pane.table.currentIndex().data(Qt.ItemDataRole.UserRole + 1) == "syn00012"
    assert pane.table.columnWidth(Column.TARGETS) == 177
    assert pane.table.verticalHeader().count() == pane.proxy.rowCount()

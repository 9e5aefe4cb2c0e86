"""The window's lists of trials (the Trials pop-up, the details pane's trials and sources) read only the
ticked or shown drug's trials from the catalog's trial tables (issue 17: a Trial is made when read), and
show what they showed when the catalog's trials were a dict of objects."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt

from tests.conftest import shipped_session
from tests.domain.test_catalog_columns import Counted, counted
from viewer.charts.query import Query
from viewer.domain.catalog import Catalog
from viewer.ui import details_pane
from viewer.ui.pickers import TrialsButton
from viewer.ui.state import AppState


def _catalog() -> Catalog:
    """The shipped catalog, its trials in a table that counts every Trial it makes."""
    datasets = tuple(dataclasses.replace(d, trials=counted(d.trials)) for d in shipped_session().datasets)
    return Catalog.from_datasets(datasets)


def test_the_trials_pop_up_reads_only_the_ticked_drugs_trials(qtbot: Any) -> None:
    catalog = _catalog()
    button = TrialsButton(AppState([]))
    qtbot.addWidget(button)
    drugs = ("tofacitinib", "filgotinib")
    mine = {t for d in drugs for t in catalog.trials_of(d)}
    chosen = sorted(mine)[:2]
    Counted.made[0] = 0
    button.sync(catalog, Query(drugs=drugs, trials=tuple(chosen)))
    items = button.popup_list()
    assert Counted.made[0] == len(mine) < len(catalog.trials)
    trials = sorted((catalog.trials[t] for t in mine), key=lambda t: t.name.casefold())
    rows = [(items.item(k).text(), items.item(k).data(Qt.ItemDataRole.UserRole)) for k in range(items.count())]
    assert rows == [
        (f"{t.name} ({', '.join(p for p in (t.population, t.nct) if p)})" if t.population or t.nct else t.name, t.id)
        for t in trials
    ]
    checked = [items.item(k).checkState() == Qt.CheckState.Checked for k in range(items.count())]
    ticked = [row[1] for row, tick in zip(rows, checked, strict=True) if tick]
    assert sorted(ticked) == chosen and button.text() == f"2 of {len(mine)}"


def test_the_details_pane_reads_only_the_drug_s_trials(qtbot: Any) -> None:
    catalog = _catalog()
    drug = catalog.drugs["baricitinib"]
    trials = [catalog.trials[t] for t in catalog.trials_of(drug.id)]
    Counted.made[0] = 0
    text = details_pane.render_drug(catalog, drug, Query(drugs=(drug.id,)), computed=False)
    assert Counted.made[0] == 2 * len(trials) < len(catalog.trials)  # its trials, for their lines and sources
    for t in trials:
        assert f"<b>{details_pane.esc(t.name)}</b>" in text

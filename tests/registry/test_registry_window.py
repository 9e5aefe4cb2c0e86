"""The registry in the window, against the real PostgreSQL server and the local copy: a user names the
registry, types a drug, sees study counts per drug, ticks a study and compares it; nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from viewer.charts.spec import ChartKind
from viewer.domain.registry import SearchQuery, StudyHit
from viewer.domain.registry.source import MAX_STUDIES
from viewer.ui.registry_client import Found
from viewer.ui.registry_pane import RegistryPane, StudyColumn, registry_ncts

DRUG = "certolizumabpegol"


def connected(make_main_window: Any, qtbot: Any, location: str) -> tuple[Any, RegistryPane]:
    window = make_main_window()
    window.registry.toggle.trigger()
    assert window.registry.isVisible()
    pane = window.registry.pane
    pane.location.setText(location)
    with qtbot.waitSignal(pane.client.replied, timeout=20_000):
        qtbot.keyClick(pane.location, Qt.Key.Key_Return)
    assert "AACT snapshot 2026-12-01" in pane.status.text(), pane.status.text()
    return window, pane


def test_search_as_you_type_then_compare_a_study(make_main_window: Any, qtbot: Any, registry_location: str) -> None:
    window, pane = connected(make_main_window, qtbot, registry_location)
    assert DRUG not in window.state.catalog.drugs
    qtbot.keyClicks(pane.text, "cimz")  # a brand: the registry names the drug by its generic name
    qtbot.waitUntil(
        lambda: [(h.name, h.studies) for h in pane.drugs.hits] == [("certolizumab pegol", 1)], timeout=10_000
    )
    assert [h.nct for h in pane.studies.hits] == ["NCT02552212"]
    assert pane.shown.text() == "1 matching study."
    nct = pane.studies.index(0, StudyColumn.NCT)
    assert pane.studies.setData(nct, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    pane.add_button.click()
    qtbot.waitUntil(lambda: DRUG in window.state.catalog.drugs, timeout=20_000)
    assert window.state.query.drugs == (DRUG,)
    assert "Brought in 1 study" in pane.status.text()
    assert pane.shown.text() == "1 matching study. 1 of them is in the comparison (bold)."
    assert pane.studies.data(nct, Qt.ItemDataRole.FontRole).bold()
    assert "In the comparison" in pane.studies.data(nct, Qt.ItemDataRole.ToolTipRole)
    model = window.catalog_pane.model
    row = model.row_of(DRUG)
    assert model.data(model.index(row, 0)) == "Certolizumab Pegol (registry)"
    assert "Source: ClinicalTrials.gov NCT02552212 (AACT 2026-12-01)" in model.data(
        model.index(row, 0), Qt.ItemDataRole.ToolTipRole
    )
    asdas = next(o for o in window.state.catalog.outcome_ids() if "ASDAS-MI" in o)
    window.state.update_query(outcome=asdas)
    window.chart_pane.show_kind(ChartKind.FOREST)
    points = [p for s in window.chart_pane.spec(ChartKind.FOREST).series for p in s.points]
    assert points and all("AACT snapshot 2026-12-01" in p.tooltip for p in points)


def test_several_drugs_compared_from_one_search(make_main_window: Any, qtbot: Any, registry_location: str) -> None:
    """The first search (every study with results), Tick listed, Add: four registry drugs side by side;
    serious adverse events by daily dose for the two with a daily dose, against their trials' placebo."""
    window, pane = connected(make_main_window, qtbot, registry_location)
    qtbot.waitUntil(lambda: len(pane.studies.hits) == 4, timeout=10_000)
    assert "Type a drug to see study counts per drug." in pane.shown.text()
    pane.tick_all.click()
    pane.add_button.click()
    drugs = ("accud1", "certolizumabpegol", "dupilumab", "repaglinide")
    qtbot.waitUntil(lambda: all(d in window.state.catalog.drugs for d in drugs), timeout=20_000)
    assert window.state.query.drugs == drugs
    assert "4 of them are in the comparison (bold)." in pane.shown.text()
    window.state.update_query(ae_term="serious adverse event")
    spec = window.chart_pane.spec(ChartKind.TOLERABILITY)
    assert [panel.title for panel in spec.panels] == ["ACCU-D1", "Certolizumab Pegol", "Dupilumab", "Repaglinide"]
    points = {panel.title: [p for s in panel.series for p in s.points] for panel in spec.panels}
    assert [title for title, drawn in points.items() if drawn] == ["Certolizumab Pegol", "Dupilumab"]
    assert "no arm with a comparable daily dose" in spec.panels[0].empty_message
    assert all("AACT snapshot 2026-12-01" in p.tooltip for drawn in points.values() for p in drawn)


def test_more_studies_from_the_same_registry_join_the_first(
    make_main_window: Any, qtbot: Any, registry_location: str
) -> None:
    window, pane = connected(make_main_window, qtbot, registry_location)
    pane.bring_in(["NCT02552212"])
    qtbot.waitUntil(lambda: DRUG in window.state.catalog.drugs, timeout=20_000)
    assert registry_ncts(window.state.datasets, pane.label) == ["NCT02552212"], [
        (d.path, pane.label) for d in window.state.datasets
    ]
    pane.bring_in(["NCT02210780"])
    qtbot.waitUntil(lambda: "dupilumab" in window.state.catalog.drugs, timeout=20_000)
    assert DRUG in window.state.catalog.drugs  # the second pick did not replace the first
    registry = [d for d in window.state.datasets if "AACT" in d.label]
    assert len(registry) == 1 and {t.nct for t in registry[0].trials} == {"NCT02552212", "NCT02210780"}


def test_a_cancelled_read_changes_nothing(make_main_window: Any, qtbot: Any, aact_local: Path) -> None:
    window, pane = connected(make_main_window, qtbot, str(aact_local))
    before = window.state.catalog
    pane.bring_in(["NCT02552212"])
    pane.cancel_read()
    assert pane.client.wait_idle()
    qtbot.wait(50)  # let a late reply arrive: it must be dropped
    assert window.state.catalog is before
    assert pane.status.text() == "Reading cancelled; the comparison is unchanged."


def test_a_bad_location_is_said_and_nothing_opens(make_main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    window = make_main_window()
    pane = window.registry.pane
    pane.location.setText(str(tmp_path / "none.duckdb"))
    with qtbot.waitSignal(pane.client.replied, timeout=10_000):
        pane.connect_button.click()
    assert pane.status.text().startswith("Could not open the registry:")
    assert "no local AACT copy here" in pane.status.text()
    assert not pane.text.isEnabled() and not pane.add_button.isEnabled()


def test_the_location_is_remembered_without_its_password(
    make_main_window: Any, qtbot: Any, aact_pg: str, settings: Any
) -> None:
    assert ":" in aact_pg.split("//", 1)[1].split("@", 1)[0], "the test server's URL carries a password"
    password = aact_pg.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
    _window, pane = connected(make_main_window, qtbot, aact_pg)
    assert password not in pane.location.text()
    stored = settings.get_str("registry/location")
    assert stored.startswith("postgresql://postgres@") and password not in stored
    settings.sync()
    ini = Path(settings.qsettings.fileName()).read_text(encoding="utf-8")
    assert password not in ini and "registry" in ini
    assert password not in pane.status.text()


def test_the_cap_is_said_where_it_applies(make_main_window: Any, qtbot: Any, aact_local: Path) -> None:
    _window, pane = connected(make_main_window, qtbot, str(aact_local))
    hits = tuple(StudyHit(f"NCT{n:08d}", "t", "PHASE3", "COMPLETED", None, 10) for n in range(MAX_STUDIES))
    pane._show_found(Found(SearchQuery(limit=MAX_STUDIES), (), hits, 1234))
    assert pane.shown.text().startswith(f"Showing the newest {MAX_STUDIES} of 1,234 matching studies")
    assert f"at most {MAX_STUDIES}" in pane.shown.text()
    pane.studies.set_ticked([h.nct for h in hits] + ["NCT99999999"])
    pane.add_ticked()
    assert pane.status.text() == f"{MAX_STUDIES + 1} studies ticked: at most {MAX_STUDIES} can be brought in at once."


@pytest.mark.parametrize("text", ["", "zzz-no-such-drug"])
def test_a_search_that_matches_nothing_lists_nothing(
    make_main_window: Any, qtbot: Any, aact_local: Path, text: str
) -> None:
    _window, pane = connected(make_main_window, qtbot, str(aact_local))
    qtbot.waitUntil(lambda: len(pane.studies.hits) == 4, timeout=10_000)  # the first search: every study
    if text:
        with qtbot.waitSignal(pane.client.replied, timeout=10_000):
            pane.text.setText(text)
        assert pane.drugs.hits == () and pane.studies.hits == ()
        assert pane.shown.text() == "0 matching studies."


def test_a_session_keeps_registry_studies_and_reopens_them(
    make_main_window: Any, qtbot: Any, registry_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from PySide6.QtCore import QSettings

    from viewer.ui.settings import Settings

    window, pane = connected(make_main_window, qtbot, registry_location)
    pane.bring_in(["NCT02552212"])
    qtbot.waitUntil(lambda: DRUG in window.state.catalog.drugs, timeout=20_000)
    window.state.update_query(outcome=next(o for o in window.state.catalog.outcome_ids() if "ASDAS-MI" in o))
    window.chart_pane.show_kind(ChartKind.FOREST)
    before = window.export_data_to(tmp_path / "a.csv", ChartKind.FOREST)
    saved = window.sessions.save_to(tmp_path / "s.dvsession.json")
    (entry,) = json.loads(saved.read_text(encoding="utf-8"))["registry"]
    assert entry["studies"] == ["NCT02552212"] and entry["snapshot"] == "2026-12-01"
    if registry_location.startswith("postgresql://"):
        password = registry_location.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
        assert password not in saved.read_text(encoding="utf-8")
        monkeypatch.setenv("PGPASSWORD", password)  # where the user keeps it: the session does not
    other = Settings(QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    fresh = make_main_window(settings=other)
    assert DRUG not in fresh.state.catalog.drugs
    assert fresh.sessions.open_session(saved)
    qtbot.waitUntil(lambda: fresh.state.query == window.state.query, timeout=20_000)
    after = fresh.export_data_to(tmp_path / "b.csv", ChartKind.FOREST)
    assert after.read_bytes() == before.read_bytes()


def test_showing_the_pane_connects_to_the_remembered_copy(
    make_main_window: Any, qtbot: Any, aact_local: Path, settings: Any
) -> None:
    settings.set("registry/location", str(aact_local))
    window = make_main_window()
    pane = window.registry.pane
    assert pane.location.text() == str(aact_local) and pane.status.text() == "Not connected."
    with qtbot.waitSignal(pane.client.replied, timeout=20_000):
        window.registry.toggle.trigger()
    assert pane.label == str(aact_local) and pane.text.isEnabled()

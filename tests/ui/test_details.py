"""The details pane: boxed warning set apart, sources as safe links, data text never interpreted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from tests.domain.minidata import write_dataset
from viewer.charts.spec import ChartKind
from viewer.charts.table import chart_rows
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset
from viewer.domain.readers import load_path
from viewer.ui.details_pane import DetailsPane, drug_terms
from viewer.ui.state import AppState
from viewer.ui.theme import pane_colours


@pytest.fixture
def details(qtbot: Any, state: AppState) -> DetailsPane:
    pane = DetailsPane(state)
    qtbot.addWidget(pane)
    return pane


def test_follows_the_focused_drug(qtbot: Any, state: AppState, details: DetailsPane) -> None:
    assert details.text().startswith(state.catalog.drugs[state.focused_drug].name)
    state.set_focused_drug("baricitinib")
    assert details.text().startswith("Baricitinib")
    assert "Olumiant" in details.text()


def test_boxed_warning_is_set_apart_in_a_tinted_frame(state: AppState, details: DetailsPane) -> None:
    state.set_focused_drug("baricitinib")
    drug = state.catalog.drugs["baricitinib"]
    assert drug.boxed_warnings
    text = details.text()
    assert "BOXED WARNING" in text
    for fact in drug.boxed_warnings:
        assert fact.text in text
    html_out = details.toHtml().lower()
    assert pane_colours(details.palette()).warning_fill.lower() in html_out  # the frame's fill survives
    # The warning comes before the mechanism: it is the first thing read, not the last.
    assert text.index("BOXED WARNING") < text.index("Mechanism")


def test_sources_are_listed_with_their_links(state: AppState, details: DetailsPane) -> None:
    state.set_focused_drug("upadacitinib")
    html_out = details.toHtml()
    drug = state.catalog.drugs["upadacitinib"]
    ids = {f.source_id for f in (*drug.mechanism, *drug.boxed_warnings)}
    linked = 0
    for source_id in ids:
        source = state.catalog.sources[source_id]
        assert source.short() in details.text()
        for _label, url in source.links():
            assert url in html_out
            linked += 1
    assert linked > 0


def test_only_web_links_are_opened(qtbot: Any, details: DetailsPane) -> None:
    opened: list[str] = []
    details.open_url = lambda url: opened.append(url.toString())
    details.anchorClicked.emit(QUrl("https://pubmed.ncbi.nlm.nih.gov/1/"))
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "mailto:x@example.org"):
        with qtbot.waitSignal(details.link_refused) as blocker:
            details.anchorClicked.emit(QUrl(bad))
        assert blocker.args == [QUrl(bad).toString()]
    assert opened == ["https://pubmed.ncbi.nlm.nih.gov/1/"]


def test_in_page_source_anchors_do_not_leave_the_pane(qtbot: Any, details: DetailsPane) -> None:
    opened: list[str] = []
    details.open_url = lambda url: opened.append(url.toString())
    details.anchorClicked.emit(QUrl("#src-U1"))
    assert opened == []


def computed(qtbot: Any, pane: DetailsPane) -> DetailsPane:
    """The pane shown, once the sections computed after its first paint are in (module docstring)."""
    pane.show()
    qtbot.waitUntil(lambda: "Computing…" not in pane.text())
    return pane


def test_adverse_event_table_shows_the_chart_layers_numbers(qtbot: Any, state: AppState, details: DetailsPane) -> None:
    drug = next(d for d in state.catalog.drugs if drug_terms(state.catalog, d))
    state.set_focused_drug(drug)
    computed(qtbot, details)
    term = drug_terms(state.catalog, drug)[0]
    query = state.query.with_(drugs=(drug,), ae_term=term, trials=(), timepoint="", population="")
    _columns, rows = chart_rows(ChartKind.TOLERABILITY, state.catalog, query)
    text = details.text()
    assert term in text
    for row in rows:
        if row["responders"] is not None and row["n"] is not None:
            assert f"{row['responders']}/{row['n']}" in text
        if isinstance(row["rd"], float):
            assert f"{100 * row['rd']:+.1f} pp" in text


def _html_dataset(tmp_path: Path, shipped: tuple[Dataset, ...]) -> Dataset:
    folder = write_dataset(tmp_path / "html")
    path = folder / "drugs" / "testinib.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('name = "Testinib"', 'name = "<b>Bold</b>inib"')
    text = text.replace(
        '[[approved_dose]]\ntext = "10 mg once daily"', '[[approved_dose]]\ntext = "<script>alert(1)</script> 10 mg"'
    )
    warning = "<i>not italic</i> & <a href='javascript:x'>click</a>"
    text += f'\n[[boxed_warning]]\ntext = "{warning}"\nsource = "S1"\nlevel = "verified"\n'
    path.write_text(text, encoding="utf-8")
    return load_path(folder, Catalog.from_datasets(shipped))


def test_html_from_a_user_dataset_shows_literally(qtbot: Any, tmp_path: Path, shipped: tuple[Dataset, ...]) -> None:
    state = AppState((*shipped, _html_dataset(tmp_path, shipped)))
    pane = DetailsPane(state)
    qtbot.addWidget(pane)
    state.set_focused_drug("testinib")
    text = pane.text()
    assert text.startswith("<b>Bold</b>inib")
    assert "<script>alert(1)</script> 10 mg" in text
    assert "<i>not italic</i> & <a href='javascript:x'>click</a>" in text
    assert 'href="javascript' not in pane.toHtml()


def test_no_drug_shows_a_hint(qtbot: Any) -> None:
    pane = DetailsPane(AppState(()))
    qtbot.addWidget(pane)
    assert "Select a drug" in pane.text()


def test_another_drug_starts_at_the_top_the_same_drug_keeps_its_place(
    qtbot: Any, state: AppState, details: DetailsPane
) -> None:
    details.resize(320, 300)
    details.show()
    qtbot.waitExposed(details)
    state.set_focused_drug("upadacitinib")
    bar = details.verticalScrollBar()
    assert bar.maximum() > 200
    bar.setValue(bar.maximum() // 2)
    state.update_query(verified_only=not state.query.verified_only)  # same drug, re-rendered
    assert bar.value() == bar.maximum() // 2 or bar.value() > 0
    state.set_focused_drug("baricitinib")
    assert bar.value() == 0  # its name and boxed warning in view


def test_tab_leaves_the_pane_and_ctrl_tab_walks_its_links(qtbot: Any, state: AppState) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    before = QLineEdit(holder)
    pane = DetailsPane(state, holder)
    after = QLineEdit(holder)  # tab order: before, pane, after
    column = QVBoxLayout(holder)
    for widget in (before, pane, after):
        column.addWidget(widget)
    holder.show()
    qtbot.waitExposed(holder)
    handle = holder.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(holder.isActiveWindow)
    state.set_focused_drug("upadacitinib")
    pane.setFocus()
    qtbot.waitUntil(pane.hasFocus)
    qtbot.keyClick(pane, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert pane.hasFocus() and pane.textCursor().hasSelection()  # a link is highlighted, focus stays
    qtbot.keyClick(pane, Qt.Key.Key_Tab)
    assert after.hasFocus()  # one Tab leaves, whatever the number of links
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    assert pane.hasFocus()
    qtbot.keyClick(pane, Qt.Key.Key_Backtab)
    assert before.hasFocus()


def _broken_words(pane: DetailsPane) -> list[str]:
    """Words the laid-out document splits across two lines (a letter or digit on both sides of a break)."""
    broken = []
    block = pane.document().begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(1, layout.lineCount()):
            at = layout.lineAt(i).textStart()
            if 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum():
                broken.append(f"{text[max(at - 12, 0) : at]}|{text[at : at + 12]}")
        block = block.next()
    return broken


def test_no_word_is_broken_in_a_narrow_pane(qtbot: Any, state: AppState) -> None:
    """At the pane's width on a 1440-wide window (360 px) every drug's details wrap between words: the
    adverse-event table's six columns once broke 'Placeb|o' and 'ELECT-SUNRIS|E'."""
    pane = DetailsPane(state)
    qtbot.addWidget(pane)
    pane.resize(360, 800)
    pane.show()
    for drug in state.catalog.drugs:
        state.set_focused_drug(drug)
        QApplication.processEvents()
        assert _broken_words(pane) == [], drug


def test_computed_sections_fill_in_after_the_first_paint(qtbot: Any, state: AppState, details: DetailsPane) -> None:
    """Adverse events and exact safety intervals wait for the pane's first paint (start-up), then show
    without anything asked, scrolled where the reader was."""
    state.set_focused_drug("upadacitinib")
    text = details.text()
    assert "Adverse events vs placebo\nComputing…" in text
    assert "Class safety per 100 patient-years\nComputing…" in text
    details.resize(380, 800)
    text = computed(qtbot, details).text()
    adverse = text[text.index("Adverse events vs placebo") : text.index("Class safety per 100 patient-years")]
    safety = text[text.index("Class safety per 100 patient-years") : text.index("\nTrials\n")]
    assert "placebo" in adverse and " pp (" in adverse
    assert "/100 PY" in safety and "rate ratio" in safety


def test_a_drugs_terms_are_read_from_the_columns_without_making_adverse_events(shipped: tuple[Dataset, ...]) -> None:
    """The pane's terms are the drug's trials' terms (placebo arms' included), most reported first, found from
    the catalog's adverse-event codes: a catalog whose events cannot be read as records gives them too."""
    catalog = Catalog.from_datasets(shipped)
    expected = {
        drug: [t for t in catalog.adverse_event_terms() if t in {
            e.term for e in catalog.adverse_events if e.trial_id in catalog.trials_of(drug)
        }]
        for drug in catalog.drugs
    }  # fmt: skip
    assert any(expected.values())
    catalog.columns  # noqa: B018  (built from the datasets' tables once, as the window builds them)

    class Unread(tuple[object, ...]):
        def __getitem__(self, index: object) -> object:
            raise AssertionError("an adverse event was made")

        def __iter__(self) -> Any:
            raise AssertionError("every adverse event was read")

    object.__setattr__(catalog, "adverse_events", Unread())  # (this test's own catalog)
    assert {drug: drug_terms(catalog, drug) for drug in catalog.drugs} == expected

"""Text from a user's data files is shown literally everywhere and never followed as a link.

One dataset puts markup (``<b>``, ``<script>``, ``<img onerror>``) and dangerous link schemes (``file:``,
``javascript:``) into every free-text field a user controls: drug name, brand, mechanism, boxed warning,
note, trial name, arm label, adverse-event term, source citation, locator and note, and an http URL with
quotes and angle brackets in it. Each surface that shows such text is checked for the literal string and
for the absence of anything the markup would have produced (a bold run, an image, a link).
"""

from __future__ import annotations

import csv
import html
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCharFormat, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QGraphicsTextItem

from tests.domain.minidata import write_dataset
from viewer.charts.spec import ChartKind
from viewer.domain.model import Drug
from viewer.plot.result import RenderedChart
from viewer.ui.catalog_index import Column
from viewer.ui.details_pane import render_drug
from viewer.ui.main_window import MainWindow

BOLD = "<b>bold</b>"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS = "javascript:alert(1)"
FILE = "file:///etc/passwd"
MARKUP = (BOLD, SCRIPT, IMG)

DRUG_NAME = f"Evil {BOLD}inib"
BRAND = f"Brand {SCRIPT}"
MECHANISM = f"Mechanism {BOLD} {JS}"
BOXED = f"Boxed {SCRIPT} {IMG}"
DRUG_NOTE = f"Drug note {IMG} {FILE}"
TRIAL_NAME = f"TRIAL {BOLD} {SCRIPT}"
ARM_LABEL = f"10 mg {IMG}"
AE_TERM = f"rash {BOLD}"
CITATION = f"Cite {SCRIPT} see {JS}"
LOCATOR = f"Table {IMG}"
SOURCE_NOTE = f"Source note {FILE} {BOLD}"
RESULT_NOTE = f"Result note {BOLD} {JS}"
# Accepted by the loader (it is http), so its quotes and brackets must be escaped inside the href attribute.
URL = "https://example.org/a?q='onmouseover='alert(1)&x=<b>y</b>"
PMID = "12345678"
SOURCE_ID = "S1 <i>&</i>"  # ids are free text too: they name in-page anchors and show as citations
TOOLTIP = Qt.ItemDataRole.ToolTipRole

pytestmark = pytest.mark.usefixtures("qtbot")


def _csv(header: str, rows: list[list[str]]) -> str:
    """A CSV table; the header is given as its own comma-separated line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return buffer.getvalue()


def _toml(text: str) -> str:
    """A TOML basic string (the payloads hold no quote or backslash, but be safe)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


EVIL_FILES: dict[str, str] = {
    "sources.csv": _csv(
        "id,citation,kind,pmid,doi,nct,url,locator,note",
        [[SOURCE_ID, CITATION, "article", PMID, "", "", URL, LOCATOR, SOURCE_NOTE]],
    ),
    "drugs/testinib.toml": (
        f'id = "testinib"\nname = {_toml(DRUG_NAME)}\nclass = "JAK inhibitor"\nbrands = [{_toml(BRAND)}]\n'
        f'codes = ["TST-101"]\ntargets = ["JAK1"]\nnote = {_toml(DRUG_NOTE)}\n\n'
        f'[[mechanism]]\ntext = {_toml(MECHANISM)}\nsource = {_toml(SOURCE_ID)}\nlevel = "verified"\n\n'
        f'[[boxed_warning]]\ntext = {_toml(BOXED)}\nsource = {_toml(SOURCE_ID)}\nlevel = "verified"\n\n'
        '[[selectivity]]\ntarget = "JAK1"\nic50_nm = 10.0\nqualifier = ""\nassay = "enzyme"\n'
        f"source = {_toml(SOURCE_ID)}\n"
        'level = "verified"\n\n'
        f'[[approved_dose]]\ntext = "10 mg once daily"\ndaily_mg = 10\nsource = {_toml(SOURCE_ID)}\n'
        'level = "verified"\n'
    ),
    "trials.csv": _csv(
        "id,name,nct,phase,population,background,primary_timepoint,randomised_n,indication,source,level,note",
        [["t1", TRIAL_NAME, "NCT01234567", "2", "MTX-IR", "MTX", "week 12", "300", "RA", SOURCE_ID, "verified", ""]],
    ),
    "arms.csv": _csv(
        "id,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,source,level,note",
        [
            ["t1-pbo", "t1", "placebo", "", "Placebo", "", "", "", "0", "100", SOURCE_ID, "verified", ""],
            ["t1-10", "t1", "drug", "testinib", ARM_LABEL, "10", "mg", "QD", "10", "100", SOURCE_ID, "verified", ""],
            ["t1-20", "t1", "drug", "testinib", "20 mg QD", "20", "mg", "QD", "20", "100", SOURCE_ID, "verified", ""],
        ],
    ),
    "results.csv": _csv(
        "trial,arm,outcome,timepoint,responders,percent,n,source,level,note",
        [
            ["t1", "t1-pbo", "ACR20", "week 12", "30", "", "", SOURCE_ID, "verified", ""],
            ["t1", "t1-10", "ACR20", "week 12", "55", "", "", SOURCE_ID, "verified", RESULT_NOTE],
            ["t1", "t1-20", "ACR20", "week 12", "62", "", "", SOURCE_ID, "verified", ""],
        ],
    ),
    "adverse_events.csv": _csv(
        "trial,arm,term,serious,affected,percent,at_risk,timepoint,source,level,note",
        [
            ["t1", "t1-pbo", AE_TERM, "no", "2", "", "", "week 12", SOURCE_ID, "verified", ""],
            ["t1", "t1-10", AE_TERM, "no", "9", "", "", "week 12", SOURCE_ID, "verified", ""],
        ],
    ),
}


@dataclass
class Evil:
    window: MainWindow
    opened: list[str]  # every URL handed to the desktop
    folder: Path

    @property
    def drug(self) -> Drug:
        return self.window.state.catalog.drugs["testinib"]


@pytest.fixture
def evil(
    qtbot: Any,
    make_main_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: list[dict[str, Any]],
) -> Evil:
    opened: list[str] = []

    def record(url: QUrl) -> bool:
        opened.append(url.toString())
        return True

    # Before the window exists: the details pane takes the desktop opener when it is built.
    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    folder = write_dataset(tmp_path / "evil", EVIL_FILES)
    window = make_main_window()
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        assert window.open_paths([folder])
    assert not message_boxes, message_boxes  # the dataset is valid: every payload was loaded
    assert "testinib" in window.state.query.drugs  # the loader ticked and focused the new drug
    assert window.state.focused_drug == "testinib"
    return Evil(window, opened, folder)


def rendered(window: MainWindow, kind: ChartKind) -> RenderedChart:
    window.chart_pane.show_kind(kind)
    chart = window.chart_pane.chart(kind)
    assert chart.rendered is not None and chart.spec is not None and chart.spec.kind is kind
    return chart.rendered


def as_rich_text(tooltip: str) -> QTextDocument:
    """How Qt shows a tooltip: it guesses rich text, so parse it as rich text."""
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc


def assert_inert(doc: QTextDocument) -> None:
    """No image, no bold run and no link except http(s) and in-page anchors came out of the markup."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt: QTextCharFormat = fragment.charFormat()
            assert not fmt.isImageFormat() or QTextImageFormat(fmt).name() == "", fragment.text()
            href = fmt.anchorHref()
            assert not href or href.startswith(("https://", "http://", "#")), href
            for text in ("bold", "alert(1)"):
                if text in fragment.text():  # the payload's words are never rendered as their markup
                    assert "<" in fragment.text() or fmt.fontWeight() <= 400, fragment.text()
            it += 1
        block = block.next()


def assert_escaped(tooltip: str, *literals: str) -> None:
    """Explicit rich text in which each literal is escaped, and which shows each literal as written."""
    for literal in literals:
        assert html.escape(literal) in tooltip, literal
    for raw in MARKUP:
        assert raw not in tooltip
    doc = as_rich_text(tooltip)
    shown = doc.toPlainText()
    for literal in literals:
        assert literal in shown, literal
    assert_inert(doc)


# -- the dataset itself -------------------------------------------------------------------------


def test_the_loader_keeps_every_payload_verbatim(evil: Evil) -> None:
    """Guards the other tests: a loader that stripped markup would make them pass vacuously."""
    catalog = evil.window.state.catalog
    drug = evil.drug
    assert drug.name == DRUG_NAME
    assert drug.brands == (BRAND,)
    assert [f.text for f in drug.mechanism] == [MECHANISM]
    assert [f.text for f in drug.boxed_warnings] == [BOXED]
    assert drug.note == DRUG_NOTE
    assert catalog.trials["t1"].name == TRIAL_NAME
    source = catalog.source(SOURCE_ID)
    assert source is not None
    assert (source.citation, source.locator, source.note, source.url) == (CITATION, LOCATOR, SOURCE_NOTE, URL)
    assert AE_TERM in catalog.adverse_event_terms()


# -- catalog, controls, datasets ------------------------------------------------------------------


def test_catalog_table_shows_the_name_literally(evil: Evil) -> None:
    model = evil.window.catalog_pane.model
    row = model.row_of("testinib")
    assert row >= 0
    name = model.index(row, Column.NAME).data()
    assert name == f"{DRUG_NAME} (user)"
    tip = model.index(row, Column.NAME).data(TOOLTIP)
    assert_escaped(tip, DRUG_NAME)
    # The search matches the literal text too: nothing was dropped on the way in.
    evil.window.catalog_pane.search.setText("<b>bold")
    assert evil.window.catalog_pane.visible_drug_ids() == ["testinib"]


def test_controls_offer_the_adverse_event_term_as_plain_text(evil: Evil) -> None:
    combo = evil.window.controls.ae_term
    index = combo.findData(AE_TERM)
    assert index >= 0
    assert combo.itemText(index) == AE_TERM
    assert_escaped(combo.itemData(index, TOOLTIP), AE_TERM)
    trials = evil.window.controls.trials.popup_list()
    names = [trials.item(r).text() for r in range(trials.count())]
    assert any(n.startswith(TRIAL_NAME) for n in names), names


# -- details pane -------------------------------------------------------------------------------


def test_details_pane_shows_every_field_literally(evil: Evil) -> None:
    pane = evil.window.details_pane
    text = pane.toPlainText()
    for literal in (DRUG_NAME, BRAND, MECHANISM, BOXED, DRUG_NOTE, TRIAL_NAME, ARM_LABEL, AE_TERM):
        assert literal in text, literal
    assert CITATION in text and LOCATOR in text and SOURCE_NOTE in text
    assert URL in text  # the link's label is the address, shown as written
    assert text.startswith(DRUG_NAME)

    source = render_drug(evil.window.state.catalog, evil.drug, evil.window.state.query)
    for raw in MARKUP:
        assert raw not in source
    assert "<script" not in source.lower() and "<img" not in source.lower()
    assert html.escape(URL, quote=True) in source  # quotes escaped inside the href attribute
    regenerated = pane.toHtml()
    for raw in MARKUP:
        assert raw not in regenerated
    assert_inert(pane.document())


def anchors(doc: QTextDocument) -> list[str]:
    found: list[str] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href and href not in found:
                found.append(href)
            it += 1
        block = block.next()
    return found


def test_details_pane_links_are_web_links_only(qtbot: Any, evil: Evil) -> None:
    pane = evil.window.details_pane
    links = anchors(pane.document())
    assert f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/" in links
    assert URL in links  # the http URL survived as one attribute: its quote did not end it
    assert all(h.startswith(("https://", "http://", "#")) for h in links), links
    assert not any(JS in h or FILE in h for h in links)


@pytest.mark.parametrize("url", [JS, FILE, "data:text/html,<script>alert(1)</script>", "ftp://example.org/x"])
def test_a_non_web_link_is_refused(qtbot: Any, evil: Evil, url: str) -> None:
    pane = evil.window.details_pane
    with qtbot.waitSignal(pane.link_refused) as blocker:
        pane.anchorClicked.emit(QUrl(url))
    assert evil.opened == []
    assert blocker.args is not None and blocker.args[0]
    assert "Only web links" in evil.window.statusBar().currentMessage()


def test_a_pubmed_link_opens_once(qtbot: Any, evil: Evil) -> None:
    pane = evil.window.details_pane
    pmid = f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/"
    with qtbot.assertNotEmitted(pane.link_refused):
        pane.anchorClicked.emit(QUrl(pmid))
    assert evil.opened == [pmid]


def anchor_names(doc: QTextDocument) -> set[str]:
    names: set[str] = set()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            names.update(it.fragment().charFormat().anchorNames())
            it += 1
        block = block.next()
    return names


def test_in_page_source_links_reach_their_source_and_open_nothing(qtbot: Any, evil: Evil) -> None:
    """A citation mark jumps to its entry in the source list, whatever characters the source id has."""
    pane = evil.window.details_pane
    evil.window.resize(800, 560)
    assert SOURCE_ID in pane.toPlainText()
    local = [h for h in anchors(pane.document()) if h.startswith("#")]
    assert local
    names = anchor_names(pane.document())
    bar = pane.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the sources are below the fold
    with qtbot.assertNotEmitted(pane.link_refused):
        for href in local:
            url = QUrl(href)
            # What the pane scrolls to is an anchor that exists in the document.
            assert url.fragment(QUrl.ComponentFormattingOption.FullyDecoded) in names, (href, names)
            bar.setValue(0)
            pane.anchorClicked.emit(url)
            assert bar.value() > 0, href
    assert evil.opened == []


# -- charts ---------------------------------------------------------------------------------------


def evil_series(chart: RenderedChart) -> str:
    names = [n for n in chart.series if n.startswith(DRUG_NAME)]
    assert names, list(chart.series)
    return names[0]


def test_chart_tooltip_text_and_hover_tooltip(qtbot: Any, evil: Evil) -> None:
    chart = rendered(evil.window, ChartKind.DOSE_RESPONSE)
    name = evil_series(chart)
    assert TRIAL_NAME in name
    series = chart.series[name].series
    index = next(i for i, p in enumerate(series.points) if p.label == ARM_LABEL)
    tip = chart.tooltip_at(name, index)
    for literal in (DRUG_NAME, ARM_LABEL, TRIAL_NAME, CITATION, LOCATOR, RESULT_NOTE):
        assert literal in tip, literal

    # What the user sees on hover: the view's tooltip, set from the marker under the mouse.
    spots = [s for s in chart.spots(name) if s.data()[1] == index]
    assert len(spots) == 1
    chart.markers.sigHovered.emit(chart.markers, spots, None)
    shown = chart.plot.vb.toolTip()
    assert_escaped(shown, DRUG_NAME, ARM_LABEL, TRIAL_NAME, CITATION, RESULT_NOTE)
    chart.markers.sigHovered.emit(chart.markers, [], None)
    assert chart.plot.vb.toolTip() == ""


def plain_labels(chart: RenderedChart) -> list[QGraphicsTextItem]:
    return [lbl.item for lbl in (chart.title, chart.warnings, chart.footnotes) if lbl is not None]


def test_legend_title_and_footnotes_are_plain_text(qtbot: Any, evil: Evil) -> None:
    dose = rendered(evil.window, ChartKind.DOSE_RESPONSE)
    assert dose.legend is not None
    assert DRUG_NAME in dose.legend.names() and TRIAL_NAME in dose.legend.names()
    assert dose.footnotes is not None and CITATION in dose.footnotes.text() and LOCATOR in dose.footnotes.text()

    evil.window.state.update_query(ae_term=AE_TERM)
    tolerability = rendered(evil.window, ChartKind.TOLERABILITY)
    assert tolerability.title is not None
    assert tolerability.title.text().lower().startswith(AE_TERM.lower())
    y_label = tolerability.plot.getAxis("left").label
    assert AE_TERM in y_label.toPlainText()  # pyqtgraph wraps the label in HTML: it was escaped
    assert_inert(y_label.document())

    for chart in (dose, tolerability):
        for item in plain_labels(chart):
            assert_inert(item.document())


def test_forest_row_labels_are_plain_text(qtbot: Any, evil: Evil) -> None:
    forest = rendered(evil.window, ChartKind.FOREST)
    spec = forest.spec
    labels = [label for _y, label in spec.y_ticks]
    headings = [label for y, label in spec.y_ticks if y in spec.y_headings]
    assert DRUG_NAME in headings, headings  # the drug heads its group; rows name the dose and trial
    assert any(ARM_LABEL in label and TRIAL_NAME in label for label in labels), labels
    for table in (forest.label_table, forest.text_table):  # drawn as plain text, never as rich text
        statics = [table.static(k, row) for k, column in enumerate(table.texts()) for row in range(len(column))]
        assert all(static.textFormat() == Qt.TextFormat.PlainText for static in statics)
    assert DRUG_NAME in [text for column in forest.label_table.texts() for _, text in column]
    name = evil_series(forest)
    tip = forest.tooltip_at(name, 0)
    assert TRIAL_NAME in tip and CITATION in tip


# -- compare table ------------------------------------------------------------------------------


def test_compare_table_shows_text_literally(qtbot: Any, evil: Evil) -> None:
    evil.window.chart_pane.show_kind(None)
    model = evil.window.chart_pane.compare.compare_model
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert DRUG_NAME in columns
    column = columns.index(DRUG_NAME)
    cells = {model.index(r, 0).data(): model.text(model.index(r, column)) for r in range(model.rowCount())}
    assert BOXED in cells["Boxed warning"]
    effect = cells["ACR20 vs placebo"]
    assert ARM_LABEL in effect and TRIAL_NAME in effect
    row = list(cells).index("ACR20 vs placebo")
    summary = model.index(row, column).data()
    assert ARM_LABEL in summary and TRIAL_NAME in summary  # the one-line summary shows it literally too
    row = list(cells).index("Boxed warning")
    assert_escaped(model.index(row, column).data(TOOLTIP), DRUG_NAME, BOXED)
    tsv, table = evil.window.chart_pane.compare.table_text(whole=True)
    assert BOXED in tsv and SCRIPT not in table and html.escape(SCRIPT) in table  # the HTML copy is escaped


# -- exports ----------------------------------------------------------------------------------------


def svg_texts(path: Path) -> tuple[set[str], str]:
    """Element names (namespace stripped) and all character data of an SVG, parsed as XML."""
    root = ET.parse(path).getroot()
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    text = "\n".join("".join(el.itertext()) for el in root.iter() if el.tag.rsplit("}", 1)[-1] in ("text", "tspan"))
    return tags, text


@pytest.mark.parametrize("kind", [ChartKind.DOSE_RESPONSE, ChartKind.FOREST])
def test_exported_svg_holds_the_text_literally(qtbot: Any, evil: Evil, tmp_path: Path, kind: ChartKind) -> None:
    path = evil.window.export_chart_to(tmp_path / f"{kind.value}.svg", 1200, 900, 96, kind)
    tags, text = svg_texts(path)
    assert not tags & {"script", "img", "image", "a", "foreignObject", "b"}, tags
    assert DRUG_NAME in text and TRIAL_NAME in text, text
    if kind is ChartKind.FOREST:
        assert ARM_LABEL in text
    raw = path.read_text(encoding="utf-8")
    for payload in MARKUP:
        assert payload not in raw  # escaped in the XML, wherever it appears (text, title, description)
    desc = ET.parse(path).getroot().find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and CITATION in "".join(desc.itertext())


def test_exported_csv_holds_the_text_literally(qtbot: Any, evil: Evil, tmp_path: Path) -> None:
    path = evil.window.export_data_to(tmp_path / "dose.csv", ChartKind.DOSE_RESPONSE)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    mine = [r for r in rows if r.get("trial") == TRIAL_NAME]
    assert mine, rows[:3]
    assert any(r.get("arm") == ARM_LABEL for r in mine)
    assert any(DRUG_NAME in r.values() for r in mine)

    evil.window.chart_pane.show_kind(None)
    compare = evil.window.export_data_to(tmp_path / "compare.csv")
    with compare.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert DRUG_NAME in table[0]
    assert any(BOXED in cell for row in table for cell in row)

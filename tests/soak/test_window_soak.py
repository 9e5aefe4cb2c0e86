"""Soak: thousands of random user actions in one window, with no exception, no Qt warning and no leak.

One seeded ``random.Random`` drives a single main window through what a user does in a long session:
typing in the search box, ticking and focusing drugs, switching the five tabs, changing every control
(through the widgets and through the state), opening good files and bad ones, removing datasets,
hovering points, following in-page links, exporting PNG/SVG/PDF/CSV, copying, resizing and re-laying
out the window. After every action the window must still be consistent (the controls show the query,
the catalog table shows the catalog, the details show the focused drug); every 25 actions the visible
chart must equal a fresh build from the state.

pytest-qt fails the test on any exception in a slot, and the strict configuration on any Qt warning
(a "deleted object" warning is a bug). Memory is read from ``/proc/self/statm`` after a warm-up and at
the end; run with ``-s`` to see the figures.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import random
import statistics
import sys
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QMessageBox

from tests.domain.minidata import TEN_MISTAKES_FILES, write_dataset
from viewer.charts.build import build_chart
from viewer.charts.query import MAX_DRUGS, DiffCI, DoseAxis, Effect, PanelMode, RateCI
from viewer.domain.catalog import Catalog
from viewer.domain.model import Origin
from viewer.export import ExportError
from viewer.ui.catalog_index import Column
from viewer.ui.catalog_model import DRUG_ID_ROLE
from viewer.ui.main_window import MainWindow

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/statm")]

SEED = 1234
WARM_UP = 200
ACTIONS = 2200  # warm-up included: 2,000 actions are measured
EXPORT_EVERY = 50
CHECK_CHART_EVERY = 25
MAX_RSS_GROWTH = 0.10
RSS_EVERY = 100  # actions between two RSS readings
RSS_WINDOW = 5  # readings at each end whose median is compared
EXPORT_SIZE = (400, 300, 96)

DATA = Path(__file__).resolve().parents[1] / "data"
SPREADSHEET = DATA / "migraine_spreadsheet.csv"
CTGOV = sorted((DATA / "ctgov").glob("*.json")) + sorted((DATA / "ctgov").glob("*.xml"))
SEARCHES = ("upa", "JAK1", "rinvoq", "abt 494", "tofa", "bari", "TST", "zz", "<b>", "study", "sema", "1", "-")


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_after_collect() -> float:
    """RSS once garbage is collected and glibc has handed freed heap back, so the figure tracks live memory."""
    gc.collect()
    settle()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb()


def settle() -> None:
    """What the event loop does between two user actions: timers, posted events, deferred deletes."""
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class Soak:
    """The window, the random source, the files, and one method per kind of action."""

    def __init__(self, qtbot: Any, window: MainWindow, tmp_path: Path, boxes: list[dict[str, Any]]) -> None:
        self.qtbot = qtbot
        self.window = window
        self.state = window.state
        self.rng = random.Random(SEED)
        self.boxes = boxes
        self.out = tmp_path / "exports"
        self.out.mkdir()
        self.done: Counter[str] = Counter()
        self.exports = 0
        self.history: list[str] = []
        self.toured = 0
        self.good: list[Path] = [SPREADSHEET, *CTGOV, write_dataset(tmp_path / "mini")]
        self.bad: list[Path] = self._bad_files(tmp_path / "bad")
        self.actions: list[tuple[int, Callable[[], None]]] = [
            (8, self.type_search),
            (3, self.clear_search),
            (10, self.tick_through_the_table),
            (6, self.tick_through_the_state),
            (6, self.focus_by_click),
            (4, self.focus_by_keyboard),
            (4, self.focus_through_the_state),
            (10, self.switch_tab),
            (6, self.pick_from_a_combo),
            (5, self.toggle_a_check_box),
            (4, self.choose_an_option),
            (4, self.filter_trials),
            (6, self.change_the_query_directly),
            (3, self.filter_the_catalog),
            (2, self.open_a_good_file),
            (2, self.open_a_bad_file),
            (2, self.remove_a_dataset),
            (5, self.hover_a_point),
            (2, self.follow_an_in_page_link),
            (4, self.resize_the_window),
            (2, self.move_splitters_and_panes),
        ]

    # -- files --------------------------------------------------------------------------------------

    @staticmethod
    def _bad_files(folder: Path) -> list[Path]:
        folder.mkdir()
        json_text = CTGOV[0].read_text(encoding="utf-8") if CTGOV[0].suffix == ".json" else "{}"
        truncated = folder / "truncated.json"
        truncated.write_text(json_text[: len(json_text) * 3 // 5], encoding="utf-8")
        lines = SPREADSHEET.read_text(encoding="utf-8").splitlines()
        header, row = lines[0].split(","), lines[1].split(",")
        row[header.index("responders")] = "abc"
        broken_sheet = folder / "errors.csv"
        broken_sheet.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
        garbage = folder / "garbage.xml"
        garbage.write_bytes(b"<?xml version='1.0'?><clinical_study><id_info>\x00\xff")
        not_a_record = folder / "not_a_record.json"
        not_a_record.write_text(json.dumps({"hello": [1, 2, 3]}), encoding="utf-8")
        mistakes = write_dataset(folder / "ten_mistakes", TEN_MISTAKES_FILES)
        return [truncated, broken_sheet, garbage, not_a_record, mistakes, folder / "missing.csv"]

    def _load(self, path: Path) -> Any:
        with self.qtbot.waitSignal(self.window.loader.finished, timeout=30000) as blocker:
            assert self.window.open_paths([path])
        # the new chart is drawn from the turn after the swap, a panel a turn: the user sees it then
        self.qtbot.waitUntil(self.window.chart_pane.up_to_date, timeout=10000)
        return blocker.args[0]

    def open_a_good_file(self) -> None:
        self._open_good(self.rng.choice(self.good))

    def _open_good(self, path: Path) -> None:
        outcome = self._load(path)
        assert not outcome.errors, outcome.errors
        assert any(d.path == str(path) for d in self.state.datasets)

    def open_a_bad_file(self) -> None:
        self._open_bad(self.rng.choice(self.bad))

    def _open_bad(self, path: Path) -> None:
        catalog, query, boxes = self.state.catalog, self.state.query, len(self.boxes)
        outcome = self._load(path)
        assert outcome.errors and not outcome.datasets
        assert self.state.catalog is catalog  # a failed file changes nothing
        assert self.state.query == query
        assert len(self.boxes) == boxes + 1
        assert self.boxes[-1]["icon"] == QMessageBox.Icon.Warning
        assert path.name in self.boxes[-1]["text"]

    def remove_a_dataset(self) -> None:
        user = [d.path for d in self.state.datasets if d.origin is not Origin.CURATED]
        if not user or self.rng.random() < 0.15:
            curated = next(d.path for d in self.state.datasets if d.origin is Origin.CURATED)
            assert not self.state.remove_dataset(curated)  # the shipped catalog stays
            return
        path = self.rng.choice(user)
        pane = self.window.datasets_pane
        if self.rng.random() < 0.5:
            pane.select_path(path)
            assert pane.remove_button.isEnabled()
            pane.remove_button.click()
        else:
            assert self.state.remove_dataset(path)
        assert all(d.path != path for d in self.state.datasets)

    # -- catalog ------------------------------------------------------------------------------------

    def type_search(self) -> None:
        search = self.window.catalog_pane.search
        if self.rng.random() < 0.5:
            search.clear()
        self.qtbot.keyClicks(search, self.rng.choice(SEARCHES))

    def clear_search(self) -> None:
        pane = self.window.catalog_pane
        pane.search.clear()
        if pane.target_combo.currentIndex() == 0 and pane.status_combo.currentIndex() == 0:
            assert sorted(pane.visible_drug_ids()) == sorted(self.state.catalog.drugs)  # no filter: every drug

    def _visible_row(self) -> int | None:
        rows = self.window.catalog_pane.proxy.rowCount()
        return self.rng.randrange(rows) if rows else None

    def tick_through_the_table(self) -> None:
        pane = self.window.catalog_pane
        row = self._visible_row()
        if row is None:
            return
        index = pane.proxy.index(row, Column.NAME)
        drug_id = str(index.data(DRUG_ID_ROLE))
        ticked = drug_id in self.state.query.drugs
        before = len(self.state.query.drugs)
        value = Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked
        accepted = pane.proxy.setData(index, value, Qt.ItemDataRole.CheckStateRole)
        refused = (not ticked and before >= MAX_DRUGS) or (ticked and before <= 1)
        assert accepted is not refused
        shown = pane.proxy.index(row, Column.NAME).data(Qt.ItemDataRole.CheckStateRole)
        assert (shown == Qt.CheckState.Checked) == (drug_id in self.state.query.drugs)

    def tick_through_the_state(self) -> None:
        drug_id = self.rng.choice([*self.state.catalog.drugs, "no-such-drug"])
        self.state.set_drug_ticked(drug_id, self.rng.random() < 0.6)

    def focus_by_click(self) -> None:
        pane = self.window.catalog_pane
        row = self._visible_row()
        if row is None:
            return
        index = pane.proxy.index(row, Column.TARGETS)
        pane.table.scrollTo(index)
        rect = pane.table.visualRect(index)
        if not pane.table.viewport().rect().contains(rect.center()):
            return  # a tiny window: the row cannot be scrolled into view
        self.qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert self.state.focused_drug == index.data(DRUG_ID_ROLE)

    def focus_by_keyboard(self) -> None:
        table = self.window.catalog_pane.table
        key = self.rng.choice((Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageDown))
        self.qtbot.keyClick(table, key)
        current = table.currentIndex()
        if current.isValid():
            assert self.state.focused_drug == current.data(DRUG_ID_ROLE)

    def focus_through_the_state(self) -> None:
        drug_id = self.rng.choice(list(self.state.catalog.drugs))
        self.state.set_focused_drug(drug_id)
        assert self.state.focused_drug == drug_id

    def filter_the_catalog(self) -> None:
        pane = self.window.catalog_pane
        combo = self.rng.choice((pane.target_combo, pane.status_combo))
        combo.setCurrentIndex(self.rng.randrange(combo.count()))
        if pane.proxy.rowCount() == 0 and self.rng.random() < 0.5:
            pane.target_combo.setCurrentIndex(0)
            pane.status_combo.setCurrentIndex(0)

    # -- charts and controls ------------------------------------------------------------------------

    def switch_tab(self) -> None:
        index = self.rng.randrange(self.window.chart_pane.tabs.count())
        if self.rng.random() < 0.5:
            self.window.tab_actions[index].trigger()
        else:
            self.window.chart_pane.tabs.setCurrentIndex(index)
        assert self.window.chart_pane.tabs.currentIndex() == index

    def pick_from_a_combo(self) -> None:
        c = self.window.controls
        combo: QComboBox = self.rng.choice((c.outcome, c.timepoint, c.population, c.ae_term, c.effect))
        if combo.count():
            combo.setCurrentIndex(self.rng.randrange(combo.count()))

    def toggle_a_check_box(self) -> None:
        c = self.window.controls
        box = self.rng.choice((c.adjusted, c.verified_only))
        box.click()

    def choose_an_option(self) -> None:
        c = self.window.controls
        action = self.rng.choice([*c.diff_ci.values(), *c.rate_ci.values(), *c.dose_axis.values(), c.panels, c.emax])
        action.trigger()

    def filter_trials(self) -> None:
        trials = self.window.controls.trials
        if trials.popup_list().count() == 0 or self.rng.random() < 0.2:
            self.state.update_query(trials=())
            return
        item = trials.popup_list().item(self.rng.randrange(trials.popup_list().count()))
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def change_the_query_directly(self) -> None:
        catalog = self.state.catalog
        choices: dict[str, list[object]] = {
            "outcome": [*catalog.outcome_ids(), "NOT-AN-OUTCOME"],
            "timepoint": ["", *catalog.timepoints(), "week 999"],
            "population": ["", *catalog.populations(), "martians"],
            "ae_term": [*catalog.adverse_event_terms(), "no such event"],
            "adjusted": [True, False],
            "effect": list(Effect),
            "diff_ci": list(DiffCI),
            "rate_ci": list(RateCI),
            "dose_axis": list(DoseAxis),
            "panels": list(PanelMode),
            "emax": [True, False],
            "verified_only": [True, False],
            "trials": [(), tuple(self.rng.sample(sorted(catalog.trials), k=min(2, len(catalog.trials)))), ("gone",)],
        }
        field = self.rng.choice(sorted(choices))
        self.state.update_query(**{field: self.rng.choice(choices[field])})

    def hover_a_point(self) -> None:
        kind = self.window.chart_pane.current_kind()
        if kind is None:
            return
        rendered = self.window.chart_pane.chart(kind).rendered
        if rendered is None or rendered.markers is None:
            return
        spots = rendered.markers.points()
        picked = [spots[self.rng.randrange(len(spots))]] if self.rng.random() < 0.8 else []
        rendered.markers.sigHovered.emit(rendered.markers, picked, None)
        tip = rendered.plot.vb.toolTip()
        assert bool(tip) == bool(picked)

    def follow_an_in_page_link(self) -> None:
        pane = self.window.details_pane
        local: list[str] = []
        block = pane.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                href = it.fragment().charFormat().anchorHref()
                if href.startswith("#"):
                    local.append(href)
                it += 1
            block = block.next()
        if local:
            pane.anchorClicked.emit(QUrl(self.rng.choice(local)))

    # -- window -------------------------------------------------------------------------------------

    def resize_the_window(self) -> None:
        self.window.resize(self.rng.randint(640, 1500), self.rng.randint(460, 960))

    def move_splitters_and_panes(self) -> None:
        w = self.window
        choice = self.rng.randrange(4)
        if choice == 0:
            w.splitter.setSizes([self.rng.randint(50, 600) for _ in range(3)])
        elif choice == 1:
            w.details_action.trigger()
        elif choice == 2:
            w.datasets_action.trigger()
        else:
            w.reset_layout_action.trigger()

    def export(self) -> None:
        """PNG, SVG, PDF, CSV and the clipboard in turn, from the current tab."""
        w, h, dpi = EXPORT_SIZE
        fmt = ("png", "svg", "pdf", "csv", "copy")[self.exports % 5]
        self.exports += 1
        try:
            if fmt == "csv":
                path = self.window.export_data_to(self.out / "data.csv")
                assert path.read_text(encoding="utf-8").count("\n") >= 2  # a header and at least one row
            elif fmt == "copy":
                self.window.copy_chart()
                clipboard = QGuiApplication.clipboard()
                assert not clipboard.image().isNull() or clipboard.text()
            else:
                path = self.window.export_chart_to(self.out / f"chart.{fmt}", w, h, dpi)
                assert path.stat().st_size > 500
        except ExportError as exc:  # an empty selection is refused with its reason, never written
            if not str(exc).startswith("Nothing to export"):
                raise
            self.done[f"export {fmt} refused (empty)"] += 1
            return
        self.done[f"export {fmt}"] += 1

    # -- running ------------------------------------------------------------------------------------

    def tour(self) -> None:
        """Open every good file and every bad one, show every tab, export every format: the warm-up then
        holds everything a long session loads and caches, and the growth measured after it is a leak."""
        scripted: list[tuple[str, Callable[[], None]]] = []
        for path in self.good:
            scripted.append(("open_a_good_file", partial(self._open_good, path)))
        for path in self.bad:
            scripted.append(("open_a_bad_file", partial(self._open_bad, path)))
        for index in range(self.window.chart_pane.tabs.count()):
            scripted.append(("switch_tab", partial(self.window.chart_pane.tabs.setCurrentIndex, index)))
            scripted.append(("export", self.export))
            scripted.append(("export", self.export))
        for name, action in scripted:
            self.history.append(f"{self.toured}: tour {name}")
            action()
            if name != "export":  # export counts itself, by format
                self.done[name] += 1
            self.toured += 1
            settle()
            self.check()

    def step(self, n: int) -> None:
        """One action, then the checks; a failure lists the actions that led to it."""
        try:
            if n % EXPORT_EVERY == EXPORT_EVERY - 1:
                self.history.append(f"{n}: export")
                self.export()
            else:
                weights = [w for w, _ in self.actions]
                action = self.rng.choices([a for _, a in self.actions], weights=weights)[0]
                self.history.append(f"{n}: {action.__name__}")
                action()
                self.done[action.__name__] += 1
            settle()
            self.check()
            if n % CHECK_CHART_EVERY == 0:
                self.check_visible_chart()
        except Exception as exc:
            exc.add_note("last actions:\n  " + "\n  ".join(self.history[-15:]))
            exc.add_note(f"focused {self.state.focused_drug!r}, query {self.state.query}")
            raise

    def check(self) -> None:
        """Every view agrees with the state after every action."""
        state, w = self.state, self.window
        query, catalog = state.query, state.catalog
        assert 1 <= len(query.drugs) <= MAX_DRUGS
        assert set(query.drugs) <= set(catalog.drugs)
        assert w.catalog_pane.model.rowCount() == len(catalog.drugs)
        c = w.controls
        assert c.outcome.currentData() == query.outcome
        assert c.timepoint.currentData() == query.timepoint
        assert c.population.currentData() == query.population
        assert c.ae_term.currentData() == query.ae_term
        assert c.effect.currentData() == query.effect.value
        assert c.adjusted.isChecked() == query.adjusted
        assert c.verified_only.isChecked() == query.verified_only
        assert c.dose_axis[query.dose_axis.value].isChecked()
        assert c.panels.isChecked() == query.panels.applies(len(query.drugs))
        assert c.emax.isChecked() == query.emax
        assert c.diff_ci[query.diff_ci.value].isChecked() and c.rate_ci[query.rate_ci.value].isChecked()
        focused = state.focused_drug
        assert focused in catalog.drugs
        assert w.details_pane.text().startswith(catalog.drugs[focused].name)
        assert w.summary.text() == catalog.summary()
        assert w.datasets_pane.list.count() == len(state.datasets)

    def check_visible_chart(self) -> None:
        pane = self.window.chart_pane
        kind = pane.current_kind()
        if kind is None:
            names = [pane.compare.compare_model.headerData(i, Qt.Orientation.Horizontal) for i in range(1, 5)]
            expected = [self.state.catalog.drugs[d].name for d in self.state.query.drugs]
            assert names[: len(expected)] == expected
            return
        chart = pane.chart(kind)
        expected = build_chart(kind, self.state.catalog, self.state.query)
        # an empty chart adds the session's reason and what the data offers to the builder's own message
        assert chart.spec is not None and chart.spec.empty_message.startswith(expected.empty_message)
        assert replace(chart.spec, empty_message=expected.empty_message) == expected
        # what is drawn is the spec itself, or at a narrow width the spec with its text columns left out (and named)
        drawn = chart.spec if chart.fitted.keep is None else chart.spec.narrowed(chart.fitted.keep)
        assert chart.rendered is not None and chart.rendered.spec == drawn


def test_window_soak(
    qtbot: Any, make_main_window: Callable[..., MainWindow], tmp_path: Path, message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    window.resize(1200, 800)
    soak = Soak(qtbot, window, tmp_path, message_boxes)

    soak.tour()  # the first actions of the warm-up visit every file, tab and export once
    for n in range(soak.toured, WARM_UP):
        soak.step(n)
    children = len(window.findChildren(QObject))
    catalogs: list[weakref.ref[Catalog]] = []
    rss: list[float] = []  # after every RSS_EVERY actions
    for n in range(WARM_UP, ACTIONS):
        if (n - WARM_UP) % RSS_EVERY == 0:
            rss.append(rss_after_collect())
        soak.step(n)
        if n % 20 == 0 and (not catalogs or catalogs[-1]() is not window.state.catalog):
            catalogs.append(weakref.ref(window.state.catalog))
    rss.append(rss_after_collect())
    # RSS at one moment depends on what is open then (a spreadsheet and four registry records hold some 25 MB
    # more than the catalog alone), so one reading before and one after swing by 10% with no leak. A leak grows
    # with the actions: the median of the last readings against the median of the first.
    before, after = statistics.median(rss[:RSS_WINDOW]), statistics.median(rss[-RSS_WINDOW:])

    done = sum(soak.done.values())
    print(f"\nsoak: {done} actions, rss median {before:.1f} MB -> {after:.1f} MB (readings {rss})")
    print("soak: " + ", ".join(f"{name} {count}" for name, count in sorted(soak.done.items())))
    assert done == ACTIONS
    assert set(soak.done) >= {a.__name__ for _, a in soak.actions}  # every kind of action ran
    assert {f"export {f}" for f in ("png", "svg", "pdf", "csv", "copy")} <= set(soak.done)
    assert soak.done["open_a_bad_file"] >= 20 and soak.done["open_a_good_file"] >= 20
    assert all(b["icon"] != QMessageBox.Icon.Critical for b in message_boxes), message_boxes
    # Sharper than RSS: dialogs and replaced catalogs are really released, not just small.
    assert len(window.findChildren(QObject)) <= children + 20, "Qt objects pile up under the window"
    alive = sum(ref() is not None for ref in catalogs)
    assert len(catalogs) > 20 and alive <= 3, f"{alive} of {len(catalogs)} replaced catalogs are still alive"
    grew = f"RSS grew from {before:.1f} MB to {after:.1f} MB (medians of {RSS_WINDOW} readings; all: {rss})"
    assert after < before * (1 + MAX_RSS_GROWTH), grew

"""The main window end to end: ticks and controls drive the charts, files load safely, settings persist."""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QProgressDialog

from tests.domain.minidata import write_dataset
from viewer import session as session_module
from viewer.charts.query import DEFAULT_DRUGS, Effect
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.charts.table import chart_rows
from viewer.ui import errors
from viewer.ui.catalog_index import Column
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

CTGOV_JSON = Path(__file__).resolve().parents[1] / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"
Make = Callable[..., MainWindow]


def dose_spec(window: MainWindow) -> ChartSpec:
    """The dose-response chart as drawn, once drawn (a load's is drawn in the turn after its swap)."""
    return window.chart_pane.spec(ChartKind.DOSE_RESPONSE)


def drugs_in(spec: ChartSpec) -> set[str]:
    """The ticked drugs drawn (a trial's active comparator, dashed, is not one of them)."""
    return {s.name.split(" · ")[0] for s in spec.all_series() if s.points and not s.dashed}


def activate(qtbot: Any, window: MainWindow) -> None:
    """Shortcuts only reach the active window; the offscreen platform activates on request."""
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def tick(window: MainWindow, drug_id: str, on: bool = True) -> None:
    """Tick through the view's model, as a click on the check box does."""
    pane = window.catalog_pane
    index = pane.proxy.mapFromSource(pane.model.index(pane.model.row_of(drug_id), Column.NAME))
    value = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
    pane.proxy.setData(index, value, Qt.ItemDataRole.CheckStateRole)


# -- first launch --------------------------------------------------------------------------------


def test_first_launch_shows_the_default_drugs_on_acr20(make_main_window: Make) -> None:
    window = make_main_window()
    assert window.state.query.drugs == DEFAULT_DRUGS
    assert window.state.query.outcome == "ACR20"
    assert window.chart_pane.current_kind() is ChartKind.DOSE_RESPONSE
    spec = dose_spec(window)
    assert not spec.is_empty
    assert "ACR20" in spec.title
    assert drugs_in(spec) == {"Upadacitinib", "Tofacitinib", "Baricitinib"}
    assert window.summary.text() == window.state.catalog.summary()
    assert window.details_pane.text().startswith("Upadacitinib")


def test_three_resizable_regions(make_main_window: Make) -> None:
    window = make_main_window()
    assert window.splitter.count() == 3
    widths = window.splitter.sizes()
    assert all(w > 150 for w in widths), widths
    assert widths[1] == max(widths)  # the charts get the most room


# -- ticks and controls drive the charts ------------------------------------------------------


def test_ticking_a_drug_adds_its_curves_and_whiskers(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    with qtbot.waitSignal(window.chart_pane.rebuilt):
        tick(window, "filgotinib")
    spec = dose_spec(window)
    assert "Filgotinib" in drugs_in(spec)
    rendered = window.chart_pane.chart(ChartKind.DOSE_RESPONSE).rendered
    assert rendered is not None and rendered.spec is spec
    for series in spec.all_series():
        if not series.name.startswith("Filgotinib") or not series.points:
            continue
        drawn = rendered.drawn_series[series.name]
        drawn_flat = [v for xy in rendered.drawn_xy(series.name) for v in xy]
        assert drawn_flat == pytest.approx([v for p in series.points for v in (p.x, p.y)])
        if any(p.low is not None for p in series.points):
            assert drawn.intervals is not None  # the whiskers behind the curve are drawn


def test_unticking_a_drug_removes_its_series(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    with qtbot.waitSignal(window.chart_pane.rebuilt):
        tick(window, "tofacitinib", on=False)
    assert drugs_in(dose_spec(window)) == {"Upadacitinib", "Baricitinib"}
    rendered = window.chart_pane.chart(ChartKind.DOSE_RESPONSE).rendered
    assert rendered is not None
    assert not [name for name in rendered.drawn_series if name.startswith("Tofacitinib")]


def test_a_fifth_tick_is_refused_in_the_status_bar(make_main_window: Make) -> None:
    window = make_main_window()
    tick(window, "filgotinib")
    before = window.state.query
    tick(window, "peficitinib")
    assert window.state.query == before
    assert "At most 4" in window.statusBar().currentMessage()


def test_outcome_acr50_changes_title_and_points(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    old = dose_spec(window)
    combo = window.controls.outcome
    with qtbot.waitSignal(window.chart_pane.rebuilt):
        combo.setCurrentIndex(combo.findData("ACR50"))
    new = dose_spec(window)
    assert window.state.query.outcome == "ACR50"
    assert "ACR50" in new.title
    old_y = sorted(p.y for s in old.all_series() for p in s.points)
    new_y = sorted(p.y for s in new.all_series() for p in s.points)
    assert old_y != new_y and max(new_y) < max(old_y)


def test_placebo_adjusted_plots_the_difference(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    with qtbot.waitSignal(window.chart_pane.rebuilt):
        qtbot.mouseClick(window.controls.adjusted, Qt.MouseButton.LeftButton)
    assert window.state.query.adjusted
    assert "Difference" in dose_spec(window).y_label
    assert window.controls.emax.isEnabled()  # placebo-adjusted: Emax across trials


def test_forest_effect_control(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    window.chart_pane.show_kind(ChartKind.FOREST)
    combo = window.controls.effect
    with qtbot.waitSignal(window.chart_pane.rebuilt, check_params_cb=lambda kind: kind is ChartKind.FOREST):
        combo.setCurrentIndex(combo.findData(Effect.RR.value))
    spec = window.chart_pane.chart(ChartKind.FOREST).spec
    assert spec is not None and spec.x_log and "Risk ratio" in spec.x_label


def test_only_the_visible_tab_is_rebuilt(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    pane = window.chart_pane
    before = pane.build_count
    window.state.update_query(outcome="ACR70")
    assert pane.build_count == before + 1
    stale = pane.chart(ChartKind.FOREST).spec
    assert stale is None or "ACR70" not in stale.title
    with qtbot.waitSignal(pane.rebuilt, check_params_cb=lambda kind: kind is ChartKind.FOREST):
        pane.show_kind(ChartKind.FOREST)
    forest = pane.chart(ChartKind.FOREST).spec
    assert forest is not None and "ACR70" in forest.title


def test_every_tab_draws_its_spec(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    for kind in ChartKind:
        window.chart_pane.show_kind(kind)
        chart = window.chart_pane.chart(kind)
        assert chart.spec is not None and chart.spec.kind is kind
        assert chart.rendered is not None
    window.chart_pane.show_kind(None)
    assert window.chart_pane.compare.compare_model.columnCount() == 1 + 3


def test_cross_trial_warning_is_visible(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    window.state.update_query(population="", timepoint="")  # "All": every population and timepoint
    spec = dose_spec(window)
    assert spec.warnings, "all populations mixed"
    rendered = window.chart_pane.chart(ChartKind.DOSE_RESPONSE).rendered
    assert rendered is not None and rendered.warnings is not None
    assert spec.warnings[0] in rendered.warnings.text()
    for size in ((1440, 900), (800, 560)):
        window.resize(*size)
        qtbot.waitUntil(window.chart_pane.warnings_visible)


def test_the_warning_banner_appears_only_when_the_chart_cannot_show_the_warning(
    qtbot: Any, make_main_window: Make
) -> None:
    window = make_main_window()
    window.state.update_query(population="", timepoint="")  # "All": a cross-trial warning to show
    pane = window.chart_pane
    window.resize(800, 560)
    qtbot.waitUntil(lambda: pane.banner.isVisible() or pane.drawn_warnings_visible(ChartKind.DOSE_RESPONSE))
    assert pane.banner.isVisible() != pane.drawn_warnings_visible(ChartKind.DOSE_RESPONSE)
    pane.show_kind(ChartKind.SELECTIVITY)  # no cross-trial warning on the selectivity chart
    qtbot.waitUntil(lambda: not pane.banner.isVisible())


def test_tooltips_carry_the_numbers(make_main_window: Make) -> None:
    window = make_main_window()
    spec = dose_spec(window)
    rendered = window.chart_pane.chart(ChartKind.DOSE_RESPONSE).rendered
    assert rendered is not None
    _columns, rows = chart_rows(ChartKind.DOSE_RESPONSE, window.state.catalog, window.state.query)
    counts = {f"{r['responders']}/{r['n']}" for r in rows if r["responders"] is not None}
    series = next(s for s in spec.all_series() if len(s.points) > 1)
    tip = rendered.tooltip_at(series.name, len(series.points) - 1)
    assert "95% CI" in tip
    assert any(c in tip for c in counts), tip


# -- details ----------------------------------------------------------------------------------


def test_clicking_a_row_fills_the_details(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    pane = window.catalog_pane
    index = pane.proxy.mapFromSource(pane.model.index(pane.model.row_of("baricitinib"), Column.TARGETS))
    rect = pane.table.visualRect(index)
    with qtbot.waitSignal(window.state.focused_drug_changed):
        qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = window.details_pane.text()
    assert text.startswith("Baricitinib")
    for fact in window.state.catalog.drugs["baricitinib"].boxed_warnings:
        assert fact.text in text
    assert "Sources" in text
    assert window.state.query.drugs == DEFAULT_DRUGS  # focusing a drug never ticks or unticks it


# -- settings ---------------------------------------------------------------------------------


def test_settings_survive_a_restart(qtbot: Any, make_main_window: Make, settings: Settings) -> None:
    window = make_main_window()
    tick(window, "filgotinib")
    window.state.update_query(outcome="ACR50", adjusted=True, verified_only=True)
    window.chart_pane.show_kind(ChartKind.FOREST)
    window.state.set_focused_drug("tofacitinib")
    window.resize(790, 560)  # within the offscreen screen (800x600), which restoreGeometry clamps to
    window.splitter.setSizes([240, 300, 220])
    sizes = window.splitter.sizes()
    query = window.state.query
    window.close()

    again = make_main_window(settings=Settings(QSettings(settings.qsettings.fileName(), QSettings.Format.IniFormat)))
    assert again.state.query == query
    assert again.chart_pane.current_kind() is ChartKind.FOREST
    assert again.state.focused_drug == "tofacitinib"
    assert again.controls.outcome.currentData() == "ACR50"
    assert again.controls.adjusted.isChecked()
    assert again.splitter.sizes() == sizes


def test_a_corrupt_settings_file_is_survived(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    path = tmp_path / "corrupt.ini"
    path.write_bytes(
        b"\xff\xfe\x00garbage\n[query]\ndrugs=notalist\noutcome=BOGUS\nadjusted=perhaps\neffect=7\n"
        b"[view]\ntab=abc\nfocused_drug=\x00\x01\n[window]\ngeometry=@ByteArray(\\0\\0junk)\nstate=@ByteArray(x)\n"
        b'splitter=12\n[data]\nuser_paths=["/no/such/file.csv", 5]\n'
    )
    window = make_main_window(settings=Settings(QSettings(str(path), QSettings.Format.IniFormat)))
    assert window.state.query.drugs == DEFAULT_DRUGS
    assert window.state.query.outcome == "ACR20"
    assert not dose_spec(window).is_empty
    assert window.splitter.count() == 3


# -- loading files ----------------------------------------------------------------------------


def test_a_bad_file_shows_the_error_dialog_and_keeps_the_catalog(
    qtbot: Any, make_main_window: Make, tmp_path: Path, message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    catalog = window.state.catalog
    bad = tmp_path / "bad.csv"
    bad.write_text("this,is,not\na,valid,sheet\n", encoding="utf-8")
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        assert window.open_paths([bad])
    assert window.state.catalog is catalog
    assert len(message_boxes) == 1
    box = message_boxes[0]
    assert box["icon"] == QMessageBox.Icon.Warning
    assert "bad.csv" in box["text"] and "unchanged" in box["text"]
    assert "problem" in box["details"]


def test_a_user_dataset_loads_ticks_its_drug_and_is_remembered(
    qtbot: Any, make_main_window: Make, tmp_path: Path, settings: Settings, message_boxes: list[dict[str, Any]]
) -> None:
    folder = write_dataset(tmp_path / "mine")
    window = make_main_window()
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        window.open_paths([folder])
    assert "testinib" in window.state.catalog.drugs
    assert "testinib" in window.state.query.drugs
    assert window.state.focused_drug == "testinib"
    assert "Testinib" in drugs_in(dose_spec(window))
    assert settings.user_paths() == [str(folder)]
    assert window.datasets_pane.list.count() == 2
    assert not message_boxes
    window.close()

    again = make_main_window(settings=Settings(QSettings(settings.qsettings.fileName(), QSettings.Format.IniFormat)))
    assert "testinib" in again.state.catalog.drugs
    assert "testinib" in again.state.query.drugs  # the remembered tick of a user drug comes back too
    again.close()

    shutil.rmtree(folder)
    third = make_main_window(settings=Settings(QSettings(settings.qsettings.fileName(), QSettings.Format.IniFormat)))
    qtbot.waitUntil(lambda: bool(message_boxes))
    assert "testinib" not in third.state.catalog.drugs
    assert str(folder) in message_boxes[-1]["text"]
    assert str(folder) in third.statusBar().currentMessage()
    assert third.settings.user_paths() == []


def test_removing_a_user_dataset(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "mine")
    window = make_main_window()
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        window.open_paths([folder])
    pane = window.datasets_pane
    pane.list.setCurrentRow(0)
    assert not pane.remove_button.isEnabled()  # the shipped catalog stays
    pane.select_path(str(folder))
    assert pane.remove_button.isEnabled()
    qtbot.mouseClick(pane.remove_button, Qt.MouseButton.LeftButton)
    assert "testinib" not in window.state.catalog.drugs
    assert window.state.query.drugs == DEFAULT_DRUGS
    assert window.settings.user_paths() == []


def test_outcomes_kept_out_are_a_status_bar_note(
    qtbot: Any, make_main_window: Make, message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        window.open_paths([CTGOV_JSON])
    # outcomes of a kind no effect chart shows are routine: a status-bar note, never a modal dialog
    assert not [b for b in message_boxes if b["icon"] == QMessageBox.Icon.Information]
    note = window.statusBar().currentMessage()
    assert note.startswith("23 registry outcome(s) kept out of the effect charts (hover for the list): ")
    assert "continuous measure: least squares mean" in window.statusBar().toolTip()


def test_html_in_a_user_drug_name_shows_literally(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "html")
    toml = folder / "drugs" / "testinib.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"Testinib"', '"<b>Bold</b>inib"'), encoding="utf-8")
    window = make_main_window()
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        window.open_paths([folder])
    pane = window.catalog_pane
    name = pane.model.index(pane.model.row_of("testinib"), Column.NAME).data()
    assert name.startswith("<b>Bold</b>inib")
    assert window.details_pane.text().startswith("<b>Bold</b>inib")
    assert any(s.name.startswith("<b>Bold</b>inib") for s in dose_spec(window).series)


def test_files_dropped_on_the_window_are_loaded(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "dropped")
    window = make_main_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        window.dropEvent(event)
    assert "testinib" in window.state.catalog.drugs


def test_loading_runs_off_the_gui_thread(
    qtbot: Any, make_main_window: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a file is being read the window keeps working: the reader blocks a worker, not the GUI."""
    folder = write_dataset(tmp_path / "gated")
    gate = threading.Event()
    threads: list[bool] = []
    real = session_module.load_path

    def gated(path: Path, catalog: Any, *, origin: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        assert gate.wait(20)
        return real(path, catalog, origin=origin)

    window = make_main_window()
    monkeypatch.setattr(session_module, "load_path", gated)
    window.open_paths([folder])
    assert window.loader.is_busy()
    with qtbot.waitSignal(window.chart_pane.rebuilt):  # the GUI thread still answers the user
        window.state.update_query(outcome="ACR50")
    assert window.open_paths([folder]) is False  # one load at a time, said in the status bar
    assert "Still loading" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        gate.set()
    assert threads == [False]
    assert "testinib" in window.state.catalog.drugs


def test_the_progress_dialog_shows_once_a_load_takes_longer_than_its_delay(
    qtbot: Any, make_main_window: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog appears about SHOW_AFTER_MS into a slow load (it showed after Qt's default 4 s)."""
    folder = write_dataset(tmp_path / "gated")
    gate = threading.Event()
    real = session_module.load_path

    def gated(path: Path, catalog: Any, *, origin: Any) -> Any:
        assert gate.wait(20)
        return real(path, catalog, origin=origin)

    window = make_main_window()
    window.loader.show_progress = True
    monkeypatch.setattr(session_module, "load_path", gated)
    window.open_paths([folder])
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None and not dialog.isVisible()  # a quick load never flashes it
    qtbot.waitUntil(dialog.isVisible, timeout=2500)
    with qtbot.waitSignal(window.loader.finished, timeout=10000):
        gate.set()


def test_the_progress_dialog_cancels_the_load(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    window.loader.show_progress = True
    catalog = window.state.catalog
    with qtbot.waitSignal(window.loader.finished) as blocker:
        window.open_paths([write_dataset(tmp_path / "x")])
        dialog = window.findChild(QProgressDialog)
        assert dialog is not None
        dialog.canceled.emit()
    assert blocker.args[0].cancelled
    window.loader.wait_idle()
    assert window.state.catalog is catalog


def test_cancelling_a_load_changes_nothing(qtbot: Any, make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    catalog = window.state.catalog
    with qtbot.waitSignal(window.loader.finished) as blocker:
        window.open_paths([write_dataset(tmp_path / "slow")])
        window.loader.cancel()
    assert blocker.args[0].cancelled
    window.loader.wait_idle()
    qtbot.wait(50)  # let a late worker result arrive: it must be dropped
    assert window.state.catalog is catalog
    assert "cancelled" in window.statusBar().currentMessage()


# -- export, copy, shortcuts ------------------------------------------------------------------


def test_export_chart_and_data(make_main_window: Make, tmp_path: Path) -> None:
    window = make_main_window()
    png = window.export_chart_to(tmp_path / "chart.png", 800, 600, 96)
    assert png.stat().st_size > 1000
    csv_path = window.export_data_to(tmp_path / "chart.csv")
    header = csv_path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("drug,trial")
    window.chart_pane.show_kind(None)
    compare = window.export_data_to(tmp_path / "compare.csv")
    assert compare.read_text(encoding="utf-8").startswith("question,Upadacitinib,Tofacitinib,Baricitinib")


def test_an_export_error_is_shown_in_a_dialog(
    make_main_window: Make, tmp_path: Path, message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    window._run_export(lambda: window.export_chart_to(tmp_path / "missing" / "x.png", 800, 600, 96))
    assert message_boxes and message_boxes[0]["title"] == "Export failed"


def test_ctrl_c_copies_the_chart_only_from_the_chart_area(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    activate(qtbot, window)
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    search = window.catalog_pane.search
    search.setFocus()
    qtbot.keyClicks(search, "upa")
    search.selectAll()
    qtbot.keyClick(search, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "upa"
    assert clipboard.image().isNull()  # the chart action did not steal Ctrl+C from the search box
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus)
    qtbot.keyClick(chart, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert not clipboard.image().isNull()
    assert "copied" in window.statusBar().currentMessage()


def test_ctrl_f_focuses_the_search_box(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    activate(qtbot, window)
    chart = window.chart_pane.chart(ChartKind.DOSE_RESPONSE)
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus)
    qtbot.keyClick(chart, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.catalog_pane.search.hasFocus)


def test_every_action_has_shortcut_tooltip_and_status_tip(make_main_window: Make) -> None:
    window = make_main_window()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None:  # a submenu (Recent sessions) has none
                continue
            assert not action.shortcut().isEmpty(), action.text()
            assert action.toolTip() and action.statusTip(), action.text()


def test_about_names_the_data_and_the_disclaimer(make_main_window: Make, message_boxes: list[dict[str, Any]]) -> None:
    window = make_main_window()
    window.about_action.trigger()
    text = message_boxes[-1]["text"]
    assert "not medical advice" in text
    assert window.state.datasets[0].label in text


def test_reset_layout_shows_every_pane(make_main_window: Make) -> None:
    window = make_main_window()
    window.details_action.trigger()
    assert not window.details_pane.isVisible()
    window.reset_layout_action.trigger()
    assert window.details_pane.isVisible() and window.datasets_pane.isVisible()


# -- unexpected errors ------------------------------------------------------------------------


def test_the_exception_hook_logs_shows_and_carries_on(tmp_path: Path, qtbot: Any) -> None:
    log = tmp_path / "logs" / "errors.log"
    hook = errors.ExceptionHook(lambda: None, log_file=log)
    shown: list[tuple[str, str]] = []
    hook.dialog = lambda _parent, summary, details: shown.append((summary, details))
    try:
        raise RuntimeError("boom <b>42</b>")
    except RuntimeError:
        hook(*sys.exc_info())
    assert "RuntimeError: boom <b>42</b>" in log.read_text(encoding="utf-8")
    assert len(shown) == 1
    summary, details = shown[0]
    assert "boom" in summary and str(log) in summary
    assert "Traceback" in details and "test_the_exception_hook" in details


def test_the_default_dialog_shows_copyable_details(
    tmp_path: Path, qtbot: Any, message_boxes: list[dict[str, Any]]
) -> None:
    hook = errors.ExceptionHook(lambda: None, log_file=tmp_path / "errors.log")
    try:
        raise ValueError("bad value")
    except ValueError:
        hook(*sys.exc_info())
    assert message_boxes[-1]["icon"] == QMessageBox.Icon.Critical
    assert "ValueError: bad value" in message_boxes[-1]["details"]


def test_install_excepthook_is_idempotent(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    first = errors.install_excepthook()
    assert sys.excepthook is first
    assert errors.install_excepthook() is first
    assert first.previous is sys.__excepthook__


def test_log_path_is_in_the_app_data_folder(qtbot: Any) -> None:
    assert QApplication.instance() is not None
    assert errors.log_path().name == "errors.log"


def test_several_drugs_start_like_with_like_and_all_is_one_choice_away(qtbot: Any, make_main_window: Make) -> None:
    window = make_main_window()
    query = window.state.query
    assert (query.population, query.timepoint) == ("MTX-IR", "week 12")
    spec = dose_spec(window)
    assert spec.title.endswith("· MTX-IR, week 12") and len(spec.panels) == len(query.drugs)
    combo = window.controls.population
    assert combo.currentData() == "MTX-IR"
    with qtbot.waitSignal(window.chart_pane.rebuilt):
        combo.setCurrentIndex(combo.findData(""))
    assert window.state.query.population == ""
    assert "all populations" in dose_spec(window).title
    tick(window, "filgotinib")
    assert window.state.query.population == ""  # the user's "All" is kept when a drug is ticked

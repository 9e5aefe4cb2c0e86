"""The in-process benchmarks: chart redraw, catalog search, chart export and the GUI stall during a load.

Run by ``python -m bench`` in a child interpreter (``python -m bench.ui_bench --large DIR``), which prints
one JSON object as its last line of output. Everything here needs a QApplication (offscreen under
``make bench``); settings come from an INI in a temporary folder, never from the user's configuration.

Redraw: the time from a state change (outcome ACR20/ACR50, a tick or an untick, alternating) until the
chart's viewport has been painted, i.e. until the ``processEvents`` call that delivered its Paint returns.
Search: one key press in the real catalog pane (``QTest.keyClick`` on the search box) until the proxy's
row count is updated; the filter runs synchronously inside the key press.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QVBoxLayout, QWidget

from bench.profiling import profile_calls
from bench.targets import median, p95
from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.model import Dataset, Drug, Origin
from viewer.paths import shipped_datasets
from viewer.ui.main_window import MainWindow, build_main_window
from viewer.ui.settings import Settings
from viewer.ui.state import AppState

WARMUP, SAMPLES = 5, 60
PROFILE_ITERATIONS = 20
QUIET_ROUNDS = 3  # event-loop rounds without a chart paint that end a redraw sample
LAST_CHANGE = [0.0]  # seconds the last timed state change took synchronously
SEARCH_DRUGS = 10_000
SEARCH_TEXT = "Syntinib 12"
SEARCH_ROUNDS = 3  # 3 x (11 characters typed + 11 deleted) = 66 samples after one warm-up round
EXPORT_REPEATS = 5
# Frame budgets over which a figure is profiled (absolute, this window benchmark's own; `make bench` reports
# ratios to references instead, bench/targets.py).
BUDGET_MS = {"redraw": 16.0, "redraw_large": 50.0, "search": 16.0, "png": 150.0, "svg": 150.0, "pdf": 200.0}
SYNTHETIC_TICKED = ("drug0000", "drug0001", "drug0002", "drug0003")
Result = dict[str, Any]


class Phases:
    """Wall time spent in the chart layer's build and in the renderer during one redraw sample.

    Installed by wrapping ``build_chart`` as the chart pane calls it and ``ChartWidget.set_spec``; the rest
    of the synchronous change is the state and the other panes, the rest after it is the event loop
    (layout and paint).
    """

    def __init__(self) -> None:
        self.build = self.render = 0.0
        self._saved: list[tuple[Any, str, Any]] = []

    def _wrap(self, owner: Any, name: str, attribute: str) -> None:
        original = getattr(owner, name)
        self._saved.append((owner, name, original))

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                setattr(self, attribute, getattr(self, attribute) + time.perf_counter() - start)

        setattr(owner, name, timed)

    def install(self) -> None:
        from viewer.plot.canvas import ChartWidget
        from viewer.ui import chart_pane

        self._wrap(chart_pane, "build_chart", "build")
        self._wrap(ChartWidget, "set_spec", "render")

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()

    def reset(self) -> None:
        self.build = self.render = 0.0


PHASES = Phases()


class PaintWatch(QObject):
    """Counts Paint events of one widget (the chart's viewport)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    # A modal box would block the benchmark (a refused file, a partial import); record it instead.
    QMessageBox.exec = _record_box  # type: ignore[method-assign]
    return app


BOXES: list[str] = []


def _record_box(box: QMessageBox) -> int:
    BOXES.append(f"{box.windowTitle()}: {box.text()}")
    return int(QMessageBox.StandardButton.Ok.value)


def settle(app: QApplication, idle_s: float = 0.02) -> None:
    """Let pending events, timers and paints run, so a sample starts from a quiet window."""
    end = time.perf_counter() + idle_s
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)
    app.processEvents()


@contextmanager
def settings_ini() -> Iterator[Settings]:
    with tempfile.TemporaryDirectory(prefix="bench-settings-") as folder:
        yield Settings(QSettings(str(Path(folder) / "viewer.ini"), QSettings.Format.IniFormat))


def make_window(settings: Settings, shipped: list[Path]) -> MainWindow:
    window = build_main_window(settings=settings, shipped=shipped, install_excepthook=False)
    window.show()
    return window


# -- redraw ------------------------------------------------------------------------------------------


Change = tuple[str, Callable[[], object]]


def _changes(window: MainWindow, toggled: str, ticked_first: bool) -> list[Change]:
    """One cycle: outcome ACR50, a tick change, outcome ACR20, the tick change undone."""
    state = window.state
    return [
        ("outcome", lambda: state.update_query(outcome="ACR50")),
        ("tick", lambda: state.set_drug_ticked(toggled, not ticked_first)),
        ("outcome", lambda: state.update_query(outcome="ACR20")),
        ("tick", lambda: state.set_drug_ticked(toggled, ticked_first)),
    ]


def _timed_redraw(
    app: QApplication, window: MainWindow, watch: PaintWatch, change: Callable[[], object]
) -> tuple[float, int]:
    """Milliseconds from ``change()`` until the chart viewport's last Paint, and how many Paints it took.

    Events are processed until the viewport has painted and then stayed quiet for a few rounds, so a
    second paint (a deferred layout or fit-to-view pass) is counted: the chart is not redrawn until the
    user sees its final state.
    """
    pane = window.chart_pane
    builds = pane.build_count
    watch.count = 0
    PHASES.reset()
    start = time.perf_counter()
    change()
    LAST_CHANGE[0] = time.perf_counter() - start
    end = 0.0
    quiet = rounds = 0
    while rounds < 500 and quiet < QUIET_ROUNDS:
        painted = watch.count
        app.processEvents()
        rounds += 1
        if watch.count > painted:
            end, quiet = time.perf_counter(), 0
        elif watch.count:
            quiet += 1
    if not watch.count:  # never painted: force it, so the figure is an upper bound, not a hang
        pane.chart(ChartKind.DOSE_RESPONSE).viewport().repaint()
        end = time.perf_counter()
    if pane.build_count == builds:
        raise RuntimeError("the state change did not rebuild the chart; the benchmark would time nothing")
    return (end - start) * 1000.0, watch.count


def redraw(
    app: QApplication, window: MainWindow, toggled: str, ticked_first: bool, profile_over: float | None
) -> Result:
    """60 timed changes after 5 warm-ups; profiled (20 more) when the p95 is over ``profile_over``."""
    window.chart_pane.show_kind(ChartKind.DOSE_RESPONSE)
    settle(app, 0.2)
    watch = PaintWatch(window.chart_pane.chart(ChartKind.DOSE_RESPONSE).viewport())
    changes = itertools.cycle(_changes(window, toggled, ticked_first))
    samples: list[float] = []
    paints: list[int] = []
    kinds: dict[str, list[float]] = {"outcome": [], "tick": []}
    phases: dict[str, list[float]] = {"build_ms": [], "render_ms": [], "other_sync_ms": [], "event_loop_ms": []}
    PHASES.install()
    try:
        for i in range(WARMUP + SAMPLES):
            settle(app)
            kind, change = next(changes)
            ms, painted = _timed_redraw(app, window, watch, change)
            if i >= WARMUP:
                samples.append(ms)
                paints.append(painted)
                kinds[kind].append(ms)
                sync = LAST_CHANGE[0] * 1000.0
                phases["build_ms"].append(PHASES.build * 1000.0)
                phases["render_ms"].append(PHASES.render * 1000.0)
                phases["other_sync_ms"].append(sync - (PHASES.build + PHASES.render) * 1000.0)
                phases["event_loop_ms"].append(ms - sync)
    finally:
        PHASES.uninstall()
    out: Result = {
        "p95_ms": p95(samples),
        "median_ms": median(samples),
        "max_ms": max(samples),
        "outcome_median_ms": median(kinds["outcome"]),
        "tick_median_ms": median(kinds["tick"]),
        "paints_per_redraw": median(paints),
        "phases_median_ms": {name: median(values) for name, values in phases.items()},
        "drugs": list(window.state.query.drugs),
        "arms_in_catalog": len(window.state.catalog.arms),
    }
    if profile_over is not None and out["p95_ms"] > profile_over:

        def body() -> None:
            _timed_redraw(app, window, watch, next(changes)[1])

        settle(app)
        out["profile"] = profile_calls(body, PROFILE_ITERATIONS)
    return out


def redraw_shipped(app: QApplication, profile_misses: bool) -> Result:
    with settings_ini() as settings:
        window = make_window(settings, list(shipped_datasets()))
        try:
            # The default comparison ticks three drugs; filgotinib is ticked and unticked.
            return redraw(app, window, "filgotinib", False, BUDGET_MS["redraw"] if profile_misses else None)
        finally:
            window.close()
            window.deleteLater()
            settle(app)


def redraw_large(app: QApplication, large: Path, profile_misses: bool) -> Result:
    with settings_ini() as settings:
        start = time.perf_counter()
        window = make_window(settings, [*shipped_datasets(), large])
        built_s = time.perf_counter() - start
        try:
            state = window.state
            state.set_drug_ticked(SYNTHETIC_TICKED[0], True)
            for drug in [d for d in state.query.drugs if d not in SYNTHETIC_TICKED]:
                state.set_drug_ticked(drug, False)
            for drug in SYNTHETIC_TICKED[1:]:
                state.set_drug_ticked(drug, True)
            if tuple(state.query.drugs) != SYNTHETIC_TICKED:
                raise RuntimeError(f"could not tick the synthetic drugs: {state.query.drugs}")
            # Four synthetic drugs ticked (the maximum); the last one is unticked and ticked again.
            limit = BUDGET_MS["redraw_large"] if profile_misses else None
            result = redraw(app, window, SYNTHETIC_TICKED[-1], True, limit)
            result["window_build_s"] = built_s
            return result
        finally:
            window.close()
            window.deleteLater()
            settle(app)


# -- search ------------------------------------------------------------------------------------------


def synthetic_drugs(count: int = SEARCH_DRUGS) -> tuple[Drug, ...]:
    return tuple(
        Drug(
            id=f"syn{i:05d}",
            name=f"Syntinib {i:04d}",
            drug_class="synthetic",
            brands=(f"Synbrand {i}",) if i % 4 == 0 else (),
            codes=(f"SYN-{i:04d}",),
            targets=(f"JAK{1 + i % 3}", *(("TYK2",) if i % 7 == 0 else ())),
            origin=Origin.USER,
        )
        for i in range(count)
    )


def search(app: QApplication, profile_misses: bool) -> Result:
    from viewer.ui.catalog_pane import CatalogPane

    dataset = Dataset("synthetic drugs", "<bench>", Origin.USER, drugs=synthetic_drugs())
    state = AppState([dataset])
    host = QWidget()
    layout = QVBoxLayout(host)
    pane = CatalogPane(state)
    layout.addWidget(pane)
    host.resize(420, 900)
    host.show()
    settle(app, 0.2)
    box = pane.search
    box.setFocus()

    def keystrokes() -> Iterator[tuple[str, int | str]]:
        for ch in SEARCH_TEXT:
            yield "type", ch
        for _ in SEARCH_TEXT:
            yield "delete", Qt.Key.Key_Backspace.value

    def press(kind: str, key: int | str) -> tuple[float, int]:
        start = time.perf_counter()
        if kind == "type":
            QTest.keyClick(box, str(key))
        else:
            QTest.keyClick(box, Qt.Key(int(key)))
        rows = pane.proxy.rowCount()
        return (time.perf_counter() - start) * 1000.0, rows

    samples: list[float] = []
    painted: list[float] = []
    rows_at_full = -1
    try:
        for round_ in range(SEARCH_ROUNDS + 1):
            for kind, key in keystrokes():
                settle(app, 0.005)
                ms, rows = press(kind, key)
                start = time.perf_counter()
                app.processEvents()  # the table's repaint, reported apart
                paint_ms = (time.perf_counter() - start) * 1000.0
                if box.text() == SEARCH_TEXT:
                    rows_at_full = rows
                if round_ > 0:
                    samples.append(ms)
                    painted.append(ms + paint_ms)
        if box.text() or pane.proxy.rowCount() != SEARCH_DRUGS:
            raise RuntimeError(f"search did not return to the full list: {box.text()!r}, {pane.proxy.rowCount()}")
        out: Result = {
            "p95_ms": p95(samples),
            "median_ms": median(samples),
            "type_median_ms": median(samples[: len(SEARCH_TEXT)]),
            "delete_median_ms": median(samples[len(SEARCH_TEXT) : 2 * len(SEARCH_TEXT)]),
            "with_repaint_p95_ms": p95(painted),
            "rows_matching": rows_at_full,
            "drugs": SEARCH_DRUGS,
        }
        if profile_misses and out["p95_ms"] > BUDGET_MS["search"]:
            presses = keystrokes()  # the box is empty again: type the text and delete it once more
            out["profile"] = profile_calls(lambda: press(*next(presses)), 2 * len(SEARCH_TEXT))
        return out
    finally:
        host.close()
        host.deleteLater()
        settle(app)


# -- export ------------------------------------------------------------------------------------------


def export(app: QApplication, profile_misses: bool) -> Result:
    from viewer.domain.catalog import Catalog
    from viewer.domain.readers import load_path
    from viewer.export import export_chart

    catalog = Catalog.from_datasets([load_path(p, origin=Origin.CURATED) for p in shipped_datasets()])
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, Query())
    out: Result = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        for fmt in ("png", "svg", "pdf"):
            path = Path(folder) / f"chart.{fmt}"
            export_chart(spec, path, width_px=1920, height_px=1080)  # warm-up
            times = []
            for _ in range(EXPORT_REPEATS):
                start = time.perf_counter()
                export_chart(spec, path, width_px=1920, height_px=1080)
                times.append((time.perf_counter() - start) * 1000.0)
            out[f"{fmt}_ms"] = median(times)
            out[f"{fmt}_bytes"] = path.stat().st_size
            limit = BUDGET_MS[fmt]
            if profile_misses and out[f"{fmt}_ms"] > limit:
                out[f"{fmt}_profile"] = profile_calls(
                    lambda p=path: export_chart(spec, p, width_px=1920, height_px=1080), EXPORT_REPEATS
                )
    return out


# -- GUI stall while loading -------------------------------------------------------------------------


def load_stall(app: QApplication, large: Path) -> Result:
    """Longest gap between the ticks of a 5 ms timer while ``open_paths([large])`` runs.

    The read runs on the loader's worker thread; the finished signal then merges the dataset on the GUI
    thread (catalog rebuild, table reset, chart rebuild). Both are reported: the longest stall while the
    worker reads, and the longest overall (which includes the merge).
    """
    with settings_ini() as settings:
        window = make_window(settings, list(shipped_datasets()))
        try:
            settle(app, 0.3)
            ticks: list[float] = []
            finished_at: list[float] = []
            timer = QTimer()
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.setInterval(5)
            timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
            loop = QEventLoop()

            def on_finished(_outcome: object) -> None:
                finished_at.append(time.perf_counter())
                QTimer.singleShot(300, loop.quit)

            window.loader.finished.connect(on_finished)
            QTimer.singleShot(120_000, loop.quit)
            timer.start()
            ticks.append(time.perf_counter())
            start = time.perf_counter()
            if not window.open_paths([large]):
                raise RuntimeError("the window refused to load the dataset")
            loop.exec()
            timer.stop()
            if not finished_at:
                raise RuntimeError("the load did not finish within 120 s")
            done = finished_at[0]
            gaps = [(b - a, a, b) for a, b in itertools.pairwise(ticks)]
            during_read = [g for g, a, b in gaps if b <= done and a >= start]
            merge = [g for g, a, b in gaps if a <= done <= b]
            return {
                "max_ms": max(g for g, _a, _b in gaps) * 1000.0,
                "read_max_ms": max(during_read, default=0.0) * 1000.0,
                "merge_ms": max(merge, default=0.0) * 1000.0,
                "load_s": done - start,
                "ticks": len(ticks),
                "arms_in_catalog": len(window.state.catalog.arms),
            }
        finally:
            window.close()
            window.deleteLater()
            settle(app)


# -- entry point -------------------------------------------------------------------------------------


def run(large: Path, profile_misses: bool = True) -> Result:
    app = _app()
    results: Result = {"errors": {}}
    sections: list[tuple[str, Callable[[], Result]]] = [
        ("export", lambda: export(app, profile_misses)),
        ("search", lambda: search(app, profile_misses)),
        ("redraw", lambda: redraw_shipped(app, profile_misses)),
        ("load_stall", lambda: load_stall(app, large)),
        ("redraw_large", lambda: redraw_large(app, large, profile_misses)),
    ]
    for name, section in sections:
        start = time.perf_counter()
        try:
            results[name] = section()
        except Exception:
            results["errors"][name] = traceback.format_exc()
        print(f"  ui_bench: {name} done in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    if BOXES:
        results["message_boxes"] = BOXES
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--large", type=Path, required=True, help="the generated 100,000-arm dataset folder")
    parser.add_argument("--no-profile", action="store_true", help="do not profile the figures that miss")
    args = parser.parse_args(argv)
    results = run(args.large, profile_misses=not args.no_profile)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

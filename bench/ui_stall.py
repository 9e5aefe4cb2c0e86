"""The GUI thread's longest stall while File > Open reads and merges a large dataset, and where it goes.

A heartbeat (a 5 ms precise ``QTimer`` on the GUI thread) notes the time of each tick; the longest gap
between two ticks is the longest the window could not repaint or answer a click. The load is the
window's own (``MainWindow.open_paths``), so the read on the loader's worker, the swap on the GUI thread
and every pane's reaction to the new catalog are all inside the measured span.

Run: ``python -m bench.ui_stall DIR`` (offscreen) prints one JSON object: ``max_ms`` (the figure, target
<= 100 ms at 1M arms), ``read_max_ms`` (while the worker reads), ``merge_ms`` (the gap holding the
swap), ``load_s`` and, with ``--profile``, the GUI thread's cProfile of the span (the worker is not
profiled: cProfile follows one thread). ``--arms ARMS`` instead of DIR opens
``bench/generate.py``'s dataset at that many arms (5 a trial), generated once into bench/large/core-ARMS.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

HEARTBEAT_MS = 5
TIMEOUT_S = 600


@dataclass
class Heartbeat:
    """Tick times of a precise timer on the GUI thread; :meth:`gaps` are the stalls between them."""

    interval_ms: int = HEARTBEAT_MS
    ticks: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.interval_ms)
        self._timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks.append(time.perf_counter())
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.ticks.append(time.perf_counter())

    def gaps(self, since: float = 0.0, until: float = float("inf")) -> list[float]:
        """Seconds between consecutive ticks for the gaps that overlap [since, until]."""
        return [b - a for a, b in itertools.pairwise(self.ticks) if b >= since and a <= until]

    def max_ms(self, since: float = 0.0, until: float = float("inf")) -> float:
        return max(self.gaps(since, until), default=0.0) * 1000.0

    def longest(self, origin: float, count: int = 5) -> list[tuple[float, float]]:
        """The ``count`` longest gaps as (milliseconds, seconds after ``origin`` that the gap began)."""
        gaps = sorted(((b - a, a) for a, b in itertools.pairwise(self.ticks)), reverse=True)[:count]
        return [(round(gap * 1000.0, 1), round(at - origin, 3)) for gap, at in gaps]


def measure_open(large: Path, *, profile: bool = False) -> dict[str, Any]:
    """Open ``large`` in a fresh window (shipped data already in) and time the GUI thread's stalls."""
    from viewer.paths import shipped_datasets
    from viewer.ui.main_window import build_main_window
    from viewer.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    boxes: list[str] = []
    QMessageBox.exec = lambda box: boxes.append(box.text()) or 0  # type: ignore[method-assign,assignment,func-returns-value]
    with tempfile.TemporaryDirectory(prefix="ui-stall-") as folder:
        settings = Settings(QSettings(str(Path(folder) / "viewer.ini"), QSettings.Format.IniFormat))
        window = build_main_window(settings=settings, shipped=list(shipped_datasets()), install_excepthook=False)
        window.show()
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        beat = Heartbeat()
        loop = QEventLoop()
        finished: list[float] = []

        def on_finished(_outcome: object) -> None:
            finished.append(time.perf_counter())
            QTimer.singleShot(500, loop.quit)  # the panes' deferred work after the swap is measured too

        window.loader.finished.connect(on_finished)
        QTimer.singleShot(TIMEOUT_S * 1000, loop.quit)
        profiler = cProfile.Profile() if profile else None
        beat.start()
        start = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        if not window.open_paths([large]):
            raise RuntimeError("the window refused to load the dataset")
        loop.exec()
        if profiler is not None:
            profiler.disable()
        beat.stop()
        if not finished:
            raise RuntimeError(f"the load did not finish within {TIMEOUT_S} s")
        done = finished[0]
        out: dict[str, Any] = {
            "max_ms": beat.max_ms(start),
            "read_max_ms": beat.max_ms(start, done - 0.001),
            "merge_ms": beat.max_ms(done, done),
            "after_merge_max_ms": beat.max_ms(done + 0.001),
            "load_s": done - start,
            "longest_gaps_ms_at_s": beat.longest(start),
            "ticks": len(beat.ticks),
            "arms_in_catalog": len(window.state.catalog.arms),
            "drugs_ticked": list(window.state.query.drugs),
            "message_boxes": boxes,
        }
        if profiler is not None:
            import pstats

            from bench.profiling import summarise

            out["profile"] = summarise(pstats.Stats(profiler), 1, top=25)
        window.close()
        window.deleteLater()
        app.processEvents()
        return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("folder", type=Path, nargs="?", help="a dataset folder")
    where.add_argument("--arms", type=int, help="bench/generate.py's dataset at ARMS arms (e.g. 1000000)")
    parser.add_argument("--profile", action="store_true", help="profile the GUI thread over the load")
    args = parser.parse_args(argv)
    if args.arms:
        from bench.generate import dataset

        args.folder = dataset(args.arms)  # generated once into bench/large/core-ARMS, before the timing
    print(json.dumps(measure_open(args.folder, profile=args.profile)))


if __name__ == "__main__":
    main()

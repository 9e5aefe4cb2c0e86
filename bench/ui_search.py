"""Catalog search at 100,000 drugs in the real catalog pane, as a ratio to a list comprehension in the same run.

One sample is one key press (``QTest.keyClick`` on the search box) until the filter's row count is
updated: the filter runs inside the key press. Typing "Syntinib 12" and deleting it again, three rounds
after a first round reported apart (``cold_*``: no needle's hits remembered yet, so each typed character
scans the previous hits and each Backspace finds its needle remembered). The reference is what the issue
measured against: a list comprehension testing the needle against the same normalised keys
(``needle in key for key in keys``), timed for the same needles in the same run; ``ratio`` is the median
keystroke over the median comprehension. ``with_repaint_p95_ms`` adds the table's repaint that follows.

Run: ``python -m bench.ui_search [--drugs N]`` (offscreen) prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.targets import median, p95
from bench.ui_bench import SEARCH_TEXT, settle, synthetic_drugs

DRUGS = 100_000
ROUNDS = 3
TARGET_MS = 16.0


def measure_search(drugs: int = DRUGS, rounds: int = ROUNDS) -> dict[str, Any]:
    from viewer.domain.catalog import normalise_name
    from viewer.domain.model import Dataset, Origin
    from viewer.ui.catalog_index import search_keys
    from viewer.ui.catalog_pane import CatalogPane
    from viewer.ui.state import AppState

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    catalog_drugs = synthetic_drugs(drugs)
    start = time.perf_counter()
    state = AppState([Dataset("synthetic drugs", "<bench>", Origin.USER, drugs=catalog_drugs)])
    pane = CatalogPane(state)
    built_s = time.perf_counter() - start
    pane.resize(420, 900)
    pane.show()
    settle(app, 0.2)
    box = pane.search
    box.setFocus()
    keys = [search_keys(d) for d in pane.model.rows.drugs]
    presses: list[tuple[str, int | str]] = [("type", ch) for ch in SEARCH_TEXT]
    presses += [("delete", Qt.Key.Key_Backspace.value)] * len(SEARCH_TEXT)
    samples: list[float] = []
    painted: list[float] = []
    reference: list[float] = []
    cold: list[float] = []  # the first round: no needle remembered yet, each typed needle narrows the last
    rows_at_full = -1
    try:
        for round_ in range(rounds + 1):
            for kind, key in presses:
                settle(app, 0.005)
                begin = time.perf_counter()
                if kind == "type":
                    QTest.keyClick(box, str(key))
                else:
                    QTest.keyClick(box, Qt.Key(int(key)))
                rows = pane.proxy.rowCount()
                ms = (time.perf_counter() - begin) * 1000.0
                begin = time.perf_counter()
                app.processEvents()
                paint_ms = (time.perf_counter() - begin) * 1000.0
                needle = normalise_name(box.text())
                begin = time.perf_counter()
                naive = [i for i, k in enumerate(keys) if needle in k]
                ref_ms = (time.perf_counter() - begin) * 1000.0
                if len(naive) != rows:
                    raise RuntimeError(f"{box.text()!r}: {rows} rows shown, the naive filter finds {len(naive)}")
                if box.text() == SEARCH_TEXT:
                    rows_at_full = rows
                if round_ == 0:
                    cold.append(ms)
                else:
                    samples.append(ms)
                    painted.append(ms + paint_ms)
                    reference.append(ref_ms)
        return {
            "drugs": drugs,
            "p95_ms": p95(samples),
            "median_ms": median(samples),
            "max_ms": max(samples),
            "cold_max_ms": max(cold),
            "cold_median_ms": median(cold),
            "with_repaint_p95_ms": p95(painted),
            "reference_median_ms": median(reference),
            "ratio": median(samples) / median(reference),
            "target_ms": TARGET_MS,
            "rows_matching": rows_at_full,
            "pane_build_s": built_s,
        }
    finally:
        pane.close()
        pane.deleteLater()
        settle(app)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--drugs", type=int, default=DRUGS)
    args = parser.parse_args(argv)
    print(json.dumps(measure_search(args.drugs)))


if __name__ == "__main__":
    main()

"""The window's first paint waits for no heavy import it does not need (bench: startup_ratio)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.ui.main_window import build_main_window
from viewer.ui.settings import Settings
with tempfile.TemporaryDirectory() as tmp:
    settings = Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
    window = build_main_window([], settings, install_excepthook=False)
    window.show()
    app.processEvents()
    print(sorted(m for m in ("scipy.stats", "scipy.optimize") if m in sys.modules))
    window.close()
"""


def test_opening_the_window_imports_no_scipy_stats(tmp_path: Path) -> None:
    """The details pane's safety rates need exact Poisson and beta quantiles: scipy.special gives them
    (viewer.domain.stats), scipy.stats (seconds on a loaded machine) would hold up the first paint."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


FIRST_PAINT = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
from viewer.ui.main_window import build_main_window
from viewer.ui.settings import Settings
HEAVY = (
    "scipy.special",
    "viewer.domain.readers.ctgov",
    "viewer.domain.registry.source",
    "viewer.export",
    "viewer.domain.synthesis.dose_response",
    "viewer.domain.synthesis.pairwise",
    "viewer.charts.forest",
    "hashlib",  # OpenSSL's libcrypto: only a session file's content hashes need it
    "viewer.ui.registry_pane",  # the hidden registry dock's pane, its client and search: on first show
    "viewer.session_file",  # the session file format: on Save or Open session
    "viewer.charts.table",  # a chart's table rows: the details' adverse events (after the paint), exports
    "viewer.ui.export_dialog",  # File > Export chart
    "viewer.ui.shortcuts_dialog",  # Help > Keyboard shortcuts
    "pyqtgraph.parametertree",  # pyqtgraph's widgets no chart uses run on first use (viewer.plot.qt_imports)
    "multiprocessing",  # likewise: RemoteGraphicsView's multiprocess package
    "numpy.ma",  # masked arrays: numpy's unique() asks for them (viewer.domain.columns._distinct does not)
)
tmp = tempfile.mkdtemp()
settings = Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
window = build_main_window([], settings, install_excepthook=False)
window.resize(1440, 900)
pane = window.details_pane

def safety() -> str:
    text = pane.text()
    return text[text.index("Class safety per 100 patient-years") : text.index("Trials", text.index("Class safety"))]

def painted() -> None:  # bench/startup_probe.py's first paint: the pass is over, the event loop is back
    print("at first paint:", sorted(m for m in HEAVY if m in sys.modules))
    print("details at first paint:", repr(safety()))
    QTimer.singleShot(0, later)

def later() -> None:
    if "/100 PY" not in safety():
        QTimer.singleShot(10, later)
        return
    print("after:", "scipy.special" in sys.modules)
    print("details after:", repr(safety()))
    app.quit()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.window() is window:
            app.removeEventFilter(self)
            QTimer.singleShot(0, painted)
        return False

watcher = FirstPaint()
app.installEventFilter(watcher)
QTimer.singleShot(60_000, app.quit)
window.show()
app.exec()
"""


def test_first_paint_waits_for_no_exact_interval_or_registry_reader(tmp_path: Path) -> None:
    """At the first paint (as ``bench/startup_probe.py`` times it) neither scipy.special (~200 ms: the class
    safety section's exact intervals, far below the fold), nor the ClinicalTrials.gov readers behind the
    hidden registry dock, nor the synthesis code (fits, pooling: not in the first chart) are imported; the
    section then fills in by itself, with its exact intervals."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT], capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    assert lines["at first paint"] == "[]"
    assert "Computing" in lines["details at first paint"] and "/100 PY" not in lines["details at first paint"]
    assert lines["after"] == "True"
    after = lines["details after"]
    assert "/100 PY" in after and "rate ratio" in after and "exact" in after and "Computing" not in after


COLLECTIONS = """
import gc, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.ui.settings import Settings
settings = Settings(QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat))
from viewer.app import build_window
runs = []
gc.callbacks.append(lambda phase, info: runs.append(info["generation"]) if phase == "start" else None)
window = build_window([], settings, install_excepthook=False)
print("collections:", len(runs))
print("enabled after:", gc.isenabled())
window.close()
"""


def test_the_window_is_imported_and_built_without_a_collection(tmp_path: Path) -> None:
    """pyqtgraph, the panes and the charts are imported and the window built with the cyclic collector
    paused (viewer.app: some 160 collections of objects that all live on), and it is on again after."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # build_window keeps the shipped catalog there
    done = subprocess.run(
        [sys.executable, "-c", COLLECTIONS], capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    assert lines == {"collections": "0", "enabled after": "True"}

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

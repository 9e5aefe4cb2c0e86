"""PySide6's per-import check, made cheap by viewer.plot.qt_imports, gives PySide6's own answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import viewer.plot.canvas  # noqa: F401  (viewer.plot installs the cheap check; the canvas brings pyqtgraph)
from viewer.plot.qt_imports import CHECK, _feature_module

ROOT = Path(__file__).resolve().parents[2]


def test_the_cheap_check_answers_as_pysides_own_for_every_loaded_module() -> None:
    feature = _feature_module()
    assert feature is not None, "PySide6 has no per-import check any more: remove viewer.plot.qt_imports"
    cheap = getattr(feature, CHECK)
    original = cheap.__wrapped__
    modules = [m for m in list(sys.modules.values()) if m is not None]
    assert len(modules) > 300
    answers = [(m.__name__, cheap(m), original(m)) for m in modules]
    assert [a for a in answers if a[1] != a[2]] == []
    uses = {name for name, mine, _theirs in answers if mine}
    assert {"viewer.plot.canvas", "viewer.plot.qt_imports", "pyqtgraph.Qt"} <= uses
    assert "viewer.domain.stats" not in uses and "json" not in uses


SCRIPT = """
import sys
import PySide6.QtCore
import viewer.ui
from viewer.plot.qt_imports import CHECK, FEATURE_MODULES
feature = next(sys.modules[name] for name in FEATURE_MODULES if name in sys.modules)
print(hasattr(getattr(feature, CHECK), "__wrapped__"), "pyqtgraph" in sys.modules)
"""


def test_the_front_end_installs_it_before_its_own_imports(tmp_path: Path) -> None:
    """``import viewer.ui`` (the window's first import) puts the cheap check in place and imports no pyqtgraph
    before it: the probe of ``make bench`` imports PySide6 first, then the window."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False"]

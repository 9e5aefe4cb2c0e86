"""pyqtgraph's copies of PySide6's modules, made lazy by viewer.plot.qt_imports: the same objects, fetched
on first use, so importing pyqtgraph no longer creates every Qt class and its enums."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
from viewer.plot.qt_imports import MIRRORED
listed = {m: dir(sys.modules["PySide6." + m]) for m in MIRRORED}
import viewer.plot.canvas  # the drawing modules bring pyqtgraph
import pyqtgraph as pg
created = [name for name in ("QCalendarWidget", "QMdiArea", "QDial") if name in vars(PySide6.QtWidgets)]
relisted = all(set(dir(sys.modules["PySide6." + m])) == set(listed[m]) for m in MIRRORED)
mirrors = {"QtCore": pg.QtCore, "QtGui": pg.QtGui, "QtWidgets": pg.QtWidgets}
names = 0
differ = []
for m in MIRRORED:
    source = sys.modules["PySide6." + m]
    for name in listed[m]:
        if not name.startswith("_"):
            names += 1
            if getattr(mirrors[m], name) is not getattr(source, name):
                differ.append(m + "." + name)
print(json.dumps({
    "created": created,
    "relisted": relisted,
    "names": names,
    "differ": differ,
    "missing": hasattr(pg.QtWidgets, "NoSuchQtName"),
    "shim": pg.QtGui.QFileSystemModel is PySide6.QtWidgets.QFileSystemModel,
    "version": pg.QtCore.__version__ == PySide6.QtCore.__version__,
    "finders": [type(f).__name__ for f in sys.meta_path if type(f).__module__ == "viewer.plot.qt_imports"],
}))
"""


def test_pyqtgraph_asks_pyside6_for_each_name_on_first_use(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["created"] == []  # pyqtgraph's import made no class the charts do not use
    assert seen["relisted"]  # PySide6's modules list their names again
    assert seen["names"] > 600
    assert seen["differ"] == []  # every name pyqtgraph sees is PySide6's own object
    assert seen["missing"] is False
    assert seen["shim"] and seen["version"]  # pyqtgraph's own additions to its copies still made
    assert seen["finders"] == []  # the import hook is gone once pyqtgraph.Qt ran

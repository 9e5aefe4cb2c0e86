"""pyqtgraph's widgets that no chart uses (viewer.plot.qt_imports.DEFERRED) run on first use, not when the
package is imported: the package and the modules answer every name with the object a plain import gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from viewer.plot.qt_imports import DEFERRED

ROOT = Path(__file__).resolve().parents[2]

# Every public name of the package, described by what it is (an object's identity cannot cross processes).
DESCRIBE = """
import importlib, inspect, json, sys
def describe(value):
    if inspect.ismodule(value):
        return "module " + value.__name__
    if inspect.isclass(value) or inspect.isfunction(value):
        return f"{type(value).__name__} {value.__module__}.{value.__qualname__}"
    return type(value).__name__
def names(pg):
    return {name: describe(getattr(pg, name)) for name in PUBLIC if not name.startswith("_")}
"""

PLAIN = (
    DESCRIBE
    + """
import pyqtgraph as pg
from viewer.plot.qt_imports import DEFERRED  # imports viewer.plot: after pyqtgraph, it defers nothing
PUBLIC = dir(pg)
print(json.dumps({
    "names": names(pg),
    "exported": {m: list(importlib.import_module(m).__all__) for m, star in DEFERRED.items() if star},
}))
"""
)

DEFERRING = (
    DESCRIBE
    + """
import viewer.plot.canvas  # the drawing modules bring pyqtgraph
import pyqtgraph as pg
from viewer.plot.qt_imports import DEFERRED
ran_at_import = sorted(m for m in sys.modules if m.startswith(("pyqtgraph.parametertree", "multiprocessing"))
                       or (m in DEFERRED and type(sys.modules[m]).__name__ == "module"))
finders = [type(f).__name__ for f in sys.meta_path if type(f).__module__ == "viewer.plot.qt_imports"]
PUBLIC = json.loads(sys.stdin.read())
listed = [name for name in dir(pg) if not name.startswith("_")]
described = names(pg)
from pyqtgraph.widgets.ScatterPlotWidget import ScatterPlotWidget  # an import from a deferred module
print(json.dumps({
    "ran_at_import": ran_at_import,
    "finders": finders,
    "listed": listed,
    "names": described,
    "same_object": ScatterPlotWidget is pg.ScatterPlotWidget,
    "exported": {m: list(importlib.import_module(m).__all__) for m, star in DEFERRED.items() if star},
    "multiprocess": type(pg.multiprocess.QtProcess).__name__,  # a module deferred as a whole runs on use
    "parametertree_after": any(m.startswith("pyqtgraph.parametertree") for m in sys.modules),
}))
"""
)


def _run(script: str, tmp_path: Path, stdin: str = "") -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_pyqtgraph_runs_the_unused_widgets_on_first_use_with_the_same_names(tmp_path: Path) -> None:
    plain = _run(PLAIN, tmp_path)
    names = plain["names"]
    assert isinstance(names, dict) and "ImageView" in names and "ColorMapParameter" in names
    assert plain["exported"] == {module: list(star) for module, star in DEFERRED.items() if star}
    deferring = _run(DEFERRING, tmp_path, json.dumps(sorted(names)))
    assert deferring["ran_at_import"] == []  # neither the widgets, the parameter tree nor multiprocessing ran
    assert deferring["finders"] == []  # the import hook is gone once pyqtgraph ran
    # dir(pyqtgraph) lists every name before it is asked for, but for submodules only the deferred code imports
    listed = deferring["listed"]
    assert isinstance(listed, list) and set(listed) <= set(names)
    assert all(names[name].startswith("module pyqtgraph.") for name in set(names) - set(listed))
    assert deferring["names"] == names  # every public name of the package, as a plain import has it
    assert deferring["same_object"] is True
    assert deferring["multiprocess"] == "type"
    assert deferring["exported"] == plain["exported"]  # each module's __all__ once run, as DEFERRED lists it
    assert deferring["parametertree_after"] is True  # asked for, the widgets run with what they import

"""PySide6 reads the whole source of every module imported after it; this makes that check read bytes.

Since PySide 6.4 (PYSIDE-2029) PySide6 replaces ``builtins.__import__``: after each module's first import
it asks whether the module uses PySide (for ``from __feature__ import ...``), and answers by
``inspect.getsource(module)`` and a search for "PySide6" in the text. ``getsource`` goes through
``linecache`` (open, decode, split into lines, keep): about 0.3 to 0.9 ms a module here, paid for each of
pyqtgraph's ~130 modules and our ~100 on the way to the first window, and again by ``drug-viewer export``.
:func:`cheap_feature_scan` replaces the check with the same question asked of the file's bytes (the
same answer: "PySide6" is ASCII, and a module without a ``.py`` file still goes to PySide's own check).
It must run before pyqtgraph and the front end are imported, so :mod:`viewer.plot` and :mod:`viewer.ui`
call it first thing; ``tests/plot/test_qt_imports.py`` pins that the answers are PySide's own.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (PySide6 installs its import hook and feature module on first import)

FEATURE_MODULES = ("PySide6.support.feature", "shibokensupport.feature")  # 6.11's name, then older ones
CHECK = "_mod_uses_pyside"


def _feature_module() -> ModuleType | None:
    for name in FEATURE_MODULES:
        module = sys.modules.get(name)
        if module is not None and callable(getattr(module, CHECK, None)):
            return module
    return None


def cheap_feature_scan() -> None:
    """Make PySide6's per-import "does this module use PySide?" check read the file's bytes (idempotent)."""
    feature = _feature_module()
    if feature is None:
        return  # a PySide6 without the check: nothing to do
    original: Callable[[ModuleType], bool] = getattr(feature, CHECK)
    if getattr(original, "__wrapped__", None) is not None:
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(feature, CHECK, uses_pyside)

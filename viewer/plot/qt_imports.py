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

pyqtgraph (0.14) keeps its own copies of PySide6's QtCore, QtGui and QtWidgets (``pyqtgraph.Qt``'s
``_copy_attrs``: for each name in ``dir(PySide6.QtX)``, ``setattr(mirror, name, getattr(PySide6.QtX,
name))``). PySide6 (6.8+) creates a class, and every enum in it, on its first use, so that copy creates all
of them: ~700 names, ~600 Python enums among them (``enum.py`` ``__set_name__`` was the largest self time of
the start-up and export profiles), about 100 ms of CPU in ``import pyqtgraph``, for the few dozen classes
the charts use. :func:`lazy_qt_mirrors` makes pyqtgraph's copies lazy instead: while ``pyqtgraph.Qt``
runs, its three mirrors are modules that fetch a name from PySide6 when first asked for it (PEP 562
``__getattr__``), and PySide6's modules list no names, so the copy has nothing to do; PySide6's
``__dir__`` is back as soon as ``pyqtgraph.Qt`` has run. Every name pyqtgraph asks for is PySide6's own
object, as before (``tests/plot/test_qt_mirrors.py``).

pyqtgraph's package also imports, by ``from ... import *``, every item and widget it has, most of which no
chart of ours uses: images, histograms, ROIs, colour bars and gradients, tree and table widgets, spin boxes,
the parameter tree behind ``ColorMapWidget``, ``ImageView``; and ``RemoteGraphicsView`` brings its
``multiprocess`` package (and the standard library's ``multiprocessing``), used only when one is made. That
is ~100 million instructions (4.5%) of the window's start-up to its first paint (valgrind) and of every
export. :func:`defer_unused_widgets` defers them: while ``pyqtgraph`` runs, each of :data:`DEFERRED` is a
module that runs its own code on the first use of any name in it (a name, or an import from it: whatever
pyqtgraph or we import from one runs it, as before), and the package's star import takes none of its names;
the package answers those names on first use (PEP 562 ``__getattr__``) from the module, then run. Every name
is pyqtgraph's own object, as before (``tests/plot/test_deferred_widgets.py``).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (PySide6 installs its import hook and feature module on first import)

FEATURE_MODULES = ("PySide6.support.feature", "shibokensupport.feature")  # 6.11's name, then older ones
CHECK = "_mod_uses_pyside"
MIRRORED = ("QtCore", "QtGui", "QtWidgets")  # the modules pyqtgraph.Qt copies name by name
OTHER_BINDINGS = ("PyQt6", "PyQt5", "PySide2")  # pyqtgraph would choose one of these if imported first
# The modules pyqtgraph's package imports that nothing imports before the window's first paint, each with the
# names the package takes from it by star import (its __all__).
DEFERRED: dict[str, tuple[str, ...]] = {
    "pyqtgraph.graphicsItems.BoxplotItem": ("BoxplotItem",),
    "pyqtgraph.graphicsItems.ColorBarItem": ("ColorBarItem",),
    "pyqtgraph.graphicsItems.DateAxisItem": ("DateAxisItem",),
    "pyqtgraph.graphicsItems.FillBetweenItem": ("FillBetweenItem",),
    "pyqtgraph.graphicsItems.GradientEditorItem": (
        "TickSliderItem",
        "GradientEditorItem",
        "addGradientListToDocstring",
    ),
    "pyqtgraph.graphicsItems.GradientLegend": ("GradientLegend",),
    "pyqtgraph.graphicsItems.GraphItem": ("GraphItem",),
    "pyqtgraph.graphicsItems.GridItem": ("GridItem",),
    "pyqtgraph.graphicsItems.HistogramLUTItem": ("HistogramLUTItem",),
    "pyqtgraph.graphicsItems.ImageItem": ("ImageItem",),
    "pyqtgraph.graphicsItems.IsocurveItem": ("IsocurveItem",),
    "pyqtgraph.graphicsItems.LinearRegionItem": ("LinearRegionItem",),
    "pyqtgraph.graphicsItems.PColorMeshItem": ("PColorMeshItem",),
    "pyqtgraph.graphicsItems.ROI": (
        "ROI",
        "TestROI",
        "RectROI",
        "EllipseROI",
        "CircleROI",
        "LineROI",
        "MultiLineROI",
        "MultiRectROI",
        "LineSegmentROI",
        "PolyLineROI",
        "CrosshairROI",
        "TriangleROI",
    ),
    "pyqtgraph.graphicsItems.ScaleBar": ("ScaleBar",),
    "pyqtgraph.graphicsItems.TargetItem": ("TargetItem", "TargetLabel"),
    "pyqtgraph.graphicsItems.VTickGroup": ("VTickGroup",),
    "pyqtgraph.graphicsItems.CurvePoint": ("CurvePoint", "CurveArrow"),
    "pyqtgraph.widgets.BusyCursor": ("BusyCursor",),
    "pyqtgraph.widgets.CheckTable": ("CheckTable",),
    "pyqtgraph.widgets.ColorButton": ("ColorButton",),
    "pyqtgraph.widgets.ComboBox": ("ComboBox",),
    "pyqtgraph.widgets.FeedbackButton": ("FeedbackButton",),
    "pyqtgraph.widgets.GradientWidget": ("GradientWidget",),
    "pyqtgraph.widgets.HistogramLUTWidget": ("HistogramLUTWidget",),
    "pyqtgraph.widgets.JoystickButton": ("JoystickButton",),
    "pyqtgraph.widgets.LayoutWidget": ("LayoutWidget",),
    "pyqtgraph.widgets.ProgressDialog": ("ProgressDialog",),
    "pyqtgraph.widgets.RawImageWidget": ("RawImageWidget", "RawImageGLWidget"),
    "pyqtgraph.widgets.SpinBox": ("SpinBox",),
    "pyqtgraph.widgets.TableWidget": ("TableWidget",),
    "pyqtgraph.widgets.TreeWidget": ("TreeWidget", "TreeWidgetItem"),
    "pyqtgraph.widgets.ValueLabel": ("ValueLabel",),
    "pyqtgraph.widgets.VerticalLabel": ("VerticalLabel",),
    "pyqtgraph.imageview": ("ImageView",),
    "pyqtgraph.multiprocess": (),  # RemoteGraphicsView's: imported as a module, used when one is made
    "pyqtgraph.widgets.ColorMapWidget": ("ColorMapWidget", "ColorMapParameter"),
    "pyqtgraph.widgets.DataFilterWidget": ("DataFilterWidget",),
    "pyqtgraph.widgets.DataTreeWidget": ("DataTreeWidget",),
    "pyqtgraph.widgets.DiffTreeWidget": ("DiffTreeWidget",),
    "pyqtgraph.widgets.ScatterPlotWidget": ("ScatterPlotWidget",),
}


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


def lazy_qt_mirrors() -> None:
    """Make pyqtgraph's copies of PySide6's modules fetch each name on first use (module docstring).

    Call before pyqtgraph is imported (idempotent); nothing is done when pyqtgraph is imported already or
    may choose another binding than PySide6.
    """
    if "pyqtgraph.Qt" in sys.modules or _SourceFinder.installed("pyqtgraph.Qt"):
        return
    if os.environ.get("PYQTGRAPH_QT_LIB", "PySide6") != "PySide6" or any(m in sys.modules for m in OTHER_BINDINGS):
        return
    _SourceFinder.install("pyqtgraph.Qt", {"pyqtgraph.Qt": lambda loader: _Running(loader, _mirrored)})


@contextmanager
def _mirrored(_module: ModuleType) -> Iterator[None]:
    """pyqtgraph.Qt's mirrors as lazy modules in ``sys.modules``, PySide6's modules listing no names."""
    sources = {short: importlib.import_module(f"PySide6.{short}") for short in MIRRORED}
    for short, source in sources.items():
        sys.modules.setdefault(f"pyqtgraph.Qt.{short}", _lazy_mirror(f"pyqtgraph.Qt.{short}", source))
    listings = {short: vars(source).get("__dir__") for short, source in sources.items()}
    try:
        for source in sources.values():
            vars(source)["__dir__"] = list  # dir(module) is []: nothing to copy
        yield
    finally:
        for short, source in sources.items():
            vars(source).pop("__dir__", None)
            if listings[short] is not None:
                vars(source)["__dir__"] = listings[short]


def _lazy_mirror(name: str, source: ModuleType) -> ModuleType:
    """A module that answers any name of ``source`` with ``source``'s object, kept once asked for."""
    mirror = ModuleType(name, f"pyqtgraph's copy of {source.__name__}, filled on first use (viewer.plot.qt_imports)")

    def __getattr__(attribute: str) -> object:
        if attribute == "__path__":  # a plain module, not a package
            raise AttributeError(attribute)
        value = getattr(source, attribute)
        setattr(mirror, attribute, value)
        return value

    mirror.__getattr__ = __getattr__  # type: ignore[method-assign]
    return mirror


def defer_unused_widgets() -> None:
    """Make pyqtgraph's package defer the widgets of :data:`DEFERRED` to their first use (module docstring).

    Call before pyqtgraph is imported (idempotent); nothing is done when it is imported already.
    """
    if "pyqtgraph" in sys.modules or _SourceFinder.installed("pyqtgraph"):
        return
    loaders: dict[str, Wrap] = dict.fromkeys(DEFERRED, _Deferring)
    loaders["pyqtgraph"] = lambda loader: _Running(loader, _answering_deferred)
    _SourceFinder.install("pyqtgraph", loaders)


@contextmanager
def _answering_deferred(module: ModuleType) -> Iterator[None]:
    """The package, once run, answers the names of :data:`DEFERRED` on their first use."""
    yield
    owners = {name: owner for owner, names in DEFERRED.items() for name in names}

    def __getattr__(attribute: str) -> object:
        owner = owners.get(attribute)
        if owner is None:
            raise AttributeError(f"module 'pyqtgraph' has no attribute {attribute!r}")
        value = getattr(importlib.import_module(owner), attribute)
        setattr(module, attribute, value)  # what the package's star import would have bound
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(module)) | set(owners))

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    module.__dir__ = __dir__  # type: ignore[method-assign]


# -- the import hook both use ---------------------------------------------------------------------------------

Wrap = Callable[[importlib.machinery.SourceFileLoader], importlib.machinery.SourceFileLoader]


class _SourceFinder:
    """Finds the modules of ``loaders`` as the path finder does, each with the loader its entry makes of the path
    finder's own (a meta path finder by protocol: ``importlib.abc`` is an import the window does not otherwise
    need). It leaves ``sys.meta_path`` once the module it is for (``module``, among them) has run or cannot be
    found as source: the others are imported while that one runs."""

    def __init__(self, module: str, loaders: dict[str, Wrap]) -> None:
        self.module, self.loaders = module, loaders

    @classmethod
    def install(cls, module: str, loaders: dict[str, Wrap]) -> None:
        sys.meta_path.insert(0, cls(module, loaders))

    @classmethod
    def installed(cls, module: str) -> bool:
        return any(isinstance(f, cls) and f.module == module for f in sys.meta_path)

    @classmethod
    def leave(cls, module: str) -> None:
        sys.meta_path[:] = [f for f in sys.meta_path if not (isinstance(f, cls) and f.module == module)]

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        wrap = self.loaders.get(fullname)
        if wrap is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = wrap(spec.loader)
        elif fullname == self.module:
            self.leave(fullname)
        return spec


class _Running(importlib.machinery.SourceFileLoader):
    """A module's own source loader that runs its code within ``around(module)``; the finder for that module
    leaves once it has run (whatever came of it)."""

    def __init__(
        self,
        loader: importlib.machinery.SourceFileLoader,
        around: Callable[[ModuleType], AbstractContextManager[None]],
    ) -> None:
        super().__init__(loader.name, loader.path)
        self.around = around

    def exec_module(self, module: ModuleType) -> None:
        try:
            with self.around(module):
                super().exec_module(module)
        finally:
            _SourceFinder.leave(self.name)


class _Deferring(importlib.machinery.SourceFileLoader):
    """A module's own loader that runs nothing yet: the module lists no names for a star import and runs
    its code (with its own loader) on the first use of any name it lacks."""

    def __init__(self, loader: importlib.machinery.SourceFileLoader) -> None:
        super().__init__(loader.name, loader.path)
        self.real = loader

    def exec_module(self, module: ModuleType) -> None:
        vars(module)["__all__"] = []
        module.__class__ = _Deferred


class _Deferred(ModuleType):
    """A deferred module (:class:`_Deferring`): the first name asked for that it lacks runs its code.

    Not :class:`importlib.util.LazyLoader`'s module: that runs on any attribute asked for, its ``__all__``
    too, so the package's star import would run every one (40 of the 41 here, the parameter tree with them)."""

    def __getattr__(self, attribute: str) -> object:
        spec = self.__spec__
        loader = spec.loader if spec is not None else None
        # A plain module has no __path__: the import system's question is not a use (a package has one).
        if attribute == "__path__" or spec is None or not isinstance(loader, _Deferring):
            raise AttributeError(attribute)
        module: ModuleType = self
        module.__class__ = ModuleType
        del vars(module)["__all__"]
        spec.loader = module.__loader__ = loader.real
        loader.real.exec_module(module)
        return getattr(module, attribute)

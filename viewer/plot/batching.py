"""Few items for many marks: markers, caps and arrows in shared scatter items; lines and whiskers in runs.

Redraws are on the hot path. All markers of a chart are one ``ScatterPlotItem`` (hover included), caps
and arrowheads one more each, with the previous drawing's symbol atlas handed on. Consecutive series share
one line item and one whisker item (:class:`SharedPart`), each series still stroked on its own with its own
pen, in order, so the picture is the same as with one item per series. (Runs were first cut at each change
of pen: a dose-response panel gives each of its trials a colour, and a 400-trial chart, 1,000,000 arms
opened, made 800 items, 0.3-1 s to add and lay out and 100-370 ms a paint, all on the GUI thread.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen

from viewer.plot.workarounds import ATLAS_LIMIT, export_antialias, reuse_symbol_atlas, set_spots

__all__ = [
    "ARROWS_Z",
    "CAPS_Z",
    "LINE_RUNS",
    "MARKERS_Z",
    "WHISKER_RUNS",
    "RunCurve",
    "RunKind",
    "RunWhiskers",
    "Runs",
    "ScatterColumns",
    "SharedPart",
    "line_item",
    "whisker_item",
]

MARKERS_Z, CAPS_Z, ARROWS_Z = 3, 1, 2
WHISKERS_Z = 0.5  # under the caps, as a first drawing stacked them (items of one z stack in the order added)


class ScatterColumns:
    """Columns of one shared ScatterPlotItem, filled series by series, created once at the end."""

    def __init__(self) -> None:
        self.x: list[float] = []
        self.y: list[float] = []
        self.symbol: list[Any] = []
        self.size: list[float] = []
        self.pen: list[QPen] = []
        self.brush: list[QBrush] = []
        self.data: list[Any] = []

    def add(self, x: float, y: float, symbol: Any, size: float, pen: QPen, brush: QBrush, data: Any = None) -> int:
        self.x.append(x)
        self.y.append(y)
        self.symbol.append(symbol)
        self.size.append(size)
        self.pen.append(pen)
        self.brush.append(brush)
        self.data.append(data)
        return len(self.x) - 1

    def extend(
        self,
        xs: list[float],
        ys: list[float],
        symbol: Any,
        sizes: list[float],
        pens: list[QPen],
        brushes: list[QBrush],
        data: list[Any] | None = None,
    ) -> range:
        """Add many spots of one symbol at once (a 2,000-row forest plot: 2,000 calls of :meth:`add` saved);
        the rows they got."""
        start = len(self.x)
        self.x += xs
        self.y += ys
        self.symbol += [symbol] * len(xs)
        self.size += sizes
        self.pen += pens
        self.brush += brushes
        self.data += data if data is not None else [None] * len(xs)
        return range(start, len(self.x))

    def item(self, plot: Any, z: float, *, atlas: Any = None, hoverable: bool = False, previous: Any = None) -> Any:
        """The ScatterPlotItem of these columns in ``plot``: ``previous`` (the last drawing's, still in the plot)
        given these spots, or a new one that reuses ``atlas`` (a previous item's ``fragmentAtlas``).

        A new ScatterPlotItem costs ~1 ms to make and as much again to add to the plot (and later take out),
        and starts with an empty symbol atlas that renders every (symbol, size, pen, brush) it meets again,
        ~80 images per redraw; the shared pens and brushes keep the previous drawing's atlas valid. A
        previous item whose atlas (``atlas``, its own) outgrew :data:`~viewer.plot.workarounds.ATLAS_LIMIT`,
        or with no spots to take, is taken out of the plot, and a new item starts an atlas of its own (bounded
        memory). The previous drawing's focus is cleared before (its faded items drawn as they were).
        """
        outgrown = atlas is not None and len(atlas) > ATLAS_LIMIT
        if previous is not None and (not self.x or outgrown):
            plot.removeItem(previous)
            previous = None
        if not self.x:
            return None
        scatter = previous if previous is not None else pg.ScatterPlotItem()
        if previous is None:
            reuse_symbol_atlas(scatter, None if outgrown else atlas)
        style = (self.symbol, self.size, self.pen, self.brush)
        set_spots(scatter, self.x, self.y, self.data, style, hoverable=hoverable)
        if previous is None:
            scatter.setZValue(z)
            plot.addItem(scatter)
        return scatter


class SharedPart:
    """One series' share of a graphics item drawn for several consecutive series at once.

    Consecutive series are drawn as one item (one PlotCurveItem for their lines, one ErrorBarItem for their
    whiskers): fewer items to create, add and paint on every redraw, and the picture is the same (each
    series' own pen, the same stacking order). ``item`` is the shared pyqtgraph item; ``opts``
    holds this series' own data under the item's option names (``x``, ``y``, ``pen``; ``top``/``bottom``
    or ``left``/``right`` for whiskers), so ``opts`` and ``getData()`` read like the series' own item.
    Other attributes (``scene()``, ``zValue()``, ...) are the shared item's.
    """

    __slots__ = ("item", "opts")

    def __init__(self, opts: dict[str, Any]) -> None:
        self.item: Any = None  # set when the run is drawn
        self.opts = opts

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # pyqtgraph's name
        """This series' x and y (view coordinates), as ``PlotCurveItem.getData`` would return them."""
        return self.opts["x"], self.opts["y"]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.item, name)


class Runs:
    """Parts of consecutive series that share a style key, drawn as one item per run (see SharedPart)."""

    def __init__(self) -> None:
        self.runs: list[tuple[Any, list[SharedPart]]] = []

    def add(self, key: Any, opts: dict[str, Any]) -> SharedPart:
        part = SharedPart(opts)
        if self.runs and self.runs[-1][0] == key:
            self.runs[-1][1].append(part)
        else:
            self.runs.append((key, [part]))
        return part

    def draw(self, plot: Any, kind: RunKind, previous: Sequence[Any] = ()) -> list[Any]:
        """One item per run, in order: the previous drawing's item in that place (still in ``plot``) given the run's
        parts when it is the item ``kind`` makes for them, else a new one added to ``plot``; the previous items
        left over are taken out. A new item and its trip out of the plot and back cost more than its new data."""
        items = []
        for k, (_key, parts) in enumerate(self.runs):
            old = previous[k] if k < len(previous) else None
            if old is not None and kind.refill(old, parts):
                item = old
            else:
                if old is not None:
                    plot.removeItem(old)
                item = kind.make(parts)
                plot.addItem(item)
            for part in parts:
                part.item = item
            items.append(item)
        for old in previous[len(self.runs) :]:
            plot.removeItem(old)
        return items


def _widest(pens: list[QPen]) -> QPen:
    """The pen of a shared item's own options: the widest of its series' (pyqtgraph pads its bounds by it)."""
    return max(pens, key=QPen.widthF)


class RunCurve(pg.PlotCurveItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """The lines of a run of series as one PlotCurveItem that strokes each series on its own, with its pen.

    Holding all the points (NaN-free, with a connect mask) keeps pyqtgraph's bounds and padding; the
    paint strokes one path per series, as separate items did. One path with many sub-paths looks
    almost the same but is not: antialiased edges where lines cross blend once instead of twice, and
    Qt's rasterizer strokes such a path several times slower (~7x for 10 long polylines).
    """

    def __init__(self, parts: list[SharedPart]) -> None:
        super().__init__()
        self.set_parts(parts)

    def set_parts(self, parts: list[SharedPart]) -> None:
        """Draw these series (a new item, or one handed on to the next drawing)."""
        self.setData(**self._take(parts))

    def _take(self, parts: list[SharedPart]) -> dict[str, Any]:
        """Keep the parts' own lines and pens; the options of the whole (``PlotCurveItem``'s) for them."""
        x = np.concatenate([p.opts["x"] for p in parts])
        y = np.concatenate([p.opts["y"] for p in parts])
        connect = np.ones(len(x), dtype=bool)  # connect[i]: point i joins point i + 1
        connect[np.cumsum([len(p.opts["x"]) for p in parts]) - 1] = False
        self._parts = [(p.opts["x"], p.opts["y"]) for p in parts]
        self._pens = [p.opts["pen"] for p in parts]
        self._paths: list[QPainterPath] | None = None
        return {"x": x, "y": y, "pen": _widest(self._pens), "antialias": True, "connect": connect}

    def paint(self, p: QPainter, *args: Any) -> None:
        """What ``PlotCurveItem.paint`` does for one curve (antialias, pen, path), once per series."""
        if self._paths is None:
            self._paths = [pg.arrayToQPath(x, y, connect="all", finiteCheck=True) for x, y in self._parts]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, export_antialias(self))
        for pen, path in zip(self._pens, self._paths, strict=True):
            p.setPen(pen)
            p.drawPath(path)


class RunWhiskers(pg.ErrorBarItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """The whiskers (beamless error bars) of a run of series, stroked series by series (see RunCurve)."""

    def __init__(self, parts: list[SharedPart]) -> None:
        super().__init__()
        self.set_parts(parts)

    def set_parts(self, parts: list[SharedPart]) -> None:
        """Draw these series' whiskers (a new item, or one handed on to the next drawing)."""
        self.setData(**self._take(parts))

    def _take(self, parts: list[SharedPart]) -> dict[str, Any]:
        """Keep the parts' own bars and pens; the options of the whole (``ErrorBarItem``'s) for them."""
        names = [name for name in parts[0].opts if name not in ("beam", "pen")]
        self._parts = [{name: p.opts[name] for name in names} for p in parts]
        self._pens = [p.opts["pen"] for p in parts]  # the shared pens (viewer.plot.style): read-only
        self._paths: list[QPainterPath] | None = None
        data = {name: np.concatenate([p.opts[name] for p in parts]) for name in names}
        return {**_NO_BARS, **data, "beam": None, "pen": _widest(self._pens)}

    def paint(self, p: QPainter, *args: Any) -> None:
        """What ``ErrorBarItem.paint`` does (pen, path; the painter's antialiasing), once per series."""
        if self._paths is None:
            self._paths = [_whisker_path(**part) for part in self._parts]
        for pen, path in zip(self._pens, self._paths, strict=True):
            p.setPen(pen)
            p.drawPath(path)


def _whisker_path(
    x: np.ndarray,
    y: np.ndarray,
    top: np.ndarray | None = None,
    bottom: np.ndarray | None = None,
    left: np.ndarray | None = None,
    right: np.ndarray | None = None,
) -> QPainterPath:
    """The path ``ErrorBarItem.drawPath`` builds for beamless bars, built the same way."""
    path = QPainterPath()
    if top is not None and bottom is not None:
        path.addPath(pg.arrayToQPath(pg.interweaveArrays(x, x), pg.interweaveArrays(y - bottom, y + top), "pairs"))
    if left is not None and right is not None:
        path.addPath(pg.arrayToQPath(pg.interweaveArrays(x - left, x + right), pg.interweaveArrays(y, y), "pairs"))
    return path


_NO_BARS: dict[str, Any] = dict.fromkeys(("height", "width", "top", "bottom", "left", "right"))
"""Every bar option of an ``ErrorBarItem`` unset: ``setData`` keeps the options it is not given."""


def line_item(parts: list[SharedPart]) -> Any:
    """The lines of a run: a plain antialiased PlotCurveItem for one series, a RunCurve for more."""
    if len(parts) == 1:
        return pg.PlotCurveItem(x=parts[0].opts["x"], y=parts[0].opts["y"], pen=parts[0].opts["pen"], antialias=True)
    return RunCurve(parts)


def whisker_item(parts: list[SharedPart]) -> Any:
    """The whiskers of a run: a plain beamless ErrorBarItem for one series, a RunWhiskers for more."""
    bars = pg.ErrorBarItem(**parts[0].opts) if len(parts) == 1 else RunWhiskers(parts)
    bars.setZValue(WHISKERS_Z)
    return bars


class RunKind(NamedTuple):
    """How the runs of one kind of part are drawn: ``make`` a new item (a ``one`` for one series, a ``many`` for
    more), or refill a previous drawing's (:meth:`refill`); ``set_one`` gives a ``one`` a series' options."""

    make: Callable[[list[SharedPart]], Any]
    one: type[Any]
    many: type[Any]
    set_one: Callable[[Any, dict[str, Any]], None]

    def refill(self, item: Any, parts: list[SharedPart]) -> bool:
        """Give ``item`` the run's ``parts`` if it is the item :attr:`make` would give for them (True)."""
        if type(item) is not (self.many if len(parts) > 1 else self.one):
            return False
        if len(parts) > 1:
            item.set_parts(parts)
        else:
            self.set_one(item, parts[0].opts)
        return True


def _set_line(item: Any, opts: dict[str, Any]) -> None:
    item.setData(x=opts["x"], y=opts["y"], pen=opts["pen"])


def _set_whiskers(item: Any, opts: dict[str, Any]) -> None:
    item.setData(**{**_NO_BARS, **opts})


LINE_RUNS = RunKind(line_item, pg.PlotCurveItem, RunCurve, _set_line)
WHISKER_RUNS = RunKind(whisker_item, pg.ErrorBarItem, RunWhiskers, _set_whiskers)

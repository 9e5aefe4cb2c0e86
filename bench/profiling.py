"""Turn a cProfile run into a short, JSON-friendly account of where the time went.

Two views: self time summed by *layer* (viewer.domain, viewer.charts, viewer.ui, pyqtgraph, Qt's C++
calls, numpy, ...), which says whose code to change, and the functions with the largest cumulative time,
which says what to change there. Times are divided by the number of profiled iterations, so they read
"per redraw" or "per keystroke". cProfile adds overhead to every Python call, so the shares matter more
than the absolute numbers.
"""

from __future__ import annotations

import cProfile
import pstats
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Key = tuple[str, int, str]

_LAYERS: tuple[tuple[str, str], ...] = (
    ("/viewer/domain/", "viewer.domain"),
    ("/viewer/charts/", "viewer.charts"),
    ("/viewer/ui/", "viewer.ui"),
    ("/viewer/", "viewer (cli/export/app)"),
    ("/pyqtgraph/", "pyqtgraph"),
    ("/numpy/", "numpy"),
    ("/scipy/", "scipy"),
    ("/matplotlib/", "matplotlib"),
    ("/bench/", "benchmark harness"),
)
# Frames that only wrap other work: their cumulative time says nothing about where it goes.
_WRAPPERS = (
    "<built-in method builtins.exec>",
    "<module>",
    "run_iterations",
    "_profiled",
    "<lambda>",
    "run_module",
    "_run_code",
)


def layer_of(key: Key) -> str:
    filename, _line, name = key
    if filename == "~":  # a C function: PySide6 methods are Qt's C++ (painting, layout, text)
        if "PySide6" in name or "Shiboken" in name:
            return "Qt (C++ via PySide6)"
        if "numpy" in name:
            return "numpy"
        return "Python builtins"
    path = filename.replace("\\", "/")
    for marker, layer in _LAYERS:
        if marker in path:
            return layer
    if "/site-packages/" in path:
        return "other libraries"
    return "Python stdlib"


def label(key: Key) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    path = re.sub(r"^.*/lib/python3\.\d+/", "", filename.replace("\\", "/"))
    if "/site-packages/" in path:
        path = path.split("/site-packages/", 1)[1]
    for prefix in ("viewer/", "pyqtgraph/", "bench/"):
        if prefix in path:
            path = path[path.index(prefix) :]
            break
    return f"{path}:{line}({name})"


def summarise(stats: pstats.Stats, iterations: int = 1, top: int = 12) -> dict[str, Any]:
    """Per-iteration milliseconds: total, self time by layer, and the top cumulative functions."""
    raw: dict[Key, tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    per = 1000.0 / max(iterations, 1)
    layers: dict[str, float] = defaultdict(float)
    for key, (_cc, _nc, tt, _ct, _callers) in raw.items():
        layers[layer_of(key)] += tt * per
    total = sum(layers.values())
    cumulative = sorted(
        ((key, ct * per, nc) for key, (_cc, nc, _tt, ct, _callers) in raw.items()),
        key=lambda item: item[1],
        reverse=True,
    )
    shown = [
        {"function": label(k), "cum_ms": round(ms, 2), "calls": round(nc / max(iterations, 1), 1)}
        for k, ms, nc in cumulative
        if not any(w in k[2] for w in _WRAPPERS) and layer_of(k) != "benchmark harness"
    ][:top]
    self_time = sorted(((k, tt * per) for k, (_cc, _nc, tt, _ct, _c) in raw.items()), key=lambda i: i[1], reverse=True)
    return {
        "iterations": iterations,
        "total_ms": round(total, 2),
        "layers_ms": {k: round(v, 2) for k, v in sorted(layers.items(), key=lambda kv: kv[1], reverse=True)},
        "top_cumulative": shown,
        "top_self": [{"function": label(k), "self_ms": round(ms, 2)} for k, ms in self_time[:8]],
    }


def profile_calls(body: Callable[[], object], iterations: int) -> dict[str, Any]:
    """Profile ``body`` run ``iterations`` times and summarise it per iteration."""
    profiler = cProfile.Profile()
    for _ in range(iterations):
        profiler.enable()
        try:
            body()
        finally:
            profiler.disable()
    return summarise(pstats.Stats(profiler), iterations)


def profile_file(path: str, iterations: int = 1) -> dict[str, Any]:
    """Summarise a ``python -m cProfile -o path`` output file."""
    return summarise(pstats.Stats(path), iterations)


def render_markdown(summary: dict[str, Any], unit: str = "per iteration") -> list[str]:
    """A few Markdown lines: the layer split as shares, then the top cumulative functions."""
    total = summary.get("total_ms") or 0.0
    lines = [f"Profiled {summary.get('iterations', 1)} iteration(s); {total:.1f} ms {unit} under cProfile."]
    layers = summary.get("layers_ms", {})
    if total > 0 and layers:
        shares = ", ".join(f"{name} {ms / total:.0%}" for name, ms in list(layers.items())[:6])
        lines.append(f"Self time by layer: {shares}.")
    own = summary.get("top_self", [])[:5]
    if own:
        lines.append("Largest self time: " + ", ".join(f"`{r['function']}` {r['self_ms']:.1f} ms" for r in own) + ".")
    rows = summary.get("top_cumulative", [])
    if rows:
        lines += ["", "| cumulative ms | calls | function |", "|---:|---:|---|"]
        lines += [f"| {r['cum_ms']:.2f} | {r['calls']:g} | `{r['function']}` |" for r in rows]
    return lines

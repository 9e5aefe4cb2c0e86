"""Data to view coordinates: ``log10`` on log axes, automatic ranges, clamping into a fixed range."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["AxisTransform", "auto_span", "clamp", "fixed_range"]


@dataclass(frozen=True, slots=True)
class AxisTransform:
    """Data → view coordinate for one axis (``log10`` on log axes)."""

    log: bool

    def ok(self, v: float | None) -> bool:
        return v is not None and math.isfinite(v) and (not self.log or v > 0)

    def fwd(self, v: float) -> float:
        return math.log10(v) if self.log else float(v)

    def back(self, v: float) -> float:
        return 10.0**v if self.log else v


def auto_span(values: Iterable[float], ticks: Sequence[tuple[float, str]], pad: float = 0.06) -> tuple[float, float]:
    """Auto range: data extent plus padding; categories get half a slot each side."""
    vals = [v for v in values if math.isfinite(v)]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    width = hi - lo
    if width <= 0:
        delta = abs(lo) * 0.1 or 0.5
        lo, hi = lo - delta, hi + delta
    else:
        lo, hi = lo - width * pad, hi + width * pad
    if ticks:
        tpos = [t for t, _ in ticks]
        lo, hi = min(lo, min(tpos) - 0.5), max(hi, max(tpos) + 0.5)
    return lo, hi


def fixed_range(rng: tuple[float, float] | None, ax: AxisTransform) -> tuple[float, float] | None:
    if rng is None or not (ax.ok(rng[0]) and ax.ok(rng[1])) or rng[0] == rng[1]:
        return None
    a, b = ax.fwd(rng[0]), ax.fwd(rng[1])
    return (min(a, b), max(a, b))


def clamp(v: float, rng: tuple[float, float]) -> tuple[float, int]:
    """Clamp into the range; the int says which side was hit (-1 low, +1 high, 0 inside)."""
    if v < rng[0]:
        return rng[0], -1
    if v > rng[1]:
        return rng[1], 1
    return v, 0

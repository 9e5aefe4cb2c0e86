"""Time the vectorised effect measures on 100,000 random arm pairs (seeded), best of 5.

One round is what a full comparison table needs per arm: the Wilson interval of the rate, the Newcombe
risk difference, the Katz risk ratio and the Woolf odds ratio. Run it directly
(``python bench/bench_stats.py``) or import :func:`run` from a bench runner.
"""

from __future__ import annotations

import time

import numpy as np

from viewer.domain.stats import odds_ratio_arrays, risk_difference_arrays, risk_ratio_arrays, wilson_arrays

ARMS = 100_000
REPEATS = 5
SEED = 20240611


def _arms(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Arm sizes from 1 to 1,000 and responders from random rates, with some 0% and 100% arms."""
    n1 = rng.integers(1, 1_001, ARMS)
    n2 = rng.integers(1, 1_001, ARMS)
    x1 = rng.binomial(n1, rng.uniform(0.0, 1.0, ARMS))
    x2 = rng.binomial(n2, rng.uniform(0.0, 0.5, ARMS))
    return x1, n1, x2, n2


def run() -> dict[str, float]:
    """Best-of-5 wall time in milliseconds for all four measures on 100,000 arm pairs."""
    x1, n1, x2, n2 = _arms(np.random.default_rng(SEED))
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        wilson_arrays(x1, n1)
        risk_difference_arrays(x1, n1, x2, n2)
        risk_ratio_arrays(x1, n1, x2, n2)
        odds_ratio_arrays(x1, n1, x2, n2)
        best = min(best, time.perf_counter() - start)
    return {"effects_100k_ms": best * 1000.0}


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.1f}")

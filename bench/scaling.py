"""The figures that depend on the size of what is loaded, at 1k, 10k, 100k (and 1M) arms, each as a ratio.

Every figure here is ours over a reference measured in the same run at the same size, and each gets a
growth exponent: the slope of log(time) over log(size) by least squares, for ours and for the reference
(1.0: linear; a ratio that holds at every size has the reference's exponent).

- **Load** and its peak memory: ``Session.load`` against ``csv`` + ``tomllib`` parsing the same files
  (``bench/core_measure.py``, speedcore's; fresh interpreters).
- **Load of N adverse events** and its peak memory, the same on a folder of N adverse-event rows (two an
  arm, no results: ``bench/generate.py`` ``adverse_dataset``); its sizes are rows, not arms.
- **Effects** of one outcome over every drug: the catalog's columnar pass against the project's own
  vectorised functions on arrays taken beforehand (``bench/core_measure.py``).
- **Export from N arms**: ``drug-viewer export`` of the four-drug dose-response chart against a
  matplotlib script reading the CSV tables with numpy (``bench/matplotlib_numpy.py``); fresh interpreters.
- **Search** (by drugs, not arms): a keystroke in the catalog pane against a list comprehension over the
  same keys (``bench/ui_search.py``, speedui's).
- **File > Open stall** (no reference: the target is absolute, <= 100 ms): ``bench/ui_stall.py``.

The 1M-arm steps take most of the run (a 1M-arm load is ~30 s); they run when ``BENCH_1M=1``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.generate import adverse_dataset, dataset
from bench.profiling import profile_calls, profile_file
from bench.targets import BY_KEY, SIZE_NAMES, median

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SIZES = (1_000, 10_000, 100_000)
MILLION = 1_000_000
SEARCH_DRUGS = (1_000, 10_000, 100_000)  # search grows with the drugs, not the arms
STALL_ARMS = (100_000,)
EXPORT_DRUGS = ("drug0000", "drug0001", "drug0002", "drug0003")
Json = dict[str, Any]


def sizes() -> tuple[int, ...]:
    """1k, 10k, 100k arms; 1M too with ``BENCH_1M=1``; or the arms listed in ``BENCH_SIZES`` (a quick check)."""
    if os.environ.get("BENCH_SIZES"):
        return tuple(int(n) for n in os.environ["BENCH_SIZES"].split(","))
    return (*SIZES, MILLION) if os.environ.get("BENCH_1M") == "1" else SIZES


def search_sizes() -> tuple[int, ...]:
    """The drugs search is timed at: 1k, 10k, 100k (those at most the largest arms asked, for a quick check)."""
    return tuple(d for d in SEARCH_DRUGS if d <= max(sizes())) or SEARCH_DRUGS[:1]


def exponent(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(value) on log(size): how the figure grows (None: under two sizes)."""
    pts = [(math.log(s), math.log(v)) for s, v in points if s > 0 and v > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx


def available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def child_json(args: Sequence[str], env: dict[str, str], timeout: float = 900.0) -> Any:
    """Run ``python ARGS`` and parse the JSON it prints last (one object, possibly indented)."""
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    text = done.stdout
    return json.loads(text[text.index("[") if text.lstrip().startswith("[") else text.index("{") :])


def _wall(cmd: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(list(cmd), env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def export_from_arms(arms: int, env: dict[str, str], home: Path) -> Json:
    """``drug-viewer export`` of four drugs from the N-arm dataset against the matplotlib + numpy script."""
    folder = dataset(arms)
    cli = Path(sys.executable).with_name("drug-viewer")
    out = home / "scaling"
    out.mkdir(exist_ok=True)
    drugs = [arg for d in EXPORT_DRUGS for arg in ("--drug", d)]
    ours = [str(cli), "export", "--data", str(folder), *drugs, "--outcome", "ACR20", "-o", str(out / f"dv-{arms}.png")]
    theirs = [sys.executable, str(BENCH / "matplotlib_numpy.py"), str(folder), str(out / f"mpl-{arms}.png")]
    theirs += list(EXPORT_DRUGS)
    runs = 1 if arms >= MILLION else 3
    if arms < MILLION:  # 1M: the smaller sizes warmed the caches, and the load section read these very files
        _wall(ours, env), _wall(theirs, env)  # warm-ups: bytecode, font caches, the OS file cache
    times: dict[str, list[float]] = {"ours_s": [], "reference_s": []}
    for _ in range(runs):
        times["ours_s"].append(_wall(ours, env))
        times["reference_s"].append(_wall(theirs, env))
    ours_s, ref_s = median(times["ours_s"]), median(times["reference_s"])
    return {"arms": arms, "ours_s": ours_s, "reference_s": ref_s, "ratio": ours_s / ref_s, "runs": times}


def section_scaling(env: dict[str, str], home: Path, profile: bool = True) -> Json:
    """Every size-dependent figure at every size, with the growth exponents (errors per part), and the
    profile of each figure that misses its target."""
    arms = sizes()
    out: Json = {"sizes": list(arms), "errors": {}, "skipped": {}}
    for size in arms:
        dataset(size), adverse_dataset(size)  # generated once, outside any timing
    parts: list[tuple[str, Any]] = []
    if available("bench.core_measure"):
        args = [str(a) for a in arms]
        parts.append(("load", lambda: child_json(["-m", "bench.core_measure", "--only", "load", "--arms", *args], env)))
        parts.append(
            ("load_ae", lambda: child_json(["-m", "bench.core_measure", "--only", "load-ae", "--rows", *args], env))
        )
        parts.append(
            ("effects", lambda: child_json(["-m", "bench.core_measure", "--only", "effects", "--arms", *args], env))
        )
        parts.append(("registry", lambda: child_json(["-m", "bench.core_measure", "--only", "registry"], env)))
    else:
        out["skipped"]["load, effects, registry"] = "bench/core_measure.py (speedcore's) is not on this branch"
    parts.append(("export", lambda: [export_from_arms(a, env, home) for a in arms]))
    if available("bench.ui_search"):
        parts.append(
            ("search", lambda: [child_json(["-m", "bench.ui_search", "--drugs", str(d)], env) for d in search_sizes()])
        )
    else:
        out["skipped"]["search"] = "bench/ui_search.py (speedui's) is not on this branch"
    if available("bench.ui_stall"):
        stall = tuple(a for a in (*STALL_ARMS, MILLION) if a in arms) or (max(arms),)
        parts.append(
            ("stall", lambda: [child_json(["-m", "bench.ui_stall", str(dataset(a))], env) | {"arms": a} for a in stall])
        )
    else:
        out["skipped"]["stall"] = "bench/ui_stall.py (speedui's) is not on this branch"
    for name, part in parts:
        start = time.perf_counter()
        print(f"bench: scaling {name} ...", flush=True)
        try:
            out[name] = part()
        except Exception as error:  # one part failing leaves the others' figures
            out["errors"][name] = f"{type(error).__name__}: {error}"
        print(f"bench: scaling {name} done in {time.perf_counter() - start:.1f} s", flush=True)
    out["growth"] = growth(out)
    if profile:
        out["profiles"] = profile_misses(out, env, home)
    return out


PROFILE_MAX_ARMS = 100_000  # a miss at 1M is profiled at 100k: cProfile doubles a 1M run (minutes); shares hold


def profile_misses(out: Json, env: dict[str, str], home: Path) -> dict[str, Json]:
    """cProfile of a fresh run of each size-dependent figure that misses its target, at the size it missed
    (at most :data:`PROFILE_MAX_ARMS`: each summary says its ``profiled_arms``)."""
    drugs = [arg for d in EXPORT_DRUGS for arg in ("--drug", d)]

    def cprofiled(command: list[str], name: str) -> Json:
        path = home / f"{name}.prof"
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(path), *command],
            env=env, cwd=ROOT, capture_output=True, timeout=900, check=True,
        )  # fmt: skip
        return profile_file(str(path))

    makers = {
        "load": lambda a: cprofiled(["-m", "bench.core_measure", "load", str(dataset(a))], f"load-{a}"),
        "load_ae": lambda a: cprofiled(["-m", "bench.core_measure", "load", str(adverse_dataset(a))], f"load-ae-{a}"),
        "export": lambda a: cprofiled(
            [str(BENCH / "cli_inprocess.py"), "export", "--data", str(dataset(a)), *drugs, "-o", str(home / "p.png")],
            f"export-{a}",
        ),
        "effects": lambda a: child_json(["-m", "bench.scaling", "profile-effects", str(a)], env),
        "stall": lambda a: child_json(["-m", "bench.ui_stall", str(dataset(a)), "--profile"], env)["profile"],
    }
    checks = (
        ("load_ratio", "load", "load_ratio"),
        ("load_ae_ratio", "load_ae", "load_ratio"),
        ("export_ratio", "export", "ratio"),
        ("effects_ratio", "effects", "columnar_ratio"),
        ("stall_ms", "stall", "max_ms"),
    )
    done: dict[tuple[str, int], Json] = {}
    profiles: dict[str, Json] = {}
    for prefix, part, field in checks:
        for row in out.get(part, []):
            count = "rows" if "rows" in row else "arms"  # the adverse events' load is sized by rows
            target = BY_KEY.get(f"{prefix}_{SIZE_NAMES.get(row.get(count, 0))}")
            if target is None or field not in row or target.passes(row[field]) is not False:
                continue
            at = min(row[count], PROFILE_MAX_ARMS)
            try:
                if (part, at) not in done:
                    done[(part, at)] = makers[part](at) | {f"profiled_{count}": at}
                profiles[target.key] = done[(part, at)]
            except (RuntimeError, KeyError, ValueError, OSError, subprocess.SubprocessError) as error:
                out["errors"][f"profile {target.key}"] = f"{type(error).__name__}: {error}"
    return profiles


SERIES: tuple[tuple[str, str, str, str, str], ...] = (
    # part, size key, ours, reference, label
    ("load", "arms", "load_s", "floor_s", "load"),
    ("load", "arms", "load_mb", "floor_mb", "load peak memory"),
    ("load_ae", "rows", "load_s", "floor_s", "load of N adverse events"),
    ("load_ae", "rows", "load_mb", "floor_mb", "load of N adverse events, peak memory"),
    ("effects", "arms", "columnar_s", "reference_s", "effects (columnar)"),
    ("effects", "arms", "object_s", "reference_s", "effects (object path)"),
    ("export", "arms", "ours_s", "reference_s", "export from N arms"),
    ("search", "drugs", "median_ms", "reference_median_ms", "search keystroke"),
)


def growth(out: Json) -> list[Json]:
    """The growth exponent of each size-dependent figure, ours and the reference's."""
    rows = []
    for part, size_key, ours, ref, label in SERIES:
        rows_in = [r for r in out.get(part, []) if isinstance(r, dict) and ours in r]
        if len(rows_in) < 2:
            continue
        rows.append(
            {
                "figure": label,
                "sizes": [r[size_key] for r in rows_in],
                "ours": exponent([(r[size_key], r[ours]) for r in rows_in]),
                "reference": exponent([(r[size_key], r[ref]) for r in rows_in]),
            }
        )
    return rows


def profile_effects(arms: int) -> Json:
    """cProfile of the columnar effects pass that ``bench/core_measure.py`` times (20 passes, per pass)."""
    from viewer.charts.query import Query
    from viewer.gc_policy import paused_gc
    from viewer.session import Session

    session = Session()
    with paused_gc():
        session.load([dataset(arms)])
    columnar = importlib.import_module("bench.core_measure")._columnar  # speedcore's: the pass its figure times
    run = columnar(session.catalog, Query(drugs=tuple(session.catalog.drugs), outcome="ACR20"))
    if run is None:
        raise RuntimeError("this version of the core has no columnar effects pass")
    run()  # warm: the columns are built once per catalog
    return profile_calls(run, 20)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "profile-effects":
        print(json.dumps(profile_effects(int(sys.argv[2]))))

"""Reference measurements of the data core (issue 17): load against the csv + tomllib parse floor, effects
against the project's own vectorised functions, and the memory a registry study keeps.

Every figure is a ratio to a reference measured in the same run. Run directly
(``python -m bench.core_measure --arms 100000 1000000``) or import :func:`run` from a bench runner;
``python -m bench.core_measure floor|load FOLDER`` is the fresh-interpreter child of one timing.

- **Load floor**: every CSV of the dataset parsed with ``csv.reader`` into lists and every monograph with
  ``tomllib``: what any reader of these files pays before checking or keeping anything. Our load is
  ``Session.load`` with the collector paused, as the command line loads. Peak memory is the child's
  peak resident set (``ru_maxrss``).
- **Load of N adverse events**: the same, on a folder of N adverse-event rows (two an arm: a count on the
  arm's n and a percentage of an n of its own, the count derived), their arms and trials and no results
  (``bench/generate.py`` ``adverse_dataset``): what reading adverse_events.csv adds, against parsing it.
- **Effects**: the reference is ``wilson_arrays`` on every counted arm and the Newcombe risk difference,
  Katz risk ratio and Woolf odds ratio on every treated arm against its placebo, on arrays taken from the
  same tables beforehand. Ours is the catalog's columnar pass for one outcome over every drug; the object
  path (``compare`` over one ``Figure`` per arm, the path before the columns) is timed beside it.
- **Registry memory**: the Python heap a study read from a ClinicalTrials.gov record keeps (tracemalloc,
  after a collection), for each real record in ``tests/data/ctgov``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "tests" / "data" / "ctgov"
REPEATS = 3


def dataset(arms: int) -> Path:
    """``bench/generate.py``'s seeded dataset at ``arms`` arms (generated once into bench/large/core-ARMS).
    Imported when called: the timed child's imports (the readers' included) are the load's own."""
    from bench.generate import dataset as generated

    return generated(arms)


def adverse_dataset(rows: int) -> Path:
    """``bench/generate.py``'s seeded folder of ``rows`` adverse events (bench/large/ae-ROWS)."""
    from bench.generate import adverse_dataset as generated

    return generated(rows)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_floor(folder: Path) -> tuple[float, float]:
    """Seconds and peak MB to parse every table and monograph of ``folder`` (kept, as a reader holds them)."""
    import csv
    import tomllib

    start = time.perf_counter()
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.name] = list(csv.reader(handle))
    monographs = [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "drugs").glob("*.toml"))]
    seconds = time.perf_counter() - start
    assert tables and len(monographs) >= 0
    return seconds, _peak_mb()


def our_load(folder: Path) -> tuple[float, float]:
    """Seconds and peak MB of ``Session.load`` (imports included, as a user waits for them)."""
    start = time.perf_counter()
    from viewer.gc_policy import paused_gc
    from viewer.session import Session

    session = Session()
    with paused_gc():
        result = session.load([folder])
    if not result.ok:
        raise SystemExit(str(result.errors))
    seconds = time.perf_counter() - start
    return seconds, _peak_mb()


def _child(kind: str, folder: Path) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.core_measure", kind, str(folder)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def load_ratio(arms: int) -> dict[str, Any]:
    """Our load of the N-arm dataset against its parse floor."""
    return {"arms": arms, **_load_against_floor(dataset(arms), REPEATS if arms <= 100_000 else 1)}


def load_ae_ratio(rows: int) -> dict[str, Any]:
    """Our load of the folder of N adverse events against its parse floor."""
    return {"rows": rows, **_load_against_floor(adverse_dataset(rows), REPEATS if rows <= 100_000 else 1)}


def _load_against_floor(folder: Path, repeats: int) -> dict[str, Any]:
    """Our load against the parse floor, alternating children, after one warm-up each; medians."""
    _child("floor", folder), _child("load", folder)
    floors, loads = [], []
    for _ in range(repeats):
        floors.append(_child("floor", folder))
        loads.append(_child("load", folder))
    floor_s, floor_mb = sorted(floors)[len(floors) // 2]
    load_s, load_mb = sorted(loads)[len(loads) // 2]
    return {
        "floor_s": floor_s,
        "floor_mb": floor_mb,
        "load_s": load_s,
        "load_mb": load_mb,
        "load_ratio": load_s / floor_s,
        "memory_ratio": load_mb / floor_mb,
    }


def _best(function: Any, repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def effects_ratio(arms: int, *, object_path: bool = True) -> dict[str, Any]:
    """Effects of one outcome over every drug: the columnar pass and the object path against the reference."""
    import numpy as np

    from viewer.charts.query import Query
    from viewer.domain.comparisons import compare, result_figures
    from viewer.domain.stats import odds_ratio_arrays, risk_difference_arrays, risk_ratio_arrays, wilson_arrays
    from viewer.gc_policy import paused_gc
    from viewer.session import Session

    session = Session()
    with paused_gc():
        session.load([dataset(arms)])
    catalog = session.catalog
    outcome = "ACR20"
    wanted = [r for r in catalog.results if r.outcome_id == outcome]
    placebo = {(r.trial_id, r.timepoint): r for r in wanted if catalog.arms[r.arm_id].role.value == "placebo"}
    treated = [r for r in wanted if catalog.arms[r.arm_id].role.value != "placebo"]
    x1 = np.array([r.responders for r in treated], dtype=np.float64)
    n1 = np.array([r.n for r in treated], dtype=np.float64)
    x2 = np.array([placebo[(r.trial_id, r.timepoint)].responders for r in treated], dtype=np.float64)
    n2 = np.array([placebo[(r.trial_id, r.timepoint)].n for r in treated], dtype=np.float64)
    xa = np.array([r.responders for r in wanted], dtype=np.float64)
    na = np.array([r.n for r in wanted], dtype=np.float64)

    def reference() -> None:
        wilson_arrays(xa, na)
        risk_difference_arrays(x1, n1, x2, n2)
        risk_ratio_arrays(x1, n1, x2, n2)
        odds_ratio_arrays(x1, n1, x2, n2)

    out: dict[str, Any] = {"arms": arms, "treated_arms": len(treated), "reference_s": _best(reference)}
    query = Query(drugs=tuple(catalog.drugs), outcome=outcome)
    columnar = _columnar(catalog, query)
    if columnar is not None:
        out["columnar_s"] = _best(columnar)
        out["columnar_ratio"] = out["columnar_s"] / out["reference_s"]
    if object_path:
        with paused_gc():
            out["object_s"] = _best(lambda: compare(result_figures(catalog, wanted)), repeats=1)
        out["object_ratio"] = out["object_s"] / out["reference_s"]
    return out


def _columnar(catalog: Any, query: Any) -> Any:
    """The columnar effects pass of the catalog, when this version of the core has one."""
    try:
        from viewer.domain.effects import selection_effects
    except ImportError:
        return None
    from viewer.charts.common import timepoint_weeks

    assert catalog.columns is not None  # built once per catalog, by the load (Session.read)
    return lambda: selection_effects(catalog, query.drugs, query.outcome, timepoint_weeks)


def registry_memory() -> list[dict[str, Any]]:
    """Heap kept per study read from each real ClinicalTrials.gov record (KB, after a collection)."""
    from viewer.domain.readers import load_path

    out = []
    for path in sorted(RECORDS.glob("NCT*")):
        load_path(path, None)  # warm: imports and caches are not the study's
        gc.collect()
        tracemalloc.start()
        ds = load_path(path, None)
        gc.collect()
        kept, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out.append(
            {
                "record": path.name,
                "kept_kb": kept / 1000,
                "arms": len(ds.arms),
                "results": len(ds.results),
                "adverse_events": len(ds.adverse_events),
            }
        )
        del ds
    return out


def run(arms: tuple[int, ...] = (100_000,)) -> dict[str, Any]:
    """Every core figure at each size: load and memory ratios, effects ratios, registry memory."""
    return {
        "load": [load_ratio(a) for a in arms],
        "effects": [effects_ratio(a) for a in arms],
        "registry": registry_memory(),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("floor", "load"):
        seconds, mb = (parse_floor if sys.argv[1] == "floor" else our_load)(Path(sys.argv[2]))
        print(f"{seconds:.6f} {mb:.1f}")
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arms", type=int, nargs="+", default=[100_000])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000], help="adverse events, for --only load-ae")
    parser.add_argument("--only", choices=("load", "load-ae", "effects", "registry"))
    args = parser.parse_args()
    if args.only == "load":
        result: Any = [load_ratio(a) for a in args.arms]
    elif args.only == "load-ae":
        result = [load_ae_ratio(r) for r in args.rows]
    elif args.only == "effects":
        result = [effects_ratio(a) for a in args.arms]
    elif args.only == "registry":
        result = registry_memory()
    else:
        result = run(tuple(args.arms))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

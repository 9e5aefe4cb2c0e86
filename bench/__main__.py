"""``make bench``: every figure of issue 17 as a ratio to a reference measured in the same run.

Writes ``bench/results.json`` (the figures, the machine and per-section details) and ``bench/RESULTS.md``
(:mod:`bench.report`: the table of ratios with the absolute times as context, the growth exponents, the
start-up imports and, for every miss, the profile). Each section runs on its own: one that fails is
reported as an error and the others still run. The sections: start-up (``bench/startup_probe.py``), chart
redraw (:mod:`bench.redraw`), the command line's PNG export (``bench/matplotlib_baseline.py``,
``bench/pyqtgraph_baseline.py``) and the figures that depend on size (:mod:`bench.scaling`: load, effects,
export from N arms, search, the File > Open stall, registry memory). ``BENCH_1M=1`` adds the 1M-arm steps.

Fresh-interpreter figures (start-up, load, command line) run in child processes with HOME and the XDG
folders in a temporary directory, so the user's settings and caches cannot change them, and with Python's
bytecode cache in that directory too (an installed app has its ``.pyc`` files; ``PYTHONDONTWRITEBYTECODE``
would otherwise recompile the app on every launch). Every child is warmed up once before it is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.profiling import profile_file
from bench.report import figures, print_table, write_markdown
from bench.scaling import child_json, section_scaling
from bench.startup_probe import FIRST_PAINT
from bench.targets import BY_KEY, median

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS_JSON = BENCH / "results.json"
MIGRAINE_CSV = ROOT / "tests" / "data" / "migraine_spreadsheet.csv"
STARTUP_RUNS = 5
CLI_RUNS = 5
IMPORT_TOP = 15
# Not needed for the first window: the app must not import them before it has painted.
LAZY_MODULES = ("scipy", "viewer.export", "viewer.domain.readers.ctgov")
Json = dict[str, Any]


# -- child processes ---------------------------------------------------------------------------------


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
    ):
        folder = home / sub if sub else home
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(cmd: Sequence[str], env: dict[str, str], timeout: float = 180.0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(cmd), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return done


def wall(cmd: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run(cmd, env)
    return time.perf_counter() - start


def cprofile(cmd_tail: Sequence[str], env: dict[str, str], home: Path) -> Json:
    """``python -m cProfile`` of a script or module in a child; the summary of where its time went."""
    out = home / f"profile-{time.monotonic_ns()}.prof"
    run([sys.executable, "-m", "cProfile", "-o", str(out), *cmd_tail], env, timeout=600)
    return profile_file(str(out))


# -- start-up ----------------------------------------------------------------------------------------


def startup_once(which: str, env: dict[str, str]) -> float:
    start = time.time()
    done = run([sys.executable, str(BENCH / "startup_probe.py"), which], env, timeout=60)
    lines = [line for line in done.stdout.split() if re.fullmatch(r"\d+\.\d+", line)]
    if not lines:
        raise RuntimeError(f"the {which} probe printed no paint time (it did not paint within 30 s)")
    return float(lines[-1]) - start


def parse_importtime(stderr: str) -> list[tuple[int, int, str]]:
    """(cumulative µs, depth, module) per line of ``-X importtime``, in output order, up to the start-up
    probe's first paint when it says so (imports after it are not start-up)."""
    rows = []
    for line in stderr.splitlines():
        if line == FIRST_PAINT:
            break
        match = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if match:
            rows.append((int(match.group(2)), len(match.group(3)) // 2, match.group(4)))
    return rows


def import_chain(rows: list[tuple[int, int, str]], index: int) -> list[str]:
    """Who imported ``rows[index]``: a child is printed before its parent, one level shallower."""
    chain = [rows[index][2]]
    depth = rows[index][1]
    for _cum, d, name in rows[index + 1 :]:
        if d < depth:
            chain.append(name)
            depth = d
    return list(reversed(chain))


def importtime(script: Sequence[str], env: dict[str, str]) -> Json:
    done = run([sys.executable, "-X", "importtime", *script], env, timeout=120)
    rows = parse_importtime(done.stderr)
    top = sorted(rows, key=lambda r: r[0], reverse=True)[:IMPORT_TOP]
    lazy: dict[str, list[str]] = {}
    for i, (_cum, _depth, name) in enumerate(rows):
        if any(name == m or name.startswith(m + ".") or name.startswith(m + "_") for m in LAZY_MODULES):
            lazy.setdefault(name, import_chain(rows, i))
    return {
        "top": [{"module": name, "depth": depth, "cumulative_ms": cum / 1000.0} for cum, depth, name in top],
        "modules": len(rows),
        "total_ms": sum(cum for cum, depth, _name in rows if depth == 0) / 1000.0,
        "lazy_imported": lazy,
    }


def section_startup(env: dict[str, str], home: Path, profile: bool) -> Json:
    for which in ("bare", "app"):
        startup_once(which, env)  # warm-up: bytecode cache, font cache, OS file cache
    runs: dict[str, list[float]] = {"bare": [], "app": []}
    for _ in range(STARTUP_RUNS):
        for which in ("bare", "app"):
            runs[which].append(startup_once(which, env))
    app, bare = median(runs["app"]), median(runs["bare"])
    out: Json = {
        "startup_ratio": app / bare,
        "details": {"app_s": runs["app"], "bare_s": runs["bare"], "app_median_s": app, "bare_median_s": bare},
        "imports": importtime([str(BENCH / "startup_probe.py"), "app"], env),
    }
    if profile and app / bare > (BY_KEY["startup_ratio"].limit or 0):
        out["profile"] = cprofile([str(BENCH / "startup_probe.py"), "app"], env, home)
    return out


# -- redraw ------------------------------------------------------------------------------------------


def section_redraw(env: dict[str, str], profile: bool) -> Json:
    """:mod:`bench.redraw` in a child: each chart's redraw over bare pyqtgraph's (profiled when it misses)."""
    result: Json = child_json(["-m", "bench.redraw", "--json", *([] if profile else ["--no-profile"])], env)
    return result


# -- command line against matplotlib and pyqtgraph ---------------------------------------------------


def section_cli(env: dict[str, str], home: Path, profile: bool) -> Json:
    """``drug-viewer export`` of the migraine CSV as a PNG against a matplotlib and a pyqtgraph script."""
    if importlib.util.find_spec("matplotlib") is None:
        return {"skipped": "matplotlib is not installed: `.venv/bin/pip install -e '.[bench]'` (make bench does)"}
    cli = Path(sys.executable).with_name("drug-viewer")
    if not cli.exists():
        return {"skipped": f"{cli} not found: the package is not installed in this environment"}
    out_dir = home / "cli"
    out_dir.mkdir(exist_ok=True)
    data = str(MIGRAINE_CSV)
    commands = {
        "drug_viewer": [str(cli), "export", "--data", data, "--outcome", "pain-free", "-o", str(out_dir / "dv.png")],
        # run as modules from the project root (children run there) to share bench/arm_rates.py
        "matplotlib": [sys.executable, "-m", "bench.matplotlib_baseline", data, str(out_dir / "mpl.png")],
        "pyqtgraph": [sys.executable, "-m", "bench.pyqtgraph_baseline", data, str(out_dir / "pg.png")],
    }
    for cmd in commands.values():
        wall(cmd, env)  # warm-ups: matplotlib builds its font cache on the first run in a fresh HOME
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(CLI_RUNS):
        for name, cmd in commands.items():
            runs[name].append(wall(cmd, env))
    for name in ("dv.png", "mpl.png", "pg.png"):
        if not (out_dir / name).stat().st_size:
            raise RuntimeError(f"{name} is empty")
    medians = {name: median(values) for name, values in runs.items()}
    out: Json = {
        "details": {"runs_s": runs, "median_s": medians},
        "cli_png_vs_matplotlib_ratio": medians["drug_viewer"] / medians["matplotlib"],
        "cli_png_vs_pyqtgraph_ratio": medians["drug_viewer"] / medians["pyqtgraph"],
    }
    if profile and out["cli_png_vs_matplotlib_ratio"] > (BY_KEY["cli_png_vs_matplotlib_ratio"].limit or 0):
        tail = ["-m", "viewer", *commands["drug_viewer"][1:]]
        out["profile"] = cprofile([str(BENCH / "cli_inprocess.py"), *tail[2:]], env, home)  # os._exit: no stats
        out["imports"] = importtime(tail, env)
    return out


# -- report ------------------------------------------------------------------------------------------


def machine() -> Json:
    info: Json = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    try:
        import pyqtgraph
        import PySide6
        from PySide6.QtCore import qVersion

        info |= {"qt": qVersion(), "pyside6": PySide6.__version__, "pyqtgraph": pyqtgraph.__version__}
    except ImportError:
        pass
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        if models:
            info["cpu_model"] = models[0]
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


# -- main --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure the performance targets.")
    parser.add_argument("--no-profile", action="store_true", help="do not profile the figures that miss")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a target is missed")
    parser.add_argument(
        "--only", nargs="+", choices=("startup", "redraw", "cli", "scaling"), help="run only these sections"
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    started = time.perf_counter()
    info = machine()
    sections: Json = {}
    errors: dict[str, str] = {}
    profile = not args.no_profile
    with tempfile.TemporaryDirectory(prefix="drug-viewer-bench-") as tmp:
        home = Path(tmp)
        env = isolated_env(home)
        steps: list[tuple[str, Callable[[], Json]]] = [
            ("startup", lambda: section_startup(env, home, profile)),
            ("redraw", lambda: section_redraw(env, profile)),
            ("cli", lambda: section_cli(env, home, profile)),
            ("scaling", lambda: section_scaling(env, home, profile)),
        ]
        for name, step in steps:
            if args.only and name not in args.only:
                continue
            start = time.perf_counter()
            print(f"bench: {name} ...", flush=True)
            try:
                sections[name] = step()
            except Exception:
                errors[name] = traceback.format_exc()
                sections[name] = {}
            print(f"bench: {name} done in {time.perf_counter() - start:.1f} s", flush=True)
    elapsed = time.perf_counter() - started
    results = figures(sections)
    print_table(results, sections, errors)
    payload = {
        **{key: round(row["value"], 4) for key, row in results.items()},
        "machine": info,
        "targets": {key: BY_KEY[key].limit for key in results},
        "errors": errors,
        "details": sections,
        "elapsed_s": round(elapsed, 1),
    }
    RESULTS_JSON.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    write_markdown(results, sections, errors, info, elapsed)
    print(f"\nwrote {RESULTS_JSON.relative_to(ROOT)} and bench/RESULTS.md ({elapsed:.0f} s)")
    missed = any(BY_KEY[key].passes(row["value"]) is False for key, row in results.items())
    return 1 if args.strict and (missed or errors) else 0


if __name__ == "__main__":
    sys.exit(main())

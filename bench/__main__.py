"""``make bench``: measure every figure of the performance targets, print a table, write the results.

Writes ``bench/results.json`` (the figures, the machine and per-section details) and ``bench/RESULTS.md``
(the figures, the method, the start-up imports and, for every miss, by how much and where the time goes).
Each section runs on its own: one that fails is reported as an error and the others still run.

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

from bench.notes import ANALYSED, NOTES
from bench.profiling import profile_file, render_markdown
from bench.targets import BY_KEY, TARGETS, median

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LARGE = BENCH / "large"
RESULTS_JSON = BENCH / "results.json"
RESULTS_MD = BENCH / "RESULTS.md"
MIGRAINE_CSV = ROOT / "tests" / "data" / "migraine_spreadsheet.csv"
STARTUP_RUNS = 5
LOAD_RUNS = 3
CLI_RUNS = 5
IMPORT_TOP = 15
# Not needed for the first window: the app must not import them before it has painted.
LAZY_MODULES = ("scipy", "viewer.export", "viewer.domain.readers.ctgov")
Json = dict[str, Any]
PHASE_NAMES = {
    "build_ms": "chart build (`viewer.charts` + `viewer.domain`)",
    "render_ms": "render (`ChartWidget.set_spec`)",
    "other_sync_ms": "state and other panes",
    "event_loop_ms": "event loop (layout + paint)",
}


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
    run([sys.executable, "-m", "cProfile", "-o", str(out), *cmd_tail], env, timeout=300)
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
    """(cumulative µs, depth, module) per line of ``-X importtime``, in output order."""
    rows = []
    for line in stderr.splitlines():
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
        "startup_s": app,
        "startup_ratio": app / bare,
        "details": {"app_s": runs["app"], "bare_s": runs["bare"], "bare_median_s": bare},
        "imports": importtime([str(BENCH / "startup_probe.py"), "app"], env),
    }
    if profile and (app > (BY_KEY["startup_s"].limit or 0) or app / bare > (BY_KEY["startup_ratio"].limit or 0)):
        out["profile"] = cprofile([str(BENCH / "startup_probe.py"), "app"], env, home)
    return out


# -- load --------------------------------------------------------------------------------------------


def section_load(env: dict[str, str], home: Path, profile: bool) -> Json:
    def once() -> tuple[float, float, int]:
        done = run([sys.executable, str(BENCH / "load_probe.py"), str(LARGE)], env, timeout=300)
        seconds, peak_mb, arms = done.stdout.split()[-3:]
        return float(seconds), float(peak_mb), int(arms)

    once()  # warm-up
    runs = [once() for _ in range(LOAD_RUNS)]
    arms = {a for _s, _m, a in runs}
    if arms != {100_000}:
        raise RuntimeError(f"the load probe saw {arms} arms, not 100,000: regenerate bench/large")
    out: Json = {
        "load_100k_s": median([s for s, _m, _a in runs]),
        "load_100k_rss_mb": median([m for _s, m, _a in runs]),
        "details": {"runs": [{"s": s, "peak_mb": m} for s, m, _a in runs]},
    }
    if profile and out["load_100k_s"] > (BY_KEY["load_100k_s"].limit or 0):
        out["profile"] = cprofile([str(BENCH / "load_probe.py"), str(LARGE)], env, home)
    return out


# -- in-process UI -----------------------------------------------------------------------------------


def section_ui(env: dict[str, str], profile: bool) -> Json:
    cmd = [sys.executable, "-m", "bench.ui_bench", "--large", str(LARGE), *([] if profile else ["--no-profile"])]
    done = run(cmd, env, timeout=600)
    data: Json = json.loads(done.stdout.strip().splitlines()[-1])
    out: Json = {"details": data}
    if "redraw" in data:
        out["redraw_p95_ms"] = data["redraw"]["p95_ms"]
    if "redraw_large" in data:
        out["redraw_large_p95_ms"] = data["redraw_large"]["p95_ms"]
    if "search" in data:
        out["search_p95_ms"] = data["search"]["p95_ms"]
    if "export" in data:
        for fmt in ("png", "svg", "pdf"):
            out[f"export_{fmt}_ms"] = data["export"][f"{fmt}_ms"]
    if "load_stall" in data:
        out["load_stall_max_ms"] = data["load_stall"]["max_ms"]
    if data.get("errors"):
        out["errors"] = data["errors"]
    return out


# -- command line against matplotlib -----------------------------------------------------------------


def section_cli(env: dict[str, str], home: Path, profile: bool) -> Json:
    if importlib.util.find_spec("matplotlib") is None:
        return {"skipped": "matplotlib is not installed: `.venv/bin/pip install -e '.[bench]'` (make bench does)"}
    cli = Path(sys.executable).with_name("drug-viewer")
    if not cli.exists():
        return {"skipped": f"{cli} not found: the package is not installed in this environment"}
    out_dir = home / "cli"
    out_dir.mkdir(exist_ok=True)
    ours = [str(cli), "export", "--data", str(MIGRAINE_CSV), "--outcome", "pain-free", "-o", str(out_dir / "dv.png")]
    theirs = [sys.executable, str(BENCH / "matplotlib_baseline.py"), str(MIGRAINE_CSV), str(out_dir / "mpl.png")]
    wall(ours, env)  # warm-ups: matplotlib builds its font cache on the first run in a fresh HOME
    wall(theirs, env)
    runs: dict[str, list[float]] = {"drug_viewer": [], "matplotlib": []}
    for _ in range(CLI_RUNS):
        runs["drug_viewer"].append(wall(ours, env))
        runs["matplotlib"].append(wall(theirs, env))
    for name in ("dv.png", "mpl.png"):
        if not (out_dir / name).stat().st_size:
            raise RuntimeError(f"{name} is empty")
    ratio = median(runs["drug_viewer"]) / median(runs["matplotlib"])
    out: Json = {
        "cli_vs_matplotlib_ratio": ratio,
        "details": {
            "drug_viewer_s": runs["drug_viewer"],
            "matplotlib_s": runs["matplotlib"],
            "drug_viewer_median_s": median(runs["drug_viewer"]),
            "matplotlib_median_s": median(runs["matplotlib"]),
        },
    }
    if profile and ratio > (BY_KEY["cli_vs_matplotlib_ratio"].limit or 0):
        tail = ["-m", "viewer", *ours[1:]]
        out["profile"] = cprofile(tail, env, home)
        out["imports"] = importtime(tail, env)
    return out


# -- statistics --------------------------------------------------------------------------------------


def section_stats() -> Json:
    from bench.bench_stats import run as run_stats

    return dict(run_stats())


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


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.1f} ms"


def verdict(key: str, results: Json) -> str:
    target = BY_KEY[key]
    if key not in results:
        return "skipped" if key in results.get("_skipped", {}) else "error"
    passed = target.passes(results[key])
    return "info" if passed is None else ("pass" if passed else "FAIL")


def table_rows(results: Json) -> list[tuple[str, str, str, str]]:
    rows = []
    for t in TARGETS:
        value = fmt(results[t.key], t.unit) if t.key in results else "-"
        limit = f"<= {fmt(t.limit, t.unit)}" if t.limit is not None else "(no target)"
        rows.append((t.key, value, limit, verdict(t.key, results)))
    return rows


def print_table(results: Json) -> None:
    rows = [("key", "value", "target", "result"), *table_rows(results)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print()
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if n == 0:
            print(line)
    for key, why in results.get("_skipped", {}).items():
        print(f"skipped {key}: {why}")
    for name, error in results.get("_errors", {}).items():
        print(f"error in {name}: {error.strip().splitlines()[-1]}")


def miss_text(key: str, value: float) -> str:
    t = BY_KEY[key]
    assert t.limit is not None
    over = value - t.limit
    ratio = value / t.limit
    return f"{fmt(value, t.unit)} against {fmt(t.limit, t.unit)}: over by {fmt(over, t.unit)} ({ratio:.1f}x the target)"


def profile_for(key: str, sections: Json) -> tuple[Json | None, str]:
    ui = sections.get("ui", {}).get("details", {})
    if key in ("startup_s", "startup_ratio"):
        return sections.get("startup", {}).get("profile"), "per launch (to the first paint)"
    if key == "redraw_p95_ms":
        return ui.get("redraw", {}).get("profile"), "per redraw"
    if key == "redraw_large_p95_ms":
        return ui.get("redraw_large", {}).get("profile"), "per redraw"
    if key == "search_p95_ms":
        return ui.get("search", {}).get("profile"), "per keystroke"
    if key.startswith("export_"):
        return ui.get("export", {}).get(f"{key.split('_')[1]}_profile"), "per export"
    if key.startswith("load_100k"):
        return sections.get("load", {}).get("profile"), "per load"
    if key == "cli_vs_matplotlib_ratio":
        return sections.get("cli", {}).get("profile"), "per command"
    return None, ""


def write_markdown(results: Json, sections: Json, info: Json, elapsed: float) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Generated by `make bench` (`python -m bench`); do not edit by hand, run it again.",
        f"Run on {info.get('date', '?')} in {elapsed:.0f} s.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines += ["", "## Figures", "", "| key | value | target | result |", "|---|---:|---:|---|"]
    lines += [f"| `{k}` | {v} | {t} | {r} |" for k, v, t, r in table_rows(results)]
    for key, why in results.get("_skipped", {}).items():
        lines.append(f"\nSkipped `{key}`: {why}")
    for name, error in results.get("_errors", {}).items():
        lines += ["", f"Section `{name}` failed:", "", "```", error.strip()[-1500:], "```"]

    lines += ["", "## Details", ""]
    ui = sections.get("ui", {}).get("details", {})
    startup = sections.get("startup", {})
    if startup:
        d = startup["details"]
        lines.append(
            f"- Start-up: app median {startup['startup_s']:.3f} s, bare PySide6 + pyqtgraph window "
            f"{d['bare_median_s']:.3f} s ({STARTUP_RUNS} runs each, alternating, after one warm-up each)."
        )
    for name, label in (("redraw", "shipped data"), ("redraw_large", "100,000 arms")):
        if name in ui:
            r = ui[name]
            lines.append(
                f"- Redraw, {label}: median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
                f"max {r['max_ms']:.1f} ms "
                f"(outcome changes {r['outcome_median_ms']:.1f} ms, tick changes {r['tick_median_ms']:.1f} ms median; "
                f"{r['paints_per_redraw']:g} paint(s) per redraw; drugs {', '.join(r['drugs'])}). "
                "Median split: "
                + ", ".join(
                    f"{k.removesuffix('_ms').replace('_', ' ')} {v:.1f} ms" for k, v in r["phases_median_ms"].items()
                )
                + " (build: `viewer.charts` + `viewer.domain`; render: `ChartWidget.set_spec`; other sync: state and "
                "the other panes; event loop: layout and paint)."
            )
    if "search" in ui:
        s = ui["search"]
        lines.append(
            f"- Search over {s['drugs']:,} drugs: median {s['median_ms']:.1f} ms per keystroke, "
            f"p95 {s['p95_ms']:.1f} ms; with the table's repaint p95 {s['with_repaint_p95_ms']:.1f} ms; "
            f"'Syntinib 12' leaves {s['rows_matching']} rows."
        )
    if "export" in ui:
        e = ui["export"]
        lines.append(
            "- Export 1920x1080 (median of 5 after a warm-up): "
            + ", ".join(
                f"{f.upper()} {e[f + '_ms']:.1f} ms ({e[f + '_bytes'] / 1024:.0f} KiB)" for f in ("png", "svg", "pdf")
            )
            + "."
        )
    if "load_stall" in ui:
        st = ui["load_stall"]
        lines.append(
            f"- Loading the 100k dataset in the window ({st['load_s']:.2f} s until `loader.finished`): "
            f"longest GUI stall {st['max_ms']:.0f} ms; while the worker reads {st['read_max_ms']:.0f} ms; "
            f"the merge on the GUI thread (catalog rebuild, table reset, chart rebuild in the finished slot) "
            f"{st['merge_ms']:.0f} ms. {NOTES['load_stall_max_ms']}"
        )
    cli = sections.get("cli", {})
    if "details" in cli:
        c = cli["details"]
        lines.append(
            f"- Command line: `drug-viewer export` median {c['drug_viewer_median_s']:.3f} s, matplotlib script "
            f"{c['matplotlib_median_s']:.3f} s ({CLI_RUNS} runs each, alternating, after one warm-up each)."
        )
    load = sections.get("load", {})
    if "details" in load:
        runs = ", ".join(f"{r['s']:.2f} s / {r['peak_mb']:.0f} MB" for r in load["details"]["runs"])
        lines.append(f"- Load of the 100k dataset in a fresh interpreter: {runs}.")

    imports = startup.get("imports")
    if imports:
        lines += [
            "",
            "## Start-up imports",
            "",
            f"`python -X importtime bench/startup_probe.py app`: {imports['modules']} modules, "
            f"{imports['total_ms']:.0f} ms of imports. The {IMPORT_TOP} largest by cumulative time:",
            "",
            "| cumulative ms | module |",
            "|---:|---|",
        ]
        lines += [f"| {r['cumulative_ms']:.1f} | {'  ' * r['depth']}`{r['module']}` |" for r in imports["top"]]
        lazy = imports["lazy_imported"]
        lines.append("")
        if lazy:
            lines.append("Imported before the first paint although not needed for it:")
            lines += [f"- `{m}` via {' → '.join(f'`{c}`' for c in chain)}" for m, chain in lazy.items()]
        else:
            lines.append(
                "None of scipy, `viewer.export` or the ClinicalTrials.gov (registry) readers is imported "
                "before the first paint."
            )

    misses = [t.key for t in TARGETS if t.limit is not None and t.key in results and not t.passes(results[t.key])]
    lines += ["", "## Misses", ""]
    if not misses:
        lines.append("Every target is met.")
    for key in misses:
        lines += [f"### `{key}`", "", miss_text(key, results[key]) + ".", ""]
        phases = ui.get({"redraw_p95_ms": "redraw", "redraw_large_p95_ms": "redraw_large"}.get(key, ""), {})
        if "phases_median_ms" in phases:
            split = phases["phases_median_ms"]
            lines += [
                "Median redraw without the profiler: "
                + ", ".join(f"{PHASE_NAMES[k]} {v:.1f} ms" for k, v in split.items())
                + f" (of {phases['median_ms']:.1f} ms).",
                "",
            ]
        summary, unit = profile_for(key, sections)
        if summary:
            lines += render_markdown(summary, unit)
        else:
            lines.append("(no profile: run `python -m bench` without `--no-profile`)")
        if key in NOTES:
            lines += ["", f"What to change (reading of the profiles, {ANALYSED}): {NOTES[key]}"]
        if key == "cli_vs_matplotlib_ratio" and cli.get("imports"):
            top = cli["imports"]["top"][:8]
            lines += [
                "",
                "Largest imports of the command: "
                + ", ".join(f"`{r['module']}` {r['cumulative_ms']:.0f} ms" for r in top),
            ]
        lines.append("")
    lines += [
        "## Method",
        "",
        "- Start-up: wall time from the parent starting the child interpreter to the end of the window's first paint "
        "pass (`bench/startup_probe.py`); HOME and XDG folders in a temporary directory.",
        "- Redraw: in-process window at 1440x900 (offscreen); time from the state change to the end of the event-loop "
        "round that painted the chart viewport, waiting until it stays quiet (a second paint is counted); outcomes "
        "ACR20/ACR50 alternate with a tick and an untick; 60 samples after 5 warm-ups.",
        "- Search: `QTest.keyClick` in the catalog pane's search box over 10,000 synthetic drugs, typing "
        "'Syntinib 12' and deleting it (3 rounds after one warm-up round); the filter runs inside the key press.",
        "- Export: `viewer.export.export_chart` of the default dose-response chart, 1920x1080 at 96 dpi.",
        "- Load stall: a 5 ms timer in the window's event loop while `open_paths([bench/large])` runs; "
        "longest gap between ticks.",
        "- Misses are profiled with cProfile (in-process: 20 more redraws, 22 more keystrokes); its overhead inflates "
        "Python-heavy code, so read the shares rather than the absolute milliseconds.",
        "",
    ]
    RESULTS_MD.write_text("\n".join(lines), encoding="utf-8")


# -- main --------------------------------------------------------------------------------------------


def ensure_large() -> None:
    if not (LARGE / "arms.csv").is_file() or not (LARGE / "results.csv").is_file():
        from bench.generate import generate

        print(f"generating {LARGE} (seeded, 100,000 arms) ...", flush=True)
        generate(LARGE)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure the performance targets.")
    parser.add_argument("--no-profile", action="store_true", help="do not profile the figures that miss")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a target is missed")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    started = time.perf_counter()
    info = machine()
    ensure_large()
    results: Json = {"_skipped": {}, "_errors": {}}
    sections: Json = {}
    profile = not args.no_profile
    with tempfile.TemporaryDirectory(prefix="drug-viewer-bench-") as tmp:
        home = Path(tmp)
        env = isolated_env(home)
        steps: list[tuple[str, Callable[[], Json]]] = [
            ("startup", lambda: section_startup(env, home, profile)),
            ("load", lambda: section_load(env, home, profile)),
            ("ui", lambda: section_ui(env, profile)),
            ("cli", lambda: section_cli(env, home, profile)),
            ("stats", section_stats),
        ]
        for name, step in steps:
            start = time.perf_counter()
            print(f"bench: {name} ...", flush=True)
            try:
                section = step()
            except Exception:
                results["_errors"][name] = traceback.format_exc()
                section = {}
            sections[name] = section
            if "skipped" in section:
                results["_skipped"]["cli_vs_matplotlib_ratio"] = section["skipped"]
            for key, error in section.get("errors", {}).items():
                results["_errors"][f"{name}.{key}"] = error
            results.update({k: v for k, v in section.items() if k in BY_KEY})
            print(f"bench: {name} done in {time.perf_counter() - start:.1f} s", flush=True)
    elapsed = time.perf_counter() - started
    print_table(results)
    lazy = sections.get("startup", {}).get("imports", {}).get("lazy_imported")
    if lazy is not None:
        found = ", ".join(f"{m} (via {' -> '.join(chain)})" for m, chain in lazy.items())
        print("imported before the first paint:", found or "none of scipy, viewer.export, the registry readers")
    figures = {t.key: round(results[t.key], 4) for t in TARGETS if t.key in results}
    payload = {
        **figures,
        "machine": info,
        "targets": {t.key: t.limit for t in TARGETS},
        "skipped": results["_skipped"],
        "errors": results["_errors"],
        "details": sections,
        "elapsed_s": round(elapsed, 1),
    }
    RESULTS_JSON.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    write_markdown(results, sections, info, elapsed)
    print(f"\nwrote {RESULTS_JSON.relative_to(ROOT)} and {RESULTS_MD.relative_to(ROOT)} ({elapsed:.0f} s)")
    missed = any(verdict(t.key, results) == "FAIL" for t in TARGETS)
    return 1 if args.strict and (missed or results["_errors"]) else 0


if __name__ == "__main__":
    sys.exit(main())

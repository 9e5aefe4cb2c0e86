"""The figures of a ``make bench`` run as a table of ratios (printed, and ``bench/RESULTS.md``).

:func:`figures` reads each section's details into one row per key of :mod:`bench.targets`: the value (a
ratio, or the few absolute figures the issue sets), the absolute times it came from (context only: they
swing between runs on a shared machine, the ratios much less) and the verdict. RESULTS.md adds the growth
exponents, the start-up imports and, for every miss, its profile and the reading of it in
:mod:`bench.notes`.
"""

from __future__ import annotations

from typing import Any

from bench.notes import ANALYSED, NOTES
from bench.profiling import render_markdown
from bench.targets import BY_KEY, SIZE_NAMES, TARGETS

Json = dict[str, Any]
RESULTS_MD = "bench/RESULTS.md"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def figures(sections: Json) -> dict[str, Json]:
    """Each measured key: ``value``, ``context`` (what was compared, absolute) and ``profile`` when one was taken."""
    rows: dict[str, Json] = {}

    def put(key: str, value: float, context: str, profile: Json | None = None) -> None:
        rows[key] = {"value": value, "context": context, "profile": profile}

    startup = sections.get("startup", {})
    if "startup_ratio" in startup:
        d = startup["details"]
        put(
            "startup_ratio",
            startup["startup_ratio"],
            f"app {_ms(d['app_median_s'])}, bare window {_ms(d['bare_median_s'])}",
            startup.get("profile"),
        )
    for name, r in sections.get("redraw", {}).items():
        if isinstance(r, dict) and "ratio" in r:
            put(
                f"redraw_{name}_ratio",
                r["ratio"],
                f"app {r['app_ms']:.1f} ms, bare pyqtgraph {r['bare_ms']:.1f} ms ({r['marks']} marks)",
                r.get("profile"),
            )
    cli = sections.get("cli", {})
    if "details" in cli:
        m = cli["details"]["median_s"]
        put(
            "cli_png_vs_matplotlib_ratio",
            cli["cli_png_vs_matplotlib_ratio"],
            f"drug-viewer {_ms(m['drug_viewer'])}, matplotlib {_ms(m['matplotlib'])}",
            cli.get("profile"),
        )
        put(
            "cli_png_vs_pyqtgraph_ratio",
            cli["cli_png_vs_pyqtgraph_ratio"],
            f"drug-viewer {_ms(m['drug_viewer'])}, pyqtgraph {_ms(m['pyqtgraph'])}",
        )
    scaling = sections.get("scaling", {})
    profiles = scaling.get("profiles", {})

    def sized(prefix: str, r: Json, value: float, context: str, count: str = "arms") -> None:
        """A figure measured at one size of the scaling section, with the profile taken when it missed."""
        key = f"{prefix}_{SIZE_NAMES.get(r[count])}"
        put(key, value, context, profiles.get(key))

    for r in _rows(scaling, "load"):
        sized("load_ratio", r, r["load_ratio"], f"load {_ms(r['load_s'])}, parse {_ms(r['floor_s'])}")
        sized("load_memory_ratio", r, r["memory_ratio"], f"load {r['load_mb']:.0f} MB, parse {r['floor_mb']:.0f} MB")
    for r in _rows(scaling, "load_ae"):
        sized("load_ae_ratio", r, r["load_ratio"], f"load {_ms(r['load_s'])}, parse {_ms(r['floor_s'])}", "rows")
        memory = f"load {r['load_mb']:.0f} MB, parse {r['floor_mb']:.0f} MB"
        sized("load_ae_memory_ratio", r, r["memory_ratio"], memory, "rows")
    for r in _rows(scaling, "effects"):
        ref = f"vectorised functions {r['reference_s'] * 1000:.2f} ms"
        if "columnar_ratio" in r:
            sized("effects_ratio", r, r["columnar_ratio"], f"columnar {r['columnar_s'] * 1000:.2f} ms, {ref}")
        if "object_ratio" in r:
            sized("effects_object_ratio", r, r["object_ratio"], f"object path {_ms(r['object_s'])}, {ref}")
    for r in _rows(scaling, "export"):
        sized(
            "export_ratio", r, r["ratio"], f"drug-viewer {_ms(r['ours_s'])}, matplotlib + numpy {_ms(r['reference_s'])}"
        )
    for r in _rows(scaling, "search"):
        keystroke = f"keystroke {r['median_ms']:.2f} ms, list comprehension {r['reference_median_ms']:.2f} ms"
        sized("search_ratio", r, r["ratio"], keystroke, "drugs")
        cold = f"p95 {r['p95_ms']:.1f} ms, first round max {r['cold_max_ms']:.1f} ms"
        sized("search_ms", r, r["median_ms"], cold, "drugs")
    for r in _rows(scaling, "stall"):
        while_reading = (
            f"while reading {r['read_max_ms']:.0f} ms, swap {r['merge_ms']:.0f} ms, load {r['load_s']:.1f} s"
        )
        sized("stall_ms", r, r["max_ms"], while_reading)
    registry = _rows(scaling, "registry")
    if registry:
        worst = max(registry, key=lambda r: r["kept_kb"])
        put(
            "registry_kb_max",
            worst["kept_kb"],
            f"{worst['record']}: {worst['arms']} arms, {worst['results']} results; "
            f"{len(registry)} records, median {_median_kb(registry):.1f} KB",
        )
    return {t.key: rows[t.key] for t in TARGETS if t.key in rows}


def _median_kb(registry: list[Json]) -> float:
    return sorted(r["kept_kb"] for r in registry)[len(registry) // 2]


def _rows(scaling: Json, part: str) -> list[Json]:
    value = scaling.get(part, [])
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "KB":
        return f"{value:.1f} KB"
    return f"{value:.1f} ms"


def verdict(key: str, value: float) -> str:
    passed = BY_KEY[key].passes(value)
    return "info" if passed is None else ("pass" if passed else "FAIL")


def table_rows(results: dict[str, Json]) -> list[tuple[str, str, str, str, str]]:
    out = []
    for key, row in results.items():
        t = BY_KEY[key]
        limit = f"<= {fmt(t.limit, t.unit)}" if t.limit is not None else "-"
        out.append((key, fmt(row["value"], t.unit), limit, verdict(key, row["value"]), row["context"]))
    return out


def print_table(results: dict[str, Json], sections: Json, errors: dict[str, str]) -> None:
    rows = [("key", "value", "target", "result", "measured (context)"), *table_rows(results)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print()
    for n, row in enumerate(rows):
        print("  ".join([*(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)), row[4]]))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for g in sections.get("scaling", {}).get("growth", []):
        print(f"growth of {g['figure']}: ours {_exp(g['ours'])}, reference {_exp(g['reference'])}")
    for why in sections.get("scaling", {}).get("skipped", {}).items():
        print(f"skipped {why[0]}: {why[1]}")
    for name, error in {**errors, **sections.get("scaling", {}).get("errors", {})}.items():
        print(f"error in {name}: {error.strip().splitlines()[-1]}")


def _exp(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def write_markdown(
    results: dict[str, Json], sections: Json, errors: dict[str, str], info: Json, elapsed: float
) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Generated by `make bench` (`python -m bench`); do not edit by hand, run it again.",
        f"Run on {info.get('date', '?')} in {elapsed:.0f} s. Every figure is ours over a reference measured in "
        "the same run; the absolute times are context only (they swing between runs on this shared machine).",
        "",
        "## Figures",
        "",
        "| key | value | target | result | measured (context) |",
        "|---|---:|---:|---|---|",
    ]
    lines += [f"| `{k}` | {v} | {t} | {r} | {c} |" for k, v, t, r, c in table_rows(results)]
    missing = [t.key for t in TARGETS if t.key not in results and t.limit is not None]
    if missing:
        lines += ["", "Not measured in this run: " + ", ".join(f"`{k}`" for k in missing) + "."]
    scaling = sections.get("scaling", {})
    for part, why in scaling.get("skipped", {}).items():
        lines.append(f"\nSkipped {part}: {why}")
    for name, error in {**errors, **scaling.get("errors", {})}.items():
        lines += ["", f"Section `{name}` failed:", "", "```", error.strip()[-1500:], "```"]
    growth = scaling.get("growth", [])
    if growth:
        lines += [
            "",
            "## Growth",
            "",
            "Least-squares slope of log(time) on log(size) (1.0: linear in the arms, or drugs for search).",
            "",
            "| figure | sizes | ours | reference |",
            "|---|---|---:|---:|",
        ]
        for g in growth:
            sizes = ", ".join(f"{s:,}" for s in g["sizes"])
            lines.append(f"| {g['figure']} | {sizes} | {_exp(g['ours'])} | {_exp(g['reference'])} |")
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines += _imports(sections.get("startup", {}).get("imports"))
    lines += _misses(results, sections)
    lines += METHOD
    with open(RESULTS_MD, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


def _imports(imports: Json | None) -> list[str]:
    if not imports:
        return []
    lines = [
        "",
        "## Start-up imports",
        "",
        f"`python -X importtime bench/startup_probe.py app`: {imports['modules']} modules, "
        f"{imports['total_ms']:.0f} ms of imports. The largest by cumulative time:",
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
        lines.append("None of scipy, `viewer.export` or the registry readers is imported before the first paint.")
    return lines


def _misses(results: dict[str, Json], sections: Json) -> list[str]:
    misses = [k for k, row in results.items() if BY_KEY[k].passes(row["value"]) is False]
    lines = ["", "## Misses", ""]
    if not misses:
        lines.append("Every target measured in this run is met.")
    for key in misses:
        t, row = BY_KEY[key], results[key]
        assert t.limit is not None
        by = f"{fmt(row['value'], t.unit)} against {fmt(t.limit, t.unit)} ({row['context']})."
        lines += [f"### `{key}`", "", by, ""]
        if row.get("profile"):
            profile = row["profile"]
            sizes = [f" (at {at:,} {what})" for what in ("arms", "rows") if (at := profile.get(f"profiled_{what}"))]
            lines += render_markdown(profile, "per run of the figure" + "".join(sizes))
        else:
            lines.append("(no profile in this run)")
        note = NOTES.get(key) or NOTES.get(key.rsplit("_", 1)[0])
        if note:
            lines += ["", f"Reading of the profiles ({ANALYSED}): {note}"]
        cli = sections.get("cli", {})
        if key == "cli_png_vs_matplotlib_ratio" and cli.get("imports"):
            top = cli["imports"]["top"][:8]
            largest = ", ".join(f"`{r['module']}` {r['cumulative_ms']:.0f} ms" for r in top)
            lines += ["", f"Largest imports of the command: {largest}"]
        lines.append("")
    return lines


METHOD = [
    "## Method",
    "",
    "- Start-up: wall time from the parent starting the child interpreter to the end of the window's first paint "
    "pass (`bench/startup_probe.py`), app and bare PySide6 + pyqtgraph window alternating, 5 runs each after a "
    "warm-up; HOME and XDG folders in a temporary directory.",
    "- Redraw (`bench/redraw.py`): `set_spec`, the fit to the pane and a synchronous paint of a 1440x900 chart, "
    "against bare pyqtgraph drawing the same markers (same sizes), whiskers and lines in the same panel grid; "
    "medians of 15, alternating. The charts as the window draws four drugs: the shipped dose-response chart in "
    "its 2x2 drug panels (the default), a synthetic forest plot of 40 and 2,000 rows as one plot with drug "
    "headings and as stacked drug panels (the default).",
    "- Command line: `drug-viewer export` of the migraine CSV to PNG against `bench/matplotlib_baseline.py` and "
    "`bench/pyqtgraph_baseline.py` (fresh interpreters, 5 runs each, alternating, after a warm-up).",
    "- Load, effects, registry memory: `bench/core_measure.py`; search: `bench/ui_search.py`; stall: "
    "`bench/ui_stall.py`; export from N arms: `drug-viewer export` of 4 drugs against `bench/matplotlib_numpy.py` "
    "(`bench/scaling.py`). Datasets: `bench/generate.py` at N arms (5 a trial), generated once into bench/large/.",
    "- Load of N adverse events: as the load, on a folder of N adverse-event rows, two an arm (a count on the "
    "arm's n, a percentage of an n of its own), with their arms and trials and no results "
    "(`bench/generate.py` `adverse_dataset`).",
    "- Misses are profiled with cProfile; its overhead inflates Python-heavy code, so read the shares rather than "
    "the absolute milliseconds.",
    "",
]

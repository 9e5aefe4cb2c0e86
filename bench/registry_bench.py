"""Registry benchmark: an AACT-shaped registry in both engines (``make bench-registry``; optional, long).

    python -m bench.registry_bench [--studies 500000] [--no-postgres | --no-local]

Generates ``--studies`` synthetic studies as AACT's flat-file zip (bench/registry_generate.py), imports
it into the local copy (DuckDB) and COPYs the same files into PostgreSQL (a throwaway server unless
``DRUG_VIEWER_TEST_PG`` names one) and builds its search tables there (``registry prepare``), then
measures per engine:

* search latency per keystroke: the drug search as each letter of a drug name is typed;
* picking three drugs (most studied, 10th, 100th) to their rows: selection, every AACT row of the chosen
  studies, the builder's rules, the Dataset and a Catalog of it;
* peak memory of that pick (Python heap by tracemalloc; process RSS as context);
* import time of the flat files (local copy), load time on PostgreSQL (COPY, nct_id indexes, search tables).

Each figure is also given as a ratio to the engine's own bare query for the same rows: the same SQL run
through the driver with nothing else (for a pick: the selection SQL and the same SELECTs of every table),
for the import DuckDB reading the same extracted files with ``read_csv`` into tables, for the PostgreSQL
load its COPY of the files alone. Absolute times are context only: the machines are shared. Writes
bench/registry_results.json (a run of one engine keeps the other engine's last figures at the same size)
and prints the table; bench/REGISTRY.md keeps every run's table with what ran beside it, by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from bench.registry_generate import generate
from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.registry import RegistrySource, SearchQuery, open_registry, prepared
from viewer.domain.registry.flatfiles import import_flatfiles
from viewer.domain.registry.schema import SCHEMA, TABLES, columns
from viewer.domain.registry.search import drugs_sql, studies_sql
from viewer.query_rules import fit_query

ROOT = Path(__file__).resolve().parent.parent
LARGE = ROOT / "bench" / "large" / "registry"
DDL = ROOT / "tests" / "data" / "aact" / "ctgov_subset.sql"
WORDS = ("adalimumab", "semaglutide")
PICK = ("adalimumab", "guselkumab", "syntinib-0100")  # ranks 0, 13, 100 of the skewed draw
Json = dict[str, Any]


def timed(work: Callable[[], object], repeat: int = 3) -> float:
    """Median seconds of ``repeat`` runs after one warm-up."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_rows(registry: RegistrySource, sql: str, params: list[object]) -> list[tuple[Any, ...]]:
    return registry._rows(sql, params)


def same_sql(registry: RegistrySource, query: SearchQuery, kind: str) -> tuple[str, list[object]]:
    """The SQL the registry itself runs for ``query`` (``kind``: 'drugs' or 'studies'), for the bare floor."""
    if registry.prepared and prepared.applies(query):
        return prepared.drugs_sql(query) if kind == "drugs" else prepared.studies_sql(query)
    return drugs_sql(query, registry.prepared) if kind == "drugs" else studies_sql(query, registry.prepared)


def keystrokes(registry: RegistrySource) -> Json:
    """The drug search as each letter is typed; on the local copy also the same search over the AACT
    tables themselves (what it ran before the prepared search table), and the window's whole keystroke
    (drug counts, the newest 200 studies with results and how many match)."""
    ours, bare, tables, window = [], [], [], []
    for word in WORDS:
        for end in range(1, len(word) + 1):
            query = SearchQuery(text=word[:end])
            sql, params = same_sql(registry, query, "drugs")
            ours.append(timed(lambda q=query: registry.search_drugs(q)))
            bare.append(timed(lambda s=sql, p=params: bare_rows(registry, s, p)))
            if registry.prepared:
                plain, plain_params = drugs_sql(query)
                tables.append(timed(lambda s=plain, p=plain_params: bare_rows(registry, s, p)))
            listed = SearchQuery(text=word[:end], has_results=True, limit=200)
            window.append(
                timed(
                    lambda q=listed: (registry.search_drugs(q), registry.search_studies(q), registry.count_studies(q)),
                    repeat=1,
                )
            )
    ratios = [o / b for o, b in zip(ours, bare, strict=True)]
    out = {
        "keystrokes": len(ours),
        "first_ms": ours[0] * 1000,
        "median_ms": statistics.median(ours) * 1000,
        "max_ms": max(ours) * 1000,
        "bare_median_ms": statistics.median(bare) * 1000,
        "ratio_median": statistics.median(ratios),
        "window_first_ms": window[0] * 1000,
        "window_median_ms": statistics.median(window) * 1000,
        "window_max_ms": max(window) * 1000,
    }
    if tables:
        out |= {
            "tables_first_ms": tables[0] * 1000,
            "tables_median_ms": statistics.median(tables) * 1000,
            "tables_max_ms": max(tables) * 1000,
        }
    return out


def pick(registry: RegistrySource) -> Json:
    ncts = registry.select(drugs=PICK)

    def charts(catalog: Catalog) -> object:
        """The forest of the three drugs (their studies also bring second drugs): a panel per drug."""
        drugs = tuple(re.sub(r"[^a-z0-9]", "", drug) for drug in PICK)
        return build_chart(ChartKind.FOREST, catalog, fit_query(Query(drugs=drugs), catalog))

    def ours() -> object:
        chosen = registry.select(drugs=PICK)
        dataset = registry.load(chosen, None)
        return charts(Catalog.from_datasets([dataset]))

    def bare() -> object:
        for drug in PICK:
            sql, params = same_sql(registry, SearchQuery(text=drug, has_results=True, limit=200), "studies")
            registry._rows(sql, params)
        out = []
        for table in TABLES:
            cols = columns(table)
            sql = f"SELECT {', '.join(cols)} FROM {SCHEMA}.{table} WHERE nct_id = ANY(%s)"
            out.append(registry._rows(sql, [list(ncts)]))
        return out

    seconds = timed(ours, repeat=3)
    floor = timed(bare, repeat=3)
    rows = timed(lambda: registry.read_rows(ncts), repeat=3)  # the engine's part: every row, in id order
    catalog = Catalog.from_datasets([registry.load(ncts, None)])
    drawn = timed(lambda: charts(catalog), repeat=3)
    tracemalloc.start()
    dataset = registry.load(ncts, None)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "studies": len(ncts),
        "results": len(dataset.results),
        "adverse_events": len(dataset.adverse_events),
        "seconds": seconds,
        "bare_seconds": floor,
        "ratio": seconds / floor,
        "rows_seconds": rows,
        "rows_ratio": rows / floor,
        "charts_seconds": drawn,
        "peak_python_mb": peak / 2**20,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def local_import(archive: Path) -> Json:
    destination = LARGE / "aact.duckdb"
    destination.unlink(missing_ok=True)
    start = time.perf_counter()
    report = import_flatfiles(archive, destination)
    ours = time.perf_counter() - start
    floor_db = LARGE / "bare.duckdb"
    floor_db.unlink(missing_ok=True)
    start = time.perf_counter()
    conn = duckdb.connect(str(floor_db))
    for table in TABLES:
        conn.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, delim = '|', header = true)",
            [str(LARGE / f"{table}.txt")],
        )
    conn.close()
    bare = time.perf_counter() - start
    floor_db.unlink(missing_ok=True)
    return {
        "seconds": ours,
        "bare_seconds": bare,
        "ratio": ours / bare,
        "studies": report.studies,
        "zip_mb": archive.stat().st_size / 2**20,
        "copy_mb": destination.stat().st_size / 2**20,
    }


def postgres_load(url: str, root: Path = LARGE, name: str = "dv_bench_registry") -> tuple[str, Json]:
    """A fresh database ``name`` with AACT's DDL, the files of ``root`` COPYed in, nct_id indexes and the
    search tables (``registry prepare``); the URL and the seconds of each step."""
    import psycopg

    from tests.registry.conftest import with_database
    from viewer.domain.registry.pgprepare import prepare_postgres

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    target = with_database(url, name)
    copy_s = index_s = 0.0
    with psycopg.connect(target) as conn:
        conn.execute(DDL.read_text(encoding="utf-8"))  # type: ignore[arg-type]
        for table in TABLES:
            names = ", ".join(columns(table))
            for stamp in ("created_at", "updated_at"):  # AACT fills these; the files keep only studies.updated_at
                if table in ("studies", "reported_event_totals") and stamp not in columns(table):
                    conn.execute(f"ALTER TABLE {SCHEMA}.{table} ALTER COLUMN {stamp} DROP NOT NULL")  # type: ignore[arg-type]
            start = time.perf_counter()
            with (
                (root / f"{table}.txt").open("rb") as source,
                conn.cursor().copy(
                    f"COPY {SCHEMA}.{table} ({names}) FROM STDIN WITH (FORMAT csv, DELIMITER '|', HEADER true)"  # type: ignore[arg-type]
                ) as copy,
            ):
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            copy_s += time.perf_counter() - start
            start = time.perf_counter()
            conn.execute(f"CREATE INDEX ON {SCHEMA}.{table} (nct_id)")  # type: ignore[arg-type]
            index_s += time.perf_counter() - start
        start = time.perf_counter()
        conn.execute("ANALYZE")
        index_s += time.perf_counter() - start
    start = time.perf_counter()
    prepare_postgres(target)
    prepare_s = time.perf_counter() - start
    return target, {
        "copy_s": copy_s,
        "index_s": index_s,
        "prepare_s": prepare_s,
        "seconds": copy_s + index_s + prepare_s,
        "ratio": (copy_s + index_s + prepare_s) / copy_s,
    }


def engine(registry: RegistrySource) -> Json:
    return {"keystrokes": keystrokes(registry), "pick": pick(registry)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.registry_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=500_000)
    engines = parser.add_mutually_exclusive_group()
    engines.add_argument("--no-postgres", action="store_true", help="the local copy only")
    engines.add_argument("--no-local", action="store_true", help="PostgreSQL only (no DuckDB import)")
    args = parser.parse_args(argv)
    results: Json = {"studies": args.studies}
    start = time.perf_counter()
    archive = generate(LARGE, args.studies)
    results["generate_s"] = time.perf_counter() - start
    if not args.no_local:
        results["local_import"] = local_import(archive)
        with open_registry(str(LARGE / "aact.duckdb")) as local:
            results["local"] = engine(local)
    if not args.no_postgres:
        server = None
        url = os.environ.get("DRUG_VIEWER_TEST_PG", "")
        if not url:
            from tests.registry.pgserver import start as start_server

            server = start_server()
            url = server.url
        try:
            target, load = postgres_load(url)
            results["postgres_load"] = load
            with open_registry(target, timeout_s=60) as pg:
                assert pg.prepared, "the search tables were built from this snapshot"
                results["postgres_version"] = pg._rows("SHOW server_version", [])[0][0]
                results["postgresql"] = engine(pg)
        finally:
            if server is not None:
                server.stop()
    write(results)
    return 0


def write(results: Json) -> None:
    path = ROOT / "bench" / "registry_results.json"
    kept: Json = json.loads(path.read_text()) if path.exists() else {}
    if kept.get("studies") == results["studies"]:  # one engine's run keeps the other's figures
        results = kept | results
    path.write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Registry benchmark",
        "",
        f"{results['studies']:,} synthetic AACT-shaped studies (skewed drugs; see `bench/registry_generate.py`); "
        "`python -m bench.registry_bench`. Ratios are to the engine's own bare query for the same rows "
        "(the same SQL through the driver alone); absolute times are context (shared, noisy machine).",
        "",
        "| figure | engine | ours | bare query | ratio |",
        "|---|---|---:|---:|---:|",
    ]
    if imp := results.get("local_import"):
        lines.append(
            f"| import of the flat files ({imp['zip_mb']:.0f} MB zip) | local (DuckDB) | {imp['seconds']:.1f} s | "
            f"{imp['bare_seconds']:.1f} s (read_csv into tables) | {imp['ratio']:.2f} |"
        )
    if load := results.get("postgres_load"):
        lines.append(
            f"| load of the same files (COPY {load['copy_s']:.1f} s + nct_id indexes and ANALYZE "
            f"{load['index_s']:.1f} s + search tables {load['prepare_s']:.1f} s) | postgresql | "
            f"{load['seconds']:.1f} s | {load['copy_s']:.1f} s (COPY alone) | {load['ratio']:.2f} |"
        )
    for name in ("local", "postgresql"):
        if name not in results:
            continue
        k, p = results[name]["keystrokes"], results[name]["pick"]
        before = ""
        if "tables_median_ms" in k:
            before = (
                f"| the same drug search over the AACT tables (no search table), first / median / slowest | {name} | "
                f"{k['tables_first_ms']:.0f} / {k['tables_median_ms']:.0f} / {k['tables_max_ms']:.0f} ms | | "
                f"{k['tables_max_ms'] / k['max_ms']:.1f}x slower at worst |"
            )
        lines += [
            f"| drug search, first keystroke ('{WORDS[0][0]}') | {name} | {k['first_ms']:.0f} ms | | |",
            f"| search per keystroke, median ({k['keystrokes']} keystrokes) | {name} | {k['median_ms']:.0f} ms | "
            f"{k['bare_median_ms']:.0f} ms | {k['ratio_median']:.2f} |",
            f"| search per keystroke, slowest | {name} | {k['max_ms']:.0f} ms | | |",
            *([before] if before else []),
            f"| window keystroke (drug counts + newest 200 studies + match count), first / median / slowest | {name} | "
            f"{k['window_first_ms']:.0f} / {k['window_median_ms']:.0f} / {k['window_max_ms']:.0f} ms | | |",
            f"| pick 3 drugs -> rows and charts ({p['studies']} studies, {p['results']} results, "
            f"{p['adverse_events']} AEs) | {name} | {p['seconds'] * 1000:.0f} ms | "
            f"{p['bare_seconds'] * 1000:.0f} ms | {p['ratio']:.2f} |",
            *(
                [
                    f"| of which the rows of those studies through the registry (every table, id order) | {name} | "
                    f"{p['rows_seconds'] * 1000:.0f} ms | {p['bare_seconds'] * 1000:.0f} ms | {p['rows_ratio']:.2f} |",
                    f"| of which the forest of the 3 drugs (a panel each) | {name} | "
                    f"{p['charts_seconds'] * 1000:.0f} ms | | |",
                ]
                if "rows_seconds" in p
                else []
            ),
            f"| peak Python memory of that pick | {name} | {p['peak_python_mb']:.1f} MB | | |",
        ]
    rss = max(results[n]["pick"]["rss_mb"] for n in ("local", "postgresql") if n in results)
    lines += ["", f"Process peak RSS at the end: {rss:.0f} MB."]
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())

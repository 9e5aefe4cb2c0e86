"""The command line: launch the window, list the catalog, export a chart or its numbers headless.

Bad input ends with exit code 2 and a located message on stderr, never a traceback, so scripts and
people get the same answer the window's dialog gives.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from viewer import __version__
from viewer.charts.query import DEFAULT_DRUGS, DiffCI, Effect, Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.model import Origin
from viewer.domain.readers import load_path
from viewer.paths import shipped_datasets

EXIT_USAGE = 2
DISCLAIMER = "Evidence summary for healthcare professionals; not medical advice."


class UsageError(Exception):
    """A request the catalog cannot answer (unknown drug, ambiguous outcome); the message lists choices."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drug-viewer",
        description="Compare drugs side by side on the trial evidence. Without a command, opens the window.",
        epilog=DISCLAIMER,
    )
    parser.add_argument("--version", action="version", version=f"drug-viewer {__version__}")
    data_help = "add a dataset folder, spreadsheet CSV or ClinicalTrials.gov record (repeatable)"
    parser.add_argument("--data", action="append", type=Path, default=[], metavar="FILE", help=data_help)
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lister = sub.add_parser("list", help="print the catalog's drugs, trials or outcomes")
    lister.add_argument("what", choices=("drugs", "trials", "outcomes"))
    lister.add_argument("--data", action="append", type=Path, default=[], metavar="FILE", dest="more_data")

    exp = sub.add_parser("export", help="export a chart (PNG, SVG, PDF) or its numbers (CSV) headless")
    exp.add_argument("-o", "--output", type=Path, required=True, help="file to write; .png, .svg, .pdf or .csv")
    exp.add_argument("--chart", choices=[k.value for k in ChartKind], default=ChartKind.DOSE_RESPONSE.value)
    exp.add_argument("--drug", action="append", default=[], help="drug name, brand or code (repeatable)")
    exp.add_argument("--outcome", default="ACR20", help="outcome id or a piece of its title")
    exp.add_argument("--population", default="", help="only trials of this population (e.g. MTX-IR)")
    exp.add_argument("--timepoint", default="", help="only results at this timepoint (e.g. 'week 12')")
    exp.add_argument("--effect", choices=[e.value for e in Effect], default=Effect.RD.value)
    exp.add_argument("--ci", choices=[c.value for c in DiffCI], default=DiffCI.NEWCOMBE.value)
    exp.add_argument("--adjusted", action="store_true", help="plot the difference from placebo")
    exp.add_argument("--emax", action="store_true", help="add a fitted Emax curve")
    exp.add_argument("--log-dose", action="store_true", help="log dose axis")
    exp.add_argument("--verified-only", action="store_true", help="hide secondary and unverified figures")
    exp.add_argument("--ae", default="any adverse event", help="adverse-event term for the tolerability chart")
    exp.add_argument("--width", type=int, default=1920)
    exp.add_argument("--height", type=int, default=1080)
    exp.add_argument("--dpi", type=int, default=96)
    exp.add_argument("--data", action="append", type=Path, default=[], metavar="FILE", dest="more_data")

    desk = sub.add_parser("install-desktop", help="add drug-viewer to this user's application menu (Linux)")
    desk.add_argument("--uninstall", action="store_true", help="remove the menu entry, icons and metadata")
    return parser


def run_install_desktop(args: argparse.Namespace, out: TextIO) -> int:
    from viewer import desktop

    root = desktop.data_home()
    if args.uninstall:
        removed = desktop.uninstall(root)
        out.write("".join(f"removed {p}\n" for p in removed) or "nothing to remove\n")
        return 0
    for path in desktop.install(desktop.current_executable(), root):
        out.write(f"wrote {path}\n")
    return 0


def load(paths: Sequence[Path]) -> tuple[Catalog, tuple[str, ...]]:
    """The shipped catalog plus the given files; returns the catalog and the drug ids the files brought."""
    datasets = [load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets()]
    added: list[str] = []
    for path in paths:
        dataset = load_path(path, Catalog.from_datasets(datasets))
        datasets.append(dataset)
        added += [a.drug_id for a in dataset.arms if a.drug_id and a.role.value == "drug"]
    return Catalog.from_datasets(datasets), tuple(dict.fromkeys(added))


def resolve_drugs(catalog: Catalog, names: Sequence[str]) -> tuple[str, ...]:
    ids = []
    for name in names:
        drug = catalog.find_drug(name)
        if drug is None:
            choices = ", ".join(sorted(d.name for d in catalog.drugs.values()))
            raise UsageError(f"unknown drug {name!r}; choose from: {choices}")
        ids.append(drug.id)
    return tuple(dict.fromkeys(ids))


def resolve_outcome(catalog: Catalog, text: str) -> str:
    """An outcome id, or a unique case-insensitive piece of an outcome's title."""
    available = catalog.outcome_ids()
    if text in available:
        return text
    needle = text.casefold()
    exact = [o for o in available if o.casefold() == needle]
    if len(exact) == 1:
        return exact[0]
    matches = [o for o in available if needle in o.casefold() or needle in catalog.outcomes[o].title.casefold()]
    if len(matches) == 1:
        return matches[0]
    choices = "\n  ".join(f"{o}: {catalog.outcomes[o].title}" for o in available)
    problem = "ambiguous" if matches else "unknown"
    raise UsageError(f"{problem} outcome {text!r}; choose one of:\n  {choices}")


def run_list(catalog: Catalog, what: str, out: TextIO) -> int:
    if what == "drugs":
        for d in sorted(catalog.drugs.values(), key=lambda d: d.name.casefold()):
            extra = ", ".join((*d.brands, *d.codes))
            out.write(f"{d.id}\t{d.name}" + (f"\t({extra})" if extra else "") + "\n")
    elif what == "trials":
        for t in sorted(catalog.trials.values(), key=lambda t: t.name.casefold()):
            out.write(f"{t.id}\t{t.name}\t{t.nct or '-'}\t{t.population}\n")
    else:
        for o in catalog.outcome_ids():
            out.write(f"{o}\t{catalog.outcomes[o].title}\n")
    return 0


def run_export(catalog: Catalog, args: argparse.Namespace, added: tuple[str, ...], out: TextIO) -> int:
    drugs = resolve_drugs(catalog, args.drug) if args.drug else (added or DEFAULT_DRUGS)
    kind = ChartKind(args.chart)
    outcome = resolve_outcome(catalog, args.outcome) if kind is not ChartKind.SELECTIVITY else "ACR20"
    query = Query(
        drugs=drugs[:4] if kind is ChartKind.SELECTIVITY else drugs,
        outcome=outcome,
        timepoint=args.timepoint,
        population=args.population,
        adjusted=args.adjusted,
        effect=Effect(args.effect),
        diff_ci=DiffCI(args.ci),
        log_dose=args.log_dose,
        emax=args.emax,
        verified_only=args.verified_only,
        ae_term=args.ae,
    )
    suffix = args.output.suffix.lower()
    from viewer.export import ExportError, export_chart, write_csv

    try:
        if suffix == ".csv":
            from viewer.charts.table import chart_rows

            columns, rows = chart_rows(kind, catalog, query)
            path = write_csv(rows, columns, args.output)
        else:
            from viewer.charts.build import build_chart

            spec = build_chart(kind, catalog, query)
            path = export_chart(spec, args.output, width_px=args.width, height_px=args.height, dpi=args.dpi)
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    out.write(f"wrote {path}\n")
    return 0


def run_command(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run ``list`` or ``export``; any problem with the input becomes exit code 2 and a message."""
    if args.command == "install-desktop":
        return run_install_desktop(args, out)
    try:
        catalog, added = load([*args.data, *args.more_data])
        if args.command == "list":
            return run_list(catalog, args.what, out)
        return run_export(catalog, args, added, out)
    except DataError as exc:
        err.write(f"drug-viewer: cannot load data\n{exc.message()}\n")
    except UsageError as exc:
        err.write(f"drug-viewer: {exc}\n")
    return EXIT_USAGE

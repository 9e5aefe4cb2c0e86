"""The command line: launch the window, list the catalog, export a chart or its numbers headless.

Bad input ends with exit code 2 and a located message on stderr, never a traceback, so scripts and
people get the same answer the window's dialog gives; a query that selects nothing is bad input too (the
message names the option and what the data offers), so no empty file is ever written. A bug ends with
exit code 1. The loading and query rules are the window's own: both go through :class:`Session`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from viewer import __version__
from viewer.charts.query import DEFAULT_DRUGS, MAX_DRUGS, DiffCI, Effect, Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset, Origin
from viewer.domain.synthesis.pairwise import PoolModel, Tau2Method
from viewer.gc_policy import paused_gc
from viewer.paths import shipped_datasets
from viewer.registry_cli import add_registry_command, add_selection_options, load_selected, run_registry, wants_registry
from viewer.session import QueryError, QueryField, QueryProblem, Session, drugs_brought

EXIT_BUG = 1
EXIT_USAGE = 2
TRACEBACK_ENV = "DRUG_VIEWER_TRACEBACK"
DISCLAIMER = "Evidence summary for healthcare professionals; not medical advice."
# The option a user changes to fix each part of a query.
OPTIONS: dict[QueryField, str] = {
    QueryField.DRUGS: "--drug",
    QueryField.OUTCOME: "--outcome",
    QueryField.TIMEPOINT: "--timepoint",
    QueryField.POPULATION: "--population",
    QueryField.AE_TERM: "--ae",
    QueryField.VERIFIED_ONLY: "--verified-only",
}


class UsageError(Exception):
    """A request that cannot be carried out as asked (a file that cannot be written); the message says why."""


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
    add_selection_options(lister)
    lister.add_argument(
        "--verbose", action="store_true", help="with outcomes: list every registry outcome kept out, and why"
    )

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
    pool_help = "forest plot: add pooled rows (fixed or random effects); league/network: the model (default random)"
    exp.add_argument("--pool", choices=[m.value for m in PoolModel], help=pool_help)
    exp.add_argument("--tau2", choices=[t.value for t in Tau2Method], default=Tau2Method.REML.value,
                     help="between-trial variance estimator for random effects (default reml)")  # fmt: skip
    exp.add_argument("--hksj", action="store_true", help="Hartung-Knapp-Sidik-Jonkman interval for pooled rows")
    exp.add_argument("--combine-populations", action="store_true",
                     help="let pooled and network analyses combine trials of different populations")  # fmt: skip
    exp.add_argument("--width", type=int, default=1920)
    exp.add_argument("--height", type=int, default=1080)
    exp.add_argument("--dpi", type=int, default=96)
    exp.add_argument("--data", action="append", type=Path, default=[], metavar="FILE", dest="more_data")
    add_selection_options(exp, drug=False)  # export's --drug also picks registry studies

    add_registry_command(sub)
    desk = sub.add_parser("install-desktop", help="add drug-viewer to this user's application menu (Linux)")
    desk.add_argument("--uninstall", action="store_true", help="remove the menu entry, icons and metadata")

    audit = sub.add_parser("audit", help="how much of the data stands on primary sources (levels, source kinds)")
    audit.add_argument("--data", action="append", type=Path, default=[], metavar="DIR", dest="more_data")
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


def run_list(catalog: Catalog, what: str, out: TextIO, datasets: Sequence[Dataset] = (), verbose: bool = False) -> int:
    if what == "drugs":
        for d in sorted(catalog.drugs.values(), key=lambda d: d.name.casefold()):
            extra = ", ".join((*d.brands, *d.codes))
            out.write(f"{d.id}\t{d.name}" + (f"\t({extra})" if extra else "") + "\n")
    elif what == "trials":
        for t in sorted(catalog.trials.values(), key=lambda t: t.name.casefold()):
            out.write(f"{t.id}\t{t.name}\t{t.nct or '-'}\t{t.population}\n")
    else:
        for o in catalog.outcome_ids():
            title = catalog.outcomes[o].title
            out.write(f"{o}\t{title}\n" if title != o else f"{o}\n")
        for dataset in datasets:
            write_kept_out(dataset, out, verbose)
    return 0


def write_kept_out(dataset: Dataset, out: TextIO, verbose: bool) -> None:
    """Registry outcomes a file brought that no chart shows: a count by kind, or each with its reason."""
    kept_out = dataset.excluded_outcomes
    if not kept_out:
        return
    read = len({o.measure or o.id for o in dataset.outcomes if any(r.outcome_id == o.id for r in dataset.results)})
    head = f"{dataset.label}: {read} outcome{'s' if read != 1 else ''} read, {len(kept_out)} kept out"
    if read == 0:
        head += " (no usable outcome in this file)"
    out.write(f"# {head}\n")
    if verbose:
        for x in kept_out:
            out.write(f"#   kept out: {x.title} ({x.kind.value}: {x.reason})\n")
        return
    by_kind = Counter(x.kind.value for x in kept_out)
    out.write(
        "#   " + "; ".join(f"{kind}: {count}" for kind, count in by_kind.most_common()) + " (--verbose lists them)\n"
    )


def run_export(session: Session, args: argparse.Namespace, added: tuple[str, ...], out: TextIO) -> int:
    """Write the chart or its rows; a query that selects nothing is a QueryError (exit 2), never a file."""
    drugs = session.resolve_drugs(args.drug) if args.drug else (added or DEFAULT_DRUGS)
    kind = ChartKind(args.chart)
    outcome = session.resolve_outcome(args.outcome) if kind is not ChartKind.SELECTIVITY else "ACR20"
    query = Query(
        drugs=drugs[:MAX_DRUGS] if kind is ChartKind.SELECTIVITY else drugs,
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
        pool=PoolModel(args.pool) if args.pool else None,
        tau2=Tau2Method(args.tau2),
        hksj=args.hksj,
        combine_populations=args.combine_populations,
    )
    suffix = args.output.suffix.lower()
    from viewer.export import ExportError, export_chart, write_csv

    if kind in (ChartKind.LEAGUE, ChartKind.NETWORK) and suffix == ".csv":
        session.chart(kind, query)  # a refused synthesis (populations differ) stops here, with its reason

    try:
        if suffix == ".csv":
            columns, rows = session.rows(kind, query)
            path = write_csv(rows, columns, args.output)
        else:
            spec = session.chart(kind, query)
            path = export_chart(spec, args.output, width_px=args.width, height_px=args.height, dpi=args.dpi)
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    out.write(f"wrote {path}\n")
    return 0


def problem_text(problem: QueryProblem) -> str:
    """One line naming the option to change, the value given, why it selects nothing and what is offered."""
    option = OPTIONS.get(problem.field)
    if option is None:
        return f"the query selects nothing: {problem.message()}"
    return f"{option} {problem.message()}" if problem.value else f"{option}: {problem.message()}"


def run_audit(datasets: Sequence[Dataset], out: TextIO) -> int:
    """Print the audit of the given datasets (the user's, or the shipped catalog when none was given)."""
    from viewer.domain.audit import audit_catalog, format_audit

    catalog = Catalog.from_datasets(datasets)
    out.write(format_audit(audit_catalog(catalog), catalog, "; ".join(d.label for d in datasets)))
    return 0


def run_command(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run ``list``, ``export``, ``registry`` or ``install-desktop``: the command line's one error boundary.

    Bad input (a file that breaks a rule, a query that selects nothing, an unwritable output) is exit 2
    with a message naming what to change. Anything else is a bug: exit 1 with a one-line message, and the
    traceback only when ``DRUG_VIEWER_TRACEBACK`` is set, so a script can tell a bug from bad input.
    """
    try:
        if args.command == "install-desktop":
            return run_install_desktop(args, out)
        if args.command == "registry":
            return run_registry(args, out, err)
        session = Session()
        with paused_gc():
            shipped = session.load(shipped_datasets(), Origin.CURATED)
            user = session.load([*args.data, *args.more_data])
        failures = [*shipped.errors, *user.errors]
        if failures:
            for path, error in failures:
                err.write(f"drug-viewer: cannot load data from {path}\n{error.message()}\n")
            return EXIT_USAGE
        if args.command == "audit":
            return run_audit(user.datasets if (args.data or args.more_data) else shipped.datasets, out)
        brought = user.brought_drugs()
        if wants_registry(args):
            registry = load_selected(args, session.catalog)
            session.set_datasets((*session.datasets, registry))
            brought = (*brought, *drugs_brought([registry]))
        if args.command == "list":
            kept = user.datasets if not wants_registry(args) else (*user.datasets, session.datasets[-1])
            return run_list(session.catalog, args.what, out, kept, args.verbose)
        return run_export(session, args, brought, out)
    except QueryError as exc:
        err.writelines(f"drug-viewer: {problem_text(p)}\n" for p in exc.problems)
    except UsageError as exc:
        err.write(f"drug-viewer: {exc}\n")
    except DataError as exc:  # a registry that cannot be read or searched as asked
        err.write(f"drug-viewer: {exc.message()}\n")
    except Exception as exc:  # the boundary: a bug is reported as one, never dressed up as bad input
        err.write(
            f"drug-viewer: internal error ({type(exc).__name__}: {exc}). This is a bug; please report it "
            f"with the command you ran. Set {TRACEBACK_ENV}=1 to print the traceback.\n"
        )
        if os.environ.get(TRACEBACK_ENV):
            err.write(traceback.format_exc())
        return EXIT_BUG
    return EXIT_USAGE

"""The command line: launch the window, list the catalog, export a chart, its numbers or a report headless.

``--session FILE`` starts an export or report from a saved session (each option given overrides it) and
``--save-session FILE`` writes the session that reproduces it (:mod:`viewer.session_file`).

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
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from viewer import __version__
from viewer.charts.query import DEFAULT_DRUGS, MAX_DRUGS, DiffCI, DoseAxis, Effect, PanelMode, Query
from viewer.charts.spec import PLACEBO_COMPARISON_KINDS, ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset, Origin
from viewer.domain.outcome_ids import current_outcome_id, holds_registry_records
from viewer.domain.registry.location import location_of
from viewer.domain.synthesis.options import DoseModel, PoolModel, Tau2Method
from viewer.gc_policy import paused_gc
from viewer.paths import data_root, shipped_datasets
from viewer.query_rules import QueryError, QueryField, QueryProblem, like_with_like
from viewer.registry_cli import (
    add_registry_command,
    add_selection_options,
    load_selected,
    run_registry,
    session_registry,
    wants_registry,
)
from viewer.session import Session, drugs_brought
from viewer.session_file import (
    DatasetStatus,
    ExportSize,
    SessionFile,
    dataset_ref,
    read_session,
    registry_refs,
    resolve_datasets,
    to_json,
)

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
    QueryField.SAFETY_TERM: "--safety-term",
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
    parser.add_argument("--session", type=Path, metavar="FILE", help="open the window on a saved session")
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
    add_selection(exp, tuple(ChartKind), ChartKind.DOSE_RESPONSE)
    add_pool_options(exp)
    exp.add_argument(
        "--dose-model",
        choices=[m.value for m in DoseModel],
        default=None,
        help="dose-response across trials (with --adjusted --emax): emax (default), linear or log-linear",
    )
    exp.add_argument("--width", type=int, default=None, help="pixels (default 1920, or the session's)")
    exp.add_argument("--height", type=int, default=None, help="pixels (default 1080, or the session's)")
    exp.add_argument("--dpi", type=int, default=None, help="dots per inch (default 96, or the session's)")
    exp.add_argument(
        "--theme",
        choices=("light", "dark"),
        default="light",
        help="chart colours: light (print-ready white, the default) or dark (for slides on a dark background)",
    )
    add_selection_options(exp, drug=False)  # export's --drug also picks registry studies

    rep = sub.add_parser("report", help="write a report (PDF or HTML): chart, numbers, methods, caveats, sources")
    rep.add_argument("-o", "--output", type=Path, required=True, help="file to write; .pdf or .html")
    add_selection(rep, (*PLACEBO_COMPARISON_KINDS, ChartKind.SAFETY_RATES), ChartKind.FOREST)
    add_pool_options(rep)
    add_selection_options(rep, drug=False)

    add_registry_command(sub)
    desk = sub.add_parser("install-desktop", help="add drug-viewer to this user's application menu (Linux)")
    desk.add_argument("--uninstall", action="store_true", help="remove the menu entry, icons and metadata")

    audit = sub.add_parser("audit", help="how much of the data stands on primary sources (levels, source kinds)")
    audit.add_argument("--data", action="append", type=Path, default=[], metavar="DIR", dest="more_data")
    return parser


def add_pool_options(parser: argparse.ArgumentParser) -> None:
    """Synthesis options of export and report (the report's methods name the model actually used)."""
    pool_help = "forest plot: add pooled rows (fixed or random effects); league/network: the model (default random)"
    parser.add_argument("--pool", choices=[m.value for m in PoolModel], help=pool_help)
    parser.add_argument("--tau2", choices=[t.value for t in Tau2Method], default=None,
                        help="between-trial variance estimator for random effects (default reml)")  # fmt: skip
    parser.add_argument("--hksj", action="store_true",
                        help="Hartung-Knapp-Sidik-Jonkman t intervals for pooled rows and the network")  # fmt: skip
    parser.add_argument("--combine-populations", action="store_true",
                        help="let pooled and network analyses combine trials of different populations")  # fmt: skip
    parser.add_argument(
        "--pool-doses",
        action="store_true",
        help="forest plot: pool each drug over its doses (a trial's doses merged) instead of each dose",
    )


def add_selection(parser: argparse.ArgumentParser, kinds: Sequence[ChartKind], default: ChartKind) -> None:
    """The selection and chart options export and report share; None means "not given" (a session's
    value, else the default), so ``--session`` can be overridden option by option."""
    on_off = argparse.BooleanOptionalAction
    parser.add_argument("--session", type=Path, metavar="FILE", help="start from a saved session; options override it")
    parser.add_argument("--save-session", type=Path, metavar="FILE", help="also write the session that reproduces this")
    parser.add_argument("--chart", choices=[k.value for k in kinds], default=None, help=f"default {default.value}")
    parser.add_argument("--drug", action="append", default=[], help="drug name, brand or code (repeatable)")
    parser.add_argument("--outcome", default=None, help="outcome id or a piece of its title (default ACR20)")
    parser.add_argument(
        "--population", default=None,
        help="only trials of this population (e.g. MTX-IR; '' for all). Default with several drugs: the most "
        "common population and timepoint among their trials, as the window starts",
    )  # fmt: skip
    parser.add_argument("--timepoint", default=None, help="only results at this timepoint (e.g. 'week 12'; '' for all)")
    parser.add_argument("--effect", choices=[e.value for e in Effect], default=None, help="default rd")
    parser.add_argument("--ci", choices=[c.value for c in DiffCI], default=None, help="default newcombe")
    parser.add_argument("--adjusted", action=on_off, default=None, help="plot the difference from placebo")
    parser.add_argument("--emax", action=on_off, default=None, help="add a fitted Emax curve")
    parser.add_argument(
        "--dose-axis", choices=[a.value for a in DoseAxis], default=None,
        help="dose axis: mg/day linear or log (placebo kept beyond a break), or multiples of the approved "
        "RA dose (default linear)",
    )  # fmt: skip
    parser.add_argument(
        "--ic50-raw", action=on_off, default=None,
        help="selectivity chart: the raw IC50s instead of the fold against JAK1 (default: the fold)",
    )  # fmt: skip
    parser.add_argument(
        "--panels", choices=[PanelMode.DRUG.value, PanelMode.NONE.value], default=None,
        help="one panel per drug, or all drugs in one plot (default: panels once two or more drugs are chosen)",
    )  # fmt: skip
    parser.add_argument("--verified-only", action=on_off, default=None, help="hide secondary and unverified figures")
    parser.add_argument("--ae", default=None, help="adverse-event term for the tolerability chart")
    parser.add_argument(
        "--safety-term", default=None, help="class safety outcome of the safety-rates chart (default serious infection)"
    )
    parser.add_argument("--data", action="append", type=Path, default=[], metavar="FILE", dest="more_data")


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
        from viewer.domain import sliced

        trials = catalog.trials.values()  # a field of every trial read from the tables' codes: no Trial is made
        ids, names, ncts, populations = (sliced.attribute(trials, f) for f in ("id", "name", "nct", "population"))
        for k in sorted(range(len(ids)), key=lambda k: names[k].casefold()):
            out.write(f"{ids[k]}\t{names[k]}\t{ncts[k] or '-'}\t{populations[k]}\n")
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
    from viewer.domain.columns import distinct

    present = set(distinct(dataset.results, "outcome_id"))  # from the columns: no result is made
    read = len({o.measure or o.id for o in dataset.outcomes if o.id in present})
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


def given_outcome(session: Session, text: str) -> str:
    """``--outcome`` as this version spells a registry outcome's id: a script written before issue 17 passes
    its parts joined by em dashes, read as a session file reads them (``outcome_ids.current_outcome_id``)."""
    paths = [d.path for d in session.datasets]
    registry_records = holds_registry_records(paths) or any(location_of(p) for p in paths)
    return current_outcome_id(text, registry_records)


def selection(
    session: Session, args: argparse.Namespace, added: tuple[str, ...], saved: SessionFile | None, default: ChartKind
) -> tuple[ChartKind, Query]:
    """The chart and query asked for: each option given, else the session's value, else the default."""
    base = saved.query if saved else Query(drugs=added or DEFAULT_DRUGS)
    kind = ChartKind(args.chart) if args.chart else (saved.chart if saved else default)
    drugs = session.resolve_drugs(args.drug) if args.drug else base.drugs
    outcome = (
        session.resolve_outcome(given_outcome(session, args.outcome)) if args.outcome is not None else base.outcome
    )
    if kind is ChartKind.SELECTIVITY:
        drugs, outcome = drugs[:MAX_DRUGS], base.outcome if args.outcome is None else outcome

    query = base.with_(
        drugs=drugs,
        outcome=outcome,
        timepoint=base.timepoint if args.timepoint is None else args.timepoint,
        population=base.population if args.population is None else args.population,
        adjusted=base.adjusted if args.adjusted is None else args.adjusted,
        effect=Effect(args.effect) if args.effect else base.effect,
        diff_ci=DiffCI(args.ci) if args.ci else base.diff_ci,
        dose_axis=DoseAxis(args.dose_axis) if args.dose_axis else base.dose_axis,
        panels=PanelMode(args.panels) if args.panels else base.panels,
        ic50_raw=base.ic50_raw if args.ic50_raw is None else args.ic50_raw,
        emax=base.emax if args.emax is None else args.emax,
        verified_only=base.verified_only if args.verified_only is None else args.verified_only,
        ae_term=base.ae_term if args.ae is None else args.ae,
        safety_term=base.safety_term if args.safety_term is None else args.safety_term,
        pool=PoolModel(args.pool) if getattr(args, "pool", None) else base.pool,
        tau2=Tau2Method(args.tau2) if getattr(args, "tau2", None) else base.tau2,
        hksj=getattr(args, "hksj", False) or base.hksj,
        combine_populations=getattr(args, "combine_populations", False) or base.combine_populations,
        pool_doses=getattr(args, "pool_doses", False) or base.pool_doses,
        dose_model=DoseModel(args.dose_model) if getattr(args, "dose_model", None) else base.dose_model,
    )
    if saved is None and args.population is None and args.timepoint is None and kind in PLACEBO_COMPARISON_KINDS:
        query = like_with_like(query, session.catalog)  # as the window starts: several drugs, like with like
    return kind, query


def save_session(path: Path, session: Session, kind: ChartKind, query: Query, size: ExportSize) -> Path:
    """Write the session that reproduces this export (atomically) and return its path.

    Registry studies are named by their registry's location (no password) and NCT ids."""
    from viewer.export import write_atomically

    files = [Path(d.path) for d in session.datasets if Path(d.path).exists()]
    refs = tuple(dataset_ref(p, data_root=data_root(), session_dir=path.parent) for p in files)
    saved = SessionFile(refs, query, kind, size, __version__, registry_refs(session.datasets))
    return write_atomically(path, to_json(saved).encode("utf-8"))


def run_export(
    session: Session, args: argparse.Namespace, added: tuple[str, ...], saved: SessionFile | None, out: TextIO
) -> int:
    """Write the chart or its rows; a query that selects nothing is a QueryError (exit 2), never a file."""
    kind, query = selection(session, args, added, saved, ChartKind.DOSE_RESPONSE)
    base = saved.export if saved else ExportSize()
    size = ExportSize(args.width or base.width, args.height or base.height, args.dpi or base.dpi)
    suffix = args.output.suffix.lower()
    with paused_gc():  # Qt's bindings and pyqtgraph: objects to keep, not garbage to collect (viewer.app)
        from viewer.export import ExportError, export_chart, write_csv

    if kind in (ChartKind.LEAGUE, ChartKind.NETWORK) and suffix == ".csv":
        session.chart(kind, query)  # a refused synthesis (populations differ) stops here, with its reason

    try:
        if suffix == ".csv":
            columns, rows = session.rows(kind, query)
            path = write_csv(rows, columns, args.output)
        else:
            spec = session.chart(kind, query)
            from viewer.plot.style import theme_named

            theme = theme_named(args.theme)
            path = export_chart(
                spec, args.output, width_px=size.width, height_px=size.height, dpi=size.dpi, theme=theme
            )
        out.write(f"wrote {path}\n")
        if args.save_session:
            out.write(f"wrote {save_session(args.save_session, session, kind, query, size)}\n")
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    return 0


def run_report(
    session: Session, args: argparse.Namespace, added: tuple[str, ...], saved: SessionFile | None, out: TextIO
) -> int:
    """Write the one-page report (PDF or HTML) of the selection; nothing selected is exit 2."""
    from viewer.export import ExportError
    from viewer.export.report import ReportError, export_report

    kind, query = selection(session, args, added, saved, ChartKind.FOREST)
    session.chart(kind, query)  # a selection that shows nothing is a QueryError, named option by option
    try:
        path = export_report(args.output, session.catalog, query, kind, session.datasets)
        out.write(f"wrote {path}\n")
        if args.save_session:
            size = saved.export if saved else ExportSize()
            out.write(f"wrote {save_session(args.save_session, session, kind, query, size)}\n")
    except (ExportError, ReportError) as exc:
        raise UsageError(str(exc)) from exc
    return 0


def session_paths(saved: SessionFile, path: Path, err: TextIO) -> list[Path]:
    """The user datasets a session names, where they are now; what moved or changed is said on stderr."""
    resolved = resolve_datasets(saved.datasets, data_root=data_root(), session_dir=path.parent)
    for entry in resolved:
        if entry.status is not DatasetStatus.FOUND:
            err.write(f"drug-viewer: note: {entry.message()}\n")
    return [r.path for r in resolved if r.path is not None and not r.ref.shipped]


LONG_CHOICE = 60  # characters: a choice longer than this (a registry outcome's title) gets a line of its own


def problem_text(problem: QueryProblem) -> str:
    """The option to change, the value given, why it selects nothing and what is offered.

    One line, unless a choice is long (registry outcome titles run to 200 characters and hold commas):
    then each choice is printed once on a line of its own, so the matches can be read and copied.
    """
    option = OPTIONS.get(problem.field)
    listed = any(len(choice) > LONG_CHOICE for choice in problem.offered)
    shown = replace(problem, offered=()) if listed else problem
    if option is None:
        text = f"the query selects nothing: {shown.message()}"
    else:
        text = f"{option} {shown.message()}" if problem.value else f"{option}: {shown.message()}"
    if listed:
        text += "; the data offers:" + "".join(f"\n  {choice}" for choice in problem.offered)
    return text


def run_audit(datasets: Sequence[Dataset], out: TextIO) -> int:
    """Print the audit of the given datasets (the user's, or the shipped catalog when none was given)."""
    from viewer.domain.audit import audit_catalog, format_audit

    catalog = Catalog.from_datasets(datasets)
    out.write(format_audit(audit_catalog(catalog), catalog, "; ".join(d.label for d in datasets)))
    return 0


def run_command(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run ``list``, ``export``, ``report``, ``registry`` or ``install-desktop``: the one error boundary.

    Bad input (a file that breaks a rule, a query that selects nothing, an unwritable output) is exit 2
    with a message naming what to change. Anything else is a bug: exit 1 with a one-line message, and the
    traceback only when ``DRUG_VIEWER_TRACEBACK`` is set, so a script can tell a bug from bad input.
    """
    try:
        if args.command == "install-desktop":
            return run_install_desktop(args, out)
        if args.command == "registry":
            return run_registry(args, out, err)
        saved = read_session(args.session) if getattr(args, "session", None) else None
        from_session = session_paths(saved, args.session, err) if saved else []
        session = Session()
        with paused_gc():
            shipped = session.load(shipped_datasets(), Origin.CURATED)
            user = session.load([*from_session, *args.data, *args.more_data])
        failures = [*shipped.errors, *user.errors]
        if failures:
            for path, error in failures:
                err.write(f"drug-viewer: cannot load data from {path}\n{error.message()}\n")
            return EXIT_USAGE
        if args.command == "audit":
            return run_audit(user.datasets if (args.data or args.more_data) else shipped.datasets, out)
        brought = user.brought_drugs()
        if saved and saved.registry:
            session.set_datasets((*session.datasets, *session_registry(saved, session.catalog, err)))
        if wants_registry(args):
            registry = load_selected(args, session.catalog, err)
            session.set_datasets((*session.datasets, registry))
            brought = (*brought, *drugs_brought([registry]))
        if args.command == "list":
            kept = user.datasets if not wants_registry(args) else (*user.datasets, session.datasets[-1])
            return run_list(session.catalog, args.what, out, kept, args.verbose)
        run = run_report if args.command == "report" else run_export
        return run(session, args, brought, saved, out)
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

"""The registry on the command line: ``drug-viewer registry search|import|prepare`` and ``--registry`` selection.

``--registry LOCATION`` (a ``postgresql://`` URL, or the path of the local copy; default
``$DRUG_VIEWER_REGISTRY``, then the local copy in the user's data folder) works wherever ``--data`` does,
with the studies chosen by ``--nct``, ``--drug`` and ``--condition``. The chosen studies become one
Dataset through the ClinicalTrials.gov readers' rules, exactly as if their JSON had been opened.
Bad input (an unreachable server, a wrong password, an unknown NCT id, a broken zip) is a ``DataError``:
the command line's boundary prints it and exits 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset
from viewer.domain.registry import SearchQuery
from viewer.domain.registry.location import REGISTRY_ENV, default_local_copy, default_registry
from viewer.domain.registry.search import MAX_LIMIT
from viewer.session_file import SessionFile


def _cell(text: str) -> str:
    """Registry text as one TSV cell: tabs and line breaks from the data become spaces."""
    return " ".join(text.split())


def add_selection_options(parser: argparse.ArgumentParser, *, drug: bool = True) -> None:
    """--registry, --nct, --condition (and --drug where the command has none of its own)."""
    parser.add_argument(
        "--registry",
        metavar="LOCATION",
        default="",
        help="AACT registry: a postgresql:// URL (PG* variables and ~/.pgpass fill what it leaves out) "
        f"or the path of the local copy (default ${REGISTRY_ENV}, then {default_local_copy()})",
    )
    parser.add_argument("--nct", action="append", default=[], metavar="NCT", help="registry study (repeatable)")
    if drug:
        parser.add_argument("--drug", action="append", default=[], help="registry studies of this drug (repeatable)")
    parser.add_argument(
        "--condition", action="append", default=[], metavar="TERM", help="registry studies of this condition"
    )


def wants_registry(args: argparse.Namespace) -> bool:
    """Whether the command asked for registry studies (on ``list``, --drug only ever means that)."""
    listed_drug = getattr(args, "command", "") == "list" and getattr(args, "drug", [])
    return bool(
        getattr(args, "registry", "") or getattr(args, "nct", []) or getattr(args, "condition", []) or listed_drug
    )


def load_selected(args: argparse.Namespace, catalog: Catalog | None, err: TextIO | None = None) -> Dataset:
    """The studies ``--nct``/``--drug``/``--condition`` choose, as one Dataset (DataError when none); a
    drug or condition that matches more studies than are taken is said on ``err``."""
    from viewer.domain.registry import open_registry  # the registry readers, only when a command asks

    location = args.registry or default_registry()
    with open_registry(location) as registry:
        drugs = getattr(args, "drug", []) if not args.nct else []
        capped: list[str] = []
        ncts = registry.select(ncts=args.nct, drugs=drugs, conditions=args.condition, capped=capped)
        if err is not None:
            err.writelines(f"drug-viewer: note: {line}\n" for line in capped)
        if not ncts:
            raise registry.error("no study with posted results matches --drug/--condition", "--drug")
        return registry.load(ncts, catalog)


def session_registry(saved: SessionFile, catalog: Catalog, err: TextIO) -> list[Dataset]:
    """The registry studies a session names, read again; a registry that cannot be read now is named on
    stderr and the rest of the session still opens."""
    from viewer.domain.registry import open_registry

    datasets = []
    for ref in saved.registry:
        try:
            with open_registry(ref.location) as registry:
                dataset = registry.load(ref.studies, catalog)
                if ref.snapshot and registry.snapshot() != ref.snapshot:
                    err.write(
                        f"drug-viewer: note: {ref.location}: AACT snapshot {registry.snapshot()}, the session was "
                        f"saved from {ref.snapshot}; figures may differ\n"
                    )
        except DataError as exc:
            err.write(f"drug-viewer: note: {exc.message()}; the session opens without these studies\n")
            continue
        datasets.append(dataset)
        catalog = Catalog.from_datasets((*catalog.datasets, dataset))
    return datasets


def add_registry_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    reg = sub.add_parser("registry", help="search the AACT registry, or build its local copy")
    verbs = reg.add_subparsers(dest="registry_command", metavar="VERB", required=True)
    search = verbs.add_parser("search", help="drugs (with study counts) and studies matching TEXT")
    search.add_argument("text", nargs="?", default="", help="drug: name, brand, code or MeSH term")
    search.add_argument("--registry", metavar="LOCATION", default="", help="postgresql:// URL or local copy path")
    search.add_argument("--condition", default="", help="condition name or MeSH term")
    search.add_argument("--phase", default="", help="e.g. 3, 'phase 2', 'early 1'")
    search.add_argument("--status", default="", help="e.g. completed, recruiting")
    results = search.add_mutually_exclusive_group()
    results.add_argument("--with-results", action="store_true", help="only studies with posted results")
    results.add_argument("--without-results", action="store_true", help="only studies without posted results")
    search.add_argument("--placebo", action="store_true", help="only placebo-controlled studies")
    search.add_argument("--limit", type=int, default=20, help="rows of each list (default 20)")
    imp = verbs.add_parser("import", help="build the local copy from AACT's pipe-delimited flat-file zip")
    imp.add_argument("zip", type=Path, metavar="AACT_FLATFILES.zip")
    imp.add_argument("--to", type=Path, default=None, help=f"where to write the copy (default {default_local_copy()})")
    prep = verbs.add_parser(
        "prepare", help="build the search tables in a PostgreSQL restore of AACT (needs a user who may create tables)"
    )
    prep.add_argument(
        "url", metavar="POSTGRESQL_URL", help="postgresql://user@host/aact (password: PGPASSWORD, ~/.pgpass)"
    )


def run_registry(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``registry search``, ``import`` or ``prepare``; DataError propagates to the caller's boundary."""
    if args.registry_command == "import":
        return _import(args, out, err)
    if args.registry_command == "prepare":
        return _prepare(args, out)
    has_results = True if args.with_results else False if args.without_results else None
    query = SearchQuery(
        text=args.text,
        condition=args.condition,
        phase=args.phase,
        status=args.status,
        has_results=has_results,
        placebo_controlled=args.placebo,
        limit=args.limit,
    )
    from viewer.domain.registry import open_registry

    with open_registry(args.registry or default_registry()) as registry:
        drugs = registry.search_drugs(query)
        studies = registry.search_studies(query)
        out.write(f"# {registry.label} (AACT snapshot {registry.snapshot()})\n")
        out.write("drugs\tstudies\n" + "".join(f"{_cell(d.name)}\t{d.studies}\n" for d in drugs))
        out.write("\nnct\tphase\tstatus\tresults\tenrollment\ttitle\n")
        for s in studies:
            posted = s.results_posted.isoformat() if s.results_posted else "-"
            enrolment = "" if s.enrollment is None else str(s.enrollment)
            out.write(f"{s.nct}\t{s.phase or '-'}\t{_cell(s.status)}\t{posted}\t{enrolment}\t{_cell(s.title)}\n")
        if len(studies) == min(query.limit, MAX_LIMIT):
            matching = registry.count_studies(query)
            if matching > len(studies):
                out.write(
                    f"# the newest {len(studies)} of {matching:,} matching studies "
                    f"(--limit lists more, up to {MAX_LIMIT}; narrow with --condition, --phase, --with-results)\n"
                )
    if not drugs and not studies:
        raise DataError.single(args.registry or default_registry(), "", "TEXT", "the search matches no study")
    return 0


def _prepare(args: argparse.Namespace, out: TextIO) -> int:
    from viewer.domain.registry.location import is_postgres

    if not is_postgres(args.url):
        rule = "not a postgresql:// URL (a local copy has its search tables from its import)"
        raise DataError.single(args.url, "", "POSTGRESQL_URL", rule)
    from viewer.domain.registry.pgprepare import prepare_postgres

    report = prepare_postgres(args.url)
    out.write(
        f"search tables in {report.label}: {report.terms:,} study, drug and term rows, snapshot {report.snapshot} "
        "(rebuild them after restoring a newer snapshot: until then searches read AACT's own tables)\n"
    )
    return 0


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from viewer.domain.registry.flatfiles import ImportCancelled, import_flatfiles

    destination = args.to or default_local_copy()
    shown = [-1]

    def progress(what: str, done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 100
        if percent != shown[0]:
            shown[0] = percent
            bar = "#" * (percent // 4)
            err.write(f"\r[{bar:<25}] {percent:3d}% {what:<28}")
            err.flush()

    try:
        report = import_flatfiles(args.zip, destination, progress)
    except ImportCancelled as exc:
        err.write(f"\ndrug-viewer: {exc}\n")
        return 130
    except KeyboardInterrupt:
        err.write("\ndrug-viewer: import stopped; the previous copy is untouched; run it again to resume\n")
        return 130
    err.write("\n")
    resumed = f", {report.tables_resumed} tables resumed" if report.tables_resumed else ""
    out.write(
        f"local AACT copy {report.destination}: {report.studies:,} studies, snapshot {report.snapshot} "
        f"(from the {report.snapshot_from}){resumed}\n"
    )
    return 0

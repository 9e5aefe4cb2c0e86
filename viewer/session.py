"""The headless session: what is loaded, what is asked, and the rules the window and the command line share.

A :class:`Session` holds the datasets in load order (shipped first, then the user's), the catalog merged
from them and the :class:`~viewer.charts.query.Query`. It imports neither Qt nor pyqtgraph (an
import-linter contract proves it), so the window, the command line, the tests and a future session file
or registry source all go through the same rules:

Loading
    ``session.load(paths, origin)`` reads each path against the catalog so far (a later file may name a
    drug an earlier one brought) and merges what loaded; a dataset from the path of a loaded one replaces
    it (a re-opened file). A file that breaks a rule becomes a ``DataError`` in ``LoadResult.errors`` and
    the other files still load. Any other exception is a bug and propagates to the front end's error
    boundary untouched. ``session.read(paths)`` is the same read without the merge: it changes nothing,
    so the window runs it on a worker thread and merges the :class:`LoadResult` on the GUI thread with
    ``session.apply(result)`` (which reuses the catalog the read built, when nothing changed meanwhile).

Asking
    ``session.set_query(query)`` keeps the query fitted to the data (:func:`fit_query` replaces what the
    data does not offer by defaults: in the window a click or a remembered setting never leaves a chart
    empty for a reason the user cannot see).
    ``session.validate(query, kind)`` instead says what is wrong, one :class:`QueryProblem` per field,
    each naming what the data offers (the command line: exit 2 with the reason). ``session.chart`` and
    ``session.rows`` build a chart or its CSV rows and raise :class:`QueryError` when the query selects
    nothing, so no front end writes an empty file.

Front ends own their policies: the garbage-collector pause around a load (``viewer.gc_policy``), the
threads, the dialogs and the exit codes.

Example::

    session = Session()
    session.load(shipped_datasets(), Origin.CURATED)
    result = session.load([Path("my.csv")])          # result.errors: [(path, DataError)]
    session.set_query(session.query.with_(drugs=result.brought_drugs()))
    problems = session.validate(session.query, ChartKind.FOREST)
    spec = session.chart(ChartKind.FOREST)           # QueryError when it would be empty
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.charts.choices import ChartKind
from viewer.charts.query import MAX_DRUGS, Query
from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.model import ArmRole, Dataset, Origin
from viewer.domain.readers import load_path
from viewer.query_rules import (
    QueryError,
    QueryField,
    QueryProblem,
    fit_query,
    like_with_like,
    outcome_choice,
    sorted_names,
    validate_query,
)

if TYPE_CHECKING:
    from viewer.charts.spec import ChartSpec
    from viewer.charts.table import Cell

EMPTY_OFFERS_SHOWN = 8  # an empty chart names at most this many alternatives (a registry has thousands)

# The chart builders (and numpy under them) are imported where a chart is asked for, not with the session:
# loading and listing need neither, and the command line's `list` and the load benchmark would pay for them.

Progress = Callable[[int, Path], None]
"""Called before each path is read with its index in the request (the window moves its progress bar)."""


# -- loading ---------------------------------------------------------------------------------------------


def merge_datasets(loaded: Sequence[Dataset], new: Sequence[Dataset]) -> tuple[Dataset, ...]:
    """``loaded`` then ``new``; a new dataset from the path of a loaded one replaces it (a re-opened file)."""
    paths = {d.path for d in new}
    return (*(d for d in loaded if d.path not in paths), *new)


def same_datasets(a: Sequence[Dataset], b: Sequence[Dataset]) -> bool:
    """The same dataset objects in the same order (identity: comparing 100,000 records by value is slow)."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def drugs_brought(datasets: Iterable[Dataset]) -> tuple[str, ...]:
    """The drugs datasets bring, in order: their monographs, then the drugs of their drug arms.

    An arm table's drugs are read from its codes (``columns.distinct``: no Arm is made; a generator over
    the 1,000,000 arms took 0.3 s), a tuple's a slice at a time (one ``dict.fromkeys`` of 800,000 drugs held
    the GIL for 50-150 ms, a stall of the window while its loader's worker asked)."""
    from viewer.domain.columns import distinct  # numpy: only once something is read

    ids: dict[str, None] = {}
    for dataset in datasets:
        ids.update(dict.fromkeys(d.id for d in dataset.drugs))
        arms = distinct(dataset.arms, "drug_id", ("role", ArmRole.DRUG))  # from an arm table's codes
        ids.update(dict.fromkeys(filter(None, arms)))
    return tuple(ids)


@dataclass(frozen=True)
class LoadResult:
    """What one request read: the datasets that loaded, in order, and for each failed path its DataError.

    ``catalog`` is ``base`` merged with ``datasets``, built by the reader (on the window's worker thread,
    so a 100,000-arm merge does not freeze the window); ``apply`` uses it when ``base`` is still what
    the session holds.
    """

    paths: tuple[Path, ...]
    base: tuple[Dataset, ...] = ()
    datasets: tuple[Dataset, ...] = ()
    errors: tuple[tuple[Path, DataError], ...] = ()
    catalog: Catalog | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def brought_drugs(self) -> tuple[str, ...]:
        return self._brought

    @cached_property
    def _brought(self) -> tuple[str, ...]:
        # worked out once (the window's loader asks on its worker): a scan of every arm read
        return drugs_brought(self.datasets)

    @cached_property
    def outcome_ids(self) -> tuple[str, ...]:
        """The outcomes the datasets report results for, in order of first appearance (one scan of every
        result read, done once: the window's loader asks on its worker)."""
        return _outcomes_of(self.datasets)


def _outcomes_of(datasets: Iterable[Dataset]) -> tuple[str, ...]:
    """The outcomes of the datasets' results in order of first appearance, read from their columns."""
    from viewer.domain.columns import distinct

    return tuple(dict.fromkeys(o for ds in datasets for o in distinct(ds.results, "outcome_id")))


# -- the session -----------------------------------------------------------------------------------------


class Session:
    """Datasets in load order, the catalog merged from them, and the query; see the module docstring.

    The catalog is rebuilt from the datasets, never edited, so removing a dataset is a rebuild and a
    file that fails changes nothing. The query is an immutable value, kept fitted to the catalog.
    """

    def __init__(
        self, datasets: Iterable[Dataset] = (), query: Query | None = None, *, like_with_like: bool = False
    ) -> None:
        self._datasets: tuple[Dataset, ...] = tuple(datasets)
        self._catalog = Catalog.from_datasets(self._datasets)
        # The window starts a comparison of several drugs on one population and timepoint (like_with_like,
        # from the first set_query on); ``_chosen_for_you`` is the (population, timepoint) it last chose, so a
        # choice the user made (even "All") is kept when drugs are ticked, while its own follows the drugs.
        self._like_with_like = like_with_like
        self._chosen_for_you: tuple[str, str] | None = None
        self._query = fit_query(query or Query(), self._catalog)

    # -- reading ------------------------------------------------------------------------------------

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        return self._datasets

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    @property
    def query(self) -> Query:
        return self._query

    def user_datasets(self) -> tuple[Dataset, ...]:
        """What the user loaded (the shipped, curated datasets left out)."""
        return tuple(d for d in self._datasets if d.origin is not Origin.CURATED)

    # -- loading ------------------------------------------------------------------------------------

    def read(self, paths: Sequence[Path], origin: Origin = Origin.USER, progress: Progress | None = None) -> LoadResult:
        """Read ``paths`` in order against the catalog so far, without changing the session.

        Safe on a worker thread: it only reads the datasets tuple and catalog it starts from (immutable
        values). A ``DataError`` is kept per path and the other paths still load; any other exception is a
        bug and propagates.
        """
        base, catalog = self._datasets, self._catalog
        paths = tuple(Path(p) for p in paths)
        datasets: list[Dataset] = []
        errors: list[tuple[Path, DataError]] = []
        for index, path in enumerate(paths):
            if progress is not None:
                progress(index, path)
            try:
                dataset = load_path(path, catalog, origin=origin)
            except DataError as exc:
                errors.append((path, exc))
                continue
            datasets.append(dataset)
            if index < len(paths) - 1:
                catalog = Catalog.from_datasets((*catalog.datasets, dataset))
        merged = Catalog.from_datasets(merge_datasets(base, datasets)) if datasets else None
        if merged is not None:
            assert merged.columns is not None  # built here, off the window's GUI thread, not on the first click
        return LoadResult(paths, base, tuple(datasets), tuple(errors), merged)

    def apply(self, result: LoadResult) -> bool:
        """Merge what ``result`` read; False (nothing changes) when it read nothing."""
        if not result.datasets:
            return False
        catalog = result.catalog if same_datasets(result.base, self._datasets) else None
        self.set_datasets(merge_datasets(self._datasets, result.datasets), catalog=catalog)
        return True

    def load(self, paths: Sequence[Path], origin: Origin = Origin.USER) -> LoadResult:
        """Read ``paths`` and merge what loaded (see :meth:`read`)."""
        result = self.read(paths, origin)
        self.apply(result)
        return result

    def set_datasets(self, datasets: Iterable[Dataset], *, catalog: Catalog | None = None) -> None:
        """Replace the datasets; ``catalog`` is used only if it was built from exactly these datasets.

        The query is fitted to the new catalog (a drug that left is unticked).
        """
        self._datasets = tuple(datasets)
        if catalog is None or not same_datasets(catalog.datasets, self._datasets):
            catalog = Catalog.from_datasets(self._datasets)
        self._catalog = catalog
        self._query = fit_query(self._query, catalog)

    def remove_dataset(self, path: str) -> bool:
        """Remove a user dataset by path; curated (shipped) datasets cannot be removed."""
        keep = tuple(d for d in self._datasets if d.path != path or d.origin is Origin.CURATED)
        if len(keep) == len(self._datasets):
            return False
        self.set_datasets(keep)
        return True

    # -- the query ----------------------------------------------------------------------------------

    def set_query(self, query: Query) -> Query:
        """Keep ``query`` fitted to the catalog (:func:`fit_query`) and, in a session that compares like
        with like, on the most common population and timepoint when the drugs or the outcome change
        (:func:`like_with_like`); returns what is kept."""
        fitted = fit_query(query, self._catalog)
        self._query = self._settled(fitted, self._query) if self._like_with_like else fitted
        return self._query

    def _settled(self, query: Query, before: Query) -> Query:
        """``query`` with the like-with-like population and timepoint, unless the user chose them."""
        setting = (query.population, query.timepoint)
        first = self._chosen_for_you is None and setting == ("", "")
        untouched = first or setting == self._chosen_for_you
        changed = first or set(before.drugs) != set(query.drugs) or before.outcome != query.outcome
        if not (untouched and changed):
            if self._chosen_for_you is not None and setting != self._chosen_for_you:
                self._chosen_for_you = ("\0", "\0")  # the user chose: never overridden again
            return query
        settled = like_with_like(query.with_(population="", timepoint=""), self._catalog)
        # one drug (or no population to share): back to every trial, and a later comparison is settled again
        self._chosen_for_you = (settled.population, settled.timepoint) if settled.population else None
        return settled

    def validate(self, query: Query | None = None, kind: ChartKind = ChartKind.DOSE_RESPONSE) -> list[QueryProblem]:
        """Why ``query`` (default: the session's) selects nothing on ``kind``; empty when it selects."""
        return validate_query(query or self._query, self._catalog, kind)

    def explained(self, kind: ChartKind, spec: ChartSpec) -> ChartSpec:
        """``spec`` (the chart of ``kind`` for the session's query) as the window shows it: an empty chart says
        why after its own message, in the words the command line prints for the same query (the first of
        :meth:`validate`'s problems), and what the data offers instead. One composition for the chart the
        window builds and the one the loader's worker prepares; only an empty chart pays for the check."""
        if not spec.is_empty:
            return spec
        problems = self.validate(kind=kind)
        if not problems:
            return spec  # the filters select figures and the chart's own message says why none is drawn
        reason = problems[0]
        shown = ", ".join(reason.offered[:EMPTY_OFFERS_SHOWN])
        more = len(reason.offered) - EMPTY_OFFERS_SHOWN
        offered = f"\nThe data offers: {shown}{f' and {more} more' if more > 0 else ''}." if reason.offered else ""
        because = f"{reason.value}: {reason.reason}" if reason.value else reason.reason
        return replace(spec, empty_message=f"{spec.empty_message}\n({because}){offered}".strip())

    def showing(
        self, drug_ids: Sequence[str], datasets: Sequence[Dataset], outcomes: Sequence[str] | None = None
    ) -> Query:
        """The query that shows new data: its drugs become the comparison, on one of its outcomes when the
        current outcome has no figures in it (a registry record rarely reports ACR20), with no filter.
        ``outcomes``: the datasets' outcomes in order when already known (``LoadResult.outcome_ids``)."""
        fresh = tuple(dict.fromkeys(d for d in drug_ids if d in self._catalog.drugs))[:MAX_DRUGS]
        if not fresh:
            return self._query
        if outcomes is None:
            outcomes = _outcomes_of(datasets)
        query = self._query
        outcome = query.outcome if query.outcome in outcomes or not outcomes else outcomes[0]
        return query.with_(drugs=fresh, outcome=outcome, timepoint="", population="", trials=())

    def resolve_drugs(self, names: Sequence[str]) -> tuple[str, ...]:
        """Drug ids for generic names, brands or codes; QueryError naming every unknown one."""
        ids: list[str] = []
        unknown: list[str] = []
        for name in names:
            drug = self._catalog.find_drug(name)
            if drug is None:
                unknown.append(name)
            else:
                ids.append(drug.id)
        if unknown:
            offered = sorted_names(d.name for d in self._catalog.drugs.values())
            raise QueryError([QueryProblem(QueryField.DRUGS, ", ".join(unknown), "unknown drug", offered)])
        return tuple(dict.fromkeys(ids))

    def resolve_outcome(self, text: str) -> str:
        """An outcome id, or a unique case-insensitive piece of an outcome's id or title."""
        catalog = self._catalog
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
        offered = tuple(outcome_choice(o, catalog.outcomes[o].title) for o in (matches or available))
        reason = f"ambiguous outcome, matches {len(matches)}" if matches else "unknown outcome"
        raise QueryError([QueryProblem(QueryField.OUTCOME, text, reason, offered)])

    def chart(self, kind: ChartKind, query: Query | None = None) -> ChartSpec:
        """The chart of ``kind`` for ``query``; QueryError (with the reasons) when it would be empty."""
        from viewer.charts.build import build_chart

        query = query or self._query
        problems = self.validate(query, kind)
        if problems:
            raise QueryError(problems)
        spec = build_chart(kind, self._catalog, query)
        if spec.is_empty:
            raise QueryError([QueryProblem(QueryField.SELECTION, "", spec.empty_message or "nothing to draw")])
        return spec

    def rows(self, kind: ChartKind, query: Query | None = None) -> tuple[tuple[str, ...], list[dict[str, Cell]]]:
        """The CSV columns and rows of a chart; QueryError (with the reasons) when there is no row."""
        from viewer.charts.table import chart_rows

        query = query or self._query
        problems = self.validate(query, kind)
        if problems:
            raise QueryError(problems)
        columns, rows = chart_rows(kind, self._catalog, query)
        if not rows:
            raise QueryError([QueryProblem(QueryField.SELECTION, "", "no row to write")])
        return columns, rows

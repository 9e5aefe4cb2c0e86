"""The one place the window's state lives: loaded datasets, the catalog, the query and the focused drug.

Every widget observes this object and asks it for changes; none keeps a copy of its own. The query is an
immutable value replaced on each change, so a chart built from it can never see half an update, and the
catalog is rebuilt from the datasets (never edited), so removing a dataset is just a rebuild.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Signal

from viewer.charts.query import MAX_DRUGS, Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset, Origin
from viewer.ui.settings import valid_query


def merge_datasets(loaded: Sequence[Dataset], new: Sequence[Dataset]) -> tuple[Dataset, ...]:
    """``loaded`` then ``new``; a new dataset from the path of a loaded one replaces it (a re-opened file)."""
    paths = {d.path for d in new}
    return (*(d for d in loaded if d.path not in paths), *new)


def same_datasets(a: Sequence[Dataset], b: Sequence[Dataset]) -> bool:
    """The same dataset objects in the same order (identity: comparing 100,000 records by value is slow)."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class AppState(QObject):
    """Datasets, catalog, query and focused drug, with a typed signal for each.

    ``notice`` carries a short sentence for the status bar (a refused tick, a dropped drug), so the
    state can explain itself without knowing about windows.
    """

    query_changed = Signal(object)  # Query
    catalog_changed = Signal(object)  # Catalog
    focused_drug_changed = Signal(str)
    notice = Signal(str)

    def __init__(
        self, datasets: Iterable[Dataset] = (), query: Query | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._datasets: tuple[Dataset, ...] = tuple(datasets)
        self._catalog = Catalog.from_datasets(self._datasets)
        self._query = valid_query(query or Query(), self._catalog)
        self._focused = self._query.drugs[0] if self._query.drugs else ""

    # -- reading ----------------------------------------------------------------------------------

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        return self._datasets

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    @property
    def query(self) -> Query:
        return self._query

    @property
    def focused_drug(self) -> str:
        return self._focused

    def user_datasets(self) -> tuple[Dataset, ...]:
        return tuple(d for d in self._datasets if d.origin is not Origin.CURATED)

    # -- the query --------------------------------------------------------------------------------

    def set_query(self, query: Query) -> None:
        """Replace the query (checked against the catalog); emits only when something changed."""
        query = valid_query(query, self._catalog)
        if query == self._query:
            return
        self._query = query
        self.query_changed.emit(query)

    def update_query(self, **changes: object) -> None:
        """Change some fields of the query: ``state.update_query(outcome="ACR50", adjusted=True)``."""
        self.set_query(self._query.with_(**changes))

    def is_ticked(self, drug_id: str) -> bool:
        return drug_id in self._query.drugs

    def set_drug_ticked(self, drug_id: str, ticked: bool) -> bool:
        """Tick or untick a drug for comparison; returns False when refused (a fifth drug, the last one).

        A trial filter in force is widened with the new drug's trials, otherwise ticking a drug whose
        trials were never offered in the filter would show nothing and look like missing data.
        """
        drugs = self._query.drugs
        if ticked == (drug_id in drugs) or drug_id not in self._catalog.drugs:
            return drug_id in drugs if ticked else drug_id not in drugs
        name = self._catalog.drugs[drug_id].name
        if ticked:
            if len(drugs) >= MAX_DRUGS:
                self.notice.emit(f"At most {MAX_DRUGS} drugs can be compared: untick one before ticking {name}.")
                return False
            trials = self._query.trials
            if trials:
                trials = tuple(dict.fromkeys((*trials, *self._catalog.trials_of(drug_id))))
            self.set_query(self._query.with_(drugs=(*drugs, drug_id), trials=trials))
            return True
        if len(drugs) <= 1:
            self.notice.emit("At least one drug stays ticked: tick another before unticking this one.")
            return False
        self.set_query(self._query.with_(drugs=tuple(d for d in drugs if d != drug_id)))
        return True

    # -- focus ------------------------------------------------------------------------------------

    def set_focused_drug(self, drug_id: str) -> None:
        """The drug the details pane describes (the catalog's current row), independent of the ticks."""
        if drug_id == self._focused or (drug_id and drug_id not in self._catalog.drugs):
            return
        self._focused = drug_id
        self.focused_drug_changed.emit(drug_id)

    # -- datasets ---------------------------------------------------------------------------------

    def set_datasets(
        self, datasets: Iterable[Dataset], query: Query | None = None, *, catalog: Catalog | None = None
    ) -> None:
        """Rebuild the catalog from ``datasets``; the query (or ``query``) is re-checked against it.

        ``catalog`` is one already built from exactly these datasets (the loader builds it on its worker
        thread, so a 100,000-arm merge does not freeze the window); it is used only if it matches.
        The new query and focus are in place before the first signal, so a view reacting to the new
        catalog never reads a query or focus the catalog no longer has (a combo would keep offering it).
        """
        self._datasets = tuple(datasets)
        if catalog is None or not same_datasets(catalog.datasets, self._datasets):
            catalog = Catalog.from_datasets(self._datasets)
        self._catalog = catalog
        # Loaded records live as long as the catalog and hold no cycles: keep the cyclic collector from
        # rescanning them (a full collection over 100,000 arms paused redraws for 100-300 ms). Collect
        # first, once per dataset change: garbage frozen in a cycle (a closure over the old catalog) would
        # otherwise never be freed.
        gc.collect()
        gc.freeze()
        new_query = valid_query(query or self._query, self._catalog)
        dropped = [d for d in (query or self._query).drugs if d not in self._catalog.drugs]
        refocus = self._focused not in self._catalog.drugs
        self._query = new_query
        if refocus:
            self._focused = new_query.drugs[0] if new_query.drugs else ""
        self.catalog_changed.emit(self._catalog)
        if dropped and query is None:
            self.notice.emit("No longer in the catalog, unticked: " + ", ".join(dropped))
        # Always emit: charts must be rebuilt from the new catalog even when the query is unchanged.
        self.query_changed.emit(new_query)
        if refocus:
            self.focused_drug_changed.emit(self._focused)

    def add_datasets(self, datasets: Iterable[Dataset], *, catalog: Catalog | None = None) -> None:
        """Append datasets; one from the same path as a loaded one replaces it (a re-opened file)."""
        self.set_datasets(merge_datasets(self._datasets, tuple(datasets)), catalog=catalog)

    def remove_dataset(self, path: str) -> bool:
        """Remove a user dataset by path; curated (shipped) datasets cannot be removed."""
        keep = tuple(d for d in self._datasets if d.path != path or d.origin is Origin.CURATED)
        if len(keep) == len(self._datasets):
            return False
        self.set_datasets(keep)
        return True

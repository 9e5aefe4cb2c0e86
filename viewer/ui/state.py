"""The window's state: a thin, signal-emitting wrapper over the headless :class:`~viewer.session.Session`.

Every widget observes this object and asks it for changes; none keeps a copy of its own. The rules (how
paths load against the catalog so far, how a query is fitted to what the data offers, how datasets
merge) are the session's, shared with the command line; this object adds the signals, the focused drug
(which only the window has) and the window's garbage-collector policy for a long-lived catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Unpack

from PySide6.QtCore import QObject, Signal

from viewer.charts.query import MAX_DRUGS, Query, QueryChanges
from viewer.domain.catalog import Catalog
from viewer.domain.model import Dataset
from viewer.gc_policy import freeze_long_lived
from viewer.session import LoadResult, Session


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
        self,
        datasets: Iterable[Dataset] = (),
        query: Query | None = None,
        parent: QObject | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        """Over ``session`` when given (the window's start-up loads it first), else a new session."""
        super().__init__(parent)
        self.session = session if session is not None else Session(datasets, query)
        self._focused = self.session.query.drugs[0] if self.session.query.drugs else ""

    # -- reading ----------------------------------------------------------------------------------

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        return self.session.datasets

    @property
    def catalog(self) -> Catalog:
        return self.session.catalog

    @property
    def query(self) -> Query:
        return self.session.query

    @property
    def focused_drug(self) -> str:
        return self._focused

    def user_datasets(self) -> tuple[Dataset, ...]:
        return self.session.user_datasets()

    # -- the query --------------------------------------------------------------------------------

    def set_query(self, query: Query) -> None:
        """Replace the query (fitted to the catalog); emits only when something changed."""
        before = self.session.query
        query = self.session.set_query(query)
        if query != before:
            self.query_changed.emit(query)

    def update_query(self, **changes: Unpack[QueryChanges]) -> None:
        """Change some fields of the query: ``state.update_query(outcome="ACR50", adjusted=True)``."""
        self.set_query(self.query.with_(**changes))

    def set_drug_ticked(self, drug_id: str, ticked: bool) -> bool:
        """Tick or untick a drug for comparison; returns False when refused (a fifth drug, the last one).

        A trial filter in force is widened with the new drug's trials, otherwise ticking a drug whose
        trials were never offered in the filter would show nothing and look like missing data.
        """
        query, catalog = self.query, self.catalog
        drugs = query.drugs
        if ticked == (drug_id in drugs) or drug_id not in catalog.drugs:
            return drug_id in drugs if ticked else drug_id not in drugs
        name = catalog.drugs[drug_id].name
        if ticked:
            if len(drugs) >= MAX_DRUGS:
                self.notice.emit(f"At most {MAX_DRUGS} drugs can be compared: untick one before ticking {name}.")
                return False
            trials = query.trials
            if trials:
                trials = tuple(dict.fromkeys((*trials, *catalog.trials_of(drug_id))))
            self.set_query(query.with_(drugs=(*drugs, drug_id), trials=trials))
            return True
        if len(drugs) <= 1:
            self.notice.emit("At least one drug stays ticked: tick another before unticking this one.")
            return False
        self.set_query(query.with_(drugs=tuple(d for d in drugs if d != drug_id)))
        return True

    # -- focus ------------------------------------------------------------------------------------

    def set_focused_drug(self, drug_id: str) -> None:
        """The drug the details pane describes (the catalog's current row), independent of the ticks."""
        if drug_id == self._focused or (drug_id and drug_id not in self.catalog.drugs):
            return
        self._focused = drug_id
        self.focused_drug_changed.emit(drug_id)

    # -- datasets ---------------------------------------------------------------------------------

    def apply(self, result: LoadResult, then: Callable[[Session], Query] | None = None, focus: str = "") -> bool:
        """Merge what a load read (:meth:`Session.apply`, with the catalog the loader's worker built, so a
        1,000,000-arm merge does not freeze the window); False when it read nothing.

        ``then`` chooses the query to show from the merged session (the new file's drugs, a reopened
        session's query) and ``focus`` the drug to describe: both are in place before the first signal,
        so the panes rebuild once for the new catalog and its query, not once for each.
        """
        before = self.query
        if not self.session.apply(result):
            return False
        self._rebuilt(before, then(self.session) if then is not None else before, focus)
        return True

    def remove_dataset(self, path: str) -> bool:
        """Remove a user dataset by path; curated (shipped) datasets cannot be removed."""
        wanted = self.query
        if not self.session.remove_dataset(path):
            return False
        self._rebuilt(wanted, wanted)
        return True

    def _rebuilt(self, before: Query, wanted: Query, focus: str = "") -> None:
        """After the datasets changed: ``wanted`` fitted to the new catalog, the focus moved, then the signals.

        The new query and focus are in place before the first signal, so a view reacting to the new
        catalog never reads a query or focus the catalog no longer has (a combo would keep offering it).
        """
        # Loaded records live as long as the catalog and hold no cycles: keep the cyclic collector from
        # rescanning them (a full collection over 100,000 arms paused redraws for 100-300 ms). The policy
        # collects first unless a file load's pause collected before its read (so the records just read are
        # not scanned): garbage frozen in a cycle (a closure over the old catalog) would never be freed.
        freeze_long_lived()
        new_query = self.session.set_query(wanted)
        catalog = self.catalog
        dropped = [d for d in before.drugs if d not in catalog.drugs]
        focused = self._focused
        if focus and focus in catalog.drugs:
            self._focused = focus
        elif self._focused not in catalog.drugs:
            self._focused = new_query.drugs[0] if new_query.drugs else ""
        self.catalog_changed.emit(catalog)
        if dropped:
            self.notice.emit("No longer in the catalog, unticked: " + ", ".join(dropped))
        # Always emit: charts must be rebuilt from the new catalog even when the query is unchanged.
        self.query_changed.emit(new_query)
        if self._focused != focused:
            self.focused_drug_changed.emit(self._focused)

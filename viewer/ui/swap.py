"""What the loader's worker prepares so that the GUI thread only swaps a loaded file in.

After a read, the GUI thread used to work out, over every record just read, what the panes show: the
catalog's lists (outcomes, populations, timepoints, terms), the new drugs and outcomes, the drug table's
rows and search keys, and the chart of the new comparison (1M arms: 12 s of frozen window). All of it is a
pure function of immutable values, so :func:`prepare_swap` does it on the worker:

- the catalog's cached lists, the result's new drugs and outcomes (``LoadResult`` caches them);
- the drug table's rows (:class:`~viewer.ui.catalog_index.CatalogRows`);
- the chart shown, for the query the window will show: the worker replays the window's own steps on a
  copy of the session (merge, the new drugs as the comparison, the query fitted), unless the window will
  ask before ticking them (:func:`~viewer.charts.crowding.new_drugs_question`). The chart pane uses the
  spec only if the catalog and query it was built for are those it is asked to draw, so a guess that
  missed (the user changed the query meanwhile) costs the usual build, never a wrong chart.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from viewer.charts.build import build_chart
from viewer.charts.crowding import new_drugs_question
from viewer.charts.query import MAX_DRUGS, Query
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.domain.catalog import Catalog
from viewer.session import LoadResult, Session
from viewer.ui.catalog_index import CatalogRows


@dataclass(frozen=True)
class Swap:
    """The prepared parts; ``spec`` is the chart ``kind`` for ``query`` over ``rows.catalog``, if built."""

    rows: CatalogRows
    kind: ChartKind | None = None
    query: Query | None = None
    spec: ChartSpec | None = None


def new_drugs(before: Catalog, result: LoadResult) -> list[str]:
    """The drugs the result brings that the catalog did not have, in the order the files bring them."""
    after = result.catalog
    return [d for d in result.brought_drugs() if d not in before.drugs and (after is None or d in after.drugs)]


def prepare_swap(
    session: Session, result: LoadResult, kind: ChartKind | None = None, wanted: Query | None = None
) -> Swap | None:
    """Run on the loader's worker after ``session.read`` (``session`` is not changed: a copy replays the
    merge). ``kind``: the chart shown when the load started; ``wanted``: the query to show instead of the
    new drugs (a reopened session's)."""
    catalog = result.catalog
    if catalog is None:
        return None
    catalog.outcome_ids(), catalog.populations(), catalog.timepoints()
    catalog.adverse_event_terms(), catalog.safety_terms()
    fresh = new_drugs(session.catalog, result)
    rows = CatalogRows.build(catalog)
    if kind is None:
        return Swap(rows)
    replay = copy.copy(session)  # attributes are immutable values; apply() and set_query() rebind them
    if not replay.apply(result) or replay.catalog is not catalog:
        return Swap(rows)
    if wanted is None:
        if new_drugs_question(catalog, tuple(fresh[:MAX_DRUGS])):
            return Swap(rows)  # the window asks first: the answer decides the query
        wanted = replay.showing(fresh, result.datasets, result.outcome_ids)
    query = replay.set_query(wanted)
    return Swap(rows, kind, query, build_chart(kind, catalog, query))

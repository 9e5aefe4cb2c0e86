"""What the loader's worker prepares so that the GUI thread only swaps a loaded file in.

After a read, the GUI thread used to work out, over every record just read, what the panes show: the
catalog's lists (outcomes, populations, timepoints, terms), the new drugs and outcomes, the drug table's
rows and search keys, and the chart of the new comparison (1M arms: 12 s of frozen window). All of it is a
pure function of immutable values, so :func:`prepare_swap` does it on the worker:

- the catalog's cached lists, the result's new drugs and outcomes (``LoadResult`` caches them);
- the drug table's rows (:class:`~viewer.ui.catalog_index.CatalogRows`);
- the chart shown, for the query the window will show: the worker replays the window's own steps on a
  copy of the session (merge, the new drugs as the comparison, the query fitted). When the window will ask
  before ticking them (:func:`~viewer.charts.crowding.new_drugs_question`: thousands of trials), that is the
  chart a "Compare them" shows (1,200 trials: 241 ms to build on the GUI thread); a "Keep my comparison"
  leaves it unused. The chart pane uses the spec only if the catalog and query it was built for are those it
  is asked to draw, so a guess that missed (the user changed the query meanwhile, or said no) costs the usual
  build, never a wrong chart;
- with the chart, what the pane derives from it: its spoken description, the points table and the ticked
  drugs it neither shows nor names (:class:`PreparedChart`).

The GUI thread swaps in two event-loop turns: the panes take the new catalog in the first (the crowding bar
says when the chart holds too many trials and offers the filter), the chart is drawn from the next on, a panel
a turn (:meth:`~viewer.ui.chart_pane.ChartPane.invalidate`: 40 trials at 100,000 arms, 400 at 1,000,000, 0.3-1 s
to draw at once), so the window repaints and answers between.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from viewer.charts.build import build_chart
from viewer.charts.describe import PlottedPoint, describe, plotted_points, unnamed
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.domain.catalog import Catalog
from viewer.query_rules import QueryField
from viewer.session import LoadResult, Session
from viewer.ui.catalog_index import CatalogRows


@dataclass(frozen=True)
class PreparedChart:
    """The chart ``kind`` for ``query`` over ``catalog``, and what the chart pane shows of it beside the
    drawing: its description (the accessible text), its points (the points table) and ``not_shown`` (the
    ticked drugs it neither draws nor names, with the session's reasons). The spec's placement (where each
    mark goes) is worked out when the spec is made, so on the worker too."""

    kind: ChartKind
    catalog: Catalog
    query: Query
    spec: ChartSpec
    description: str
    points: tuple[PlottedPoint, ...]
    not_shown: tuple[str, ...]

    @classmethod
    def of(cls, session: Session, kind: ChartKind, spec: ChartSpec) -> PreparedChart:
        """``spec`` (built from ``session``'s catalog and query) as the pane shows it (an empty one saying why:
        :meth:`~viewer.session.Session.explained`), with what the pane derives from it."""
        spec = session.explained(kind, spec)
        return cls(
            kind,
            session.catalog,
            session.query,
            spec,
            describe(spec),
            plotted_points(spec),
            tuple(not_shown(session, kind, spec)),
        )


def not_shown(session: Session, kind: ChartKind, spec: ChartSpec) -> list[str]:
    """Each ticked drug a drawn chart neither shows nor names, with the session's reason (the command
    line's words). Drugs the chart itself names (an empty panel, a note) are left to the chart."""
    if spec.is_empty:  # the empty state says why for the whole chart
        return []
    catalog, query = session.catalog, session.query
    names = {catalog.drugs[d].name: d for d in query.drugs if d in catalog.drugs}
    lines = []
    for name in unnamed(spec, list(names)):
        problems = session.validate(query.with_(drugs=(names[name],)), kind)
        if not problems:
            lines.append(f"{name}: nothing to draw with the current choices")
            continue
        p = problems[0]
        lines.append(f"{name}: {p.reason}" if p.field is QueryField.DRUGS else f"{name}: {p.value}: {p.reason}")
    return lines


@dataclass(frozen=True)
class Swap:
    """The prepared parts: the drug table's rows and, if built, the chart the window will show."""

    rows: CatalogRows
    chart: PreparedChart | None = None


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
    # what the window asks of the result whichever way it shows it (a scan of every arm and result read,
    # cached on the result): here, before any return below leaves it to the GUI thread
    fresh, outcomes = new_drugs(session.catalog, result), result.outcome_ids
    rows = CatalogRows.build(catalog)
    if kind is None:
        return Swap(rows)
    replay = copy.copy(session)  # attributes are immutable values; apply() and set_query() rebind them
    if not replay.apply(result) or replay.catalog is not catalog:
        return Swap(rows)
    if wanted is None:  # the new drugs, as the window shows them (after a yes, when it asks first)
        wanted = replay.showing(fresh, result.datasets, outcomes)
    query = replay.set_query(wanted)
    return Swap(rows, PreparedChart.of(replay, kind, build_chart(kind, catalog, query)))

"""CSV rows of the synthesis charts: the forest plot with its pooled rows, the league table, the network."""

from __future__ import annotations

from viewer.charts.league import LEAGUE_COLUMNS, league_rows
from viewer.charts.network_graph import NETWORK_COLUMNS, build_network_graph, network_rows
from viewer.charts.placement import PLACEMENT_COLUMNS, Fate
from viewer.charts.pooled import POOLED_COLUMNS, options_of, pooled_csv_rows, pooled_effects
from viewer.charts.pooled_forest import pooled_fate
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.domain.catalog import Catalog

Cell = str | int | float | None
ROW_TYPE = "row_type"


def synthesis_rows(
    kind: ChartKind,
    catalog: Catalog,
    query: Query,
    forest: tuple[tuple[str, ...], list[dict[str, Cell]]] = ((), []),
    spec: ChartSpec | None = None,
) -> tuple[tuple[str, ...], list[dict[str, Cell]]]:
    """Columns and rows for a league table, a network graph, or a forest plot with pooled rows.

    The pooled forest CSV holds the trial rows (``row_type`` "trial", the forest's own columns) followed
    by one row per pooled effect (``row_type`` "pooled", the pooled columns: method, tau², I² and its CI,
    prediction interval); a column that does not apply to a row is empty. ``forest`` is the forest's own
    columns and trial rows, ``spec`` the forest drawn from them, whose placement gives each pooled row its
    ``chart`` and ``chart_note`` (a diamond shown or clamped into an arrow; none for a single trial).
    """
    options = options_of(query)
    if kind is ChartKind.LEAGUE:
        return LEAGUE_COLUMNS, league_rows(catalog, query, options)
    if kind is ChartKind.NETWORK:
        graph = build_network_graph(catalog, query, options)
        populations = ", ".join(sorted({p.split(": ")[-1] for p in graph.warnings if p.startswith("Population")}))
        return NETWORK_COLUMNS, network_rows(graph, populations.rstrip("."), " ".join(graph.warnings))
    forest_columns, trial_rows = forest
    result = pooled_effects(catalog, query, options)
    extra = tuple(c for c in POOLED_COLUMNS if c not in forest_columns)
    trial_columns = tuple(c for c in forest_columns if c not in PLACEMENT_COLUMNS)
    columns = (ROW_TYPE, *trial_columns, *extra, *PLACEMENT_COLUMNS)  # chart, chart_note last, as in every CSV
    rows: list[dict[str, Cell]] = [{ROW_TYPE: "trial", **r} for r in trial_rows]
    if result.refused:
        rows.append({ROW_TYPE: "pooled", "note": result.refused, "chart": Fate.LEFT_OUT.value,
                     "chart_note": result.refused})  # fmt: skip
    for row, cells in zip(result.rows, pooled_csv_rows(result), strict=True):
        fate = pooled_fate(spec, row)
        rows.append({ROW_TYPE: "pooled", **cells, "chart": fate.fate.value, "chart_note": fate.reason})
    return columns, rows

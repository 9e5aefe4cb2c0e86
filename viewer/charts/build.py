"""One entry point from (kind, catalog, query) to a chart description, for the window, CLI and tests.

The builders other than the dose-response and tolerability charts (forest plot, league table, network,
safety rates, selectivity) and the pooling they use are imported when first asked for: ``drug-viewer
export`` of a dose-response chart and the first window then import only what they draw (the command line
is measured against a matplotlib script and the first paint against a bare window, ``make bench``).
"""

from __future__ import annotations

from dataclasses import replace

from viewer.charts.crowding import with_crowding
from viewer.charts.dose_response import build_dose_response
from viewer.charts.query import Query
from viewer.charts.spec import PLACEBO_COMPARISON_KINDS, ChartKind, ChartSpec
from viewer.domain.catalog import Catalog


def build_chart(kind: ChartKind, catalog: Catalog, query: Query) -> ChartSpec:
    if kind in PLACEBO_COMPARISON_KINDS:
        return with_crowding(_scoped(_placebo_comparison(kind, catalog, query), query), catalog, query)
    if kind is ChartKind.LEAGUE:
        from viewer.charts.league import league_for_picture, league_spec
        from viewer.charts.pooled import options_of

        return league_spec(league_for_picture(catalog, query, options_of(query)), query.effect)
    if kind is ChartKind.NETWORK:
        from viewer.charts.network_graph import build_network_graph, network_spec
        from viewer.charts.pooled import options_of

        return network_spec(build_network_graph(catalog, query, options_of(query)))
    if kind is ChartKind.SAFETY_RATES:
        from viewer.charts.safety_rates import build_safety_rates

        return build_safety_rates(catalog, query)
    from viewer.charts.selectivity import build_selectivity

    return build_selectivity(catalog, query)


def scope_text(query: Query) -> str:
    """Which trials a comparison chart shows, for its title: 'MTX-IR, week 12' or 'all populations, ...'."""
    population = query.population or "all populations"
    timepoint = query.timepoint or "each trial's primary timepoint"
    return f"{population}, {timepoint}"


def _scoped(spec: ChartSpec, query: Query) -> ChartSpec:
    """The chart with its population and timepoint named in the title (several drugs: like with like)."""
    if not spec.title:
        return spec
    return replace(spec, title=f"{spec.title} · {scope_text(query)}")


def _placebo_comparison(kind: ChartKind, catalog: Catalog, query: Query) -> ChartSpec:
    if kind is ChartKind.DOSE_RESPONSE:
        return build_dose_response(catalog, query)
    if kind is ChartKind.FOREST:
        from viewer.charts.forest import build_forest
        from viewer.charts.pooled import options_of

        return build_forest(catalog, query, pooling=options_of(query) if query.pool else None)
    return build_dose_response(catalog, query, adverse=True)

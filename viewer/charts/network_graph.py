"""The network graph as plain data: which treatments the trials compared, and how much evidence each link has.

Nodes are placebo (at the centre, the common comparator), each drug at each dose and regimen, and active
comparators, on a circle grouped by drug and ordered by dose; a node's area follows its patients. An
edge joins two treatments randomised against each other, its width proportional to the number of trials
(the usual network plot, Chaimani et al. 2013, PLoS One 8:e76654). Treatments the trials do not link to
placebo are drawn but marked, since the network cannot estimate them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from viewer.charts.evidence_pool import PLACEBO, gather
from viewer.charts.palette import LEGEND_GREY, drug_colour
from viewer.charts.placement import PLACEMENT_COLUMNS, Fate
from viewer.charts.pooled import SynthesisOptions
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec, Marker, Point, Series, SeriesStyle, TextLabel
from viewer.domain.catalog import Catalog
from viewer.domain.model import ArmRole
from viewer.domain.synthesis.network import components, network_edges

PLACEBO_COLOUR = "#999999"
SMALLEST_NODE = 10.0  # points: a node with no patients; it is drawn at the theme's marker size, larger ones scaled


@dataclass(frozen=True, slots=True)
class GraphNode:
    name: str
    drug_id: str
    x: float
    y: float
    colour: str
    trials: int
    patients: int
    size: float  # marker diameter in points, area proportional to patients
    connected: bool
    approved: bool


@dataclass(frozen=True, slots=True)
class GraphEdge:
    first: str
    second: str
    trials: int
    patients: int
    width: float  # line width in points, proportional to the number of trials


@dataclass(frozen=True, slots=True)
class NetworkGraph:
    title: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    footnotes: tuple[str, ...]
    warnings: tuple[str, ...]
    empty_message: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.nodes

    def node(self, name: str) -> GraphNode:
        return next(n for n in self.nodes if n.name == name)


def build_network_graph(catalog: Catalog, query: Query, options: SynthesisOptions) -> NetworkGraph:
    evidence = gather(catalog, query, combine_populations=options.combine_populations)
    title = f"{query.outcome}: network of randomised comparisons"
    if evidence.refused:
        return NetworkGraph(title, (), (), (), evidence.caveats, empty_message=evidence.refused)
    edges = network_edges(evidence.trials)
    linked = next((g for g in components(evidence.trials) if PLACEBO in g), set())
    trials_of: dict[str, int] = {}
    patients_of: dict[str, int] = {}
    for t in evidence.trials:
        for a in t.arms:
            trials_of[a.treatment] = trials_of.get(a.treatment, 0) + 1
            patients_of[a.treatment] = patients_of.get(a.treatment, 0) + a.n
    ring = [n for n in evidence.nodes if n.role is not ArmRole.PLACEBO]
    largest = max(patients_of.values(), default=1)
    nodes = []
    for n in evidence.nodes:
        if n.role is ArmRole.PLACEBO:
            x = y = 0.0
            colour = PLACEBO_COLOUR
        else:
            angle = math.pi / 2 - 2 * math.pi * ring.index(n) / len(ring)
            x, y = math.cos(angle), math.sin(angle)
            colour = drug_colour(query.drugs.index(n.drug_id)) if n.drug_id in query.drugs else LEGEND_GREY
        size = SMALLEST_NODE + 26.0 * math.sqrt(patients_of.get(n.name, 0) / largest)
        nodes.append(GraphNode(n.name, n.drug_id, x, y, colour, trials_of.get(n.name, 0), patients_of.get(n.name, 0),
                               size, n.name in linked, n.approved))  # fmt: skip
    most = max((e.trials for e in edges), default=1)
    graph_edges = tuple(
        GraphEdge(e.first, e.second, e.trials, e.patients, 1.0 + 5.0 * (e.trials - 1) / max(most - 1, 1)) for e in edges
    )
    footnotes = [
        f"{len(evidence.trials)} trials, {len(nodes)} treatments, {sum(patients_of.values())} patients. "
        "Line width: number of trials comparing the two treatments; node area: patients per treatment (in its "
        "label).",
    ]
    unlinked = [n.name for n in nodes if not n.connected]
    if unlinked:
        footnotes.append("Not linked to placebo by any trial (hollow): " + ", ".join(unlinked) + ".")
    return NetworkGraph(title, tuple(nodes), graph_edges, tuple(footnotes), evidence.caveats)


EDGE_COLOUR = "#8C8C8C"
NETWORK_COLUMNS: tuple[str, ...] = ("first", "second", "trials", "patients", "populations", "note", *PLACEMENT_COLUMNS)
UNLINKED_NOTE = "drawn between hollow nodes: no trial links them to placebo, so the network estimates neither"


def network_spec(graph: NetworkGraph) -> ChartSpec:
    """Edges as lines (width by trials), nodes as markers coloured by drug, names beside the nodes."""
    if graph.is_empty:
        return ChartSpec(ChartKind.NETWORK, graph.title, "", "", warnings=graph.warnings,
                         empty_message=graph.empty_message)  # fmt: skip
    at = {n.name: n for n in graph.nodes}
    series = []
    for e in graph.edges:
        a, b = at[e.first], at[e.second]
        tip = f"{e.first} vs {e.second}: {e.trials} trial{'s' if e.trials != 1 else ''}, {e.patients} patients"
        ends = (Point(a.x, a.y, tooltip=tip), Point(b.x, b.y, tooltip=tip))
        series.append(
            Series(f"{e.first} – {e.second}", EDGE_COLOUR, Marker.CIRCLE, ends, in_legend=False, width=e.width)
        )
    by_colour: dict[str, list[GraphNode]] = {}
    for n in graph.nodes:
        by_colour.setdefault(n.colour, []).append(n)
    for colour, nodes in by_colour.items():
        pts = tuple(
            Point(n.x, n.y, label=n.name, hollow=not n.connected, area=(n.size / SMALLEST_NODE) ** 2,
                  tooltip=f"{n.name}: {n.trials} trial{'s' if n.trials != 1 else ''}, {n.patients} patients")
            for n in nodes
        )  # fmt: skip
        name = "Placebo" if nodes[0].name == PLACEBO else (nodes[0].name.split(" ")[0] if nodes[0].drug_id else "")
        series.append(Series(name, colour, Marker.CIRCLE, pts, style=SeriesStyle.SCATTER))
    labels = []
    for n in graph.nodes:
        if n.name == PLACEBO:
            labels.append(TextLabel(n.x, n.y - 0.08, f"placebo\nn={n.patients}", anchor=(0.5, 0.0)))
            continue
        ax = 0.0 if n.x > 0.15 else 1.0 if n.x < -0.15 else 0.5
        ay = 0.0 if n.y < -0.15 else 1.0 if n.y > 0.15 else 0.5
        labels.append(TextLabel(n.x * 1.07, n.y * 1.07, node_label(n), color=n.colour, anchor=(ax, ay)))
    return ChartSpec(
        kind=ChartKind.NETWORK,
        title=graph.title,
        x_label="",
        y_label="",
        series=tuple(series),
        x_range=(-1.9, 1.9),
        y_range=(-1.35, 1.35),
        labels=tuple(labels),
        show_axes=False,
        footnotes=graph.footnotes,
        warnings=graph.warnings,
    )


def node_label(node: GraphNode) -> str:
    """A ring node's name in short lines (drug; dose and regimen, approved or not; patients), so the labels
    on the ring's left and right stay inside a chart as narrow as the window's at 1024 px."""
    drug, _, dose = node.name.partition(" ")
    second = ", ".join(part for part in (dose, "approved" if node.approved else "") if part)
    return "\n".join(line for line in (drug, second, f"n={node.patients}") if line)


def network_rows(graph: NetworkGraph, populations: str, note: str) -> list[dict[str, str | int | float | None]]:
    """One CSV row per edge; every edge is drawn (``chart`` "shown"), and ``chart_note`` says when its nodes
    are drawn hollow because no trial links them to placebo."""
    linked = {n.name for n in graph.nodes if n.connected}
    return [
        {"first": e.first, "second": e.second, "trials": e.trials, "patients": e.patients,
         "populations": populations, "note": note, "chart": Fate.SHOWN.value,
         "chart_note": "" if {e.first, e.second} <= linked else UNLINKED_NOTE}
        for e in graph.edges
    ]  # fmt: skip

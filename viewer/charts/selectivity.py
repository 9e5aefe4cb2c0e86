"""JAK1/JAK2/JAK3/TYK2 potency per drug on a log scale, with the assay named for every value.

IC50s from different assays (enzyme at different ATP concentrations, cellular) are not comparable, so
the assay travels with each point and into the footnote.
"""

from __future__ import annotations

from viewer.charts.common import HOLLOW_NOTE, MARK_OF, evidence_text
from viewer.charts.palette import drug_colour
from viewer.charts.placement import LeftOut, PointKey
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec, Marker, Point, Series, SeriesStyle
from viewer.domain.catalog import Catalog
from viewer.domain.model import EvidenceLevel

KINASES = ("JAK1", "JAK2", "JAK3", "TYK2")
OFFSET = 0.12
BOUND_ARROW = 2.0  # length of the arrow that marks a '>' or '<' IC50, as a factor on the log axis


def build_selectivity(catalog: Catalog, query: Query) -> ChartSpec:
    title = "JAK selectivity: IC50 by kinase (lower = more potent)"
    drugs = [catalog.drugs[d] for d in query.drugs if d in catalog.drugs]
    series, assays, sources, hollow = [], [], set(), False
    left_out: list[LeftOut] = []
    values: list[float] = []
    for i, drug in enumerate(drugs):
        points = []
        shift = (i - (len(drugs) - 1) / 2) * OFFSET
        for k, s in enumerate(drug.selectivity):
            if s.target not in KINASES:
                left_out.append(
                    LeftOut(selectivity_key(drug.id, k), f"not one of the kinases drawn ({', '.join(KINASES)})")
                )
                continue
            if query.verified_only and s.level is not EvidenceLevel.VERIFIED:
                left_out.append(LeftOut(selectivity_key(drug.id, k), "not verified ('verified figures only' is on)"))
                continue
            source = catalog.source(s.source_id)
            value = f"{s.qualifier}{s.ic50_nm:g} nM"
            tooltip = "\n".join(
                [f"{drug.name}: {s.target} IC50 {value}", f"Assay: {s.assay}",
                 f"Source: {source.short() if source else s.source_id} "
                 f"[{evidence_text(catalog, s.source_id, s.level)}]"]
            )  # fmt: skip
            points.append(
                Point(
                    x=KINASES.index(s.target) + shift,
                    y=s.ic50_nm,
                    # a bound is drawn as an arrow of fixed length (a factor of 2) pointing away from it
                    low=s.ic50_nm / BOUND_ARROW if s.qualifier == "<" else None,
                    high=s.ic50_nm * BOUND_ARROW if s.qualifier == ">" else None,
                    label=value,
                    tooltip=tooltip,
                    hollow=s.level is not EvidenceLevel.VERIFIED,
                    mark=MARK_OF[s.level],
                    clipped_low=s.qualifier == "<",
                    clipped_high=s.qualifier == ">",
                    key=selectivity_key(drug.id, k),
                )
            )
            values.append(s.ic50_nm)
            sources.add(source.short() if source else s.source_id)
            hollow = hollow or s.level is not EvidenceLevel.VERIFIED
            assays.append(f"{drug.name}: {s.assay}")
        if points:
            series.append(Series(drug.name, drug_colour(i), Marker.CIRCLE, tuple(points), style=SeriesStyle.SCATTER))
    if not series:
        names = ", ".join(d.name for d in drugs) or "the selected drugs"
        return ChartSpec(
            ChartKind.SELECTIVITY, title, "Kinase", "IC50 (nM, log scale)",
            empty_message=f"No IC50 values with a source for {names}.",
            left_out=tuple(left_out),
        )  # fmt: skip
    footnotes = [
        "Assays: " + "; ".join(dict.fromkeys(assays)),
        "Values from different assays are not directly comparable. '>' marks a lower bound (arrow).",
    ]
    if hollow:
        footnotes.append(HOLLOW_NOTE)
    footnotes.append("Sources: " + "; ".join(sorted(sources)))
    return ChartSpec(
        kind=ChartKind.SELECTIVITY,
        title=title,
        x_label="Kinase",
        y_label="IC50 (nM, log scale)",
        series=tuple(series),
        y_log=True,
        x_range=(-0.6, len(KINASES) - 0.4),
        y_range=(min(values) / 3, max(values) * 3),
        x_ticks=tuple((float(i), k) for i, k in enumerate(KINASES)),
        footnotes=tuple(footnotes),
        left_out=tuple(left_out),
    )


def selectivity_key(drug_id: str, index: int) -> PointKey:
    """The point of a drug's ``index``-th IC50 (two assays of one kinase are two points and two CSV rows)."""
    return (drug_id, str(index))

"""Fold-selectivity against JAK1: the fold of each kinase from the same assay and source, bounds kept as bounds,
every ticked drug in the chart or named with its reason, plain log labels, and the raw IC50s on demand."""

from __future__ import annotations

import pytest

from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.selectivity import folds
from viewer.charts.spec import ChartKind
from viewer.charts.table import chart_rows
from viewer.domain.catalog import Catalog
from viewer.domain.model import Drug, EvidenceLevel, Selectivity

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


def test_folds_of_the_catalog_drugs(shipped_catalog: Catalog) -> None:
    upa, _ = folds(shipped_catalog.drugs["upadacitinib"])
    assert {f.target: round(f.value, 2) for f in upa} == {"JAK2": 2.79, "JAK3": 53.49, "TYK2": 109.3}  # 120/43 ...
    assert {f.qualifier for f in upa} == {"~"}  # recalled approximate values stay approximate
    bari, why = folds(shipped_catalog.drugs["baricitinib"])
    assert [(f.target, round(f.value, 3)) for f in bari] == [("JAK2", 0.966)]  # 5.7 / 5.9, one assay (B11)
    # JAK3 (>400 nM) and TYK2 come from another source (the SmPC): no fold against B11's JAK1
    assert sorted(why.values()).count("no JAK1 IC50 from the same assay, so no fold") == 2


def test_a_bound_stays_a_bound_and_two_bounds_give_no_fold() -> None:
    def ic50(target: str, value: float, qualifier: str = "") -> Selectivity:
        return Selectivity(target, value, qualifier, "enzyme", "S1", EvidenceLevel.VERIFIED)

    drug = Drug("x", "X", selectivity=(ic50("JAK1", 10), ic50("JAK3", 400, ">"), ic50("TYK2", 50)))
    found, _ = folds(drug)
    assert [(f.target, f.value, f.qualifier) for f in found] == [("JAK3", 40.0, ">"), ("TYK2", 5.0, "")]
    both = Drug("y", "Y", selectivity=(ic50("JAK1", 10, ">"), ic50("JAK2", 400, ">")))
    assert folds(both)[0] == [] and "both values are bounds" in folds(both)[1][1]
    upper = Drug("z", "Z", selectivity=(ic50("JAK1", 10, ">"), ic50("JAK2", 40)))
    assert [(f.value, f.qualifier) for f in folds(upper)[0]] == [(4.0, "<")]


def test_fold_chart_names_every_ticked_drug_and_labels_plainly(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.SELECTIVITY, shipped_catalog, Query(drugs=FOUR))
    assert spec.y_label.startswith("Fold vs JAK1") and spec.y_log
    assert [s.name for s in spec.series] == ["Upadacitinib", "Baricitinib", "Filgotinib"]
    labels = [e.label for e in spec.legend]
    assert "Tofacitinib: no exact IC50 in its sources" in labels  # named in the chart, not dropped
    assert "Not in the chart: Tofacitinib (no exact IC50 in its sources)." in spec.footnotes
    assert all(float(text) == pytest.approx(v) for v, text in spec.y_ticks)  # '100', never '10²'
    assert spec.ref_lines[0].value == 1.0
    upa = spec.series[0]
    assert [p.y for p in upa.points] == pytest.approx([120 / 43, 2300 / 43, 4700 / 43])
    assert "Assay: enzyme, recombinant catalytic domain, 100 µM ATP" in upa.points[0].tooltip
    # colours are the drugs' session colours, as on every chart
    assert upa.color == build_chart(ChartKind.SELECTIVITY, shipped_catalog, Query(drugs=FOUR[:1])).series[0].color


def test_raw_ic50_on_demand_and_the_csv_carries_the_fold(shipped_catalog: Catalog) -> None:
    raw = build_chart(ChartKind.SELECTIVITY, shipped_catalog, Query(drugs=FOUR, ic50_raw=True))
    assert raw.y_label.startswith("IC50 (nM") and raw.series[0].name == "Upadacitinib"
    assert all(float(text) == pytest.approx(v) for v, text in raw.y_ticks)
    _columns, rows = chart_rows(ChartKind.SELECTIVITY, shipped_catalog, Query(drugs=("baricitinib",)))
    jak2 = next(r for r in rows if r["target"] == "JAK2")
    assert jak2["fold_vs_jak1"] == pytest.approx(5.7 / 5.9) and jak2["chart"] == "shown"
    jak3 = next(r for r in rows if r["target"] == "JAK3")
    assert jak3["fold_vs_jak1"] is None and jak3["chart"] == "left out" and "same assay" in str(jak3["chart_note"])

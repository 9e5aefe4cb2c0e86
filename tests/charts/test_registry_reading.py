"""Issue 14 on the chart side: harms get NNH, zero cells and flagged counts reach the CSV, arms without a
comparable daily dose are named in the footnote. Real record NCT02552212 and small synthetic records."""

from __future__ import annotations

import json
from pathlib import Path

from tests.readers.test_ctgov_json import _study
from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.charts.table import Cell, chart_rows
from viewer.domain.catalog import Catalog
from viewer.domain.readers.ctgov import read_ctgov_json

CZP_RECORD = Path(__file__).resolve().parents[1] / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"
SAE = "Percentage of Subjects With Serious Adverse Events (SAEs) During the Study"


def czp() -> Catalog:
    return Catalog.from_datasets([read_ctgov_json(CZP_RECORD, None)])


def arm_rows(rows: list[dict[str, Cell]]) -> list[dict[str, Cell]]:
    """The CSV's arm rows (the rows naming an outcome kept out come after them)."""
    return [r for r in rows if not r.get("left_out")]


def test_an_outcome_that_counts_harms_gets_an_nnh() -> None:
    catalog = czp()
    drug = next(iter(catalog.drugs))
    _columns, rows = chart_rows(ChartKind.DOSE_RESPONSE, catalog, Query(drugs=(drug,), outcome=SAE))
    (row,) = arm_rows(rows)
    assert str(row["nnt_ci"]).startswith("NNH") or "NNTB" in str(row["nnt_ci"])
    assert "NNT " not in str(row["nnt_ci"]).replace("NNTB", "")


def test_a_zero_cell_is_named_in_the_csv_and_in_the_sponsor_text() -> None:
    catalog = czp()
    drug = next(iter(catalog.drugs))
    query = Query(drugs=(drug,), ae_term="Diarrhoea (serious)")
    columns, rows = chart_rows(ChartKind.TOLERABILITY, catalog, query)
    assert "correction" in columns and "count_note" in columns
    (row,) = arm_rows(rows)
    assert (row["responders"], row["n"], row["placebo_responders"], row["placebo_n"]) == (1, 159, 0, 158)
    assert row["correction"] == "0.5 added to each cell (a zero cell)"


def test_a_percentage_that_fits_several_counts_reaches_the_csv_and_the_footnote(tmp_path: Path) -> None:
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(_study(values=("1.0", "30.0"), denoms=("4996", "100"))), encoding="utf-8")
    catalog = Catalog.from_datasets([read_ctgov_json(path, None)])
    query = Query(drugs=("abt494",), outcome="ACR20 Response at Week 12")
    _columns, rows = chart_rows(ChartKind.DOSE_RESPONSE, catalog, query)
    (row,) = arm_rows(rows)
    assert row["count_note"] == "1.0% of 4996 fits 5 whole counts (48 to 52); 50 used"
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, query)
    flagged = "Counts from a percentage that fits no or several whole counts: 1 (the tooltip and the CSV's count_note"
    assert f"{flagged} say which)." in spec.footnotes


def test_an_arm_dosed_per_kg_is_named_not_dropped(tmp_path: Path) -> None:
    study = _study()
    measure = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    measure["groups"][0]["title"] = "ABT-494 10 mg/kg Q4W"
    study["resultsSection"]["adverseEventsModule"]["eventGroups"][0]["title"] = "ABT-494 10 mg/kg Q4W"
    path = tmp_path / "perkg.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    catalog = Catalog.from_datasets([read_ctgov_json(path, None)])
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, Query(drugs=("abt494",), outcome="ACR20 Response at Week 12"))
    named = "without a comparable daily dose, not drawn: 1: ABT-494 10 mg/kg Q4W (dose per body size (10 mg/kg))"
    assert named in " ".join(spec.empty_message.split())  # the only drug arm: the chart is empty and says why


def test_the_sponsor_text_names_a_continuity_corrected_estimate_as_such() -> None:
    from viewer.charts.sponsor import Agreement, SponsorCheck
    from viewer.domain.measures import Effect, RatioCI
    from viewer.domain.model import SponsorAnalysis
    from viewer.domain.stats import Estimate

    posted = SponsorAnalysis("t", "o", "w12", ("a", "p"), "Odds Ratio (OR)", 3.1, 0.4, 25.0, 95.0, "0.3", "", "", "s")
    method = next(iter(RatioCI))
    corrected = SponsorCheck(posted, Effect.OR, Estimate(3.0, 0.3, 29.0, method, corrected=True), Agreement.AGREES)
    crude = SponsorCheck(posted, Effect.OR, Estimate(3.0, 0.3, 29.0, method), Agreement.AGREES)
    assert "agrees with the app's continuity-corrected (0.5 added to each cell) odds ratio" in corrected.text()
    assert "agrees with the app's crude odds ratio" in crude.text()

"""Issue 14: what a chart leaves out is named on the chart and in its CSV.

Outcomes of the wrong kind (real records), Emax fits that failed, were not attempted or hit a bound, the
count note on the forest plot, and row labels that do not repeat the drug (real record NCT02210780).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.readers.test_ctgov_json import _add_group, _study
from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.charts.table import chart_rows
from viewer.domain.catalog import Catalog
from viewer.domain.emax import EmaxError
from viewer.domain.readers import load_path
from viewer.domain.readers.ctgov import read_ctgov_json

DATA = Path(__file__).resolve().parents[1] / "data" / "ctgov"
ACR20 = "ACR20 Response at Week 12"


def catalog_of(*names: str) -> Catalog:
    return Catalog.from_datasets([load_path(DATA / name) for name in names])


def test_forest_names_the_outcomes_kept_out_and_the_csv_lists_each_with_its_reason() -> None:
    catalog = catalog_of("NCT02210780.json")
    (drug,) = catalog.drugs
    query = Query(
        drugs=(drug,),
        outcome=next(o for o in catalog.outcomes if o.startswith("Percentage of Participants With a Positive")),
    )
    spec = build_chart(ChartKind.FOREST, catalog, query)
    (note,) = [f for f in spec.footnotes if f.startswith("Registry outcomes kept out")]
    assert "5 (5 continuous measure), e.g. " in note
    assert "Each with its trial and reason in the CSV's left_out column." in note
    columns, rows = chart_rows(ChartKind.FOREST, catalog, query)
    kept = [r for r in rows if r.get("left_out")]
    assert len(kept) == 5 and "left_out" in columns
    assert all(str(r["left_out"]).startswith("continuous measure: ") for r in kept)
    assert {r["nct"] for r in kept} == {"NCT02210780"}


def test_a_record_with_nothing_to_draw_says_what_was_kept_out() -> None:
    catalog = catalog_of("NCT02305381_SUSTAIN5_ctgov_legacy.xml")
    query = Query(drugs=tuple(catalog.drugs), outcome="ACR20")
    spec = build_chart(ChartKind.FOREST, catalog, query)
    assert spec.is_empty
    message = " ".join((spec.empty_message or "").split())
    assert "Registry outcomes kept out (not crude counts of participants): 8 (6 continuous measure, " in message
    assert "2 adjusted or model-based estimate" in message
    assert all(len(line) <= 96 for line in (spec.empty_message or "").splitlines()[1:])


def test_tolerability_names_only_the_harm_outcomes_kept_out() -> None:
    catalog = catalog_of("NCT01076361.xml", "NCT02552212_ctgov_v2.json")
    czp = next(d for d in catalog.drugs if "certolizumab" in d)
    spec = build_chart(ChartKind.TOLERABILITY, catalog, Query(drugs=(czp,), ae_term="Diarrhoea"))
    assert not [f for f in spec.footnotes if f.startswith("Registry outcomes kept out")]  # no harm kept out
    _columns, rows = chart_rows(ChartKind.TOLERABILITY, catalog, Query(drugs=(czp,), ae_term="Diarrhoea"))
    assert not [r for r in rows if r.get("left_out")]
    asdas = next(o for o in catalog.outcomes if "(ASDAS-MI)" in o)
    efficacy = build_chart(ChartKind.DOSE_RESPONSE, catalog, Query(drugs=(czp,), outcome=asdas))
    kept = "Registry outcomes kept out (not crude counts of participants): 23 (22 continuous measure, 1 results not"
    assert [f for f in efficacy.footnotes if f.startswith(kept)]


def test_row_labels_do_not_repeat_the_drug() -> None:
    catalog = catalog_of("NCT02210780.json")
    (drug,) = catalog.drugs
    query = Query(
        drugs=(drug,),
        outcome=next(o for o in catalog.outcomes if o.startswith("Percentage of Participants With a Positive")),
    )
    spec = build_chart(ChartKind.FOREST, catalog, query)
    labels = [label for _y, label in spec.y_ticks if " · " in label]
    # the row names the arm as the record does, not "Dupilumab Dupilumab 300 mg qw"
    assert labels == [f"Dupilumab 300 mg qw · {catalog.trials['nct02210780'].name}"]


def _two_doses(tmp_path: Path, values: tuple[str, str, str]) -> Catalog:
    study = _study(values=(values[0], values[2]))
    _add_group(study, "OG002", "ABT-494 30 mg QD", values[1], "100")
    path = tmp_path / "doses.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    return Catalog.from_datasets([read_ctgov_json(path, None)])


def test_an_emax_fit_at_a_bound_is_named_in_the_footnote_and_the_csv(tmp_path: Path) -> None:
    catalog = _two_doses(tmp_path, ("50.0", "50.0", "10.0"))  # flat above the lowest dose: ED50 runs to its bound
    query = Query(drugs=("abt494",), outcome=ACR20, emax=True)
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, query)
    (note,) = [f for f in spec.footnotes if f.startswith("Emax fits: Emax fit · ABT-494 · SYN")]
    assert "(ed50 at a bound)" in note
    _columns, rows = chart_rows(ChartKind.DOSE_RESPONSE, catalog, query)
    fits = {str(r["emax_fit"]) for r in rows if not r.get("left_out")}
    assert len(fits) == 1 and "(ed50 at a bound)" in fits.pop()


def test_a_failed_emax_fit_is_named_not_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import viewer.domain.emax as emax

    def fails(*_args: object, **_kwargs: object) -> None:
        raise EmaxError("the parameter covariance could not be estimated")

    monkeypatch.setattr(emax, "fit_emax", fails)
    catalog = _two_doses(tmp_path, ("20.0", "40.0", "10.0"))
    query = Query(drugs=("abt494",), outcome=ACR20, emax=True)
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, query)
    assert not spec.bands
    failed = "Emax fit not drawn (the fit failed: the parameter covariance could not be estimated): ABT-494 · SYN"
    assert [f for f in spec.footnotes if f.startswith(failed)]
    _columns, rows = chart_rows(ChartKind.DOSE_RESPONSE, catalog, query)
    assert {r["emax_fit"] for r in rows if not r.get("left_out")} == {
        "not drawn (the fit failed: the parameter covariance could not be estimated)"
    }


def test_a_trial_with_one_dose_says_no_emax_was_fitted(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_study()), encoding="utf-8")
    catalog = Catalog.from_datasets([read_ctgov_json(path, None)])
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, Query(drugs=("abt494",), outcome=ACR20, emax=True))
    assert "Emax fit not drawn (fewer than two doses with counts): ABT-494 · SYN (Week 12)." in spec.footnotes


def test_the_forest_counts_the_flagged_percentages(tmp_path: Path) -> None:
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(_study(values=("1.0", "30.0"), denoms=("4996", "100"))), encoding="utf-8")
    catalog = Catalog.from_datasets([read_ctgov_json(path, None)])
    spec = build_chart(ChartKind.FOREST, catalog, Query(drugs=("abt494",), outcome=ACR20))
    flagged = "Counts from a percentage that fits no or several whole counts: 1 (the tooltip and the CSV's count_note"
    assert f"{flagged} say which)." in spec.footnotes
    (point,) = [p for s in spec.series for p in s.points]
    assert "1.0% of 4996 fits 5 whole counts (48 to 52); 50 used" in point.tooltip


def test_a_real_arm_dosed_per_kg_is_named_where_the_dose_axis_leaves_it_out() -> None:
    catalog = catalog_of("NCT00734539.xml")
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, Query(drugs=("fluconazole",), outcome="Death or Candidiasis"))
    message = " ".join((spec.empty_message or "").split())
    assert "Arms without a comparable daily dose, not drawn: 1: Fluconazole (dose per body size (6 mg/kg))." in message
    _columns, rows = chart_rows(
        ChartKind.DOSE_RESPONSE, catalog, Query(drugs=("fluconazole",), outcome="Death or Candidiasis")
    )
    (arm,) = [r for r in rows if not r.get("left_out")]
    assert (arm["dose"], arm["daily_dose_mg"], arm["responders"], arm["n"]) == ("6 mg/kg BIW", None, 31, 188)

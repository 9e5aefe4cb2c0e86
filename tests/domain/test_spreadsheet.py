"""The single-spreadsheet reader, on the migraine dose-finding data laid out in data/template.csv form."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset, Drug, Origin
from viewer.domain.readers import load_path
from viewer.domain.readers.spreadsheet import read_spreadsheet

DATA = Path(__file__).resolve().parent.parent / "data"
HEADER = (Path(__file__).resolve().parents[2] / "data" / "template.csv").read_text().strip()


def test_migraine_sheet_has_eight_dose_levels() -> None:
    ds = read_spreadsheet(DATA / "migraine_spreadsheet.csv")
    assert len(ds.arms) == 8
    assert sorted(a.daily_dose_mg or 0.0 for a in ds.arms) == [0, 2.5, 5, 10, 20, 50, 100, 200]
    assert len(ds.trials) == 1 and ds.trials[0].nct == "NCT00712725"
    assert [d.name for d in ds.drugs] == ["study drug"]
    assert ds.drugs[0].origin is Origin.USER
    assert sum(r.n or 0 for r in ds.results) == 517
    assert all(r.provenance.startswith("migraine_spreadsheet.csv row ") for r in ds.results)


def test_migraine_emax_through_the_chart_layer_matches_reference() -> None:
    from viewer.charts.build import build_chart

    catalog = Catalog.from_datasets([read_spreadsheet(DATA / "migraine_spreadsheet.csv")])
    query = Query(drugs=("studydrug",), outcome="pain-free at 2 h", emax=True)
    spec = build_chart(ChartKind.DOSE_RESPONSE, catalog, query)
    assert len(spec.series) == 1
    assert len(spec.series[0].points) == 8
    band = spec.bands[0]
    assert "E0 10%" in band.name and "ED50 21.7 mg" in band.name
    assert band.y[0] == pytest.approx(100 * 0.10006, rel=1e-3)


def test_drugs_match_the_catalog_by_code(tmp_path: Path) -> None:
    upa = Drug(id="upadacitinib", name="Upadacitinib", codes=("ABT-494",))
    catalog = Catalog.from_datasets([Dataset(label="t", path="", origin=Origin.CURATED, drugs=(upa,))])
    sheet = tmp_path / "mine.csv"
    sheet.write_text(
        HEADER + "\n"
        "T,,TNF-IR,week 12,,placebo,Placebo,,,,0,ACR20,10,,50,Me 2024,,,,,verified,\n"
        "T,,TNF-IR,week 12,ABT-494,drug,6 mg BID,6,mg,BID,12,ACR20,,58.2,55,Me 2024,,,,,verified,\n"
    )
    ds = load_path(sheet, catalog)
    assert ds.drugs == ()
    drug_arm = next(a for a in ds.arms if a.drug_id)
    assert drug_arm.drug_id == "upadacitinib"
    derived = next(r for r in ds.results if r.arm_id == drug_arm.id)
    assert (derived.responders, derived.derived) == (32, True)


def test_bad_rows_are_all_reported(tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        HEADER + "\n"
        "T,,TNF-IR,week 12,,placebo,Placebo,,,,0,ACR20,60,,50,Me 2024,,,,,verified,\n"
        "T,,TNF-IR,week 12,x,drug,6 mg,6,mg,BID,12,ACR20,,158.2,55,,,,,,verified,\n"
        "T,,TNF-IR,week 12,x,sometimes,7 mg,6,mg,BID,12,ACR20,1,,55,Me 2024,,,,,sure,\n"
    )
    with pytest.raises(DataError) as info:
        read_spreadsheet(sheet)
    assert [str(p) for p in info.value.problems] == [
        "bad.csv:row 2: responders: 60 is more than n = 50",
        "bad.csv:row 3: citation: is required",
        "bad.csv:row 3: percent: must be between 0 and 100, got 158.2",
        "bad.csv:row 4: role: must be drug, placebo or active, not 'sometimes'",
        "bad.csv:row 4: level: must be one of verified, secondary, unverified, not 'sure'",
    ]

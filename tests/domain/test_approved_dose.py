"""The approved RA dose of each catalog drug under the stated rule, and doses as multiples of it."""

from __future__ import annotations

import pytest

from viewer.domain.approved_dose import approved_dose, dose_multiple
from viewer.domain.catalog import Catalog
from viewer.domain.model import Drug, EvidenceLevel, Fact


@pytest.mark.parametrize(
    ("drug_id", "daily_mg", "others"),
    [
        ("upadacitinib", 15.0, ()),  # the "30 mg not approved" sentence states no daily dose
        ("tofacitinib", 10.0, ()),  # 5 mg twice daily, US and EU alike; the XR tablet fact states none
        ("baricitinib", 4.0, (2.0,)),  # EU standard 4 mg; US 2 mg kept as the other dose
        ("filgotinib", 200.0, (100.0,)),  # 100 mg: the reduction for age 75+ and renal impairment
        ("peficitinib", 150.0, (100.0,)),  # "150 mg once daily (recommended dose)"
    ],
)
def test_catalog_approved_doses_follow_the_rule(
    shipped_catalog: Catalog, drug_id: str, daily_mg: float, others: tuple[float, ...]
) -> None:
    dose = approved_dose(shipped_catalog.drugs[drug_id])
    assert dose is not None
    assert dose.daily_mg == daily_mg
    assert dose.other_mg == others
    assert dose.fact.daily_mg == daily_mg
    assert dose.fact in shipped_catalog.drugs[drug_id].approved_doses


def test_a_drug_not_approved_for_ra_has_no_approved_dose(shipped_catalog: Catalog) -> None:
    assert approved_dose(shipped_catalog.drugs["ruxolitinib"]) is None


def test_multiples_of_the_approved_dose(shipped_catalog: Catalog) -> None:
    upa = approved_dose(shipped_catalog.drugs["upadacitinib"])
    assert upa is not None
    assert [dose_multiple(mg, upa) for mg in (0.0, 6.0, 15.0, 30.0)] == [0.0, 0.4, 1.0, 2.0]
    assert upa.text == "15 mg/day"
    bari = approved_dose(shipped_catalog.drugs["baricitinib"])
    assert bari is not None and bari.text == "4 mg/day (also stated: 2 mg/day)"


def test_the_best_evidenced_fact_is_cited() -> None:
    weak = Fact("10 mg daily (recalled)", "S1", EvidenceLevel.UNVERIFIED, daily_mg=10.0)
    strong = Fact("10 mg daily (label)", "S2", EvidenceLevel.VERIFIED, daily_mg=10.0)
    none = Fact("Not approved at 20 mg", "S2", EvidenceLevel.VERIFIED)
    dose = approved_dose(Drug("x", "X", approved_doses=(weak, none, strong)))
    assert dose is not None and dose.fact is strong and dose.other_mg == ()

"""Results groups matched to protocol arms: a placebo group never pools a drug arm (issue 14).

The arm labels are those of the lenalidomide MDS-005 record (NCT01029262, `ctti-clinicaltrials/aact`,
`spec/support/xml_data/NCT01029262.xml`): "Arm #1 - Lenalidomide plus placebo" (EXPERIMENTAL, a double
dummy) and "Arm #2 - placebo" (PLACEBO_COMPARATOR), with results groups titled "Lenalidomide" and
"Placebo". The "Placebo" group used to be described as pooling both protocol arms.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.readers.test_ctgov_json import _study
from viewer.domain.model import ArmRole
from viewer.domain.readers.ctgov import read_ctgov_json

ARM_1 = "Arm #1 - Lenalidomide plus placebo"
ARM_2 = "Arm #2 - placebo"
ARM_1_TEXT = (
    "Lenalidomide 10 mg by mouth (PO) daily plus 2 placebo capsules for participants with a creatinine clearance "
    "≥ 60 mL/min for at least 168 days until disease progression, intolerable side effects or withdrawal of consent."
)


def _mds005(tmp_path: Path) -> Path:
    study = _study(intervention="Lenalidomide")
    module = study["protocolSection"]["armsInterventionsModule"]
    module["armGroups"] = [
        {
            "label": ARM_1,
            "type": "EXPERIMENTAL",
            "description": ARM_1_TEXT,
            "interventionNames": ["Drug: Lenalidomide"],
        },
        {"label": ARM_2, "type": "PLACEBO_COMPARATOR", "interventionNames": ["Drug: Placebo"]},
    ]
    module["interventions"] = [
        {"type": "DRUG", "name": "Lenalidomide", "armGroupLabels": [ARM_1]},
        {"type": "DRUG", "name": "Placebo", "armGroupLabels": [ARM_1, ARM_2]},
    ]
    results = study["resultsSection"]
    results["outcomeMeasuresModule"]["outcomeMeasures"][0]["groups"][0]["title"] = "Lenalidomide"
    results["adverseEventsModule"]["eventGroups"][0]["title"] = "Lenalidomide"
    path = tmp_path / "mds005.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    return path


def test_a_placebo_group_does_not_pool_a_double_dummy_drug_arm(tmp_path: Path) -> None:
    ds = read_ctgov_json(_mds005(tmp_path), None)
    arms = {a.label: a for a in ds.arms}
    placebo, drug = arms["Placebo"], arms["Lenalidomide"]
    assert placebo.role is ArmRole.PLACEBO
    assert "pools" not in placebo.note and ARM_1 not in placebo.note
    assert (drug.role, drug.drug_id) == (ArmRole.DRUG, "lenalidomide")
    # the drug group borrows its dose from its own protocol arm, the double dummy
    assert (drug.dose, drug.unit, drug.frequency, drug.daily_dose_mg) == (10.0, "mg", "QD", 10.0)


def test_a_placebo_group_still_pools_the_placebo_arms_it_stands_for(tmp_path: Path) -> None:
    path = _mds005(tmp_path)
    study = json.loads(path.read_text(encoding="utf-8"))
    study["protocolSection"]["armsInterventionsModule"]["armGroups"].append(
        {"label": "Arm #3 - placebo (low dose)", "type": "PLACEBO_COMPARATOR"}
    )
    path.write_text(json.dumps(study), encoding="utf-8")
    placebo = next(a for a in read_ctgov_json(path, None).arms if a.role is ArmRole.PLACEBO)
    assert f"results group pools protocol arms '{ARM_2}', 'Arm #3 - placebo (low dose)'" in placebo.note


def test_a_sign_closing_a_word_tells_groups_apart() -> None:
    from viewer.domain.readers.ctgov.printed import group_key

    assert group_key("GSK149203A S+ Group") == "gsk149203a s positive group"
    assert group_key("GSK149203A S- Group") == "gsk149203a s negative group"
    # a join or a hyphen inside a name is left alone
    assert group_key("Placebo + MTX") == "placebo mtx"
    assert group_key("ACU-D1 Ointment (FAS)") == "acu d1 ointment"
    assert group_key("Placebo->OL CZP") == "placebo to ol czp"


def test_a_microgram_arm_borrows_nothing_from_the_milligram_arm_of_the_same_number() -> None:
    """Issue 14 #4: a 5 µg arm must not inherit the loading dose or regimen written for the 5 mg arm."""
    from viewer.domain.readers.ctgov.arms import arm_dose
    from viewer.domain.readers.ctgov.raw import RawArmGroup

    mg_arm = RawArmGroup("Drug 5 mg", "EXPERIMENTAL", "a 10 mg loading dose, then 5 mg once daily", ())
    dose, notes = arm_dose("Drug 5 µg", "", [mg_arm])
    assert dose is not None and (dose.amount, dose.unit, dose.frequency) == (5.0, "µg", "")
    assert not dose.loading and not any("loading" in n or "regimen QD" in n for n in notes)
    assert "no dosing frequency given: no daily dose" in notes

"""What each real registry record under tests/data/ctgov yields, outcome by outcome.

Every count asserted here was checked by hand against the record text (README.md there gives each file's
origin). Outcomes kept out are asserted with their kind, so a change in the reading rules shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.domain.model import ApprovalStatus, ArmRole, Dataset, Direction, OutcomeKind
from viewer.domain.readers import load_path

DATA = Path(__file__).resolve().parent.parent / "data" / "ctgov"


@pytest.fixture(scope="module")
def records() -> dict[str, Dataset]:
    return {path.name.split("_")[0].split(".")[0]: load_path(path) for path in sorted(DATA.glob("NCT*"))}


def kinds(ds: Dataset) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in ds.excluded_outcomes:
        out[x.kind.name] = out.get(x.kind.name, 0) + 1
    return out


def event(ds: Dataset, arm: str, term: str) -> tuple[int | None, int | None]:
    (found,) = [e for e in ds.adverse_events if e.arm_id == arm and e.term == term]
    return found.affected, found.at_risk


def test_every_record_is_here(records: dict[str, Dataset]) -> None:
    assert sorted(records) == [
        "NCT00734539", "NCT00763412", "NCT01065844", "NCT01076361", "NCT01207388", "NCT01357915", "NCT02210780",
        "NCT02305381", "NCT02552212", "NCT03064438",
    ]  # fmt: skip


def test_certolizumab_nct02552212(records: dict[str, Dataset]) -> None:
    ds = records["NCT02552212"]
    assert len({o.measure for o in ds.outcomes}) == 8  # measures read (one ASAS40 measure has 2 time points)
    assert kinds(ds) == {"NOT_POSTED": 1, "CONTINUOUS": 22}
    harms = {o.measure for o in ds.outcomes if o.direction is Direction.HARM}
    assert harms == {
        "Number of Subjects With Anterior Uveitis (AU) or New AU Flares Through Week 52",
        "Percentage of Subjects With Treatment-Emergent Adverse Events (TEAEs) During the Study",
        "Percentage of Subjects With Serious Adverse Events (SAEs) During the Study",
        "Percentage of Subjects With Adverse Events Leading to Withdrawal From Investigational Medicinal Product "
        "(IMP) During the Study",
    }
    # by hand: ASDAS-MI placebo '7.0' % of 158 -> 11; diarrhoea other 8/159 vs 10/158, serious 1/159
    asdas = next(r for r in ds.results if r.arm_id == "nct02552212-placebo" and "ASDAS-MI" in r.outcome_id)
    assert (asdas.responders, asdas.n, asdas.count_note) == (11, 158, "")
    assert event(ds, "nct02552212-czp-200-mg-q2w", "Diarrhoea") == (8, 159)
    assert event(ds, "nct02552212-placebo", "Diarrhoea") == (10, 158)
    assert event(ds, "nct02552212-czp-200-mg-q2w", "Diarrhoea (serious)") == (1, 159)
    assert {a.id for a in ds.arms if not a.randomised} == {
        "nct02552212-placebo-to-ol-czp",
        "nct02552212-czp-to-ol-czp",
        "nct02552212-sfe-ol-czp-200-mg-q2w",
    }


def test_sustain5_nct02305381(records: dict[str, Dataset]) -> None:
    ds = records["NCT02305381"]
    assert not ds.results  # both responder outcomes are MMRM-imputed percentages
    assert kinds(ds) == {"CONTINUOUS": 6, "ADJUSTED": 2}
    # by hand: nausea 15/132 on 0.5 mg; serious adverse events 12/131 on 1.0 mg; any other AE 34/133 on placebo
    assert event(ds, "nct02305381-semaglutide-0.5-mg", "Nausea") == (15, 132)
    assert event(ds, "nct02305381-semaglutide-1.0-mg", "serious adverse event") == (12, 131)
    assert event(ds, "nct02305381-placebo", "any other adverse event") == (34, 133)
    assert [a.role for a in ds.arms].count(ArmRole.PLACEBO) == 1  # two protocol placebo arms, one results group


def test_repaglinide_nct00763412(records: dict[str, Dataset]) -> None:
    ds = records["NCT00763412"]
    assert not ds.results
    assert kinds(ds) == {"CONTINUOUS": 9}
    # by hand: serious 0/8 and 0/8, other 0/8 on repaglinide
    assert event(ds, "nct00763412-placebo", "serious adverse event") == (0, 8)
    assert event(ds, "nct00763412-repaglinide", "serious adverse event") == (0, 8)
    assert event(ds, "nct00763412-repaglinide", "any other adverse event") == (0, 8)
    repaglinide = next(a for a in ds.arms if a.id == "nct00763412-repaglinide")
    assert (repaglinide.dose, repaglinide.frequency, repaglinide.daily_dose_mg) == (0.5, "", None)  # "3-4 times a day"
    assert repaglinide.frequency_range == "3-4 times a day"
    assert "a range of dosing frequencies ('3-4 times a day'): no single daily dose" in repaglinide.note


def test_nelfinavir_nct01065844(records: dict[str, Dataset]) -> None:
    ds = records["NCT01065844"]
    assert kinds(ds) == {"NOT_POSTED": 1}  # Quality of Life: listed without a measure
    counts = {r.outcome_id.rsplit(" · ", 1)[-1]: (r.responders, r.n) for r in ds.results}
    # by hand: of 11 analysed, CR 0, PR 0, SD 7, PD 4
    assert counts == {
        "Complete reponse (CR)": (0, 11),
        "Partial response (PR)": (0, 11),
        "Stable disease (SD)": (7, 11),
        "Progressive disease (PD)": (4, 11),
    }
    directions = {o.category_title: o.direction for o in ds.outcomes}
    assert directions["Complete reponse (CR)"] is Direction.BENEFIT
    assert directions["Progressive disease (PD)"] is Direction.HARM
    (arm,) = ds.arms
    assert (arm.dose, arm.frequency, arm.daily_dose_mg) == (1250.0, "BID", 2500.0)
    assert event(ds, arm.id, "any other adverse event") == (5, 15)
    assert event(ds, arm.id, "platelet count decreased") == (1, 15)


def test_pacing_lead_nct01076361(records: dict[str, Dataset]) -> None:
    ds = records["NCT01076361"]
    assert not ds.results
    (excluded,) = ds.excluded_outcomes
    assert excluded.kind is OutcomeKind.TIME_TO_EVENT  # life-table survival probability of leads
    (arm,) = ds.arms
    # by hand: serious 30/349; failure to capture 13/349; over-sensing 6/349
    assert event(ds, arm.id, "serious adverse event") == (30, 349)
    assert event(ds, arm.id, "Failure to capture/loss of capture (serious)") == (13, 349)
    assert event(ds, arm.id, "Over-sensing (serious)") == (6, 349)


def test_ointment_vs_vehicle_nct03064438(records: dict[str, Dataset]) -> None:
    ds = records["NCT03064438"]
    assert kinds(ds) == {"CONTINUOUS": 6}
    assert len({o.measure for o in ds.outcomes}) == 4  # responders, AEs, two erythema-score measures
    vehicle = next(a for a in ds.arms if a.role is ArmRole.PLACEBO)
    assert vehicle.label == "ACU-D1 Ointment Vehicle"

    def result(arm: str, measure: str, part: str = "") -> tuple[int | None, int | None]:
        (found,) = [
            r
            for r in ds.results
            if r.arm_id == arm and r.outcome_id.startswith(measure) and r.outcome_id.endswith(part)
        ]
        return found.responders, found.n

    drug, placebo = "nct03064438-acu-d1-ointment", vehicle.id
    # by hand: responders 19.2% of 26 -> 5 and 18.2% of 11 -> 2; any AE 11/27 vs 4/13
    assert result(drug, "Percentage of Participants Who Were Treatment Responders") == (5, 26)
    assert result(placebo, "Percentage of Participants Who Were Treatment Responders") == (2, 11)
    assert result(drug, "Number of Participants With Adverse Events") == (11, 27)
    assert result(placebo, "Number of Participants With Adverse Events") == (4, 13)
    harm = next(o for o in ds.outcomes if o.measure == "Number of Participants With Adverse Events")
    assert harm.direction is Direction.HARM
    # by hand: erythema score 3 (severe) at week 12: 2 of 26 vs 1 of 11 (class-level n)
    week12 = (
        "Number of Participants With Erythema Score Based on Local Tolerability as Assessed by the Investigator "
        "at Week 12"
    )
    assert result(drug, week12, "Score 3 (severe)") == (2, 26)
    assert result(placebo, week12, "Score 3 (severe)") == (1, 11)
    # a local tolerability score counts reactions to the ointment: every grade is a harm (NNH), "clear" is not
    erythema = {o.category_title: o.direction for o in ds.outcomes if o.measure == week12}
    assert erythema == {
        "Score 0 (clear)": Direction.BENEFIT,
        "Score 1 (mild)": Direction.HARM,
        "Score 2 (moderate)": Direction.HARM,
        "Score 3 (severe)": Direction.HARM,
    }
    assert event(ds, drug, "Nasopharyngitis") == (2, 27)


def test_dupilumab_vaccine_responses_nct02210780(records: dict[str, Dataset]) -> None:
    ds = records["NCT02210780"]
    assert kinds(ds) == {"CONTINUOUS": 5}
    assert len(ds.outcomes) == 6  # three vaccine responses, IGA 0/1, EASI-50, EASI-75
    placebo, drug = "nct02210780-placebo-qw", "nct02210780-dupilumab-300-mg-qw"
    assert {a.id: a.role for a in ds.arms} == {placebo: ArmRole.PLACEBO, drug: ArmRole.DRUG}
    arm = next(a for a in ds.arms if a.id == drug)
    assert (arm.dose, arm.frequency) == (300.0, "QW")
    assert "loading doses before the maintenance dose" in arm.note
    (dupilumab,) = ds.drugs
    assert dupilumab.approval_status is ApprovalStatus.NOT_IN_CATALOG  # approved, but not in this catalog

    def result(arm_id: str, start: str) -> tuple[int | None, int | None]:
        (found,) = [r for r in ds.results if r.arm_id == arm_id and r.outcome_id.startswith(start)]
        return found.responders, found.n

    tetanus = "Percentage of Participants With a Positive Response (≥4-Fold Increase)"
    iga = "Percentage of Participants Achieving an Investigator's Global Assessment"
    # by hand: tetanus 83.7% of 92 -> 77 and 83.3% of 90 -> 75; IGA 0/1 10.3% of 97 -> 10 and 44.3% of 97 -> 43
    assert result(placebo, tetanus) == (77, 92)
    assert result(drug, tetanus) == (75, 90)
    assert result(drug, iga) == (43, 97)
    assert result(placebo, iga) == (10, 97)
    # by hand: conjunctivitis 8/97 on dupilumab, 0/97 on placebo; serious adverse events 3/97 on dupilumab
    assert event(ds, drug, "Conjunctivitis") == (8, 97)
    assert event(ds, placebo, "Conjunctivitis") == (0, 97)
    assert event(ds, drug, "serious adverse event") == (3, 97)


def test_fluconazole_per_kg_prophylaxis_nct00734539(records: dict[str, Dataset]) -> None:
    ds = records["NCT00734539"]
    assert kinds(ds) == {"CONTINUOUS": 1}  # length of hospitalization: a median of days
    assert len(ds.outcomes) == 11
    # every outcome counts infants with an event the prophylaxis is meant to prevent: a harm (NNH, not NNT)
    assert {o.direction for o in ds.outcomes} == {Direction.HARM}
    drug, placebo = "nct00734539-fluconazole", "nct00734539-placebo"
    arm = next(a for a in ds.arms if a.id == drug)
    # "fluconazole 6mg/kg IV or PO twice weekly for 6 weeks": per kg, so no daily mg dose
    assert (arm.dose, arm.unit, arm.frequency, arm.daily_dose_mg) == (6.0, "mg/kg", "BIW", None)
    assert "dose per body size (mg/kg)" in arm.note
    assert next(a for a in ds.arms if a.id == placebo).role is ArmRole.PLACEBO

    def result(arm_id: str, outcome: str) -> tuple[int | None, int | None]:
        (found,) = [r for r in ds.results if r.arm_id == arm_id and r.outcome_id == outcome]
        return found.responders, found.n

    # by hand: death or candidiasis 31 of 188 vs 37 of 173; candidiasis 8 vs 19; impairment 27 of 87 vs 23 of 84
    assert result(drug, "Death or Candidiasis") == (31, 188)
    assert result(placebo, "Death or Candidiasis") == (37, 173)
    assert result(drug, "Candidiasis") == (8, 188)
    assert result(placebo, "Candidiasis") == (19, 173)
    assert result(drug, "Neurodevelopmental Impairment") == (27, 87)
    # by hand: serious 83/188 vs 68/173; serious NEC 27/188 vs 28/173; other GGT increased 1/188
    assert event(ds, drug, "serious adverse event") == (83, 188)
    assert event(ds, placebo, "serious adverse event") == (68, 173)
    assert event(ds, drug, "Necrotising Enterocolitis Neonatal (serious)") == (27, 188)
    assert event(ds, placebo, "Necrotising Enterocolitis Neonatal (serious)") == (28, 173)
    assert event(ds, drug, "Gamma-Glutamyltransferase Increased") == (1, 188)
    (fluconazole,) = ds.drugs
    assert fluconazole.approval_status is ApprovalStatus.NOT_IN_CATALOG
    assert fluconazole.name == "Fluconazole"  # the record writes 'fluconazole'
    # no acronym: the trial is labelled by its NCT number, and its 100-character brief title is in the citation
    (trial,) = ds.trials
    assert trial.name == "NCT00734539"
    assert "Fluconazole Prophylaxis for the Prevention of Candidiasis" in ds.sources[0].citation


def test_blinatumomab_per_m2_single_arm_nct01207388(records: dict[str, Dataset]) -> None:
    ds = records["NCT01207388"]
    # relapse-free survival (Kaplan-Meier), overall survival, 100-day mortality (Kaplan-Meier), time to relapse
    # and duration of response (medians) are time-to-event; two questionnaires continuous; one not yet posted
    assert kinds(ds) == {"TIME_TO_EVENT": 5, "CONTINUOUS": 2, "NOT_POSTED": 1}
    drug = next(a for a in ds.arms if a.label == "Blinatumomab")
    # "15 μg/m²/day over 28 days followed by an infusion-free period of 14 days": per body surface area
    assert (drug.dose, drug.unit, drug.frequency, drug.daily_dose_mg, drug.n) == (15.0, "µg/m²", "QD", None, 116)
    assert "dose per body size (µg/m²)" in drug.note
    # the adverse-event group "Blinatumomab 15 µg/m2/d" is the same (only) protocol arm, not a second arm
    assert "results group 'Blinatumomab 15 µg/m2/d' is the same protocol arm" in drug.note
    # the MRD shift table's groups ("Cycle 1 MRD 10^-4") are subgroups by a result, not treatment arms
    strata = [a for a in ds.arms if a.label.startswith("Cycle 1 MRD")]
    assert len(strata) == 6 and not any(a.randomised or a.drug_id for a in strata)
    assert {a.id for a in ds.arms} == {drug.id, *(a.id for a in strata)}

    def result(start: str) -> tuple[int | None, int | None]:
        (found,) = [r for r in ds.results if r.arm_id == drug.id and r.outcome_id.startswith(start)]
        return found.responders, found.n

    # by hand: MRD response 77.9% of 113 -> 88; serious adverse events 73 of 116 (outcome and event table)
    assert result("Percentage of Participants With a Minimal Residual Disease (MRD) Response") == (88, 113)
    assert result("Number of Participants With Adverse Events · Serious adverse events") == (73, 116)
    assert event(ds, drug.id, "serious adverse event") == (73, 116)
    # by hand: pyrexia other 99/116, serious 17/116; tremor other 28/116
    assert event(ds, drug.id, "Pyrexia") == (99, 116)
    assert event(ds, drug.id, "Pyrexia (serious)") == (17, 116)
    assert event(ds, drug.id, "Tremor") == (28, 116)


def test_cmv_vaccine_follow_up_with_a_reference_group_nct01357915(records: dict[str, Dataset]) -> None:
    ds = records["NCT01357915"]
    # antibody concentrations, avidity, T- and B-cell frequencies: continuous; two outcomes listed for 2025
    assert kinds(ds) == {"CONTINUOUS": 4, "NOT_POSTED": 2}
    vaccinated, reference = "nct01357915-gsk149203a-s-negative-group", "nct01357915-gsk149203a-s-positive-group"
    arms = {a.id: a for a in ds.arms}
    assert set(arms) == {vaccinated, reference}  # "S-" and "S+" are two groups, not one title seen twice
    assert (arms[vaccinated].drug_id, arms[vaccinated].n) == ("gsk149203a", 30)
    # the seropositive reference group was naturally infected, never vaccinated: no drug, outside any comparison
    assert (arms[reference].drug_id, arms[reference].randomised, arms[reference].n) == ("", False, 17)
    assert "does not receive GSK149203A" in arms[reference].note
    assert [d.name for d in ds.drugs] == ["GSK149203A"]  # "Procedure: Blood sampling" is not a treatment

    def result(part: str) -> tuple[int | None, int | None, str]:
        (found,) = [r for r in ds.results if r.arm_id == vaccinated and r.outcome_id.endswith(part)]
        return found.responders, found.n, found.note

    # by hand: positive anti-CMV tegument antibodies 0 at M48 and 2 at M60, negative 26 at M48 and 25 at M60;
    # n is the measure's analysed 30 (the record gives no class n), but the two answers add up to 26 at M48
    # and 27 at M60: each of the four results says so rather than passing 26/30 off as 26 of 30 measured
    m48 = "add up to 26 of the 30 analysed: 4 have neither answer at this point"
    m60 = "add up to 27 of the 30 analysed: 3 have neither answer at this point"
    positive48, negative48 = result("Positive anti-CMV antibodies, M48"), result("Negative anti-CMV antibodies, M48")
    positive60, negative60 = result("Positive anti-CMV antibodies, M60"), result("Negative anti-CMV antibodies, M60")
    assert [r[:2] for r in (positive48, negative48, positive60, negative60)] == [(0, 30), (26, 30), (2, 30), (25, 30)]
    assert m48 in positive48[2] and m48 in negative48[2]
    assert m60 in positive60[2] and m60 in negative60[2]
    # no other real record posts complementary answers that fail to add up
    assert [r.outcome_id for d in records.values() for r in d.results if "have neither answer" in r.note] == [
        f"Number of Subjects With Response for Anti-CMV Tegument IgG Antibodies · {p}"
        for p in (
            "Positive anti-CMV antibodies, M48",
            "Negative anti-CMV antibodies, M48",
            "Positive anti-CMV antibodies, M60",
            "Negative anti-CMV antibodies, M60",
        )
    ]
    # by hand: "Total, all-cause mortality" 0/30 and 0/17 (deaths, not a serious-event total); serious 0/17
    assert event(ds, vaccinated, "all-cause mortality") == (0, 30)
    assert event(ds, reference, "all-cause mortality") == (0, 17)
    assert event(ds, reference, "serious adverse event") == (0, 17)

"""How a registry outcome is read before any number is taken: its kind, and harm or benefit.

The phrasings are those of issue 14 (found in real records): Kaplan-Meier and life-table percentages,
percentages of things that are not participants, model-based percentages, responder counts, 0-1
proportions and adverse events posted as outcome measures.
"""

from __future__ import annotations

import pytest

from viewer.domain.model import Direction, OutcomeKind
from viewer.domain.readers.ctgov.classify import classify, direction_of, part_direction
from viewer.domain.readers.ctgov.outcomes import title_n
from viewer.domain.readers.ctgov.raw import RawCategory, RawClass, RawMeasurement, RawOutcome


def outcome(
    title: str,
    unit: str,
    param: str = "NUMBER",
    *,
    description: str = "",
    population: str = "",
    dispersion: str = "",
    values: tuple[str, ...] = ("30.8", "12.0"),
    class_title: str = "",
) -> RawOutcome:
    measurements = tuple(RawMeasurement(f"OG00{i}", v, "", "m") for i, v in enumerate(values))
    classes = (RawClass(class_title, (), (RawCategory("", measurements, "k"),), "c"),)
    return RawOutcome(
        title=title,
        description=description,
        type="PRIMARY",
        reporting_status="POSTED",
        param_type=param,
        unit=unit,
        time_frame="Week 12",
        groups=(),
        denoms=(),
        classes=classes,
        analyses=(),
        loc="o",
        dispersion_type=dispersion,
        population=population,
    )


CRUDE, TTE, ADJ = OutcomeKind.CRUDE, OutcomeKind.TIME_TO_EVENT, OutcomeKind.ADJUSTED
OTHER, CONT, UNKNOWN = OutcomeKind.RATE_OTHER_UNIT, OutcomeKind.CONTINUOUS, OutcomeKind.UNKNOWN


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (outcome("Percentage of Participants Achieving ACR20", "percentage of participants"), CRUDE),
        (outcome("ACR20 responders", "participants", "COUNT_OF_PARTICIPANTS", values=("48", "115")), CRUDE),
        (outcome("Responders", "number of responders", values=("12", "30")), CRUDE),
        (outcome("Clinical remission", "proportion of participants", values=("0.308", "0.12")), CRUDE),
        (outcome("Percentage of Participants Alive at 6 Months, Kaplan-Meier", "percentage of participants"), TTE),
        (outcome("Overall Survival Rate at 12 Months", "percentage of participants"), TTE),
        (outcome("Cumulative Incidence of Relapse", "percentage of participants"), TTE),
        (outcome("Event-free Rate at 2 Years", "percent of participants"), TTE),
        (
            outcome(
                "Percentage of Participants With Response",
                "percentage of participants",
                description="Estimated using the Kaplan-Meier method.",
            ),
            TTE,
        ),
        (outcome("Overall survival", "months", "MEDIAN", dispersion="CONFIDENCE_95"), TTE),
        (outcome("Percentage of leads with stable thresholds", "percentage of leads"), OTHER),
        (outcome("Percentage of lesions cleared", "percentage of lesions"), OTHER),
        (outcome("Injection-site reactions", "percentage of injections"), OTHER),
        (outcome("Annualised relapse rate", "relapses per patient-year"), OTHER),
        (outcome("Lesions", "lesions", "COUNT_OF_UNITS"), OTHER),
        (
            outcome(
                "Percentage of Participants With HbA1c < 7%",
                "percentage of participants",
                description="Missing data imputed from a mixed model for repeated measurements.",
            ),
            ADJ,
        ),
        (outcome("Adjusted percentage of responders", "percentage of participants"), ADJ),
        (outcome("Responders (logistic regression estimate)", "percentage of participants"), ADJ),
        (outcome("Percentage with response", "percentage of participants", dispersion="STANDARD_ERROR"), ADJ),
        (outcome("Percentage of participants", "percentage of participants", "LEAST_SQUARES_MEAN"), ADJ),
        (outcome("Change in HbA1c", "percentage of HbA1c", "LEAST_SQUARES_MEAN"), CONT),
        (outcome("Change in DAS28", "units on a scale", "MEAN", dispersion="STANDARD_DEVIATION"), CONT),
        (outcome("Plasma concentration", "ng/mL", "GEOMETRIC_MEAN"), CONT),
        (outcome("Clinical remission", "proportion of participants", values=("30.8", "12")), UNKNOWN),
        (outcome("Titre", "titer"), UNKNOWN),
        (outcome("Something", "participants", ""), UNKNOWN),
    ],
    ids=lambda v: v.title[:40] if isinstance(v, RawOutcome) else str(v),
)
def test_kind(raw: RawOutcome, kind: OutcomeKind) -> None:
    reading = classify(raw, "Participants")
    assert reading.kind is kind, reading.reason
    assert reading.reason
    assert reading.usable == (kind is CRUDE)


def test_non_responder_imputation_is_still_a_crude_count() -> None:
    raw = outcome(
        "ACR20",
        "percentage of participants",
        description="Participants with missing data were imputed as non-responders (NRI).",
    )
    assert classify(raw, "Participants").kind is CRUDE


def test_analysed_units_other_than_participants() -> None:
    reading = classify(outcome("Eyes improved", "percentage of eyes"), "Eyes")
    assert reading.kind is OTHER
    assert "eyes" in reading.reason


def test_proportion_is_scaled_to_percent() -> None:
    reading = classify(outcome("Remission", "proportion of participants", values=("0.308",)), "Participants")
    assert reading.scale == 100.0
    assert not reading.counts


@pytest.mark.parametrize(
    ("title", "direction"),
    [
        ("Percentage of Subjects With Treatment-Emergent Adverse Events (TEAEs)", Direction.HARM),
        ("Number of Participants With Serious Adverse Events", Direction.HARM),
        ("Participants with treatment-emergent adverse events", Direction.HARM),
        ("Number of Subjects With Anterior Uveitis (AU) or New AU Flares Through Week 52", Direction.HARM),
        ("Percentage of Participants With Solicited Local Reactions", Direction.HARM),
        ("All-cause mortality", Direction.HARM),
        ("Percentage of Participants Achieving ACR20", Direction.BENEFIT),
        ("Progression-free survival", Direction.BENEFIT),
        ("Percentage of participants free of relapse", Direction.BENEFIT),
        ("Seroconversion rate", Direction.BENEFIT),
        # conditions and complications a prophylaxis prevents (NCT00734539): more is worse
        ("Death or Candidiasis", Direction.HARM),
        ("Candidiasis", Direction.HARM),
        ("Neurodevelopmental Impairment", Direction.HARM),
        ("Chronic Lung Disease", Direction.HARM),
        ("Stage II or Higher Necrotizing Enterocolitis", Direction.HARM),
        ("Periventricular Leukomalacia", Direction.HARM),
        ("Patent Ductus Arterious Requiring Surgical Ligation", Direction.HARM),
        # ... unless the title names a response or measures the condition on a scale
        ("Percentage of Participants With Psoriatic Arthritis Who Achieved ACR20", Direction.BENEFIT),
        ("Clinical Remission in Crohn's Disease", Direction.BENEFIT),
        ("Percentage of participants free of disease progression", Direction.BENEFIT),
        ("Change From Baseline in Bath Ankylosing Spondylitis Disease Activity Index (BASDAI)", Direction.BENEFIT),
        ("Length of Hospitalization", Direction.HARM),  # "hospitalization" names a harm by itself
        # a local tolerability score counts a reaction to the product (NCT03064438): more is worse
        (
            "Number of Participants With Erythema Score Based on Local Tolerability as Assessed by the Investigator",
            Direction.HARM,
        ),
        ("Percentage of Participants With Clinician Erythema Assessment Success", Direction.BENEFIT),
    ],
)
def test_direction(title: str, direction: Direction) -> None:
    assert direction_of(title) is direction


@pytest.mark.parametrize(
    ("part", "measure", "direction"),
    [
        # the grades of a harm are harms, but its absence is not (NCT03064438's erythema score categories)
        ("Score 0 (clear)", Direction.HARM, Direction.BENEFIT),
        ("Score 1 (mild)", Direction.HARM, Direction.HARM),
        ("Score 3 (severe)", Direction.HARM, Direction.HARM),
        ("None", Direction.HARM, Direction.BENEFIT),
        ("No adverse events", Direction.HARM, Direction.BENEFIT),
        ("Serious adverse events", Direction.BENEFIT, Direction.HARM),
        ("Progressive disease (PD)", Direction.BENEFIT, Direction.HARM),
        ("Complete response (CR)", Direction.HARM, Direction.BENEFIT),
        # a benefit measure's categories keep its direction, "clear" included
        ("Clear or almost clear", Direction.BENEFIT, Direction.BENEFIT),
        ("Week 12", Direction.HARM, Direction.HARM),
    ],
)
def test_part_direction(part: str, measure: Direction, direction: Direction) -> None:
    assert part_direction(part, measure) is direction


def test_direction_ignores_adverse_events_mentioned_in_an_efficacy_description() -> None:
    described = "Participants who discontinued due to adverse events were counted as non-responders."
    assert direction_of("ACR20 response", described) is Direction.BENEFIT


@pytest.mark.parametrize(
    ("title", "n"),
    [("Month 6 (n= 117)", 117), ("Week 12 (N=1,234)", 1234), ("Cohort A: n: 20", 20), ("Month 6", None)],
)
def test_n_in_a_class_title(title: str, n: int | None) -> None:
    assert title_n(title) == n

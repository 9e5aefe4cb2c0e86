"""The statistical vocabulary and the evidence levels: one definition each, carrying what a reader sees."""

from __future__ import annotations

import re

import pytest

from viewer.charts import query
from viewer.domain.measures import CIMethod, DiffCI, Effect, PersonTimeCI, RateCI, RatioCI
from viewer.domain.model import EvidenceLevel
from viewer.domain.stats import odds_ratio, rate, risk_difference, risk_ratio

METHODS = [*RateCI, *DiffCI, *RatioCI, *PersonTimeCI]
SUSTAIN5 = (103, 131, 14, 133)


@pytest.mark.parametrize("method", METHODS, ids=[m.value for m in METHODS])
def test_every_interval_method_has_a_label_and_a_dated_citation(method: CIMethod) -> None:
    assert method.label and method.label != method.value
    assert re.search(r"\b(19|20)\d\d\b", method.citation), method.citation
    assert type(method)(method.value) is method  # a stored value (settings, CSV, CLI) finds the member


def test_values_are_unique_across_the_vocabularies() -> None:
    """The CSV's method columns hold the value: it must name one method whatever the column."""
    values = [m.value for m in METHODS]
    assert len(values) == len(set(values))


def test_the_citations_name_the_papers_of_statistics_md() -> None:
    assert "Wilson" in RateCI.WILSON.citation and "1927" in RateCI.WILSON.citation
    assert "Clopper" in RateCI.CLOPPER_PEARSON.citation and "1934" in RateCI.CLOPPER_PEARSON.citation
    assert "Newcombe" in DiffCI.NEWCOMBE.citation and "method 10" in DiffCI.NEWCOMBE.citation
    assert "Katz" in RatioCI.KATZ_LOG.citation and "1978" in RatioCI.KATZ_LOG.citation
    assert "Woolf" in RatioCI.WOOLF.citation and "1955" in RatioCI.WOOLF.citation


def test_each_estimate_names_the_method_its_measure_uses() -> None:
    assert risk_ratio(*SUSTAIN5).method is Effect.RR.interval is RatioCI.KATZ_LOG
    assert odds_ratio(*SUSTAIN5).method is Effect.OR.interval is RatioCI.WOOLF
    assert Effect.RD.interval is None  # the user chooses (DiffCI)
    assert risk_difference(*SUSTAIN5).method.label == "Newcombe"
    assert rate(103, 131).method.label == "Wilson"


def test_effect_measures() -> None:
    assert [(e.abbreviation, e.label, e.is_ratio) for e in Effect] == [
        ("RD", "Risk difference", False),
        ("RR", "Risk ratio", True),
        ("OR", "Odds ratio", True),
    ]
    assert Effect.RD.scale == "percentage points" and Effect.OR.scale == "log scale"


def test_the_query_uses_the_domain_vocabulary_itself() -> None:
    assert (query.Effect, query.DiffCI, query.RateCI) == (Effect, DiffCI, RateCI)


def test_evidence_strength_orders_the_levels() -> None:
    v, s, u = EvidenceLevel.VERIFIED, EvidenceLevel.SECONDARY, EvidenceLevel.UNVERIFIED
    assert v.strength > s.strength > u.strength
    assert list(EvidenceLevel) == sorted(EvidenceLevel, key=lambda level: -level.strength)
    for a in EvidenceLevel:
        for b in EvidenceLevel:
            assert a.weaker(b) is b.weaker(a) is min(a, b, key=lambda level: level.strength)
    assert EvidenceLevel.weakest([v, s, v]) is s
    assert EvidenceLevel.weakest([v]) is v


@pytest.mark.parametrize(
    ("text", "level"),
    [("verified", EvidenceLevel.VERIFIED), ("Secondary", EvidenceLevel.SECONDARY),
     ("UNVERIFIED", EvidenceLevel.UNVERIFIED), ("", None), ("checked", None), (" verified", None)],
)  # fmt: skip
def test_a_level_is_read_in_any_letter_case_and_nothing_else(text: str, level: EvidenceLevel | None) -> None:
    assert EvidenceLevel.parse(text) is level


def test_level_choices_for_messages() -> None:
    assert EvidenceLevel.choices() == "verified, secondary, unverified"
    assert EvidenceLevel("secondary") is EvidenceLevel.SECONDARY


def test_the_synthesis_pools_on_the_measures_own_scale() -> None:
    assert [e.pooling_scale for e in Effect] == ["risk differences", "log risk ratios", "log odds ratios"]
    assert Effect.RD.display(0.25) == 0.25
    assert Effect.OR.display(0.0) == 1.0

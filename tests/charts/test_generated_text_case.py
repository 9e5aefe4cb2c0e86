"""Generated sentences keep a term's own case: a chart title may start with "Herpes zoster", but a sentence
says "no figures for 'herpes zoster'" (it said "no Any adverse event figures"); a count agrees with its noun."""

from __future__ import annotations

import pytest

from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.domain.catalog import Catalog
from viewer.domain.safety import compare_rates

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


def sentences(spec: ChartSpec) -> list[str]:
    """Every generated text of a chart but its titles (where a capital is right)."""
    texts = [spec.empty_message, *spec.footnotes, *spec.shown_warnings]
    return [t for t in texts + [p.empty_message for p in spec.panels] if t]


@pytest.mark.parametrize("term", ["any adverse event", "herpes zoster", "serious infection", "headache"])
@pytest.mark.parametrize("drugs", [FOUR, ("ruxolitinib",), ("peficitinib", "ruxolitinib")])
def test_an_adverse_event_term_keeps_its_case_mid_sentence(
    shipped_catalog: Catalog, term: str, drugs: tuple[str, ...]
) -> None:
    query = Query(drugs=drugs, ae_term=term, population="MTX-IR", timepoint="week 12")
    spec = build_chart(ChartKind.TOLERABILITY, shipped_catalog, query)
    capital = term[:1].upper() + term[1:]
    assert spec.title.startswith(capital)
    texts = sentences(spec)
    assert not [t for t in texts if capital in t], texts
    if "ruxolitinib" in drugs:  # ruxolitinib has no adverse-event figures: named, in the term's own case
        assert any(f"figures for '{term}'" in t and "Ruxolitinib" in t for t in texts), texts


def test_an_event_count_of_one_is_singular(shipped_catalog: Catalog) -> None:
    texts = [rc.rate_text() for rc in compare_rates(shipped_catalog.safety_rates)]
    assert not [t for t in texts if ", 1 events" in t]
    assert any(t.endswith(", 1 event") for t in texts), texts  # filgotinib 200 mg: one death


def test_a_panel_without_drawn_arms_says_which_arm_lacks_counts(shipped_catalog: Catalog) -> None:
    """A per-arm reason read at the level of a drug's panel: 'counts not reported for this arm' named no arm
    there (tofacitinib's six Kremer arms at MTX-IR week 12); it names the treated arm."""
    query = Query(drugs=FOUR, population="MTX-IR", timepoint="week 12")
    spec = build_chart(ChartKind.FOREST, shipped_catalog, query)
    tofacitinib = next(p for p in spec.panels if p.title == "Tofacitinib")
    assert tofacitinib.is_empty
    assert tofacitinib.empty_message == "Tofacitinib: counts not reported for the treated arm (no n)."
    assert not [t for t in sentences(spec) if "this arm" in t]

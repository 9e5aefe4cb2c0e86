"""The compare view's effect per drug follows one stated rule, never the best of all figures."""

from __future__ import annotations

import pytest

from viewer.charts.compare import EFFICACY_OUTCOMES, ELSEWHERE, ELSEWHERE_KEY, KEY_EVENTS, build_compare
from viewer.charts.compare_effect import RULE_TEXT, Choice, choose_effects
from viewer.charts.query import Query
from viewer.domain.catalog import Catalog

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


def test_shared_population_and_timepoint_where_possible_else_the_largest_phase3(shipped_catalog: Catalog) -> None:
    drugs = [shipped_catalog.drugs[d] for d in FOUR]
    choice = choose_effects(shipped_catalog, Query(drugs=FOUR), "ACR20", drugs)
    # MTX-IR at week 12 is reported at an approved dose for three of the four drugs: the shared pair.
    assert (choice.population, choice.timepoint) == ("MTX-IR", "week 12")
    shown = {e.drug_id: e.shown for e in choice.effects}
    for drug in ("upadacitinib", "baricitinib", "filgotinib"):
        effect = choice.of(drug)
        assert effect.choice is Choice.SHARED
        c = shown[drug]
        assert c is not None and (c.treated.trial.population, c.treated.timepoint) == ("MTX-IR", "week 12")
        # within the pair, the largest trial's figure
        there = [
            o for o in effect.candidates if o.treated.trial.population == "MTX-IR" and o.treated.timepoint == "week 12"
        ]
        assert c.treated.trial.randomised_n == max(o.treated.trial.randomised_n or 0 for o in there)
    assert {d: shown[d].treated.trial.name for d in shown if shown[d]} == {  # type: ignore[union-attr]
        "upadacitinib": "SELECT-COMPARE",
        "tofacitinib": "ORAL Solo",
        "baricitinib": "RA-BEAM",
        "filgotinib": "FINCH 1",
    }
    # Tofacitinib has no MTX-IR week 12 figure with counts at 5 mg BID: its largest phase 3 trial instead.
    tofa = choice.of("tofacitinib")
    assert tofa.choice is Choice.LARGEST_PHASE3
    assert tofa.shown is not None and tofa.shown.treated.timepoint == "month 3"
    # The standard approved dose of each drug (filgotinib 200 mg, not the 100 mg reduction).
    assert shown["filgotinib"] is not None and shown["filgotinib"].treated.arm.daily_dose_mg == 200


def test_never_the_best_of_all_figures(shipped_catalog: Catalog) -> None:
    """Upadacitinib's SELECT-SUNRISE (csDMARD-IR, Japan, 197 patients) has the larger difference; the rule
    shows SELECT-COMPARE (the MTX-IR trial the other drugs share), and keeps SUNRISE one click away."""
    drugs = [shipped_catalog.drugs[d] for d in FOUR]
    effect = choose_effects(shipped_catalog, Query(drugs=FOUR), "ACR20", drugs).of("upadacitinib")
    assert effect.shown is not None and effect.shown.rd is not None
    best = max(effect.candidates, key=lambda c: c.rd.value if c.rd else 0.0)
    assert best.treated.trial.name == "SELECT-SUNRISE"
    assert effect.shown is not best and effect.shown.rd.value < best.rd.value  # type: ignore[union-attr]
    assert best in effect.others


def test_the_query_population_narrows_the_shared_pair(shipped_catalog: Catalog) -> None:
    drugs = [shipped_catalog.drugs[d] for d in FOUR]
    choice = choose_effects(shipped_catalog, Query(drugs=FOUR, population="csDMARD-IR"), "ACR20", drugs)
    assert (choice.population, choice.timepoint) == ("csDMARD-IR", "week 12")
    assert choice.of("baricitinib").shown.treated.trial.name == "RA-BUILD"  # type: ignore[union-attr]


def test_a_drug_with_nothing_at_an_approved_dose_says_so(shipped_catalog: Catalog) -> None:
    drugs = [shipped_catalog.drugs[d] for d in FOUR]
    choice = choose_effects(shipped_catalog, Query(drugs=FOUR), "ACR50", drugs)
    filgotinib = choice.of("filgotinib")
    assert filgotinib.choice is Choice.NONE and filgotinib.shown is None


def test_the_row_names_its_rule_and_the_cell_lists_every_other_candidate(shipped_catalog: Catalog) -> None:
    table = build_compare(shipped_catalog, Query(drugs=FOUR))
    row = table.row("ACR20 vs placebo")
    assert row.note == "MTX-IR, week 12 (‡ elsewhere), approved dose"
    assert "‡ not reported at the row's population and timepoint" in row.full_title
    upa, tofa = row.cells[0], row.cells[1]
    assert upa.summary.splitlines()[0].endswith("+35 pp (+30 to +40)")
    assert upa.summary.splitlines()[1] == "SELECT-COMPARE 15 mg QD"
    assert RULE_TEXT in upa.detail and "Other figures at an approved dose (3):" in upa.detail
    assert "SELECT-SUNRISE 15 mg QD" in upa.detail
    assert "At doses not approved" in upa.detail and "SELECT-SUNRISE 30 mg QD" in upa.detail
    # A drug off the shared pair names where its figure comes from first on its second line, marked ‡
    assert tofa.summary.splitlines()[1] == "‡ DMARD-IR, month 3 · ORAL Solo 5 mg BID"
    assert "largest phase 3 trial at its primary timepoint (DMARD-IR, month 3)" in tofa.detail
    # Nothing of the old league table remains.
    assert not any(r.title.startswith("Best") for r in table.rows)


SIX = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib", "peficitinib", "ruxolitinib")
QUERIES = [
    Query(drugs=SIX, population="MTX-IR", timepoint="week 12"),  # as the window starts with several drugs
    Query(drugs=SIX),
    Query(drugs=SIX, population="csDMARD-IR"),
    Query(drugs=("tofacitinib", "ruxolitinib")),
]


@pytest.mark.parametrize("query", QUERIES, ids=["mtx-ir-week-12", "all", "csdmard-ir", "tofa-rux"])
def test_every_effect_row_is_true_of_every_cell(shipped_catalog: Catalog, query: Query) -> None:
    """The row says the population and timepoint; a cell whose figure is elsewhere starts its second line with
    ‡ and its own population and timepoint (never cut off: a narrow cell elides the end of a line), and the
    row then says some cells are elsewhere. Checked on every drug, for efficacy and adverse-event rows."""
    table = build_compare(shipped_catalog, query)
    drugs = [shipped_catalog.drugs[d] for d in query.drugs]
    endpoints = [(o, False) for o in EFFICACY_OUTCOMES] + [(t, True) for t in KEY_EVENTS]
    for endpoint, adverse in endpoints:
        choice = choose_effects(shipped_catalog, query, endpoint, drugs, adverse=adverse)
        row = table.row(f"{endpoint[:1].upper() + endpoint[1:]} vs placebo")
        pair = f"{choice.population}, {choice.timepoint}"
        elsewhere = False
        for drug, cell in zip(drugs, row.cells, strict=True):
            effect = choice.of(drug.id)
            if effect.shown is None:
                assert effect.choice is Choice.NONE and "no " in cell.summary
                continue
            t = effect.shown.treated
            where = cell.summary.splitlines()[1]
            own = f"{t.trial.population}, {t.timepoint.replace('not stated', 'timepoint not stated')}"
            if choice.shared and (t.trial.population, t.timepoint) == (choice.population, choice.timepoint):
                assert effect.choice is Choice.SHARED and not where.startswith(ELSEWHERE), (drug.id, cell.summary)
            elif choice.shared:
                elsewhere = True
                assert where.startswith(f"{ELSEWHERE} {own} · "), (drug.id, endpoint, cell.summary)
            else:  # no pair shared: the row names the fallback and every cell its own place
                assert where.startswith(f"{own} · "), (drug.id, endpoint, cell.summary)
        if choice.shared:
            assert row.note.startswith(pair)
        else:
            assert row.note.startswith("largest phase 3 trial, primary timepoint")
        assert (f"({ELSEWHERE} elsewhere)" in row.note) is elsewhere
        assert (ELSEWHERE_KEY in row.full_title) is elsewhere


def test_synthesis_rows_name_where_their_trials_were_read(shipped_catalog: Catalog) -> None:
    table = build_compare(shipped_catalog, QUERIES[0])
    for title in ("Pooled ACR20 vs placebo", "Network ACR20 vs placebo", "Network ACR20"):
        assert table.row(title).note.startswith("MTX-IR, week 12"), table.row(title).note

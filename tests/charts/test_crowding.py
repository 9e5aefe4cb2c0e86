"""A chart whose selection holds more trials than it shows legibly says so in its warnings (screen and
files alike); the shipped catalog never does."""

from __future__ import annotations

import itertools

import pytest

import bench.generate as gen
from viewer.charts.build import build_chart
from viewer.charts.crowding import LEGIBLE_TRIALS, crowding, largest_trials, new_drugs_question, selected_trials
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.model import Origin
from viewer.domain.readers import load_path

DRUGS = ("drug0000", "drug0001")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Two drugs with 60 trials each (bench/generate.py's seeded synthetic data)."""
    saved = gen.DRUGS, gen.TRIALS
    gen.DRUGS, gen.TRIALS = 2, 120
    try:
        folder = gen.generate(tmp_path_factory.mktemp("two") / "two-drugs")
    finally:
        gen.DRUGS, gen.TRIALS = saved
    return Catalog.from_datasets([load_path(folder, origin=Origin.USER)])


def test_a_crowded_forest_says_how_many_trials_and_how_many_it_shows_legibly(catalog: Catalog) -> None:
    query = Query(drugs=DRUGS, outcome="ACR20")
    forest = build_chart(ChartKind.FOREST, catalog, query)
    assert forest.warnings[0] == (
        "120 trials selected: more than this chart shows legibly (about 40). "
        "Filter the trials (Trials), keep the 40 largest, or tick fewer drugs."
    )
    dose = build_chart(ChartKind.DOSE_RESPONSE, catalog, query)
    assert dose.warnings[0].startswith("120 trials selected") and "about 80" in dose.warnings[0]
    one = query.with_(drugs=DRUGS[:1])  # 60 trials: legible as a dose-response chart, not as a forest
    assert not any("trials selected" in w for w in build_chart(ChartKind.DOSE_RESPONSE, catalog, one).warnings)
    assert crowding(ChartKind.FOREST, catalog, one) is not None


def test_the_offered_filter_keeps_the_largest_trials_and_ends_the_crowding(catalog: Catalog) -> None:
    query = Query(drugs=DRUGS, outcome="ACR20")
    legible = LEGIBLE_TRIALS[ChartKind.FOREST]
    kept = largest_trials(catalog, selected_trials(catalog, query), legible)
    sizes = {t: sum(a.n or 0 for a in catalog.arms_of(t)) for t in selected_trials(catalog, query)}
    assert len(kept) == legible and min(sizes[t] for t in kept) >= max(s for t, s in sizes.items() if t not in kept)
    assert crowding(ChartKind.FOREST, catalog, query.with_(trials=kept)) is None
    assert not any(
        "trials selected" in w for w in build_chart(ChartKind.FOREST, catalog, query.with_(trials=kept)).warnings
    )


def test_new_drugs_are_asked_about_only_above_a_thousand_trials(catalog: Catalog) -> None:
    assert new_drugs_question(catalog, DRUGS) == ""  # 120 trials: ticked without asking


def test_no_four_shipped_drugs_crowd_any_chart(shipped_catalog: Catalog) -> None:
    for drugs in itertools.combinations(sorted(shipped_catalog.drugs), 4):
        for kind in LEGIBLE_TRIALS:
            assert crowding(kind, shipped_catalog, Query(drugs=drugs)) is None, (drugs, kind)

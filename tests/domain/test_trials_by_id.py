"""Issue 17, trials as columns: a dataset folder's trials are a compact table and the catalog's trials a
``by_id.ById`` over the datasets' tables, answering as the dict of every trial it replaced (``dict.update``
over the datasets in order) did; what the catalog offers and what the query rules ask on a click read the
columns, and make a Trial only for the trials they name."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from bench.generate import generate
from tests.domain.minidata import write_dataset
from tests.domain.test_by_id import same_answers
from tests.domain.test_catalog_columns import Counted, counted
from viewer.charts.choices import ChartKind
from viewer.charts.common import query_trials
from viewer.charts.query import Query
from viewer.domain.by_id import ById
from viewer.domain.catalog import Catalog
from viewer.domain.compact import RecordTable
from viewer.domain.model import Dataset, Origin, Trial
from viewer.domain.readers import load_path
from viewer.paths import shipped_datasets
from viewer.query_rules import QueryField, fit_query, like_with_like, validate_query


def merged(datasets: tuple[Dataset, ...]) -> dict[str, Trial]:
    out: dict[str, Trial] = {}
    for d in datasets:
        out.update((t.id, t) for t in d.trials)
    return out


def loaded(tmp_path: Path) -> tuple[Dataset, ...]:
    """The shipped catalog, a generated dataset of 40 trials, and a user's dataset that repeats a shipped
    trial's id with its own name and population (a user's own edit)."""
    shipped = [load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets()]
    first = shipped[0].trials[0]
    mini = write_dataset(tmp_path / "mini")
    for name in ("trials.csv", "arms.csv", "results.csv", "adverse_events.csv"):
        text = (mini / name).read_text().replace("t1,", f"{first.id},")
        (mini / name).write_text(text.replace("TEST-1,", "My own trial,"))
    user = load_path(mini, None)
    generated = load_path(generate(tmp_path / "big", trial_count=40), None)
    return (*shipped, generated, user)


def test_a_catalog_s_trials_answer_as_the_merged_dict_did(tmp_path: Path) -> None:
    datasets = loaded(tmp_path)
    assert all(isinstance(d.trials, RecordTable) for d in datasets)  # dataset folders: trial tables
    expected = merged(datasets)
    catalog = Catalog.from_datasets(datasets)
    assert isinstance(catalog.trials, ById)
    same_answers(catalog.trials, expected, "name")
    repeated = datasets[0].trials[0].id
    assert catalog.trials[repeated] == datasets[-1].trials[0] != datasets[0].trials[0]  # the later dataset's
    assert catalog.trials[repeated].name == "My own trial" and list(catalog.trials).index(repeated) == 0
    assert f"{len(expected)} trials" in catalog.summary()
    assert catalog.columns.trials.ids == tuple(expected)
    assert catalog.trials_among(["nowhere", *reversed(expected)]) == list(reversed(expected.values()))
    assert catalog.populations_of(list(expected)) == [t.population for t in expected.values()]
    assert [catalog.has_trial(t) for t in (repeated, "nowhere")] == [True, False]
    again = pickle.loads(pickle.dumps(datasets, protocol=pickle.HIGHEST_PROTOCOL))  # the shipped-catalog cache
    trials = Catalog.from_datasets(again).trials
    assert isinstance(trials, ById)
    same_answers(trials, expected, "name")
    plain = Catalog(trials=expected, arms=catalog.arms)  # a catalog of plain dicts, as a test makes one
    assert plain.trials_among(["nowhere", *expected]) == list(expected.values())
    assert plain.populations_of(list(expected)) == catalog.populations_of(list(expected))


def test_what_a_catalog_offers_and_a_click_asks_make_only_the_trials_named(tmp_path: Path) -> None:
    """Merging, counting, the columns, the populations offered, fitting a query, like with like and the
    population and trial filters read the trials' codes (the tables here count every Trial they make)."""
    datasets = tuple(dataclasses.replace(d, trials=counted(d.trials)) for d in loaded(tmp_path))
    expected = merged(datasets)
    Counted.made[0] = 0
    catalog = Catalog.from_datasets(datasets)
    assert len(catalog.trials) == len(expected) and catalog.populations()
    drugs = ("drug0000", "drug0001", "tofacitinib", "upadacitinib")
    query = Query(drugs=drugs, population="MTX-IR", trials=("nowhere", *catalog.trials_of("tofacitinib")))
    fitted = fit_query(query, catalog)
    assert fitted.trials == catalog.trials_of("tofacitinib")
    assert like_with_like(query.with_(population="", trials=()), catalog).population
    assert not validate_query(fitted, catalog, ChartKind.FOREST)
    mine = query_trials(catalog, fitted)[1]
    assert mine and all(catalog.trials[t].population == "MTX-IR" for t in mine)
    asked = len(mine)
    nowhere = validate_query(query.with_(population="nowhere"), catalog)
    assert [p.field for p in nowhere] == [QueryField.POPULATION]
    assert Counted.made[0] == asked  # only the trials read above, by the test itself
    named = validate_query(Query(drugs=("tofacitinib",), trials=("nowhere",)), catalog)
    assert [p.field for p in named] == [QueryField.TRIALS] and "ORAL Standard" in named[0].offered
    assert Counted.made[0] == asked + len(catalog.trials_of("tofacitinib"))  # their names, for the offer


@pytest.fixture(autouse=True)
def _reset() -> None:
    Counted.made[0] = 0

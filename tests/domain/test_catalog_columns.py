"""Issue 17, a columnar core: what the catalog offers and indexes is read from its columns, never by making
every figure (a compact table makes a record on each ``_item``, ~3 us; a catalog-wide loop over 2,000,000
results was seconds per click), and a table that holds its fields coded hands the codes to the columns.

The tables here count every record they make, so a per-record path fails the test."""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from bench.generate import generate
from tests.domain.minidata import write_dataset
from viewer.charts.spec import ChartKind
from viewer.domain import columns as columns_module
from viewer.domain.catalog import Catalog
from viewer.domain.columns import ArmColumns, CatalogColumns, TrialColumns, distinct
from viewer.domain.compact import RecordChain, RecordTable
from viewer.domain.model import AdverseEvent, ArmRole, Dataset, Origin, Result
from viewer.domain.readers import load_path
from viewer.paths import shipped_datasets
from viewer.query_rules import QueryField, like_with_like, validate_query
from viewer.session import Session, drugs_brought


class Counted(RecordTable[Any]):
    """A compact table that counts the records it makes (by index or by iteration)."""

    __slots__ = ()
    made: ClassVar[list[int]] = [0]

    def _item(self, index: int) -> Any:
        Counted.made[0] += 1
        return super()._item(index)

    def __iter__(self) -> Iterator[Any]:
        return map(self._item, range(len(self)))


class Coded(Counted):
    """A counted table that hands over each field as (distinct values, codes), its values in reverse order
    of first appearance (nothing may rely on that order), and that refuses to list a column value by value."""

    __slots__ = ()

    def coded(self, name: str) -> tuple[list[Any], array[int]]:
        values = RecordTable.column(self, name)
        order = list(reversed(dict.fromkeys(values)))
        code = {v: k for k, v in enumerate(order)}
        return order, array("I", map(code.__getitem__, values))

    def column(self, name: str) -> list[Any]:
        raise AssertionError(f"column {name!r} listed value by value")


class Chain(RecordChain[Any]):
    """A record chain that names its parts (so a coded part is read from its codes)."""

    __slots__ = ()

    @property
    def parts(self) -> tuple[Sequence[Any], ...]:
        return self._parts


def counted(records: Sequence[Any], cls: type[Counted] = Counted) -> Counted:
    table = RecordTable.of(type(records[0]), records)
    table.__class__ = cls
    return table  # type: ignore[return-value]


def datasets(tmp_path: Path, cls: type[Counted] = Counted) -> tuple[Dataset, ...]:
    """The shipped catalog and a small user dataset, every figure held in a counting table."""
    shipped = [load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets()]
    user = load_path(write_dataset(tmp_path / "mini"), None)
    return tuple(
        dataclasses.replace(d, results=counted(d.results, cls), adverse_events=counted(d.adverse_events, cls))
        if d.results and d.adverse_events
        else d
        for d in (*shipped, user)
    )


@pytest.fixture(autouse=True)
def _reset() -> None:
    Counted.made[0] = 0


def test_what_a_catalog_offers_and_indexes_makes_no_figure(tmp_path: Path) -> None:
    loaded = datasets(tmp_path)
    catalog = Catalog.from_datasets(loaded)
    results, events = list(catalog.results), list(catalog.adverse_events)  # what the old loops read
    arms = list(catalog.arms.values())
    Counted.made[0] = 0
    fresh = Catalog.from_datasets(loaded)

    present = {r.outcome_id for r in results}
    assert set(fresh.outcome_ids()) == present and fresh.outcome_ids()[0] == "ACR20"
    assert fresh.timepoints() == tuple(sorted({r.timepoint for r in results if r.timepoint}))
    counts = {t: sum(e.term == t for e in events) for t in {e.term for e in events}}
    assert fresh.adverse_event_terms() == tuple(sorted(counts, key=lambda t: (-counts[t], t)))
    assert fresh.populations() == tuple(sorted({t.population for t in fresh.trials.values() if t.population}))
    every = {d: tuple(sorted({a.trial_id for a in arms if a.drug_id == d})) for d in {a.drug_id for a in arms}}
    every[""] = ()  # placebo arms have no drug
    assert {d: fresh.trials_of(d) for d in every} == every
    assert fresh.trials_of("no such drug") == ()
    for trial in fresh.trials:
        assert fresh.arms_of(trial) == tuple(a for a in arms if a.trial_id == trial)
    assert fresh.arms_of("no such trial") == ()
    assert Counted.made[0] == 0

    assert len(fresh.results_of("t1")) == 3  # only the figures asked for are made
    assert Counted.made[0] == 3


def test_the_session_asks_the_columns_for_outcomes_drugs_and_reasons(tmp_path: Path) -> None:
    loaded = datasets(tmp_path)
    session = Session()
    result = session.read([Path(d.path) for d in loaded[-1:]])  # reading is the reader's: not counted
    mini = dataclasses.replace(loaded[-1], path=result.datasets[0].path)
    session.set_datasets(loaded)
    every = [r for d in loaded for r in d.results]
    Counted.made[0] = 0
    assert session.showing(["testinib"], [mini]).outcome == "ACR20"
    outcomes = tuple(dict.fromkeys(r.outcome_id for r in every))
    assert dataclasses.replace(result, datasets=loaded).outcome_ids == outcomes
    assert drugs_brought(loaded) == tuple(
        dict.fromkeys(
            [
                *(d.id for ds in loaded for d in ds.drugs),
                *(a.drug_id for ds in loaded for a in ds.arms if a.drug_id and a.role is ArmRole.DRUG),
            ]
        )
    )
    catalog = session.catalog
    no_figures = [d for d in catalog.drugs if not catalog.trials_of(d)]
    if no_figures:  # a monograph without trials: the reason offers the drugs that have results
        (problem,) = validate_query(session.query.with_(drugs=(no_figures[0],)), catalog)
        assert problem.field is QueryField.DRUGS
    assert Counted.made[0] == 0


def test_validating_a_query_makes_no_figure(tmp_path: Path) -> None:
    """Every click validates the query: its problems (and what each offers) come from the columns."""
    session = Session(datasets(tmp_path))
    catalog = session.catalog
    query = session.query.with_(drugs=("testinib",), outcome="ACR20", population="", timepoint="")
    Counted.made[0] = 0
    assert validate_query(query, catalog) == []
    assert validate_query(query.with_(ae_term="headache"), catalog, ChartKind.TOLERABILITY) == []
    (outcome,) = validate_query(query.with_(outcome="ACR70"), catalog)
    assert (outcome.field, outcome.offered) == (QueryField.OUTCOME, ("ACR20",))
    (timepoint,) = validate_query(query.with_(timepoint="week 99"), catalog)
    assert (timepoint.field, timepoint.offered) == (QueryField.TIMEPOINT, ("week 12",))
    (term,) = validate_query(query.with_(ae_term="nausea"), catalog, ChartKind.TOLERABILITY)
    assert (term.field, term.offered) == (QueryField.AE_TERM, ("headache",))
    assert Counted.made[0] == 0
    both = like_with_like(query.with_(drugs=("testinib", "upadacitinib")), catalog)  # on every change of drugs
    assert (both.population, both.timepoint) == ("MTX-IR", "week 12") and Counted.made[0] == 0


def test_columns_read_a_coded_table_from_its_codes(tmp_path: Path) -> None:
    """Columns built from coded parts equal those built from the records, and no value is listed."""
    loaded = datasets(tmp_path, Coded)
    plain = Catalog.from_datasets(
        dataclasses.replace(d, results=tuple(d.results), adverse_events=tuple(d.adverse_events)) for d in loaded
    )
    Counted.made[0] = 0
    results = Chain(d.results for d in loaded)
    events = Chain(d.adverse_events for d in loaded)
    coded = CatalogColumns.of(plain.trials, plain.arms, results, events)
    expected = plain.columns
    for table in ("results", "adverse_events"):
        a, b = getattr(expected, table), getattr(coded, table)
        for name in ("trial", "arm", "count", "n", "level", "by_trial", "trial_start"):
            x, y = getattr(a, name), getattr(b, name)
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), (table, name)
        for codes, values in (("endpoint", "endpoints"), ("timepoint", "timepoints"), ("primary", "timepoints")):
            x = [getattr(a, values)[k] if k >= 0 else None for k in getattr(a, codes).tolist()]  # codes may differ
            assert x == [getattr(b, values)[k] if k >= 0 else None for k in getattr(b, codes).tolist()], (table, codes)
    assert distinct(results, "outcome_id") == list(dict.fromkeys(r.outcome_id for r in plain.results))
    assert Counted.made[0] == 0


def test_a_table_after_another_names_its_arms_from_its_place_on(tmp_path: Path) -> None:
    """The user's figures follow the shipped ones: their arms are found by runs from where they start."""
    loaded = datasets(tmp_path)
    catalog = Catalog.from_datasets(loaded)
    arms = ArmColumns.of(catalog.arms, TrialColumns.of(catalog.trials))  # no figure coded with it yet
    user = loaded[-1].results
    assert isinstance(user, Counted)
    assert arms.codes_of([r.arm_id for r in user]).tolist() == [list(catalog.arms).index(r.arm_id) for r in user]
    assert arms.code._table is None  # type: ignore[attr-defined]  # no id -> code table was needed
    assert isinstance(catalog.results[0], Result) and isinstance(catalog.adverse_events[0], AdverseEvent)


def test_a_catalog_codes_each_dataset_s_figures_on_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each dataset's figures are coded by themselves: the shipped ones (in no arm order) are looked up among
    the arms at the front, the user's by runs from their place, and no table of every arm is made."""
    monkeypatch.setattr(columns_module, "FRONT", 256)  # the shipped arms lie within; 500 arms follow
    shipped = [load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets()]
    catalog = Catalog.from_datasets([*shipped, load_path(generate(tmp_path / "big", trial_count=100), None)])
    assert len(catalog.arms) > 600
    built = catalog.columns
    assert built.arms.code._table is None  # type: ignore[attr-defined]
    whole = CatalogColumns.of(catalog.trials, catalog.arms, tuple(catalog.results), tuple(catalog.adverse_events))
    for table in ("results", "adverse_events"):
        for name in ("trial", "arm", "endpoint", "timepoint", "count", "n", "level", "by_trial", "trial_start"):
            x, y = getattr(getattr(whole, table), name), getattr(getattr(built, table), name)
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), (table, name)


@pytest.mark.parametrize("groups", [3, 70_000])  # 16-bit keys (sorted by radix) and wider ones
def test_grouping_by_code_counts_each_group_and_leaves_out_no_group(groups: int) -> None:
    from viewer.domain.columns import _grouped

    codes = np.random.default_rng(17).integers(-1, groups, 5_000).astype(np.int32)
    order, start = _grouped(codes, groups)
    assert order.tolist() == np.argsort(codes, kind="stable").tolist()
    assert start.tolist() == np.searchsorted(codes[order], np.arange(groups + 1)).tolist()
    in_order = np.sort(codes)
    assert _grouped(in_order, groups)[0].tolist() == list(range(len(codes)))


@pytest.mark.parametrize(
    "codes",
    [[], [3], [5, 1, 5, 0, 1, 9], [2, 2, 2], list(range(40, 0, -3)) * 2],
    ids=["empty", "one", "repeats", "same", "descending"],
)
def test_distinct_codes_are_numpys_unique(codes: list[int]) -> None:
    from viewer.domain.columns import _distinct

    array = np.asarray(codes, dtype=np.int32)
    got = _distinct(array)
    assert got.tolist() == np.unique(array).tolist() and got.dtype == np.int32

"""Issue 17, a columnar core: a catalog's arms are each dataset's arm table merged by id (``by_id.ById``), and it
answers as the dict of every arm it replaced (``dict.update`` over the datasets in order) did: the same keys
in the same order, the later dataset's arm for a repeated id, lookups, equality, pickling, without making an
Arm until one is asked for."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.generate import generate
from tests.domain.minidata import write_dataset
from tests.domain.test_catalog_columns import Counted, counted
from viewer.domain import by_id as by_id_module
from viewer.domain.by_id import ById
from viewer.domain.catalog import Catalog
from viewer.domain.columns import CatalogColumns
from viewer.domain.compact import RecordTable
from viewer.domain.model import Arm, ArmRole, Dataset, Origin
from viewer.domain.readers import load_path
from viewer.paths import shipped_datasets
from viewer.session import drugs_brought


class Colliding(str):
    """An id whose hash is every other one's: ids are told apart by themselves, not by their hashes."""

    __slots__ = ()

    def __hash__(self) -> int:
        return 17


def arm(arm_id: str, trial: str = "T", label: str = "") -> Arm:
    return Arm(arm_id, trial, ArmRole.DRUG, label or arm_id, "d")


def merged(parts: list[tuple[Arm, ...]]) -> dict[str, Arm]:
    out: dict[str, Arm] = {}
    for part in parts:
        out.update((a.id, a) for a in part)
    return out


def same_answers(mapping: ById[Any], expected: dict[str, Any], field: str = "label") -> None:
    """``mapping`` answers as ``expected`` does (its records' ``field`` read as a column too)."""
    assert list(mapping) == list(expected) and len(mapping) == len(expected)
    assert list(mapping.values()) == list(expected.values())
    assert [mapping.at(k) for k in range(len(mapping))] == list(expected.values())
    assert mapping.column(field) == [getattr(a, field) for a in expected.values()]
    for key, value in expected.items():
        assert mapping[key] == value and mapping.get(key) == value and key in mapping
    assert mapping.get("nowhere") is None and "nowhere" not in mapping and mapping.get("nowhere", 5) == 5
    with pytest.raises(KeyError):
        mapping["nowhere"]
    assert mapping == expected and dict(mapping.items()) == expected


CASES = {
    "one part": [(arm("a"), arm("b"), arm("c"))],
    "no parts": [],
    "empty parts": [(), (arm("a"),), ()],
    "apart": [(arm("a"), arm("b")), (arm("c"),)],
    "a later part repeats ids": [(arm("a"), arm("b"), arm("c")), (arm("b", label="mine"), arm("d"))],
    "a part repeats its own id": [(arm("a"), arm("b"), arm("a", label="again"))],
    "three parts, one id thrice": [(arm("a"),), (arm("x"), arm("a", label="2")), (arm("a", label="3"),)],
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("many", [by_id_module.MANY, 1])  # sorted hashes, and the dict after many lookups
def test_a_merge_by_id_answers_as_the_dict_of_every_record(
    case: str, many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(by_id_module, "MANY", many)
    parts = CASES[case]
    same_answers(ById(parts), merged(parts))
    tables = [RecordTable.of(Arm, part) for part in parts if part]  # a dataset folder's arms
    same_answers(ById(tables), merged(parts))


def test_ids_of_equal_hashes_are_told_apart() -> None:
    parts = [tuple(arm(Colliding(k)) for k in "abcd"), (arm(Colliding("b"), label="mine"), arm("e"))]
    same_answers(ById(parts), merged(parts))
    assert ById(parts).get(Colliding("z")) is None


def test_a_merge_pickles_to_an_equal_one() -> None:
    parts = CASES["a later part repeats ids"]
    mapping = ById([RecordTable.of(Arm, parts[0]), parts[1]])
    assert mapping.get("b") is not None  # its indexes are made again after a round trip, not pickled
    again = pickle.loads(pickle.dumps(mapping, protocol=pickle.HIGHEST_PROTOCOL))
    same_answers(again, merged(parts))


def loaded(tmp_path: Path) -> tuple[Dataset, ...]:
    """The shipped catalog, a generated dataset and a user's dataset that repeats a shipped arm's id with its
    own figures (a user's own edit), each as read."""
    shipped = [load_path(p, None, origin=Origin.CURATED) for p in shipped_datasets()]
    first = shipped[0].arms[0]
    mini = write_dataset(tmp_path / "mini")
    arms = (mini / "arms.csv").read_text().replace("t1-pbo,", f"{first.id},")
    (mini / "arms.csv").write_text(arms)
    results = (mini / "results.csv").read_text().replace("t1-pbo,", f"{first.id},")
    (mini / "results.csv").write_text(results)
    (mini / "adverse_events.csv").unlink()
    user = load_path(mini, None)
    generated = load_path(generate(tmp_path / "big", trial_count=40), None)
    out = (*shipped, generated, user)
    assert all(isinstance(d, Dataset) for d in out)
    return out  # type: ignore[return-value]


def test_a_catalog_s_arms_answer_as_the_merged_dict_did(tmp_path: Path) -> None:
    datasets = loaded(tmp_path)
    assert all(isinstance(d.arms, RecordTable) for d in datasets)  # dataset folders: arm tables
    expected = merged([tuple(d.arms) for d in datasets])
    catalog = Catalog.from_datasets(datasets)
    same_answers(catalog.arms, expected)  # type: ignore[arg-type]
    repeated = datasets[0].arms[0].id
    assert catalog.arms[repeated] == datasets[-1].arms[0] != datasets[0].arms[0]  # the later dataset's
    assert list(catalog.arms).index(repeated) == 0  # in the place where it first came
    assert f"{len(expected)} arms" in catalog.summary()
    plain = Catalog(trials=catalog.trials, arms=expected)  # a catalog of plain dicts, as a test makes one
    for trial in catalog.trials:
        assert (
            catalog.arms_of(trial) == plain.arms_of(trial) == tuple(a for a in expected.values() if a.trial_id == trial)
        )
    built = catalog.columns.arms
    whole = CatalogColumns.of(catalog.trials, expected, (), ()).arms
    assert built.ids == whole.ids
    for name in ("role", "trial", "randomised", "by_trial", "trial_start"):
        assert np.array_equal(getattr(built, name), getattr(whole, name)), name
    drug_of = [(built.drugs[k], whole.drugs[j]) for k, j in zip(built.drug.tolist(), whole.drug.tolist(), strict=True)]
    assert all(a == b for a, b in drug_of)  # codes may differ, the drugs they name do not
    for drug in {a.drug_id for a in expected.values()}:
        assert catalog.trials_of(drug) == plain.trials_of(drug)
    again = pickle.loads(pickle.dumps(datasets, protocol=pickle.HIGHEST_PROTOCOL))  # the shipped-catalog cache
    same_answers(Catalog.from_datasets(again).arms, expected)  # type: ignore[arg-type]


def test_a_catalog_and_what_it_offers_make_no_arm(tmp_path: Path) -> None:
    """Merging, counting, the columns, a trial's arms and the drugs a dataset brings read the arm tables'
    codes: an Arm is made only for what is asked (the tables here count every record they make)."""
    datasets = tuple(dataclasses.replace(d, arms=counted(d.arms)) for d in loaded(tmp_path))
    expected = merged([tuple(d.arms) for d in datasets])
    arm_drugs = [a.drug_id for ds in datasets for a in ds.arms if a.drug_id and a.role is ArmRole.DRUG]
    brought = tuple(dict.fromkeys([*(d.id for ds in datasets for d in ds.drugs), *arm_drugs]))
    Counted.made[0] = 0
    catalog = Catalog.from_datasets(datasets)
    assert len(catalog.arms) == len(expected) and catalog.columns.arms.ids == tuple(expected)
    assert drugs_brought(datasets) == brought
    assert Counted.made[0] == 0
    trial = next(iter(catalog.trials))
    mine = catalog.arms_of(trial)
    assert mine and Counted.made[0] == len(mine)
    made: Any = Counted.made[0]
    assert catalog.arms.get(mine[0].id) == mine[0] and Counted.made[0] == made + 1


def test_a_folder_s_arm_ids_come_with_their_sorted_hashes_and_a_catalog_sorts_none_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader sorts a folder's arm ids by hash once, to find a repeated id (``columnar.Keyed.repeated``),
    and hands the index on with the ids (``by_id.Keys``): the catalog's merge of the folders' tables answers
    as the dict did without hashing an id again (a user's id repeating a shipped one included)."""
    datasets = loaded(tmp_path)
    for table in (table for d in datasets for table in (d.arms, d.trials) if len(table) > 1):  # (one: no column)
        assert isinstance(table.coded("id")[0], by_id_module.Keys)  # type: ignore[attr-defined]
    expected = merged([tuple(d.arms) for d in datasets])
    trials = merged([tuple(d.trials) for d in datasets])  # type: ignore[list-item]

    sort = by_id_module.HashIndex.of

    def sorted_again(ids: Any) -> Any:
        assert len(ids) == 1, f"{len(ids)} ids hashed and sorted again"  # (a table of one trial keeps its id whole)
        return sort(ids)

    monkeypatch.setattr(by_id_module.HashIndex, "of", sorted_again)
    catalog = Catalog.from_datasets(datasets)
    same_answers(catalog.arms, expected)  # type: ignore[arg-type]
    assert len(catalog.arms.rows()) == len(expected)  # type: ignore[attr-defined,arg-type]  # a repeated id
    assert list(catalog.trials.items()) == list(trials.items()) and all(t in catalog.trials for t in trials)


def test_a_table_s_ids_pickle_without_their_hashes(tmp_path: Path) -> None:
    """A string's hash is its process's own: the shipped-catalog cache keeps a table's ids as a plain tuple,
    and a merge over the table read back sorts their hashes afresh."""
    folder = generate(tmp_path / "gen", trial_count=30)
    table = load_path(folder, None).arms
    again = pickle.loads(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(again.coded("id")[0]) is tuple and again == table  # type: ignore[attr-defined]
    same_answers(ById([again]), merged([tuple(table)]))  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("ids", "declined", "repeated"),
    [
        ("abcd", "", False),
        ("abcb", "", True),  # repeated among the rows taken
        ("abcd", "xc", True),  # a declined row repeats a taken one
        ("abcd", "xy", False),  # equal hashes, other ids
    ],
)
def test_a_reader_finds_repeated_ids_among_equal_hashes(ids: str, declined: str, repeated: bool) -> None:
    from viewer.domain.readers.columnar import Keyed

    keyed = Keyed()
    taken = [Colliding(k) for k in ids]  # every id of one hash: told apart by the ids themselves
    keyed.keep(taken, np.ones(len(ids), dtype=np.bool_), np.arange(2, 2 + len(ids)))
    assert keyed.repeated(Colliding(k) for k in declined) is repeated
    keys = keyed.ids
    assert keys == tuple(ids) if not repeated else keys == list(ids)
    assert isinstance(keys, by_id_module.Keys) is not repeated  # the index is handed on only when none repeats
    if isinstance(keys, by_id_module.Keys):
        assert sorted(keys.hashed.order.tolist()) == list(range(len(ids)))

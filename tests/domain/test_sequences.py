"""Values made when read: a registry outcome's id from the parts it joins, a column read through another.

Issue 17: a registry study's outcome ids repeat its measure titles (NCT03064438's 26 ids were 6.2 KB), four
of seven adverse-event columns follow the term or the group, and its kept-out titles, terms and analyses'
descriptions repeat their words (held deflated). Every reader must get the same values.
"""

from __future__ import annotations

import dataclasses
import pickle
import random
import sys
from dataclasses import dataclass

import pytest

from viewer.domain import sequences
from viewer.domain.compact import RecordTable, TableBuilder
from viewer.domain.sequences import Deflated, Joined, Texts

SEP = " · "


@dataclass(frozen=True, slots=True)
class Event:
    arm: str
    term: str
    at_risk: int
    note: str
    affected: int


def test_joined_strings_are_their_parts_joined_and_a_lone_part_is_that_very_string() -> None:
    measure = "".join(["Number of Participants With ", "Erythema"])  # made at run time: not interned
    rows = [(measure,), (measure, "Week 2", "Score 0"), (measure, "Week 2", "Score 1"), ("Other",), ()]
    joined = Joined(SEP, rows)
    expected = [SEP.join(r) for r in rows]
    assert list(joined) == expected and joined.strings() == expected and len(joined) == 5
    assert joined == tuple(expected) and joined[-1] == "" and joined[1:3] == tuple(expected[1:3])
    assert joined[0] is measure  # no copy of a measure's title
    picked = joined.pick([2, 0])
    assert list(picked) == [expected[2], expected[0]] and picked[1] is measure
    assert pickle.loads(pickle.dumps(joined)) == joined
    with pytest.raises(IndexError):
        joined[5]


def test_joined_of_more_than_255_parts() -> None:
    rows = [("measure", f"class {k}") for k in range(300)]
    joined = Joined(SEP, rows)
    assert joined.strings() == [SEP.join(r) for r in rows] and list(joined.pick([299, 3])) == [
        "measure · class 299",
        "measure · class 3",
    ]


def test_a_fields_values_held_as_an_equal_sequence_read_the_same() -> None:
    rows = [Event("a", f"m · {k % 4}", 10, "", k) for k in range(12)]
    table = RecordTable.of(Event, rows)
    held = table.with_values("term", Joined(SEP, [("m", str(k)) for k in range(4)]))
    assert list(held) == rows and held.column("term") == [r.term for r in rows]
    assert [held[i] for i in range(12)] == rows and held.coded("term")[0] == [f"m · {k}" for k in range(4)]
    assert held.with_values("arm", ("b",)) is held  # one value for every row: kept in the template
    with pytest.raises(ValueError, match="not the table's"):
        table.with_values("term", Joined(SEP, [("m", str(k)) for k in (1, 0, 2, 3)]))


def _events() -> list[Event]:
    arms, risk = ("placebo", "drug 5 mg", "drug 10 mg"), (158, 159, 96)
    terms = [f"term {t}" for t in range(9)]
    return [Event(arms[a], terms[t], risk[a], f"organ {t % 4}", (a * t) % 5) for t in range(9) for a in range(3)]


FOLLOWS = {"note": "term", "at_risk": "arm"}


def test_columns_another_decides_are_read_through_it() -> None:
    rows = _events()
    builder = TableBuilder(Event, follows=FOLLOWS)
    builder.extend(rows)
    table = builder.table()
    plain = RecordTable.of(Event, rows)
    assert table._follow and len(table._codes) < len(plain._codes)
    assert list(table) == rows and [table[i] for i in range(len(rows))] == rows and table[-1] == rows[-1]
    for name in ("arm", "term", "at_risk", "note", "affected"):
        assert table.column(name) == [getattr(r, name) for r in rows]
        values, codes = table.coded(name)
        assert [values[c] for c in codes] == [getattr(r, name) for r in rows]
    replaced = table.with_column("affected", [1] * len(rows))
    assert list(replaced) == [dataclasses.replace(r, affected=1) for r in rows]
    assert list(table.with_values("term", tuple(table.coded("term")[0]))) == rows
    assert list(pickle.loads(pickle.dumps(table))) == rows


def test_a_column_the_rows_do_not_bear_out_keeps_a_code_a_row() -> None:
    rows = _events()
    rows[4] = dataclasses.replace(rows[4], note="another organ")  # term 1 in two organ systems
    builder = TableBuilder(Event, follows=FOLLOWS)
    builder.extend(rows)
    table = builder.table()
    assert list(table) == rows and table.column("note") == [r.note for r in rows]
    assert table._follow  # at risk still follows the arm
    every = TableBuilder(Event, follows={"at_risk": "arm", "arm": "at_risk"})  # no column follows a follower
    every.extend(rows)
    assert list(every.table()) == rows


TITLES = [
    f"Certolizumab Pegol Plasma Concentration at {visit}"
    for visit in ("Baseline", "Week 1", "Week 2", "Week 4", "Week 12", "Week 24", "Week 36", "Week 52")
] + ["Change From Baseline in µg/mL ≥ 2", ""]  # one outside Latin-1, and an empty one


def test_deflated_texts_read_as_the_strings_they_hold_in_fewer_bytes() -> None:
    packed = Deflated.of(TITLES)
    assert packed is not None and len(packed) == len(TITLES)
    assert packed.strings() == TITLES and list(packed) == TITLES
    assert [packed[i] for i in range(len(TITLES))] == TITLES and packed[-2] == TITLES[-2]
    assert packed[2:4] == tuple(TITLES[2:4])
    with pytest.raises(IndexError):
        packed[len(TITLES)]
    assert packed == tuple(TITLES) and packed == Texts(TITLES) and hash(packed) == hash(tuple(TITLES))
    assert repr(packed) == f"Deflated({TITLES!r})"
    assert pickle.loads(pickle.dumps(packed)) == packed
    plain = Texts(TITLES)
    assert sys.getsizeof(packed._text) < (sys.getsizeof(plain._text) + sys.getsizeof(plain._ends)) / 2


def test_deflated_texts_longer_than_the_window_round_trip() -> None:
    """Strings repeating farther apart than the 4 KB window read back as they went in: deflated and inflated
    with one window (inflated with a smaller window than it was deflated with, a back reference farther
    than the smaller window fails once the text outgrows zlib's first output buffer: the short texts above
    never reach it)."""
    words = random.Random(12).choices(["week", "dose", "placebo", "ACR20", "µg/mL", "≥", "arm", "12", "mg"], k=6000)
    far = " ".join(words)  # ~30 KB of a few words in no order: its second copy repeats it 30 KB back
    values = [far, "Certolizumab Pegol Plasma Concentration", far, ""]
    packed = Deflated.of(values)
    assert packed is not None and len(far.encode()) > 2**14
    assert packed.strings() == values and packed[2] == far
    assert pickle.loads(pickle.dumps(packed)).strings() == values


def test_texts_deflate_does_not_shorten_or_holding_a_nul_are_not_deflated() -> None:
    noise = "".join(map(chr, random.Random(17).randbytes(300)))  # Latin-1 noise: a byte each as a str
    assert Deflated.of([noise[:150], noise[150:]]) is None
    assert Deflated.of([*TITLES, "a\0b"]) is None  # NUL parts the strings: never in a record's text
    assert Deflated.of([]) is None


def test_a_deflated_text_read_a_string_at_a_time_is_inflated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog reads a study's adverse events a row at a time (a term and a note each, from two texts):
    each text is inflated once, not once a row (NCT02552212's 235 rows took several ms more)."""
    terms, notes = Deflated.of(TITLES), Deflated.of([f"organ system: {t}" for t in TITLES])
    assert terms is not None and notes is not None
    inflated: list[bytes] = []
    real = sequences.zlib.decompress
    monkeypatch.setattr(sequences.zlib, "decompress", lambda data, wbits: inflated.append(data) or real(data, wbits))
    for _ in range(3):
        for i in range(len(TITLES)):
            assert (terms[i], notes[i]) == (TITLES[i], f"organ system: {TITLES[i]}")
    assert len(inflated) == 2
    others = [Deflated.of([*TITLES, str(k)]) for k in range(6)]  # a few texts are kept, never more
    for other in others:
        assert other is not None and other[-1] != terms[0]
    assert len(sequences._inflated) == sequences._INFLATED

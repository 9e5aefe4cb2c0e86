"""adverse_events.csv read by columns gives exactly what the full per-field checks give, for plain and broken
tables: the plain rows into a compact table, every other row (with its problems) as the rows read it.

Each case reads one folder twice, as it is and with every row through ``Row`` (``no_columns``), and compares
the datasets, or the problems of a folder that breaks rules, field by field; in one batch and in batches of
3 rows, and through Arrow in one block and in blocks of a row or two (the ``batches`` fixture).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tests.readers.test_columnar import (  # noqa: F401  (batches: the fixture the tests below use)
    PLAIN_ARMS,
    PLAIN_RESULTS,
    PLAIN_TRIALS,
    _one_changed,
    batches,
    both_ways,
    read,
    same,
)
from tests.readers.test_plain_rows import _folder
from viewer.domain.compact import RecordTable
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset, EvidenceLevel
from viewer.domain.readers import adverse_columns, fields
from viewer.domain.stats import count_from_percent

HEADER = "trial,arm,term,serious,affected,percent,at_risk,timepoint,source,level,note"
PLAIN_AES = "\n".join(
    (
        HEADER,
        "T,p,any adverse event,no,30,,,week 12,S,verified,",  # a count on the arm's n (100)
        "T,a,any adverse event,No,50,,,week 12,S,verified,a note",  # a flag in capitals
        "T,b,any adverse event,,45,,98,week 12,S,verified,",  # an n of its own
        "T,c,any adverse event,no,40,,,week 12,S,verified,",  # verified on a secondary arm: secondary
        "T,c,serious infection,yes,,2.5,,week 12,S,verified,",  # a percentage of the arm's n: 3 of 120
        "T,p,serious infection,Y,,4.0,100,,S,verified, padded ",  # of its own n, no timepoint
        "U,d,herpes zoster,true,,10,90,week 24,S,secondary,",  # a whole percentage
        "U,e,herpes zoster,0,5,5.7,,week 24,S,verified,",  # a count and a percentage: both kept
        "T,b,serious infection,1,0,,98,week 12,S,verified,",
        "T,c,herpes zoster,no,1,,119,week 12,S,verified,",  # an n of its own on a secondary arm: verified
        "",
    )
)
TABLES = {"arms": PLAIN_ARMS, "results": PLAIN_RESULTS, "trials": PLAIN_TRIALS}


def folder_of(root: Path, aes: str = PLAIN_AES, **tables: str) -> Path:
    folder = _folder(root, **{**TABLES, **tables})
    (folder / "adverse_events.csv").write_bytes(aes.encode("utf-8", "surrogateescape"))
    return folder


@pytest.mark.usefixtures("batches")
def test_plain_adverse_events_are_read_by_columns_as_the_full_checks_read_them(tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "plain")
    rows: list[str] = []
    with pytest.MonkeyPatch.context() as spied:
        made = fields.Row.__init__

        def spy(row: fields.Row, file: str, *rest: Any) -> None:
            rows.append(file)
            made(row, file, *rest)

        spied.setattr(fields.Row, "__init__", spy)
        read(folder)
    assert "adverse_events.csv" not in rows
    by_columns, full = both_ways(folder)
    assert isinstance(by_columns, Dataset) and isinstance(full, Dataset)
    assert isinstance(by_columns.adverse_events, RecordTable) and isinstance(full.adverse_events, tuple)
    assert by_columns == full and by_columns.adverse_events == full.adverse_events
    events = by_columns.adverse_events
    assert [(e.arm_id, e.at_risk, e.affected, e.derived, e.level.value) for e in events][:5] == [
        ("p", 100, 30, False, "verified"),
        ("a", 100, 50, False, "verified"),
        ("b", 98, 45, False, "verified"),
        ("c", 120, 40, False, "secondary"),
        ("c", 120, 3, True, "secondary"),
    ]
    assert (events[5].timepoint, events[5].note, events[5].serious, events[5].affected) == ("", "padded", True, 4)
    assert (events[6].affected, events[6].percent, events[6].level) == (9, 10.0, EvidenceLevel.SECONDARY)
    assert (events[7].affected, events[7].percent, events[7].derived, events[7].at_risk) == (5, 5.7, False, 88)
    assert (events[9].at_risk, events[9].level) == (119, EvidenceLevel.VERIFIED)


BROKEN = {  # each: (table, line, new line); the row (or the table) goes the full way
    "quoted cell": ("aes", 2, 'T,a,"any adverse event",no,50,,,week 12,S,verified,a note'),
    "quoted line break": ("aes", 2, 'T,a,any adverse event,no,50,,,week 12,S,verified,"a\nnote"'),
    "unclosed quote": ("aes", 4, 'T,c,any adverse event,no,40,,,week 12,S,verified,"no end'),
    "blank line": ("aes", 3, ""),
    "cells only commas": ("aes", 3, ",,,,,,,,,,"),
    "one cell more": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,S,verified,,x"),
    "one cell fewer": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,S,verified"),
    "unknown arm": ("aes", 3, "T,zz,any adverse event,,45,,98,week 12,S,verified,"),
    "no arm": ("aes", 3, "T,,any adverse event,,45,,98,week 12,S,verified,"),
    "padded arm": ("aes", 3, "T, b,any adverse event,,45,,98,week 12,S,verified,"),
    "arm of another trial": ("aes", 3, "U,b,any adverse event,,45,,98,week 12,S,verified,"),
    "padded trial": ("aes", 3, "T ,b,any adverse event,,45,,98,week 12,S,verified,"),
    "no trial": ("aes", 3, ",b,any adverse event,,45,,98,week 12,S,verified,"),
    "no term": ("aes", 3, "T,b, ,,45,,98,week 12,S,verified,"),
    "padded term": ("aes", 3, "T,b, headache ,,45,,98,week 12,S,verified,"),
    "serious maybe": ("aes", 3, "T,b,any adverse event,maybe,45,,98,week 12,S,verified,"),
    "serious padded": ("aes", 3, "T,b,any adverse event, yes ,45,,98,week 12,S,verified,"),
    "affected not whole": ("aes", 3, "T,b,any adverse event,,4.5,,98,week 12,S,verified,"),
    "affected as a decimal": ("aes", 3, "T,b,any adverse event,,45.0,,98,week 12,S,verified,"),
    "affected negative": ("aes", 3, "T,b,any adverse event,,-4,,98,week 12,S,verified,"),
    "affected padded": ("aes", 3, "T,b,any adverse event,, 45,,98,week 12,S,verified,"),
    "affected of 30 digits": ("aes", 3, "T,b,any adverse event,," + "9" * 30 + ",,98,week 12,S,verified,"),
    "affected in another script": ("aes", 3, "T,b,any adverse event,,٤٥,,98,week 12,S,verified,"),
    "more affected than at risk": ("aes", 3, "T,b,any adverse event,,99,,98,week 12,S,verified,"),
    "as many affected as at risk": ("aes", 3, "T,b,any adverse event,,98,,98,week 12,S,verified,"),
    "more affected than the arm's n": ("aes", 1, "T,p,any adverse event,no,101,,,week 12,S,verified,"),
    "neither affected nor percent": ("aes", 3, "T,b,any adverse event,,,,98,week 12,S,verified,"),
    "at risk 0": ("aes", 3, "T,b,any adverse event,,0,,0,week 12,S,verified,"),
    "at risk padded": ("aes", 3, "T,b,any adverse event,,45,, 98,week 12,S,verified,"),
    "at risk not whole": ("aes", 3, "T,b,any adverse event,,45,,98.0,week 12,S,verified,"),
    "at risk of 12 digits": ("aes", 3, "T,b,any adverse event,,45,,999999999999,week 12,S,verified,"),
    "at risk of 12 digits, a percentage": ("aes", 3, "T,b,any adverse event,,,12.5,999999999999,week 12,S,verified,"),
    "percent over 100": ("aes", 5, "T,c,serious infection,yes,,100.5,,week 12,S,verified,"),
    "percent 100": ("aes", 5, "T,c,serious infection,yes,,100,,week 12,S,verified,"),
    "percent 0.0": ("aes", 5, "T,c,serious infection,yes,,0.0,,week 12,S,verified,"),
    "percent -0": ("aes", 5, "T,c,serious infection,yes,,-0,,week 12,S,verified,"),
    "percent with a comma": ("aes", 5, 'T,c,serious infection,yes,,"2,5",,week 12,S,verified,'),
    "percent in exponent form": ("aes", 5, "T,c,serious infection,yes,,2.5e0,,week 12,S,verified,"),
    "percent without a leading digit": ("aes", 5, "T,c,serious infection,yes,,.5,,week 12,S,verified,"),
    "percent ending in a point": ("aes", 5, "T,c,serious infection,yes,,2.,,week 12,S,verified,"),
    "percent of 7 decimals": ("aes", 5, "T,c,serious infection,yes,,2.5000001,,week 12,S,verified,"),
    "percent nan": ("aes", 5, "T,c,serious infection,yes,,nan,,week 12,S,verified,"),
    "percent padded": ("aes", 5, "T,c,serious infection,yes,, 2.5,,week 12,S,verified,"),
    "percent fitting no count": ("aes", 5, "T,c,serious infection,yes,,33.3,10,week 12,S,verified,"),
    "percent fitting several counts": ("aes", 5, "T,c,serious infection,yes,,50,1000,week 12,S,verified,"),
    "percent with trailing zeros": ("aes", 5, "T,c,serious infection,yes,,2.500,,week 12,S,verified,"),
    "percent rounding half up": ("aes", 5, "T,c,serious infection,yes,,2.5,20,week 12,S,verified,"),
    "percent and affected over n": ("aes", 5, "T,c,serious infection,yes,121,2.5,,week 12,S,verified,"),
    "level in capitals": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,S,Verified,"),
    "unknown level": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,S,checked,"),
    "no level": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,S,,"),
    "verified on a review": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,R,verified,"),
    "secondary on a review": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,R,secondary,"),
    "unknown source": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,Q,verified,"),
    "no source": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,,verified,"),
    "not UTF-8": ("aes", 3, "T,b,any adverse event,,45,,98,week 12,S,verified,\udcff"),
    "unknown column": ("aes", 0, HEADER.replace("serious", "colour")),
    "missing column": ("aes", 0, HEADER.replace("term,", "")),
    "only the required columns": ("aes", 0, "trial,arm,term,source,level"),
    "no note column": ("aes", 0, HEADER.removesuffix(",note")),
    "columns in another order": ("aes", 0, "arm,trial,term,serious,affected,percent,at_risk,timepoint,source,"
                                 "level,note"),
    "a column twice": ("aes", 0, HEADER.replace("timepoint", "note")),
    "byte-order mark": ("aes", 0, "\ufeff" + HEADER),
    "header only": ("aes", 1, ""),
    "arm without n": ("arms", 4, "c,T,drug,syn,7.5 mg,7.5,mg,BID,15,,S,secondary, a note "),
    "arm of n 0": ("arms", 4, "c,T,drug,syn,7.5 mg,7.5,mg,BID,15,0,S,secondary, a note "),
    "arm of n 12 digits": ("arms", 4, "c,T,drug,syn,7.5 mg,7.5,mg,BID,15,999999999999,S,secondary, a note "),
    "arm unverified": ("arms", 4, "c,T,drug,syn,7.5 mg,7.5,mg,BID,15,120,S,unverified, a note "),
    "arm of an unknown trial": ("arms", 6, "e,V,placebo,,Placebo,,,,0,88,S,verified,"),
    "arm id repeated": ("arms", 6, "c,U,placebo,,Placebo,,,,0,88,S,verified,"),
    "no arms": ("arms", 1, ""),
    "unreadable arms": ("arms", 0, "id,trial,role,drug,label,dose,unit,colour,daily_dose_mg,n,source,level,note"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.usefixtures("batches")
def test_an_adverse_event_the_columns_decline_reads_as_the_full_checks_read_it(tmp_path: Path, case: str) -> None:
    table, line, new = BROKEN[case]
    aes, arms = PLAIN_AES, PLAIN_ARMS
    if table == "aes":
        aes = _one_changed(aes, line, new)
    else:
        arms = _one_changed(arms, line, new) if case != "no arms" else PLAIN_ARMS.split("\n")[0] + "\n"
    by_columns, full = both_ways(folder_of(tmp_path / "broken", aes, arms=arms))
    assert same(by_columns, full), (by_columns, full)


def test_the_cases_read_as_expected(tmp_path: Path) -> None:
    """A few of the cases, read: a declined row keeps its place and its note; its problems name its row."""
    aes = _one_changed(PLAIN_AES, 5, "T,c,serious infection,yes,,33.3,10,week 12,S,verified,")
    ds = read(folder_of(tmp_path / "note", aes))
    assert isinstance(ds, Dataset) and isinstance(ds.adverse_events, RecordTable)
    assert [e.arm_id for e in ds.adverse_events] == ["p", "a", "b", "c", "c", "p", "d", "e", "b", "c"]
    fitted = ds.adverse_events[4]
    note = "33.3% of 10 fits no whole count (nearest 3/10 = 30.0%)"
    assert (fitted.affected, fitted.derived, fitted.note) == (3, True, note)
    broken = _one_changed(PLAIN_AES, 3, "T,b,any adverse event,,99,,98,week 12,S,verified,")
    error = read(folder_of(tmp_path / "broken", broken))
    assert isinstance(error, DataError)
    assert [(p.file, p.location, p.field) for p in error.problems] == [("adverse_events.csv", "row 4", "affected")]


def test_derived_counts_by_columns_are_count_from_percent_s(tmp_path: Path) -> None:
    """Percentages of 0 to 3 decimals of every kind of n (the edges of 0 and 100, halves, n of 1 and of 9
    digits): the columns' whole-number arithmetic gives the count ``stats.count_from_percent`` gives, and a
    percentage that fits no count or several goes the long way for its note."""
    rng = random.Random(17)
    lines = [HEADER]
    for _ in range(3_000):
        n = rng.choice([1, 2, 3, 7, 10, 99, 100, 120, 333, 1_000, 12_345, 999_999_999, rng.randint(1, 500)])
        decimals = rng.randint(0, 3)
        percent = f"{rng.choice([0, 100, rng.uniform(0, 100), 100 * rng.randint(0, n) / n]):.{decimals}f}"
        lines.append(f"T,p,any adverse event,no,,{percent},{n},week 12,S,verified,")
    ds = read(folder_of(tmp_path / "many", "\n".join(lines) + "\n"))
    assert isinstance(ds, Dataset) and isinstance(ds.adverse_events, RecordTable)
    for line, event in zip(lines[1:], ds.adverse_events, strict=True):
        percent, n = line.split(",")[5:7]
        expected = count_from_percent(float(percent), int(n), decimals=fields.decimals_of(percent))
        assert (event.affected, event.note, event.percent) == (expected.count, expected.note, float(percent)), line
    fitting = sum(not e.note for e in ds.adverse_events)
    assert 1_000 < fitting < 3_000  # both ways were taken


def test_a_generated_adverse_events_table_reads_the_same_by_columns(tmp_path: Path) -> None:
    """The benchmark's table (two terms an arm, 40,000 rows) in several batches and by Arrow in blocks, a row
    declined among them keeping its place."""
    from bench.generate import generate
    from viewer.domain.readers import arrow_csv, columnar

    folder = generate(tmp_path / "generated", trial_count=4_000, results=False, adverse_events=True)
    lines = (folder / "adverse_events.csv").read_bytes().decode().split("\r\n")
    lines[30_001] = lines[30_001].replace(",week 12,SYN,verified,", ",week 12,SYN,Verified,")
    (folder / "adverse_events.csv").write_bytes("\r\n".join(lines).encode())
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(columnar, "BATCH", 1 << 12)
        by_columns = read(folder)
        patched.setattr(columnar, "ARROW_BYTES", 0)
        patched.setattr(arrow_csv, "BLOCK_BYTES", 1 << 14)
        by_arrow = read(folder)
    _by_columns, full = both_ways(folder)
    assert isinstance(by_columns, Dataset) and isinstance(by_columns.adverse_events, RecordTable)
    assert by_columns == full == by_arrow and len(by_columns.adverse_events) == 40_000
    assert isinstance(full, Dataset)
    assert by_columns.adverse_events.column("affected") == [e.affected for e in full.adverse_events]
    assert sum(e.derived for e in by_columns.adverse_events) == 20_000


def test_a_percent_cell_is_taken_only_as_plain_digits() -> None:
    assert adverse_columns._percent("2.50") == (2.5, 250, 2)
    assert adverse_columns._percent("") is None
    for cell in ("100.01", " 2", "2.", ".5", "1e1", "-0", "2.5000001", "١٢"):
        assert adverse_columns._percent(cell) is adverse_columns.FAIL, cell

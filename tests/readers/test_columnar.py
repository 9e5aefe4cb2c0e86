"""trials.csv, arms.csv and results.csv read by columns give exactly what the full per-field checks give, for
plain and broken tables.

Each case reads one folder twice: as it is (the plain rows taken by columns, the trials, arms and results into
compact tables)
and with every row through ``Row`` (the columnar reads declining every row),
and compares the datasets, or the problems of a folder that breaks rules, field by field. Batches are cut
small too, so that runs of arms and distinct values span batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.readers.test_plain_rows import _folder, no_columns
from viewer.domain import sliced
from viewer.domain.compact import RecordTable
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset
from viewer.domain.readers import arrow_csv, columnar, fields
from viewer.domain.readers.dataset import load_dataset


def read(folder: Path) -> Dataset | DataError:
    try:
        return load_dataset(folder)
    except DataError as exc:
        return exc


def same(one: Dataset | DataError, other: Dataset | DataError) -> bool:
    if isinstance(one, DataError) and isinstance(other, DataError):
        return one.problems == other.problems
    return one == other


def both_ways(folder: Path) -> tuple[Dataset | DataError, Dataset | DataError]:
    by_columns = read(folder)
    with pytest.MonkeyPatch.context() as patched:
        no_columns(patched)
        full = read(folder)
    return by_columns, full


@pytest.fixture(params=["one batch", "batches of 3 rows", "arrow", "arrow, blocks of 128 bytes"])
def batches(request: pytest.FixtureRequest) -> Iterator[None]:
    """The csv path in one batch or small ones; or Arrow for every table its bytes allow, in one block or
    blocks of 128 bytes (a row or two each)."""
    with pytest.MonkeyPatch.context() as patched:
        if request.param == "batches of 3 rows":
            patched.setattr(columnar, "BATCH", 3)
            patched.setattr(columnar, "PARSE_SLICE", 2)
        arrow = request.param.startswith("arrow")
        patched.setattr(columnar, "ARROW_BYTES", 0 if arrow else 1 << 40)
        if request.param == "arrow, blocks of 128 bytes":
            patched.setattr(arrow_csv, "BLOCK_BYTES", 128)
        yield


PLAIN_ARMS = (
    "id,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,source,level,note\n"
    "p,T,placebo,,Placebo,,,,,100,S,verified,\n"
    "a,T,drug,syn,5 mg,5,mg,QD,5,100,S,verified,\n"
    "b,T,drug,syn,10 mg,10,mg,QD,10,98,S,verified,\n"
    "c,T,drug,syn,7.5 mg,7.5,mg,BID,15,120,S,secondary, a note \n"
    "d,U,active,adalimumab,Adalimumab 40 mg,40,mg,Q2W,,90,S,verified,\n"
    "e,U,placebo,syn,Placebo,,,,0,88,S,verified,\n"  # a placebo arm keeps no drug
)
PLAIN_RESULTS = (
    "trial,arm,outcome,timepoint,responders,percent,n,source,level,note\n"
    "T,p,ACR20,week 12,30,,,S,verified,\n"
    "T,a,ACR20,week 12,50,,,S,verified,a note\n"
    "T,b,ACR20, week 12,45,,,S,verified,\n"  # a padded timepoint, stripped
    "T,c,ACR20,week 12,40,,,S,verified,\n"  # verified on a secondary arm: secondary
    "U,d,ACR50,week 24,45,,,S,secondary,\n"
    "U,e,ACR50,week 24,10,,,S,verified,\n"
    "T,p,ACR50,week 12,20,,,S,verified,\n"  # an arm again after others
    "T,a,ACR50,week 12,30,,,S,verified, padded note \n"
)
PLAIN_TRIALS = (
    "id,name,nct,phase,population,background,primary_timepoint,randomised_n,indication,source,level,note\n"
    "T,Trial T,NCT01234567,3,MTX-IR,MTX,week 12,300,RA,S,verified,\n"
    "U,Trial U,,2,TNF-IR,,week 24,,RA,S,secondary,\n"
)
TABLES = {"arms": PLAIN_ARMS, "results": PLAIN_RESULTS, "trials": PLAIN_TRIALS}


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text,
        lambda text: text.replace("\n", "\r\n"),  # Excel and csv.writer end lines so
        lambda text: text.replace(",", ";"),  # Excel in much of Europe
        lambda text: text.replace(",", "\t"),  # Excel's Unicode text
        lambda text: text.removesuffix("\n"),  # no line break at the end
        lambda text: text.replace("\n", " \n", 1),  # spaces after the last header name
        lambda text: text.replace("a note", "a\u00a0note\u00a0"),  # a no-break space, stripped at the end
    ],
    ids=["lf", "crlf", "semicolons", "tabs", "no-final-break", "padded-header", "no-break-space"],
)
@pytest.mark.usefixtures("batches")
def test_plain_arms_and_results_are_read_by_columns_as_the_full_checks_read_them(
    tmp_path: Path, change: Callable[[str], str]
) -> None:
    folder = _folder(tmp_path / "plain", **{name: change(text) for name, text in TABLES.items()})
    rows: list[str] = []
    with pytest.MonkeyPatch.context() as spied:
        made = fields.Row.__init__

        def spy(row: fields.Row, file: str, *rest: Any) -> None:
            rows.append(file)
            made(row, file, *rest)

        spied.setattr(fields.Row, "__init__", spy)
        read(folder)
    assert rows and not {"trials.csv", "arms.csv", "results.csv"} & set(rows)
    by_columns, full = both_ways(folder)
    assert isinstance(by_columns, Dataset) and isinstance(full, Dataset)
    assert isinstance(by_columns.results, RecordTable) and isinstance(full.results, tuple)
    assert isinstance(by_columns.trials, RecordTable) and isinstance(full.trials, tuple)
    assert by_columns == full and by_columns.results == full.results and by_columns.trials == full.trials
    assert [(t.id, t.nct, t.randomised_n, t.level.value) for t in by_columns.trials] == [
        ("T", "NCT01234567", 300, "verified"),
        ("U", "", None, "secondary"),
    ]
    assert [(r.arm_id, r.n, r.responders, r.level.value, r.timepoint) for r in by_columns.results][2:5] == [
        ("b", 98, 45, "verified", "week 12"),
        ("c", 120, 40, "secondary", "week 12"),
        ("d", 90, 45, "secondary", "week 24"),
    ]
    assert by_columns.results[7].note == "padded note" and by_columns.results[6].trial_id == "T"


def _one_changed(text: str, line: int, new: str) -> str:
    lines = text.split("\n")
    lines[line] = new
    return "\n".join(lines)


BROKEN = {  # each: (table, line, new line); the row or the table goes the full way and reads as the rows read it
    "quoted cell": ("results", 2, 'T,a,ACR20,"week 12",50,,,S,verified,a note'),
    "quoted line break": ("results", 2, 'T,a,ACR20,week 12,50,,,S,verified,"a\nnote"'),
    "unclosed quote": ("results", 4, 'T,c,ACR20,week 12,40,,,S,verified,"no end'),
    "quote inside a cell": ("results", 4, 'T,c,ACR20,week 12,40,,,S,verified,a "note'),
    "blank line": ("results", 3, ""),
    "cells only commas": ("results", 3, ",,,,,,,,,"),
    "one cell more": ("results", 3, "T,b,ACR20,week 12,45,,,S,verified,,x"),
    "one cell more, empty": ("results", 3, "T,b,ACR20,week 12,45,,,S,verified,,"),
    "one cell fewer": ("results", 3, "T,b,ACR20,week 12,45,,,S,verified"),
    "lone carriage return": ("results", 3, "T,b,ACR20,week 12\r,45,,,S,verified,"),
    "more responders than n": ("results", 3, "T,b,ACR20,week 12,99,,,S,verified,"),
    "as many responders as n": ("results", 3, "T,b,ACR20,week 12,98,,,S,verified,"),
    "a percentage": ("results", 3, "T,b,ACR20,week 12,,45.5,,S,verified,"),
    "responders and a percentage": ("results", 3, "T,b,ACR20,week 12,45,45.9,,S,verified,"),
    "a percentage of -0": ("results", 3, "T,b,ACR20,week 12,,-0,,S,verified,"),
    "an n of its own": ("results", 3, "T,b,ACR20,week 12,45,,98,S,verified,"),
    "a blank percent": ("results", 3, "T,b,ACR20,week 12,45, ,,S,verified,"),
    "arm of another trial": ("results", 3, "U,b,ACR20,week 12,45,,,S,verified,"),
    "padded trial": ("results", 3, " T,b,ACR20,week 12,45,,,S,verified,"),
    "unknown arm": ("results", 3, "T,zz,ACR20,week 12,45,,,S,verified,"),
    "padded arm": ("results", 3, "T,b ,ACR20,week 12,45,,,S,verified,"),
    "no arm": ("results", 3, "T,,ACR20,week 12,45,,,S,verified,"),
    "unknown outcome": ("results", 3, "T,b,ACR99,week 12,45,,,S,verified,"),
    "padded outcome": ("results", 3, "T,b,ACR20 ,week 12,45,,,S,verified,"),
    "no timepoint": ("results", 3, "T,b,ACR20, ,45,,,S,verified,"),
    "responders not whole": ("results", 3, "T,b,ACR20,week 12,4.5,,,S,verified,"),
    "responders of 18 digits": ("results", 3, "T,b,ACR20,week 12," + "9" * 18 + ",,,S,verified,"),
    "responders of 30 digits": ("results", 3, "T,b,ACR20,week 12," + "9" * 30 + ",,,S,verified,"),
    "responders in digits of another script": ("results", 3, "T,b,ACR20,week 12,٤٥,,,S,verified,"),
    "responders padded": ("results", 3, "T,b,ACR20,week 12, 45,,,S,verified,"),
    "no responders": ("results", 3, "T,b,ACR20,week 12,,,,S,verified,"),
    "level in capitals": ("results", 3, "T,b,ACR20,week 12,45,,,S,Verified,"),
    "unknown level": ("results", 3, "T,b,ACR20,week 12,45,,,S,checked,"),
    "verified on a review": ("results", 3, "T,b,ACR20,week 12,45,,,R,verified,"),
    "secondary on a review": ("results", 3, "T,b,ACR20,week 12,45,,,R,secondary,"),
    "unknown source": ("results", 3, "T,b,ACR20,week 12,45,,,Q,verified,"),
    "padded source": ("results", 3, "T,b,ACR20,week 12,45,,, S,verified,"),
    "unknown column": ("results", 0, "trial,arm,outcome,timepoint,responders,colour,n,source,level,note"),
    "missing column": ("results", 0, "trial,arm,outcome,timepoint,percent,n,source,level,note"),
    "no responders column": ("results", 0, "trial,arm,outcome,timepoint,percent,percent,n,source,level,note"),
    "no note column": ("results", 0, "trial,arm,outcome,timepoint,responders,percent,n,source,level"),
    "a column twice": ("results", 0, "trial,arm,outcome,timepoint,responders,percent,n,source,level,level"),
    "byte-order mark": ("results", 0, "\ufefftrial,arm,outcome,timepoint,responders,percent,n,source,level,note"),
    "not UTF-8": ("results", 3, "T,b,ACR20,week 12,45,,,S,verified,\udcff"),
    "arm: quoted cell": ("arms", 2, 'a,T,drug,syn,"5 mg",5,mg,QD,5,100,S,verified,'),
    "arm: quoted line break": ("arms", 2, 'a,T,drug,syn,5 mg,5,mg,QD,5,100,S,verified,"a\nnote"'),
    "arm: blank line": ("arms", 3, ""),
    "arm: cells only commas": ("arms", 3, ",,,,,,,,,,,,"),
    "arm: one cell more": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,98,S,verified,,x"),
    "arm: one cell more, empty": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,98,S,verified,,"),
    "arm: one cell fewer": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,98,S,verified"),
    "arm: one more here, one fewer there": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,98,S,verified,,x\n"
                                            "c,T,drug,syn,7.5 mg,7.5,mg,BID,15,120,S,secondary"),
    "arm: lone carriage return": ("arms", 3, "b,T,drug,syn,10 mg\r,10,mg,QD,10,98,S,verified,"),
    "arm: repeated id, declined": ("arms", 6, "a,U,Placebo,,Placebo,,,,0,88,S,verified,"),
    "arm: repeated id, both declined": ("arms", 2, "a,T,Drug,syn,5 mg,5,mg,QD,5,100,S,verified,\n"
                                        "a,T,Drug,syn,5 mg,5,mg,QD,5,100,S,verified,"),
    "arm: repeated id, fewer cells": ("arms", 6, "a,U,placebo,,Placebo,,,,0,88,S"),
    "arm: unknown drug": ("arms", 3, "b,T,drug,nodrug,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: no drug": ("arms", 3, "b,T,drug,,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: padded drug": ("arms", 3, "b,T,drug, syn ,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: active arm of an unknown drug": ("arms", 5, "d,U,active,nodrug,Nodrug 40 mg,40,mg,Q2W,,90,S,verified,"),
    "arm: role in capitals": ("arms", 3, "b,T,Drug,syn,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: unknown role": ("arms", 3, "b,T,dose,syn,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: dose not plain": ("arms", 3, "b,T,drug,syn,10 mg,1e1,mg,QD,10,98,S,verified,"),
    "arm: dose of 400 digits": ("arms", 3, "b,T,drug,syn,10 mg," + "9" * 400 + ",mg,QD,10,98,S,verified,"),
    "arm: daily dose of 400 digits": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD," + "9" * 400 + ",98,S,verified,"),
    "arm: negative dose": ("arms", 3, "b,T,drug,syn,10 mg,-10,mg,QD,10,98,S,verified,"),
    "arm: dose with a comma": ("arms", 3, "b,T,drug,syn,10 mg,\"7,5\",mg,QD,10,98,S,verified,"),
    "arm: padded dose": ("arms", 3, "b,T,drug,syn,10 mg, 10,mg,QD,10,98,S,verified,"),
    "arm: n padded": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10, 98,S,verified,"),
    "arm: no label": ("arms", 3, "b,T,drug,syn, ,10,mg,QD,10,98,S,verified,"),
    "arm: verified on a review": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,98,R,verified,"),
    "arm: unknown source": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,98,Q,verified,"),
    "arm: padded id": ("arms", 3, " b ,T,drug,syn,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: id padded with a tab": ("arms", 3, "\tb,T,drug,syn,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: no id": ("arms", 3, ",T,drug,syn,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: padded trial": ("arms", 3, "b,T ,drug,syn,10 mg,10,mg,QD,10,98,S,verified,"),
    "arm: padded unit and frequency": ("arms", 3, "b,T,drug,syn,10 mg,10, mg , QD ,10,98,S,verified,"),
    "arm: missing column": ("arms", 0, "id,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,source,note"),
    "arm: no drug column": ("arms", 0, "id,trial,role,label,label,dose,unit,frequency,daily_dose_mg,n,source,"
                            "level,note"),
    "arm: byte-order mark": ("arms", 0, "\ufeffid,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,"
                             "source,level,note"),
    "arm without n": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,,S,verified,"),
    "arm of n 0": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,0,S,verified,"),
    "arm of n 30 digits": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10," + "9" * 30 + ",S,verified,"),
    "arm of n not whole": ("arms", 3, "b,T,drug,syn,10 mg,10,mg,QD,10,98.5,S,verified,"),
    "arm declined, unverified": ("arms", 3, "b,T,Drug,syn,10 mg,10,mg,QD,10,98,S,unverified,"),
    "repeated arm id": ("arms", 6, "a,U,placebo,,Placebo,,,,0,88,S,verified,"),
    "repeated arm id, padded": ("arms", 6, " a ,U,placebo,,Placebo,,,,0,88,S,verified,"),
    "arms out of order": ("arms", 1, "e,U,placebo,syn,Placebo,,,,0,88,S,verified,"),
    "unknown trial of an arm": ("arms", 6, "e,V,placebo,,Placebo,,,,0,88,S,verified,"),
    "no arms": ("arms", 1, ""),
    "trial: padded cells": ("trials", 2, " U , Trial U ,, 2 , TNF-IR , , week 24 ,, RA ,S,secondary, a note "),
    "trial: NCT id in small letters": ("trials", 2, "U,Trial U,nct01234568,2,TNF-IR,,week 24,,RA,S,secondary,"),
    "trial: NCT id of 7 digits": ("trials", 2, "U,Trial U,NCT0123456,2,TNF-IR,,week 24,,RA,S,secondary,"),
    "trial: no name": ("trials", 2, "U, ,,2,TNF-IR,,week 24,,RA,S,secondary,"),
    "trial: no population": ("trials", 2, "U,Trial U,,2,,,week 24,,RA,S,secondary,"),
    "trial: randomised n not whole": ("trials", 2, "U,Trial U,,2,TNF-IR,,week 24,30.5,RA,S,secondary,"),
    "trial: randomised n padded": ("trials", 2, "U,Trial U,,2,TNF-IR,,week 24, 30,RA,S,secondary,"),
    "trial: verified on a review": ("trials", 2, "U,Trial U,,2,TNF-IR,,week 24,,RA,R,verified,"),
    "trial: quoted name": ("trials", 2, 'U,"Trial U, part 2",,2,TNF-IR,,week 24,,RA,S,secondary,'),
    "trial: one cell fewer": ("trials", 2, "U,Trial U,,2,TNF-IR,,week 24,,RA,S,secondary"),
    "trial: no id": ("trials", 2, ",Trial U,,2,TNF-IR,,week 24,,RA,S,secondary,"),
    "trial: repeated id": ("trials", 2, "T,Trial U,,2,TNF-IR,,week 24,,RA,S,secondary,"),
    "unreadable arms": ("arms", 0, "id,trial,role,drug,label,dose,unit,colour,daily_dose_mg,n,source,level,note"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.usefixtures("batches")
def test_a_row_the_columns_decline_reads_as_the_full_checks_read_it(tmp_path: Path, case: str) -> None:
    table, line, new = BROKEN[case]
    tables = {**TABLES, table: _one_changed(TABLES[table], line, new)}
    if case == "no arms":
        tables["arms"] = PLAIN_ARMS.split("\n")[0] + "\n"
    folder = _folder(tmp_path / "broken", **{k: v for k, v in tables.items() if k != table})
    (folder / f"{table}.csv").write_bytes(tables[table].encode("utf-8", "surrogateescape"))
    by_columns, full = both_ways(folder)
    assert same(by_columns, full), (by_columns, full)


def test_the_cases_read_as_expected(tmp_path: Path) -> None:
    """A few of the cases, read: a declined row keeps its place, its own problems name their row."""
    tables = {**TABLES, "results": _one_changed(PLAIN_RESULTS, 3, "T,b,ACR20,week 12,,45.5,,S,verified,")}
    ds = read(_folder(tmp_path / "derived", **tables))
    assert isinstance(ds, Dataset) and isinstance(ds.results, RecordTable)
    assert [r.arm_id for r in ds.results] == ["p", "a", "b", "c", "d", "e", "p", "a"]
    assert ds.results[2].derived and ds.results[2].responders == 45 and ds.results[2].percent == 45.5
    lines = PLAIN_RESULTS.split("\n")
    lines[2:4] = ['T,a,ACR20,week 12,50,,,S,verified,"a\nnote"', "T,b,ACR20,week 12,99,,,S,verified,"]
    error = read(_folder(tmp_path / "broken", **{**TABLES, "results": "\n".join(lines)}))
    assert isinstance(error, DataError)
    assert [(p.location, p.field) for p in error.problems] == [("row 4", "responders")]  # a row, not a line


def test_a_declined_row_among_results_of_one_trial_keeps_every_row(tmp_path: Path) -> None:
    """Every result of one trial (of two), the last row declined: the merged trial column is one value for
    four rows (it was cut to the three taken, the table then short of a row; found by the fuzz)."""
    results = "\n".join(PLAIN_RESULTS.split("\n")[:5]).removesuffix(",")  # the last row a cell short
    ds = read(_folder(tmp_path / "one", **{**TABLES, "results": results}))
    assert isinstance(ds, Dataset) and isinstance(ds.results, RecordTable) and len(ds.results) == 4
    assert [(r.trial_id, r.arm_id, r.note) for r in ds.results] == [
        ("T", "p", ""), ("T", "a", "a note"), ("T", "b", ""), ("T", "c", ""),
    ]  # fmt: skip


def test_a_generated_dataset_reads_the_same_by_columns(tmp_path: Path) -> None:
    """Thousands of rows in several batches: the same records in file order, a row declined among them
    keeping its place, each field's values coded in a table."""
    from bench.generate import generate

    folder = generate(tmp_path / "generated", trial_count=4_000)  # 20,000 arms, 40,000 results
    lines = (folder / "results.csv").read_bytes().decode().split("\r\n")
    lines[30_001] = lines[30_001].replace(",,,SYN,", ",,300,SYN,")  # an n of its own: the full checks
    (folder / "results.csv").write_bytes("\r\n".join(lines).encode())
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(columnar, "BATCH", 1 << 12)
        by_columns = read(folder)
    _by_columns, full = both_ways(folder)
    assert isinstance(by_columns, Dataset) and isinstance(by_columns.results, RecordTable)
    assert by_columns == full and len(by_columns.arms) == 20_000
    assert by_columns.results[30_000].n == 300 and by_columns.results[29_999].n != 300
    assert isinstance(full, Dataset)
    assert by_columns.results.column("responders") == [r.responders for r in full.results]


@pytest.mark.parametrize("slice_size", [3, 1 << 15])
def test_a_coder_codes_cells_by_first_appearance_in_slices_or_whole(slice_size: int) -> None:
    """Codes index the values in order of first appearance; a cell failing its condition codes BAD; a long
    column coded a slice at a time gives the codes it gives whole."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(sliced, "SLICE", slice_size)
        coder = columnar.Coder(lambda cell: int(cell) if cell.isdigit() else columnar.FAIL)
        cells = ["7", "x", "07", "7", "3", "3", "x", "10"] * 3
        codes = coder(cells).tolist()
        identity = columnar.Coder()
        names = ["b", "a", "b", "c"] * 5
        assert identity(names).tolist() == [0, 1, 0, 2] * 5 and identity.values == ["b", "a", "c"]
    assert coder.values == [7, 3, 10]  # "07" is the value 7 again
    assert codes == [0, columnar.BAD, 0, 0, 1, 1, columnar.BAD, 2] * 3
    assert coder(["10", "10"]).tolist() == [2, 2] and coder.lookup(["3", "y"]).tolist() == [1, columnar.BAD]

"""The drug monographs of a dataset folder (readers.monographs): every field read, every broken rule one
located problem, the files found exactly as ``drugs/*.toml`` names them, and the shared file reads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.domain.minidata import write_dataset
from viewer.domain.errors import DataError, Rule
from viewer.domain.model import Approval, Drug, EvidenceLevel, Fact, Origin, Selectivity
from viewer.domain.readers.dataset import load_dataset
from viewer.domain.readers.guard import read_bytes, read_text

FULL = """id = "fullinib"
name = "Fullinib"
class = "JAK inhibitor"
brands = ["Fulla", " "]
codes = ["FUL-1"]
targets = ["JAK1", "JAK2"]
note = "  a note  "

[[mechanism]]
text = "Inhibits JAK1."
source = "S1"
level = "verified"

[[selectivity]]
target = "jak2"
ic50_nm = 40
qualifier = ">"
assay = "enzyme"
source = "S1"
level = "Secondary"

[[approved_dose]]
text = "15 mg once daily"
daily_mg = 15
source = "S1"
level = "verified"

[[half_life]]
text = "9-14 h"
source = "S1"
level = "unverified"

[[approval]]
agency = "EMA"
date = "2019-12"
indication = "RA"
source = "S1"
level = "verified"

[[boxed_warning]]
text = "Serious infections."
source = "S1"
level = "verified"
"""

FULL_DRUG = Drug(
    id="fullinib",
    name="Fullinib",
    drug_class="JAK inhibitor",
    brands=("Fulla",),
    codes=("FUL-1",),
    targets=("JAK1", "JAK2"),
    mechanism=(Fact("Inhibits JAK1.", "S1", EvidenceLevel.VERIFIED),),
    selectivity=(Selectivity("JAK2", 40.0, ">", "enzyme", "S1", EvidenceLevel.SECONDARY),),
    approved_doses=(Fact("15 mg once daily", "S1", EvidenceLevel.VERIFIED, 15.0),),
    half_life=(Fact("9-14 h", "S1", EvidenceLevel.UNVERIFIED),),
    approvals=(Approval("EMA", "2019-12", "RA", "S1", EvidenceLevel.VERIFIED, ""),),
    boxed_warnings=(Fact("Serious infections.", "S1", EvidenceLevel.VERIFIED),),
    origin=Origin.USER,
    note="a note",
)


def _drugs(tmp_path: Path, files: dict[str, bytes]) -> tuple[Drug, ...]:
    root = write_dataset(tmp_path)
    for name, data in files.items():
        (root / "drugs" / name).write_bytes(data)
    return load_dataset(root).drugs


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(FULL.encode(), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + FULL.encode(), id="utf-8-bom"),
        pytest.param(FULL.encode("utf-16"), id="utf-16-bom"),
        pytest.param(FULL.replace("\n", "\r\n").encode(), id="crlf"),
    ],
)
def test_a_full_monograph_gives_every_field(tmp_path: Path, data: bytes) -> None:
    drugs = {d.id: d for d in _drugs(tmp_path, {"fullinib.toml": data})}
    assert drugs["fullinib"] == FULL_DRUG


def test_monographs_are_the_files_drugs_star_toml_names_in_name_order(tmp_path: Path) -> None:
    """Hidden files count (as ``Path.glob`` counts them), another case of the suffix does not, a folder so
    named is a located problem rather than a drug left out."""
    drugs = _drugs(
        tmp_path,
        {
            "zeta.toml": b'id = "zeta"\nname = "Zeta"\n',
            ".dot.toml": b'id = ".dot"\nname = "Dot"\n',
            "Upper.TOML": b'id = "Upper"\nname = "never read"\n',
            "alpha.toml.bak": b"not toml at all",
        },
    )
    assert [d.id for d in drugs] == [".dot", "testinib", "zeta"]
    (tmp_path / "drugs" / "folder.toml").mkdir()
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path)
    assert [(str(p), p.kind) for p in info.value.problems] == [
        ("drugs/folder.toml: cannot be read: Is a directory", Rule.UNREADABLE)
    ]


BROKEN = {
    "a.toml": b'id = "b"\nname = "A"\n',
    "b.toml": b'id = "b"\nname = "B"\n',
    "c.toml": b'id = 3\nname = ""\nbrands = "x"\ncodes = [1]\ntargets = ["JAK1", " "]\nclass = 1\nnote = []\n',
    "d.toml": b'id = "d"\nname = "D"\nmechanism = "x"\nselectivity = [1]\n'
    b'[[approval]]\nagency = "EMA"\ndate = "20x1"\nsource = "S1"\nlevel = "verified"\n',
    "e.toml": b'id = "e"\nname = "E"\n[[selectivity]]\ntarget = "jak9"\nic50_nm = true\nqualifier = "="\n'
    b'assay = ""\nsource = ""\nlevel = "no"\n'
    b'[[half_life]]\ntext = "6 h"\nsource = "S9"\nlevel = "verified"\ndaily_mg = -1\n',
    "f.toml": b'id = "f"\nname = "\xff"\n',
    "h.toml": b'id = "h"\nname = "H"\nname = "again"\n',
    "i.toml": b'id = "i"\nname = "I\x00"\n',
    "j.toml": b"",
}

BROKEN_PROBLEMS = [
    ("drugs/a.toml: id: must match the file name ('a'), not 'b'", Rule.VALUE),
    ("drugs/b.toml: id: duplicate id 'b' (also in drugs/a.toml)", Rule.VALUE),
    ("drugs/c.toml: id: must be text", Rule.VALUE),
    ("drugs/c.toml: name: is required", Rule.VALUE),
    ("drugs/c.toml: class: must be text", Rule.VALUE),
    ("drugs/c.toml: brands: must be a list of text", Rule.VALUE),
    ("drugs/c.toml: codes: must be a list of text", Rule.VALUE),
    ("drugs/c.toml: note: must be text", Rule.VALUE),
    ("drugs/d.toml: mechanism: must be an array of tables ([[mechanism]])", Rule.VALUE),
    ("drugs/d.toml: selectivity: must be an array of tables ([[selectivity]])", Rule.VALUE),
    ("drugs/d.toml:approval[0]: date: must be YYYY, YYYY-MM or YYYY-MM-DD, not '20x1'", Rule.VALUE),
    ("drugs/e.toml:selectivity[0]: target: must be one of JAK1, JAK2, JAK3, TYK2, not 'JAK9'", Rule.VALUE),
    ("drugs/e.toml:selectivity[0]: ic50_nm: must be a positive number of nanomolar, not True", Rule.VALUE),
    ("drugs/e.toml:selectivity[0]: qualifier: must be empty, '>', '<' or '~', not '='", Rule.VALUE),
    ("drugs/e.toml:selectivity[0]: assay: is required", Rule.VALUE),
    ("drugs/e.toml:selectivity[0]: source: every figure needs a source", Rule.VALUE),
    ("drugs/e.toml:selectivity[0]: level: must be one of verified, secondary, unverified, not 'no'", Rule.VALUE),
    ("drugs/e.toml:half_life[0]: source: unknown source 'S9' (not in sources.csv)", Rule.VALUE),
    ("drugs/e.toml:half_life[0]: daily_mg: must be a non-negative number, not -1", Rule.VALUE),
    ("drugs/f.toml:byte 17: is not UTF-8 text, so not TOML", Rule.ENCODING),
    ("drugs/h.toml:line 3: is not valid TOML: Cannot overwrite a value (at line 3, column 15)", Rule.SYNTAX),
    ("drugs/i.toml: is not a text file (contains NUL characters), so not TOML", Rule.ENCODING),
    ("drugs/j.toml: id: is required", Rule.VALUE),  # an empty monograph is checked, not skipped
    ("drugs/j.toml: name: is required", Rule.VALUE),
]


def test_each_broken_monograph_rule_is_one_located_problem(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        _drugs(tmp_path, BROKEN)
    assert [(str(p), p.kind) for p in info.value.problems] == BROKEN_PROBLEMS


def test_an_unlistable_drugs_folder_is_a_problem_not_an_empty_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing is refused to a user without read permission on the folder (not to root, who runs these
    tests in the container): the refusal is stood in for at the one call that lists it."""
    root = write_dataset(tmp_path)
    drugs = os.fspath(root / "drugs")
    listdir = os.listdir

    def refused(path: str) -> list[str]:
        if os.fspath(path) == drugs:
            raise PermissionError(13, "Permission denied", drugs)
        return listdir(path)

    monkeypatch.setattr(os, "listdir", refused)
    with pytest.raises(DataError) as info:
        load_dataset(root)
    problems = [(str(p), p.kind) for p in info.value.problems]
    assert problems[0] == ("drugs: cannot be read: Permission denied", Rule.UNREADABLE)


def test_read_bytes_takes_text_paths_and_reads_past_what_fstat_states(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(b'id = "m"\n')
    assert read_bytes(os.fspath(path)) == read_bytes(path) == b'id = "m"\n'
    assert read_text(os.fspath(path), what="TOML") == 'id = "m"\n'
    with pytest.raises(DataError) as info:
        read_bytes(os.fspath(tmp_path / "gone.toml"))
    assert [(str(p), p.kind) for p in info.value.problems] == [("gone.toml: does not exist", Rule.NOT_FOUND)]
    with pytest.raises(DataError) as info:
        read_bytes(os.fspath(path), limit=4)
    assert [str(p) for p in info.value.problems] == ["m.toml: is too large (9 bytes; at most 4 are read)"]
    proc = Path("/proc/self/cmdline")  # Linux states its size as 0: every byte is past what fstat says
    if proc.exists():
        with proc.open("rb") as handle:
            assert read_bytes(proc) == handle.read()
        with pytest.raises(DataError) as info:
            read_bytes(proc, limit=2)
        assert info.value.problems[0].kind is Rule.TOO_LARGE

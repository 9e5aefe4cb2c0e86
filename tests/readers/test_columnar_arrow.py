"""Big tables parsed by Arrow (``readers.arrow_csv``) read exactly as ``csv`` reads them, and only when their
bytes leave no doubt: each variant of a table's bytes takes the path it should (a spy says which) and
gives the Dataset, or the problems, the csv path and the full per-field checks give."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.readers.test_columnar import TABLES, both_ways, read, same
from tests.readers.test_plain_rows import SHIPPED, _folder
from viewer.domain.model import Dataset
from viewer.domain.readers import arrow_csv, columnar

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def arrow_paths() -> Iterator[dict[str, bool]]:
    """Every table goes to Arrow first (in blocks of a row or two); the spy records, by file name, whether
    Arrow read it (True) or left it to csv (False)."""
    taken: dict[str, bool] = {}
    parse = arrow_csv.parse

    def spy(path: Path, **names: tuple[str, ...]) -> arrow_csv.Parsed | None:
        parsed = parse(path, **names)
        taken[path.name] = parsed is not None
        return parsed

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(columnar, "ARROW_BYTES", 0)
        patched.setattr(arrow_csv, "BLOCK_BYTES", 128)
        patched.setattr(arrow_csv, "parse", spy)
        yield taken


def by_csv(folder: Path) -> Dataset | object:
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(columnar, "ARROW_BYTES", 1 << 40)
        return read(folder)


def _lines(text: str, change: Callable[[list[str]], None]) -> str:
    lines = text.split("\n")
    change(lines)
    return "\n".join(lines)


VARIANTS: dict[str, tuple[Callable[[str], str], bool]] = {  # results.csv's text -> (its bytes, Arrow reads it)
    "lf": (lambda text: text, True),
    "crlf": (lambda text: text.replace("\n", "\r\n"), True),
    "crlf but one line": (lambda text: text.replace("\n", "\r\n").replace("\r\n", "\n", 3), True),
    "no final line break": (lambda text: text.removesuffix("\n"), True),
    "byte-order mark": (lambda text: "\ufeff" + text, True),
    "semicolons": (lambda text: text.replace(",", ";"), True),
    "tabs": (lambda text: text.replace(",", "\t"), True),
    "blank line": (lambda text: _lines(text, lambda lines: lines.insert(3, "")), True),
    "blank line before a broken row": (
        lambda text: _lines(text, lambda lines: lines.insert(3, "")).replace("week 24,10,", "week 24,99,"),
        True,
    ),  # the broken row's number counts the blank line
    "lone carriage return before a broken row": (
        lambda text: text.replace("verified,\n", "verified,\r\r", 1).replace("week 24,10,", "week 24,99,"),
        True,
    ),
    "blank lines at the end": (lambda text: text + "\n\r\n\n", True),
    "line of spaces": (lambda text: _lines(text, lambda lines: lines.insert(3, "   ")), False),
    "cells only commas": (lambda text: _lines(text, lambda lines: lines.insert(3, ",,,,,,,,,")), True),
    "lone carriage returns ending rows": (lambda text: text.replace("verified,\n", "verified,\r", 3), True),
    "lone carriage return in a cell": (lambda text: text.replace("week 12", "week\r12", 1), False),
    "header ended by a lone carriage return": (lambda text: text.replace("\n", "\r", 1), False),
    "quoted cell": (lambda text: text.replace("week 24", '"week 24"', 1), False),
    "quote inside a cell": (lambda text: text.replace("a note", 'a "note', 1), False),
    "a row of more cells": (lambda text: _lines(text, lambda lines: lines.insert(3, lines[3] + ",x")), False),
    "a row of fewer cells": (lambda text: _lines(text, lambda lines: lines.insert(3, lines[3][:-1])), False),
    "a row of more empty cells": (lambda text: _lines(text, lambda lines: lines.insert(3, lines[3] + ",,")), False),
    "not UTF-8": (lambda text: text.replace("a note", "a \udcff note"), False),
    "a NUL": (lambda text: text.replace("a note", "a \x00 note"), False),
    "every row declined": (lambda text: text.replace(",verified,", ",Verified,"), True),
    "backslashes": (lambda text: text.replace("a note", "a \\ note\\"), True),
    "other spaces and separators": (lambda text: text.replace("a note", "a\x0b\x0c\x1c\x85\u2028note\u00a0"), True),
    "unknown column": (lambda text: text.replace("percent", "colour", 1), False),
    "header only": (lambda text: text.split("\n")[0] + "\n", True),
    "header only, no line break": (lambda text: text.split("\n")[0], False),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_each_variant_of_the_bytes_takes_its_path_and_reads_as_csv_and_the_full_checks_read_it(
    tmp_path: Path, variant: str, arrow_paths: dict[str, bool]
) -> None:
    change, arrow = VARIANTS[variant]
    folder = _folder(tmp_path / "v", arms=TABLES["arms"], trials=TABLES["trials"])
    (folder / "results.csv").write_bytes(change(TABLES["results"]).encode("utf-8", "surrogateescape"))
    by_arrow = read(folder)
    assert arrow_paths == {"trials.csv": True, "arms.csv": True, "results.csv": arrow}
    assert same(by_arrow, by_csv(folder)), by_arrow  # type: ignore[arg-type]
    assert same(*both_ways(folder))


def test_a_cell_over_the_csv_field_limit_leaves_the_table_to_csv(tmp_path: Path, arrow_paths: dict[str, bool]) -> None:
    """csv refuses a field over ``csv.field_size_limit()`` (the table is not valid CSV); Arrow has no such
    limit, so such a table is csv's to read and report."""
    results = TABLES["results"].replace("a note", "a note " + "of many words " * 3)
    folder = _folder(tmp_path / "v", **{**TABLES, "results": results})
    limit = csv.field_size_limit(30)  # the longest cell of the other tables: 17 characters
    try:
        by_arrow, by_rows = read(folder), by_csv(folder)
    finally:
        csv.field_size_limit(limit)
    assert arrow_paths == {"trials.csv": True, "arms.csv": True, "results.csv": False}
    assert same(by_arrow, by_rows)  # type: ignore[arg-type]
    assert "is not valid CSV" in str(by_arrow)


def test_a_generated_dataset_reads_the_same_by_arrow_in_blocks(tmp_path: Path) -> None:
    """20,000 arms and 40,000 results in blocks of a few hundred rows, one result declined in the middle
    (an n of its own): the records the csv path makes, in file order."""
    from bench.generate import generate

    folder = generate(tmp_path / "generated", trial_count=4_000)
    lines = (folder / "results.csv").read_bytes().decode().split("\r\n")
    lines[30_001] = lines[30_001].replace(",,,SYN,", ",,300,SYN,")
    (folder / "results.csv").write_bytes("\r\n".join(lines).encode())
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(columnar, "ARROW_BYTES", 0)
        patched.setattr(arrow_csv, "BLOCK_BYTES", 1 << 14)
        by_arrow = read(folder)
    by_rows = by_csv(folder)
    assert isinstance(by_arrow, Dataset) and by_arrow == by_rows
    assert by_arrow.results[30_000].n == 300 and by_arrow.results[29_999].n != 300


def test_a_coder_codes_a_coded_column_as_it_codes_its_cells() -> None:
    cells = ["7", "x", "07", "7", "3", "", "x", "10"]
    values = list(dict.fromkeys(cells))
    coded = columnar.Coded(values, np.array([values.index(cell) for cell in cells], dtype=np.int32))
    assert list(coded) == cells and coded.cells() == cells and list(coded[2:4]) == ["07", "7"]
    assert columnar.empty(coded).tolist() == columnar.empty(cells).tolist()
    whole = columnar.Coder(lambda cell: int(cell) if cell.isdigit() else columnar.FAIL)
    one, other = whole(coded), columnar.Coder(whole.convert)(cells)
    assert one.tolist() == other.tolist() and whole.lookup(coded).tolist() == whole.lookup(cells).tolist()
    ids = columnar.IdCoder(["3", "7", "10"])
    assert ids(coded).tolist() == columnar.IdCoder(["3", "7", "10"])(cells).tolist()
    unique = columnar.Coded([" a", "b "], np.arange(2, dtype=np.int32))
    assert columnar.stripped_cells(unique) == ["a", "b"]


def test_small_tables_and_the_shipped_catalog_never_import_pyarrow() -> None:
    """Start-up and the shipped catalog do not pay for pyarrow's import (~0.1-0.3 s)."""
    code = (
        "import sys; from pathlib import Path; from viewer.domain.readers.dataset import load_dataset; "
        f"load_dataset(Path({str(SHIPPED)!r})); print(sorted(m for m in sys.modules if 'arrow' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("convert", "codes", "values"),
    [
        (columnar.required, [[0, 1, 2], [3], [3, 4], [0, columnar.BAD, 2, 5], [6]], "abcxyde"),
        (columnar.stripped, [[0, 1, 2], [3], [3, 4], [0, 5, 2, 6], [7]], ["a", "b", "c", "x", "y", "", "d", "e"]),
    ],
)
def test_a_text_coder_codes_new_bare_cells_at_once_as_it_codes_them_one_by_one(
    convert: Callable[[str], str], codes: list[list[int]], values: list[str] | str
) -> None:
    """Bare new cells (200,000 trial names) are coded in C; a padded or empty one, or a value coded before
    from another cell, still codes by its value, in order of first appearance."""
    coder = columnar.Coder(convert)
    got = [coder(cells).tolist() for cells in (["a", "b", "c"], [" x"], ["x", "y"], [" a", "", "c ", "d"], ["e"])]
    assert got == codes and coder.values == list(values)

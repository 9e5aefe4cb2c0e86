"""Fuzzing the dataset folder and spreadsheet readers: only DataError escapes, always located."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain.minidata import FILES, write_dataset
from tests.fuzz.mutations import mutated
from viewer.domain.errors import DataError, Rule
from viewer.domain.readers.dataset import load_dataset
from viewer.domain.readers.spreadsheet import read_spreadsheet

SHEET = (Path(__file__).resolve().parents[1] / "data" / "migraine_spreadsheet.csv").read_text(encoding="utf-8")
TABLES = sorted(FILES)


def assert_located(error: DataError) -> None:
    """A DataError must name, for every problem, the file, a rule of the closed set and what broke it.

    Any other exception fails the test: since readers no longer turn bugs into DataErrors, a fuzzer that
    reaches a KeyError or TypeError has found a bug.
    """
    assert error.problems
    for problem in error.problems:
        assert problem.file
        assert problem.rule
        assert isinstance(problem.kind, Rule), problem


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(TABLES), data=st.data())
def test_fuzz_dataset_folder(name: str, data: st.DataObject) -> None:
    broken = data.draw(mutated(FILES[name]))
    with tempfile.TemporaryDirectory() as folder:
        try:
            load_dataset(write_dataset(Path(folder), {name: broken}))
        except DataError as error:
            assert_located(error)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(data=st.data())
def test_fuzz_spreadsheet(data: st.DataObject) -> None:
    broken = data.draw(mutated(SHEET) | st.text(max_size=400))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.csv"
        path.write_text(broken, encoding="utf-8", errors="surrogatepass")
        try:
            read_spreadsheet(path)
        except DataError as error:
            assert_located(error)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(blob=st.binary(max_size=300))
def test_fuzz_spreadsheet_bytes(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.csv"
        path.write_bytes(blob)
        try:
            read_spreadsheet(path)
        except DataError as error:
            assert_located(error)

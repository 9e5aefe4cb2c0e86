"""Fuzzing the ClinicalTrials.gov readers with mutations of the real records and with random input."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.mutations import NASTY, mutated
from tests.fuzz.test_fuzz_tabular import assert_located
from viewer.domain.errors import DataError
from viewer.domain.model import Dataset
from viewer.domain.readers.ctgov import read_ctgov_json, read_ctgov_xml

CTGOV = Path(__file__).resolve().parents[1] / "data" / "ctgov"
XML = (CTGOV / "NCT02305381_SUSTAIN5_ctgov_legacy.xml").read_text(encoding="utf-8")
JSON_TEXT = (CTGOV / "NCT02552212_ctgov_v2.json").read_text(encoding="utf-8")
RECORD = json.loads(JSON_TEXT)
FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# a falsifying example is a whole record (over 100 kB): its size must not hide the failure it shows
LARGE_EXAMPLE = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def read(reader: Any, text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"record{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            dataset = reader(path, None)
        except DataError as error:
            assert_located(error)  # a rule of the closed set, with file and place
        else:
            assert isinstance(dataset, Dataset)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the JSON record, so a mutation can land on any node."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += paths(value, (*prefix, index))
    return out


NODES = [p for p in paths(RECORD) if p]
JUNK = st.sampled_from([None, 0, -1, 1e308, float("nan"), "", "NA", [], {}, True, "x" * 1000, *NASTY])


@st.composite
def structurally_mutated(draw: st.DrawFn) -> str:
    record = json.loads(JSON_TEXT)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(NODES))
        parent: Any = record
        try:
            for key in path[:-1]:
                parent = parent[key]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(JUNK)
        except (KeyError, IndexError, TypeError):
            continue
    return json.dumps(record)


@pytest.mark.slow
@LARGE_EXAMPLE
@FUZZ
@given(text=structurally_mutated())
def test_fuzz_ctgov_json_structure(text: str) -> None:
    read(read_ctgov_json, text, ".json")


@pytest.mark.slow
@LARGE_EXAMPLE
@FUZZ
@given(text=mutated(JSON_TEXT) | st.text(max_size=300))
def test_fuzz_ctgov_json_text(text: str) -> None:
    read(read_ctgov_json, text, ".json")


@pytest.mark.slow
@LARGE_EXAMPLE
@FUZZ
@given(text=mutated(XML) | st.text(max_size=300))
def test_fuzz_ctgov_xml_text(text: str) -> None:
    read(read_ctgov_xml, text, ".xml")

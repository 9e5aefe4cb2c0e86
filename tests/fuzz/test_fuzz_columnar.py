"""Fuzzing the columnar reads of trials, arms and results against the full checks: broken tables read the same.

Plain tables mutated (cut, cells swapped, nasty values, quotes, line breaks) must give, read by columns,
the Dataset the full per-field checks give, or the same problems (file, row, field, rule), with batches
cut small so that runs and distinct values span them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.mutations import mutated
from tests.readers.test_columnar import TABLES, both_ways, read, same
from tests.readers.test_plain_rows import _folder
from viewer.domain.readers import arrow_csv, columnar


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(("results", "results", "arms", "trials")), data=st.data(), crlf=st.booleans())
def test_fuzz_tables_read_the_same_by_columns_and_row_by_row(name: str, data: st.DataObject, crlf: bool) -> None:
    tables = {**TABLES, name: data.draw(mutated(TABLES[name]))}
    if crlf:
        tables = {k: v.replace("\n", "\r\n") for k, v in tables.items()}
    batch = data.draw(st.sampled_from((columnar.BATCH, 2, 3)))
    with tempfile.TemporaryDirectory() as root, pytest.MonkeyPatch.context() as patched:
        patched.setattr(columnar, "BATCH", batch)
        patched.setattr(columnar, "PARSE_SLICE", min(batch, columnar.PARSE_SLICE))
        by_columns, full = both_ways(_folder(Path(root) / "d", **tables))
    assert same(by_columns, full), (by_columns, full)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(("results", "results", "arms", "trials")), data=st.data(), crlf=st.booleans())
def test_fuzz_tables_read_the_same_by_arrow_and_by_csv(name: str, data: st.DataObject, crlf: bool) -> None:
    """Every table offered to Arrow first (``readers.arrow_csv``), in one block or blocks of a row or two:
    the Dataset or the problems of the csv path (and of the full checks)."""
    tables = {**TABLES, name: data.draw(mutated(TABLES[name]))}
    if crlf:
        tables = {k: v.replace("\n", "\r\n") for k, v in tables.items()}
    with tempfile.TemporaryDirectory() as root, pytest.MonkeyPatch.context() as patched:
        folder = _folder(Path(root) / "d", **tables)
        patched.setattr(columnar, "ARROW_BYTES", 1 << 40)
        by_csv = read(folder)
        patched.setattr(columnar, "ARROW_BYTES", 0)
        patched.setattr(arrow_csv, "BLOCK_BYTES", data.draw(st.sampled_from((arrow_csv.BLOCK_BYTES, 128))))
        by_arrow, full = both_ways(folder)
    assert same(by_arrow, by_csv), (by_arrow, by_csv)
    assert same(by_arrow, full), (by_arrow, full)

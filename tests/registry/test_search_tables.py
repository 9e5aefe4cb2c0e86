"""The local copy's search tables answer exactly as AACT's own tables do, on a generated registry of
3,000 studies with the benchmark's skew (a few drugs in hundreds of studies, brands, codes and MeSH terms
sharing letters), for every prefix a user types and with or without "with results"."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench.registry_generate import generate
from viewer.domain.registry import prepared
from viewer.domain.registry.flatfiles import import_flatfiles
from viewer.domain.registry.local import duck_sql
from viewer.domain.registry.search import SearchQuery, count_sql, drugs_sql, studies_sql

TEXTS = (
    "a",
    "ab",
    "ada",
    "adalimumab",
    "s",
    "se",
    "sema",
    "i",
    "in",
    "umab",
    "syntinib-00",
    "syntinib-01",
    "zz",
    "-",
    "1",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    copy = root / "aact.duckdb"
    import_flatfiles(generate(root, 3000), copy)
    return copy


@pytest.mark.parametrize("has_results", [None, True])
def test_the_search_tables_count_as_the_aact_tables_do(generated: Path, has_results: bool | None) -> None:
    conn = duckdb.connect(str(generated), read_only=True)
    try:
        compared = 0
        for text in TEXTS:
            q = SearchQuery(text=text, has_results=has_results, limit=500)
            assert prepared.applies(q)
            for fast, plain in (
                (prepared.drugs_sql, drugs_sql),
                (prepared.studies_sql, studies_sql),
                (prepared.count_sql, count_sql),
            ):
                got = conn.execute(duck_sql(fast(q)[0]), fast(q)[1]).fetchall()
                want = conn.execute(duck_sql(plain(q)[0]), plain(q)[1]).fetchall()
                assert got == want, (text, has_results, fast.__name__)
                compared += len(want)
        assert compared > 1000  # the prefixes match many drugs and studies, not a few
        several = conn.execute("SELECT count(*) FROM drug_viewer.drug_totals WHERE terms > 1").fetchone()
        assert several is not None and several[0] > 10  # drugs with brands, codes or MeSH terms besides the name
    finally:
        conn.close()


def test_other_filters_use_the_general_search() -> None:
    assert not prepared.applies(SearchQuery(text="a", condition="psoriasis"))
    assert not prepared.applies(SearchQuery(text="a", has_results=False))
    assert not prepared.applies(SearchQuery(text=""))
    assert prepared.applies(SearchQuery(text="a", has_results=True))

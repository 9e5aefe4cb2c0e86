"""``drug-viewer registry search|import`` and the --registry selection, in process, on the local copy."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from tests.registry.aact_rows import Rows, write_flatfiles
from tests.registry.conftest import SNAPSHOT_ZIP
from viewer.domain.errors import DataError
from viewer.registry_cli import add_registry_command, add_selection_options, load_selected, run_registry


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="drug-viewer")
    sub = parser.add_subparsers(dest="command")
    add_registry_command(sub)
    exp = sub.add_parser("export")
    add_selection_options(exp)
    return parser.parse_args(argv)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_registry(parse(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_search_lists_drugs_with_counts_and_studies(aact_local: Path) -> None:
    code, out, _ = run(["registry", "search", "cimzia", "--registry", str(aact_local), "--with-results"])
    assert code == 0
    assert "certolizumab pegol\t1\n" in out
    assert "NCT02552212\tPHASE3\tCOMPLETED\t2020-08-17\t" in out
    assert "AACT snapshot 2026-12-01" in out


def test_search_that_matches_nothing_is_bad_input(aact_local: Path) -> None:
    with pytest.raises(DataError, match="matches no study"):
        run(["registry", "search", "nosuchdrug", "--registry", str(aact_local)])


def test_import_shows_progress_and_records_the_snapshot(tmp_path: Path, aact_rows: Rows) -> None:
    archive = write_flatfiles(tmp_path / SNAPSHOT_ZIP, aact_rows)
    code, out, err = run(["registry", "import", str(archive), "--to", str(tmp_path / "copy.duckdb")])
    assert code == 0
    assert "100%" in err and "[#########################]" in err
    assert "4 studies, snapshot 2026-12-01 (from the file name)" in out
    code, out, _ = run(["registry", "search", "certolizumab", "--registry", str(tmp_path / "copy.duckdb")])
    assert code == 0 and "NCT02552212" in out


def test_import_of_a_broken_zip_is_bad_input(tmp_path: Path) -> None:
    broken = tmp_path / SNAPSHOT_ZIP
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError, match="not a readable zip archive"):
        run(["registry", "import", str(broken), "--to", str(tmp_path / "copy.duckdb")])


@pytest.mark.parametrize(
    "selection",
    [["--nct", "NCT02552212"], ["--drug", "certolizumab"], ["--condition", "spondyloarthritis"]],
)
def test_selection_brings_the_study(aact_local: Path, selection: list[str]) -> None:
    args = parse(["export", "--registry", str(aact_local), *selection])
    dataset = load_selected(args, None)
    assert {t.nct for t in dataset.trials} == {"NCT02552212"}
    assert len(dataset.results) == 25


def test_selection_of_nothing_is_bad_input(aact_local: Path) -> None:
    args = parse(["export", "--registry", str(aact_local), "--drug", "nosuchdrug"])
    with pytest.raises(DataError, match="no study with posted results"):
        load_selected(args, None)


def test_a_search_that_lists_fewer_than_match_says_so(aact_local: Path) -> None:
    code, out, _ = run(["registry", "search", "--registry", str(aact_local), "--limit", "2"])
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines() if line.startswith("NCT")] == [
        "NCT03064438",
        "NCT02552212",
    ]
    assert "# the newest 2 of 4 matching studies (--limit lists more, up to 500;" in out

"""The command line with --registry: the same rows as --data on the study's JSON; bad registries exit 2."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from viewer.cli import build_parser, run_command

RECORD = Path(__file__).parents[1] / "data" / "ctgov" / "NCT02552212_ctgov_v2.json"


def cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: v for k, v in row.items() if k != "source"} for row in csv.DictReader(handle)]


def test_export_from_the_registry_gives_the_same_rows_as_the_json(registry_location: str, tmp_path: Path) -> None:
    from_registry, from_json = tmp_path / "registry.csv", tmp_path / "json.csv"
    code, _, err = cli(
        [
            "export",
            "--registry",
            registry_location,
            "--nct",
            "NCT02552212",
            "--outcome",
            "ASDAS-MI",
            "-o",
            str(from_registry),
        ]
    )
    assert code == 0, err
    code, _, err = cli(["export", "--data", str(RECORD), "--outcome", "ASDAS-MI", "-o", str(from_json)])
    assert code == 0, err
    registry_rows = rows(from_registry)
    assert registry_rows and registry_rows == rows(from_json)
    with from_registry.open(encoding="utf-8") as handle:
        sources = [row["source"] for row in csv.DictReader(handle) if not row["left_out"]]  # arm rows
    assert all("ctgov.outcome_measurements id=" in s and "AACT snapshot 2026-12-01" in s for s in sources)


def test_export_by_drug_picks_registry_studies(aact_local: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    code, _, err = cli(
        ["export", "--registry", str(aact_local), "--drug", "cimzia", "--outcome", "ASDAS-MI", "-o", str(out)]
    )
    assert code == 0, err
    assert {r["nct"] for r in rows(out)} == {"NCT02552212"}


def test_registry_search_command(aact_local: Path) -> None:
    code, out, _ = cli(["registry", "search", "certolizumab", "--registry", str(aact_local)])
    assert code == 0 and "certolizumab pegol\t1" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["registry", "search", "x", "--registry", "/nonexistent/aact.duckdb"], "registry import"),
        (
            ["export", "--registry", "/nonexistent/aact.duckdb", "--nct", "NCT02552212", "-o", "x.csv"],
            "registry import",
        ),
    ],
)
def test_a_missing_registry_is_bad_input(argv: list[str], message: str) -> None:
    code, _, err = cli(argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_wrong_password_exits_2_without_showing_it(aact_pg: str, tmp_path: Path) -> None:
    password = aact_pg.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
    wrong = aact_pg.replace(f":{password}@", ":hunter2-wrong@")
    code, _, err = cli(["export", "--registry", wrong, "--nct", "NCT02552212", "-o", str(tmp_path / "x.csv")])
    assert code == 2
    assert "refused the user name or password" in err
    assert "hunter2-wrong" not in err and password not in err
    assert not (tmp_path / "x.csv").exists()


def test_a_drug_with_more_studies_than_are_taken_is_said(
    aact_local: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import viewer.domain.registry.source as source

    monkeypatch.setattr(source, "MAX_STUDIES", 1)  # four studies here: a cap of one shows the rule
    argv = ["export", "--registry", str(aact_local), "--condition", "a", "--chart", "tolerability"]
    code, _, err = cli([*argv, "--ae", "serious adverse event", "-o", str(tmp_path / "x.csv")])
    assert "drug-viewer: note: condition 'a' matches 4 studies with results: the newest 1 are used" in err, err
    assert code == 0, err

"""Registry outcome ids join measure, class and category with a middle dot (Latin-1: half the memory of the
em dash they had, issue 17); a session saved with an em-dash id still reopens its outcome."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from viewer.cli import build_parser, run_command
from viewer.domain.readers import load_path
from viewer.session_file import from_json, read_session

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "tests" / "data" / "ctgov" / "NCT03064438.json"
# Written by `drug-viewer export --save-session` at main 04086aa (em-dash ids), with the record at ../ctgov/.
OLD = ROOT / "tests" / "data" / "sessions" / "registry-outcome-em-dash.dvsession.json"
MEASURE = (
    "Number of Participants With Erythema Score Based on Local Tolerability as Assessed by the Investigator "
    "at Day 1 (Post-application) and Weeks 2, 4, 8, and 14"
)


def test_a_registry_outcome_id_joins_its_parts_with_a_middle_dot_and_each_character_takes_one_byte() -> None:
    ids = [o.id for o in load_path(RECORD, None).outcomes if o.id.startswith(MEASURE)]
    assert f"{MEASURE} · Week 14 · Score 0 (clear)" in ids
    assert len(ids) == 20 and all("—" not in i for i in ids)
    assert all(i.isascii() or max(map(ord, i)) < 256 for i in ids)  # CPython's 1-byte strings


def test_a_session_saved_with_an_em_dash_outcome_id_reads_the_same_outcome() -> None:
    text = OLD.read_text(encoding="utf-8")
    saved = f"{MEASURE} — Week 14 — Score 0 (clear)"
    assert json.loads(text)["query"]["outcome"] == saved
    session = read_session(OLD)
    assert session.query.outcome == f"{MEASURE} · Week 14 · Score 0 (clear)"
    assert session.query.outcome in {o.id for o in load_path(RECORD, None).outcomes}
    registry = json.loads(text)
    del registry["datasets"][1]
    registry["registry"] = [{"location": "postgresql://reader@aact.example.org:5432/aact", "studies": ["NCT03064438"]}]
    assert from_json(json.dumps(registry), "s.json").query.outcome == session.query.outcome  # read through AACT


def test_an_em_dash_in_a_session_without_registry_records_is_the_users_own_id() -> None:
    """Only the registry readers wrote em-dash ids; a user's table may name an outcome with one."""
    document = json.loads(OLD.read_text(encoding="utf-8"))
    del document["datasets"][1]
    assert from_json(json.dumps(document), "s.json").query.outcome == f"{MEASURE} — Week 14 — Score 0 (clear)"


def test_the_cli_reopens_the_old_session_on_its_outcome(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "again.csv"
    code = run_command(build_parser().parse_args(["export", "--session", str(OLD), "-o", str(target)]), out, err)
    assert code == 0, err.getvalue()
    with target.open(encoding="utf-8", newline="") as written:
        rows = [r for r in csv.DictReader(written) if r["chart"] == "shown"]
    assert [(r["outcome"], r["responders"], r["n"], r["placebo_responders"], r["placebo_n"]) for r in rows] == [
        (f"{MEASURE} · Week 14 · Score 0 (clear)", "2", "26", "1", "12")  # as the session's export wrote them
    ]
    assert "[Week 14 — Score 0 (clear)]" in rows[0]["source"]  # the provenance line is written as before


@pytest.mark.parametrize("suffix", [".png", ".csv"])
def test_a_script_passing_an_em_dash_outcome_gets_what_the_middle_dot_gives(tmp_path: Path, suffix: str) -> None:
    """``--outcome`` of a script written before issue 17: the same chart and rows as this version's id."""
    written = {}
    for name, outcome in (
        ("old", f"{MEASURE} — Week 14 — Score 0 (clear)"),
        ("new", f"{MEASURE} · Week 14 · Score 0 (clear)"),
    ):
        target = tmp_path / f"{name}{suffix}"
        args = ["export", "--data", str(RECORD), "--drug", "accud1", "--chart", "forest", "--outcome", outcome]
        out, err = io.StringIO(), io.StringIO()
        code = run_command(build_parser().parse_args([*args, "-o", str(target)]), out, err)
        assert code == 0, err.getvalue()
        written[name] = target.read_bytes()
    assert written["old"] == written["new"]
    if suffix == ".csv":
        shown = [r for r in csv.DictReader(io.StringIO(written["old"].decode("utf-8"))) if r["chart"] == "shown"]
        assert [(r["outcome"], r["responders"], r["n"]) for r in shown] == [
            (f"{MEASURE} · Week 14 · Score 0 (clear)", "2", "26")
        ]

"""Registry studies in a session: saved as the registry's location (never a password) and NCT ids, read
again on reopening, and an export from the reopened session is byte for byte the one made before."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from viewer.cli import build_parser, run_command
from viewer.domain.errors import DataError
from viewer.session_file import from_json

STUDIES = ("--nct", "NCT02552212", "--nct", "NCT02210780")


def cli(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args([str(a) for a in argv]), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".png"])
def test_save_reopen_export_same_bytes(
    registry_location: str, tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, again, saved = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}", tmp_path / "s.dvsession.json"
    chart = ("--chart", "tolerability", "--ae", "serious adverse event", "--width", "900", "--height", "600")
    code, _, err = cli(
        "export", "--registry", registry_location, *STUDIES, *chart, "-o", first, "--save-session", saved
    )
    assert code == 0, err
    document = json.loads(saved.read_text(encoding="utf-8"))
    (entry,) = document["registry"]
    assert entry["studies"] == ["NCT02552212", "NCT02210780"] and entry["snapshot"] == "2026-12-01"
    if registry_location.startswith("postgresql://"):
        password = registry_location.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
        assert password not in saved.read_text(encoding="utf-8")
        assert entry["location"].startswith("postgresql://postgres@127.0.0.1:")
        code, _, err = cli("export", "--session", saved, "-o", again)
        assert code == 2 and "refused the user name or password" in err  # the password was not saved
        monkeypatch.setenv("PGPASSWORD", password)  # where a user keeps it (or ~/.pgpass)
    else:
        assert entry["location"] == registry_location
    code, _, err = cli("export", "--session", saved, "-o", again)
    assert code == 0, err
    assert again.read_bytes() == first.read_bytes()


def test_a_registry_that_is_gone_is_named_and_the_rest_opens(aact_local: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(aact_local, copy)
    saved = tmp_path / "s.dvsession.json"
    code, _, err = cli(
        "export", "--registry", copy, "--nct", "NCT02552212", "--outcome", "ASDAS-MI", "-o", tmp_path / "a.csv",
        "--save-session", saved,
    )  # fmt: skip
    assert code == 0, err
    copy.unlink()
    code, _, err = cli(
        "export", "--session", saved, "--drug", "upadacitinib", "--outcome", "ACR20", "-o", tmp_path / "b.csv"
    )
    assert code == 0, err
    assert "no local AACT copy here" in err and "the session opens without these studies" in err
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").count("\n") > 1


@pytest.mark.parametrize(
    ("entry", "rule"),
    [
        ({"location": "postgresql://u:secret@h/aact", "studies": ["NCT02552212"]}, "holds a password"),
        ({"location": "/x.duckdb", "studies": ["12345"]}, "NCT ids"),
        ({"location": "", "studies": ["NCT02552212"]}, "missing"),
    ],
)
def test_a_bad_registry_entry_is_a_clear_error(entry: dict[str, object], rule: str) -> None:
    document = {"format": "drug-viewer-session", "version": 1, "datasets": [], "query": {}, "registry": [entry]}
    with pytest.raises(DataError, match=rule):
        from_json(json.dumps(document), "s.json")

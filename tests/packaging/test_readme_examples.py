"""Every command-line example in the README works as written from a fresh clone.

The examples are the lines starting with ``drug-viewer`` in the README's ``sh`` code blocks; they run in
order (a later one may reopen a session an earlier one saved) in one scratch directory that sees the
clone's ``tests/`` and ``data/`` at the same relative paths, so relative ``--data`` paths resolve as they
do for a reader in the repository root, and outputs land there.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_examples() -> list[list[str]]:
    blocks = FENCE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line, comments=True) for line in lines if line.startswith("drug-viewer ")]


def test_the_readme_has_the_examples_it_promises() -> None:
    examples = readme_examples()
    assert len(examples) >= 5
    assert any("export" in e and "--data" in e for e in examples)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme and "make bundle" in readme and "pipx install" in readme


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clone")
    for name in ("tests", "data"):
        (folder / name).symlink_to(ROOT / name)
    return folder


@pytest.mark.parametrize("example", readme_examples(), ids=lambda e: " ".join(e[1:4]))
def test_readme_example_runs(example: list[str], clone: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "viewer", *example[1:]],
        capture_output=True,
        text=True,
        cwd=clone,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    if "-o" in example:
        written = clone / example[example.index("-o") + 1]
        assert written.stat().st_size > 1000
        if written.suffix == ".csv":  # every CSV ends with what its chart did with each row
            assert written.read_text(encoding="utf-8").splitlines()[0].endswith(",chart,chart_note")
        else:
            assert written.read_bytes()[:5] in (b"%PDF-", b"\x89PNG\r", b"<!DOC")

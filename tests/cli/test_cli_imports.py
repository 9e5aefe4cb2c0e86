"""``drug-viewer export`` of a chart that fits nothing imports only what it draws (bench: cli_png ratios)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "migraine_spreadsheet.csv"

SCRIPT = """
import sys
from viewer.app import main
code = main(["export", "--data", sys.argv[1], "--outcome", "pain-free", "-o", sys.argv[2]])
NOT_NEEDED = (
    "scipy",  # exact intervals and fits: none in this chart
    "viewer.domain.synthesis.dose_response",  # the fitting code (numpy linear algebra, the network model)
    "viewer.domain.synthesis.network",
    "viewer.domain.synthesis.pairwise",
    "viewer.charts.forest",  # other charts' builders and the pooling they use
    "viewer.charts.pooled",
    "viewer.charts.league",
    "viewer.domain.readers.ctgov",  # the registry's readers
    "viewer.domain.registry.source",
    "hashlib",  # OpenSSL's libcrypto: only a session file's content hashes need it
    "numpy.ma",  # masked arrays: numpy's unique() asks for them (viewer.domain.columns._distinct does not)
)
print(code, sorted(m for m in NOT_NEEDED if m in sys.modules))
"""


def test_a_png_export_imports_no_fitting_pooling_or_registry_code(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(DATA), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"
    assert out.read_bytes().startswith(b"\x89PNG")

"""The wheel a user installs with pipx: built from the checkout, installed into a fresh venv with its
dependencies, run from another directory as the ``drug-viewer`` command."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIX = {"upadacitinib", "tofacitinib", "baricitinib", "filgotinib", "peficitinib", "ruxolitinib"}


def build_wheel(into: Path) -> Path:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", into, ROOT],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = into.glob("drug_viewer-*.whl")
    return wheel


def test_wheel_into_a_fresh_venv_runs_drug_viewer(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "wheels")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "viewer/data/jak-ra/trials.csv" in names
    assert "viewer/resources/icons/drug-viewer-256.png" in names
    assert "viewer/resources/linux/org.drugviewer.DrugViewer.desktop" in names
    assert not any(n.startswith(("tests/", "viewer/resources/screenshot")) for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    installed = subprocess.run(
        [env_dir / "bin" / "python", "-m", "pip", "install", "-q", wheel],
        capture_output=True,
        text=True,
        env=clean_env,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [env_dir / "bin" / "drug-viewer", "list", "drugs"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={**clean_env, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert {line.split("\t")[0] for line in run.stdout.splitlines()} >= SIX
    where = subprocess.run(
        [env_dir / "bin" / "python", "-c", "import viewer.paths as p; print(p.data_root()); print(p.icon_png(64))"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=clean_env,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(env_dir)) and Path(path).exists() for path in where), where

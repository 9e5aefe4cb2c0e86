"""A command run as a program leaves at once when done (``viewer.app.run``: ``os._exit`` after the files,
the flushed output and the ``atexit`` handlers), and says and writes exactly what the ordinary exit does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "migraine_spreadsheet.csv"

# The program's way out (the console script's entry) against a test's way: main() returning to an
# ordinary interpreter exit. ``bug`` plants a KeyError in the spreadsheet reader (exit 1); the objects
# noted show which exit ran: an ordinary one frees the module's globals (``freed``), a quick one does not.
SCRIPT = """
import atexit, sys
from viewer.app import main, run
from viewer.domain.readers import spreadsheet

class Noted:
    def __del__(self):
        sys.stderr.write("freed\\n")

noted = Noted()
atexit.register(lambda: sys.stderr.write("atexit ran\\n"))
way, bug, *args = sys.argv[1:]
if bug == "bug":
    def planted(*_args, **_kwargs):
        raise KeyError("planted")
    spreadsheet._trial = planted
if way == "program-without-run-exitfuncs":  # a Python whose atexit lacks the private function
    del atexit._run_exitfuncs
    way = "program"
if way == "program":
    sys.argv = ["drug-viewer", *args]
    raise SystemExit(run())
raise SystemExit(main(args))
"""


def drug_viewer(way: str, bug: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(cwd)}
    env.pop("DRUG_VIEWER_TRACEBACK", None)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, way, bug, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("bug", "args", "code"),
    [
        ("", ["export", "--data", str(DATA), "--outcome", "pain-free", "-o", "x.png"], 0),
        ("", ["export", "--data", str(DATA), "--outcome", "no-such-outcome", "-o", "x.png"], 2),
        ("bug", ["export", "--data", str(DATA), "--outcome", "pain-free", "-o", "x.png"], 1),
    ],
    ids=["written", "bad-input", "bug"],
)
def test_a_program_leaves_at_once_with_the_same_code_output_and_files(
    tmp_path: Path, bug: str, args: list[str], code: int
) -> None:
    outcomes = {}
    for way in ("program", "in-process"):
        folder = tmp_path / way
        folder.mkdir()
        done = drug_viewer(way, bug or "-", *args, cwd=folder)
        picture = folder / "x.png"
        outcomes[way] = (done, picture.read_bytes() if picture.exists() else None)
    program, program_png = outcomes["program"]
    ordinary, ordinary_png = outcomes["in-process"]
    assert program.returncode == ordinary.returncode == code, program.stderr
    assert program.stdout == ordinary.stdout
    assert program_png == ordinary_png
    assert (program_png is not None) == (code == 0)
    assert program.stdout == ("wrote x.png\n" if code == 0 else "")
    # the same messages; the atexit handlers ran in both, last; only the ordinary exit freed the globals
    assert ordinary.stderr == program.stderr + "freed\n"
    assert program.stderr.endswith("atexit ran\n")
    if code == 1:
        assert "internal error (KeyError: 'planted')" in program.stderr
    if code == 2:
        assert "no-such-outcome" in program.stderr


def test_a_thread_still_running_gets_the_ordinary_exit(tmp_path: Path) -> None:
    """The interpreter's exit waits for a non-daemon thread; a quick exit would cut it off."""
    script = (
        "import sys, threading, time\n"
        "from pathlib import Path\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        "    Path('late.txt').write_text('done')\n"
        "threading.Thread(target=late).start()\n"
        "from viewer.app import run\n"
        "sys.argv = ['drug-viewer', 'list', 'drugs']\n"
        "raise SystemExit(run())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "upadacitinib" in done.stdout
    assert (tmp_path / "late.txt").read_text() == "done"


def test_without_atexits_private_runner_a_program_gets_the_ordinary_exit(tmp_path: Path) -> None:
    """``leave_now`` runs the handlers through ``atexit._run_exitfuncs`` (no public function does): a Python
    without it leaves the ordinary way, every handler run and the globals freed, never skipping one."""
    args = ["export", "--data", str(DATA), "--outcome", "pain-free", "-o", "x.png"]
    done = drug_viewer("program-without-run-exitfuncs", "-", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "wrote x.png\n" and (tmp_path / "x.png").exists()
    assert done.stderr == "atexit ran\nfreed\n"

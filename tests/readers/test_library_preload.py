"""Issue 17: pyarrow's shared libraries are opened through ctypes (the interpreter lock released) before the
first Arrow parse imports them, so the window's loader thread does not hold the lock while they load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate
from viewer.domain.readers import columnar, library_preload, load_path

PROBE = """
import sys
from pathlib import Path
from viewer.domain.readers.library_preload import open_extensions

opened = open_extensions("pyarrow", ("lib", "_csv", "no_such_module"))
assert "pyarrow" not in sys.modules, "opening the libraries imported the package"
maps = Path("/proc/self/maps").read_text()
print([path.name.split(".")[0] for path in opened], all(str(path) in maps for path in opened))
import pyarrow.csv
print(open_extensions("pyarrow", ("lib", "_csv")))
"""


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads which libraries are mapped from /proc")
def test_the_libraries_are_mapped_before_the_package_is_imported_and_not_again_after() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["['lib', '_csv'] True", "[]"]


def test_the_first_arrow_parse_opens_the_libraries_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = generate(tmp_path / "gen", trial_count=20)
    calls: list[tuple[str, tuple[str, ...]]] = []
    monkeypatch.setattr(columnar, "ARROW_BYTES", 0)  # every table is parsed by Arrow
    monkeypatch.setattr(columnar, "open_extensions", lambda package, modules: calls.append((package, modules)) or [])
    assert load_path(folder, None).results
    assert calls and set(calls) == {("pyarrow", ("lib", "_csv"))}
    assert library_preload.open_extensions("pyarrow", ("lib", "_csv")) == []  # imported by now: nothing to open

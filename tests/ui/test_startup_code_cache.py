"""The functions ``dataclasses`` writes come compiled from the user's cache folder (viewer.code_cache):
the same classes, nothing compiled on the second start, damaged or foreign files read past and replaced."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer import code_cache

ROOT = Path(__file__).resolve().parents[2]
CLASS = '''
import dataclasses

@dataclasses.dataclass(frozen=True)
class Dose:
    """A dose."""
    drug: str
    mg: float = 0.0
    tags: tuple[str, ...] = ()
    notes: list[str] = dataclasses.field(default_factory=list, compare=False)
'''


@pytest.fixture
def fresh() -> Iterator[None]:
    """No cache installed around the test (the test process may have one from build_window)."""
    before = code_cache.installed()
    code_cache.uninstall()
    yield
    code_cache.uninstall()
    if before is not None:
        vars(dataclasses)["exec"] = before.exec


def made(namespace_name: str) -> type:
    namespace: dict[str, object] = {"__name__": namespace_name}
    exec(compile(CLASS, "<dose>", "exec", dont_inherit=True), namespace)  # real annotations
    dose = namespace["Dose"]
    assert isinstance(dose, type)
    return dose


def test_the_classes_are_the_ones_dataclasses_makes_and_the_second_start_compiles_nothing(
    fresh: None, tmp_path: Path
) -> None:
    plain = made("plain")
    path = tmp_path / "drug-viewer" / code_cache.CACHE_NAME
    first = code_cache.install(path)
    cached = made("cached")
    assert first.compiled >= 5  # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    first.save()
    assert path.is_file() and list(path.parent.iterdir()) == [path]  # no temporary file left
    code_cache.uninstall()
    second = code_cache.install(path)
    again = made("again")
    assert second.compiled == 0 and len(second.code) == len(first.code)
    for cls in (cached, again):
        for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
            assert getattr(cls, name).__code__.co_code == getattr(plain, name).__code__.co_code, name
        one, other = cls("upa", 15.0, ("a",), ["x"]), cls("upa", 15.0, ("a",), ["y"])
        assert one == other and hash(one) == hash(other) and repr(one) == repr(plain("upa", 15.0, ("a",), ["x"]))
        assert cls("upa").notes == [] and cls("upa").notes is not cls("upa").notes
        with pytest.raises(dataclasses.FrozenInstanceError):
            one.mg = 1.0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", marshal.dumps(((b"old magic", "2.7"), {})), marshal.dumps(["a", "list"])],
    ids=["empty", "garbage", "another interpreter", "another shape"],
)
def test_a_damaged_or_foreign_file_is_read_past_and_replaced(fresh: None, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / code_cache.CACHE_NAME
    path.write_bytes(content)
    cache = code_cache.install(path)
    assert cache.code == {}
    made("damaged")
    cache.save()
    key, code = marshal.loads(path.read_bytes())
    assert key == code_cache.KEY and len(code) >= 5 and cache.compiled == 0


def test_an_unwritable_folder_leaves_nothing_behind(fresh: None, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("")  # a file where the folder should be
    cache = code_cache.install(blocked / "drug-viewer" / code_cache.CACHE_NAME)
    made("blocked")
    cache.save()
    assert sorted(tmp_path.iterdir()) == [blocked]


START = """
import sys
from viewer import code_cache
code_cache.install()
import viewer.ui.main_window  # the window's modules: most of the app's dataclasses
print(code_cache.installed().compiled)
"""


def test_the_window_s_second_start_compiles_no_dataclass(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    compiled = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", START], capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=300
        )
        assert done.returncode == 0, done.stderr
        compiled.append(int(done.stdout.split()[-1]))
    assert compiled[0] > 200 and compiled[1] == 0
    assert (tmp_path / "cache" / "drug-viewer" / code_cache.CACHE_NAME).is_file()


def test_past_its_bound_the_file_keeps_only_what_the_process_used(
    fresh: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / code_cache.CACHE_NAME
    old = {f"x = {i}": compile(f"x = {i}", "<string>", "exec") for i in range(20)}
    path.write_bytes(marshal.dumps((code_cache.KEY, old)))
    monkeypatch.setattr(code_cache, "MAX_ENTRIES", 10)
    cache = code_cache.install(path)
    made("bounded")
    cache.save()
    _key, code = marshal.loads(path.read_bytes())
    assert set(code) == cache.used and len(code) >= 5 and not set(code) & set(old)

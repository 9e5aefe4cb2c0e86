"""The window takes the shipped catalog from the user's cache folder once it was read there (bench:
startup_ratio), and only when the cache holds exactly what a read of these files by this code gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import viewer.session
from viewer.domain.model import Origin
from viewer.paths import shipped_datasets
from viewer.session import Session
from viewer.ui.shipped_cache import CACHE_NAME, cache_file, load_shipped


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped catalog a test may change."""
    (source,) = shipped_datasets()
    return Path(shutil.copytree(source, tmp_path / "data" / source.name))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every folder the readers are asked to read."""
    asked: list[Path] = []
    real = viewer.session.load_path

    def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
        asked.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(viewer.session, "load_path", counted)
    return asked


def loaded(folder: Path, cache: Path | None) -> tuple[Session, list[Any]]:
    session = Session(like_with_like=True)
    return session, load_shipped(session, [folder], cache)


def test_the_second_start_reads_no_file_and_has_the_same_catalog(
    shipped: Path, tmp_path: Path, reads: list[Path]
) -> None:
    cache = tmp_path / "cache" / CACHE_NAME
    first, errors = loaded(shipped, cache)
    assert errors == [] and reads == [shipped] and cache.is_file()
    second, errors = loaded(shipped, cache)
    assert errors == [] and reads == [shipped]  # not read again
    fresh, _ = loaded(shipped, None)
    assert second.datasets == fresh.datasets == first.datasets
    assert [d.origin for d in second.datasets] == [Origin.CURATED]
    assert second.catalog.summary() == fresh.catalog.summary()
    assert second.query == fresh.query


def test_a_changed_figure_is_read_again(shipped: Path, tmp_path: Path, reads: list[Path]) -> None:
    cache = tmp_path / CACHE_NAME
    loaded(shipped, cache)
    monograph = shipped / "drugs" / "baricitinib.toml"
    stat = monograph.stat()
    monograph.write_text(monograph.read_text().replace('name = "Baricitinib"', 'name = "Baricitinib (edited)"'))
    os.utime(monograph, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time: the size tells
    session, _ = loaded(shipped, cache)
    assert len(reads) == 2 and session.catalog.drugs["baricitinib"].name == "Baricitinib (edited)"
    again, _ = loaded(shipped, cache)
    assert len(reads) == 2 and again.catalog.drugs["baricitinib"].name == "Baricitinib (edited)"


def test_a_damaged_or_foreign_cache_is_read_past_and_replaced(shipped: Path, tmp_path: Path, reads: list[Path]) -> None:
    cache = tmp_path / CACHE_NAME
    fresh, _ = loaded(shipped, cache)
    good = cache.read_bytes()
    for junk in (b"", b"not a pickle", b"\x80\x05K\x01.", b"\x80", good[:-200]):  # the last: cut after its key
        cache.write_bytes(junk)
        session, errors = loaded(shipped, cache)
        assert errors == [] and session.datasets == fresh.datasets
    count = len(reads)
    loaded(shipped, cache)
    assert len(reads) == count  # the last read wrote a good cache


def test_data_with_errors_is_reported_every_time_and_never_cached(
    shipped: Path, tmp_path: Path, reads: list[Path]
) -> None:
    cache = tmp_path / CACHE_NAME
    (shipped / "drugs" / "baricitinib.toml").write_text("id = \n")
    for _ in range(2):
        _session, errors = loaded(shipped, cache)
        assert [path for path, _error in errors] == [shipped]
    assert len(reads) == 2 and not cache.exists()


def test_a_cache_folder_that_cannot_be_written_only_means_no_cache(shipped: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("")
    session, errors = loaded(shipped, blocked / CACHE_NAME)
    assert errors == [] and session.catalog.drugs
    assert sorted(tmp_path.iterdir()) == [blocked, tmp_path / "data"]  # no temporary file left behind


def test_the_app_keeps_it_in_the_user_cache_folder(
    qtbot: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[Path]
) -> None:
    from viewer.app import build_window

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_file() == tmp_path / "xdg" / "drug-viewer" / CACHE_NAME
    windows = [build_window([], settings, install_excepthook=False) for _ in range(2)]
    for window in windows:
        qtbot.addWidget(window)
    assert len(reads) == 1 and cache_file().is_file()
    first, second = (w.state for w in windows)
    assert second.datasets == first.datasets and second.query == first.query

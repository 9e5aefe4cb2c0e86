"""Fixtures shared by the pane tests: the shipped datasets, read once, and a fresh state over them."""

from __future__ import annotations

from typing import Any

import pytest

from viewer.domain.model import Dataset
from viewer.paths import shipped_datasets
from viewer.ui.main_window import load_shipped
from viewer.ui.state import AppState


@pytest.fixture(scope="module")
def shipped() -> tuple[Dataset, ...]:
    datasets, failures = load_shipped(shipped_datasets())
    assert not failures, failures
    return tuple(datasets)


@pytest.fixture
def state(qtbot: Any, shipped: tuple[Dataset, ...]) -> AppState:
    return AppState(shipped)

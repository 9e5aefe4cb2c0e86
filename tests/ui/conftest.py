"""Fixtures shared by the pane tests: the shipped datasets, read once, and a fresh state over them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import shipped_session
from viewer.domain.model import Dataset
from viewer.ui.state import AppState


@pytest.fixture(scope="module")
def shipped() -> tuple[Dataset, ...]:
    return shipped_session().datasets


@pytest.fixture
def state(qtbot: Any, shipped: tuple[Dataset, ...]) -> AppState:
    return AppState(shipped)

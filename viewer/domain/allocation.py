"""Bulk building of immutable records without the cyclic garbage collector in the way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Reading and indexing build hundreds of thousands of small objects and no reference cycles; the
    cyclic collector would rescan them again and again (a quarter of the load time of 100,000 arms)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

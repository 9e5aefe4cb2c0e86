"""Bulk building of immutable records without the cyclic garbage collector in the way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Reading and indexing build hundreds of thousands of small objects and no reference cycles; the
    cyclic collector would rescan them again and again (a quarter of the load time of 100,000 arms).

    On the way out they go straight to the oldest generation (freeze, then unfreeze): otherwise the first
    young-generation collection after re-enabling would scan all of them at once (~130 ms for 100,000
    arms). Nothing stays frozen, so cyclic garbage is still collected by the next full collection. When
    the window has frozen its catalog (``AppState.set_datasets``) this is skipped: unfreezing would hand
    that catalog back to the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()

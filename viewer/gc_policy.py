"""The garbage-collector policy around a load: a process-wide switch, so only a front end may throw it.

Reading and indexing build hundreds of thousands of small immutable objects and no reference cycles; the
cyclic collector would rescan them again and again (a quarter of the load time of 100,000 arms). So a
front end pauses it around a load: the command line around its synchronous load, the window from the
moment it hands paths to its worker until it has merged the result (both on the GUI thread). The switch
is refused on any other thread: flipping it from a worker while the GUI thread runs is what this module
exists to prevent. The domain and the session never touch the collector (an import contract says so).

On the way out the new objects go straight to the oldest generation (freeze, then unfreeze): otherwise the
first young-generation collection after re-enabling would scan all of them at once (~130 ms for 100,000
arms). Nothing stays frozen, so cyclic garbage is still collected by the next full collection. When the
window has frozen its catalog (:func:`freeze_long_lived`) this is skipped: unfreezing would hand that
catalog back to the collector.

The policy remembers whether the collector has stayed paused since a full collection (a window load's
:meth:`GcPause.begin`): a freeze then needs no collection of its own (it would scan every record just read),
whereas any other freeze (a registry study merged, a dataset removed) collects first, so no garbage made
since the last freeze is frozen for good.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class GcPause:
    """The collector paused between :meth:`begin` and :meth:`end` (which may run in different events)."""

    def __init__(self) -> None:
        self.active = False

    def begin(self, *, collect: bool = False) -> None:
        """Pause the collector; ``collect`` first runs one full collection, while it is cheap.

        The window collects here, at the start of a load, instead of after the merge: its loaded catalogs
        are frozen (``AppState``), so a collection now scans only the young objects of the session so far
        (the garbage of a replaced catalog included), whereas after the merge it would scan every record
        just read (4 s of GUI stall at 1,000,000 arms). What becomes cyclic garbage during the pause is
        frozen with the new catalog: a few objects of a user's clicks while a file loads.
        """
        _require_main_thread()
        if self.active:
            return
        if collect:
            gc.collect()
        if not _POLICY.pauses:  # the outermost pause remembers the collector's state for the last end
            _POLICY.enabled_before = gc.isenabled()
            _POLICY.collected_and_paused = False
        _POLICY.pauses += 1
        self.active = True
        gc.disable()
        _POLICY.collected_and_paused |= collect

    def end(self) -> None:
        """End this pause; the collector resumes only when no other pause holds it (a window load begun
        while start-up has the collector paused outlives that pause)."""
        _require_main_thread()
        if not self.active:
            return
        self.active = False
        _POLICY.pauses -= 1
        if _POLICY.pauses:
            return
        _POLICY.collected_and_paused = False  # what the collector is about to see again was not collected
        # (gc.get_freeze_count walks the whole permanent generation: 280 ms over 1,000,000 frozen arms)
        if not _POLICY.frozen and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if _POLICY.enabled_before:
            gc.enable()


@dataclass
class _Policy:
    frozen: bool = False  # a front end has frozen its long-lived data (freeze_long_lived)
    collected_and_paused: bool = False  # a full collection ran and the collector has been paused since
    pauses: int = 0  # GcPauses begun and not ended: the collector resumes when the last one ends
    enabled_before: bool = False  # whether the collector ran when the outermost pause began


_POLICY = _Policy()


def freeze_long_lived(*, collect: bool | None = None) -> None:
    """Move every tracked object to the permanent generation, never scanned again (the window's catalog
    after each dataset change), after a full collection so that no garbage is frozen with it.

    ``collect``: None (the window's merges and removals) collects unless the collector has stayed paused
    since a full collection: a load's ``GcPause.begin(collect=True)`` collected when it was cheap, and a
    collection after the merge would scan every record read (4 s at 1,000,000 arms). A registry study
    merged, or a dataset removed (cheap: the catalogs are frozen already), is collected first. True or
    False forces it (start-up freezes what it built without collecting: ~100 ms, and no garbage yet).
    """
    _require_main_thread()
    if collect is None:
        collect = not _POLICY.collected_and_paused
    if collect:
        gc.collect()
    gc.freeze()
    _POLICY.frozen = True


@contextmanager
def paused_gc() -> Iterator[None]:
    """The collector paused for the ``with`` block (the command line's load, the window's start-up)."""
    pause = GcPause()
    pause.begin()
    try:
        yield
    finally:
        pause.end()


def _require_main_thread() -> None:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the garbage collector is switched only from the main (GUI) thread")

"""When Python's cyclic garbage collector may run: not while the app loads or a screen opens.

In a big collection (100,000 cards) the app holds a few hundred thousand long-lived objects:
decks, progress, the browser's index. Left to the collector they are rescanned in every full
collection, 25-200 ms each, and while they are being made (loading) collections come one after
another (~1 s in all at 100,000 cards). So:

- while loading, collection is paused; once loaded the objects are frozen (`gc.freeze()`: moved
  where the collector never looks) and collection resumes for what is made afterwards;
- while a screen opens, collection is paused for a second, as Textual itself does while it
  scrolls (`App.PAUSE_GC_ON_SCROLL`), and catches up when the student is reading.

Frozen objects are never collected, so only data that lives as long as the app is frozen, and
garbage is collected first when some may be waiting (`long_lived`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class CollectorPauses:
    """Counted pauses: the collector runs again when every hold has been released."""

    def __init__(self) -> None:
        self.holds = 0

    def hold(self) -> None:
        if self.holds == 0:
            gc.disable()
        self.holds += 1

    def release(self) -> None:
        if self.holds == 0:
            return
        self.holds -= 1
        if self.holds == 0:
            gc.enable()

    def release_all(self) -> None:
        """On quitting: leave the process's collector as it was found."""
        if self.holds:
            self.holds = 0
            gc.enable()


def keep_out_of_gc() -> None:
    """Freeze everything alive now: call right after loading data that lives as long as the app."""
    gc.freeze()


@contextmanager
def long_lived() -> Iterator[None]:
    """Freeze what the block makes (after collecting garbage that may be waiting, such as closed
    screens: frozen garbage would never be freed)."""
    gc.collect()
    yield
    gc.freeze()

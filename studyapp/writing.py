"""How a write waits for another copy of studyapp, and what an answer's write returns.

Standard library and the core only (no SQLAlchemy), so the review screen can name these
before the store is loaded.

Every write takes SQLite's write lock up front (BEGIN IMMEDIATE). When another copy holds
it, `LockWait` says how long to wait and lets the caller stop waiting: the review screen
first tries once without waiting, on its own thread, and only if the lock is taken waits in a
worker thread, for as long as the student lets it (Escape stops it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from studyapp.core.models import CardProgress, Review
from studyapp.errors import CannotUndo, LockBusy, WaitStopped  # noqa: F401 - the errors a write raises, named here too

DEFAULT_WAIT_SECONDS = 10.0  # callers without a screen to show the wait on (the CLI, scripts)


def _never() -> bool:
    return False


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class LockWait:
    """How a write waits for the write lock while another copy is saving.

    `seconds`: how long at most (0: one try, no wait; None: until `stop()` says so).
    `stop()` is asked about every tenth of a second while waiting; `on_wait()` is called once,
    when the first try finds the lock taken.
    """

    seconds: float | None = DEFAULT_WAIT_SECONDS
    stop: Callable[[], bool] = _never
    on_wait: Callable[[], None] = _nothing


NO_WAIT = LockWait(seconds=0)


@dataclass(frozen=True)
class SavedAnswer:
    """One committed answer: the card's progress before and after it (as read and written inside
    the answer's own transaction), the answer as logged, and its log id."""

    before: CardProgress
    after: CardProgress
    review: Review
    log_id: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.review.deck_id, self.review.card_id)

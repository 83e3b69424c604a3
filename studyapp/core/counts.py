"""The home screen's counts per deck, from plain rows: one rule for both ways the app reads progress.

The start-up path (studyapp.overview) reads rows with the standard library's sqlite3 before
SQLAlchemy loads; the service reads the same progress into memory. Both pass their rows here,
so the counts cannot drift apart (tests/test_opening.py checks that they agree).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TypeVar

from studyapp.core import scheduling
from studyapp.core.models import Deck, LearnState
from studyapp.core.scheduling import ScheduleSettings

Clock = Callable[[], datetime]
Due = TypeVar("Due", float, datetime)  # a due time and the day's end in one unit: POSIX seconds or aware datetimes
# One card's progress as counted: deck id, card id, LearnState (or its int), due, leech
ProgressRow = tuple[str, str, int, "Due | None", bool]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class DeckSummary:
    deck: Deck
    new: int  # new cards that today's allowance would show
    due: int  # cards due today (learning and review)
    learned: int  # cards answered at least once
    total: int


def new_quota(total: int, introduced: int, settings: ScheduleSettings, today: date, unseen: Callable[[], int]) -> int:
    """New cards of a deck of `total` cards left today, `introduced` of them already introduced today.

    Only an exam makes the quota depend on how many cards are still unseen; `unseen` is called only
    then, since counting them costs a pass over the deck's cards.
    """
    exam = scheduling.exam_days_left(settings.exam_date, today) is not None
    return scheduling.new_card_quota(
        unseen() if exam else total, introduced, settings.new_per_day, today, settings.exam_date
    )


def deck_summaries(
    decks: Sequence[tuple[Deck, int]],
    rows: Iterable[tuple[str, str, int, Due | None, bool]],
    introduced: Mapping[str, int],
    settings: ScheduleSettings,
    now: datetime,
    day_end: Due,
) -> list[DeckSummary]:
    """Each deck's counts: new (within today's allowance), due before `day_end`, learned, total.

    `decks` pairs each deck with its number of cards; `rows` is the progress of the decks' cards (the
    caller leaves out a card no longer in its deck); `introduced` the new cards each deck introduced
    today; `day_end` the end of the study day in the unit of the rows' due times.
    """
    learned = {deck.id: 0 for deck, _ in decks}
    due = dict(learned)
    for deck_id, _card_id, state, due_at, leech in rows:
        if state != LearnState.NEW and deck_id in learned:
            learned[deck_id] += 1
            due[deck_id] += not leech and due_at is not None and due_at < day_end  # as scheduling.due_today
    today = scheduling.study_day(now, settings.day_start_hour)
    summaries = []
    for deck, total in decks:
        seen = learned[deck.id]
        quota = new_quota(total, introduced.get(deck.id, 0), settings, today, lambda: total - seen)  # noqa: B023 - called at once
        summaries.append(DeckSummary(deck, min(total - seen, quota), due[deck.id], seen, total))
    return summaries


def day_end(now: datetime, settings: ScheduleSettings) -> datetime:
    """When the study day holding `now` ends."""
    return scheduling.study_day_start(now, settings.day_start_hour) + timedelta(days=1)

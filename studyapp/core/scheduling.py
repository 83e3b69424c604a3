"""The FSRS adapter: memory states in and out of `fsrs`, study days, and the due queue.

Fuzzing is off so that the interval shown on each rating button is the one the
card then gets. Every function takes `now` (timezone-aware) rather than reading a clock.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo

import fsrs

from studyapp.core.models import Card, CardProgress, LearnState, Rating

LEARN_AHEAD = timedelta(minutes=20)  # as Anki: a learning card this close to due may be shown early


@dataclass(frozen=True)
class ScheduleSettings:
    desired_retention: float = 0.9
    new_per_day: int = 20
    day_start_hour: int = 4  # a study day runs from 04:00 to 04:00 local time, as in Anki
    exam_date: date | None = None


def make_scheduler(settings: ScheduleSettings) -> fsrs.Scheduler:
    return fsrs.Scheduler(desired_retention=settings.desired_retention, enable_fuzzing=False)


def to_fsrs(progress: CardProgress, now: datetime) -> fsrs.Card:
    # An explicit card_id: without one fsrs.Card sleeps a millisecond to make a unique id.
    if progress.state is LearnState.NEW:
        return fsrs.Card(card_id=1, due=now)
    return fsrs.Card(card_id=1, state=fsrs.State(int(progress.state)), step=progress.step,
                     stability=progress.stability, difficulty=progress.difficulty,
                     due=progress.due or now, last_review=progress.last_review)


def review(progress: CardProgress, rating: Rating, now: datetime, scheduler: fsrs.Scheduler,
           cap: datetime | None = None) -> CardProgress:
    """The card's progress after answering it with `rating` at `now`.

    `cap`, when given, is the latest the next review may land (the exam date's cap).
    """
    card, _ = scheduler.review_card(to_fsrs(progress, now), fsrs.Rating(int(rating)), review_datetime=now)
    due = card.due if cap is None or card.due <= cap else max(cap, now)
    lapsed = rating is Rating.AGAIN and progress.state is LearnState.REVIEW
    return replace(progress, state=LearnState(int(card.state)), step=card.step, stability=card.stability,
                   difficulty=card.difficulty, due=due, last_review=now, reps=progress.reps + 1,
                   lapses=progress.lapses + int(lapsed), last_rating=int(rating))


def preview(progress: CardProgress, now: datetime, scheduler: fsrs.Scheduler,
            cap: datetime | None = None) -> dict[Rating, timedelta]:
    """The interval each rating would give, for the rating buttons."""
    return {r: review(progress, r, now, scheduler, cap).due - now for r in Rating}


def retrievability(progress: CardProgress, at: datetime, scheduler: fsrs.Scheduler) -> float:
    """Predicted probability of recall at `at`; 0 for a card never reviewed."""
    if progress.state is LearnState.NEW or progress.stability is None:
        return 0.0
    return scheduler.get_card_retrievability(to_fsrs(progress, at), at)


def format_interval(delta: timedelta) -> str:
    """A short human interval: 1m, 10m, 3h, 4d, 2mo, 1.5y."""
    seconds = max(0, delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y"


def study_day_start(now: datetime, hour: int, tz: tzinfo | None = None) -> datetime:
    """When the study day containing `now` began (local time), as a UTC datetime."""
    local = now.astimezone(tz)
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)


def exam_cap(exam_date: date | None, now: datetime, hour: int, tz: tzinfo | None = None) -> datetime | None:
    """The latest a review may be scheduled before the exam (its study day's start); None once it has passed."""
    if exam_date is None:
        return None
    local_tz = tz or now.astimezone().tzinfo
    cap = datetime.combine(exam_date, time(hour), tzinfo=local_tz).astimezone(timezone.utc)
    return cap if cap > now else None


def is_due(progress: CardProgress, now: datetime, day_end: datetime) -> bool:
    """Learning cards are due at their minute; review cards on their study day."""
    if progress.state is LearnState.NEW or progress.due is None:
        return False
    if progress.state is LearnState.REVIEW:
        return progress.due < day_end
    return progress.due <= now


def due_today(progress: CardProgress, day_end: datetime) -> bool:
    """Answered before and due before the study day ends (the home screen's "due" count)."""
    return progress.state is not LearnState.NEW and progress.due is not None and progress.due < day_end


@dataclass
class StudyQueue:
    """The cards of one study session, in the order the spec gives.

    (Re)learning cards that are due come first, then due reviews with the lowest
    retrievability first, then new cards in deck order. Built once per session
    (as Anki does), so picking the next card costs nothing; cards answered into
    (re)learning come back when due.
    """

    learning: list[tuple[datetime, int, tuple[str, str]]] = field(default_factory=list)  # heap by due
    reviews: list[tuple[str, str]] = field(default_factory=list)
    new: list[tuple[str, str]] = field(default_factory=list)
    front: list[tuple[str, str]] = field(default_factory=list)  # undone cards go back first
    _seq: int = 0

    def push_learning(self, key: tuple[str, str], due: datetime) -> None:
        self._seq += 1
        heapq.heappush(self.learning, (due, self._seq, key))

    def discard(self, key: tuple[str, str]) -> None:
        """Take a card out of every queue (before an undo puts it at the front)."""
        if any(k == key for _, _, k in self.learning):
            self.learning = [e for e in self.learning if e[2] != key]
            heapq.heapify(self.learning)
        for lst in (self.reviews, self.new, self.front):
            if key in lst:
                lst.remove(key)

    def next(self, now: datetime) -> tuple[str, str] | None:
        if self.front:
            return self.front.pop()
        if self.learning and self.learning[0][0] <= now:
            return heapq.heappop(self.learning)[2]
        if self.reviews:
            return self.reviews.pop(0)
        if self.new:
            return self.new.pop(0)
        if self.learning and self.learning[0][0] <= now + LEARN_AHEAD:
            return heapq.heappop(self.learning)[2]
        return None

    def remaining(self) -> int:
        return len(self.front) + len(self.learning) + len(self.reviews) + len(self.new)

    def next_learning_due(self) -> datetime | None:
        return self.learning[0][0] if self.learning else None


def build_queue(cards: Iterable[Card], progress: Mapping[tuple[str, str], CardProgress], now: datetime,
                day_end: datetime, scheduler: fsrs.Scheduler,
                new_allowance: Mapping[str, int]) -> StudyQueue:
    """The session queue for `cards` (in deck order). `new_allowance` is new cards left today per deck."""
    queue = StudyQueue()
    reviews: list[tuple[float, int, tuple[str, str]]] = []
    left = dict(new_allowance)
    for order, card in enumerate(cards):
        p = progress.get(card.key)
        if p is None or p.state is LearnState.NEW:
            if left.get(card.deck_id, 0) > 0:
                left[card.deck_id] -= 1
                queue.new.append(card.key)
        elif p.state is LearnState.REVIEW:
            if is_due(p, now, day_end):
                reviews.append((retrievability(p, now, scheduler), order, card.key))
        elif p.due is not None and p.due < day_end:
            queue.push_learning(card.key, p.due)
    reviews.sort()
    queue.reviews = [key for _, _, key in reviews]
    return queue

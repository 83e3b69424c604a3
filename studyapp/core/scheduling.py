"""The FSRS adapter: memory states in and out of `fsrs`, study days, and the due queue.

Fuzzing is off so that the interval shown on each rating button is the one the
card then gets. Every function takes `now` (timezone-aware) rather than reading a clock.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

import fsrs

from studyapp.core.models import Card, CardProgress, LearnState, Rating

LEARN_AHEAD = timedelta(minutes=20)  # as Anki: a learning card this close to due may be shown early
LEECH_LAPSES = 8  # as Anki: the eighth lapse makes a card a leech ...
LEECH_AGAIN_EVERY = 4  # ... and, once reset, every fourth lapse after that flags it again
EXAM_LEAD_DAYS = 3  # every card should have been seen this many days before the exam


@dataclass(frozen=True)
class ScheduleSettings:
    desired_retention: float = 0.9
    new_per_day: int = 20
    day_start_hour: int = 4  # a study day runs from 04:00 to 04:00 local time, as in Anki
    exam_date: date | None = None
    daily_minutes: int | None = None  # the exam-day plan's budget; None: no plan, the usual queue
    parameters: tuple[float, ...] | None = None  # FSRS parameters fitted to the student; None: the defaults

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ScheduleSettings:
        """The settings from their stored values (the setting table's JSON), each missing or empty one at
        its default above: the one reading of them, for the service and the start-up path alike (as
        py-fsrs's `Scheduler.from_dict`). Raises ValueError or TypeError on a value that is not one."""
        defaults = cls()
        exam = raw.get("exam_date")
        minutes = raw.get("daily_minutes")
        parameters = raw.get("fsrs_parameters")
        return cls(
            desired_retention=float(_given(raw, "desired_retention", defaults.desired_retention)),
            new_per_day=int(_given(raw, "new_per_day", defaults.new_per_day)),
            day_start_hour=int(_given(raw, "day_start_hour", defaults.day_start_hour)),
            exam_date=date.fromisoformat(str(exam)) if exam else None,
            daily_minutes=int(minutes) if minutes else None,
            parameters=tuple(float(x) for x in parameters) if parameters else None,
        )

    def to_dict(self) -> dict[str, object]:
        """The settings as the setting table stores them (JSON values; the exam date as YYYY-MM-DD)."""
        return {"desired_retention": self.desired_retention, "new_per_day": self.new_per_day,
                "day_start_hour": self.day_start_hour,
                "exam_date": self.exam_date.isoformat() if self.exam_date else None,
                "daily_minutes": self.daily_minutes,
                "fsrs_parameters": list(self.parameters) if self.parameters is not None else None}


def _given(raw: Mapping[str, Any], key: str, default: object) -> Any:  # noqa: ANN401 - a stored JSON value
    value = raw.get(key)
    return default if value is None else value


def make_scheduler(settings: ScheduleSettings) -> fsrs.Scheduler:
    if settings.parameters is not None:
        try:
            return fsrs.Scheduler(parameters=settings.parameters, desired_retention=settings.desired_retention,
                                  enable_fuzzing=False)
        except ValueError:
            pass  # a stored set fsrs refuses (edited by hand, or from another version): the defaults schedule

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
    lapses = progress.lapses + int(lapsed)
    return replace(progress, state=LearnState(int(card.state)), step=card.step, stability=card.stability,
                   difficulty=card.difficulty, due=due, last_review=now, reps=progress.reps + 1,
                   lapses=lapses, last_rating=int(rating),
                   leech=progress.leech or (lapsed and becomes_leech(lapses)))


def becomes_leech(lapses: int) -> bool:
    """Whether reaching `lapses` lapses flags a card as a leech (8, then 12, 16, ... as in Anki)."""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_AGAIN_EVERY == 0


def preview(progress: CardProgress, now: datetime, scheduler: fsrs.Scheduler,
            cap: datetime | None = None) -> dict[Rating, timedelta]:
    """The interval each rating would give, for the rating buttons."""
    intervals = {}
    for r in Rating:
        due = review(progress, r, now, scheduler, cap).due
        assert due is not None  # an answered card always has its next due time
        intervals[r] = due - now
    return intervals


def retrievability(progress: CardProgress, at: datetime, scheduler: fsrs.Scheduler) -> float:
    """Predicted probability of recall at `at`; 0 for a card never reviewed."""
    if progress.state is LearnState.NEW or progress.stability is None:
        return 0.0
    return scheduler.get_card_retrievability(to_fsrs(progress, at), at)


@dataclass(frozen=True)
class ForgettingCurve:
    """FSRS's forgetting curve with a scheduler's parameters, for many cards at once.

    `scheduler.get_card_retrievability` builds an `fsrs.Card` per call; screens that need the
    retrievability of 100,000 cards use this instead (same formula, same whole elapsed days;
    a test checks the two agree).
    """

    decay: float
    factor: float

    @classmethod
    def of(cls, scheduler: fsrs.Scheduler) -> ForgettingCurve:
        decay = -scheduler.parameters[20]
        return cls(decay, 0.9 ** (1 / decay) - 1)

    def at(self, progress: CardProgress, at: datetime) -> float:
        """Predicted probability of recall at `at`; 0 for a card never reviewed."""
        if progress.state is LearnState.NEW or progress.stability is None or progress.last_review is None:
            return 0.0
        elapsed_days = max(0, (at - progress.last_review).days)
        return (1 + self.factor * elapsed_days / progress.stability) ** self.decay


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


def study_day(moment: datetime, hour: int, tz: tzinfo | None = None) -> date:
    """The (local) date of the study day containing `moment`: before `hour` it is still yesterday."""
    local = moment.astimezone(tz)
    return (local - timedelta(hours=hour)).date()


def exam_cap(exam_date: date | None, now: datetime, hour: int, tz: tzinfo | None = None) -> datetime | None:
    """The latest a review may be scheduled before the exam (its study day's start); None once it has passed."""
    if exam_date is None:
        return None
    cap = exam_day_start(exam_date, hour, tz or now.astimezone().tzinfo)
    return cap if cap > now else None


def exam_day_start(exam_date: date, hour: int, tz: tzinfo | None = None) -> datetime:
    """When the exam's study day begins (local `hour` on the exam date), as a UTC datetime."""
    return datetime.combine(exam_date, time(hour), tzinfo=tz or datetime.now().astimezone().tzinfo
                            ).astimezone(timezone.utc)


def cap_dues(progress: Iterable[CardProgress], cap: datetime) -> list[CardProgress]:
    """The cards whose next review lands after `cap`, moved to `cap` (when an exam date is set)."""
    return [replace(p, due=cap) for p in progress if p.due is not None and p.due > cap]


def exam_days_left(exam_date: date | None, today: date) -> int | None:
    """Whole study days from `today` to the exam day (0 on the day); None with no exam or once it is past."""
    if exam_date is None or exam_date < today:
        return None
    return (exam_date - today).days


def new_card_quota(unseen: int, introduced_today: int, new_per_day: int, today: date,
                   exam_date: date | None, lead_days: int = EXAM_LEAD_DAYS) -> int:
    """How many more new cards today, so that every card is seen `lead_days` days before the exam.

    Without an exam (or once it is past) that is `new_per_day` less today's new cards. Before an
    exam the day's quota grows to spread every card not yet seen (counting those introduced
    today) over the days left until `lead_days` before it; inside that window every unseen card
    is allowed.
    """
    quota = new_per_day
    days_left = exam_days_left(exam_date, today)
    if days_left is not None:
        study_days = days_left - lead_days + 1  # today included
        if study_days <= 0:
            return unseen
        quota = max(quota, math.ceil((unseen + introduced_today) / study_days))
    return max(0, min(unseen, quota - introduced_today))


def drill_order(cards: Iterable[Card], progress: Mapping[tuple[str, str], CardProgress], now: datetime,
                curve: ForgettingCurve) -> list[tuple[str, str]]:
    """A topic drill, weakest first: lowest retrievability now, then most lapses; new cards last, in deck order."""
    studied: list[tuple[float, int, int, tuple[str, str]]] = []
    new: list[tuple[str, str]] = []
    for order, card in enumerate(cards):
        p = progress.get(card.key)
        if p is None or p.state is LearnState.NEW:
            new.append(card.key)
        else:
            studied.append((curve.at(p, now), -p.lapses, order, card.key))
    studied.sort()
    return [key for *_, key in studied] + new


def cram_order(cards: Iterable[Card], progress: Mapping[tuple[str, str], CardProgress], exam_at: datetime,
               curve: ForgettingCurve) -> list[tuple[str, str]]:
    """A cram session: lowest predicted retrievability on exam day first (new cards count 0); leeches left out."""
    ranked = []
    for order, card in enumerate(cards):
        p = progress.get(card.key)
        if p is not None and p.leech:
            continue
        ranked.append((curve.at(p, exam_at) if p is not None else 0.0, order, card.key))
    ranked.sort()
    return [key for *_, key in ranked]


def is_due(progress: CardProgress, now: datetime, day_end: datetime) -> bool:
    """Learning cards are due at their minute; review cards on their study day."""
    if progress.state is LearnState.NEW or progress.due is None:
        return False
    if progress.state is LearnState.REVIEW:
        return progress.due < day_end
    return progress.due <= now


def due_today(progress: CardProgress, day_end: datetime) -> bool:
    """Answered before and due before the study day ends (the home screen's "due" count)."""
    return not progress.leech and progress.state is not LearnState.NEW and progress.due is not None and progress.due < day_end


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

    def only_learning_left(self) -> bool:
        """Nothing but (re)learning cards left: the one showing may then be early (LEARN_AHEAD)."""
        return not (self.front or self.reviews or self.new)

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
        if p is not None and p.leech:
            continue  # a leech waits until the student resets it
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


def ordered_queue(keys: Iterable[tuple[str, str]]) -> StudyQueue:
    """A queue that shows `keys` in the order given (drills and cram sessions)."""
    return StudyQueue(reviews=list(keys))


def parse_settings(exam: str, retention: str, new_per_day: str, day_start_hour: str,
                   today: date, daily_minutes: str | None = None) -> tuple[dict, list[str]]:
    """The settings screen's fields, checked: (changes for update_settings, problems said plainly).

    An empty exam field clears the date; a date before `today` is refused. An empty daily budget
    turns the exam-day plan off; None leaves it as it is.
    """
    changes: dict = {}
    problems: list[str] = []
    exam = exam.strip()
    if not exam:
        changes["exam_date"] = None
    else:
        try:
            day = date.fromisoformat(exam)
        except ValueError:
            problems.append(f"Exam date: {exam!r} is not a date; write it as YYYY-MM-DD")
        else:
            if day < today:
                problems.append(f"Exam date: {day} has already passed")
            else:
                changes["exam_date"] = day
    for key, raw, kind, low, high, label, wanted in (
        ("desired_retention", retention, float, 0.7, 0.99, "Desired retention", "a number from 0.70 to 0.99"),
        ("new_per_day", new_per_day, int, 0, 9999, "New cards per day", "a whole number from 0 to 9999"),
        ("day_start_hour", day_start_hour, int, 0, 23, "Day starts at", "an hour from 0 to 23"),
    ):
        try:
            value = kind(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            problems.append(f"{label}: {raw!r} should be {wanted}")
        else:
            changes[key] = value
    if daily_minutes is not None:
        raw = daily_minutes.strip()
        if not raw:
            changes["daily_minutes"] = None
        elif not raw.isdigit() or not 1 <= int(raw) <= 1440:
            problems.append(f"Daily budget: {daily_minutes!r} should be whole minutes from 1 to 1440, or empty")
        else:
            changes["daily_minutes"] = int(raw)
    return changes, problems

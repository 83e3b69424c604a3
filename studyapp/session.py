"""A study session: one sitting over some decks, with its queue, the card showing, and undo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from studyapp.core import scheduling
from studyapp.core.models import Card, CardProgress, LearnState, Rating
from studyapp.core.scheduling import StudyQueue
from studyapp.writing import CannotUndo, LockWait, SavedAnswer

if TYPE_CHECKING:
    from studyapp.service import StudyService

CardKey = tuple[str, str]


@dataclass
class SessionStats:
    answered: int = 0
    correct: int = 0  # answers not rated Again
    started: datetime | None = None
    seconds: float = 0.0

    @property
    def correct_share(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class SessionProgress:
    done: int  # cards answered and not coming back in this session
    to_go: int  # cards still to show, the one showing included
    relearning: int  # of those, cards answered Again (or in learning steps) that come back later today

    @property
    def total(self) -> int:
        return self.done + self.to_go


@dataclass
class _Answered:
    key: CardKey
    log_id: int
    before: CardProgress
    rating: Rating


@dataclass
class Session:
    """One sitting over some decks: the queue, the current card, undo.

    Another copy of the app may be studying the same cards: a normal session (`scheduled`)
    checks each card against the database as it comes up (answered elsewhere since, or today's
    new cards used up elsewhere: skipped), and every answer is computed from the card's
    progress in the database when it is saved (see Repository.record_answer).

    Saving is in two halves so that a screen can wait for another copy off its own thread:
    `save_answer` / `take_back` write (and may wait), `apply_answer` / `undone` / `undo_refused`
    update this session and the service's progress afterwards, on the caller's thread.
    `answer` and `undo` do both at once.
    """

    service: StudyService
    deck_ids: tuple[str, ...]
    queue: StudyQueue
    total: int
    stats: SessionStats = field(default_factory=SessionStats)
    current: Card | None = None
    history: list[_Answered] = field(default_factory=list)
    practice: bool = False
    title: str = ""  # what kind of session, for the summary: "" for a normal one, "Drill: ...", "Cram"
    scheduled: bool = False  # a normal session: shows only cards still due (or new, within today's allowance)
    # A side-by-side drill of a confusion pair: each card's partner, whose answer shows after the reveal
    contrasts: dict[CardKey, CardKey] = field(default_factory=dict)

    def next_card(self) -> Card | None:
        now = self.service.clock()
        self.current = None
        while (key := self.queue.next(now)) is not None:
            card = self.service.decks.card(*key)
            if card is None:  # a card removed from its deck since the queue was built
                continue
            if self.scheduled and not self._still_to_study(card, now):
                continue
            self.current = card
            break
        return self.current

    def _still_to_study(self, card: Card, now: datetime) -> bool:
        """Whether `card`, next in the queue, is still to be studied now, by the database's account:
        another copy may have answered it, or used up today's new cards, since the queue was built."""
        service = self.service
        p = service.refresh(card.key)
        if p.leech:
            return False
        if p.state is LearnState.NEW:
            return service.new_left(card.deck_id, now) > 0
        day_end = service.day_end(now)
        if p.state is LearnState.REVIEW or p.due is None:
            return scheduling.is_due(p, now, day_end)
        early = scheduling.LEARN_AHEAD if self.queue.only_learning_left() else timedelta(0)
        if p.due <= now + early:
            return True
        if p.due < day_end:  # answered elsewhere into (re)learning: it comes back when due
            self.queue.push_learning(card.key, p.due)
        return False

    def progress_of(self, card: Card) -> CardProgress:
        return self.service.progress_of(card)

    def intervals(self, card: Card) -> dict[Rating, str]:
        """What each rating would give the card, from its progress in the database now."""
        self.service.refresh(card.key)
        return self.service.intervals(card)

    def save_answer(
        self,
        rating: Rating,
        *,
        mode: str = "flip",
        typed: str | None = None,
        similarity: float | None = None,
        duration_ms: int | None = None,
        wait: LockWait | None = None,
        confused_with: CardKey | None = None,
    ) -> SavedAnswer:
        """Save the answer to the current card; returns it once committed, or raises (StorageError).

        Changes nothing in memory (it may run on another thread): pass the result to `apply_answer`.
        """
        card = self.current
        if card is None:
            raise RuntimeError("no card is showing")
        mode = "practice" if self.practice else mode
        return self.service.record(
            card,
            rating,
            mode=mode,
            typed=typed,
            similarity=similarity,
            duration_ms=duration_ms,
            wait=wait,
            confused_with=confused_with,
        )

    def apply_answer(self, saved: SavedAnswer) -> CardProgress:
        """Count a committed answer in this session (and the service's progress)."""
        self.service.answered(saved)
        review, after = saved.review, saved.after
        self.history.append(_Answered(saved.key, saved.log_id, saved.before, review.rating))
        if self.stats.started is None:
            self.stats.started = review.reviewed_at
        self.stats.answered += 1
        self.stats.correct += int(review.rating is not Rating.AGAIN)
        if review.duration_ms:
            self.stats.seconds += review.duration_ms / 1000
        if (
            not self.practice
            and after.state in (LearnState.LEARNING, LearnState.RELEARNING)
            and after.due is not None
            and after.due < self.service.day_end(review.reviewed_at)
        ):
            self.queue.push_learning(saved.key, after.due)
        self.current = None
        return after

    def answer(
        self,
        rating: Rating,
        *,
        mode: str = "flip",
        typed: str | None = None,
        similarity: float | None = None,
        duration_ms: int | None = None,
        wait: LockWait | None = None,
        confused_with: CardKey | None = None,
    ) -> CardProgress:
        """Save the answer to the current card. Returns once it is committed, or raises."""
        return self.apply_answer(
            self.save_answer(
                rating,
                mode=mode,
                typed=typed,
                similarity=similarity,
                duration_ms=duration_ms,
                wait=wait,
                confused_with=confused_with,
            )
        )

    def take_back(self, wait: LockWait | None = None) -> CardProgress | None:
        """Remove this session's last answer from the database; returns the card's progress before it.

        None if there is nothing to undo. Raises CannotUndo (the card was answered since, here or
        in another copy) or StorageError; changes nothing in memory: then call `undone` or
        `undo_refused`.
        """
        if not self.history:
            return None
        return self.service.undo(self.history[-1].log_id, wait=wait)

    def undone(self, before: CardProgress) -> Card | None:
        """The last answer was taken back: its card becomes the current one again."""
        last = self.history.pop()
        self.service.undone(before)
        self.queue.discard(last.key)
        if self.current is not None:
            self.queue.front.append(self.current.key)
        self.stats.answered -= 1
        self.stats.correct -= int(last.rating is not Rating.AGAIN)
        self.current = self.service.decks.card(*last.key)
        return self.current

    def undo_refused(self) -> None:
        """The last answer cannot be undone (CannotUndo): it stays saved, and `u` moves on to the one before."""
        if self.history:
            self.history.pop()

    def undo(self, wait: LockWait | None = None) -> Card | None:
        """Take back the last answer; that card becomes the current one again.

        Raises CannotUndo (then forgets that answer: it stays saved) or StorageError (nothing changes).
        """
        try:
            before = self.take_back(wait)
        except CannotUndo:
            self.undo_refused()
            raise
        return None if before is None else self.undone(before)

    @property
    def remaining(self) -> int:
        return self.queue.remaining() + (1 if self.current else 0)

    @property
    def done(self) -> int:
        return len(self.history)

    def progress(self) -> SessionProgress:
        """Cards, not answers: a card answered Again and coming back later today is still to go (once,
        however many learning steps it takes), so the total stays what the session holds."""
        coming_back = {key for _, _, key in self.queue.learning}
        open_keys = coming_back | set(self.queue.front)
        if self.current is not None:
            open_keys.add(self.current.key)
        finished = {a.key for a in self.history} - open_keys
        return SessionProgress(len(finished), self.remaining, len(coming_back))

    def next_due(self) -> datetime | None:
        return self.service.next_due(self.deck_ids)


class Sessions:
    """Starts each kind of study session over one StudyService (`service.sessions`)."""

    def __init__(self, service: StudyService) -> None:
        self.service = service

    def today(self, deck_ids: Sequence[str]) -> Session:
        """Today's cards of these decks: the exam-day plan's when there is one (an exam date and a daily
        budget, see planning.py), else the due queue."""
        if (
            self.service.settings.daily_minutes
            and (planned := self.service.planner.start_plan_session(deck_ids)) is not None
            and planned.total
        ):
            return planned
        now = self.service.clock()
        deck_ids = tuple(deck_ids)
        queue = scheduling.build_queue(
            self.service.cards(deck_ids),
            self.service.progress,
            now,
            self.service.day_end(now),
            self.service.scheduler,
            self.service.new_allowance(now),
        )
        return Session(self.service, deck_ids, queue, queue.remaining(), scheduled=True)

    def drill(self, keys: Sequence[CardKey], *, practice: bool = False) -> Session:
        """A session over exactly these cards, in this order, whether due or not.

        Answers are recorded like any review; with `practice` they are logged as practice
        and leave the schedule alone (as Anki's filtered decks can).
        """
        queue = scheduling.ordered_queue(k for k in dict.fromkeys(keys) if self.service.decks.card(*k) is not None)
        deck_ids = tuple(dict.fromkeys(k[0] for k in queue.reviews))
        return Session(self.service, deck_ids, queue, queue.remaining(), practice=practice)

    def topic_drill(self, deck_id: str, facet: str | None = None, *, practice: bool = False) -> Session:
        """Every card of a topic (a deck, or a facet of it), weakest first, whether due or not.

        Weakest is the lowest retrievability now, then the most lapses; cards never studied
        come last. Built on `drill`, so answers count as reviews, or with `practice` are
        logged as practice and leave the schedule alone.
        """
        deck = self.service.decks.deck(deck_id)
        cards = [c for c in (deck.cards if deck else ()) if facet is None or c.facet == facet]
        session = self.drill(
            scheduling.drill_order(cards, self.service.progress, self.service.clock(), self.service.curve),
            practice=practice,
        )
        name = (deck.title if deck else deck_id) + (f" · {facet}" if facet else "")
        session.title = f"{'Practice' if practice else 'Drill'}: {name}"
        return session

    def cram(self, deck_ids: Sequence[str] | None = None) -> Session | None:
        """Cards ordered by their predicted retrievability on exam day, lowest first; None without an exam."""
        now = self.service.clock()
        cap = self.service.cap(now)
        if cap is None:
            return None
        deck_ids = tuple(deck_ids or (d.id for d in self.service.decks.decks))
        queue = scheduling.ordered_queue(
            scheduling.cram_order(self.service.cards(deck_ids), self.service.progress, cap, self.service.curve)
        )
        return Session(self.service, deck_ids, queue, queue.remaining(), title="Cram for the exam")

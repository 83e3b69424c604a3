"""StudyService: the one API the TUI and the CLI call.

It joins the decks (content, from files) with progress (from the repository) and
the scheduler. Time comes from `clock`, so tests can pin it.
"""

from __future__ import annotations

import functools
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import paths
from studyapp.core import scheduling, stats
from studyapp.core.models import Card, CardProgress, Deck, LearnState, Rating, Review
from studyapp.core.scheduling import ForgettingCurve, ScheduleSettings, StudyQueue
from studyapp.core.search import Browser, BrowseRow
from studyapp.deck_files import DeckSet, card_ids, load_decks
from studyapp.essay_practice import EssayPractice
from studyapp.exam_practice import ExamRehearsal
from studyapp.core import counts
from studyapp.core.counts import DeckSummary, utc_now
from studyapp.errors import StorageError  # noqa: F401 - screens name it here
from studyapp.store.errors import saving

if TYPE_CHECKING:
    from studyapp.confusions import Confusions
    from studyapp.planning import Coverage, Planner
    from studyapp.writing import LockWait, SavedAnswer

Clock = Callable[[], datetime]
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

    def save_answer(self, rating: Rating, *, mode: str = "flip", typed: str | None = None,
                    similarity: float | None = None, duration_ms: int | None = None,
                    wait: LockWait | None = None, confused_with: CardKey | None = None) -> SavedAnswer:
        """Save the answer to the current card; returns it once committed, or raises (StorageError).

        Changes nothing in memory (it may run on another thread): pass the result to `apply_answer`.
        """
        card = self.current
        if card is None:
            raise RuntimeError("no card is showing")
        mode = "practice" if self.practice else mode
        return self.service.record(card, rating, mode=mode, typed=typed, similarity=similarity,
                                   duration_ms=duration_ms, wait=wait, confused_with=confused_with)

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
        if not self.practice and after.state in (LearnState.LEARNING, LearnState.RELEARNING):
            if after.due is not None and after.due < self.service.day_end(review.reviewed_at):
                self.queue.push_learning(saved.key, after.due)
        self.current = None
        return after

    def answer(self, rating: Rating, *, mode: str = "flip", typed: str | None = None,
               similarity: float | None = None, duration_ms: int | None = None,
               wait: LockWait | None = None, confused_with: CardKey | None = None) -> CardProgress:
        """Save the answer to the current card. Returns once it is committed, or raises."""
        return self.apply_answer(self.save_answer(rating, mode=mode, typed=typed, similarity=similarity,
                                                  duration_ms=duration_ms, wait=wait, confused_with=confused_with))

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
        from studyapp.writing import CannotUndo

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

    def next_due(self) -> datetime | None:
        return self.service.next_due(self.deck_ids)


class StudyService(EssayPractice, ExamRehearsal):
    def __init__(self, decks: DeckSet, repo, clock: Clock = utc_now, data_dir: Path | None = None,  # noqa: ANN001
                 essays=None, progress: dict[CardKey, CardProgress] | None = None):  # noqa: ANN001
        self.decks = decks
        self.repo = repo
        self.essays = essays  # an EssayStore, or None where essays are not stored (some benchmarks)
        self._prompts = None  # essay prompts, generated on first use
        self.clock = clock
        self.data_dir = data_dir
        self.deck_dirs: tuple[Path, ...] = ()  # the --decks folders (open() sets them), for reload_decks
        self.progress: dict[CardKey, CardProgress] = repo.load_progress() if progress is None else progress
        self.settings = self._read_settings()
        self.scheduler = scheduling.make_scheduler(self.settings)
        self.curve = ForgettingCurve.of(self.scheduler)
        self._browser: Browser | None = None
        self._layout: stats.TopicLayout | None = None  # the decks' facets and sizes, for weak topics
        self._ensure_tallies()

    @classmethod
    def open(cls, data_dir: Path, deck_dirs: Sequence[Path] = (), clock: Clock = utc_now,
             decks: DeckSet | None = None) -> StudyService:
        """Open (creating if need be) the database in `data_dir` and load every deck.

        Raises DatabaseProblem (plain words, and the newest good backup) when the file is not a
        usable database, and StorageError when the folder cannot be written; it moves nothing.
        """
        from sqlalchemy.exc import DatabaseError, OperationalError

        from studyapp.store.db import make_engine
        from studyapp.store.essays import EssayStore
        from studyapp.store.errors import plain_storage_error
        from studyapp.store.files import DatabaseProblem, newest_good_backup, quick_problem
        from studyapp.store.migrations import migrate
        from studyapp.store.repository import Repository

        db = paths.database_path(data_dir)
        try:
            paths.ensure_dir(data_dir)
        except OSError as exc:
            raise StorageError(f"cannot make the data folder {data_dir}: {exc.strerror or exc}") from exc
        problem = quick_problem(db)
        if problem:
            raise DatabaseProblem(db, problem, newest_good_backup(paths.backups_dir(data_dir)))
        engine = make_engine(db)
        try:
            migrate(engine)
            repo = Repository(engine)
            progress = repo.load_progress()
        except OperationalError as exc:
            engine.dispose()
            raise StorageError(plain_storage_error(exc, data_dir)) from exc
        except DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
            engine.dispose()
            raise DatabaseProblem(db, f"Your study database {db} is damaged: SQLite says “{exc.orig}”.",
                                  newest_good_backup(paths.backups_dir(data_dir))) from exc
        if decks is None:
            decks = load_decks(paths.deck_search_path(data_dir, list(deck_dirs)), paths.cache_dir(data_dir))
        service = cls(decks, repo, clock, data_dir, EssayStore(engine), progress=progress)
        service.deck_dirs = tuple(deck_dirs)
        return service

    def daily_backup(self) -> Path | None:
        """On the first start of a study day, back the database up (see store.files.daily_backup)."""
        from studyapp.store.files import daily_backup

        assert self.data_dir is not None
        with saving(paths.backups_dir(self.data_dir)):
            return daily_backup(paths.database_path(self.data_dir), paths.backups_dir(self.data_dir),
                                self.study_day(self.clock()))

    # --- the database file: what the front ends need of it ----------------------------------
    def close(self) -> None:
        """Copy the write-ahead log into the database file and let the file go (at quit, or before a restore)."""
        from studyapp.store.db import close_engine

        close_engine(self.repo.engine)

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file if no other copy is reading it; True if done."""
        from studyapp.store.db import checkpoint

        return checkpoint(self.repo.engine)

    def stop_writes(self, why: str) -> None:
        """Refuse every write from now on, saying `why` (the file was found damaged)."""
        from studyapp.store.db import stop_writes

        stop_writes(self.repo.engine, why)

    def check_file(self) -> None:
        """The start's check of the database file (SQLite's quick_check); raises DatabaseProblem."""
        from studyapp.store.files import DatabaseProblem, newest_good_backup, start_check_problem

        assert self.data_dir is not None
        db = paths.database_path(self.data_dir)
        if problem := start_check_problem(db):
            raise DatabaseProblem(db, problem, newest_good_backup(paths.backups_dir(self.data_dir)))

    def review_count(self) -> int:
        return self.repo.review_count()

    # --- settings -------------------------------------------------------------------------
    def _read_settings(self) -> ScheduleSettings:
        return ScheduleSettings.from_dict(self.repo.settings())

    def update_settings(self, **changes) -> ScheduleSettings:  # noqa: ANN003
        """Save the changed settings: all of them in one transaction, with (when an exam date is set)
        every card due after the exam brought forward to it. Raises StorageError, saving nothing,
        when the database cannot be written."""
        values = {key: (value.isoformat() if key == "exam_date" and value is not None else value)
                  for key, value in changes.items()}
        with saving(self.data_dir):
            raw = {**self.repo.settings(), **values}
            settings = ScheduleSettings.from_dict({k: v for k, v in raw.items() if v is not None})
            cap = (scheduling.exam_cap(settings.exam_date, self.clock(), settings.day_start_hour)
                   if changes.get("exam_date") is not None else None)
            self.repo.save_settings(values, cap_dues_at=cap)
        self.settings = settings
        self.scheduler = scheduling.make_scheduler(self.settings)
        self.curve = ForgettingCurve.of(self.scheduler)
        if cap is not None:
            for p in scheduling.cap_dues(self.progress.values(), cap):
                self.progress[(p.deck_id, p.card_id)] = p
        return self.settings

    def set_exam_date(self, exam_date: date | None, **other_changes) -> int:  # noqa: ANN003
        """Set (or with None clear) the exam date, with any other settings; returns how many cards
        were brought forward to it. Raises StorageError, changing nothing, when it cannot be saved."""
        before = dict(self.progress)
        self.update_settings(exam_date=exam_date, **other_changes)
        return sum(1 for key, p in self.progress.items() if before.get(key) is not p)

    # --- the per-day tallies ----------------------------------------------------------------
    TALLIES_FILLED = "tallies_filled"  # setting: the review_tally table covers the whole log

    def _ensure_tallies(self) -> None:
        """Tally a log written before the tally table existed, once (new databases start tallied)."""
        if self.repo.settings().get(self.TALLIES_FILLED):
            return
        self.repo.replace_tallies(stats.tallies_from_reviews(self.repo.iter_reviews(), self.study_day,
                                                             self.facet_of))
        self.repo.set_setting(self.TALLIES_FILLED, True)

    def study_day(self, moment: datetime) -> date:
        return scheduling.study_day(moment, self.settings.day_start_hour)

    def facet_of(self, deck_id: str, card_id: str) -> str:
        """The card's facet ("" for a card no loaded deck has), without loading any deck's cards."""
        return self.layout.facet(deck_id, card_id) or ""

    def _tally_of(self, deck_id: str, card_id: str, moment: datetime) -> tuple[date, str]:
        return self.study_day(moment), self.facet_of(deck_id, card_id)

    # --- time -----------------------------------------------------------------------------
    def day_start(self, now: datetime) -> datetime:
        return scheduling.study_day_start(now, self.settings.day_start_hour)

    def day_end(self, now: datetime) -> datetime:
        return self.day_start(now) + timedelta(days=1)

    def cap(self, now: datetime) -> datetime | None:
        return scheduling.exam_cap(self.settings.exam_date, now, self.settings.day_start_hour)

    # --- reading --------------------------------------------------------------------------
    def progress_of(self, card: Card) -> CardProgress:
        return self.progress.get(card.key) or CardProgress(card.deck_id, card.id)

    def refresh(self, key: CardKey) -> CardProgress:
        """One card's progress read again from the database (another copy may have answered it)."""
        p = self.repo.progress(*key)
        if p is None:
            self.progress.pop(key, None)
            return CardProgress(*key)
        self.progress[key] = p
        return p

    def sync_progress(self) -> None:
        """Every card's progress and the settings read again from the database, for counts that
        another copy of the app may have changed (the home screen's). The dict is updated in
        place: others hold it."""
        fresh = self.repo.load_progress()
        self.progress.clear()
        self.progress.update(fresh)
        settings = self._read_settings()
        if settings != self.settings:
            self.settings = settings
            self.scheduler = scheduling.make_scheduler(settings)
            self.curve = ForgettingCurve.of(self.scheduler)

    def intervals(self, card: Card) -> dict[Rating, str]:
        now = self.clock()
        previews = scheduling.preview(self.progress_of(card), now, self.scheduler, self.cap(now))
        return {r: scheduling.format_interval(d) for r, d in previews.items()}

    def new_allowance(self, now: datetime) -> dict[str, int]:
        """New cards left today per deck; grows before an exam so every card is seen in time."""
        introduced = self.repo.new_cards_since(self.day_start(now))
        return {d.id: self._new_quota(d, introduced.get(d.id, 0), now) for d in self.decks.decks}

    def new_left(self, deck_id: str, now: datetime) -> int:
        """New cards of one deck left today, counting those any copy of the app introduced today."""
        deck = self.decks.deck(deck_id)
        if deck is None:
            return 0
        return self._new_quota(deck, self.repo.new_cards_in(deck_id, self.day_start(now)), now)

    def _new_quota(self, deck: Deck, introduced: int, now: datetime) -> int:
        ids = card_ids(deck)  # not deck.cards: a cached deck's cards are read only when studied
        return counts.new_quota(len(ids), introduced, self.settings, self.study_day(now),
                                lambda: sum(1 for i in ids if (p := self.progress.get((deck.id, i))) is None
                                            or p.state is LearnState.NEW))

    def summaries(self) -> list[DeckSummary]:
        now = self.clock()
        rows = ((p.deck_id, p.card_id, p.state, p.due, p.leech) for p in self.progress.values())
        return counts.deck_summaries([(d, frozenset(card_ids(d))) for d in self.decks.decks], rows,
                                     self.repo.new_cards_since(self.day_start(now)), self.settings, now,
                                     self.day_end(now))

    def next_due(self, deck_ids: Sequence[str] | None = None) -> datetime | None:
        wanted = set(deck_ids) if deck_ids else None
        dues = [p.due for p in self.progress.values()
                if p.due is not None and (wanted is None or p.deck_id in wanted)
                and self.decks.has_card(p.deck_id, p.card_id)]
        return min(dues) if dues else None

    def cards(self, deck_ids: Sequence[str]) -> list[Card]:
        return [c for deck_id in deck_ids if (d := self.decks.deck(deck_id)) for c in d.cards]

    # --- studying -------------------------------------------------------------------------
    def start_session(self, deck_ids: Sequence[str]) -> Session:
        """Today's cards of these decks: the exam-day plan's when there is one (an exam date and a daily
        budget, see planning.py), else the due queue."""
        if self.settings.daily_minutes and (planned := self.planner.start_plan_session(deck_ids)) is not None \
                and planned.total:
            return planned
        now = self.clock()
        deck_ids = tuple(deck_ids)
        queue = scheduling.build_queue(self.cards(deck_ids), self.progress, now, self.day_end(now),
                                       self.scheduler, self.new_allowance(now))
        return Session(self, deck_ids, queue, queue.remaining(), scheduled=True)

    def start_drill(self, keys: Sequence[CardKey], *, practice: bool = False) -> Session:
        """A session over exactly these cards, in this order, whether due or not.

        Answers are recorded like any review; with `practice` they are logged as practice
        and leave the schedule alone (as Anki's filtered decks can).
        """
        queue = scheduling.ordered_queue(k for k in dict.fromkeys(keys) if self.decks.card(*k) is not None)
        deck_ids = tuple(dict.fromkeys(k[0] for k in queue.reviews))
        return Session(self, deck_ids, queue, queue.remaining(), practice=practice)

    def start_topic_drill(self, deck_id: str, facet: str | None = None, *, practice: bool = False) -> Session:
        """Every card of a topic (a deck, or a facet of it), weakest first, whether due or not.

        Weakest is the lowest retrievability now, then the most lapses; cards never studied
        come last. Built on `start_drill`, so answers count as reviews, or with `practice` are
        logged as practice and leave the schedule alone.
        """
        deck = self.decks.deck(deck_id)
        cards = [c for c in (deck.cards if deck else ()) if facet is None or c.facet == facet]
        session = self.start_drill(scheduling.drill_order(cards, self.progress, self.clock(), self.curve),
                                   practice=practice)
        name = (deck.title if deck else deck_id) + (f" · {facet}" if facet else "")
        session.title = f"{'Practice' if practice else 'Drill'}: {name}"
        return session

    def start_cram(self, deck_ids: Sequence[str] | None = None) -> Session | None:
        """Cards ordered by their predicted retrievability on exam day, lowest first; None without an exam."""
        now = self.clock()
        cap = self.cap(now)
        if cap is None:
            return None
        deck_ids = tuple(deck_ids or (d.id for d in self.decks.decks))
        queue = scheduling.ordered_queue(scheduling.cram_order(self.cards(deck_ids), self.progress, cap, self.curve))
        return Session(self, deck_ids, queue, queue.remaining(), title="Cram for the exam")

    def record(self, card: Card, rating: Rating, *, mode: str, typed: str | None = None,
               similarity: float | None = None, duration_ms: int | None = None,
               wait: LockWait | None = None, confused_with: CardKey | None = None,
               also=None) -> SavedAnswer:  # noqa: ANN001 - Repository's AlsoWrite
        """Save an answer to `card`, computed from its progress in the database at the moment it is
        written (inside the write's transaction), not from this copy's memory. The answer's time is
        read then too, so answers from two copies are logged in the order they were applied.
        Committed when it returns, or it raises; memory is updated by `answered`. `also(cursor, log_id)`
        writes more in the answer's transaction (a mock exam's record of it).
        """
        def answer(before: CardProgress) -> tuple[CardProgress, Review]:
            now = self.clock()
            return self.rate(before, rating, now), Review(card.deck_id, card.id, rating, now, mode, typed,
                                                          similarity, duration_ms, confused_with)

        return self.repo.record_answer(card.deck_id, card.id, answer,
                                       tally=lambda review: (self.study_day(review.reviewed_at), card.facet), wait=wait,
                                       also=also)

    def rate(self, before: CardProgress, rating: Rating, at: datetime) -> CardProgress:
        """A card's progress after an answer `rating` at `at`: the one rule for an answer given here and
        for one replayed from an imported review history (studyapp.interchange.importing)."""
        return scheduling.review(before, rating, at, self.scheduler, self.cap(at))

    def reload_decks(self) -> None:
        """Read the deck folders again (an import added or changed a deck); what is built from the
        decks (topic layout, browser, essay prompts) is built again on first use."""
        assert self.data_dir is not None
        self.decks = load_decks(paths.deck_search_path(self.data_dir, list(self.deck_dirs)),
                                paths.cache_dir(self.data_dir))
        self._layout = self._browser = self._prompts = None
        for built_from_decks in ("confusions", "planner", "coverage"):  # functools.cached_property values
            self.__dict__.pop(built_from_decks, None)
        self.sync_progress()

    def answered(self, saved: SavedAnswer) -> None:
        """Take a committed answer into the progress in memory."""
        if saved.review.mode != "practice":
            self.progress[saved.key] = saved.after

    def undo(self, log_id: int, wait: LockWait | None = None) -> CardProgress:
        """Take one answer out of the database; returns the card's progress before it (see Repository.undo_answer)."""
        return self.repo.undo_answer(log_id, tally_for=self._tally_of, wait=wait)

    def undone(self, before: CardProgress) -> None:
        key = (before.deck_id, before.card_id)
        if before.state is LearnState.NEW:
            self.progress.pop(key, None)
        else:
            self.progress[key] = before

    # --- leeches, weak topics, the exam, statistics ------------------------------------------
    def reset_leech(self, card: Card) -> None:
        """Let a leech back into normal sessions (its lapses count on: the 12th flags it again)."""
        p = self.progress.get(card.key)
        if p is None or not p.leech:
            return
        p = replace(p, leech=False)
        with saving(self.data_dir):
            self.repo.save_progress([p])
        self.progress[card.key] = p

    def leeches(self) -> list[tuple[Card, CardProgress]]:
        return stats.leeches(self.decks.decks, self.progress)

    def essay_coverage_by_topic(self) -> dict[stats.TopicKey, float]:
        """The latest essay coverage (0..1) of each topic's prompts, keyed (deck id, facet or None).

        Empty until an essay has been submitted: the weak-topics screen then shows "-" in its
        Essays column and leaves coverage out of the ranking.
        """
        if self.essays is None:
            return {}
        latest: dict[str, tuple[datetime, tuple[str, ...]]] = {}
        for attempt in self.essays.attempts():
            seen = latest.get(attempt.prompt_id)
            if seen is None or attempt.submitted_at >= seen[0]:
                latest[attempt.prompt_id] = (attempt.submitted_at, attempt.statuses)
        if not latest:
            return {}
        return stats.essay_coverage(self.essay_prompts(), {k: v[1] for k, v in latest.items()},
                                    self.layout.facet)

    def weak_topics(self) -> list[stats.WeakDeck]:
        now = self.clock()
        since = self.study_day(now) - timedelta(days=stats.RECENT_DAYS - 1)
        return stats.weak_topics(self.decks.decks, self.progress, self.repo.topic_tallies(since), now, self.curve,
                                 self.essay_coverage_by_topic(), self.layout, self.free_recall_by_topic())

    def prepare(self) -> None:
        """Work the statistics and weak-topic screens share, done where the app loads (a worker) so the
        first of them to open does not wait: the topic layout (~30 ms and 3 MB at 100,000 cards; it
        reads the card ids and facets from the deck cache's index, not the cards)."""
        _ = self.layout

    @property
    def layout(self) -> stats.TopicLayout:
        """Each card's facet and each topic's size, computed once: the decks do not change while the app runs."""
        if self._layout is None:
            self._layout = stats.topic_layout(self.decks.decks)
        return self._layout

    def exam_outlook(self) -> ExamOutlook | None:
        """Days left and the share of cards recalled on the day if study stopped now; None without a date."""
        exam = self.settings.exam_date
        if exam is None:
            return None
        now = self.clock()
        days_left = scheduling.exam_days_left(exam, self.study_day(now))
        if days_left is None:
            return ExamOutlook(exam, None, None, 0)
        at = scheduling.exam_day_start(exam, self.settings.day_start_hour, now.astimezone().tzinfo)
        keys = [(deck_id, card_id) for deck_id, in_deck in self.layout.card_facets.items() for card_id in in_deck]
        return ExamOutlook(exam, days_left, stats.predicted_recall(keys, self.progress, max(at, now), self.curve),
                           len(keys))

    def statistics(self) -> Statistics:
        now = self.clock()
        today = self.study_day(now)
        first = today - timedelta(days=max(stats.HEAT_MAP_DAYS, stats.RECALL_WEEKS * 7 + 6))
        tallies = self.repo.day_tallies(first)
        recent = [t for t in tallies if t.day > today - timedelta(days=stats.RECENT_DAYS)]
        return Statistics(
            today=today,
            per_day=stats.answers_per_day(tallies, today),
            forecast=stats.due_forecast(self.progress.values(), self.day_start(now)),
            weekly=stats.recall_by_week(tallies, today),
            maturity=stats.maturity(self.decks.decks, self.progress, self.layout),
            recall_30d=stats.recall_of(recent),
            answers_30d=sum(t.reviews for t in recent),
        )

    @functools.cached_property
    def confusions(self) -> Confusions:
        from studyapp.confusions import Confusions

        return Confusions(self)

    @functools.cached_property
    def planner(self) -> Planner:
        from studyapp.planning import Planner

        return Planner(self)

    @functools.cached_property
    def coverage(self) -> Coverage:
        from studyapp.planning import Coverage

        return Coverage(self)

    @property
    def browser_built(self) -> bool:
        return self._browser is not None

    def browser(self) -> Browser:
        """Every card for the browser, with its search index, built once: the decks do not change while
        the app runs. Its orders by progress are the caller's to refresh (`Browser.invalidate`)."""
        if self._browser is None:
            self._browser = Browser([BrowseRow(c, d.title) for d in self.decks.decks for c in d.cards],
                                    self.progress)
        return self._browser

    def card_history(self, card: Card) -> list[Review]:
        return self.repo.reviews(card.deck_id, card.id)


@dataclass(frozen=True)
class ExamOutlook:
    exam_date: date
    days_left: int | None  # None once the exam has passed
    predicted_recall: float | None  # mean retrievability on the exam day, new cards counting 0
    cards: int


@dataclass(frozen=True)
class Statistics:
    """Everything the statistics screen and `studyapp stats --json` show."""

    today: date
    per_day: list[tuple[date, int]]  # answers per study day, the last six months
    forecast: list[int]  # cards due on each of the next 30 days (today includes overdue)
    weekly: list[stats.WeekRecall]
    maturity: list[stats.DeckMaturity]
    recall_30d: float | None
    answers_30d: int

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "reviews_per_day": [{"day": d.isoformat(), "reviews": n} for d, n in self.per_day],
            "due_next_30_days": [{"day": (self.today + timedelta(days=i)).isoformat(), "due": n}
                                 for i, n in enumerate(self.forecast)],
            "recall_by_week": [{"week": w.start.isoformat(), "reviews": w.reviews, "recall": w.recall}
                               for w in self.weekly],
            "maturity": [{"id": m.deck_id, "mature": m.mature, "young": m.young, "new": m.new}
                         for m in self.maturity],
        }


def monotonic_ms() -> int:
    return int(_time.monotonic() * 1000)

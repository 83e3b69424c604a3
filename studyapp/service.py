"""StudyService: the one API the TUI and the CLI call.

It joins the decks (content, from files) with progress (from the repository) and
the scheduler. Time comes from `clock`, so tests can pin it.
"""

from __future__ import annotations

import functools
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp import paths
from studyapp.core import counts, scheduling, stats
from studyapp.core.counts import DeckSummary, utc_now
from studyapp.core.models import Card, CardProgress, Deck, LearnState, Rating, Review
from studyapp.core.scheduling import ForgettingCurve, ScheduleSettings
from studyapp.core.search import Browser, BrowseRow
from studyapp.deck_files import DeckSet, card_ids, load_decks
from studyapp.errors import StorageError  # noqa: F401 - screens name it here
from studyapp.essay_practice import EssayPractice
from studyapp.exam_practice import ExamRehearsal, ExamStoreLike
from studyapp.reports import ExamOutlook, Reports, Statistics  # noqa: F401 - screens name Statistics here
from studyapp.session import Session, Sessions, SessionStats  # noqa: F401 - screens and tests name them here
from studyapp.store.errors import saving
from studyapp.upkeep import DataFile

if TYPE_CHECKING:
    from studyapp.confusions import Confusions
    from studyapp.planning import Coverage, Planner
    from studyapp.writing import LockWait, SavedAnswer

Clock = Callable[[], datetime]
CardKey = tuple[str, str]


class StudyService:
    def __init__(self, decks: DeckSet, repo, clock: Clock = utc_now, data_dir: Path | None = None,  # noqa: ANN001
                 essays=None, progress: dict[CardKey, CardProgress] | None = None):  # noqa: ANN001
        self.decks = decks
        self.repo = repo
        self.essays = EssayPractice(self, essays)  # essays: an EssayStore, or None where not stored (some benchmarks)
        self.exams = ExamRehearsal(self, self._exam_store)
        self.reports = Reports(self)
        self.sessions = Sessions(self)
        self.file = DataFile(repo, data_dir)  # what the front ends need of the database file
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
        """Open (creating if need be) the database in `data_dir` and load every deck (unless given).

        Raises DatabaseProblem or StorageError, moving nothing (see store.opening.open_database).
        """
        from studyapp.store.opening import open_database

        opened = open_database(data_dir)
        if decks is None:
            decks = load_decks(paths.deck_search_path(data_dir, list(deck_dirs)), paths.cache_dir(data_dir))
        service = cls(decks, opened.repo, clock, data_dir, opened.essays, progress=opened.progress)
        service.deck_dirs = tuple(deck_dirs)
        return service

    def daily_backup(self) -> Path | None:
        """On the first start of a study day, back the database up (see store.files.daily_backup)."""
        from studyapp.store.files import daily_backup

        assert self.data_dir is not None
        with saving(paths.backups_dir(self.data_dir)):
            return daily_backup(paths.database_path(self.data_dir), paths.backups_dir(self.data_dir),
                                self.study_day(self.clock()))

    def _exam_store(self) -> ExamStoreLike:
        from studyapp.store.exams import ExamStore

        return ExamStore(self.repo.engine)

    # --- settings -------------------------------------------------------------------------
    def setting(self, key: str) -> Any:  # noqa: ANN401 - a stored JSON value
        """One stored setting's value (None when it is not set): those ScheduleSettings does not hold."""
        return self.repo.settings().get(key)

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
        self.sync_settings()

    def sync_settings(self) -> ScheduleSettings:
        """The settings read again from the database (`studyapp exam set` may have changed them)."""
        settings = self._read_settings()
        if settings != self.settings:
            self.settings = settings
            self.scheduler = scheduling.make_scheduler(settings)
            self.curve = ForgettingCurve.of(self.scheduler)
        return self.settings

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
        # Each deck's cards looked up in the progress, not the progress's in the decks: no id sets to build.
        ids = {d.id: card_ids(d) for d in self.decks.decks}  # not deck.cards: a cached deck's are read when studied
        rows = ((p.deck_id, p.card_id, p.state, p.due, p.leech) for deck_id, in_deck in ids.items()
                for card_id in in_deck if (p := self.progress.get((deck_id, card_id))) is not None)
        return counts.deck_summaries([(d, len(ids[d.id])) for d in self.decks.decks], rows,
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
        self._layout = self._browser = None
        self.essays.decks_changed()
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


def monotonic_ms() -> int:
    return int(_time.monotonic() * 1000)

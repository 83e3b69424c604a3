"""The home screen's counts before the rest of the app loads (see `Opening`).

Kept out of studyapp.service, whose imports (SQLAlchemy later, but also the essay grader,
the search index and rapidfuzz) cost ~60 ms that the home screen need not wait for.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import paths
from studyapp.core import scheduling
from studyapp.core.models import Deck, LearnState
from studyapp.deck_files import DeckSet, card_ids, load_decks

if TYPE_CHECKING:
    from studyapp.service import StudyService


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class DeckSummary:
    deck: Deck
    new: int  # new cards that today's allowance would show
    due: int  # cards due today (learning and review)
    learned: int  # cards answered at least once
    total: int



@dataclass
class Overview:
    """What the home screen shows, read before SQLAlchemy is imported."""

    decks: DeckSet
    summaries: list[DeckSummary]


class Opening:
    """Opens the study data in two steps, so the home screen's counts show before SQLAlchemy loads.

    `overview()` reads the decks (from the parse cache) and each card's state and due time with the
    standard library's sqlite3, read-only; `service()` then opens the real StudyService (SQLModel
    tables, migrations, the Repository for every write) over the same DeckSet.
    """

    def __init__(self, data_dir: Path, deck_dirs: Sequence[Path] = (), clock: Callable[[], datetime] = utc_now):
        self.data_dir = data_dir
        self.deck_dirs = list(deck_dirs)
        self.clock = clock
        self.decks: DeckSet | None = None

    def overview(self) -> Overview | None:
        """The home screen's counts, or None when the database must be made, checked or migrated first."""
        import sqlite3

        from studyapp.store.files import quick_problem

        db = paths.database_path(self.data_dir)
        if not db.exists() or quick_problem(db) is not None:
            return None  # service() makes it, or says what is wrong with it
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        except sqlite3.Error:
            return None
        try:
            from studyapp.store.migrations import SCHEMA_VERSION

            if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return None
            raw = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM setting")}
            day_start_hour = int(raw.get("day_start_hour", 4))
            new_per_day = int(raw.get("new_per_day", 20))
            exam_date = date.fromisoformat(raw["exam_date"]) if raw.get("exam_date") else None
            now = self.clock()
            start = scheduling.study_day_start(now, day_start_hour)
            introduced = dict(con.execute(
                "SELECT deck_id, count(*) FROM review_log WHERE reviewed_at >= ? AND mode != 'practice' "
                "AND json_extract(state_before, '$.state') = ? GROUP BY +deck_id",  # see repository._GROUP_BY_DECK
                (start.timestamp(), int(LearnState.NEW))).fetchall())
            rows = con.execute("SELECT deck_id, card_id, state, due, leech FROM card_progress").fetchall()
        except (sqlite3.Error, ValueError, TypeError):
            return None  # anything odd: service() will look properly
        finally:
            con.close()
        self.decks = decks = load_decks(paths.deck_search_path(self.data_dir, self.deck_dirs),
                                        paths.cache_dir(self.data_dir))
        # The same counts as deck_summaries, straight from the rows: no 66,000 keys to build.
        ids = {d.id: frozenset(card_ids(d)) for d in decks.decks}
        learned = dict.fromkeys(ids, 0)
        due = dict.fromkeys(ids, 0)
        end_ts = (start + timedelta(days=1)).timestamp()
        for deck_id, card_id, state, due_ts, leech in rows:
            if state != LearnState.NEW and card_id in ids.get(deck_id, ()):
                learned[deck_id] += 1
                due[deck_id] += not leech and due_ts is not None and due_ts < end_ts  # as scheduling.due_today
        today = scheduling.study_day(now, day_start_hour)
        exam = scheduling.exam_days_left(exam_date, today) is not None
        summaries = []
        for d in decks.decks:  # the allowance as StudyService.new_allowance gives it
            total, seen = len(ids[d.id]), learned[d.id]
            quota = scheduling.new_card_quota(total - seen if exam else total, introduced.get(d.id, 0), new_per_day,
                                              today, exam_date)
            summaries.append(DeckSummary(d, min(total - seen, quota), due[d.id], seen, total))
        return Overview(decks, summaries)

    def service(self) -> StudyService:
        from studyapp.service import StudyService

        return StudyService.open(self.data_dir, self.deck_dirs, self.clock, decks=self.decks)

"""The home screen's counts before the rest of the app loads (see `Opening`).

Kept out of studyapp.service, whose imports (SQLAlchemy later, but also the essay grader,
the search index and rapidfuzz) cost ~60 ms that the home screen need not wait for.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import paths
from studyapp.core import counts, scheduling
from studyapp.core.counts import Clock, DeckSummary, utc_now
from studyapp.core.models import LearnState
from studyapp.core.scheduling import ScheduleSettings
from studyapp.deck_files import DeckSet, card_ids, load_decks

if TYPE_CHECKING:
    from studyapp.service import StudyService


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

    def __init__(self, data_dir: Path, deck_dirs: Sequence[Path] = (), clock: Clock = utc_now):
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
            settings = ScheduleSettings.from_dict({k: json.loads(v) for k, v in con.execute("SELECT key, value FROM setting")})
            now = self.clock()
            start = scheduling.study_day_start(now, settings.day_start_hour)
            introduced = dict(con.execute(
                "SELECT deck_id, count(*) FROM review_log WHERE reviewed_at >= ? AND mode != 'practice' "
                "AND json_extract(state_before, '$.state') = ? GROUP BY +deck_id",  # see store.statements._GROUP_BY_DECK
                (start.timestamp(), int(LearnState.NEW))).fetchall())
            rows = con.execute("SELECT deck_id, card_id, state, due, leech FROM card_progress").fetchall()
        except (sqlite3.Error, ValueError, TypeError):
            return None  # anything odd: service() will look properly
        finally:
            con.close()
        self.decks = decks = load_decks(paths.deck_search_path(self.data_dir, self.deck_dirs),
                                        paths.cache_dir(self.data_dir))
        # The rows as they are (due in POSIX seconds): no 66,000 CardProgress objects to build.
        ids = {d.id: frozenset(card_ids(d)) for d in decks.decks}  # a card gone from its deck is not counted
        known = (row for row in rows if row[1] in ids.get(row[0], ()))
        summaries = counts.deck_summaries([(d, len(ids[d.id])) for d in decks.decks], known, introduced,
                                          settings, now, counts.day_end(now, settings).timestamp())
        return Overview(decks, summaries)

    def service(self) -> StudyService:
        from studyapp.service import StudyService

        return StudyService.open(self.data_dir, self.deck_dirs, self.clock, decks=self.decks)

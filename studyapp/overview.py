"""The home screen's counts before the rest of the app loads (see `Opening`).

Kept out of studyapp.service, whose imports (SQLAlchemy later, but also the essay grader,
the search index and rapidfuzz) cost ~60 ms that the home screen need not wait for.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import paths
from studyapp.core import counts, scheduling
from studyapp.core.counts import Clock, DeckSummary, utc_now
from studyapp.core.models import LearnState
from studyapp.core.scheduling import ScheduleSettings
from studyapp.deck_files import DeckSet, card_ids, load_decks

if TYPE_CHECKING:
    from studyapp.core.stats import ExamOutlook, Statistics
    from studyapp.service import StudyService


@dataclass
class Overview:
    """What the home screen shows, read before SQLAlchemy is imported."""

    decks: DeckSet
    summaries: list[DeckSummary]


@dataclass(frozen=True)
class StatsReport:
    """What `studyapp stats` prints."""

    summaries: list[DeckSummary]
    reviews: int
    statistics: Statistics
    outlook: ExamOutlook | None

    def to_json(self) -> dict:
        """Per deck counts, plus everything the statistics screen charts (from the per-day tallies)."""
        outlook = self.outlook
        return {
            "decks": [{"id": s.deck.id, "title": s.deck.title, "cards": s.total, "new": s.new, "due": s.due,
                       "learned": s.learned} for s in self.summaries],
            "reviews": self.reviews,
            "recall_30d": self.statistics.recall_30d,
            # As the home screen shows it: null without an exam date; days_left null once it has passed.
            "exam": None if outlook is None else {
                "date": outlook.exam_date.isoformat(), "days_left": outlook.days_left,
                "predicted_recall": outlook.predicted_recall, "cards": outlook.cards},
            **self.statistics.to_json(),
        }


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

    def report(self) -> StatsReport | None:
        """What `studyapp stats` prints, read as the home screen's counts are (sqlite3, read-only, no
        SQLAlchemy); None where the service must open the database first (see overview)."""
        import sqlite3

        from studyapp.core import stats
        from studyapp.store.convert import progress_from_row

        overview = self.overview()
        if overview is None:
            return None
        try:
            con = sqlite3.connect(f"file:{paths.database_path(self.data_dir)}?mode=ro", uri=True, timeout=1)
        except sqlite3.Error:
            return None
        try:
            con.row_factory = sqlite3.Row
            raw = {row["key"]: json.loads(row["value"]) for row in con.execute("SELECT key, value FROM setting")}
            if not raw.get("tallies_filled"):  # an old log not yet tallied: the service tallies it once
                return None
            settings = ScheduleSettings.from_dict(raw)  # as the service reads them (fitted parameters too)
            rows = con.execute("SELECT * FROM card_progress")
            progress = {(p.deck_id, p.card_id): p for p in (progress_from_row(dict(row)) for row in rows)}
            now = self.clock()
            first = stats.first_charted_day(scheduling.study_day(now, settings.day_start_hour))
            tallies = [stats.DayTally(date.fromisoformat(r["day"]), "", "", r["reviews"], r["again"], r["practice"])
                       for r in con.execute("SELECT * FROM review_day WHERE day >= ?", (first.isoformat(),))]
            reviews = con.execute("SELECT count(*) FROM review_log").fetchone()[0]
        except (sqlite3.Error, ValueError, TypeError, KeyError):
            return None  # anything odd: the service looks properly
        finally:
            con.close()
        layout = stats.topic_layout(overview.decks.decks)
        curve = scheduling.ForgettingCurve.of(scheduling.make_scheduler(settings))
        return StatsReport(overview.summaries, reviews,
                           stats.statistics(tallies, progress, overview.decks.decks, layout, now,
                                            settings.day_start_hour),
                           stats.exam_outlook(settings, now, layout, progress, curve))

    def service(self) -> StudyService:
        from studyapp.service import StudyService

        return StudyService.open(self.data_dir, self.deck_dirs, self.clock, decks=self.decks)

"""Drafts, attempts and essay schedules in a real SQLite file; upgrading a version-1 database."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from studyapp.core.essays import Draft, EssayAttempt, KeyPoint, score_outline
from studyapp.core.models import CardProgress, LearnState
from studyapp.store.db import make_engine
from studyapp.store.essays import EssayStore
from studyapp.store.migrations import SCHEMA_VERSION, STEPS, migrate
from studyapp.store.repository import Repository

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def store(tmp_path: Path) -> EssayStore:
    engine = make_engine(tmp_path / "studyapp.db")
    migrate(engine)
    return EssayStore(engine)


def test_a_draft_round_trips_and_is_replaced(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.save_draft(Draft("p1", "first", NOW, NOW, 5.0))
    s.save_draft(Draft("p1", "first and more", NOW, NOW + timedelta(seconds=2), 7.0))
    assert s.draft("p1") == Draft("p1", "first and more", NOW, NOW + timedelta(seconds=2), 7.0)
    assert s.drafts() == {"p1"}


def test_an_attempt_stores_results_schedules_the_prompt_and_drops_the_draft(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.save_draft(Draft("p1", "draft", NOW, NOW, 5.0))
    points = (KeyPoint("NATO was founded in 1949."), KeyPoint("France left in 1966."))
    score = score_outline(points, "NATO founded 1949")
    progress = CardProgress("essay", "p1", LearnState.REVIEW, None, 3.0, 5.0, NOW + timedelta(days=3), NOW, 1)
    s.record_attempt(EssayAttempt("p1", NOW, 600.0, "NATO founded 1949", score.share,
                                  tuple(r.status for r in score.results)), score, progress)
    [attempt] = s.attempts("p1")
    assert attempt.statuses == ("covered", "missed") and attempt.score == 0.5 and attempt.seconds == 600.0
    schedule, last = s.schedules()["p1"]
    assert schedule.due == NOW + timedelta(days=3) and last == 0.5
    assert s.draft("p1") is None


def test_a_version_1_database_upgrades_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # exactly what version 1 of studyapp created
        for statement in STEPS[0]:
            db.execute(statement)
        db.execute("PRAGMA user_version=1")
        db.execute("INSERT INTO card_progress VALUES ('nato','founded',2,NULL,5.0,4.0,1800000000,1799000000,3,1,3)")
        db.execute("INSERT INTO review_log (deck_id, card_id, reviewed_at, rating, mode, state_before) "
                   "VALUES ('nato','founded',1799000000,3,'flip','{}')")
        db.execute("INSERT INTO setting VALUES ('new_per_day','25')")
    engine = make_engine(path)
    assert migrate(engine) == 1
    repo = Repository(engine)
    assert repo.load_progress()[("nato", "founded")].reps == 3
    assert repo.review_count() == 1
    assert repo.settings() == {"new_per_day": 25}
    assert EssayStore(engine).schedules() == {}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION

"""Progress in a real SQLite file: round trips, the log, undo, settings, migrations."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyapp.core.models import CardProgress, LearnState, Rating, Review
from studyapp.core.scheduling import ScheduleSettings, make_scheduler, review
from studyapp.store.db import make_engine
from studyapp.store.migrations import SCHEMA_VERSION, NewerSchemaError, migrate
from studyapp.store.repository import Repository
from studyapp.store.tables import SQLModel

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    engine = make_engine(tmp_path / "studyapp.db")
    migrate(engine)
    return Repository(engine)


def answer(repo: Repository, before: CardProgress, rating: Rating, when: datetime) -> tuple[CardProgress, int]:
    """Answer the card `before` names; the repository reads its progress itself, which must be `before`."""
    def compute(now_in_db: CardProgress) -> tuple[CardProgress, Review]:
        assert now_in_db == before
        after = review(now_in_db, rating, when, make_scheduler(ScheduleSettings()))
        return after, Review(before.deck_id, before.card_id, rating, when, "typed", "1955", 100.0, 4200)

    saved = repo.record_answer(before.deck_id, before.card_id, compute)
    assert saved.before == before
    return saved.after, saved.log_id


def test_fsrs_state_survives_a_save_and_a_reload(tmp_path: Path, repo: Repository) -> None:
    p = CardProgress("nato", "founded")
    for i, rating in enumerate([Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD]):
        p, _ = answer(repo, p, rating, NOW + timedelta(days=i))
    reopened = Repository(make_engine(tmp_path / "studyapp.db"))
    loaded = reopened.load_progress()[("nato", "founded")]
    assert loaded == p
    assert loaded.due.tzinfo is not None
    assert loaded.reps == 4


def test_each_answer_is_logged_with_everything_needed(repo: Repository) -> None:
    answer(repo, CardProgress("nato", "founded"), Rating.GOOD, NOW)
    [logged] = repo.reviews()
    assert (logged.deck_id, logged.card_id, logged.rating, logged.mode) == ("nato", "founded", Rating.GOOD, "typed")
    assert (logged.typed, logged.similarity, logged.duration_ms, logged.reviewed_at) == ("1955", 100.0, 4200, NOW)


def test_undo_puts_the_card_back_and_removes_the_log_row(repo: Repository) -> None:
    first, _ = answer(repo, CardProgress("d", "c"), Rating.GOOD, NOW)
    _, second_log = answer(repo, first, Rating.AGAIN, NOW + timedelta(minutes=10))
    restored = repo.undo_answer(second_log)
    assert restored == first
    assert repo.load_progress()[("d", "c")] == first
    assert repo.review_count() == 1


def test_undoing_a_first_answer_makes_the_card_new_again(repo: Repository) -> None:
    _, log_id = answer(repo, CardProgress("d", "c"), Rating.GOOD, NOW)
    restored = repo.undo_answer(log_id)
    assert restored.state is LearnState.NEW
    assert repo.load_progress() == {}


def test_new_cards_since_counts_first_answers_per_deck(repo: Repository) -> None:
    p, _ = answer(repo, CardProgress("a", "1"), Rating.GOOD, NOW)
    answer(repo, p, Rating.GOOD, NOW + timedelta(minutes=10))  # second answer: not a new card
    answer(repo, CardProgress("b", "1"), Rating.GOOD, NOW)
    answer(repo, CardProgress("b", "2"), Rating.GOOD, NOW - timedelta(days=1))  # yesterday
    assert repo.new_cards_since(NOW - timedelta(hours=1)) == {"a": 1, "b": 1}


def test_settings_round_trip(repo: Repository) -> None:
    repo.set_setting("new_per_day", 30)
    repo.set_setting("new_per_day", 35)
    repo.set_setting("exam_date", "2026-06-01")
    assert repo.settings() == {"new_per_day": 35, "exam_date": "2026-06-01"}
    repo.delete_setting("exam_date")
    assert repo.settings() == {"new_per_day": 35}


def test_the_database_is_wal_with_full_sync(tmp_path: Path, repo: Repository) -> None:
    with repo.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_migrations_build_what_the_tables_describe(repo: Repository) -> None:
    with sqlite3.connect(repo.engine.url.database) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        for table in SQLModel.metadata.sorted_tables:
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table.name})")}
            assert columns == {c.name for c in table.columns}, table.name


def test_migrating_twice_changes_nothing(repo: Repository) -> None:
    assert migrate(repo.engine) == SCHEMA_VERSION


def test_a_database_from_a_newer_studyapp_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(NewerSchemaError):
        migrate(make_engine(path))


# --- another copy holding the write lock ---------------------------------------------------------
def hold_write_lock(repo: Repository) -> sqlite3.Connection:
    holder = sqlite3.connect(repo.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another copy of the app in the middle of saving
    return holder


def good_answer(now_in_db: CardProgress) -> tuple[CardProgress, Review]:
    after = review(now_in_db, Rating.GOOD, NOW, make_scheduler(ScheduleSettings()))
    return after, Review(now_in_db.deck_id, now_in_db.card_id, Rating.GOOD, NOW)


def test_reads_do_not_wait_for_another_copys_write(repo: Repository) -> None:
    answer(repo, CardProgress("d", "c"), Rating.GOOD, NOW)
    holder = hold_write_lock(repo)
    try:  # each of these used to take the write lock too, and fail after the 10 s busy timeout
        assert repo.review_count() == 1
        assert repo.settings() == {}
        assert repo.new_cards_since(NOW - timedelta(hours=1)) == {"d": 1}
        assert repo.progress("d", "c").reps == 1
    finally:
        holder.rollback()


def test_a_write_waits_for_the_lock_as_it_is_told(repo: Repository) -> None:
    from studyapp.writing import NO_WAIT, LockBusy, LockWait, WaitStopped

    holder = hold_write_lock(repo)
    try:
        with pytest.raises(LockBusy):
            repo.record_answer("d", "c", good_answer, wait=NO_WAIT)
        told = []
        with pytest.raises(WaitStopped):  # the student pressed Escape while it waited
            repo.record_answer("d", "c", good_answer,
                               wait=LockWait(seconds=None, stop=lambda: bool(told), on_wait=lambda: told.append(1)))
        assert told == [1] and repo.review_count() == 0
        # The other copy finishes while this one waits: then it saves.
        saved = repo.record_answer("d", "c", good_answer, wait=LockWait(seconds=None, on_wait=holder.rollback))
    finally:
        if holder.in_transaction:
            holder.rollback()
    assert saved.after.reps == 1 and repo.review_count() == 1


def test_an_answer_is_computed_from_the_progress_in_the_database(repo: Repository) -> None:
    first, _ = answer(repo, CardProgress("d", "c"), Rating.GOOD, NOW)
    seen = []

    def compute(now_in_db: CardProgress) -> tuple[CardProgress, Review]:
        seen.append(now_in_db)
        return good_answer(now_in_db)

    saved = repo.record_answer("d", "c", compute)  # whatever the caller remembered, the database says `first`
    assert seen == [first] and saved.before == first and saved.after.reps == 2


def test_undo_is_refused_once_the_card_was_answered_again(repo: Repository) -> None:
    from studyapp.writing import CannotUndo

    first, first_log = answer(repo, CardProgress("d", "c"), Rating.GOOD, NOW)
    answer(repo, first, Rating.GOOD, NOW + timedelta(minutes=10))  # e.g. in another copy
    with pytest.raises(CannotUndo, match="answered again since"):
        repo.undo_answer(first_log)
    assert repo.review_count() == 2 and repo.load_progress()[("d", "c")].reps == 2

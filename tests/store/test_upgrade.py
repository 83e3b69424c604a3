"""A database written by an older schema opens with today's code and keeps everything.

tests/data/schema-v1.db was made by schema version 1 (tests/data/make_schema_v1_db.py). When a
migration step is added, this test runs it over real version-1 data.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from studyapp.core.models import LearnState
from studyapp.store.migrations import SCHEMA_VERSION

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "schema-v1.db"
V1_TABLES = {
    "card_progress": "deck_id, card_id, state, step, stability, difficulty, due, last_review, reps, lapses, "
                     "last_rating",
    "review_log": "id, deck_id, card_id, reviewed_at, rating, mode, typed, similarity, duration_ms, state_before",
    "setting": "key, value",
}


def dump(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY 1, 2").fetchall() for t, cols in V1_TABLES.items()}
    finally:
        con.close()


def test_the_fixture_is_version_one_with_real_history() -> None:
    con = sqlite3.connect(FIXTURE)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    con.close()
    rows = dump(FIXTURE)
    assert len(rows["card_progress"]) == 3 and len(rows["review_log"]) == 27 and len(rows["setting"]) == 2


def test_opening_a_version_one_database_migrates_it_and_loses_nothing(service, data_dir: Path, monkeypatch) -> None:
    from studyapp.service import StudyService

    service.repo.engine.dispose()
    db = data_dir / "studyapp.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(FIXTURE, db)
    before = dump(db)

    upgraded = StudyService.open(data_dir, clock=service.clock)
    after = dump(db)
    for table, rows in before.items():  # every v1 row, column for column (later steps may add rows, as settings)
        assert set(rows) <= set(after[table]), table
    assert after["card_progress"] == before["card_progress"] and after["review_log"] == before["review_log"]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # And the app reads it as it was written.
    assert {k for k in upgraded.progress} == {("mini", "wp-founded"), ("mini", "wp-members"), ("mini", "nato-signed")}
    assert all(p.state is LearnState.REVIEW and p.reps >= 8 for p in upgraded.progress.values())
    assert upgraded.settings.new_per_day == 15 and str(upgraded.settings.exam_date) == "2026-06-15"
    assert upgraded.repo.review_count() == 27
    reviews = upgraded.repo.reviews(card_id="wp-founded")
    assert any(r.mode == "typed" and r.typed == "1955" for r in reviews)
    assert sum(r.mode == "practice" for r in upgraded.repo.reviews()) == 1

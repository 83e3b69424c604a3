"""Schema versions, tracked by PRAGMA user_version. Each step moves the schema up by one.

Steps are plain SQL so that an old database is migrated by exactly what that version
needed, whatever the table classes say today (a test checks the two agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SCHEMA_VERSION is read on the way to the home screen, before SQLAlchemy is imported
    from sqlalchemy.engine import Connection, Engine

STEPS: list[list[str]] = [
    # 1: progress, review log, settings
    [
        """CREATE TABLE card_progress (
            deck_id VARCHAR NOT NULL, card_id VARCHAR NOT NULL, state INTEGER NOT NULL,
            step INTEGER, stability FLOAT, difficulty FLOAT, due FLOAT, last_review FLOAT,
            reps INTEGER NOT NULL DEFAULT 0, lapses INTEGER NOT NULL DEFAULT 0, last_rating INTEGER,
            PRIMARY KEY (deck_id, card_id))""",
        "CREATE INDEX ix_card_progress_due ON card_progress (due)",
        """CREATE TABLE review_log (
            id INTEGER NOT NULL PRIMARY KEY, deck_id VARCHAR NOT NULL, card_id VARCHAR NOT NULL,
            reviewed_at FLOAT NOT NULL, rating INTEGER NOT NULL, mode VARCHAR NOT NULL, typed VARCHAR,
            similarity FLOAT, duration_ms INTEGER, state_before VARCHAR NOT NULL)""",
        "CREATE INDEX ix_review_log_deck_id ON review_log (deck_id)",
        "CREATE INDEX ix_review_log_reviewed_at ON review_log (reviewed_at)",
        "CREATE TABLE setting (key VARCHAR NOT NULL PRIMARY KEY, value VARCHAR NOT NULL)",
    ],
    # 2: essay practice: drafts saved while writing, submitted attempts, and each prompt's FSRS state
    [
        """CREATE TABLE essay_draft (
            prompt_id VARCHAR NOT NULL PRIMARY KEY, text VARCHAR NOT NULL, started_at FLOAT NOT NULL,
            saved_at FLOAT NOT NULL, elapsed_seconds FLOAT NOT NULL DEFAULT 0)""",
        """CREATE TABLE essay_attempt (
            id INTEGER NOT NULL PRIMARY KEY, prompt_id VARCHAR NOT NULL, submitted_at FLOAT NOT NULL,
            seconds FLOAT NOT NULL, text VARCHAR NOT NULL, score FLOAT NOT NULL, results VARCHAR NOT NULL)""",
        "CREATE INDEX ix_essay_attempt_prompt_id ON essay_attempt (prompt_id)",
        """CREATE TABLE essay_progress (
            prompt_id VARCHAR NOT NULL PRIMARY KEY, state INTEGER NOT NULL, step INTEGER, stability FLOAT,
            difficulty FLOAT, due FLOAT, last_review FLOAT, reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0, last_rating INTEGER, last_score FLOAT)""",
    ],
    # 3 (issue 5): leech flag; answers per study day (and per day, deck and facet) for statistics. An existing log is
    # tallied once by the service (it needs the decks' facets and the local study day), see
    # StudyService.open.
    [
        "ALTER TABLE card_progress ADD COLUMN leech BOOLEAN NOT NULL DEFAULT 0",
        """CREATE TABLE review_tally (
            day VARCHAR NOT NULL, deck_id VARCHAR NOT NULL, facet VARCHAR NOT NULL,
            reviews INTEGER NOT NULL DEFAULT 0, again INTEGER NOT NULL DEFAULT 0,
            practice INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, deck_id, facet))""",
        """CREATE TABLE review_day (
            day VARCHAR NOT NULL PRIMARY KEY, reviews INTEGER NOT NULL DEFAULT 0,
            again INTEGER NOT NULL DEFAULT 0, practice INTEGER NOT NULL DEFAULT 0)""",
    ],
    # 4 (issue 15): a wrong typed answer that was another card's answer names that card (confusion pairs);
    # kept on the answer's log row, so undoing the answer takes the confusion back with it.
    [
        "ALTER TABLE review_log ADD COLUMN confused_deck VARCHAR",
        "ALTER TABLE review_log ADD COLUMN confused_card VARCHAR",
        "CREATE INDEX ix_review_log_confused ON review_log (confused_card) WHERE confused_card IS NOT NULL",
    ],
    # 5 (issue 15): mock exam papers with their short answers, and brain dumps (free recall)
    [
        """CREATE TABLE mock_exam (
            id INTEGER NOT NULL PRIMARY KEY, started_at FLOAT NOT NULL, paper VARCHAR NOT NULL,
            elapsed_seconds FLOAT NOT NULL DEFAULT 0, essay_text VARCHAR NOT NULL DEFAULT '',
            finished_at FLOAT, essay_attempt_id INTEGER, essay_results VARCHAR)""",
        """CREATE TABLE mock_answer (
            mock_id INTEGER NOT NULL, position INTEGER NOT NULL, deck_id VARCHAR NOT NULL, card_id VARCHAR NOT NULL,
            typed VARCHAR NOT NULL, similarity FLOAT NOT NULL, mark FLOAT NOT NULL, review_log_id INTEGER,
            PRIMARY KEY (mock_id, position))""",
        """CREATE TABLE brain_dump (
            id INTEGER NOT NULL PRIMARY KEY, deck_id VARCHAR NOT NULL, facet VARCHAR, minutes INTEGER NOT NULL,
            started_at FLOAT NOT NULL, seconds FLOAT NOT NULL DEFAULT 0, text VARCHAR NOT NULL DEFAULT '',
            finished_at FLOAT, results VARCHAR)""",
    ],
]
SCHEMA_VERSION = len(STEPS)


class NewerSchemaError(RuntimeError):
    pass


def schema_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def migrate(engine: Engine) -> int:
    """Bring the database up to SCHEMA_VERSION; returns the version it started at."""
    with engine.begin() as conn:
        start = schema_version(conn)
        if start > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"this database has schema version {start}, newer than this studyapp knows "
                f"({SCHEMA_VERSION}); update studyapp")
        for version in range(start, SCHEMA_VERSION):
            for statement in STEPS[version]:
                conn.exec_driver_sql(statement)
            conn.exec_driver_sql(f"PRAGMA user_version={version + 1}")
    return start

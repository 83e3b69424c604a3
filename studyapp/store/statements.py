"""The answer path's tables, rows and statements: SQLAlchemy Core compiled once into SQL for the driver's
cursor, the conversions of a row to core models, and what an answer, its undo and an imported review
history write inside the write transaction Repository opens (store.locked_writes.writing)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, literal_column
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from studyapp.core.models import CardProgress, LearnState, Rating, Review
from studyapp.core.stats import tally_delta
from studyapp.store.convert import from_ts, progress_from_json, progress_to_json, progress_values, to_ts
from studyapp.store.tables import CardProgressRow, ReviewDayRow, ReviewLogRow, ReviewTallyRow, SettingRow
from studyapp.writing import CannotUndo, SavedAnswer

_progress = CardProgressRow.__table__
_log = ReviewLogRow.__table__
_tally = ReviewTallyRow.__table__
_day = ReviewDayRow.__table__
_setting = SettingRow.__table__
_PROGRESS_COLUMNS = (
    "deck_id",
    "card_id",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "last_rating",
    "leech",
)  # CardProgress's field order
_UPDATABLE = [c.name for c in _progress.columns if c.name not in ("deck_id", "card_id")]
_SELECT_PROGRESS = f"SELECT {', '.join(_PROGRESS_COLUMNS)} FROM card_progress WHERE deck_id = ? AND card_id = ?"
_STATES = {int(s): s for s in LearnState}
# "+deck_id" keeps SQLite from grouping through the deck_id index, which reads all 1,000,000 log
# rows (77 ms); the reviewed_at index then finds today's few rows (0.1 ms).
_GROUP_BY_DECK = literal_column("+review_log.deck_id")


def _upsert(values: dict):  # noqa: ANN202
    stmt = sqlite_insert(_progress).values(values)
    return stmt.on_conflict_do_update(
        index_elements=["deck_id", "card_id"], set_={name: stmt.excluded[name] for name in _UPDATABLE}
    )


TallyKey = tuple[date, str]  # (study day, facet)
TallyOf = Callable[[str, str, datetime], TallyKey]
AnswerOf = Callable[[CardProgress], tuple[CardProgress, Review]]  # progress now -> (after, the answer)
AlsoWrite = Callable[[sqlite3.Cursor, int], None]  # (the answer's cursor, its log id): more to write with it


def _progress_from_tuple(row: tuple) -> CardProgress:
    d, c, state, step, stab, diff, due, last, reps, lapses, rating, leech = row
    return CardProgress(
        d,
        c,
        _STATES[state],
        step,
        stab,
        diff,
        from_ts(due) if due is not None else None,
        from_ts(last) if last is not None else None,
        reps,
        lapses,
        rating,
        bool(leech),
    )


def _review_from_row(r) -> Review:  # noqa: ANN001 - a review_log Row
    return Review(
        deck_id=r.deck_id,
        card_id=r.card_id,
        rating=Rating(r.rating),
        reviewed_at=from_ts(r.reviewed_at),
        mode=r.mode,
        typed=r.typed,
        similarity=r.similarity,
        duration_ms=r.duration_ms,
        confused_with=(r.confused_deck, r.confused_card) if r.confused_card is not None else None,
    )


def _tally_counts(key: TallyKey, deck_id: str, delta: tuple[int, int, int]) -> dict[str, Any]:
    """The parameters of the "tally" and "day" statements (_answer_sql) adding `delta` to a day."""
    day, facet = key
    reviews, again, practice = delta
    return {
        "day": day.isoformat(),
        "deck_id": deck_id,
        "facet": facet,
        "reviews": reviews,
        "again": again,
        "practice": practice,
    }


_ANSWER_SQL_CACHE: dict[str, tuple[str, tuple[str, ...]]] = {}


def _answer_sql() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The answer path's Core statements (the progress upsert, the log insert, the two tally
    upserts), compiled once for SQLite into SQL with `?` parameters and the order of their names."""
    if not _ANSWER_SQL_CACHE:
        from sqlalchemy import bindparam
        from sqlalchemy.dialects import sqlite

        def counting(table, keys: list[str]):  # noqa: ANN001, ANN202 - add the answer's counts to a row
            stmt = sqlite_insert(table).values({c.name: bindparam(c.name) for c in table.columns})
            counts = ("reviews", "again", "practice")
            return stmt.on_conflict_do_update(
                index_elements=keys, set_={n: table.c[n] + stmt.excluded[n] for n in counts}
            )

        statements = {
            "progress": _upsert({c.name: bindparam(c.name) for c in _progress.columns}),
            "log": insert(_log).values({c.name: bindparam(c.name) for c in _log.columns if c.name != "id"}),
            "tally": counting(_tally, ["day", "deck_id", "facet"]),
            "day": counting(_day, ["day"]),
        }
        dialect = sqlite.dialect(paramstyle="qmark")
        for name, stmt in statements.items():
            compiled = stmt.compile(dialect=dialect)
            _ANSWER_SQL_CACHE[name] = (str(compiled), tuple(compiled.positiontup))
    return _ANSWER_SQL_CACHE


def add_imported_answers(
    cursor: sqlite3.Cursor,
    answers: Mapping[tuple[str, str], Sequence[Review]],
    rate: Callable[[CardProgress, Review], CardProgress],
    tally: Callable[[Review], TallyKey],
    progress: Callable[[int, int], None] | None,
) -> tuple[int, int]:
    sql = _answer_sql()
    decks = sorted({deck_id for deck_id, _ in answers})
    marks = ", ".join("?" * len(decks))
    latest = {
        (d, c): t
        for d, c, t in cursor.execute(
            f"SELECT deck_id, card_id, max(reviewed_at) FROM review_log WHERE deck_id IN ({marks}) "
            "GROUP BY deck_id, card_id",
            decks,
        )
    }
    stored = {
        (row[0], row[1]): _progress_from_tuple(row)
        for row in cursor.execute(
            f"SELECT {', '.join(_PROGRESS_COLUMNS)} FROM card_progress WHERE deck_id IN ({marks})", decks
        )
    }
    log_sql, log_order = sql["log"]
    progress_sql, progress_order = sql["progress"]
    added = left_out = 0
    counts: dict[tuple[date, str, str], list[int]] = {}
    for done, (key, given) in enumerate(answers.items(), 1):
        after_ts = latest.get(key)
        before = stored.get(key) or CardProgress(*key)
        rows = []
        for review in sorted(given, key=lambda r: r.reviewed_at):
            if after_ts is not None and to_ts(review.reviewed_at) <= after_ts:
                left_out += 1
                continue
            after = rate(before, review)
            rows.append(log_row(key[0], key[1], review, before))
            day, facet = tally(review)
            row = counts.setdefault((day, key[0], facet), [0, 0, 0])
            for i, n in enumerate(tally_delta(review)):
                row[i] += n
            before = after
        if rows:
            cursor.executemany(log_sql, [[r[k] for k in log_order] for r in rows])
            values = progress_values(before)
            cursor.execute(progress_sql, [values[k] for k in progress_order])
            added += len(rows)
        if progress is not None and done % 200 == 0:
            progress(done, len(answers))
    for (day, deck_id, facet), delta in counts.items():
        params = _tally_counts((day, facet), deck_id, tuple(delta))
        for name in ("tally", "day"):
            statement, order = sql[name]
            cursor.execute(statement, [params[k] for k in order])
    if progress is not None:
        progress(len(answers), len(answers))
    return added, left_out


def log_row(deck_id: str, card_id: str, review: Review, before: CardProgress) -> dict[str, Any]:
    """A review-log row's values, for an answer given here and for one replayed from an import alike."""
    return {
        "deck_id": deck_id,
        "card_id": card_id,
        "reviewed_at": to_ts(review.reviewed_at),
        "rating": int(review.rating),
        "mode": review.mode,
        "typed": review.typed,
        "similarity": review.similarity,
        "duration_ms": review.duration_ms,
        "state_before": progress_to_json(before),
        "confused_deck": review.confused_with[0] if review.confused_with else None,
        "confused_card": review.confused_with[1] if review.confused_with else None,
    }


def write_answer(
    cursor: sqlite3.Cursor,
    deck_id: str,
    card_id: str,
    answer: AnswerOf,
    tally: Callable[[Review], TallyKey] | None,
    also: AlsoWrite | None = None,
) -> SavedAnswer:
    """Save one answer inside the caller's write transaction (see Repository.record_answer)."""
    # The Core statements, compiled once (_answer_sql), run on the pool's driver connection:
    # building and compiling them per answer cost ~0.6 ms of a ~0.9 ms answer in SQLAlchemy.
    sql = _answer_sql()
    row = cursor.execute(_SELECT_PROGRESS, (deck_id, card_id)).fetchone()
    before = CardProgress(deck_id, card_id) if row is None else _progress_from_tuple(row)
    after, review = answer(before)
    values = log_row(deck_id, card_id, review, before)
    steps = []
    if review.mode != "practice":
        steps.append(("progress", progress_values(after)))
    if tally is not None:
        counts = _tally_counts(tally(review), deck_id, tally_delta(review))
        steps += [("tally", counts), ("day", counts)]
    steps.append(("log", values))
    for name, params in steps:
        statement, order = sql[name]
        cursor.execute(statement, [params[key] for key in order])
    log_id = int(cursor.lastrowid)
    if also is not None:
        also(cursor, log_id)
    return SavedAnswer(before, after, review, log_id)


def take_back_answer(cursor: sqlite3.Cursor, log_id: int, tally_for: TallyOf | None) -> CardProgress:
    """Take one answer out inside the caller's write transaction (see Repository.undo_answer)."""
    sql = _answer_sql()
    row = cursor.execute(
        "SELECT deck_id, card_id, reviewed_at, rating, mode, state_before FROM review_log WHERE id = ?", (log_id,)
    ).fetchone()
    if row is None:
        raise CannotUndo("That answer is no longer in your study data, so it cannot be undone.")
    deck_id, card_id, reviewed_at, rating, mode, state_before = row
    # "+deck_id": walk the log from this answer on by its id, not the whole deck's answers
    later = cursor.execute(
        "SELECT 1 FROM review_log WHERE id > ? AND +deck_id = ? AND card_id = ? LIMIT 1", (log_id, deck_id, card_id)
    ).fetchone()
    if later is not None:
        raise CannotUndo(
            "That card has been answered again since (in another window of studyapp, "
            "perhaps), so your answer cannot be undone: it stays saved."
        )
    before = progress_from_json(state_before)
    cursor.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
    if tally_for is not None:
        answer = Review(deck_id, card_id, Rating(rating), from_ts(reviewed_at), mode)
        reviews, again, practice = tally_delta(answer)
        counts = _tally_counts(tally_for(deck_id, card_id, answer.reviewed_at), deck_id, (-reviews, -again, -practice))
        for name in ("tally", "day"):  # the answer path's own statements, adding the negative
            statement, order = sql[name]
            cursor.execute(statement, [counts[key] for key in order])
        # and the rows it brings back to nothing are dropped, as if the answer had never been
        cursor.execute(
            "DELETE FROM review_tally WHERE day = ? AND deck_id = ? AND facet = ? AND reviews = 0 "
            "AND again = 0 AND practice = 0",
            (counts["day"], deck_id, counts["facet"]),
        )
        cursor.execute(
            "DELETE FROM review_day WHERE day = ? AND reviews = 0 AND again = 0 AND practice = 0", (counts["day"],)
        )
    if mode != "practice":
        if before.state is LearnState.NEW:
            cursor.execute("DELETE FROM card_progress WHERE deck_id = ? AND card_id = ?", (deck_id, card_id))
        else:
            statement, order = sql["progress"]
            values = progress_values(before)
            cursor.execute(statement, [values[key] for key in order])
    return before

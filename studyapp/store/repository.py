"""Repository(engine): reads and writes progress; returns core models only.

The answer path is SQLAlchemy Core statements in one transaction (read the card's progress,
then an upsert of it, the day's tallies, an insert into the log), compiled once and committed
before the next card shows. The new progress is computed inside that transaction from what
the database holds, so two copies of the app answering the same card both count.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from studyapp.core.models import CardProgress, LearnState, Review
from studyapp.core.stats import DayTally
from studyapp.store.convert import (
    from_ts,
    progress_values,
    to_ts,
)
from studyapp.store.db import reading
from studyapp.store.errors import StorageError, plain_storage_error
from studyapp.store.locked_writes import writing
from studyapp.store.statements import (
    _GROUP_BY_DECK,
    _PROGRESS_COLUMNS,
    _SELECT_PROGRESS,
    AlsoWrite,
    AnswerOf,
    TallyKey,
    TallyOf,
    _day,
    _log,
    _progress,
    _progress_from_tuple,
    _review_from_row,
    _setting,
    _tally,
    _upsert,
    add_imported_answers,
    take_back_answer,
    write_answer,
)
from studyapp.writing import CannotUndo, LockWait, SavedAnswer


class Repository:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- progress -------------------------------------------------------------------------
    def load_progress(self) -> dict[tuple[str, str], CardProgress]:
        """Every card's progress. Read through the driver's cursor, not Core rows: at 66,000 rows
        that is 0.1 s instead of 0.7 s, and it runs before the student can start studying."""
        columns = ", ".join(_PROGRESS_COLUMNS)
        raw = self.engine.raw_connection()  # the pool's sqlite3 connection, with its pragmas
        try:
            rows = raw.cursor().execute(f"SELECT {columns} FROM card_progress").fetchall()
        finally:
            raw.close()
        return {(row[0], row[1]): _progress_from_tuple(row) for row in rows}

    def progress(self, deck_id: str, card_id: str) -> CardProgress | None:
        """One card's progress as the database holds it now (another copy may have answered it)."""
        raw = self.engine.raw_connection()
        try:
            row = raw.cursor().execute(_SELECT_PROGRESS, (deck_id, card_id)).fetchone()
        finally:
            raw.close()
        return None if row is None else _progress_from_tuple(row)

    def record_answer(self, deck_id: str, card_id: str, answer: AnswerOf,
                      tally: Callable[[Review], TallyKey] | None = None, wait: LockWait | None = None,
                      also: AlsoWrite | None = None) -> SavedAnswer:
        """Save one answer atomically; returns it as committed. Raises StorageError if it could not be saved.

        Inside one transaction (which holds the write lock from its start): read the card's
        progress as the database has it, call `answer(progress)` for the progress after the
        answer and the answer to log, write both. So the saved state follows from every answer
        committed before it, whichever copy of the app gave them. `tally(answer)` (its study
        day and the card's facet) adds the answer to that day's tally in the same transaction.
        `wait` says how long to wait for another copy's write lock (LockBusy, WaitStopped).
        `also(cursor, log_id)` writes what belongs with the answer (a mock exam's record of it) in
        the same transaction.
        """
        try:
            return self._record_answer(deck_id, card_id, answer, tally, wait or LockWait(), also)
        except StorageError:
            raise
        except (OperationalError, sqlite3.Error) as exc:
            raise StorageError(plain_storage_error(exc, self.folder)) from exc

    @property
    def folder(self):  # noqa: ANN201 - the data folder, for messages
        from pathlib import Path

        database = self.engine.url.database
        return Path(database).parent if database else None

    def _record_answer(self, deck_id: str, card_id: str, answer: AnswerOf,
                       tally: Callable[[Review], TallyKey] | None, wait: LockWait,
                       also: AlsoWrite | None = None) -> SavedAnswer:
        with writing(self.engine, wait) as cursor:
            return write_answer(cursor, deck_id, card_id, answer, tally, also)

    def undo_answer(self, log_id: int, tally_for: TallyOf | None = None, wait: LockWait | None = None) -> CardProgress:
        """Remove one answer and put its card back as it was; returns that earlier progress.

        Refused (CannotUndo, nothing changed) if the answer is no longer in the log, or if the
        card has been answered since (by this copy or another): taking it back then would undo
        that later answer's progress too. `tally_for(deck_id, card_id, reviewed_at)` names the
        tally the answer was added to, so it is taken off again in the same transaction.
        """
        try:
            return self._undo_answer(log_id, tally_for, wait or LockWait())
        except (StorageError, CannotUndo):
            raise
        except (OperationalError, sqlite3.Error) as exc:
            raise StorageError(plain_storage_error(exc, self.folder)) from exc

    def _undo_answer(self, log_id: int, tally_for: TallyOf | None, wait: LockWait) -> CardProgress:
        with writing(self.engine, wait) as cursor:
            return take_back_answer(cursor, log_id, tally_for)

    def import_answers(self, answers: Mapping[tuple[str, str], Sequence[Review]],
                       rate: Callable[[CardProgress, Review], CardProgress], tally: Callable[[Review], TallyKey],
                       wait: LockWait | None = None,
                       progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
        """Add answers given elsewhere (an Anki package's review history), in one transaction.

        Per card, only the answers later than its latest answer in the log are added, oldest first:
        so importing the same history again adds nothing, and each card's log stays in the order its
        answers were given. Each is applied to the card's progress as the database holds it with
        `rate` (the app's own rule for an answer), logged with the progress before it (as an answer
        given here is) and counted in its day's tally (`tally(answer)`: study day and facet).
        Returns (answers added, answers left out as already there or older than the card's log).
        """
        try:
            with writing(self.engine, wait or LockWait()) as cursor:
                return add_imported_answers(cursor, answers, rate, tally, progress)
        except (OperationalError, sqlite3.Error) as exc:
            raise StorageError(plain_storage_error(exc, self.folder)) from exc

    def save_progress(self, items: Iterable[CardProgress]) -> None:
        with self.engine.begin() as conn:
            for p in items:
                conn.execute(_upsert(progress_values(p)))

    # --- the log --------------------------------------------------------------------------
    def new_cards_since(self, since: datetime) -> dict[str, int]:
        """Per deck, how many cards were answered for the first time since `since`."""
        first_time = func.json_extract(_log.c.state_before, "$.state") == int(LearnState.NEW)
        with reading(self.engine) as conn:
            rows = conn.execute(select(_log.c.deck_id, func.count()).where(
                _log.c.reviewed_at >= to_ts(since), first_time, _log.c.mode != "practice",
            ).group_by(_GROUP_BY_DECK)).all()
        return {deck: n for deck, n in rows}

    def new_cards_in(self, deck_id: str, since: datetime) -> int:
        """How many cards of one deck were answered for the first time since `since`, by any copy."""
        raw = self.engine.raw_connection()
        try:
            # "+deck_id": the reviewed_at index finds today's few rows; the deck_id one would read the deck's all
            return int(raw.cursor().execute(
                "SELECT count(*) FROM review_log WHERE reviewed_at >= ? AND +deck_id = ? AND mode != 'practice' "
                "AND json_extract(state_before, '$.state') = ?", (to_ts(since), deck_id, int(LearnState.NEW))
            ).fetchone()[0])
        finally:
            raw.close()

    def reviews(self, deck_id: str | None = None, card_id: str | None = None,
                since: datetime | None = None) -> list[Review]:
        stmt = select(_log).order_by(_log.c.reviewed_at, _log.c.id)
        if deck_id is not None:
            stmt = stmt.where(_log.c.deck_id == deck_id)
        if card_id is not None:
            stmt = stmt.where(_log.c.card_id == card_id)
        if since is not None:
            stmt = stmt.where(_log.c.reviewed_at >= to_ts(since))
        with reading(self.engine) as conn:
            rows = conn.execute(stmt).all()
        return [_review_from_row(r) for r in rows]

    def iter_reviews(self, batch: int = 50_000) -> Iterable[Review]:
        """Every answer in the log, oldest first, read in batches (to tally an old log once)."""
        last = -1
        while True:
            with reading(self.engine) as conn:
                rows = conn.execute(select(_log).where(_log.c.id > last).order_by(_log.c.id).limit(batch)).all()
            if not rows:
                return
            yield from (_review_from_row(r) for r in rows)
            last = rows[-1].id

    def confusions(self) -> dict[tuple[tuple[str, str], tuple[str, str]], tuple[int, float]]:
        """(card asked, card whose answer was typed) -> (times, latest time as epoch seconds), from the
        log rows that name a confusion (a partial index holds just those)."""
        sql = ("SELECT deck_id, card_id, confused_deck, confused_card, COUNT(*), MAX(reviewed_at) FROM review_log "
               "WHERE confused_card IS NOT NULL GROUP BY deck_id, card_id, confused_deck, confused_card")
        with reading(self.engine) as conn:
            rows = conn.exec_driver_sql(sql).all()
        return {((d, c), (od, oc)): (int(n), float(last)) for d, c, od, oc, n, last in rows}

    def recent_durations(self, limit: int = 500) -> list[int]:
        """How long (ms) the latest `limit` scheduled answers with a time took: the student's pace."""
        stmt = (select(_log.c.duration_ms).where(_log.c.duration_ms.is_not(None), _log.c.mode != "practice")
                .order_by(_log.c.id.desc()).limit(limit))
        with reading(self.engine) as conn:
            return [int(d) for (d,) in conn.execute(stmt).all()]

    def seconds_spent_since(self, since: datetime) -> float:
        """Seconds spent answering (scheduled answers with a time) since `since`: today's budget used."""
        stmt = select(func.coalesce(func.sum(_log.c.duration_ms), 0)).where(
            _log.c.reviewed_at >= to_ts(since), _log.c.mode != "practice")
        with reading(self.engine) as conn:
            return float(conn.execute(stmt).scalar() or 0) / 1000

    # --- tallies and exam caps ------------------------------------------------------------
    def tallies(self, since: date | None = None) -> list[DayTally]:
        """The per-day, per-deck-and-facet tallies from `since` (a study day) on; all without it."""
        stmt = select(_tally)
        if since is not None:
            stmt = stmt.where(_tally.c.day >= since.isoformat())
        with reading(self.engine) as conn:
            rows = conn.execute(stmt).all()
        return [DayTally(date.fromisoformat(r.day), r.deck_id, r.facet, r.reviews, r.again, r.practice)
                for r in rows]

    def topic_tallies(self, since: date) -> list[DayTally]:
        """One tally per (deck, facet) summing the days from `since` on (dated `since`)."""
        stmt = (select(_tally.c.deck_id, _tally.c.facet, func.sum(_tally.c.reviews), func.sum(_tally.c.again),
                       func.sum(_tally.c.practice))
                .where(_tally.c.day >= since.isoformat()).group_by(_tally.c.deck_id, _tally.c.facet))
        with reading(self.engine) as conn:
            rows = conn.execute(stmt).all()
        return [DayTally(since, deck, facet, int(n), int(again), int(practice))
                for deck, facet, n, again, practice in rows]

    def day_tallies(self, since: date) -> list[DayTally]:
        """Answers per study day over every deck from `since` on (deck id and facet left empty)."""
        stmt = select(_day).where(_day.c.day >= since.isoformat())
        with reading(self.engine) as conn:
            rows = conn.execute(stmt).all()
        return [DayTally(date.fromisoformat(r.day), "", "", r.reviews, r.again, r.practice) for r in rows]

    def replace_tallies(self, tallies: Iterable[DayTally]) -> None:
        """Replace every tally (filling the tables from an old log)."""
        tallies = list(tallies)
        per_day: dict[str, list[int]] = {}
        for t in tallies:
            row = per_day.setdefault(t.day.isoformat(), [0, 0, 0])
            row[0] += t.reviews
            row[1] += t.again
            row[2] += t.practice
        with self.engine.begin() as conn:
            conn.execute(delete(_tally))
            conn.execute(delete(_day))
            rows = [{"day": t.day.isoformat(), "deck_id": t.deck_id, "facet": t.facet, "reviews": t.reviews,
                     "again": t.again, "practice": t.practice} for t in tallies]
            if rows:
                conn.execute(insert(_tally), rows)
                conn.execute(insert(_day), [{"day": day, "reviews": r, "again": a, "practice": p}
                                            for day, (r, a, p) in per_day.items()])

    def cap_dues(self, cap: datetime) -> int:
        """Move every card due after `cap` to `cap` (an exam date was set); returns how many moved."""
        with self.engine.begin() as conn:
            result = conn.execute(update(_progress).where(_progress.c.due > to_ts(cap)).values(due=to_ts(cap)))
            return int(result.rowcount or 0)

    def latest_due(self) -> datetime | None:
        """The latest due date of any card in the database."""
        with reading(self.engine) as conn:
            return from_ts(conn.execute(select(func.max(_progress.c.due))).scalar())

    def review_count(self) -> int:
        with reading(self.engine) as conn:
            return int(conn.execute(select(func.count()).select_from(_log)).scalar() or 0)

    # --- settings -------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(_setting)).all()
        return {r.key: json.loads(r.value) for r in rows}

    def set_setting(self, key: str, value: Any) -> None:  # noqa: ANN401 - any JSON value
        stmt = sqlite_insert(_setting).values(key=key, value=json.dumps(value))
        with self.engine.begin() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))

    def delete_setting(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(_setting).where(_setting.c.key == key))

    def save_settings(self, values: dict[str, Any], cap_dues_at: datetime | None = None) -> None:
        """Save several settings at once (None deletes one) and, with `cap_dues_at`, move every card due
        after it to it (an exam date was set): one transaction, so all of it is saved or none."""
        with self.engine.begin() as conn:
            for key, value in values.items():
                if value is None:
                    conn.execute(delete(_setting).where(_setting.c.key == key))
                else:
                    stmt = sqlite_insert(_setting).values(key=key, value=json.dumps(value))
                    conn.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                                            set_={"value": stmt.excluded.value}))
            if cap_dues_at is not None:
                conn.execute(update(_progress).where(_progress.c.due > to_ts(cap_dues_at))
                             .values(due=to_ts(cap_dues_at)))

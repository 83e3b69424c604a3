"""A write transaction that holds SQLite's write lock from its start, waiting for another copy of the app
as a LockWait says (see studyapp.writing), on the pool's driver connection."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine

from studyapp.store.db import BUSY_TIMEOUT_MS
from studyapp.writing import LockBusy, LockWait, WaitStopped

# While another copy holds the write lock, an answer's write tries again this often (ms), so a
# student who stops waiting (Escape) is heard at once. See writing.LockWait.
LOCK_POLL_MS = 100


def _is_busy(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def writing(engine: Engine, wait: LockWait) -> Iterator[sqlite3.Cursor]:
    """A transaction on the pool's driver connection that holds the write lock from its start
    (BEGIN IMMEDIATE, as every write here: db.py), waiting for it as `wait` says; committed at
    the end of the block, rolled back if it raises."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        cursor = driver.cursor()
        begin_immediate(cursor, wait)
        try:
            yield cursor
            cursor.execute("COMMIT")
        except BaseException:
            if driver.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                driver.rollback()
            raise
    finally:
        raw.close()


def begin_immediate(cursor: sqlite3.Cursor, wait: LockWait) -> None:
    """BEGIN IMMEDIATE; while another copy holds the write lock, try again every LOCK_POLL_MS
    until it is free, `wait.seconds` have passed (LockBusy) or `wait.stop()` (WaitStopped)."""
    deadline = None if wait.seconds is None else time.monotonic() + wait.seconds
    told = False
    # SQLite's own busy handler does the waiting between tries, a poll at a time.
    cursor.execute(f"PRAGMA busy_timeout={0 if wait.seconds == 0 else LOCK_POLL_MS}")
    try:
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
            if wait.stop():
                raise WaitStopped
            if deadline is not None and time.monotonic() >= deadline:
                raise LockBusy
            if not told:
                told = True
                wait.on_wait()
    finally:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

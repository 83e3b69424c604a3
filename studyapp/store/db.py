"""The engine factory. Nothing is opened or created at import time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 10_000


def make_engine(path: Path) -> Engine:
    """An engine on the SQLite file `path`, in WAL mode with synchronous=FULL.

    FULL (as Anki commits) makes a committed answer survive a power cut, not only a killed
    process; the busy timeout lets a second copy of the app wait its turn rather than fail.
    """
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False,
                                                             "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API types
        # Let SQLAlchemy issue BEGIN itself so that a transaction takes the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        # IMMEDIATE: take the write lock when the transaction starts, so two copies never
        # deadlock upgrading read locks; the busy timeout then queues them. A read (`reading`)
        # takes no lock: in WAL mode it neither waits for another copy's write nor holds one up.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(_READ) else "BEGIN IMMEDIATE")

    return engine


_READ = "studyapp_read"


def reading(engine: Engine) -> Connection:
    """A connection for reading only: its transaction does not take the write lock.

    `engine.connect()` would begin IMMEDIATE like a write, so every read would wait (up to the
    busy timeout, on the caller's thread) while another copy of the app saves.
    """
    return engine.connect().execution_options(**{_READ: True})

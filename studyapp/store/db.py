"""The engine factory, checkpoints and closing. Nothing is opened or created at import time.

Every engine made here:
- holds the data folder's open lock (store.files.OpenLock) while any of its connections is open,
  so `studyapp restore` refuses rather than replace the file under it;
- refuses to connect again to a file that is no longer the one it first opened (replaced or
  deleted while its connections were closed): its answers would go into the wrong file;
- once `stop_writes(engine, why)` is called (the file was found damaged), makes every connection
  it hands out `query_only`: the screens can still read, but nothing more is written into the
  damaged file, whichever path a write takes, and the write's error says why.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from studyapp.store.errors import StorageError, writes_stopped
from studyapp.store.files import OpenLock

BUSY_TIMEOUT_MS = 10_000
CLOSE_BUSY_TIMEOUT_MS = 2_000  # at quit, wait this long at most for another copy to finish writing

_engines: weakref.WeakSet[Engine] = weakref.WeakSet()  # closed (checkpointed) when the interpreter exits
_state: weakref.WeakKeyDictionary[Engine, _EngineState] = weakref.WeakKeyDictionary()


class _EngineState:
    def __init__(self, path: Path):
        self.path = path
        self.lock = OpenLock(path.parent)
        self.identity: tuple[int, int] | None = None  # (device, inode) of the file first opened
        self.stopped: str | None = None  # why writes were stopped
        self.mutex = threading.Lock()


def make_engine(path: Path) -> Engine:
    """An engine on the SQLite file `path`, in WAL mode with synchronous=FULL.

    FULL (as Anki commits) makes a committed answer survive a power cut, not only a killed
    process; the busy timeout lets a second copy of the app wait its turn rather than fail.
    """
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False,
                                                             "timeout": BUSY_TIMEOUT_MS / 1000})
    state = _state[engine] = _EngineState(Path(path))

    @event.listens_for(engine, "do_connect")
    def _do_connect(dialect, _record, cargs, cparams):  # noqa: ANN001, ANN202
        state.lock.hold()  # waits while a restore replaces the file
        try:
            _check_same_file(state)
            connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        except BaseException:
            state.lock.let_go()
            raise
        return connection

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
        with state.mutex:
            if state.identity is None:
                state.identity = _identity(state.path)

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection, _record) -> None:  # noqa: ANN001
        state.lock.let_go()

    @event.listens_for(engine, "close_detached")
    def _on_close_detached(_dbapi_connection) -> None:  # noqa: ANN001
        state.lock.let_go()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy) -> None:  # noqa: ANN001
        if state.stopped is not None:
            dbapi_connection.execute("PRAGMA query_only=ON")  # SQLite refuses every write from here on

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        # IMMEDIATE: take the write lock when the transaction starts, so two copies never
        # deadlock upgrading read locks; the busy timeout then queues them. A read (`reading`)
        # takes no lock: in WAL mode it neither waits for another copy's write nor holds one up.
        # Once writes are stopped (query_only) SQLite refuses IMMEDIATE, and a read needs no write lock.
        read = conn.get_execution_options().get(_READ) or state.stopped is not None
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

    writes_stopped(state.path.parent, None)  # a new engine (after a restore, say) starts writable
    _engines.add(engine)
    return engine


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _check_same_file(state: _EngineState) -> None:
    if state.identity is not None and _identity(state.path) != state.identity:
        raise StorageError(f"your study database {state.path} was replaced or removed while studyapp had it "
                           "open (a restore?): quit studyapp and start it again")


def stop_writes(engine: Engine, why: str) -> None:
    """Write nothing more through `engine` (the file was found damaged); reads go on.
    `why` is what a refused write's StorageError then says (store.files.plain_storage_error)."""
    if (state := _state.get(engine)) is not None:
        state.stopped = why
        writes_stopped(state.path.parent, why)


def checkpoint(engine: Engine, *, truncate: bool = False, busy_ms: int | None = None) -> bool:
    """Copy the write-ahead log's pages into the database file (SQLite's wal_checkpoint); True if all went.

    PASSIVE (the default) never waits for or blocks another connection: it is what runs while
    the student studies. TRUNCATE (at quit) waits up to `busy_ms` for other writers and readers,
    then also empties the log, so the database file alone holds everything.
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        if busy_ms is not None:
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        try:
            busy, frames, done = cursor.execute(
                f"PRAGMA wal_checkpoint({'TRUNCATE' if truncate else 'PASSIVE'})").fetchone()
        finally:
            if busy_ms is not None:
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return not busy and frames == done
    finally:
        raw.close()


def close_engine(engine: Engine) -> None:
    """Checkpoint (unless writes were stopped) and close every connection, letting go of the open lock.

    Only an engine with connections open is checkpointed: one already closed has nothing in the log
    that its last connection's close did not already copy (SQLite does that itself when it can).
    """
    state = _state.get(engine)
    if state is not None and state.stopped is None and state.lock.held:
        try:  # noqa: SIM105 - the reason is on the except line
            checkpoint(engine, truncate=True, busy_ms=CLOSE_BUSY_TIMEOUT_MS)
        except Exception:  # noqa: BLE001, S110 - a full disk or a busy copy: SQLite replays the log on the next start
            pass
    engine.dispose()


@atexit.register
def _close_all() -> None:
    for engine in list(_engines):
        try:  # noqa: SIM105 - the reason is on the except line
            close_engine(engine)
        except Exception:  # noqa: BLE001, S110 - the process is ending; the log is replayed on the next start
            pass


_READ = "studyapp_read"


def reading(engine: Engine) -> Connection:
    """A connection for reading only: its transaction does not take the write lock.

    `engine.connect()` would begin IMMEDIATE like a write, so every read would wait (up to the
    busy timeout, on the caller's thread) while another copy of the app saves.
    """
    return engine.connect().execution_options(**{_READ: True})

"""The write-error policy: real SQLite and OS errors, each turned into its kind and its plain words."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from studyapp.store.errors import (
    CANNOT_OPEN,
    DAMAGED,
    FULL,
    LOCKED,
    READ_ONLY,
    StorageError,
    error_kind,
    plain_storage_error,
    saving,
)


def raised(action) -> BaseException:  # noqa: ANN001
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - the error is what the test looks at
        return exc
    raise AssertionError("nothing was raised")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "x.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a PRIMARY KEY)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()
    return path


def test_sqlite_errors_by_their_codes(db: Path, tmp_path: Path) -> None:
    read_only = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert error_kind(raised(lambda: read_only.execute("INSERT INTO t VALUES (2)"))) == READ_ONLY

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(db, timeout=0)
    assert error_kind(raised(lambda: waiter.execute("INSERT INTO t VALUES (3)"))) == LOCKED
    holder.execute("ROLLBACK")

    full = sqlite3.connect(db)
    pages = full.execute("PRAGMA page_count").fetchone()[0]
    full.execute(f"PRAGMA max_page_count={pages}")
    exc = raised(lambda: full.executemany("INSERT INTO t VALUES (?)", [(i * 1000,) for i in range(10, 5000)]))
    assert error_kind(exc) == FULL
    assert plain_storage_error(exc, tmp_path) == f"the disk is full ({tmp_path}): free some space, then try again"

    not_sqlite = tmp_path / "deck.db"
    not_sqlite.write_text("format = 1\n" * 200)
    assert error_kind(raised(lambda: sqlite3.connect(not_sqlite).execute("SELECT * FROM t"))) == DAMAGED
    missing = tmp_path / "no" / "such" / "folder" / "x.db"
    assert error_kind(raised(lambda: sqlite3.connect(missing))) == CANNOT_OPEN


def test_os_errors_by_their_errno(tmp_path: Path) -> None:
    assert error_kind(OSError(errno.ENOSPC, "No space left on device")) == FULL
    assert error_kind(OSError(errno.EROFS, "Read-only file system")) == READ_ONLY


def test_the_program_s_own_mistakes_are_not_storage_errors(db: Path) -> None:
    con = sqlite3.connect(db)
    assert error_kind(raised(lambda: con.execute("INSERT INTO t VALUES (1)"))) is None  # IntegrityError
    assert error_kind(ValueError("not a date")) is None
    with pytest.raises(ValueError), saving(db.parent):
        raise ValueError("a bug passes through as it is")


def test_saving_turns_sqlalchemy_s_wrapper_into_plain_words(db: Path) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///file:{db}?mode=ro&uri=true")
    with pytest.raises(StorageError) as caught, saving(db.parent), engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (9)"))
    assert caught.value.kind == READ_ONLY
    assert str(caught.value) == f"the data folder is read-only ({db.parent}): studyapp cannot save there"
    engine.dispose()

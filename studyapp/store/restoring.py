"""Restoring a backup over the database: checked first, the current file kept, nothing changed on refusal.

The file is replaced only while the data folder's open lock can be taken exclusively (no copy of
the app has the database open); see store.files for the checks, copies and the lock.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from studyapp.errors import RestoreRefused
from studyapp.store.files import (
    _as_refusal,
    _fsync,
    _fsync_dir,
    _link_as_new,
    _part,
    _storage_trouble,
    copy_database,
    copy_database_as_new,
    exclusive_lock,
    integrity_problem,
    quick_problem,
)


def known_tables(version: int) -> set[str]:
    """The tables a studyapp database of schema `version` has (from the migrations' own SQL)."""
    from studyapp.store.migrations import STEPS

    names = set()
    for step in STEPS[:version]:
        for statement in step:
            if m := re.match(r"\s*CREATE TABLE (\w+)", statement):
                names.add(m.group(1))
    return names


def restorable_problem(backup: Path) -> str | None:
    """Why `backup` cannot be restored, in one plain line, or None: it must be a whole SQLite file that
    passes SQLite's integrity check and is a studyapp database of a schema this version knows."""
    from studyapp.store.migrations import SCHEMA_VERSION

    if not backup.exists():
        return f"There is no backup at {backup}."
    if not backup.is_file():
        return f"{backup} is a folder, not a backup."
    if backup.stat().st_size == 0:
        return f"The backup {backup} is empty (0 bytes): it holds no progress."
    problem = integrity_problem(backup)
    if problem:
        return problem.replace("Your study database", "The backup")
    try:
        con = sqlite3.connect(f"file:{backup}?mode=ro", uri=True, timeout=10)
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"The backup {backup} cannot be read: SQLite says “{exc}”."
    if version > SCHEMA_VERSION:
        return (
            f"The backup {backup} was made by a newer studyapp (schema version {version}; this one knows up to "
            f"{SCHEMA_VERSION}): update studyapp first."
        )
    if version < 1 or not known_tables(version) <= tables:
        return f"{backup} is an SQLite database but not a studyapp one (it lacks studyapp's tables)."
    return None


def restore(db: Path, backup: Path, folder: Path, now: datetime) -> Path | None:
    """Put `backup` in place of `db`. The current file is backed up first; returns that copy.

    Refuses (RestoreRefused, with nothing changed) a backup that is not a sound studyapp database,
    and any restore while a copy of the app has the database open (it would go on writing into
    the file being replaced). A current file that SQLite cannot read (the reason to restore) is
    kept byte for byte, with its write-ahead log.
    """
    problem = restorable_problem(backup)
    if problem:
        raise RestoreRefused(problem)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)  # a restore into a new data folder
    except OSError as exc:
        raise RestoreRefused(_as_refusal(exc, db.parent)) from exc
    with exclusive_lock(db.parent):
        saved: Path | None = None
        restoring = db.with_name(db.name + ".restoring")
        try:
            if db.exists():
                stem = f"before-restore-{now.strftime('%Y%m%d-%H%M%S')}"
                saved = None
                if quick_problem(db) is None:
                    try:
                        saved = copy_database_as_new(db, folder, stem)
                    except sqlite3.DatabaseError as exc:
                        if _storage_trouble(exc):
                            raise
                if saved is None:
                    saved = _raw_copy_as_new(db, folder, stem)
            copy_database(backup, restoring)
        except (OSError, sqlite3.Error) as exc:
            restoring.unlink(missing_ok=True)
            for part in (saved, Path(f"{saved}-wal"), Path(f"{saved}-shm")) if saved else ():
                part.unlink(missing_ok=True)  # nothing changed: not even a copy left behind
            raise RestoreRefused(_as_refusal(exc, db.parent)) from exc
        for suffix in ("-wal", "-shm"):  # the old file's journal must not be replayed onto the restored one
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.replace(restoring, db)
        _fsync_dir(db.parent)
    return saved


def _raw_copy_as_new(source: Path, folder: Path, stem: str) -> Path:
    """Copy `source` byte for byte (and its -wal and -shm beside it) under a new name in `folder`."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    tmp = _part(folder / f"{stem}.db")
    try:
        shutil.copyfile(source, tmp)
        _fsync(tmp)
        target = _link_as_new(tmp, folder, stem)
    finally:
        tmp.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target

"""When progress cannot be written (or read): one policy, in words a student can act on.

Every write path (an answer, undo, settings, the exam date, a leech reset, an essay and its
draft, a backup, a restore) turns the error it meets into a `StorageError` with `storage_error`
(or the `saving` block), and the TUI and the CLI show its text as it is: a notification or an
inline message in the app, one line on stderr and exit status 1 from the command line.

The kinds: the data folder is read-only, the disk is full, another copy of studyapp held the
database too long, the database file is damaged, or it cannot be opened at all. SQLite's own
error code (Python 3.11's `sqlite_errorcode`) decides where it is given; the OS's errno
otherwise; the words of the message last. The error family itself (StorageError and the kinds)
is studyapp.errors, which the front ends import; this module turns errors into it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studyapp.errors import CANNOT_OPEN, DAMAGED, FULL, LOCKED, OTHER, READ_ONLY, StorageError

ROOM_BYTES = 256 * 1024  # less free than this (SQLite's -shm file alone takes 32 kB) is a full disk
# SQLite's primary result codes (the low byte of an extended code)
_SQLITE_KINDS = {3: READ_ONLY,  # SQLITE_PERM
                 5: LOCKED, 6: LOCKED,  # SQLITE_BUSY, SQLITE_LOCKED
                 8: READ_ONLY,  # SQLITE_READONLY
                 11: DAMAGED, 26: DAMAGED,  # SQLITE_CORRUPT, SQLITE_NOTADB
                 13: FULL,  # SQLITE_FULL
                 14: CANNOT_OPEN}  # SQLITE_CANTOPEN
_ERRNO_KINDS = {errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EROFS: READ_ONLY, errno.EACCES: READ_ONLY,
                errno.EPERM: READ_ONLY}


def _driver_error(exc: BaseException) -> BaseException:
    """The sqlite3 (or OS) error under SQLAlchemy's wrapper, if there is one."""
    return getattr(exc, "orig", None) or exc


def error_kind(exc: BaseException, folder: Path | None = None) -> str | None:
    """Which kind of storage trouble `exc` is, or None when it is not about storage at all (a bug, say)."""
    if isinstance(exc, StorageError):
        return exc.kind
    inner = _driver_error(exc)
    kind = None
    if isinstance(inner, sqlite3.Error):
        if isinstance(inner, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
            return None  # the program's mistake, not the disk's
        code = getattr(inner, "sqlite_errorcode", None)
        kind = _SQLITE_KINDS.get(code & 0xFF) if isinstance(code, int) else None
        if kind is None:
            kind = _kind_from_words(str(inner)) or OTHER
    elif isinstance(inner, OSError):
        kind = _ERRNO_KINDS.get(inner.errno) or _kind_from_words(str(inner)) or OTHER
    else:
        return None
    if kind == CANNOT_OPEN and folder is not None and not _writable(folder):
        kind = READ_ONLY  # SQLite cannot make its journal files beside the database
    if kind == OTHER and isinstance(inner, sqlite3.Error) and folder is not None and _free(folder) < ROOM_BYTES:
        kind = FULL  # SQLite says only "disk I/O error" when it cannot make its -shm file on a full disk
    return kind


def _kind_from_words(text: str) -> str | None:
    low = text.lower()
    if "disk is full" in low or "no space" in low:
        return FULL
    if "readonly" in low or "read-only" in low:
        return READ_ONLY
    if "locked" in low or "busy" in low:
        return LOCKED
    if "malformed" in low or "not a database" in low:
        return DAMAGED
    if "unable to open" in low:
        return CANNOT_OPEN
    return None


def _existing(folder: Path) -> Path | None:
    """`folder`, or if it does not exist yet its nearest parent that does."""
    return next((p for p in (folder, *folder.parents) if p.exists()), None)


def _free(folder: Path) -> int:
    """Bytes free on the disk holding `folder` (a large number when that cannot be told)."""
    try:
        return shutil.disk_usage(_existing(folder) or folder).free
    except OSError:
        return 1 << 62


def _writable(folder: Path) -> bool:
    """Whether files can be made in `folder` (or, if it does not exist yet, in its nearest parent)."""
    existing = _existing(folder)
    return existing is not None and os.access(existing, os.W_OK)  # a read-only mount says no even to root


_MESSAGES = {
    FULL: "the disk is full{where}: free some space, then try again",
    READ_ONLY: "the data folder is read-only{where}: studyapp cannot save there",
    LOCKED: "another copy of studyapp kept the database busy for too long: try again",
    CANNOT_OPEN: "the database file cannot be opened{where}: check that the folder exists and is writable",
    DAMAGED: "the database file is damaged{where}",
}


_STOPPED: dict[Path, str] = {}  # data folders whose database was found damaged: why writes stopped


def writes_stopped(folder: Path, why: str | None) -> None:
    """Note (or, with None, forget) that writes to the database in `folder` were stopped, and why."""
    if why is None:
        _STOPPED.pop(Path(folder), None)
    else:
        _STOPPED[Path(folder)] = why


def plain_storage_error(exc: BaseException, folder: Path | None = None) -> str:
    """Turn SQLite's and the OS's error into words a student can act on."""
    if isinstance(exc, StorageError):
        return exc.message
    if folder is not None and (why := _STOPPED.get(Path(folder))):
        return why  # SQLite refused the write because the file was found damaged (store.db.stop_writes)
    kind = error_kind(exc, folder)
    where = f" ({folder})" if folder else ""
    if kind in _MESSAGES:
        return _MESSAGES[kind].format(where=where)
    inner = _driver_error(exc)
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror.lower() + (f" ({inner.filename})" if inner.filename else where)
    return str(inner)


def storage_error(exc: BaseException, folder: Path | None = None) -> StorageError | None:
    """`exc` as a StorageError with a plain message, or None when it is not a storage error."""
    if isinstance(exc, StorageError):
        return exc
    kind = error_kind(exc, folder)
    if kind is None:
        return None
    if folder is not None and Path(folder) in _STOPPED:
        kind = DAMAGED
    return StorageError(plain_storage_error(exc, folder), kind)


@contextmanager
def saving(folder: Path | None = None) -> Iterator[None]:
    """Run a write; an OS, sqlite3 or SQLAlchemy storage error leaves it as a StorageError (other errors pass)."""
    try:
        yield
    except StorageError:
        raise
    except Exception as exc:
        plain = storage_error(exc, folder)
        if plain is None:
            raise
        raise plain from exc


def check_room(folder: Path, needed: int = 0) -> None:
    """Raise StorageError unless files can be made in `folder` (or where it would be made) and its disk has
    `needed` bytes free and some to spare.

    Asked before a copy that would otherwise fail half way, and because SQLite says only "unable to
    open database file" or "disk I/O error" when it cannot make its -shm file beside a WAL database,
    which it needs even to read it.
    """
    where = f" ({folder})"
    if not _writable(folder):
        raise StorageError(_MESSAGES[READ_ONLY].format(where=where), READ_ONLY)
    if _free(folder) < needed + ROOM_BYTES:
        raise StorageError(_MESSAGES[FULL].format(where=where), FULL)

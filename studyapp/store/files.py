"""The database file: health checks, backups, restore, and storage errors in plain words.

Only the standard library's sqlite3 is used here.

Kept apart from SQLAlchemy so that the CLI and the start-up path can check a file and make
a backup without importing it. Backups use SQLite's online backup API, which copies a
consistent snapshot even while another copy of the app is writing.

Daily backups are named `daily-YYYY-MM-DD.db` (the study day's date) and the newest
KEEP_DAILY are kept; `studyapp backup` writes `manual-...db` and a restore first writes
`before-restore-...db`; those are never pruned, since the student asked for them.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from studyapp.store.errors import StorageError, plain_storage_error  # noqa: F401 - the write-error policy, named here too

KEEP_DAILY = 7
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


class DatabaseProblem(Exception):
    """The database file cannot be used as it is. `message` is in plain words for the student."""

    def __init__(self, path: Path, message: str, backup: Path | None = None):
        self.path = path
        self.message = message
        self.backup = backup  # the newest backup that passed its check, if any
        super().__init__(message)

    def advice(self) -> str:
        """What the student can do, in plain words (for the CLI; the TUI offers a button)."""
        lines = [f"{self.message}", f"Nothing was moved or overwritten: {self.path}"]
        if self.backup is not None:
            lines.append(f"The newest good backup is {self.backup.name} ({_mtime(self.backup)}). "
                         f"To go back to it: studyapp restore {self.backup}")
        else:
            lines.append("There is no good backup to go back to.")
        return "\n".join(lines)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    modified: datetime
    size: int


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


# --- checks -------------------------------------------------------------------------------
def quick_problem(path: Path) -> str | None:
    """A cheap check of the file's header and length (no full scan): a problem in plain words, or None.

    Catches a file that is not SQLite (say a deck saved over it) and one cut short (a copy that
    stopped half way). Runs at every start, so it must not read the whole file.
    """
    if not path.exists():
        return None  # a new database will be made
    try:
        size = path.stat().st_size
        if size == 0:
            return None  # SQLite treats an empty file as a new database
        with path.open("rb") as f:
            header = f.read(HEADER_SIZE)
    except OSError as exc:
        return f"Your study database {path} cannot be read: {exc.strerror or exc}."
    if not header.startswith(SQLITE_MAGIC[: len(header)]) or len(header) < len(SQLITE_MAGIC):
        return f"Your study database {path} is not an SQLite database (it may have been overwritten by another file)."
    if len(header) < HEADER_SIZE:
        return f"Your study database {path} is cut short: only {size} bytes, less than a database header."
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", header[28:32])[0]
    if page_size < 512 or page_size & (page_size - 1):
        return f"Your study database {path} has a damaged header (page size {page_size})."
    # The in-header page count is valid when the "version-valid-for" number matches the change counter.
    counter, valid_for = struct.unpack(">I", header[24:28])[0], struct.unpack(">I", header[92:96])[0]
    if counter == valid_for and pages and size < pages * page_size:
        return (f"Your study database {path} is cut short: it should be {pages * page_size:,} bytes "
                f"but is {size:,} (a copy or a disk may have stopped half way).")
    if size % page_size:
        return f"Your study database {path} is cut short or padded: {size:,} bytes is not whole pages."
    return None


def integrity_problem(path: Path) -> str | None:
    """SQLite's full `PRAGMA integrity_check` (about 1 s at 1,000,000 log rows): a problem, or None."""
    problem = quick_problem(path)
    if problem:
        return problem
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check(5)")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"Your study database {path} is damaged: SQLite says “{exc}”."
    if rows != ["ok"]:
        return f"Your study database {path} is damaged: SQLite's integrity check found: {'; '.join(rows)}."
    return None


# --- backups ------------------------------------------------------------------------------
def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob("*.db"):
        st = p.stat()
        found.append(BackupInfo(p, datetime.fromtimestamp(st.st_mtime), st.st_size))
    return sorted(found, key=lambda b: (b.modified, b.path.name), reverse=True)


def newest_good_backup(folder: Path) -> Path | None:
    for info in list_backups(folder):
        if integrity_problem(info.path) is None:
            return info.path
    return None


def copy_database(source: Path, target: Path) -> Path:
    """Copy `source` to `target` with the online backup API, atomically (a temp file, then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Named for this process: two copies of the app starting together both back up, and one wins.
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    try:
        _backup_into(source, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target


def _backup_into(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
    finally:
        src.close()


def daily_backup(db: Path, folder: Path, study_day: date) -> Path | None:
    """On the first start of a study day, back up `db` (if it is sound); keep the newest KEEP_DAILY.

    Returns the new backup, or None when today's exists or there is nothing to back up.
    Raises DatabaseProblem when the database fails its integrity check, so a damaged file
    never pushes a good backup out of the rotation.
    """
    target = folder / f"daily-{study_day.isoformat()}.db"
    if target.exists() or not db.exists() or db.stat().st_size == 0:
        return None
    problem = integrity_problem(db)
    if problem:
        raise DatabaseProblem(db, problem, newest_good_backup(folder))
    copy_database(db, target)
    for part in folder.glob("*.part"):  # left by a copy of the app killed half way through a backup
        if part.stat().st_mtime < target.stat().st_mtime - 3600:
            part.unlink(missing_ok=True)
    dailies = sorted(folder.glob("daily-*.db"), reverse=True)  # ISO dates sort by name
    for old in dailies[KEEP_DAILY:]:
        old.unlink()
    return target


def manual_backup(db: Path, folder: Path, now: datetime, prefix: str = "manual") -> Path:
    if not db.exists():
        raise FileNotFoundError(f"there is no database at {db} to back up")
    return copy_database(db, folder / f"{prefix}-{now.strftime('%Y%m%d-%H%M%S')}.db")


def restore(db: Path, backup: Path, folder: Path, now: datetime) -> Path | None:
    """Put `backup` in place of `db`. The current file is backed up first; returns that copy.

    A current file that SQLite cannot read (the reason to restore) is kept byte for byte.
    """
    problem = integrity_problem(backup)
    if problem:
        raise DatabaseProblem(backup, problem.replace("Your study database", "The backup"))
    saved: Path | None = None
    if db.exists():
        saved = folder / f"before-restore-{now.strftime('%Y%m%d-%H%M%S')}.db"
        if quick_problem(db) is None:
            try:
                copy_database(db, saved)
            except sqlite3.DatabaseError:
                saved = _raw_copy(db, saved)
        else:
            saved = _raw_copy(db, saved)
    copy_database(backup, db.with_name(db.name + ".restoring"))
    for suffix in ("-wal", "-shm"):  # the old file's journal must not be replayed onto the restored one
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.replace(db.with_name(db.name + ".restoring"), db)
    return saved


def _raw_copy(source: Path, target: Path) -> Path:
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target

"""The database file: health checks, backups, the open lock, and storage errors in plain words.

Only the standard library's sqlite3 is used here.

Kept apart from SQLAlchemy so that the CLI and the start-up path can check a file and make
a backup without importing it. Backups use SQLite's online backup API, which copies a
consistent snapshot even while another copy of the app is writing.

Daily backups are named `daily-YYYY-MM-DD.db` (the study day's date) and the newest
KEEP_DAILY are kept; `studyapp backup` writes `manual-...db` and a restore first writes
`before-restore-...db`; those are never pruned, since the student asked for them, and never
overwritten (two in the same second get `-2`, `-3` ...).

Every copy of the app holds a shared lock on `<data dir>/studyapp.lock` for as long as it has
the database open (OpenLock, taken by store.db's engine); a restore takes it exclusively or
refuses, so a file is never replaced under a copy that is still writing to it.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: there the lock is not taken, and restore does not check it
    fcntl = None  # type: ignore[assignment]

from studyapp import errors
from studyapp.errors import Contents, RestoreRefused
from studyapp.store.errors import StorageError, plain_storage_error, writes_stopped  # noqa: F401 - the write-error policy, named here too

KEEP_DAILY = 7
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
LOCK_NAME = "studyapp.lock"
OPEN_ELSEWHERE = "studyapp is open in another window; quit it there, then restore."


class DatabaseProblem(errors.DatabaseProblem):
    """studyapp.errors.DatabaseProblem, able to count the answers in the files it is about."""

    def __init__(self, path: Path, message: str, backup: Path | None = None) -> None:
        super().__init__(path, message, backup, read_contents)


def read_contents(path: Path) -> Contents:
    """Count the answers in `path` (with its write-ahead log), read-only, past a damaged index if need be."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return Contents(None, None)
    try:
        n, last = con.execute("SELECT count(*), max(reviewed_at) FROM review_log NOT INDEXED").fetchone()
    except sqlite3.Error:
        return Contents(None, None)
    finally:
        con.close()
    return Contents(int(n), datetime.fromtimestamp(last) if last is not None else None)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    modified: datetime
    size: int


# --- checks -------------------------------------------------------------------------------
def _wal_has_frames(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 32  # more than the WAL's own header
    except OSError:
        return False


def quick_problem(path: Path) -> str | None:
    """A cheap check of the file's header and length (no full scan): a problem in plain words, or None.

    Catches a file that is not SQLite (say a deck saved over it) and one cut short (a copy that
    stopped half way). Runs at every start, so it must not read the whole file. A file shorter
    than its header says is normal while its write-ahead log holds pages a checkpoint could not
    yet write (a full disk): then SQLite itself is asked, with the log, before anything is called
    damaged.
    """
    problem = _header_problem(path)
    if problem and problem.kind == "length" and _wal_has_frames(path):
        return sqlite_check(path, full=False)  # None when SQLite, reading the log too, finds it whole
    return problem.text if problem else None


@dataclass(frozen=True)
class _HeaderProblem:
    kind: str  # "length" for a file shorter (or longer) than its header says, else "header"
    text: str


def sqlite_check(path: Path, *, full: bool = True) -> str | None:
    """SQLite's `integrity_check` (full) or `quick_check` on `path` and its write-ahead log, read-only.

    quick_check reads every page (b-trees, free list, records) but does not match indexes to their
    tables: about a third of integrity_check's time. Returns a problem in plain words, or None.
    """
    pragma = "integrity_check" if full else "quick_check"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}(5)")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"Your study database {path} is damaged: SQLite says “{exc}”."
    if rows != ["ok"]:
        return f"Your study database {path} is damaged: SQLite's integrity check found: {'; '.join(rows)}."
    return None


def start_check_problem(path: Path) -> str | None:
    """The check made at every start, in the background after the first frame, while this process has
    the database open: SQLite's quick_check with the write-ahead log (the header was read before the
    database was opened; reading it again here would drop this process's locks, see integrity_problem).
    A problem in plain words, or None."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    return sqlite_check(path, full=False)


def _header_problem(path: Path) -> _HeaderProblem | None:
    if not path.exists():
        return None  # a new database will be made
    try:
        size = path.stat().st_size
        if size == 0:
            return None  # SQLite treats an empty file as a new database
        with path.open("rb") as f:
            header = f.read(HEADER_SIZE)
    except OSError as exc:
        return _HeaderProblem("header", f"Your study database {path} cannot be read: {exc.strerror or exc}.")
    if not header.startswith(SQLITE_MAGIC[: len(header)]) or len(header) < len(SQLITE_MAGIC):
        return _HeaderProblem("header", f"Your study database {path} is not an SQLite database "
                                        "(it may have been overwritten by another file).")
    if len(header) < HEADER_SIZE:
        return _HeaderProblem("header", f"Your study database {path} is cut short: only {size} bytes, "
                                        "less than a database header.")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", header[28:32])[0]
    if page_size < 512 or page_size & (page_size - 1):
        return _HeaderProblem("header", f"Your study database {path} has a damaged header (page size {page_size}).")
    # The in-header page count is valid when the "version-valid-for" number matches the change counter.
    counter, valid_for = struct.unpack(">I", header[24:28])[0], struct.unpack(">I", header[92:96])[0]
    if counter == valid_for and pages and size < pages * page_size:
        return _HeaderProblem("length", f"Your study database {path} is cut short: it should be "
                                        f"{pages * page_size:,} bytes but is {size:,} (a copy or a disk may have "
                                        "stopped half way).")
    if size % page_size:
        return _HeaderProblem("length", f"Your study database {path} is cut short or padded: {size:,} bytes "
                                        "is not whole pages.")
    return None


def integrity_problem(path: Path, header: bool = True) -> str | None:
    """SQLite's full `PRAGMA integrity_check` (about 1 s at 1,000,000 log rows): a problem, or None.

    `header=False` skips `quick_problem`, which opens the file itself: do that in a process that
    has the database open. Closing any other descriptor of the file drops all of this process's
    POSIX locks on it; another copy of the app closing its last connection then finds the file
    unlocked, checkpoints and deletes the write-ahead log this process is still writing to, and
    every answer this process commits after that is lost (found by bench/soak_two_copies.py).
    """
    return (quick_problem(path) if header else None) or sqlite_check(path, full=True)


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
    tmp = _part(target)
    try:
        _backup_into(source, tmp)
        _fsync(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    return target


def copy_database_as_new(source: Path, folder: Path, stem: str) -> Path:
    """Copy `source` into `folder` as `<stem>.db`, or `<stem>-2.db`, `-3` ... : never over an earlier file."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = _part(folder / f"{stem}.db")
    try:
        _backup_into(source, tmp)
        _fsync(tmp)
        return _link_as_new(tmp, folder, stem)
    finally:
        tmp.unlink(missing_ok=True)


def _part(target: Path) -> Path:
    # Named for this process and thread: two copies of the app starting together both back up, and one wins.
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.part")
    tmp.unlink(missing_ok=True)
    return tmp


def _link_as_new(tmp: Path, folder: Path, stem: str, suffix: str = ".db") -> Path:
    """Give the finished file `tmp` the first free name `<stem><suffix>`, `<stem>-2<suffix>` ...
    A hard link fails rather than replace, so two processes in the same second both keep theirs."""
    for n in range(1, 10_000):
        target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            os.link(tmp, target)
        except FileExistsError:
            continue
        _fsync_dir(folder)
        return target
    raise FileExistsError(f"no free name for {stem} in {folder}")


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new name in `folder` survive a power cut (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
    problem = integrity_problem(db, header=False)  # the app has it open: see integrity_problem
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
    return copy_database_as_new(db, folder, f"{prefix}-{now.strftime('%Y%m%d-%H%M%S')}")


# --- the open lock ------------------------------------------------------------------------
class OpenLock:
    """The shared lock this process holds on `<data dir>/studyapp.lock` while it has the database open.

    Counted: `hold()` for every connection opened, `let_go()` for every one closed; the lock is
    taken with the first and dropped with the last. A copy that crashes loses it with its process,
    so it never blocks a later restore. A restore (which holds the lock exclusively for the moment
    it replaces the file) makes `hold()` wait for it, up to `wait` seconds.
    """

    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = None
        self._users = 0
        self._mutex = threading.Lock()

    @property
    def held(self) -> bool:
        return self._users > 0

    def hold(self, wait: float = 30.0) -> None:
        with self._mutex:
            if self._users == 0:
                self._fd = _take_shared(self.path, wait)
            self._users += 1

    def let_go(self) -> None:
        with self._mutex:
            if self._users == 0:
                return
            self._users -= 1
            if self._users == 0 and self._fd is not None:
                os.close(self._fd)  # closing the file drops the lock
                self._fd = None


def _take_shared(path: Path, wait: float) -> int | None:
    if fcntl is None:
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        try:  # a read-only folder: the file may still be there to lock; if not, nothing can be restored there anyway
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise StorageError("a backup is being restored into the data folder; "
                                   "start studyapp again once it has finished") from None
            time.sleep(0.05)


@contextmanager
def exclusive_lock(data_dir: Path):  # noqa: ANN201
    """Hold the open lock exclusively, or raise RestoreRefused if any copy of the app has the database open."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise RestoreRefused(_as_refusal(exc, data_dir)) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RestoreRefused(OPEN_ELSEWHERE) from None
        yield
    finally:
        os.close(fd)


def _as_refusal(exc: BaseException, folder: Path) -> str:
    """A storage error as one sentence: "The disk is full (...): free some space, then try again." """
    text = plain_storage_error(exc, folder)
    return text[:1].upper() + text[1:].rstrip(".") + "."


def _storage_trouble(exc: BaseException) -> bool:
    low = str(exc).lower()
    return "full" in low or "readonly" in low or "read-only" in low or "unable to open" in low

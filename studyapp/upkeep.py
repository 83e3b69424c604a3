"""The front ends' narrow door to the database file: close it, checkpoint it, check it, restore a backup,
and say an error in plain words.

The TUI does not import studyapp.store (import-linter checks it) and nothing outside the store
touches the engine: an open StudyService's `file` (a DataFile) does what the front ends need.
Each import of the store is inside a function, so importing this module loads nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import paths
from studyapp.errors import DatabaseProblem

if TYPE_CHECKING:
    from studyapp.store.repository import Repository


def plain_storage_error(exc: BaseException, folder: Path | None = None) -> str:
    """SQLite's or the OS's error in words a student can act on (see store.errors)."""
    from studyapp.store import errors

    return errors.plain_storage_error(exc, folder)


def restore_backup(problem: DatabaseProblem, now: datetime) -> Path | None:
    """Put the problem's backup in place of the damaged file, which is kept beside the backups (its
    new path is returned). Raises RestoreRefused, changing nothing (see store.restoring.restore)."""
    from studyapp.store.restoring import restore

    assert problem.backup is not None
    return restore(problem.path, problem.backup, problem.backup.parent, now)


class DataFile:
    """The open database file of a StudyService."""

    def __init__(self, repo: Repository, data_dir: Path | None) -> None:
        self._repo = repo
        self._engine = repo.engine
        self.data_dir = data_dir

    def close(self) -> None:
        """Copy the write-ahead log into the database file and let the file go (at quit, or before a restore)."""
        from studyapp.store.db import close_engine

        close_engine(self._engine)

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file if no other copy is reading it; True if done."""
        from studyapp.store.db import checkpoint

        return checkpoint(self._engine)

    def stop_writes(self, why: str) -> None:
        """Refuse every write from now on, saying `why` (the file was found damaged)."""
        from studyapp.store.db import stop_writes

        stop_writes(self._engine, why)

    def check(self) -> None:
        """The start's check of the database file (SQLite's quick_check); raises DatabaseProblem."""
        from studyapp.store.files import DatabaseProblem, newest_good_backup, start_check_problem

        assert self.data_dir is not None
        db = paths.database_path(self.data_dir)
        if problem := start_check_problem(db):
            raise DatabaseProblem(db, problem, newest_good_backup(paths.backups_dir(self.data_dir)))

    def review_count(self) -> int:
        """How many answers the log holds."""
        return self._repo.review_count()

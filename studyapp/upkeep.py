"""The front ends' narrow door to the database file: words for an error, and restoring a backup.

The TUI does not import studyapp.store (import-linter checks it); what it needs of the file
beyond StudyService (close, checkpoint, the start check) is here. Each import of the store is
inside the function, so importing this module loads nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from studyapp.errors import DatabaseProblem


def plain_storage_error(exc: BaseException, folder: Path | None = None) -> str:
    """SQLite's or the OS's error in words a student can act on (see store.errors)."""
    from studyapp.store import errors

    return errors.plain_storage_error(exc, folder)


def restore_backup(problem: DatabaseProblem, now: datetime) -> Path | None:
    """Put the problem's backup in place of the damaged file, which is kept beside the backups (its
    new path is returned). Raises RestoreRefused, changing nothing (see store.files.restore)."""
    from studyapp.store.files import restore

    assert problem.backup is not None
    return restore(problem.path, problem.backup, problem.backup.parent, now)

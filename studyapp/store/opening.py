"""Opening the database in a data folder: made if need be, checked, migrated, with the stores over it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from studyapp import paths
from studyapp.core.models import CardProgress
from studyapp.errors import StorageError
from studyapp.store.db import make_engine
from studyapp.store.errors import plain_storage_error
from studyapp.store.essays import EssayStore
from studyapp.store.files import DatabaseProblem, newest_good_backup, quick_problem
from studyapp.store.migrations import migrate
from studyapp.store.repository import Repository


@dataclass
class OpenedDatabase:
    repo: Repository
    essays: EssayStore
    progress: dict[tuple[str, str], CardProgress]  # every card's progress, read as the file was opened


def open_database(data_dir: Path) -> OpenedDatabase:
    """Open (creating if need be) the database in `data_dir`.

    Raises DatabaseProblem (plain words, and the newest good backup) when the file is not a
    usable database, and StorageError when the folder cannot be written; it moves nothing.
    """
    db = paths.database_path(data_dir)
    try:
        paths.ensure_dir(data_dir)
    except OSError as exc:
        raise StorageError(f"cannot make the data folder {data_dir}: {exc.strerror or exc}") from exc
    problem = quick_problem(db)
    if problem:
        raise DatabaseProblem(db, problem, newest_good_backup(paths.backups_dir(data_dir)))
    engine = make_engine(db)
    try:
        migrate(engine)
        repo = Repository(engine)
        progress = repo.load_progress()
    except OperationalError as exc:
        engine.dispose()
        raise StorageError(plain_storage_error(exc, data_dir)) from exc
    except DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
        engine.dispose()
        raise DatabaseProblem(
            db,
            f"Your study database {db} is damaged: SQLite says “{exc.orig}”.",
            newest_good_backup(paths.backups_dir(data_dir)),
        ) from exc
    return OpenedDatabase(repo, EssayStore(engine), progress)

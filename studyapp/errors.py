"""The problems a student can act on, in one family: each has a `title` and a plain `message`.

The app shows `title` over `message` (a notification, or a screen for a damaged database); the
command line prints `message` on stderr and exits with status 1. Standard library only, so the
front ends name these errors without loading the store (store.errors says which storage trouble
an OS or SQLite error is, and words it; every write goes through its `saving` block).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

# What kind of storage trouble a StorageError is
READ_ONLY = "read-only"
FULL = "full"
LOCKED = "locked"
DAMAGED = "damaged"
CANNOT_OPEN = "cannot-open"
OTHER = "other"


class StudyError(Exception):
    """A problem said in plain words: `str()` is the message, `title` names the kind of problem."""

    title: ClassVar[str] = "Something went wrong"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StorageError(StudyError, OSError):
    """Progress could not be saved (or read). `kind` is one of the constants above. Nothing was saved."""

    title = "Not saved"

    def __init__(self, message: str, kind: str = OTHER) -> None:
        super().__init__(message)
        self.kind = kind


class LockBusy(StorageError):
    """Another copy held the write lock for longer than the write would wait. Nothing was written."""

    def __init__(
        self, message: str = "another copy of studyapp is saving and has not finished yet: nothing was saved, try again"
    ) -> None:
        super().__init__(message, LOCKED)


class WaitStopped(StorageError):
    """The student stopped waiting for another copy (Escape). Nothing was written."""

    def __init__(self, message: str = "you stopped waiting for another copy of studyapp: nothing was saved") -> None:
        super().__init__(message)


class CannotUndo(StudyError):
    """An answer that cannot be taken back; the message says why. Nothing changed."""

    title = "Cannot undo"


class RestoreRefused(StudyError):
    """A restore was not done, and nothing was changed. The message is one line."""

    title = "Not restored"


@dataclass(frozen=True)
class Contents:
    """How many answers a database file holds and when the last was given, as far as it can be read."""

    answers: int | None  # None: the log could not be read
    last_answer: datetime | None

    def describe(self) -> str:
        if self.answers is None:
            return "its answers cannot be read"
        if not self.answers:
            return "no answers"
        when = f", the last on {self.last_answer:%a %d %b %Y, %H:%M}" if self.last_answer else ""
        return f"{self.answers:,} answer{'s' if self.answers != 1 else ''}{when}"


UNREADABLE = Contents(None, None)


def _unreadable(path: Path) -> Contents:
    return UNREADABLE


class DatabaseProblem(StudyError):
    """The database file cannot be used as it is; `backup` is the newest backup that passed its check.

    `read_contents` counts a file's answers (store.files gives it; the store's DatabaseProblem
    passes it), so that this family needs nothing but the standard library.
    """

    title = "Your study database cannot be used"

    def __init__(
        self,
        path: Path,
        message: str,
        backup: Path | None = None,
        read_contents: Callable[[Path], Contents] = _unreadable,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
        self._read_contents = read_contents
        self._sides: tuple[Contents, Contents | None] | None = None

    def sides(self) -> tuple[Contents, Contents | None]:
        """What the damaged file (as far as it can be read) and the backup hold. Reads both files
        (a count over the log), so call it off the UI thread; the answer is kept."""
        if self._sides is None:
            self._sides = (self._read_contents(self.path), self._read_contents(self.backup) if self.backup else None)
        return self._sides

    def restore_loses(self) -> int:
        """How many answers that can still be read from the file the backup does not have (0 if none)."""
        current, backup = self.sides()
        if backup is None or current.answers is None or backup.answers is None:
            return 0
        return max(0, current.answers - backup.answers)

    def advice(self) -> str:
        """What the student can do, in plain words (for the CLI; the TUI offers a button)."""
        current, backup = self.sides()
        lines = [f"{self.message}", f"Nothing was moved or overwritten: {self.path} ({current.describe()})"]
        if self.backup is not None and backup is not None:
            lines.append(f"The newest good backup is {self.backup.name} ({_mtime(self.backup)}; {backup.describe()}).")
            if lost := self.restore_loses():
                lines.append(
                    f"Restoring it would lose {lost:,} answers that can still be read from your file "
                    "(the file would be kept in the backups folder)."
                )
            lines.append(f"To go back to it: studyapp restore {self.backup}")
        else:
            lines.append("There is no good backup to go back to.")
        return "\n".join(lines)


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")

"""Shown when the study database cannot be used: what is wrong, in plain words, and the way back.

Nothing has been moved or overwritten when this shows. Both sides are shown before anything
is chosen: how many answers the file still holds (as far as it can be read) and how many the
newest good backup holds, with their dates. The student chooses: quit and look for themselves
(the focused button, so Enter never restores), or restore the backup (the damaged file is kept
beside the backups first). Dismisses with True for "restore".
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from studyapp.tui.screens.base import StudyModal

if TYPE_CHECKING:
    from studyapp.errors import Contents, DatabaseProblem


class DatabaseProblemScreen(StudyModal[bool]):
    BINDINGS = [
        Binding("escape", "quit_app", "Quit", id="problem.quit"),
        Binding("r", "restore", "Restore backup", id="problem.restore"),
    ]
    AUTO_FOCUS = "#problem-quit"  # never the restore: Enter must not put an old backup over the file

    def __init__(self, problem: DatabaseProblem, current: Contents, backup: Contents | None) -> None:
        """`current` and `backup` are what the file and the backup hold (DatabaseProblem.sides(),
        read off the UI thread)."""
        super().__init__()
        self.problem = problem
        self.current = current
        self.backup_contents = backup

    @property
    def backup(self):  # noqa: ANN201 - the backup's Path, or None
        return self.problem.backup

    def lost(self) -> int:
        """Answers the file still holds that the backup does not."""
        if self.backup_contents is None or self.current.answers is None or self.backup_contents.answers is None:
            return 0
        return max(0, self.current.answers - self.backup_contents.answers)

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static("Your study data cannot be opened", id="problem-title")
            yield Static(self.problem.message, id="problem-message")
            yield Static(f"Your file holds {self.current.describe()}. Nothing has been moved or overwritten: "
                         f"{self.problem.path}", id="problem-safe")
            if self.backup is not None and self.backup_contents is not None:
                made = datetime.fromtimestamp(self.backup.stat().st_mtime)
                text = (f"The newest good backup ({self.backup.name}, made {made:%a %d %b %Y, %H:%M}) holds "
                        f"{self.backup_contents.describe()}. ")
                if lost := self.lost():
                    text += (f"Restoring it would lose {lost:,} answers that can still be read from your file "
                             "(the file is kept in the backups folder either way).")
                else:
                    text += "Restoring it keeps the damaged file in the backups folder."
                yield Static(text, id="problem-backup")
            else:
                yield Static("There is no good backup to go back to.", id="problem-backup")
            with Horizontal(id="problem-buttons"):
                yield Button("Quit", id="problem-quit", variant="primary")
                if self.backup is not None:
                    lost = self.lost()
                    label = f"Restore anyway (loses {lost:,} answers)" if lost else "Restore the backup"
                    yield Button(label, id="problem-restore", variant="warning" if lost else "default")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self.backup is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "problem-restore":
            self.action_restore()
        else:
            self.action_quit_app()

    def action_restore(self) -> None:
        if self.backup is not None:
            self.dismiss(True)

    def action_quit_app(self) -> None:
        self.dismiss(False)

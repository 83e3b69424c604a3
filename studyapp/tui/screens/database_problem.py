"""Shown when the study database cannot be used: what is wrong, in plain words, and the way back.

Nothing has been moved or overwritten when this shows. The student chooses: restore the newest
good backup (the damaged file is kept beside the backups first) or quit and look for themselves.
Dismisses with True for "restore".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class DatabaseProblemScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "quit_app", "Quit", id="problem.quit"),
        Binding("r", "restore", "Restore backup", id="problem.restore"),
    ]

    def __init__(self, message: str, path: Path, backup: Path | None) -> None:
        super().__init__()
        self.message = message
        self.path = path
        self.backup = backup

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static("Your study data cannot be opened", id="problem-title")
            yield Static(self.message, id="problem-message")
            yield Static(f"Nothing has been moved or overwritten. The file is {self.path}", id="problem-safe")
            if self.backup is not None:
                made = datetime.fromtimestamp(self.backup.stat().st_mtime)
                yield Static(f"The newest good backup is from {made:%A %d %B %Y, %H:%M} ({self.backup.name}). "
                             "Restoring it keeps the damaged file in the backups folder.", id="problem-backup")
            else:
                yield Static("There is no good backup to go back to.", id="problem-backup")
            with Horizontal(id="problem-buttons"):
                if self.backup is not None:
                    yield Button("Restore the backup", id="problem-restore", variant="primary")
                yield Button("Quit", id="problem-quit")

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

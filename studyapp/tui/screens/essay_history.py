"""Every attempt at one essay prompt, newest first; Enter shows an attempt's points again."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from studyapp.core.essays import EssayAttempt, EssayPrompt
from studyapp.tui.formatting import count, minutes_seconds
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer


class EssayHistoryScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("enter", "open", "Show result", id="history.open",
                tooltip="Show the marking of the highlighted attempt"),
        Binding("w", "write", "Write again", id="history.write", tooltip="Write this prompt again"),
        Binding("escape", "back", "Essays", id="history.back", tooltip="Back to the essay prompts"),
    ]

    def __init__(self, prompt: EssayPrompt) -> None:
        super().__init__()
        self.prompt = prompt
        self.attempts: list[EssayAttempt] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history"):
            yield Static(escape(self.prompt.prompt), id="history-prompt")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="history-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.attempts = self.service.essays.essay_attempts(self.prompt.id)
        table = self.query_one(DataTable)
        for label in ("When", "Score", "Covered", "Partly", "Missed", "Time"):
            table.add_column(label, key=label.lower())
        for a in self.attempts:
            table.add_row(f"{a.submitted_at.astimezone():%d %b %Y %H:%M}", f"{a.score:.0%}",
                          str(a.statuses.count("covered")), str(a.statuses.count("partly")),
                          str(a.statuses.count("missed")), minutes_seconds(a.seconds), key=str(a.id))
        self.query_one("#history-hint", Static).update(
            count(len(self.attempts), "attempt") if self.attempts else "No attempts yet: w to write one")
        table.focus()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.attempts:
            return
        attempt = self.attempts[table.cursor_row]
        # Scoring is deterministic, so the stored text gives the same points back.
        self.app.show("essay_result", self.prompt, self.service.essays.score_essay(self.prompt, attempt.text), attempt)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_write(self) -> None:
        self.app.show("essay", self.prompt, replace=True)

    def action_back(self) -> None:
        self.app.pop_screen()

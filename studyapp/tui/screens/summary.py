"""The end of a session: how many cards, how many right, how long, and when the next are due."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Static

from studyapp.service import Session
from studyapp.tui.formatting import when
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer


class SummaryScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("enter", "home", "Home", id="summary.home", tooltip="Back to the decks"),
        Binding("escape", "home", "Home", id="summary.back", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        stats = self.session.stats
        service = self.session.service
        now = service.clock()
        minutes, seconds = divmod(round(stats.seconds), 60)
        titles = [d.title for i in self.session.deck_ids if (d := service.decks.deck(i))]
        yield Header()
        with Vertical(id="summary"):
            yield Static("Session complete" if not self.session.remaining else "Session ended", id="summary-title")
            yield Static(self.session.title or (", ".join(titles) if len(titles) <= 3 else f"{len(titles)} decks"),
                         id="summary-decks")
            yield Static(
                f"Cards answered   {stats.answered}\n"
                + (f"Correct          {stats.correct_share:.0%} ({stats.correct} of {stats.answered})\n"
                   if stats.answered else "Correct          - (no cards answered)\n") +
                f"Time             {minutes}m {seconds:02d}s\n"
                f"Next cards due   {when(self.session.next_due(), now)}",
                id="summary-body")
            yield Static("Enter: back to your decks", id="summary-hint")
        yield Footer()

    def action_home(self) -> None:
        self.app.go_home()

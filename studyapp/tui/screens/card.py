"""One card in full: its text, source, progress and every answer given to it."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from studyapp.core.models import Card, LearnState, Rating
from studyapp.service import StorageError
from studyapp.tui.formatting import count, describe_sources
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer


class CardScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="card.back", tooltip="Back"),
        Binding("r", "reset_leech", "Reset leech", id="card.reset",
                tooltip="Reset this leech, so it comes back into sessions"),
    ]

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        service = self.service
        card = self.card
        deck = service.decks.deck(card.deck_id)
        yield Header()
        with VerticalScroll(id="card-detail"):
            yield Static(f"{escape(deck.title if deck else card.deck_id)} · {card.facet} · {card.kind.value} · "
                         f"id {escape(card.id)}", id="detail-meta")
            yield Static(escape(card.front), id="detail-front")
            yield Static(escape(card.answer_text), id="detail-back")
            if card.answers:
                yield Static("[b]Accepted answers[/] " + escape(" · ".join(card.answers)), id="detail-answers")
            if card.note:
                yield Static(f"[b]Note[/] {escape(card.note)}", id="detail-note")
            yield Static(f"[b]Source[/] {escape(describe_sources(card, service.decks.sources)) or '-'}",
                         id="detail-source")
            yield Static(self._progress_line(), id="detail-progress")
            yield DataTable(id="card-history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _progress_line(self) -> str:
        p = self.service.progress_of(self.card)
        if p.state is LearnState.NEW:
            return "[b]Progress[/] new: never answered"
        due = f"{p.due.astimezone():%Y-%m-%d %H:%M}" if p.due else "-"
        return (f"[b]Progress[/] {p.state.name.lower()} · due {due} · stability {p.stability or 0:.1f} d · "
                f"{count(p.reps, 'answer')} · {count(p.lapses, 'lapse')}" + (" · [b red]LEECH[/] (r resets)" if p.leech else ""))

    def on_mount(self) -> None:
        table = self.query_one("#card-history", DataTable)
        for label in ("When", "Mode", "Rating", "Typed", "Similarity"):
            table.add_column(label, key=label.lower())
        history = self.service.card_history(self.card)
        for r in reversed(history):  # newest first
            table.add_row(f"{r.reviewed_at.astimezone():%Y-%m-%d %H:%M}", r.mode, Rating(r.rating).name.title(),
                          Text(r.typed or "", no_wrap=True, overflow="ellipsis", end=""),  # typed: never markup
                          "" if r.similarity is None else f"{r.similarity:.0f}%")
        table.border_title = f"{len(history)} answers"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reset_leech":
            return self.service.progress_of(self.card).leech
        return True

    def action_reset_leech(self) -> None:
        try:
            self.service.reset_leech(self.card)
        except StorageError as exc:
            self.notify(f"The leech was NOT reset: {exc}.", title="Could not save", severity="error", timeout=10)
            return
        self.query_one("#detail-progress", Static).update(self._progress_line())
        self.notify("Leech reset: the card is back in normal sessions")
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.pop_screen()

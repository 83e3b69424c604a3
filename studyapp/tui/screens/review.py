"""The review screen: front, Space for the back, 1-4 to rate; `t` to type answers; `u` to undo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from studyapp.core.grading import grade_typed_answer
from studyapp.core.models import AnswerResult, Card, CardKind, Rating
from studyapp.service import Session, monotonic_ms
from studyapp.tui.widgets.card_view import CardView
from studyapp.tui.widgets.rating_bar import RatingBar


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("space", "show_answer", "Show answer", id="review.show"),
        Binding("1", "rate(1)", "Again", id="review.again", show=False),
        Binding("2", "rate(2)", "Hard", id="review.hard", show=False),
        Binding("3", "rate(3)", "Good", id="review.good", show=False),
        Binding("4", "rate(4)", "Easy", id="review.easy", show=False),
        Binding("enter", "accept", "Accept", id="review.accept"),
        Binding("t", "toggle_typed", "Type answers", id="review.typed"),
        Binding("ctrl+t", "toggle_typed", "Flip cards", id="review.flip", show=False),
        Binding("u,ctrl+z", "undo", "Undo", id="review.undo", key_display="u"),
        Binding("escape", "finish", "End session", id="review.finish"),
    ]

    def __init__(self, session: Session, typed: bool = False) -> None:
        super().__init__()
        self.session = session
        self.typed = typed
        self.card: Card | None = None
        self.answer_shown = False
        self.result: AnswerResult | None = None
        self.typed_text: str | None = None
        self.shown_at = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review"):
            with Horizontal(id="session-bar"):
                yield ProgressBar(id="session-progress", show_eta=False, show_percentage=False)
                yield Static(id="session-count")
            yield CardView(id="card")
            yield Input(placeholder="Type your answer, then Enter (Ctrl+T: back to flipping)", id="typed")
            yield RatingBar(id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        self._advance(self.session.next_card())

    # --- showing --------------------------------------------------------------------------
    def _advance(self, card: Card | None) -> None:
        if card is None:
            self._finish()
            return
        self.card = card
        self.answer_shown = False
        self.result = None
        self.typed_text = None
        self.shown_at = monotonic_ms()
        deck = self.session.service.decks.deck(card.deck_id)
        self.query_one(CardView).show_front(card, deck.title if deck else card.deck_id)
        self.query_one(RatingBar).show(None)
        typed_input = self.query_one("#typed", Input)
        typed_input.value = ""
        typed_input.remove_class("-graded")
        typed_input.placeholder = ("Type the items, one per line or separated by commas, then Enter"
                                   if card.kind is CardKind.LIST else
                                   "Type your answer, then Enter (Ctrl+T: back to flipping)")
        self._show_typed_input()
        self._update_progress()

    def _update_progress(self) -> None:
        done = self.session.done
        total = done + self.session.remaining
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        title = f"{self.session.title} · " if self.session.title else ""
        self.query_one("#session-count", Static).update(f"{title}{done}/{total} · {self.session.remaining} left")

    def _reveal(self) -> None:
        assert self.card is not None
        self.answer_shown = True
        self.query_one(CardView).show_back(self.card, self.session.service.decks.sources, self.result,
                                           self.typed_text)
        suggested = self.result.suggested if self.result else None
        self.query_one(RatingBar).show(self.session.intervals(self.card), suggested)
        typed_input = self.query_one("#typed", Input)
        typed_input.disabled = True
        typed_input.add_class("-graded")  # the result shows what was typed; give the card the room
        self.query_one(CardView).focus()
        self.refresh_bindings()

    # --- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_answer":
            return not self.answer_shown and not self.typed
        if action in ("rate", "accept"):
            return True if self.answer_shown else None  # None: shown dimmed
        if action == "undo":
            return True if self.session.history else None
        return True

    def action_show_answer(self) -> None:
        if self.card is not None and not self.answer_shown:
            self._reveal()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.card is None or self.answer_shown:
            return
        self.typed_text = event.value
        self.result = grade_typed_answer(self.card, event.value)
        self._reveal()

    def action_accept(self) -> None:
        if not self.answer_shown:
            return
        self.action_rate(int(self.result.suggested if self.result else Rating.GOOD))

    def on_rating_bar_rated(self, message: RatingBar.Rated) -> None:
        self.action_rate(int(message.rating))

    def action_rate(self, rating: int) -> None:
        if self.card is None or not self.answer_shown:
            return
        duration = monotonic_ms() - self.shown_at
        try:
            self.session.answer(Rating(rating), mode="typed" if self.result else "flip",
                                typed=self.typed_text,
                                similarity=self.result.similarity if self.result else None,
                                duration_ms=duration)
        except Exception as exc:  # the answer is not saved: say so and keep the card on screen
            self.notify(f"Your answer was NOT saved: {exc}. Try again, or press Escape.",
                        title="Could not save", severity="error", timeout=10)
            return
        self._advance(self.session.next_card())

    def action_toggle_typed(self) -> None:
        self.typed = not self.typed
        if self.answer_shown or self.card is None:
            self.notify("Typed answers on" if self.typed else "Typed answers off")
            return
        self._show_typed_input()

    def _show_typed_input(self) -> None:
        """Show and focus the answer box in typed mode; hide it when flipping."""
        typed_input = self.query_one("#typed", Input)
        typed_input.set_class(not self.typed, "-off")
        typed_input.disabled = not self.typed
        if self.typed:
            typed_input.focus()
        else:
            self.query_one(CardView).focus()
        self.refresh_bindings()

    def action_undo(self) -> None:
        try:
            card = self.session.undo()
        except OSError as exc:  # StorageError: the answer stays saved and on record
            self.notify(f"Could not undo: {exc}", title="Could not save", severity="error", timeout=10)
            return
        if card is None:
            return
        self.notify("Last answer undone")
        self._advance(card)

    def action_finish(self) -> None:
        self._finish()

    def _finish(self) -> None:
        from studyapp.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session))

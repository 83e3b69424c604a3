"""The review screen: front, Space for the back, 1-4 to rate; `t` to type answers; `u` to undo.

An answer is saved on this thread when the database is free (the usual case, well under a
millisecond). When another copy of studyapp is saving, the write waits in a worker thread
instead: the screen says so, keys keep working, Escape stops the wait (the answer then stays
on screen, unsaved), and the answer counts only once it is committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from studyapp.core.models import AnswerResult, Card, CardKind, Rating
from studyapp.service import Session, monotonic_ms
from studyapp.tui.formatting import count, key_name
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.card_view import CardView
from studyapp.tui.widgets.footer import Footer
from studyapp.tui.widgets.rating_bar import RatingBar
from studyapp.writing import NO_WAIT, CannotUndo, LockBusy, LockWait, WaitStopped

WAITING = "Waiting for another copy of studyapp to finish saving… (Escape: stop waiting)"
STOPPING = "Stopping the wait…"
STOPPED = ("You stopped waiting, so this answer was NOT saved. Rate it again to save it, "
           "or press Escape to end the session without it.")
Write = Callable[..., Any]  # a Session method that writes, taking `wait=`


class ReviewScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("space", "show_answer", "Show answer", id="review.show", tooltip="Show the answer (flipping mode)"),
        Binding("1", "rate(1)", "Again", id="review.again",
                tooltip="Again: you did not know it; it comes back in a few minutes", show=False),
        Binding("2", "rate(2)", "Hard", id="review.hard", tooltip="Hard: you knew it with difficulty", show=False),
        Binding("3", "rate(3)", "Good", id="review.good", tooltip="Good: you knew it", show=False),
        Binding("4", "rate(4)", "Easy", id="review.easy",
                tooltip="Easy: you knew it at once; a longer interval", show=False),
        Binding("enter", "accept", "Accept", id="review.accept",
                tooltip="Accept the suggested rating (after a typed answer) or Good"),
        # In typed mode the answer box takes letters and Space, so the keys that leave it and undo are
        # the Ctrl ones, and the footer shows those (check_action picks the pair that acts).
        Binding("t", "typed(True)", "Type answers", id="review.typed",
                tooltip="Type your answers instead of flipping; they are graded"),
        Binding("ctrl+t", "typed(False)", "Flip cards", id="review.flip",
                tooltip="Back to flipping cards (the answer box takes letters and Space)"),
        Binding("u", "undo(False)", "Undo", id="review.undo", tooltip="Undo the last answer: that card comes back"),
        Binding("ctrl+z", "undo(True)", "Undo", id="review.undo-typed",
                tooltip="Undo the last answer: that card comes back"),
        Binding("escape", "finish", "End session", id="review.finish",
                tooltip="End the session and see its summary; every answer is already saved"),
    ]

    def __init__(self, session: Session, typed: bool = False) -> None:
        super().__init__()
        self.session = session
        self.typed = typed
        self.card: Card | None = None
        self.answer_shown = False
        self.result: AnswerResult | None = None
        self.typed_text: str | None = None
        self.confused: Card | None = None  # the card whose answer the wrong typed answer was
        self.shown_at = 0
        self.saving: str | None = None  # "answer" or "undo" while a write waits for another copy
        self._stop_waiting = threading.Event()

    def _rating_keys(self) -> dict[Rating, str]:
        """The rating keys the student's keymap moved, as the buttons show them."""
        ids = {Rating.AGAIN: "review.again", Rating.HARD: "review.hard", Rating.GOOD: "review.good",
               Rating.EASY: "review.easy"}
        keymap = self.app.keymap
        return {rating: key_name(keymap[i].split(",")[0]) for rating, i in ids.items() if i in keymap}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review"):
            with Horizontal(id="session-bar"):
                yield ProgressBar(id="session-progress", show_eta=False, show_percentage=False)
                yield Static(id="session-count")
            yield CardView(id="card")
            yield Static("", id="contrast")  # a confusion, or in a side-by-side drill the other card
            yield Input(placeholder="Type your answer, then Enter (Ctrl+T: back to flipping)", id="typed")
            yield Static("", id="save-status")
            yield RatingBar(self._rating_keys(), id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        self.app.clear_notifications()  # "Opening your progress…" and the like would sit on the buttons
        self._advance(self.session.next_card())
        self._index_answers()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _index_answers(self) -> None:
        """Build the answer index confusions are looked up in before the first wrong typed answer needs
        it (~0.6 s at 100,000 cards, bench/plan.py; a few ms for the bundled decks)."""
        _ = self.session.service.confusions.index

    # --- showing --------------------------------------------------------------------------
    def _advance(self, card: Card | None) -> None:
        if card is None:
            self._finish()
            return
        self.card = card
        self.answer_shown = False
        self.result = None
        self.typed_text = None
        self.confused = None
        self.shown_at = monotonic_ms()
        self._say(None)
        self.query_one("#contrast", Static).display = False
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
        progress = self.session.progress()
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.done)
        title = f"{self.session.title} · " if self.session.title else ""
        again = f" ({progress.relearning} again later)" if progress.relearning else ""
        self.query_one("#session-count", Static).update(
            f"{title}{progress.done} of {count(progress.total, 'card')} done · {progress.to_go} to go{again}")

    def _reveal(self) -> None:
        assert self.card is not None
        self.answer_shown = True
        self.query_one(CardView).show_back(self.card, self.session.service.decks.sources, self.result,
                                           self.typed_text)
        suggested = self.result.suggested if self.result else None
        self.query_one(RatingBar).show(self.session.intervals(self.card), suggested)
        self._show_contrast()
        typed_input = self.query_one("#typed", Input)
        typed_input.disabled = True
        typed_input.add_class("-graded")  # the result shows what was typed; give the card the room
        self.query_one(CardView).focus()
        self.refresh_bindings()

    # --- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.saving and action in ("show_answer", "rate", "accept", "typed", "undo"):
            return None  # shown dimmed until the write in progress ends (Escape stops it)
        if action == "typed":
            return parameters[0] != self.typed  # "t" while flipping, "Ctrl+T" while typing
        if action == "show_answer":
            return not self.answer_shown and not self.typed
        if action in ("rate", "accept"):
            return True if self.answer_shown else None  # None: shown dimmed
        if action == "undo":
            if parameters and parameters[0] != self.typed:
                return False  # the other undo key is the one for this mode
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
        self.result = self.session.service.essays.grade_typed(self.card, event.value)
        self.confused = self.session.service.confusions.detect(self.card, event.value, self.result)
        self._reveal()

    def _show_contrast(self) -> None:
        """After the reveal: "that is the answer to ..." on a confusion; in a side-by-side drill, the
        other card of the pair with its answer."""
        assert self.card is not None
        line = self.query_one("#contrast", Static)
        other_key = self.session.contrasts.get(self.card.key)
        other = self.session.service.decks.card(*other_key) if other_key else None
        if self.confused is not None:
            text = Text.assemble(("That is the answer to: ", "bold"), self.confused.front, " → ",
                                 self.confused.answer_text.replace("\n", "; "))
        elif other is not None:
            text = Text.assemble(("Not to be confused with: ", "bold"), other.front, " → ",
                                 other.answer_text.replace("\n", "; "))
        else:
            line.display = False
            return
        line.update(text)
        line.display = True

    def action_accept(self) -> None:
        if not self.answer_shown:
            return
        self.action_rate(int(self.result.suggested if self.result else Rating.GOOD))

    def on_rating_bar_rated(self, message: RatingBar.Rated) -> None:
        self.action_rate(int(message.rating))

    def action_rate(self, rating: int) -> None:
        if self.card is None or not self.answer_shown or self.saving:
            return
        duration = monotonic_ms() - self.shown_at

        def save(wait: LockWait) -> object:
            return self.session.save_answer(Rating(rating), mode="typed" if self.result else "flip",
                                            typed=self.typed_text,
                                            similarity=self.result.similarity if self.result else None,
                                            duration_ms=duration, wait=wait,
                                            confused_with=self.confused.key if self.confused else None)

        self._write("answer", save)

    # --- writing, and waiting for another copy ----------------------------------------------
    def _write(self, kind: str, write: Write) -> None:
        """Write now if the database is free; if another copy is saving, wait in a worker thread."""
        self._say(None)
        try:
            result = write(wait=NO_WAIT)
        except LockBusy:
            self.saving = kind
            self._stop_waiting.clear()
            self._say(WAITING, "-waiting")
            self.refresh_bindings()
            self._wait_and_write(write)
            return
        except Exception as exc:  # noqa: BLE001 - shown in plain words, never a traceback
            self._failed(kind, exc)
            return
        self._written(kind, result)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _wait_and_write(self, write: Write) -> object:
        worker = get_current_worker()
        return write(wait=LockWait(seconds=None, stop=lambda: self._stop_waiting.is_set() or worker.is_cancelled))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "save" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                               WorkerState.CANCELLED):
            return
        kind, self.saving = self.saving, None
        self.refresh_bindings()
        if kind is None:
            return
        if event.state is WorkerState.SUCCESS:
            self._written(kind, event.worker.result)
        elif event.state is WorkerState.ERROR:
            self._failed(kind, event.worker.error or RuntimeError("the write failed"))
        else:
            self._say(STOPPED if kind == "answer" else None, "-error")

    def _written(self, kind: str, result: Any) -> None:  # noqa: ANN401 - SavedAnswer, or CardProgress for undo
        """A write committed: only now does the screen move on."""
        self._say(None)
        if kind == "answer":
            self.session.apply_answer(result)
            self._advance(self.session.next_card())
        elif result is not None:  # the card's progress before the answer taken back
            self._advance(self.session.undone(result))
            # Said on the status line, not in a toast that would cover the rating buttons.
            self._say("Last answer undone: this card is back to answer again", "-info")
            self.refresh_bindings()  # nothing more to undo, perhaps

    def _failed(self, kind: str, exc: BaseException) -> None:
        """Nothing was written: say so plainly and keep what is on screen."""
        if kind == "answer":
            if isinstance(exc, WaitStopped):
                self._say(STOPPED, "-error")
                return
            self._say(f"Your answer was NOT saved: {exc}", "-error")
            self.notify(f"Your answer was NOT saved: {exc}. Try again, or press Escape.",
                        title="Could not save", severity="error", timeout=10)
        elif isinstance(exc, CannotUndo):
            self.session.undo_refused()
            self.notify(str(exc), title="Cannot undo", severity="warning", timeout=10)
            self.refresh_bindings()
        elif isinstance(exc, WaitStopped):
            self.notify("You stopped waiting: the last answer was not undone.", title="Not undone")
        else:  # StorageError: the answer stays saved and on record
            self.notify(f"Could not undo: {exc}", title="Could not save", severity="error", timeout=10)

    def _say(self, text: str | None, kind: str = "") -> None:
        """The line above the rating buttons: waiting for another copy, or an answer not saved."""
        status = self.query_one("#save-status", Static)
        status.update(text or "")
        status.set_classes(kind)
        status.display = bool(text)

    def action_typed(self, on: bool) -> None:
        if on == self.typed:
            return
        self.typed = on
        self.refresh_bindings()  # the footer swaps t / Ctrl+T and u / Ctrl+Z
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
            self.app.preload_meaning()  # so that answers in other words count (see core/grading.py)
        else:
            self.query_one(CardView).focus()
        self.refresh_bindings()

    def action_undo(self, typing: bool = False) -> None:
        if self.saving or not self.session.history:
            return
        self._write("undo", self.session.take_back)

    def action_finish(self) -> None:
        if self.saving:  # Escape while waiting for another copy: stop waiting, keep the answer on screen
            self._stop_waiting.set()
            self._say(STOPPING, "-waiting")
            return
        self._finish()

    def on_unmount(self) -> None:
        self._stop_waiting.set()  # a write still waiting gives up: the app is closing

    def _finish(self) -> None:
        self.app.show("summary", self.session, replace=True)

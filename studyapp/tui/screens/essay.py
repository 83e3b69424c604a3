"""Writing an outline against the clock. The draft is saved every few seconds and whenever the screen is left."""

from __future__ import annotations

import time
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Header, Static, TextArea

from studyapp.core.essays import Draft, EssayPrompt
from studyapp.service import StorageError
from studyapp.tui.formatting import minutes_seconds, when
from studyapp.tui.screens.base import StudyModal, StudyScreen
from studyapp.tui.widgets.footer import Footer

AUTOSAVE_SECONDS = 2.0


class ResumeDraftScreen(StudyModal[bool]):
    """Offer an unfinished draft back: True resumes it, False starts over."""

    BINDINGS = [
        Binding("enter,r", "resume", "Resume", id="resume.yes"),
        Binding("n", "fresh", "Start over", id="resume.no"),
    ]

    def __init__(self, draft: Draft, now) -> None:  # noqa: ANN001
        super().__init__()
        self.draft = draft
        self.now = now

    def compose(self) -> ComposeResult:
        words = len(self.draft.text.split())
        with Vertical(id="resume-dialog"):
            yield Static(f"You have an unfinished outline for this prompt: {words} words, "
                         f"{minutes_seconds(self.draft.elapsed_seconds)} written, saved {when(self.draft.saved_at, self.now)}.",
                         id="resume-text")
            with Horizontal(id="resume-buttons"):
                yield Button("Resume (Enter)", id="resume", variant="primary")
                yield Button("Start over (n)", id="fresh")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume")

    def action_resume(self) -> None:
        self.dismiss(True)

    def action_fresh(self) -> None:
        self.dismiss(False)


class EssayScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="essay.submit",
                tooltip="Submit the outline for marking", priority=True),
        Binding("escape", "leave", "Save & leave", id="essay.leave",
                tooltip="Save the draft and leave; it is offered again next time"),
    ]

    def __init__(self, prompt: EssayPrompt) -> None:
        super().__init__()
        self.prompt = prompt
        self.elapsed_before = 0.0  # seconds written in earlier sittings of this draft
        self.started = time.monotonic()
        self.saved_text = ""
        self.started_at: datetime | None = None
        self.save_problem: str | None = None  # why the last save failed, until one succeeds
        self.leave_unsaved = False  # Escape pressed once with the outline unsaved
        self.editor = TextArea(id="outline", soft_wrap=True, show_line_numbers=False)  # kept: read after unmount

    def compose(self) -> ComposeResult:
        decks = ", ".join(self.prompt.deck_ids)
        yield Header()
        with Vertical(id="essay"):
            with Horizontal(id="essay-top"):
                yield Static(f"[dim]{decks} · {len(self.prompt.points)} key points · "
                             f"{self.prompt.minutes} min[/]", id="essay-meta")
                yield Static(id="essay-timer")
            yield Static(self.prompt.prompt, id="essay-prompt")
            yield self.editor
            yield Static("Write an outline: one point per line. Ctrl+S submits; Escape saves the draft and leaves.",
                         id="essay-hint")
        yield Footer()

    def on_mount(self) -> None:
        service = self.service
        draft = service.essays.draft(self.prompt.id)
        if draft is not None and draft.text.strip():
            self.app.push_screen(ResumeDraftScreen(draft, service.clock()), self._resumed)
        self._tick()
        self.set_interval(1.0, self._tick)
        self.set_interval(AUTOSAVE_SECONDS, self.save_draft)
        self.editor.focus()

    def _resumed(self, resume: bool | None) -> None:
        service = self.service
        draft = service.essays.draft(self.prompt.id)
        if resume and draft is not None:
            self.editor.text = draft.text
            self.saved_text = draft.text
            self.elapsed_before = draft.elapsed_seconds
            self.started_at = draft.started_at
            self.started = time.monotonic()
            self.editor.move_cursor(self.editor.document.end)
        else:
            try:
                service.essays.discard_draft(self.prompt.id)
            except StorageError as exc:  # the old draft stays; the new outline replaces it at the next save
                self.notify(f"The old draft could not be removed: {exc}.", severity="warning", timeout=10)
        self._tick()
        self.editor.focus()

    @property
    def elapsed(self) -> float:
        return self.elapsed_before + time.monotonic() - self.started

    def _tick(self) -> None:
        left = self.prompt.minutes * 60 - self.elapsed
        timer = self.query_one("#essay-timer", Static)
        if left >= 0:
            timer.update(f"{minutes_seconds(left)} left")
            timer.set_class(left < 60, "-last-minute")
            timer.remove_class("-over")
        else:
            timer.update(f"over by {minutes_seconds(-left)}")
            timer.add_class("-over")

    def save_draft(self) -> bool:
        """Save the outline if it changed since the last save (called every few seconds); False if it could not be."""
        text = self.editor.text
        if text == self.saved_text:
            return True
        try:
            draft = self.service.essays.save_draft(self.prompt.id, text, self.elapsed, self.started_at)
        except StorageError as exc:  # keep typing; say (once, not every few seconds) that the draft is not safe
            if self.save_problem != str(exc):
                self.save_problem = str(exc)
                self.notify(f"Your draft is NOT saved: {exc}. Keep this screen open.",
                            title="Could not save", severity="error", timeout=10)
            return False
        if self.save_problem is not None:
            self.save_problem = None
            self.notify("Your draft is saved again")
        self.started_at = draft.started_at
        self.saved_text = text
        return True

    def on_screen_suspend(self) -> None:
        self.save_draft()

    def on_unmount(self) -> None:
        self.save_draft()

    def action_leave(self) -> None:
        if not self.save_draft() and not self.leave_unsaved:  # the outline would be lost: ask once more
            self.leave_unsaved = True
            self.notify("Your outline is not saved. Escape again leaves without it; Ctrl+S tries to submit it.",
                        title="Not saved", severity="warning", timeout=10)
            return
        self.app.pop_screen()

    def action_submit(self) -> None:
        text = self.editor.text
        if not text.strip():
            self.notify("Write something first", severity="warning")
            return
        try:
            score, attempt = self.service.essays.submit_essay(self.prompt, text, self.elapsed)
        except StorageError as exc:  # nothing stored: the outline stays in the editor to submit again
            self.notify(f"Your outline was NOT submitted: {exc}. It is still here; try Ctrl+S again.",
                        title="Could not save", severity="error", timeout=10)
            return
        self.saved_text = text  # stored with the attempt; nothing left to save as a draft
        self.app.show("essay_result", self.prompt, score, attempt, replace=True)

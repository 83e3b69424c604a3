"""Sitting a mock exam paper: the short-answer questions one at a time, then the essay, under one clock.

Each short answer is graded and saved as a review the moment it is given (the grade is shown only in
the post-mortem, as in an exam). The clock and the essay are saved every few seconds, so a paper left
(Escape) or lost with the terminal goes on where it stopped when reopened from the list.
"""

from __future__ import annotations

import time

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static, TextArea

from studyapp.core.mock_paper import MockExam
from studyapp.service import StorageError, monotonic_ms
from studyapp.tui.formatting import minutes_seconds, short_title
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer

AUTOSAVE_SECONDS = 3.0


class MockExamScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "hand_in", "Hand in", id="mock.hand_in", priority=True),
        Binding("ctrl+e", "switch_part", "Essay / questions", id="mock.switch", priority=True),
        Binding("escape", "leave", "Save & leave", id="mock.leave"),
    ]

    monotonic = staticmethod(time.monotonic)  # the clock the timer reads (a snapshot test stops it)

    def __init__(self, mock: MockExam) -> None:
        super().__init__()
        self.mock = mock
        self.elapsed_before = mock.elapsed_seconds
        self.started = self.monotonic()
        self.position: int | None = mock.next_question()  # None: the essay part
        self.shown_at = monotonic_ms()
        self.saved = (mock.elapsed_seconds, mock.essay_text)
        self.save_problem: str | None = None
        self.hand_in_asked = False  # Ctrl+S pressed once with questions unanswered or no essay
        self.handed_in = False
        self.time_up = False
        self.essay = TextArea(mock.essay_text, id="mock-essay", soft_wrap=True, show_line_numbers=False)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="mock"):
            with Horizontal(id="mock-top"):
                yield Static(id="mock-meta")
                yield Static(id="mock-timer")
            yield Static(id="mock-question")
            yield Input(placeholder="Your answer, then Enter (Enter alone skips)",
                        id="mock-answer")
            yield self.essay
            yield Static(id="mock-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.app.preload_meaning()  # the essay is marked at hand-in: load the model while the paper is sat
        self._show()
        self._tick()
        self.set_interval(1.0, self._tick)
        self.set_interval(AUTOSAVE_SECONDS, self.save)

    @property
    def elapsed(self) -> float:
        return self.elapsed_before + self.monotonic() - self.started

    @property
    def answered(self) -> int:
        return len(self.mock.answers)

    def _show(self) -> None:
        service = self.service
        questions = self.mock.paper.questions
        meta = self.query_one("#mock-meta", Static)
        question = self.query_one("#mock-question", Static)
        answer = self.query_one("#mock-answer", Input)
        hint = self.query_one("#mock-hint", Static)
        on_essay = self.position is None
        answer.display = not on_essay
        self.essay.display = on_essay
        left = len(questions) - self.answered
        if self.position is None:
            prompt = service.essays.essay_prompt(self.mock.paper.essay_prompt_id) if self.mock.paper.essay_prompt_id else None
            meta.update(f"[dim]Essay · {self.answered}/{len(questions)} short answers given[/]")
            question.update(escape(prompt.prompt) if prompt else "No essay question on this paper.")
            hint.update("Write an outline, one point per line. Ctrl+S hands the paper in"
                        + (f"; Ctrl+E goes back to the {left} unanswered questions." if left else "."))
            self.essay.focus()
            return
        key = questions[self.position]
        card = service.decks.card(*key)
        deck = service.decks.deck(key[0])
        meta.update(f"[dim]Question {self.position + 1} of {len(questions)} · "
                    f"{escape(short_title(deck.title) if deck else key[0])} · {self.answered} answered[/]")
        question.update(escape(card.front) if card else "(this card has left its deck)")
        answer.value = ""
        answer.placeholder = ("The items, separated by commas, then Enter"
                              if card is not None and card.items else
                              "Your answer, then Enter (Enter alone skips)")
        hint.update("Answers are marked when you hand the paper in, as in the exam.")
        self.shown_at = monotonic_ms()
        answer.focus()

    def _tick(self) -> None:
        left = self.mock.paper.minutes * 60 - self.elapsed
        timer = self.query_one("#mock-timer", Static)
        timer.update(f"{minutes_seconds(max(0.0, left))} left")
        timer.set_class(left < 300, "-last-minutes")
        if left <= 0 and not self.handed_in and not self.time_up:
            self.time_up = True  # handed in once; if that cannot be saved, Ctrl+S tries again
            self.notify("Time is up: your paper is handed in.", title="Time")
            self.hand_in()

    def _next_unanswered(self, after: int | None) -> int | None:
        """The next question not answered after `after` (from the first with None), round again to the
        ones skipped; None when no other is left."""
        answered = {a.position for a in self.mock.answers}
        n = len(self.mock.paper.questions)
        start = -1 if after is None else after
        return next((i for i in ((start + step) % n for step in range(1, n + 1)) if i not in answered and i != after),
                    None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.position is None or self.handed_in:
            return
        if not self._enter_typed():
            return
        self.position = self._next_unanswered(self.position)  # None: on to the essay
        self._show()

    def _enter_typed(self) -> bool:
        """Grade and save what is typed in the answer box, if anything (leaving a question, or the paper
        going in, enters it as Enter would). False, with the answer left in the box, if it cannot be saved."""
        box = self.query_one("#mock-answer", Input)
        typed = box.value.strip()
        if self.position is None or not typed:
            return True
        try:
            self.mock = self.service.exams.answer_mock(self.mock, self.position, typed, monotonic_ms() - self.shown_at)
        except StorageError as exc:  # nothing saved: the answer stays in the box to try again
            self.notify(f"Your answer was NOT saved: {exc}. Try again.", title="Could not save", severity="error",
                        timeout=10)
            return False
        box.value = ""
        return True

    def action_switch_part(self) -> None:
        if not self._enter_typed():
            return
        if self.position is None:
            following = self._next_unanswered(None)
            if following is None:
                self.notify("Every question is answered")
                return
            self.position = following
        else:
            self.position = None
        self._show()

    def save(self) -> bool:
        """Keep the clock and the essay so far; False (said once) when they cannot be saved."""
        if self.handed_in:
            return True
        now = (round(self.elapsed, 1), self.essay.text)
        if now[1] == self.saved[1] and abs(now[0] - self.saved[0]) < AUTOSAVE_SECONDS / 2:
            return True
        try:
            self.service.exams.save_mock(self.mock, *now)
        except StorageError as exc:
            if self.save_problem != str(exc):
                self.save_problem = str(exc)
                self.notify(f"Your essay is NOT saved: {exc}. Keep this screen open.", title="Could not save",
                            severity="error", timeout=10)
            return False
        if self.save_problem is not None:
            self.save_problem = None
            self.notify("Your paper is saved again")
        self.saved = now
        return True

    def on_unmount(self) -> None:
        self.save()

    def action_leave(self) -> None:
        self.save()
        self.app.pop_screen()

    def action_hand_in(self) -> None:
        left = len(self.mock.paper.questions) - self.answered
        blank = not self.essay.text.strip()
        if (left or blank) and not self.hand_in_asked:
            self.hand_in_asked = True
            missing = [f"{left} question{'s' * (left != 1)} unanswered"] if left else []
            missing += ["no essay written"] if blank else []
            self.notify(f"{' and '.join(missing).capitalize()}: they score nothing. Ctrl+S again hands the paper in.",
                        title="Hand in?", severity="warning", timeout=10)
            return
        self.hand_in()

    def hand_in(self) -> None:
        if not self._enter_typed():  # typed but not entered when the paper goes in: it counts
            return
        try:
            report = self.service.exams.hand_in(self.mock, self.elapsed, self.essay.text)
        except StorageError as exc:  # nothing closed: the paper stays on screen
            self.notify(f"Your paper was NOT handed in: {exc}. Try Ctrl+S again.", title="Could not save",
                        severity="error", timeout=10)
            return
        self.handed_in = True
        self.app.clear_notifications()  # "Hand in?" is answered
        self.app.show("mock_result", report, replace=True)

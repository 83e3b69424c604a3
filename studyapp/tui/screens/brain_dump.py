"""A brain dump: everything you know about a deck or a facet, written from memory against the clock.

The text is saved every few seconds. Ctrl+S (or the end of the time) marks it against every card and
claim of the topic.
"""

from __future__ import annotations

import time

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static, TextArea

from studyapp.core.free_recall import BrainDump
from studyapp.service import StorageError
from studyapp.tui.formatting import count, minutes_seconds
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer

AUTOSAVE_SECONDS = 3.0


class BrainDumpScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "mark", "Mark it", id="dump.mark", priority=True),
        Binding("escape", "leave", "Save & leave", id="dump.leave"),
    ]

    monotonic = staticmethod(time.monotonic)  # the clock the timer reads (a snapshot test stops it)

    def __init__(self, dump: BrainDump) -> None:
        super().__init__()
        self.dump = dump
        self.started = self.monotonic()
        self.saved_text = dump.text
        self.save_problem: str | None = None
        self.marked = False
        self.time_up = False
        self.editor = TextArea(dump.text, id="dump-text", soft_wrap=True, show_line_numbers=False)

    def compose(self) -> ComposeResult:
        title, cards, claims = self.service.exams.dump_topic(self.dump.deck_id, self.dump.facet)
        yield Header()
        with Vertical(id="dump"):
            with Horizontal(id="dump-top"):
                yield Static(f"[dim]Brain dump · {count(len(cards), 'card')}, "
                             f"{count(len(claims), 'claim')} to find[/]", id="dump-meta")
                yield Static(id="dump-timer")
            yield Static(f"Everything you know about {escape(title)}", id="dump-topic")
            yield self.editor
            yield Static("From memory, one point per line: names, dates, reasons, results. Ctrl+S marks it "
                         "(the clock does at 0:00); Escape saves and leaves.", id="dump-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.app.preload_meaning()  # the claims are marked by meaning: load the model while the student writes
        self._tick()
        self.set_interval(1.0, self._tick)
        self.set_interval(AUTOSAVE_SECONDS, self.save)
        self.editor.focus()

    @property
    def elapsed(self) -> float:
        return self.dump.seconds + self.monotonic() - self.started

    def _tick(self) -> None:
        left = self.dump.minutes * 60 - self.elapsed
        timer = self.query_one("#dump-timer", Static)
        timer.update(f"{minutes_seconds(max(0.0, left))} left")
        timer.set_class(left < 60, "-last-minutes")
        if left <= 0 and not self.marked and not self.time_up:
            self.time_up = True
            self.notify("Time is up: your brain dump is marked.", title="Time")
            self.action_mark()

    def save(self) -> bool:
        text = self.editor.text
        if self.marked or text == self.saved_text:
            return True
        try:
            self.service.exams.save_dump(self.dump, text, self.elapsed)
        except StorageError as exc:
            if self.save_problem != str(exc):
                self.save_problem = str(exc)
                self.notify(f"Your text is NOT saved: {exc}. Keep this screen open.", title="Could not save",
                            severity="error", timeout=10)
            return False
        self.save_problem = None
        self.saved_text = text
        return True

    def on_unmount(self) -> None:
        self.save()

    def action_leave(self) -> None:
        self.save()
        self.app.pop_screen()

    def action_mark(self) -> None:
        text = self.editor.text
        if not text.strip() and not self.time_up:
            self.notify("Write something first", severity="warning")
            return
        try:
            result = self.service.exams.finish_dump(self.dump, text, self.elapsed)
        except StorageError as exc:  # nothing kept as marked: the text stays here
            self.notify(f"Your brain dump was NOT marked: {exc}. It is still here; try Ctrl+S again.",
                        title="Could not save", severity="error", timeout=10)
            return
        self.marked = True
        self.app.show("brain_dump_result", result, replace=True)

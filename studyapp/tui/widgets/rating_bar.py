"""Four rating buttons, each showing the interval it would give. Posts `RatingBar.Rated`."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from studyapp.core.models import Rating

COMPACT_BELOW = 76
LABELS = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}


class RatingBar(Horizontal):
    @dataclass
    class Rated(Message):
        rating: Rating

    def __init__(self, rating_keys: dict[Rating, str] | None = None, *, id: str | None = None) -> None:
        """`rating_keys`: the key shown on a button when the student's keymap moved it from 1-4."""
        super().__init__(id=id)
        self.rating_keys = {rating: str(int(rating)) for rating in LABELS} | (rating_keys or {})

    def compose(self) -> ComposeResult:
        for rating, label in LABELS.items():
            yield Button(f"{self.rating_keys[rating]} {label}", id=f"rate-{int(rating)}", classes=f"rating {label.lower()}",
                         disabled=True, compact=True)

    intervals: dict[Rating, str] | None = None

    def show(self, intervals: dict[Rating, str] | None, suggested: Rating | None = None) -> None:
        """Enable the buttons with their intervals, or disable them (None)."""
        self.intervals = intervals
        for rating in LABELS:
            button = self.query_one(f"#rate-{int(rating)}", Button)
            button.disabled = intervals is None
            button.set_class(rating == suggested, "suggested")
        self._label()

    def on_resize(self) -> None:
        self._label()

    def _label(self) -> None:
        # A quarter of a narrow bar (under 76 cells: 60 columns) holds "1 Again 10m", not "1 Again · 10m".
        dot = " · " if self.size.width >= COMPACT_BELOW or not self.size.width else " "
        for rating, label in LABELS.items():
            interval = f"{dot}{self.intervals[rating]}" if self.intervals else ""
            self.query_one(f"#rate-{int(rating)}", Button).label = f"{self.rating_keys[rating]} {label}{interval}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(Rating(int(event.button.id.removeprefix("rate-")))))

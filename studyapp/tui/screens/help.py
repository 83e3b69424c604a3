"""Help (`?`): the keys of the screen underneath, its own first and described, then the app's, then the
focused list's or box's. Drawn over that screen, which keeps its size (Textual's key panel squeezes it and
lists cursor keys first)."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from studyapp.tui.screens.base import StudyModal

MOVING = "Moving in the list or box"


def key_groups(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group title, [(key, what it does)])] for the keys that act on `screen` now: the screen's own,
    then the app's, then the focused widget's (cursor keys and the like)."""
    app = screen.app
    own: list[tuple[str, str]] = []
    everywhere: list[tuple[str, str]] = []
    moving: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    ours = {
        b.id
        for cls in (*type(screen).__mro__, *type(app).__mro__)  # the bindings studyapp declares
        if cls.__module__.startswith("studyapp.")
        for b in cls.__dict__.get("BINDINGS", ())
        if b.id
    }
    for bound_to, binding, enabled, tooltip in screen.active_bindings.values():
        if not binding.description:
            continue
        node: DOMNode | None = bound_to
        if node is screen and binding.id not in ours:  # Textual's own: focus next, copy
            node = None
        key = app.get_key_display(binding)
        text = tooltip or binding.tooltip or binding.description
        if not enabled:
            text += " (not now)"  # shown dimmed in the footer
        if (key, text) in seen:
            continue
        seen.add((key, text))
        if node is screen:
            own.append((key, text))
        elif node is app:
            everywhere.append((key, text))
        else:
            moving.append((key, text))
    # A key of the screen's that the focused table also takes (Enter on a row) still acts, through it.
    active_ids = {b.id for _, b, _, _ in screen.active_bindings.values()}
    for declared in type(screen).BINDINGS:
        if (
            isinstance(declared, Binding)
            and declared.id
            and declared.id not in active_ids
            and declared.show
            and screen.check_action(*parse(declared.action)[1:]) is not False
        ):
            own.insert(0, (app.get_key_display(declared), declared.tooltip or declared.description))
    title = getattr(screen, "HELP_TITLE", None) or "This screen"
    groups = [(title, own), ("Everywhere", everywhere), (MOVING, moving)]
    return [(name, keys) for name, keys in groups if keys]


class HelpScreen(StudyModal[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close help", id="help.close", key_display="esc"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            for title, keys in key_groups(self.under):
                yield Static(f"[b]{escape(title)}[/]", classes="help-title")
                grid = Table.grid(padding=(0, 2))  # a long description wraps under itself, not under the key
                grid.add_column(justify="right", no_wrap=True, style="bold")
                grid.add_column()
                for key, text in keys:
                    grid.add_row(key, text)
                yield Static(grid, classes="help-keys")
            yield Static("Escape or ? closes this", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

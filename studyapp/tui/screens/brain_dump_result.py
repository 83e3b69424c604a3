"""A brain dump's result: what you produced unprompted (cards and claims, with your line), and the cards you did
not recall, which `d` drills."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Header, Static

from studyapp.exam_practice import DumpResult
from studyapp.tui.formatting import describe_locators, minutes_seconds
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer


class BrainDumpResultScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("d", "drill", "Drill the rest", id="dump_result.drill"),
        Binding("escape,enter", "back", "Back", id="dump_result.back"),
    ]

    def __init__(self, result: DumpResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        titles = self.service.decks.sources
        result = self.result
        recalled = [(card, recall) for card, recall in result.cards if result.recalled(card, recall)]
        forgotten = [card for card, recall in result.cards if not result.recalled(card, recall)]
        produced = [(claim, r) for claim, r in result.claims if r.status != "missed"]
        covered = sum(1 for _, r in result.claims if r.status == "covered")
        partly = len(produced) - covered
        yield Header()
        with Vertical(id="dump-result"):
            claims = (f" · {covered} of {len(result.claims)} claims covered" + (f", {partly} partly" if partly else "")
                      if result.claims else "")
            yield Static(f"[b]{escape(result.title)}: {len(recalled)} of {len(result.cards)} cards recalled "
                         f"unprompted[/]{claims} · written in {minutes_seconds(result.dump.seconds)}",
                         id="dump-score")
            with VerticalScroll(id="dump-points"):
                yield Static(f"[b green]What you produced unprompted ({len(recalled) + len(produced)})[/]",
                             classes="result-group")
                for card, recall in recalled:
                    where = f"your line {recall.line}" if recall.line else "your list"
                    yield Static(f"• {escape(card.front)} [b]{escape(card.back or ', '.join(card.items))}[/]\n"
                                 f"  [dim]{where}: {escape(recall.matched[:140])}[/]", classes="dump-item")
                for claim, r in produced:
                    yield Static(f"• [i]{r.status}[/]: {escape(claim.text)}\n"
                                 f"  [dim]your line {r.line}: {escape(r.matched[:140])}[/]", classes="dump-item")
                if not recalled and not produced:
                    yield Static("Nothing yet: the drill below is where to start.", classes="dump-item")
                yield Static(f"[b red]Not recalled ({len(forgotten)}): d drills them[/]", classes="result-group")
                for card in forgotten:
                    yield Static(f"• {escape(card.front)}\n"
                                 f"  [dim]{escape(describe_locators(card.source, titles))}[/]", classes="dump-item")
            yield Static("Cards you recall without a cue count in the weak-topics ranking (its Dump column)."
                         + (" d drills the rest." if forgotten else ""), id="dump-result-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return True if self.result.drill_keys else None
        return True

    def action_drill(self) -> None:
        keys = self.result.drill_keys
        if keys:
            session = self.service.sessions.drill(keys)
            session.title = f"Drill: not recalled · {self.result.title}"
            self.app.run_session(session)

    def action_back(self) -> None:
        self.app.pop_screen()

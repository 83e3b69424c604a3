"""Shows one card: its front, and after the answer its back, note, source and typed-answer result."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from studyapp.core.decks import plain_text
from studyapp.core.models import AnswerResult, Card, CardKind
from studyapp.tui.formatting import describe_sources


def describe_result(result: AnswerResult, typed: str | None = None) -> str:
    if result.by_meaning:
        verdict = "[b yellow]Same meaning, other words?[/] Compare with the answer below"
    else:
        verdict = "[b green]Correct[/]" if result.correct else "[b red]Not right[/]"
    lines = [f"{verdict} · {result.similarity:.0f}% · suggested {result.suggested.name.title()} "
             "[dim](Enter accepts; 1-4 override)[/]"]
    if typed is not None:
        lines.insert(0, f"[dim]You typed:[/] {escape(plain_text(typed)) or '[dim](nothing)[/]'}")
    if result.items:
        for item in result.items:
            if item.matched is None:
                lines.append(f"  [red]✗ {escape(item.expected)}[/] (missed)")
            else:
                lines.append(f"  [green]✓ {escape(item.expected)}[/]")
    else:
        if result.wrong_numbers:
            lines.append("Wrong number: " + ", ".join(escape(n) for n in result.wrong_numbers))
        if result.missing:
            lines.append("Missing: " + ", ".join(escape(m) for m in result.missing))
    return "\n".join(lines)


class CardView(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(id="card-meta")
        yield Static(id="card-front")
        yield Static(id="card-result")
        yield Static(id="card-back")
        yield Static(id="card-note")
        yield Static(id="card-source")

    def show_front(self, card: Card, deck_title: str) -> None:
        self.query_one("#card-meta", Static).update(f"{escape(deck_title)} · {card.facet}"
                                                    + (" · list" if card.kind is CardKind.LIST else ""))
        front = escape(card.front)
        if card.kind is CardKind.LIST:
            front += f"\n[dim]({len(card.items)} items)[/]"
        self.query_one("#card-front", Static).update(front)
        for name in ("#card-result", "#card-back", "#card-note", "#card-source"):
            widget = self.query_one(name, Static)
            widget.update("")
            widget.display = False
        self.remove_class("-answered")
        self.scroll_home(animate=False)

    def show_back(self, card: Card, source_titles: dict[str, str], result: AnswerResult | None = None,
                  typed: str | None = None) -> None:
        back = self.query_one("#card-back", Static)
        back.update(escape(card.answer_text))
        back.display = True
        note = self.query_one("#card-note", Static)
        note.update(f"[b]Note[/] {escape(card.note)}" if card.note else "")
        note.display = bool(card.note)
        source = self.query_one("#card-source", Static)
        source.update(f"[b]Source[/] {escape(describe_sources(card, source_titles))}")
        source.display = True
        res = self.query_one("#card-result", Static)
        res.update(describe_result(result, typed) if result else "")
        res.display = result is not None
        # A typed list's result already names every item with ✓ or ✗: the same list again below it
        # would push the note and source out of sight.
        back.display = not (result is not None and result.items)
        self.add_class("-answered")

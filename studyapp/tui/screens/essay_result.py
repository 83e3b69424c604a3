"""An outline's result: the key points covered, partly covered and missed, each with its source."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Header, Static

from studyapp.core.essays import EssayAttempt, EssayPrompt, OutlineScore
from studyapp.tui.formatting import describe_locators, minutes_seconds
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer

GROUPS = (("covered", "Covered", "green"), ("partly", "Partly covered", "yellow"), ("missed", "Missed", "red"))
# A wrong year, number or name, or a claim turned round, costs the point; a wrong detail in other words
# often does not (about a third of them count as covered on the marked outlines): the student is told so.
COVERED_CAVEAT = "· read each line against its point: wrong dates, numbers and names are caught, not every wrong detail"


class EssayResultScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("d", "drill", "Drill missed points", id="result.drill",
                tooltip="Drill the cards behind the points you missed"),
        Binding("r", "retry", "Write again", id="result.retry", tooltip="Write this prompt again"),
        Binding("escape,enter", "back", "Essays", id="result.back", tooltip="Back to the essay prompts"),
    ]

    def __init__(self, prompt: EssayPrompt, score: OutlineScore, attempt: EssayAttempt) -> None:
        super().__init__()
        self.prompt = prompt
        self.score = score
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        service = self.service
        titles = service.decks.sources
        covered = len(self.score.group("covered"))
        partly = len(self.score.group("partly"))
        total = len(self.score.results)
        yield Header()
        with Vertical(id="result"):
            # One meaning of "score" everywhere: covered points, a partly covered one counting half.
            yield Static(f"[b]Score {self.score.share:.0%}[/]: {covered} of {total} key points covered"
                         + (f", {partly} partly" if partly else "")
                         + f" · written in {minutes_seconds(self.attempt.seconds)} of {self.prompt.minutes}:00"
                         + ("" if self.score.by_meaning else " · [dim]marked on wording only: the meaning model "
                            "is not available[/]")
                         + (" · [b]no key point is covered: does this outline answer the question?[/]"
                            if self.score.off_question else ""),
                         id="result-score")
            yield Static(escape(self.prompt.prompt), id="result-prompt")
            with VerticalScroll(id="result-points"):
                for status, title, colour in GROUPS:
                    results = self.score.group(status)
                    if not results:
                        continue
                    heading = f"[b {colour}]{title} ({len(results)})[/]"
                    if status == "covered":  # the marker's limit, said where it matters (README, "Not reached yet")
                        heading += f" [dim]{COVERED_CAVEAT}[/]"
                    yield Static(heading, classes="result-group")
                    for r in results:
                        if r.point.label:  # a comparison: the dimension it is about, then the point
                            lines = [f"• [i]{escape(r.point.label)}[/]: {escape(r.point.text)}"]
                        else:
                            lines = [f"• {escape(r.point.text)}"]
                        if r.line is not None:
                            lines.append(f"  [dim]your line {r.line}:[/] {escape(r.matched[:160])}")
                        if r.wrong_line is not None:  # the line that states it with a wrong fact: say so
                            if r.line is None:
                                lines.append(f"  [dim]your line {r.wrong_line}:[/] {escape(r.wrong_text[:160])}")
                            lines.append(f"  [$error]that line {r.wrong_reason}[/]")
                        if r.point.source:
                            lines.append(f"  [dim]{escape(describe_locators(r.point.source, titles))}[/]")
                        yield Static("\n".join(lines), classes=f"result-point -{status}")
                history = service.essays.essay_attempts(self.prompt.id)
                if len(history) > 1:
                    yield Static("[b]Your attempts[/]", classes="result-group")
                    yield Static("\n".join(f"{a.submitted_at.astimezone():%d %b %Y %H:%M}  {a.score:4.0%}  "
                                           f"in {minutes_seconds(a.seconds)}" for a in history),
                                 id="result-history")
            missed = len(self.score.missed_cards)
            yield Static(f"d drills the {missed} cards behind the points you missed or half covered" if missed
                         else "Every point covered: nothing to drill.", id="result-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return True if self.score.missed_cards else None
        return True

    def action_drill(self) -> None:
        keys = self.score.missed_cards
        if keys:
            self.app.run_session(self.service.sessions.drill(keys), replace=True)

    def action_retry(self) -> None:
        self.app.show("essay", self.prompt, replace=True)

    def action_back(self) -> None:
        self.app.pop_screen()

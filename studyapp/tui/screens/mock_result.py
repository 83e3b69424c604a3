"""A mock exam's post-mortem: the marks, the predicted band with its range, and every miss with what to drill
and re-read; `d` drills all the missed cards."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Header, Static

from studyapp.core.mock_paper import HOW_BAND_IS_COMPUTED
from studyapp.exam_practice import MockReport
from studyapp.tui.formatting import count, describe_locators, minutes_seconds, percent, short_title
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer


class MockResultScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("d", "drill", "Drill the misses", id="mock_result.drill"),
        Binding("escape,enter", "back", "Mock exams", id="mock_result.back"),
    ]

    def __init__(self, report: MockReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        service = self.service
        titles = service.decks.sources
        report, mock, band = self.report, self.report.mock, self.report.band
        questions = len(mock.paper.questions)
        right = sum(1 for m in mock.short_marks() if m >= 1.0)
        yield Header()
        with Vertical(id="mock-result"):
            yield Static(f"[b]Mark {band.mark:.0%} · predicted band {band.band}[/], {band.range_text()}",
                         id="mock-band")
            yield Static(f"Short answers {right} of {questions} right ({percent(band.short_mark)}) · essay "
                         f"{percent(band.essay_mark)} of its key points · {minutes_seconds(mock.elapsed_seconds)} "
                         f"of {mock.paper.minutes}:00 · how the band is worked out: at the end", id="mock-marks")
            with VerticalScroll(id="mock-postmortem"):
                if report.misses:
                    yield Static(f"[b]Short answers missed ({len(report.misses)})[/]", classes="result-group")
                for miss in report.misses:
                    card = miss.card
                    deck = service.decks.deck(card.deck_id)
                    given = "not answered" if miss.typed is None else f"you wrote “{escape(miss.typed)}”"
                    if miss.mark:
                        given += f" ({miss.mark:.0%} of it)"
                    answer = card.back or ", ".join(card.items)
                    lines = [f"{miss.position + 1}. [i]{escape(short_title(deck.title) if deck else card.deck_id)}[/]: "
                             f"{escape(card.front)}",
                             f"   {given} · the answer: {escape(answer)}",
                             f"   [dim]drill: {escape(card.deck_id)}/{escape(card.id)} · re-read "
                             f"{escape(describe_locators(card.source, titles))}[/]"]
                    yield Static("\n".join(lines), classes="mock-miss")
                if report.prompt is not None:
                    missed = [(p, s) for p, s in report.essay_points if s != "covered"]
                    yield Static(f"[b]Essay: {escape(report.prompt.prompt)}[/]", classes="result-group")
                    if not mock.essay_text.strip():
                        yield Static("No outline written: every key point missed.", classes="mock-miss")
                    for point, status in missed:
                        yield Static(f"• [i]{status}[/]: {escape(point.text)}\n"
                                     f"   [dim]re-read {escape(describe_locators(point.source, titles))}[/]",
                                     classes="mock-miss")
                    if not missed:
                        yield Static("Every key point covered.", classes="mock-miss")
                yield Static("[b]How the band is worked out[/]", classes="result-group")
                yield Static(f"[dim]{escape(HOW_BAND_IS_COMPUTED)}[/]", id="mock-how")
            drill = len(report.drill_keys)
            yield Static(f"d drills the {count(drill, 'card')} behind every miss" if drill
                         else "Nothing missed: nothing to drill.", id="mock-result-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return True if self.report.drill_keys else None
        return True

    def action_drill(self) -> None:
        keys = self.report.drill_keys
        if keys:
            session = self.service.sessions.drill(keys)
            session.title = "Drill: mock exam misses"
            self.app.run_session(session)

    def action_back(self) -> None:
        self.app.pop_screen()

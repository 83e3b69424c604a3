"""Mock exams: sit a new paper, or reopen any earlier one (its post-mortem, or an unfinished paper to go on with)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from studyapp.core.mock_paper import MockExam
from studyapp.service import StorageError
from studyapp.tui.formatting import count, minutes_seconds
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer


class MockListScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("n", "new", "New paper", id="mocks.new"),
        Binding("enter", "open", "Reopen", id="mocks.open"),
        Binding("escape", "back", "Back", id="mocks.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mocks: list[MockExam] = []

    def compose(self) -> ComposeResult:
        service = self.service
        yield Header()
        with Vertical(id="mocks"):
            yield Static(f"A paper as in the exam: {service.exams.mock_questions} short-answer questions over the seven exam "
                         f"topics, more of them on your weak ones, and one essay question, all under one clock of "
                         f"{service.exams.mock_minutes} minutes (Settings changes it). Short answers count as reviews.",
                         id="mocks-intro")
            yield DataTable(id="mocks-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="mocks-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("Sat", "Mark", "Band", "Short answers", "Essay", "Time"):
            table.add_column(label, key=label.lower())
        self.refresh_mocks()

    def on_screen_resume(self) -> None:
        self.refresh_mocks()

    def refresh_mocks(self) -> None:
        self.mocks = self.service.exams.mock_exams()
        table = self.query_one(DataTable)
        table.clear()
        for m in self.mocks:
            questions = len(m.paper.questions)
            right = sum(1 for mark in m.short_marks() if mark >= 1.0)
            if m.finished:
                band = m.band()
                mark, grade = f"{band.mark:.0%}", band.band
                essay = "-" if band.essay_mark is None else f"{band.essay_mark:.0%}"
            else:
                mark, grade, essay = "-", "unfinished", "-"
            table.add_row(f"{m.started_at.astimezone():%d %b %Y %H:%M}", mark, grade, f"{right}/{questions}", essay,
                          f"{minutes_seconds(m.elapsed_seconds)} of {m.paper.minutes}:00", key=str(m.id))
        hint = self.query_one("#mocks-hint", Static)
        if self.mocks:
            hint.update(f"{count(len(self.mocks), 'paper')} sat · Enter reopens one (an unfinished paper goes on "
                        f"where you left it) · n sets a new paper")
        else:
            hint.update("No paper sat yet: n sets your first.")
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.mocks else None  # dimmed until a paper has been sat
        return True

    def action_new(self) -> None:
        service = self.service
        try:
            mock = service.exams.start_mock()
        except StorageError as exc:
            self.notify(f"No paper was set: {exc}", title="Could not save", severity="error", timeout=10)
            return
        if not mock.paper.questions:
            self.notify("No cards to set a paper from", severity="warning")
            return
        self.app.show("mock_exam", mock)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.mocks:
            return
        mock = self.mocks[table.cursor_row]
        if mock.finished:
            self.app.show("mock_result", self.service.exams.mock_report(mock))
        else:
            self.app.show("mock_exam", mock)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_back(self) -> None:
        self.app.pop_screen()

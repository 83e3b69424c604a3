"""Settings: the exam date, desired retention, new cards per day, when the study day starts, and the
lengths of a mock exam and a brain dump."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from studyapp.core.mock_paper import parse_minutes
from studyapp.core.scheduling import parse_settings
from studyapp.exam_practice import DUMP_MINUTES_SETTING, MOCK_MINUTES_SETTING
from studyapp.service import StorageError

FIELDS = (("exam", "Exam date", "YYYY-MM-DD; empty for none"),
          ("retention", "Desired retention", "0.70 to 0.99"),
          ("new-per-day", "New cards per day", "per deck; grows before an exam"),
          ("day-start", "Day starts at", "hour, 0 to 23"),
          ("mock", "Mock exam", "minutes for the whole paper"),
          ("dump", "Brain dump", "minutes of free recall"))


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings.save", priority=True),
        Binding("escape", "back", "Back", id="settings.back"),
    ]

    def compose(self) -> ComposeResult:
        s = self.app.service.settings
        values = {"exam": s.exam_date.isoformat() if s.exam_date else "", "retention": f"{s.desired_retention:.2f}",
                  "new-per-day": str(s.new_per_day), "day-start": str(s.day_start_hour),
                  "mock": str(self.app.service.mock_minutes), "dump": str(self.app.service.dump_minutes)}
        yield Header()
        with VerticalScroll(id="settings"):  # six rows and the buttons: more than 24 lines
            for key, label, hint in FIELDS:
                with Horizontal(classes="settings-row"):
                    yield Label(label, classes="settings-label")
                    yield Input(values[key], placeholder=hint, id=f"set-{key}", classes="settings-input")
                    yield Label(hint, classes="settings-help")
            yield Static("", id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", id="settings-save")
                yield Button("Cancel", id="settings-cancel")
            yield Static("Setting an exam date brings every card due after it forward to the exam day; "
                         "until the exam no review is scheduled after it.", id="settings-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#set-exam", Input).focus()

    def _value(self, key: str) -> str:
        return self.query_one(f"#set-{key}", Input).value

    def action_save(self) -> None:
        service = self.app.service
        changes, problems = parse_settings(self._value("exam"), self._value("retention"), self._value("new-per-day"),
                                           self._value("day-start"), service.study_day(service.clock()))
        for key, setting, label, low, high in (("mock", MOCK_MINUTES_SETTING, "Mock exam", 10, 240),
                                               ("dump", DUMP_MINUTES_SETTING, "Brain dump", 1, 60)):
            minutes, problem = parse_minutes(self._value(key), label, low, high)
            if problem:
                problems.append(problem)
            else:
                changes[setting] = minutes
        error = self.query_one("#settings-error", Static)
        if problems:
            error.update("\n".join(problems))
            error.display = True
            return
        exam = changes.pop("exam_date")
        try:
            if exam != service.settings.exam_date:
                moved = service.set_exam_date(exam, **changes)
            else:
                service.update_settings(**changes)
                moved = 0
        except StorageError as exc:  # nothing was saved: say why and keep what was typed
            error.update(f"Your settings were NOT saved: {exc}.")
            error.display = True
            return
        self.notify("Settings saved" + (f"; {moved} cards brought forward to the exam" if moved else ""))
        self.app.pop_screen()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "settings-save":
            self.action_save()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

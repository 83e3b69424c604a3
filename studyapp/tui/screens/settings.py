"""Settings: the exam date, the daily budget for the exam-day plan, desired retention, new cards per day,
when the study day starts, and the lengths of a mock exam and a brain dump; and fitting the schedule to the
student's own reviews (in a worker thread: it takes seconds on a long log, and the screen stays usable)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Static
from textual.worker import Worker, WorkerState

from studyapp.core.fitting import FitResult
from studyapp.core.mock_paper import parse_minutes
from studyapp.core.scheduling import parse_settings
from studyapp.exam_practice import DUMP_MINUTES_SETTING, MOCK_MINUTES_SETTING
from studyapp.optimize import adopt_if_better, describe, fit_schedule
from studyapp.service import StorageError
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer

FIELDS = (("exam", "Exam date", "YYYY-MM-DD; empty for none"),
          ("budget", "Daily budget", "minutes a day; empty: no plan"),
          ("retention", "Desired retention", "0.70 to 0.99"),
          ("new-per-day", "New cards per day", "per deck; grows before an exam"),
          ("day-start", "Day starts at", "hour, 0 to 23"),
          ("mock", "Mock exam", "minutes for the whole paper"),
          ("dump", "Brain dump", "minutes of free recall"))


def shown_values(service) -> dict[str, str]:  # noqa: ANN001 - a StudyService
    """Each field's text, as the database holds the settings now (read again: another process may have
    changed them)."""
    s = service.sync_settings()
    return {"exam": s.exam_date.isoformat() if s.exam_date else "",
            "budget": str(s.daily_minutes) if s.daily_minutes else "", "retention": f"{s.desired_retention:.2f}",
            "new-per-day": str(s.new_per_day), "day-start": str(s.day_start_hour),
            "mock": str(service.exams.mock_minutes), "dump": str(service.exams.dump_minutes)}


class SettingsScreen(StudyScreen[None]):
    fitting = False  # a fit is running in its worker
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Save the settings", priority=True),
        Binding("ctrl+o", "fit", "Fit schedule", id="settings.fit",
                tooltip="Fit the schedule's parameters to your own reviews", priority=True),
        Binding("escape", "back", "Back", id="settings.back", tooltip="Back without saving"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, str] = {}  # each field as read from the database, before the student's edits

    def compose(self) -> ComposeResult:
        values = self.shown = shown_values(self.service)
        yield Header()
        with VerticalScroll(id="settings"):  # seven rows and the buttons: more than 24 lines
            for key, label, hint in FIELDS:
                with Horizontal(classes="settings-row"):
                    yield Label(label, classes="settings-label")
                    # The hint is beside the box; in it only what fits whole ("minutes a" helps nobody).
                    yield Input(values[key], placeholder=hint if len(hint) <= 12 else "", id=f"set-{key}",
                                classes="settings-input")
                    yield Label(hint, classes="settings-help")
            yield Static("", id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", id="settings-save")
                yield Button("Cancel", id="settings-cancel")
                yield Button("Fit schedule to my reviews", id="settings-fit-button")
            yield Static("Setting an exam date brings every card due after it forward to the exam day; "
                         "until the exam no review is scheduled after it. With a daily budget too, each day's "
                         "cards are those that raise your predicted recall on the exam day most per minute.",
                         id="settings-hint")
            yield Static(self._schedule_text(), id="settings-fit")
        yield Footer()

    def _schedule_text(self) -> str:
        fitted = self.service.settings.parameters is not None
        return ("Schedule: FSRS parameters fitted to your reviews." if fitted else
                "Schedule: FSRS's default parameters.") + " Ctrl+O fits them to your own reviews."

    def action_fit(self) -> None:
        if self.fitting:
            return
        self.fitting = True
        line = self.query_one("#settings-fit", Static)
        line.update("Fitting the schedule to your reviews…")
        line.scroll_visible(animate=False)
        self.query_one("#settings-fit-button", Button).disabled = True
        self._fit()

    @work(thread=True, exclusive=True, group="fit", exit_on_error=False)
    def _fit(self) -> FitResult:
        return fit_schedule(self.service)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "fit" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.fitting = False
        self.query_one("#settings-fit-button", Button).disabled = False
        line = self.query_one("#settings-fit", Static)
        if event.state is WorkerState.ERROR:
            line.update(f"The schedule could not be fitted: {event.worker.error}. Nothing was changed.")
            return
        result = event.worker.result
        assert isinstance(result, FitResult)
        try:  # saved on this thread: the service's scheduler changes here, between two frames
            adopted = adopt_if_better(self.service, result)
        except StorageError as exc:
            line.update(f"The fitted schedule was NOT saved: {exc}.")
            return
        line.update(describe(result, adopted))
        # once its new height is laid out, show all of it
        self.call_after_refresh(self.query_one("#settings", VerticalScroll).scroll_end, animate=False)

    def on_mount(self) -> None:
        self.query_one("#set-exam", Input).focus()

    def _value(self, key: str) -> str:
        return self.query_one(f"#set-{key}", Input).value

    def refresh_from_store(self) -> list[str]:
        """Read the settings again (another process, `studyapp exam set` say, may have changed them):
        a field the student has not edited takes the new value. Returns the fields that changed."""
        fresh = shown_values(self.service)
        changed = []
        for key, value in fresh.items():
            if value != self.shown[key] and self._value(key).strip() == self.shown[key]:
                self.query_one(f"#set-{key}", Input).value = value
                changed.append(key)
            self.shown[key] = value
        if changed:
            names = ", ".join(label.lower() for key, label, _ in FIELDS if key in changed)
            self.notify(f"Changed outside this screen, now shown: {names}", title="Settings")
        return changed

    def on_screen_resume(self) -> None:
        self.refresh_from_store()

    def action_save(self) -> None:
        service = self.service
        self.refresh_from_store()  # what another process saved meanwhile stays, unless edited here
        edited = {key for key in self.shown if self._value(key).strip() != self.shown[key]}
        changes, problems = parse_settings(self._value("exam"), self._value("retention"), self._value("new-per-day"),
                                           self._value("day-start"), service.study_day(service.clock()),
                                           daily_minutes=self._value("budget"))
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
        names = {"exam": "exam_date", "budget": "daily_minutes", "retention": "desired_retention",
                 "new-per-day": "new_per_day", "day-start": "day_start_hour", "mock": MOCK_MINUTES_SETTING,
                 "dump": DUMP_MINUTES_SETTING}
        changes = {names[key]: changes[names[key]] for key in edited}  # only what the student changed
        try:
            if "exam_date" in changes:
                moved = service.set_exam_date(changes.pop("exam_date"), **changes)
            elif changes:
                service.update_settings(**changes)
                moved = 0
            else:
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
        elif event.button.id == "settings-fit-button":
            self.action_fit()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

"""The one way screens are opened: by name, each screen's module imported only when first needed.

Screens never import each other to navigate; they call `self.app.show(name, ...)` or one of the
methods below, which also check that the study data is open. Every study session is started
through `run_session`, so an empty one is refused with the same message everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from studyapp.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from studyapp.overview import Overview
    from studyapp.service import Session, StudyService

# name -> module under studyapp.tui.screens and the screen class in it; loaded lazily (the first frame
# imports only the home screen).
SCREENS_BY_NAME: dict[str, tuple[str, str]] = {
    "review": ("review", "ReviewScreen"),
    "summary": ("summary", "SummaryScreen"),
    "card": ("card", "CardScreen"),
    "weak": ("weak", "WeakScreen"),
    "stats": ("stats", "StatsScreen"),
    "browse": ("browse", "BrowseScreen"),
    "settings": ("settings", "SettingsScreen"),
    "essays": ("essays", "EssayListScreen"),
    "essay": ("essay", "EssayScreen"),
    "essay_result": ("essay_result", "EssayResultScreen"),
    "essay_history": ("essay_history", "EssayHistoryScreen"),
    "mock_list": ("mock_list", "MockListScreen"),
    "mock_exam": ("mock_exam", "MockExamScreen"),
    "mock_result": ("mock_result", "MockResultScreen"),
    "brain_dump": ("brain_dump", "BrainDumpScreen"),
    "brain_dump_result": ("brain_dump_result", "BrainDumpResultScreen"),
    "transfer": ("transfer", "TransferScreen"),
    "help": ("help", "HelpScreen"),
    "database_problem": ("database_problem", "DatabaseProblemScreen"),
}

HOME_SCREENS = ("weak", "stats", "browse", "settings")  # opened from home by a key or the command palette


def screen_class(name: str) -> Callable[..., Screen[Any]]:
    try:
        module, class_name = SCREENS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"no screen called {name!r}") from None
    screen: Callable[..., Screen[Any]] = getattr(import_module(f"studyapp.tui.screens.{module}"), class_name)
    return screen


class ScreenRouter(App[None]):
    """StudyApp's navigation: which screen opens, and whether the study data is ready for it."""

    service: StudyService | None
    overview: Overview | None
    _pending_study: list[str] | None

    def show(
        self, name: str, *args: object, replace: bool = False, callback: Callable[[Any], None] | None = None
    ) -> None:
        """Open the screen called `name` with `args`: on top, or in place of the current one (`replace`)."""
        screen = screen_class(name)(*args)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen, callback)

    def _service_or_warn(self) -> StudyService | None:
        if self.service is None:
            self.notify("Still loading the decks", severity="warning")
        return self.service

    def study(self, deck_ids: list[str]) -> None:
        """Start a review session over `deck_ids` (from the home screen or the palette)."""
        if self.service is None:
            if self.overview is not None:  # the counts show; the rest is a moment away
                self._pending_study = list(deck_ids)
                self.notify("Opening your progress…", timeout=2)
            else:
                self.notify("Still loading the decks", severity="warning")
            return
        session = self.service.sessions.today(deck_ids)
        if session.remaining == 0:
            from studyapp.tui.formatting import when

            nxt = when(self.service.next_due(deck_ids), self.service.clock())
            self.notify(f"Nothing to study here today. Next card due: {nxt}.", title="All done")
            return
        self.run_session(session)

    def run_session(self, session: Session, replace: bool = False) -> None:
        """Show a session built elsewhere (a topic drill, a cram session, the misses of an essay), on top or
        in place of the current screen."""
        if session.total == 0:
            self.notify("No cards to study there", severity="warning")
            return
        self.show("review", session, replace=replace)

    def open_essays(self, deck_id: str | None = None) -> None:
        if self._service_or_warn() is not None:
            self.show("essays", deck_id)

    def write_essay(self, prompt_id: str) -> None:
        prompt = self.service.essays.essay_prompt(prompt_id) if self.service else None
        if prompt is not None:
            self.show("essay", prompt)

    def cram(self) -> None:
        if (service := self._service_or_warn()) is None:
            return
        session = service.sessions.cram()
        if session is None:
            self.notify("Set an exam date first (Settings, or `studyapp exam set YYYY-MM-DD`)", severity="warning")
            return
        self.run_session(session)

    def mock_exams(self) -> None:
        if self._service_or_warn() is not None:
            self.show("mock_list")

    def brain_dump(self, deck_id: str, facet: str | None = None) -> None:
        """Write everything you know about a deck (or one of its facets) for the minutes set in Settings."""
        from studyapp.errors import StorageError

        if (service := self._service_or_warn()) is None:
            return
        try:
            dump = service.exams.start_dump(deck_id, facet)
        except StorageError as exc:
            self.notify(f"The brain dump could not start: {exc}", title="Could not save", severity="error", timeout=10)
            return
        if dump.text:
            self.notify("Going on with the brain dump you left on this topic", timeout=4)
        self.show("brain_dump", dump)

    def open_screen(self, name: str) -> None:
        """Open one of the screens reachable from home: weak, stats, browse or settings."""
        if name not in HOME_SCREENS:
            raise ValueError(f"no screen called {name!r}")
        if self._service_or_warn() is not None:
            self.show(name)

    def transfer(self, mode: str) -> None:
        """Import cards ("import") or export them ("apkg", "csv"): a path, a progress bar, the outcome."""
        if self._service_or_warn() is None:
            return

        def closed(imported: bool | None) -> None:
            if imported and isinstance(self.screen, HomeScreen):
                self.screen.refresh_decks()

        self.show("transfer", mode, "" if mode == "import" else f"studyapp-cards.{mode}", callback=closed)

    def go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_decks()


def unknown_binding_ids(keymap: dict[str, str]) -> list[str]:
    """The ids in a keymap that name none of studyapp's bindings (every screen is imported to find them)."""
    from textual.binding import Binding
    from textual.dom import DOMNode

    if not keymap:
        return []
    for name in SCREENS_BY_NAME:
        screen_class(name)
    known: set[str] = set()
    classes: list[type] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("studyapp."):
            known.update(b.id for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id)
    return sorted(set(keymap) - known)

"""StudyApp: screens, app-wide keys and the command palette.

The first frame never waits for the database: the service (SQLAlchemy, decks,
progress) is opened in a worker thread after the home screen has painted.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from studyapp.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from studyapp.service import Session, StudyService


class StudyApp(App[None]):
    TITLE = "studyapp"
    SUB_TITLE = "security cooperation"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere find it too
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Keys", id="app.help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, service: StudyService | None = None,
                 service_factory: Callable[[], StudyService] | None = None):
        super().__init__()
        if service is None and service_factory is None:
            raise ValueError("StudyApp needs a service or a service_factory")
        self.service: StudyService | None = service
        self._service_factory = service_factory
        self.load_error: str | None = None

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self.service is not None:
            gc.freeze()
        if self.service is None:
            # After the first frame: the worker's imports would otherwise hold the GIL while it paints.
            self.call_after_refresh(self._open_service)

    @work(thread=True, exclusive=True, group="open")
    def _open_service(self) -> None:
        assert self._service_factory is not None
        try:
            service = self._service_factory()
        except Exception as exc:  # shown to the user on the home screen, never printed
            self.call_from_thread(self._service_failed, f"{type(exc).__name__}: {exc}")
            return
        self.call_from_thread(self._service_ready, service)

    def _service_ready(self, service: StudyService) -> None:
        self.service = service
        # The decks and progress are a few hundred thousand long-lived objects in a big collection;
        # left to the cyclic GC they are rescanned in every full collection, which stalls screens
        # for 100 ms and more. Frozen, only objects made after loading are collected.
        gc.freeze()
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_decks()

    def _service_failed(self, message: str) -> None:
        self.load_error = message
        if isinstance(self.screen, HomeScreen):
            self.screen.show_error(message)

    # --- app-wide actions -----------------------------------------------------------------
    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def study(self, deck_ids: list[str]) -> None:
        """Start a review session over `deck_ids` (from the home screen or the palette)."""
        from studyapp.tui.screens.review import ReviewScreen

        if self.service is None:
            self.notify("Still loading the decks", severity="warning")
            return
        session = self.service.start_session(deck_ids)
        if session.remaining == 0:
            from studyapp.tui.formatting import when

            nxt = when(self.service.next_due(deck_ids), self.service.clock())
            self.notify(f"Nothing to study here today. Next card due: {nxt}.", title="All done")
            return
        self.push_screen(ReviewScreen(session))

    def open_essays(self, deck_id: str | None = None) -> None:
        from studyapp.tui.screens.essays import EssayListScreen

        if self.service is None:
            self.notify("Still loading the decks", severity="warning")
            return
        self.push_screen(EssayListScreen(deck_id))

    def write_essay(self, prompt_id: str) -> None:
        from studyapp.tui.screens.essay import EssayScreen

        prompt = self.service.essay_prompt(prompt_id) if self.service else None
        if prompt is not None:
            self.push_screen(EssayScreen(prompt))

    def run_session(self, session: Session) -> None:
        """Show a session built elsewhere (a topic drill, a cram session)."""
        from studyapp.tui.screens.review import ReviewScreen

        if session.total == 0:
            self.notify("No cards to study there", severity="warning")
            return
        self.push_screen(ReviewScreen(session))

    def cram(self) -> None:
        if self.service is None:
            self.notify("Still loading the decks", severity="warning")
            return
        session = self.service.start_cram()
        if session is None:
            self.notify("Set an exam date first (Settings, or `studyapp exam set YYYY-MM-DD`)",
                        severity="warning")
            return
        self.run_session(session)

    def open_screen(self, name: str) -> None:
        """Open one of the screens reachable from home: weak, stats, browse or settings."""
        if self.service is None:
            self.notify("Still loading the decks", severity="warning")
            return
        if name == "weak":
            from studyapp.tui.screens.weak import WeakScreen as screen_class
        elif name == "stats":
            from studyapp.tui.screens.stats import StatsScreen as screen_class
        elif name == "browse":
            from studyapp.tui.screens.browse import BrowseScreen as screen_class
        elif name == "settings":
            from studyapp.tui.screens.settings import SettingsScreen as screen_class
        else:
            raise ValueError(f"no screen called {name!r}")
        self.push_screen(screen_class())

    def go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_decks()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Home", "Back to the list of decks", self.go_home)
        if self.service is None:
            return
        yield SystemCommand("Weak topics", "Topics ranked weakest first; drill one, see your leeches",
                            lambda: self.open_screen("weak"))
        yield SystemCommand("Statistics", "Reviews per day, due forecast, recall by week, mature cards",
                            lambda: self.open_screen("stats"))
        yield SystemCommand("Browse cards", "Every card in a table, fuzzy search, review history",
                            lambda: self.open_screen("browse"))
        yield SystemCommand("Settings", "Exam date, desired retention, new cards per day, day start",
                            lambda: self.open_screen("settings"))
        yield SystemCommand("Cram for the exam", "Every card, lowest predicted recall on exam day first",
                            self.cram)
        decks = self.service.decks.decks
        yield SystemCommand("Study: all decks", "Review every due and new card",
                            lambda: self.study([d.id for d in decks]))
        yield SystemCommand("Essays: all prompts", "Practise an essay outline against the clock", self.open_essays)
        for deck in decks:
            yield SystemCommand(f"Study: {deck.title}", f"{len(deck.cards)} cards · deck {deck.id}",
                                lambda deck_id=deck.id: self.study([deck_id]))
        for prompt in self.service.essay_prompts():
            yield SystemCommand(f"Essay: {prompt.prompt}", f"{prompt.minutes} min · {', '.join(prompt.deck_ids)}",
                                lambda prompt_id=prompt.id: self.write_essay(prompt_id), discover=False)

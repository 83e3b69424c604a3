"""Run in a fresh interpreter by startup.py: start an app headless and report when it is ready.

argv: minimal | studyapp DATA_DIR [DECKS_DIR]
Prints "first_frame <epoch seconds>" once the first screen is mounted and painted and, for
studyapp, "home <epoch seconds>" once the home screen shows every deck's counts. Also prints
"peak_rss_mb N".
"""

from __future__ import annotations

import resource
import sys
import time


def report(name: str) -> None:
    print(f"{name} {time.time():.6f}", flush=True)


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("Hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.painted)

        def painted(self) -> None:
            report("first_frame")
            self.exit()

    Minimal().run(headless=True)


def studyapp(data_dir: str, decks: str | None) -> None:
    from pathlib import Path

    from studyapp.tui.app import StudyApp
    from studyapp.tui.screens.home import HomeScreen

    def open_service():  # noqa: ANN202
        from studyapp.service import StudyService

        return StudyService.open(Path(data_dir), [Path(decks)] if decks else [])

    class Timed(StudyApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(lambda: report("first_frame"))

        def _service_ready(self, service) -> None:  # noqa: ANN001
            super()._service_ready(service)
            screen = self.screen
            assert isinstance(screen, HomeScreen)
            self.call_after_refresh(self._home_painted)

        def _home_painted(self) -> None:
            report("home")
            self.exit()

    Timed(service_factory=open_service).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        studyapp(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)

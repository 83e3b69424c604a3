"""Run in a fresh interpreter by startup.py: start an app headless and report when it is ready.

argv: minimal | studyapp DATA_DIR [DECKS_DIR]
Prints "first_frame <epoch seconds>" once the first screen is mounted and painted and, for
studyapp, "home <epoch seconds>" once the home screen shows every deck's counts, and "service"
once the full StudyService (SQLAlchemy, progress) is open and a deck can be studied. Then
"peak_rss_mb N", the peak after all of that.
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

    opened = {}

    def opening():  # noqa: ANN202 - as studyapp.cli.run_tui does: imported in the worker
        if "opening" not in opened:
            from studyapp.overview import Opening

            opened["opening"] = Opening(Path(data_dir), [Path(decks)] if decks else [])
        return opened["opening"]

    class Timed(StudyApp):
        home_reported = False

        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(lambda: report("first_frame"))

        def _overview_ready(self, overview) -> None:  # noqa: ANN001
            super()._overview_ready(overview)
            self.call_after_refresh(self._home_painted)

        def _home_painted(self) -> None:
            if not self.home_reported:
                self.home_reported = True
                report("home")

        def _service_ready(self, service) -> None:  # noqa: ANN001
            super()._service_ready(service)
            self.call_after_refresh(self._service_painted)

        def _service_failed(self, message: str) -> None:
            print(f"failed {message}", file=sys.stderr, flush=True)
            self.exit(return_code=1)

        def _database_problem(self, problem) -> None:  # noqa: ANN001
            self._service_failed(problem.message)

        def _service_painted(self) -> None:
            self._home_painted()  # with no overview (a new database), the home screen shows now
            report("service")
            self.exit()

    Timed(service_factory=lambda: opening().service(),
          overview_factory=lambda: opening().overview()).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        studyapp(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)

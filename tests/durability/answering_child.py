"""The real app, headless, answering cards by itself: run as a subprocess by the durability tests.

    python answering_child.py DATA_DIR DECKS_DIR SEED [MAX_ANSWERS]

An auto-pilot presses Space and a rating, card after card, through the real ReviewScreen.
Only once the screen has moved on (the answer committed and shown as saved) does it write
`saved LOG_ID DECK_ID CARD_ID RATING` to stdout (fd 1, unbuffered, so a SIGKILL right after
loses nothing that was written). `ready` comes once the first card shows, `done` at the end.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # straight to the pipe: no buffer a kill could lose


def main() -> None:
    data_dir, decks_dir, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    max_answers = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9

    from studyapp import paths

    paths.bundled_decks_dir = lambda: decks_dir  # only the test's decks

    from studyapp.service import StudyService
    from studyapp.tui.app import StudyApp
    from studyapp.tui.screens.review import ReviewScreen

    def open_service() -> StudyService:  # as `studyapp` does: in a worker, after the first frame
        service = StudyService.open(data_dir)
        if service.settings.new_per_day < 100_000:
            service.update_settings(new_per_day=100_000)  # keep the queue long
        return service

    rng = random.Random(seed)

    async def auto_pilot(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        while app.service is None:
            if app.load_error:
                say(f"error {app.load_error}")
                app.exit(return_code=1)
                return
            await pilot.pause(0.01)
        await pilot.press("a")
        await pilot.pause()
        say("ready")
        answered = 0
        while answered < max_answers and isinstance(app.screen, ReviewScreen):
            screen = app.screen
            history = screen.session.history
            before = len(history)
            await pilot.press("space")
            rating = rng.choice("1234")
            await pilot.press(rating)
            await pilot.pause()
            if len(history) == before + 1 and not screen.answer_shown:  # saved and moved on
                last = history[-1]
                say(f"saved {last.log_id} {last.key[0]} {last.key[1]} {rating}")
                answered += 1
            else:
                say(f"unsaved {rating} " + " | ".join(n.message for n in app._notifications).replace("\n", " "))
        say("done")
        app.exit()

    StudyApp(service_factory=open_service).run(headless=True, auto_pilot=auto_pilot, size=(80, 24))


if __name__ == "__main__":
    main()

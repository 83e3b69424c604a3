"""The real app, headless, answering cards by itself: run as a subprocess by the durability tests.

    python answering_child.py DATA_DIR DECKS_DIR SEED [MAX_ANSWERS [NEW_PER_DAY [UNDO_SHARE [GO_FILE]]]]

An auto-pilot presses Space and a rating, card after card, through the real ReviewScreen.
Only once the answer is committed and counted in the session (it may first wait for another
copy's write lock) does it write `saved LOG_ID DECK_ID CARD_ID RATING` to stdout (fd 1,
unbuffered, so a SIGKILL right after loses nothing that was written). With UNDO_SHARE, that
share of turns presses `u` instead, between `undoing LOG_ID` and `undone LOG_ID` (or `kept
LOG_ID` when the undo was refused or failed). `ready`
comes once the first card shows (after GO_FILE exists, if given), `done` at the end.
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
    new_per_day = int(sys.argv[5]) if len(sys.argv) > 5 else 100_000  # large: keep the queue long
    undo_share = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    go_file = Path(sys.argv[7]) if len(sys.argv) > 7 else None

    from studyapp import paths

    paths.bundled_decks_dir = lambda: decks_dir  # only the test's decks

    from studyapp.service import StudyService
    from studyapp.tui.app import StudyApp
    from studyapp.tui.screens.review import ReviewScreen

    def open_service() -> StudyService:  # as `studyapp` does: in a worker, after the first frame
        service = StudyService.open(data_dir)
        if service.settings.new_per_day != new_per_day:
            service.update_settings(new_per_day=new_per_day)
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
        while go_file is not None and not go_file.exists():  # the parent starts two copies together
            await pilot.pause(0.01)
        await pilot.press("a")
        await pilot.pause()
        say("ready")
        answered = 0
        while answered < max_answers and isinstance(app.screen, ReviewScreen):
            screen = app.screen
            session = screen.session
            history = session.history
            if history and rng.random() < undo_share:
                last, count = history[-1], session.stats.answered
                say(f"undoing {last.log_id}")  # killed before the outcome is said: it may have gone either way
                await pilot.press("u")
                while screen.saving:  # waiting for another copy's write lock
                    await pilot.pause(0.01)
                # refused (answered since in the other copy) or not saved: it stays in the log
                say(f"{'undone' if session.stats.answered == count - 1 else 'kept'} {last.log_id}")
                continue
            before = len(history)
            await pilot.press("space")
            rating = rng.choice("1234")
            await pilot.press(rating)
            while screen.saving:
                await pilot.pause(0.01)
            if len(history) == before + 1:  # committed, counted, and the screen has moved on
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

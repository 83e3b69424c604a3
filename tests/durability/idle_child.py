"""The real app, headless: answers N cards through the review screen, then sits idle until killed.

    python idle_child.py DATA_DIR DECKS_DIR N

Prints `saved LOG_ID DECK_ID CARD_ID RATING` for each answer once the screen has moved on (as
answering_child.py does), then `idle`. While it sits there nothing writes, so only the app's own
periodic checkpoint can move the answers from the write-ahead log into studyapp.db (SQLite's
automatic one waits for 1,000 pages).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.durability.answering_child import say


def main() -> None:
    data_dir, decks_dir, answers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])

    from studyapp import paths

    paths.bundled_decks_dir = lambda: decks_dir

    from studyapp.service import StudyService
    from studyapp.tui.app import StudyApp

    async def auto_pilot(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        while app.service is None:
            await pilot.pause(0.01)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        while len(screen.session.history) < answers:
            before = len(screen.session.history)
            await pilot.press("space", "3")
            await pilot.pause()
            if len(screen.session.history) == before + 1 and not screen.answer_shown:
                last = screen.session.history[-1]
                say(f"saved {last.log_id} {last.key[0]} {last.key[1]} 3")
        say("idle")
        await asyncio.Event().wait()  # until killed

    StudyApp(service_factory=lambda: StudyService.open(data_dir)).run(headless=True, auto_pilot=auto_pilot,
                                                                      size=(80, 24))


if __name__ == "__main__":
    main()

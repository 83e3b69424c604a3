"""Run as a separate process by test_essays.py: the real app writes an outline, a few keys at a time.

It prints "typed N" after each burst, and "saved N" each time the screen's autosave has committed the
first N characters, so the test knows what the app held as saved when it kills us.
"""

from __future__ import annotations

import asyncio
import sys

OUTLINE = ("NATO origins: Western fear of the large Soviet armies in Eastern Europe. "
           "The Czechoslovak coup of 1948 and the Berlin Blockade. Article 5: an attack on one is an attack on all. "
           "Warsaw Pact founded in 1955 within days of West Germany joining NATO. ") * 4


def text_after(n: int) -> str:
    return OUTLINE[:n]


async def main(prompt_id: str) -> None:
    from studyapp import paths
    from studyapp.service import StudyService
    from studyapp.tui.app import StudyApp

    service = StudyService.open(paths.data_dir())
    save_draft = service.essays.save_draft

    def saving_and_saying(prompt_id, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        draft = save_draft(prompt_id, text, *args, **kwargs)  # committed when it returns
        print(f"saved {len(text)}", flush=True)
        return draft

    service.essays.save_draft = saving_and_saying
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.write_essay(prompt_id)
        await pilot.pause()
        typed = 0
        while typed < len(OUTLINE):
            burst = OUTLINE[typed:typed + 5]
            await pilot.press(*[("space" if c == " " else c) for c in burst])
            typed += len(burst)
            print(f"typed {typed}", flush=True)
            await asyncio.sleep(0.2)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

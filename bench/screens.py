#!/usr/bin/env python3
"""Weak topics and statistics: time to open each screen; the browser: time per keystroke of search.

    python bench/screens.py --big DIR [--runs 7] [--sizes 80x24,160x48]

DIR is a collection made by bench/generate.py (100,000 cards, 1,000,000 review-log rows by
default); its database and deck cache are copied to a temporary folder first, so they are not
changed, and the decks are read from the cache as on any start after the first (cards unread
until a screen needs them). The real app runs headless (Textual's `run_test`) over the real
service and SQLite file, in a fresh process for each terminal size (a student runs one app per
process). The first open of each screen is in the max column (the browser's builds its search
index).

"shown" is from the home screen's key binding running (wrapping `HomeScreen.action_open`:
Pilot spends its own time before the key arrives) to the first frame of the new screen written to the (headless)
terminal, with its data read, laid out and every widget rendered (the bench checks that the
charts were drawn inside the timed span); "settled" is to the last frame that follows (the
footer, scrollbars and the tables' column widths being redrawn after the first paint).
"keystroke" is from the search box receiving one typed character (wrapping `Input._on_key`,
as Pilot spends its own time before the key arrives) to the first frame after the table
holds the new results. The end is
taken from the app's display calls (wrapping `App._display`, a private method: fine for a
bench, never done in the app), because Pilot's own waits add up to ~300 ms of idle polling.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp.deck_files import card_ids  # noqa: E402
from studyapp.service import StudyService  # noqa: E402
from studyapp.tui.app import StudyApp  # noqa: E402

QUERIES = ["alliance summit", "securty council", "question 12 of deck 4", "deterrence 1961", "treaty"]


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"{statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {len(times):6d}"


async def measure(service: StudyService, size: tuple[int, int], runs: int) -> dict[str, list[float]]:
    from textual_plotext import PlotextPlot

    from studyapp.tui.screens.browse import BrowseScreen
    from studyapp.tui.screens.home import HomeScreen

    renders = {"charts": 0}
    original = PlotextPlot.render

    def counting_render(self):  # noqa: ANN001, ANN202
        renders["charts"] += 1
        return original(self)

    PlotextPlot.render = counting_render
    results: dict[str, list[float]] = {}
    app = StudyApp(service)
    frames: list[tuple[float, object]] = []
    display = app._display

    def recording_display(screen, renderable) -> None:  # noqa: ANN001
        display(screen, renderable)
        if renderable is not None:
            frames.append((time.perf_counter(), screen))

    app._display = recording_display

    ready: list[float] = []  # when the browser's table was refilled

    show_results = BrowseScreen.show_results

    def timed_show_results(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        show_results(self, *args, **kwargs)
        if self.browser is not None:  # before the index is built there is nothing to show
            ready.append(time.perf_counter())

    BrowseScreen.show_results = timed_show_results

    from textual.widgets import Input

    key_arrived: list[float] = []  # when the search box got the key (Pilot's own waits come before)
    on_key = Input._on_key

    async def timed_on_key(self, event) -> None:  # noqa: ANN001
        key_arrived.append(time.perf_counter())
        await on_key(self, event)

    Input._on_key = timed_on_key

    def record(name: str, start: float, screen_type: type, after: float | None = None) -> None:
        # "shown": the first frame after `after` (the results being in the table) or after the key press
        shown = [t for t, screen in frames if t >= (after or start) and isinstance(screen, screen_type)]
        ends = [t for t, screen in frames if t >= start and isinstance(screen, screen_type)]
        assert shown, f"no frame of {screen_type.__name__} was drawn"
        results.setdefault(f"{name}: shown", []).append((min(shown) - start) * 1000)
        results.setdefault(f"{name}: settled", []).append((max(ends) - start) * 1000)

    from studyapp.tui.screens.stats import StatsScreen
    from studyapp.tui.screens.weak import WeakScreen

    opened: list[float] = []  # when the home screen's key binding ran (Pilot's own waits come before)
    action_open = HomeScreen.action_open

    def timed_action_open(self, name: str) -> None:  # noqa: ANN001
        opened.append(time.perf_counter())
        action_open(self, name)

    HomeScreen.action_open = timed_action_open

    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(runs):
            for key, name, screen_type in (("w", "weak topics open", WeakScreen),
                                           ("s", "statistics open", StatsScreen)):
                assert isinstance(app.screen, HomeScreen)
                before = renders["charts"]
                frames.clear()
                opened.clear()
                await pilot.press(key)
                await pilot.pause()
                assert opened, "the key did not open the screen"
                record(name, opened[0], screen_type)
                if key == "s":
                    assert renders["charts"] - before >= 2, "the charts were not drawn inside the timed span"
                await pilot.press("escape")
                await pilot.pause()
        frames.clear()
        opened.clear()
        ready.clear()
        await pilot.press("b")
        await pilot.pause()
        assert opened and ready, "the key did not open the browser with its cards"
        # To the first frame with the cards in the table: the first open in a run of the app paints
        # "Reading every card" first, then builds the search index (1-2 s at 100,000 cards)
        record("browser open", opened[0], BrowseScreen, after=ready[-1])
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        for query in QUERIES:
            for ch in query:
                frames.clear()
                ready.clear()
                key_arrived.clear()
                await pilot.press(ch if ch != " " else "space")
                await pilot.pause()
                assert ready and key_arrived, "the keystroke did not refill the table"
                record("browser keystroke", key_arrived[0], BrowseScreen, after=ready[-1])
            start = time.perf_counter()
            screen.browser.search(query)
            results.setdefault("browser: search only", []).append((time.perf_counter() - start) * 1000)
            await pilot.press(*["backspace"] * len(query))
            await pilot.pause()
    PlotextPlot.render = original
    BrowseScreen.show_results = show_results
    Input._on_key = on_key
    HomeScreen.action_open = action_open
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", type=Path, required=True, help="a folder made by bench/generate.py")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="80x24,160x48")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    if len(sizes) > 1:  # one process per size, as a student runs one app per process
        for size_text in sizes:
            subprocess.run([sys.executable, __file__, "--big", str(args.big), "--runs", str(args.runs),
                            "--sizes", size_text], check=True)
        return
    tmp = Path(tempfile.mkdtemp())
    for name in ("studyapp.db", "studyapp.db-wal"):
        if (args.big / "data" / name).exists():
            shutil.copy(args.big / "data" / name, tmp / name)
    if (args.big / "data" / "cache").is_dir():
        shutil.copytree(args.big / "data" / "cache", tmp / "cache")
    # As on every start after the first: the decks come from the parse cache, their cards unread
    # until a screen needs them (the first open below builds the cache if the copy had none).
    StudyService.open(tmp, [args.big / "decks"]).repo.engine.dispose()
    service = StudyService.open(tmp, [args.big / "decks"])
    service.prepare()  # as the app's loading worker does
    cards = sum(len(card_ids(d)) for d in service.decks.decks)
    print(f"{cards:,} cards in {len(service.decks.decks)} decks, {service.repo.review_count():,} review-log rows")
    width, height = (int(n) for n in sizes[0].split("x"))
    results = asyncio.run(measure(service, (width, height), args.runs))
    print(f"terminal {width}x{height}")
    print(f"{'measure':34} {'median':>8} {'p95':>8} {'max':>8} {'n':>6}   (ms)")
    for name, times in results.items():
        print(f"{name:34} {summary(times)}")
    print(flush=True)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""When the garbage collector may run: paused while loading and opening screens, never left off."""

from __future__ import annotations

import gc
from pathlib import Path

from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.collector import CollectorPauses
from studyapp.tui.screens.stats import StatsScreen


def test_the_collector_runs_again_only_when_every_hold_is_released() -> None:
    pauses = CollectorPauses()
    try:
        pauses.hold()
        pauses.hold()
        assert not gc.isenabled()
        pauses.release()
        assert not gc.isenabled(), "one hold is still on"
        pauses.release()
        assert gc.isenabled()
        pauses.release()  # one release too many does not pause or break anything
        assert gc.isenabled() and pauses.holds == 0
        pauses.hold()
        pauses.release_all()
        assert gc.isenabled() and pauses.holds == 0
    finally:
        gc.enable()


async def test_loading_and_opening_pause_the_collector_and_it_resumes(data_dir: Path, mini_decks: Path) -> None:
    app = StudyApp(service_factory=lambda: StudyService.open(data_dir, [mini_decks]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.service is not None and not app._loading
        await pilot.pause(app.OPENING_PAUSE_SECONDS + 0.2)  # the home screen's own opening pause
        assert gc.isenabled(), "loaded and nothing opening: collection is back on"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert not gc.isenabled(), "paused while the screen opens"
        await pilot.pause(app.OPENING_PAUSE_SECONDS + 0.2)
        assert gc.isenabled()
        await pilot.press("escape", "s")  # quitting inside a pause leaves the collector on
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 0, "the loaded decks and progress were frozen"
    gc.unfreeze()  # other tests in this process start as they would

"""When the garbage collector may run: paused while loading and opening screens, never left off."""

from __future__ import annotations

import gc
from pathlib import Path

from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.collector import CollectorPauses
from studyapp.tui.screens.stats import StatsScreen
from tests.waiting import wait_until


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
    collecting_as_pushed: list[bool] = []  # whether the collector ran just after each screen was pushed
    push_screen = app.push_screen

    def recording_push(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = push_screen(*args, **kwargs)
        collecting_as_pushed.append(gc.isenabled())
        return result

    app.push_screen = recording_push
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.service is not None and not app._loading, "the service to load")
        await wait_until(pilot, gc.isenabled, "collection back on once loaded and nothing opening")
        collecting_as_pushed.clear()
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), "the statistics screen")
        assert collecting_as_pushed == [False], "paused while the screen opens"
        await wait_until(pilot, gc.isenabled, "collection back on after the opening pause")
        await pilot.press("escape", "s")  # quitting inside a pause leaves the collector on
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 0, "the loaded decks and progress were frozen"
    gc.unfreeze()  # other tests in this process start as they would

"""Two real StudyApps over one real SQLite file, on the same deck, driven by their Pilots in turn.

Every answer either screen showed as saved is in the log; each card's progress is the replay of
its log with the real fsrs Scheduler (so both copies' answers to a card count); today's new-card
allowance holds across both copies; undo in one copy never takes away the other's progress.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from studyapp import paths
from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.review import ReviewScreen
from tests.durability.harness import write_deck
from tests.durability.replay import introduced_per_day, replay_problems

NEW_PER_DAY = 6


async def until(pilot, condition: Callable[[], object], what: str) -> None:  # noqa: ANN001 - a Pilot
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for: {what}"
        await pilot.pause(0.02)


def open_two(tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch, cards: int) -> list[StudyService]:  # noqa: ANN001
    decks = write_deck(tmp_path / "decks", deck_id="same", cards=cards)
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: decks)
    data = tmp_path / "data"
    first = StudyService.open(data, clock=clock)
    first.update_settings(new_per_day=NEW_PER_DAY)
    return [first, StudyService.open(data, clock=clock)]


async def rate(pilot, screen: ReviewScreen, key: str) -> None:  # noqa: ANN001
    if not screen.answer_shown:
        await pilot.press("space")
    await pilot.press(key)
    await until(pilot, lambda: not screen.saving, "the answer to be saved")


async def test_two_copies_on_one_deck_both_count_and_keep_the_allowance(tmp_path: Path, clock,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    services = open_two(tmp_path, clock, monkeypatch, cards=10)
    db = paths.database_path(services[0].data_dir)
    apps = [StudyApp(s) for s in services]
    rng = random.Random(7)
    saved: list[dict[int, tuple]] = [{}, {}]  # per copy: log id -> (deck, card, rating) shown as saved
    answered_keys: list[set] = [set(), set()]
    undone = refused = 0
    async with AsyncExitStack() as stack:
        pilots = [await stack.enter_async_context(app.run_test(size=(80, 24))) for app in apps]
        for pilot in pilots:
            await pilot.pause()
            await pilot.press("enter")
        for _ in range(80):
            i = rng.randrange(2)
            app, pilot = apps[i], pilots[i]
            screen = app.screen
            if not isinstance(screen, ReviewScreen) or screen.card is None:
                continue
            session = screen.session
            if not screen.answer_shown and rng.random() < 0.5:
                await pilot.press("space")  # the answer shows; the other copy may answer the card before this one rates
                continue
            if session.history and rng.random() < 0.15:
                last, count = session.history[-1], session.stats.answered
                await pilot.press("u")
                await until(pilot, lambda: not screen.saving, "the undo")
                if session.stats.answered == count - 1:
                    undone += 1
                    del saved[i][last.log_id]
                else:
                    refused += 1  # the card was answered since in the other copy: the answer stays saved
                continue
            before = len(session.history)
            key = rng.choice("1234")
            await rate(pilot, screen, key)
            assert len(session.history) == before + 1, "saved at once: nothing else was writing"
            last = session.history[-1]
            saved[i][last.log_id] = (*last.key, int(key))
            answered_keys[i].add(last.key)
            clock.advance(minutes=rng.choice([0, 1, 3]))
        for app in apps:
            assert not isinstance(app.screen, ReviewScreen) or not app.screen.saving
    log = {log_id: rest for log_id, *rest in _log_rows(db)}
    for mine in saved:  # every answer a screen showed as saved and did not take back is in the log
        for log_id, what in mine.items():
            assert tuple(log.get(log_id, ())) == what, what
    assert len(log) == sum(len(m) for m in saved), "and nothing else is"
    assert answered_keys[0] & answered_keys[1], "the copies answered some of the same cards"
    assert replay_problems(db) == []
    introduced = introduced_per_day(db, services[0].day_start(clock()).timestamp())
    assert introduced == {"same": NEW_PER_DAY}, "the allowance was used once, across both copies"
    assert undone + refused > 0


def _log_rows(db: Path) -> list:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT id, deck_id, card_id, rating FROM review_log").fetchall()
    finally:
        con.close()


async def test_undo_in_one_copy_never_takes_away_the_others_answer(tmp_path: Path, clock,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    services = open_two(tmp_path, clock, monkeypatch, cards=4)
    db = paths.database_path(services[0].data_dir)
    apps = [StudyApp(s) for s in services]
    said: list[str] = []
    real_notify = apps[0].notify
    monkeypatch.setattr(apps[0], "notify", lambda message, **kw: (said.append(message), real_notify(message, **kw)))
    async with AsyncExitStack() as stack:
        pa, pb = [await stack.enter_async_context(app.run_test(size=(80, 24))) for app in apps]
        for pilot in (pa, pb):
            await pilot.pause()
            await pilot.press("enter")
        a, b = apps[0].screen, apps[1].screen
        card = a.card
        assert b.card == card, "both copies show the first new card"
        await pa.press("space")
        await pb.press("space")
        await rate(pa, a, "3")
        clock.advance(minutes=1)
        await rate(pb, b, "1")  # b's screen still shows the card as new; its answer builds on a's
        progress = services[0].repo.progress(*card.key)
        assert progress.reps == 2 and progress.last_rating == 1
        await pa.press("u")  # a's answer is no longer the card's last: taking it back would drop b's
        await until(pa, lambda: any("answered again since" in m for m in said), "the refusal")
        assert services[0].repo.progress(*card.key) == progress and len(services[0].repo.reviews(*card.key)) == 2
        assert a.card != card, "a stays on its next card"
        await pb.press("u")  # b's answer was the last: it goes, and only it
        await until(pb, lambda: b.card == card and not b.answer_shown, "b's undo")
        kept = services[0].repo.progress(*card.key)
        assert kept.reps == 1 and kept.last_rating == 3
    assert replay_problems(db) == []

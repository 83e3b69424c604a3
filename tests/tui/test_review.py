"""The real app, driven by Pilot over a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from studyapp.core.models import LearnState, Rating
from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.review import ReviewScreen
from studyapp.tui.screens.summary import SummaryScreen
from tests.waiting import wait_until


async def test_review_three_cards_then_a_new_app_finds_them_saved(service, data_dir: Path, clock,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        screen = app.screen
        # 1: flip and rate Easy
        first = screen.card
        await pilot.press("3")
        assert screen.card is first, "rating is not possible before the answer shows"
        await pilot.press("space", "4")
        # 2: a typed answer, accepted with Enter
        second = screen.card
        assert second is not first
        await pilot.press("t")
        assert screen.query_one("#typed", Input).has_focus
        await pilot.press(*"Poland, Hungary, Romania, Bulgaria, Albania, East Germany, Czechoslovakia")
        await pilot.press("enter")
        assert screen.answer_shown and screen.result.correct
        await pilot.press("enter")
        # 3: typed, wrong on purpose, then overridden with Easy
        third = screen.card
        await pilot.press(*"1948", "enter")
        assert screen.result is not None and not screen.result.correct
        await pilot.press("ctrl+t")  # back to flipping for whatever comes next
        await pilot.press("4")
        await pilot.pause()
        answered = {first.id, second.id, third.id}
        assert len(answered) == 3
    logged = service.repo.reviews()
    assert [r.card_id for r in logged] == [first.id, second.id, third.id]
    assert [r.mode for r in logged] == ["flip", "typed", "typed"]
    assert logged[1].similarity == 100.0 and logged[2].typed == "1948"

    # A new app on the same data folder: the answers are there and those cards are not due.
    from studyapp import paths

    reopened = StudyService.open(data_dir, clock=clock)
    assert reopened.repo.review_count() == 3
    for card_id in answered:
        progress = reopened.progress[("mini", card_id)]
        assert progress.state is not LearnState.NEW
        assert progress.due > clock(), f"{card_id} must not be due straight after its answer"
    [summary] = reopened.summaries()
    assert (summary.new, summary.learned) == (0, 3)
    assert summary.due == 1  # the card rated Good is back in ten minutes; the Easy ones in days
    assert paths.database_path(data_dir).exists()


async def test_undo_restores_the_previous_state(service) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        card = screen.card
        await pilot.press("space", "3")
        assert service.progress[card.key].reps == 1
        assert service.repo.review_count() == 1
        await pilot.press("u")
        assert screen.card is card, "the undone card is shown again"
        assert card.key not in service.progress
        assert service.repo.review_count() == 0
        assert service.repo.load_progress() == {}
        assert not screen.answer_shown


async def test_the_session_ends_on_a_summary(service) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(3):
            await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        body = str(app.screen.query_one("#summary-body").render())
        assert "Cards answered   3" in body
        assert "100%" in body
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(0)[4] == "3"  # learned


async def test_a_failed_save_is_not_shown_as_saved(service, monkeypatch: pytest.MonkeyPatch) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        card = screen.card

        def disk_full(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
            raise OSError("database or disk is full")

        monkeypatch.setattr(service.repo, "record_answer", disk_full)
        await pilot.press("space", "3")
        await pilot.pause()
        assert screen.card is card and screen.answer_shown, "the card stays, waiting to be saved"
        assert card.key not in service.progress
        monkeypatch.undo()
        await pilot.press("3")
        assert service.repo.review_count() == 1


async def test_the_app_opens_its_service_in_the_background(data_dir: Path, mini_decks: Path) -> None:
    app = StudyApp(service_factory=lambda: StudyService.open(data_dir, [mini_decks]))
    async with app.run_test(size=(80, 24)) as pilot:
        # The worker starts after the first frame: waiting for workers at once may find none yet.
        await wait_until(pilot, lambda: app.service is not None, "the service to open")
        await wait_until(pilot, lambda: app.screen.query_one(DataTable).row_count >= 1, "the decks on the home screen")


def test_a_drill_takes_exactly_the_cards_given_due_or_not(service) -> None:
    keys = [("mini", "nato-signed"), ("mini", "wp-founded"), ("mini", "missing-card")]
    session = service.sessions.drill(keys)
    first = session.next_card()
    assert first.key == ("mini", "nato-signed")
    session.answer(Rating.GOOD)
    assert session.next_card().key == ("mini", "wp-founded")
    assert service.progress[("mini", "nato-signed")].reps == 1


def test_a_practice_drill_leaves_the_schedule_alone(service) -> None:
    from studyapp.core.models import Rating

    session = service.sessions.drill([("mini", "wp-founded")], practice=True)
    session.next_card()
    session.answer(Rating.AGAIN)
    assert ("mini", "wp-founded") not in service.progress
    assert service.repo.load_progress() == {}
    [logged] = service.repo.reviews()
    assert logged.mode == "practice"


async def test_a_deck_with_nothing_to_study_says_so(service, monkeypatch: pytest.MonkeyPatch) -> None:
    service.update_settings(new_per_day=0)
    app = StudyApp(service)
    said: list[str] = []
    real_notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (said.append(message), real_notify(message, **kw)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        assert any("Nothing to study" in m for m in said)

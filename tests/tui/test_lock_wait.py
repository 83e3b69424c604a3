"""Another copy holds the database's write lock while the review screen saves an answer.

The lock is really held: a second SQLite connection on the same file runs BEGIN IMMEDIATE. The
screen must say it is waiting, keep answering keys, save once the lock is free, and let Escape
stop the wait without saving. Every wait below is on a state, with a generous deadline.
"""

from __future__ import annotations

import sqlite3

from textual.widgets import Static

from studyapp import paths
from studyapp.core.models import Rating
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.review import ReviewScreen
from tests.waiting import wait_until


def hold_write_lock(service) -> sqlite3.Connection:  # noqa: ANN001 - a StudyService
    holder = sqlite3.connect(paths.database_path(service.data_dir), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another copy in the middle of saving
    return holder


def status_text(screen: ReviewScreen) -> str:
    status = screen.query_one("#save-status", Static)
    return str(status.content) if status.display else ""


async def test_the_screen_waits_for_another_copy_keeps_working_and_saves_when_it_is_done(service) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        card = screen.card
        holder = hold_write_lock(service)
        try:
            await pilot.press("space", "3")
            await wait_until(pilot, lambda: "Waiting for another copy of studyapp to finish saving" in status_text(screen),
                        "the waiting message")
            assert screen.saving == "answer" and screen.card is card and screen.answer_shown
            assert service.repo.review_count() == 0 and card.key not in service.progress, "not shown as saved"
            # Keys keep working while it waits: the help opens and closes ...
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "the help")
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: app.screen is screen, "the help to close")
            # ... but a second rating does not start a second save.
            await pilot.press("4")
            assert screen.card is card and screen.saving == "answer"
        finally:
            holder.rollback()  # the other copy finishes
        await wait_until(pilot, lambda: screen.saving is None, "the save to finish")
        assert screen.card is not card and not screen.answer_shown, "saved, so the next card shows"
        assert status_text(screen) == ""
        [logged] = service.repo.reviews()
        assert (logged.card_id, logged.rating) == (card.id, Rating.GOOD)
        assert service.progress[card.key].reps == 1


async def test_escape_stops_the_wait_and_the_answer_stays_unsaved_on_screen(service) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        card = screen.card
        holder = hold_write_lock(service)
        try:
            await pilot.press("space", "2")
            await wait_until(pilot, lambda: screen.saving == "answer", "the wait to start")
            await pilot.press("escape")
            await wait_until(pilot, lambda: screen.saving is None, "the wait to stop")
            assert app.screen is screen, "Escape stopped the wait; it did not end the session"
            assert screen.card is card and screen.answer_shown
            assert "NOT saved" in status_text(screen)
        finally:
            holder.rollback()
        assert service.repo.review_count() == 0 and card.key not in service.progress
        await pilot.press("3")  # the lock is free now: saved at once
        await wait_until(pilot, lambda: screen.card is not card, "the next card")
        [logged] = service.repo.reviews()
        assert (logged.card_id, logged.rating) == (card.id, Rating.GOOD)
        assert status_text(screen) == ""


async def test_undo_waits_for_another_copy_too(service) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        card = screen.card
        await pilot.press("space", "3")
        assert service.repo.review_count() == 1
        holder = hold_write_lock(service)
        try:
            await pilot.press("u")
            await wait_until(pilot, lambda: screen.saving == "undo", "the undo to wait")
            assert "Waiting for another copy" in status_text(screen)
            assert service.repo.review_count() == 1
        finally:
            holder.rollback()
        await wait_until(pilot, lambda: screen.saving is None, "the undo to finish")
        assert screen.card is card and service.repo.review_count() == 0

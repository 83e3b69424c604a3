"""Opening the study data in two steps: the quick overview must agree with the full service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from studyapp.core.models import Rating
from studyapp.overview import Opening
from tests.waiting import wait_until


def summary_rows(summaries) -> list[tuple]:  # noqa: ANN001
    return [(s.deck.id, s.new, s.due, s.learned, s.total) for s in summaries]


def test_overview_counts_equal_the_services_including_a_card_gone_from_its_deck(
        service, data_dir: Path, mini_decks: Path, clock) -> None:
    session = service.sessions.today(["mini"])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.next_card()
        session.answer(rating)
    service.repo.engine.dispose()
    # Take a studied card out of the deck file: its progress stays in the database, uncounted.
    text = (mini_decks / "mini.toml").read_text()
    start = text.index('[[card]]\nid = "nato-signed"')
    (mini_decks / "mini.toml").write_text(text[:start])
    opening = Opening(data_dir, clock=clock)
    overview = opening.overview()
    assert overview is not None
    full = opening.service()
    assert full.decks is overview.decks  # read once
    assert summary_rows(overview.summaries) == summary_rows(full.summaries())
    assert summary_rows(overview.summaries)[0][3] == 2  # two learned cards left in the file


def test_overview_counts_equal_the_services_before_an_exam(service, data_dir: Path, clock) -> None:
    """An exam date makes today's new-card allowance depend on the cards still unseen."""
    service.update_settings(new_per_day=1)
    session = service.sessions.today(["mini"])
    session.next_card()
    session.answer(Rating.GOOD)
    without_exam = summary_rows(service.summaries())
    service.set_exam_date(date(2026, 3, 6))  # four days ahead: every unseen card spread over two days
    service.repo.engine.dispose()
    opening = Opening(data_dir, clock=clock)
    overview = opening.overview()
    assert overview is not None
    assert summary_rows(overview.summaries) == summary_rows(opening.service().summaries())
    assert summary_rows(overview.summaries)[0][1] > without_exam[0][1] == 0  # the exam raised the allowance


def test_no_overview_for_a_database_that_must_be_made_first(data_dir: Path, clock) -> None:
    assert Opening(data_dir / "new", clock=clock).overview() is None


def test_no_overview_for_a_database_of_another_schema_version(service, data_dir: Path, clock) -> None:
    import sqlite3

    service.repo.engine.dispose()
    con = sqlite3.connect(data_dir / "studyapp.db")
    con.execute("PRAGMA user_version = 99")
    con.close()
    assert Opening(data_dir, clock=clock).overview() is None


async def test_the_home_screen_shows_the_overview_and_studies_once_the_service_is_ready(
        service, data_dir: Path, clock) -> None:
    import threading

    from textual.widgets import DataTable

    from studyapp.tui.app import StudyApp
    from studyapp.tui.screens.review import ReviewScreen

    service.repo.engine.dispose()
    opening = Opening(data_dir, clock=clock)
    release = threading.Event()

    def slow_service():  # noqa: ANN202 - as if SQLAlchemy took its time to import
        release.wait(120)  # set by the test; the cap only keeps a failing test from hanging
        return opening.service()

    app = StudyApp(service_factory=slow_service, overview_factory=opening.overview)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.overview is not None, "the home screen's counts")
        assert app.service is None
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")  # chosen before the service is ready: remembered
        assert not isinstance(app.screen, ReviewScreen)
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the remembered deck's session")
        assert app.screen.session.deck_ids == ("mini",)
        await pilot.pause(0.1)

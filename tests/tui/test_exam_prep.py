"""Issue 15, parts 3-6 in the real app: a confusion spotted and drilled side by side, the coverage map's
drill, the schedule fitted from Settings in a worker, and the daily budget's plan."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Static

from studyapp.core.models import Rating
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.review import ReviewScreen
from studyapp.tui.screens.settings import SettingsScreen
from studyapp.tui.screens.stats import StatsScreen
from studyapp.tui.screens.weak import WeakScreen
from tests.waiting import wait_until

WP, NATO = ("mini", "wp-founded"), ("mini", "nato-signed")


def contrast(screen: ReviewScreen) -> str:
    line = screen.query_one("#contrast", Static)
    return str(line.render()) if line.display else ""


async def test_a_confusion_is_said_recorded_listed_and_drilled_side_by_side(service) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query(DataTable), "the home screen")
        app.run_session(service.sessions.drill([WP]))
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.card, "the review")
        screen = app.screen
        await pilot.press("t", *"1949", "enter")
        await wait_until(pilot, lambda: screen.answer_shown, "the reveal")
        assert "That is the answer to: When was the North Atlantic Treaty signed?" in contrast(screen)
        await pilot.press("enter")  # accept the suggested Again
        await wait_until(pilot, lambda: service.repo.review_count() == 1, "the answer saved")
        [logged] = service.repo.reviews()
        assert logged.confused_with == NATO and logged.typed == "1949"

        app.go_home()
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, WeakScreen) and app.screen.pairs, "the pairs")
        weak = app.screen
        assert weak.query_one("#pairs", DataTable).row_count == 1
        assert (weak.pairs[0].first, weak.pairs[0].second, weak.pairs[0].count) == (NATO, WP, 1)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.card, "the pair drill")
        drill = app.screen
        assert drill.session.title == "Side by side" and drill.session.total == 2
        for _ in range(2):
            card = drill.card
            await pilot.press("space")
            await wait_until(pilot, lambda: drill.answer_shown, "the reveal")
            other = service.decks.card(*drill.session.contrasts[card.key])
            assert f"Not to be confused with: {other.front} → {other.answer_text}" in contrast(drill)
            await pilot.press("3")
            await wait_until(pilot, lambda c=card: drill.card is not c, "the next card")
    assert service.repo.review_count() == 3


async def test_the_coverage_map_shows_each_document_and_d_studies_the_weakest_stretch(service) -> None:
    session = service.sessions.drill([NATO])
    session.next_card()
    session.answer(Rating.EASY)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query(DataTable), "the home screen")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.coverage_ready,
                         "the statistics with the coverage read")
        stats = app.screen
        text = str(stats.query_one("#coverage").render())
        assert "Security cooperat" in text  # the lecture slides, by title
        key, stretch = stats.weakest
        # The never-studied cards: the Warsaw Pact's year (1013-1017) and members (1019-1021); the
        # longer stretch comes first.
        assert key == "lecture-slides" and (stretch.start, stretch.end) == (1013, 1017) and stretch.cards == (WP,)
        assert "lines 1013-1017" in str(stats.query_one("#coverage-weakest").render())
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.card, "the drill")
        assert app.screen.card.key == WP and app.screen.session.total == 1


async def test_settings_fit_in_a_worker_and_the_budget_makes_the_plan(service, clock) -> None:
    service.set_exam_date(clock().date() + timedelta(days=10))
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query(DataTable), "the home screen")
        assert "Today's plan" not in str(app.screen.query_one("#home-exam", Static).render())
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        settings = app.screen
        await pilot.press("ctrl+o")
        line = settings.query_one("#settings-fit", Static)
        await wait_until(pilot, lambda: "Nothing was changed" in str(line.render()), "the fit's answer")
        assert "64 are needed" in str(line.render()) and service.settings.parameters is None
        settings.query_one("#set-budget", Input).value = "abc"
        await pilot.press("ctrl+s")
        assert "Daily budget: 'abc'" in str(settings.query_one("#settings-error", Static).render())
        settings.query_one("#set-budget", Input).value = "15"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, SettingsScreen), "the settings saved")
        assert service.settings.daily_minutes == 15
        exam_line = app.screen.query_one("#home-exam", Static)
        await wait_until(pilot, lambda: "Today's plan: 3 cards" in str(exam_line.render()), "the plan's line")
        assert "skipping today would cost" in str(exam_line.render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.card, "the plan's session")
        assert app.screen.session.title == "Exam-day plan" and app.screen.session.total == 3

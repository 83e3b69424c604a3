"""Screenshots of the main screens at 80x24 (and the wide layouts at 160x48), so a layout cannot break silently.

Update after an intended change with: python3 tasks.py test tests/tui/test_snapshots.py --snapshot-update

Each screenshot is taken once the screen has settled, whatever the machine's load: the keys are
pressed in `run_before`, which then waits for the screen's own state (its widgets composed, its data
shown, the footer's keys filled in, animations done) and stops the text cursors blinking (a cursor
is drawn or not by a 0.5 s timer, so a slow run could catch it either way).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from studyapp.tui.app import StudyApp
from tests.waiting import wait_until


def settled(*keys: str, screen: str = "HomeScreen", ready: Callable[[Screen], object] = lambda s: True,  # noqa: ANN201
            footer: bool = True):
    """A run_before: press `keys`, then wait until `screen` (a class name) is on top, `ready(screen)`,
    and (with `footer`) its footer shows its keys."""

    async def run_before(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        await pilot.press(*keys)

        def done() -> bool:
            top = app.screen
            return type(top).__name__ == screen and (not footer or bool(top.query("FooterKey"))) and bool(ready(top))

        await wait_until(pilot, done, f"the {screen} to settle")
        await pilot.wait_for_scheduled_animations()
        for widget in app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # shown, steadily
        await pilot.pause()

    return run_before


def rows(selector: str) -> Callable[[Screen], bool]:
    return lambda screen: bool(screen.query(selector)) and screen.query_one(selector).row_count > 0


def test_home(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=settled(ready=rows("DataTable")))


def test_review_front(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("enter", screen="ReviewScreen", ready=lambda s: s.card is not None))


def test_review_back_with_intervals(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("enter", "space", screen="ReviewScreen", ready=lambda s: s.answer_shown))


def test_review_typed_wrong_year(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("enter", "t", "1", "9", "5", "4", "enter", screen="ReviewScreen",
                                           ready=lambda s: s.result is not None))


def test_essay_list(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("e", screen="EssayListScreen", ready=rows("DataTable")))


def test_essay_result(snap_compare, service, clock) -> None:
    from studyapp.core.essays import EssayAttempt
    from studyapp.tui.screens.essay_result import EssayResultScreen

    prompt = service.essays.essay_prompt("mini/compare")
    outline = "The Warsaw Pact was founded in 1955"
    score = service.essays.score_essay(prompt, outline)
    attempt = EssayAttempt(prompt.id, clock(), 312.0, outline, score.share, ())
    then = settled(screen="EssayResultScreen", ready=lambda s: s.query(".result-point"))

    async def show(pilot) -> None:  # noqa: ANN001
        await pilot.app.push_screen(EssayResultScreen(prompt, score, attempt))
        await then(pilot)

    assert snap_compare(StudyApp(service), run_before=show, terminal_size=(80, 24))


def _answered(service):  # noqa: ANN001, ANN202 - three answers, so the screens have something to show
    from studyapp.core.models import Rating

    session = service.sessions.today(["mini"])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.next_card()
        session.answer(rating)
    return service


def test_weak_topics(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), terminal_size=(80, 24),
                        run_before=settled("w", screen="WeakScreen", ready=rows("#topics")))


def test_weak_topics_160x48(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), terminal_size=(160, 48),
                        run_before=settled("w", screen="WeakScreen", ready=rows("#topics")))


def _charts_drawn(screen: Screen) -> bool:
    return len(screen.query("PlotextPlot")) == 2 and screen.data is not None and screen.coverage_ready


def test_statistics_80x24(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), terminal_size=(80, 24),
                        run_before=settled("s", screen="StatsScreen", ready=_charts_drawn))


def test_statistics_160x48(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), terminal_size=(160, 48),
                        run_before=settled("s", screen="StatsScreen", ready=_charts_drawn))


def _searched(text: str) -> Callable[[Screen], bool]:
    return lambda screen: (screen.app.service.browser_built and screen.query_one("#browse-search").value == text
                           and screen.query_one("#cards").row_count > 0)


def test_browse_search(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), terminal_size=(80, 24),
                        run_before=settled("b", *"warsaw", screen="BrowseScreen", ready=_searched("warsaw")))


def test_browse_search_160x48(snap_compare, service) -> None:
    ready = _searched("warsaw")
    assert snap_compare(StudyApp(_answered(service)), terminal_size=(160, 48),
                        run_before=settled("b", *"warsaw", "down", "down", screen="BrowseScreen",
                                           ready=lambda s: ready(s) and s.query_one("#cards").has_focus))


def test_settings(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("comma", screen="SettingsScreen",
                                           ready=lambda s: s.query("#set-exam") and s.query_one("#set-exam").has_focus))


def test_database_problem(snap_compare, service, tmp_path) -> None:
    import os
    from datetime import datetime
    from pathlib import Path

    from studyapp.store.files import Contents, DatabaseProblem
    from studyapp.tui.screens.database_problem import DatabaseProblemScreen

    backup = tmp_path / "daily-2026-03-01.db"
    backup.write_bytes(b"")
    stamp = datetime(2026, 3, 1, 9, 30).timestamp()
    os.utime(backup, (stamp, stamp))
    db = Path("/home/student/.local/share/studyapp/studyapp.db")
    message = f"Your study database {db} is cut short: it should be 163,840 bytes but is 122,880."
    then = settled(screen="DatabaseProblemScreen", ready=lambda s: s.query("#problem-buttons Button"), footer=False)

    async def show(pilot) -> None:  # noqa: ANN001
        # What each side holds is read off the UI thread in the app; given here, as the screen only shows it.
        current, saved = Contents(235, datetime(2026, 3, 2, 14, 5)), Contents(212, datetime(2026, 3, 1, 21, 40))
        pilot.app.push_screen(DatabaseProblemScreen(DatabaseProblem(db, message, backup), current, saved))
        await then(pilot)

    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=show)


def _confused(service):  # noqa: ANN001, ANN202 - "1949" (the North Atlantic Treaty) typed for the Warsaw Pact's year
    from studyapp.core.grading import grade_typed_answer
    from studyapp.core.models import Rating

    card = service.decks.card("mini", "wp-founded")
    other = service.confusions.detect(card, "1949", grade_typed_answer(card, "1949"))
    session = service.sessions.drill([card.key])
    session.next_card()
    session.answer(Rating.AGAIN, mode="typed", typed="1949", confused_with=other.key)
    return service


def test_review_typed_another_cards_answer(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("enter", "t", "1", "9", "4", "9", "enter", screen="ReviewScreen",
                                           ready=lambda s: s.query_one("#contrast").display))


def test_weak_topics_with_a_confused_pair(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_confused(service)), terminal_size=(80, 24),
                        run_before=settled("w", screen="WeakScreen", ready=rows("#pairs")))


def test_home_with_an_exam_day_plan(snap_compare, service, clock) -> None:
    from datetime import timedelta

    _answered(service)
    clock.advance(days=2)  # answered two days ago: today's plan has them to review
    service.set_exam_date(clock().date() + timedelta(days=10), daily_minutes=15)
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled(ready=rows("DataTable")))

"""Screenshots of every screen in its main states at 80x24 and 60x20, and the main ones at 160x48, so a
layout cannot break silently; and on each, no line of the app's text cut mid-word at a right edge
(tests/tui/screen_text.py says how that is seen).

Update after an intended change with: python3 tasks.py test tests/tui/test_snapshots.py --snapshot-update
(then look at each new screenshot: snapshot_report.html; with SNAPSHOT_TEXT_DIR=DIR each screen is
also written to DIR as text).

Each screenshot is taken once the screen has settled, whatever the machine's load: the keys are
pressed in `run_before`, which then waits for the screen's own state (its widgets composed, its data
shown, the footer's keys filled in, animations done) and stops the text cursors blinking (a cursor
is drawn or not by a 0.5 s timer, so a slow run could catch it either way).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.screen import ModalScreen, Screen

from studyapp.tui.app import StudyApp
from tests.tui.screen_text import cut_words, screen_lines
from tests.waiting import wait_until

SMALL = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]
ALL = [*SMALL, pytest.param((160, 48), id="160x48")]


def settled(*keys: str, screen: str = "HomeScreen", ready: Callable[[Screen], object] = lambda s: True,  # noqa: ANN201
            footer: bool = True, then: Callable[[Screen], object] | None = None):
    """A run_before: press `keys`, then wait until `screen` (a class name) is on top, `ready(screen)`,
    and (with `footer`) its footer shows its keys; `then(screen)` last (to stop a clock, say). Fails if
    a word of the screen is cut at a right edge."""

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
        if then is not None:
            then(app.screen)
        await pilot.pause()
        lines = screen_lines(app)
        if folder := os.environ.get("SNAPSHOT_TEXT_DIR"):  # each screenshot as text, to read in a terminal
            name = os.environ["PYTEST_CURRENT_TEST"].split("::")[-1].split(" ")[0]
            Path(folder, f"{name}.txt").write_text("\n".join(lines) + "\n")
        width = app.size.width
        if isinstance(app.screen, ModalScreen):  # only the window's text: the screen under it is covered, not cut
            box = app.screen.children[0].region
            lines, width = [line[box.x:box.right] for line in lines[box.y:box.bottom]], box.width
        cut = cut_words(lines, width)
        # A table wider than its space cuts its last columns wherever the edge falls ("Es" for Essays).
        cut += [f"#{t.id}: {t.virtual_size.width} cells wide in {t.scrollable_content_region.width}"
                for t in app.screen.query("DataTable, LazyTable") if t.display and t.max_scroll_x > 0]
        # A button's label longer than the button wraps out of its one line ("1 Again ·" without its "10m").
        cut += [f"#{b.id}: {str(b.label)!r} in {b.content_size.width} cells" for b in app.screen.query("Button")
                if b.display and cell_len(str(b.label)) > b.content_size.width - 2 * b.styles.line_pad]
        assert not cut, f"{screen} at {app.size.width}x{app.size.height}: words cut at the right edge:\n" + "\n".join(cut)

    return run_before


def rows(selector: str) -> Callable[[Screen], bool]:
    return lambda screen: bool(screen.query(selector)) and screen.query_one(selector).row_count > 0


def _answered(service):  # noqa: ANN001, ANN202 - three answers, so the screens have something to show
    from studyapp.core.models import Rating

    session = service.sessions.today(["mini"])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.next_card()
        session.answer(rating)
    return service


@pytest.fixture(scope="session")
def month_of_study(tmp_path_factory) -> Path:  # noqa: ANN001
    """A data folder with a month of study on the bundled decks, ending at the tests' clock; made once."""
    from tests.history import make_history

    folder = tmp_path_factory.mktemp("month") / "data"
    make_history(folder, 30, end=datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc))
    return folder


@pytest.fixture
def month_service(month_of_study: Path, tmp_path: Path, clock):  # noqa: ANN001, ANN201
    from studyapp.service import StudyService

    copy = tmp_path / "month"
    shutil.copytree(month_of_study, copy)
    return StudyService.open(copy, clock=clock)


# --- home and help ----------------------------------------------------------------------------------
@pytest.mark.parametrize("size", ALL)
def test_home(snap_compare, service, size) -> None:
    assert snap_compare(StudyApp(service), terminal_size=size, run_before=settled(ready=rows("DataTable")))


@pytest.mark.parametrize("size", ALL)
def test_help(snap_compare, service, size) -> None:
    assert snap_compare(StudyApp(service), terminal_size=size,
                        run_before=settled("question_mark", screen="HelpScreen", ready=lambda s: s.query(".help-keys"),
                                           footer=False))


# --- review ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SMALL)
def test_review_front(snap_compare, service, size) -> None:
    assert snap_compare(StudyApp(service), terminal_size=size,
                        run_before=settled("enter", screen="ReviewScreen", ready=lambda s: s.card is not None))


@pytest.mark.parametrize("size", ALL)
def test_review_back_with_intervals(snap_compare, month_service, size) -> None:
    # A card due after a month of study: its intervals are as long as a student's ("1 Again · 10m").
    assert snap_compare(StudyApp(month_service), terminal_size=size,
                        run_before=settled("enter", "space", screen="ReviewScreen", ready=lambda s: s.answer_shown))


def test_review_typed_wrong_year(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("enter", "t", "1", "9", "5", "4", "enter", screen="ReviewScreen",
                                           ready=lambda s: s.result is not None))


@pytest.mark.parametrize("size", SMALL)
def test_review_typed_list_with_missing_items(snap_compare, service, size) -> None:
    # The first card typed right and rated, then the list card: two of its members typed.
    keys = ["enter", "t", *"1955", "enter", "3", *"Poland, Hungary", "enter"]
    assert snap_compare(StudyApp(service), terminal_size=size,
                        run_before=settled(*keys, screen="ReviewScreen",
                                           ready=lambda s: s.result is not None and s.result.items))


# --- essays ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", ALL)
def test_essay_list(snap_compare, service, size) -> None:
    assert snap_compare(StudyApp(service), terminal_size=size,
                        run_before=settled("e", screen="EssayListScreen", ready=rows("DataTable")))


def _stop_the_clock(screen: Screen) -> None:
    """The essay timer ticks each second: stopped and shown at a fixed time, for a steady screenshot."""
    for timer in list(screen._timers):  # noqa: SLF001 - a test's screenshot only
        timer.pause()
    screen.query_one("#essay-timer").update("24:12 left")


@pytest.mark.parametrize("size", SMALL)
def test_essay_editor(snap_compare, service, size) -> None:
    outline = "The Warsaw Pact was founded in 1955"
    assert snap_compare(StudyApp(service), terminal_size=size,
                        run_before=settled("e", "enter", *outline, screen="EssayScreen",
                                           ready=lambda s: s.editor.text == outline, then=_stop_the_clock))


@pytest.mark.parametrize("size", SMALL)
def test_essay_result(snap_compare, service, clock, size) -> None:
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

    assert snap_compare(StudyApp(service), run_before=show, terminal_size=size)


# --- weak topics, statistics, browser, settings -----------------------------------------------------
@pytest.mark.parametrize("size", ALL)
def test_weak_topics(snap_compare, service, size) -> None:
    assert snap_compare(StudyApp(_answered(service)), terminal_size=size,
                        run_before=settled("w", screen="WeakScreen", ready=rows("#topics")))


def _charts_drawn(screen: Screen) -> bool:
    return len(screen.query("PlotextPlot")) == 2 and screen.data is not None and screen.coverage_ready


@pytest.mark.parametrize("size", ALL)
def test_statistics_with_a_month_of_study(snap_compare, month_service, size) -> None:
    assert snap_compare(StudyApp(month_service), terminal_size=size,
                        run_before=settled("s", screen="StatsScreen", ready=_charts_drawn))


def _searched(text: str) -> Callable[[Screen], bool]:
    return lambda screen: (screen.app.service.browser_built and screen.query_one("#browse-search").value == text
                           and screen.query_one("#cards").row_count > 0)


@pytest.mark.parametrize("size", SMALL)
def test_browse_search(snap_compare, service, size) -> None:
    assert snap_compare(StudyApp(_answered(service)), terminal_size=size,
                        run_before=settled("b", *"warsaw", screen="BrowseScreen", ready=_searched("warsaw")))


def test_browse_search_160x48(snap_compare, service) -> None:
    ready = _searched("warsaw")
    assert snap_compare(StudyApp(_answered(service)), terminal_size=(160, 48),
                        run_before=settled("b", *"warsaw", "down", "down", screen="BrowseScreen",
                                           ready=lambda s: ready(s) and s.query_one("#cards").has_focus))


@pytest.mark.parametrize("size", SMALL)
def test_settings_with_an_error(snap_compare, service, size) -> None:
    assert snap_compare(StudyApp(service), terminal_size=size,
                        run_before=settled("comma", *"2026-02-30", "ctrl+s", screen="SettingsScreen",
                                           ready=lambda s: s.query_one("#settings-error").display))


def test_database_problem(snap_compare, service, tmp_path) -> None:
    import os
    from datetime import datetime

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

"""Issue 15 in the real app: sit a short mock paper end to end, and write a brain dump."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import DataTable, TextArea

from studyapp.core.models import LearnState
from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.brain_dump import BrainDumpScreen
from studyapp.tui.screens.brain_dump_result import BrainDumpResultScreen
from studyapp.tui.screens.mock_exam import MockExamScreen
from studyapp.tui.screens.mock_list import MockListScreen
from studyapp.tui.screens.mock_result import MockResultScreen
from studyapp.tui.screens.review import ReviewScreen
from tests.durability.replay import replay_problems
from tests.waiting import wait_until


def right_answer(card) -> str:  # noqa: ANN001
    return ", ".join(card.items) if card.items else card.answers[0]


async def test_sit_a_short_mock_paper_then_drill_the_misses_and_reopen_it(data_dir: Path, clock) -> None:
    service = StudyService.open(data_dir, clock=clock)  # the bundled decks: the seven exam topics
    service.exams.mock_questions = 3
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, MockListScreen)
        await pilot.press("n")
        sitting = app.screen
        assert isinstance(sitting, MockExamScreen)
        paper = sitting.mock.paper
        assert len(paper.questions) == 3 and paper.essay_prompt_id is not None
        first, second, third = (service.decks.card(*key) for key in paper.questions)
        # The first answered right, the second skipped, the third answered wrongly and left for the essay
        # without Enter (leaving a question enters what is typed).
        await pilot.press(*right_answer(first), "enter")
        await pilot.press("enter")
        assert sitting.position == 2
        await pilot.press(*"Nobody knows", "ctrl+e")
        assert sitting.position is None and sitting.query_one(TextArea).has_focus
        prompt = service.essays.essay_prompt(paper.essay_prompt_id)
        sitting.query_one(TextArea).insert(prompt.points[0].text)
        await pilot.press("ctrl+s")  # one question unanswered: asks first
        assert app.screen is sitting
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MockResultScreen), "the post-mortem")
        report = app.screen.report

        # The marks: one short answer of three right; the essay's first point covered.
        assert report.mock.short_marks() == [1.0, 0.0, 0.0]
        assert report.essay_points[0][1] == "covered"
        assert [m.position for m in report.misses] == [1, 2] and report.misses[0].typed is None
        assert report.band.low <= report.band.mark <= report.band.high
        text = "\n".join(str(w.render()) for w in app.screen.query(".mock-miss"))
        assert "Nobody knows" in text and "not answered" in text and "re-read" in text
        assert "80%" in str(app.screen.query_one("#mock-how").render())

        # The two answers given are reviews, each with the mock's record of it, and FSRS state is their replay.
        db = data_dir / "studyapp.db"
        con = sqlite3.connect(db)
        logged = con.execute("SELECT r.card_id, r.mode, r.typed, a.position FROM review_log r "
                             "JOIN mock_answer a ON a.review_log_id = r.id ORDER BY a.position").fetchall()
        con.close()
        assert logged == [(first.id, "typed", right_answer(first), 0), (third.id, "typed", "Nobody knows", 2)]
        assert service.progress[first.key].state is not LearnState.NEW and second.key not in service.progress
        assert replay_problems(db) == []
        assert len(service.essays.essay_attempts(paper.essay_prompt_id)) == 1  # the essay is an essay attempt too

        # d drills every missed card: the two short answers', then the essay points' cards.
        await pilot.press("d")
        assert isinstance(app.screen, ReviewScreen)
        session = app.screen.session
        assert session.title == "Drill: mock exam misses"
        assert session.total == len(report.drill_keys) and report.drill_keys[:2] == [second.key, third.key]
        assert app.screen.card.key == second.key
        await pilot.press("space", "3")
        await wait_until(pilot, lambda: session.done == 1, "the drill's first answer")
        await pilot.press("escape")  # the session's summary
        await pilot.press("escape")  # home

        # Every mock is kept and can be reopened.
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HomeScreen", "home")
        await pilot.press("m")
        assert isinstance(app.screen, MockListScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, MockResultScreen) and app.screen.report.band == report.band


async def test_write_a_brain_dump_then_drill_what_was_not_recalled(data_dir: Path, clock) -> None:
    service = StudyService.open(data_dir, clock=clock)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.brain_dump("warsaw_pact", "origins")
        await wait_until(pilot, lambda: isinstance(app.screen, BrainDumpScreen) and app.screen.query("TextArea"),
                         "the brain dump")
        origins = [card for card in service.decks.deck("warsaw_pact").cards if card.facet == "origins"]
        known = next(card for card in origins if card.answers)  # one fact written out, with its question's words
        app.screen.query_one(TextArea).insert(f"{known.front} {known.answers[0]}\nSigned in Warsaw")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, BrainDumpResultScreen), "the brain dump's result")
        result = app.screen.result
        recalled = {card.id for card, recall in result.cards if result.recalled(card, recall)}
        assert known.id in recalled and len(recalled) < len(origins)
        assert [card for card, _ in result.cards] == origins
        assert known.key not in result.drill_keys
        assert "What you produced unprompted" in "\n".join(str(w.render()) for w in app.screen.query(".result-group"))

        # The weak-topics ranking now knows this topic's free recall.
        weak = {w.deck.deck_id: w for w in service.reports.weak_topics()}["warsaw_pact"]
        share = len(recalled) / len(origins)
        assert {f.facet: f.free_recall for f in weak.facets}["origins"] == share and weak.deck.free_recall == share

        await pilot.press("d")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.total == len(origins) - len(recalled)


async def test_settings_set_the_lengths_of_a_paper_and_a_brain_dump(service: StudyService, clock) -> None:
    from textual.widgets import Input, Static

    from studyapp.tui.screens.settings import SettingsScreen

    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen) and app.screen.query("#set-mock"))
        assert app.screen.query_one("#set-mock", Input).value == "60"
        assert app.screen.query_one("#set-dump", Input).value == "10"
        app.screen.query_one("#set-mock", Input).value = "5"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SettingsScreen), "nothing is saved while a field is wrong"
        assert "from 10 to 240" in str(app.screen.query_one("#settings-error", Static).render())
        app.screen.query_one("#set-mock", Input).value = "90"
        app.screen.query_one("#set-dump", Input).value = "3"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, SettingsScreen), "the settings saved")
    reopened = StudyService.open(service.data_dir, clock=clock)
    assert (reopened.exams.mock_minutes, reopened.exams.dump_minutes) == (90, 3)
    assert reopened.exams.start_mock(seed=1).paper.minutes == 90 and reopened.exams.start_dump("mini").minutes == 3

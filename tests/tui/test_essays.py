"""Essay practice in the real app: write, submit, see the points, drill what was missed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.essay import EssayScreen, ResumeDraftScreen
from studyapp.tui.screens.essay_result import EssayResultScreen
from studyapp.tui.screens.essays import EssayListScreen
from studyapp.tui.screens.review import ReviewScreen

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "gen/nato+warsaw_pact/compare"


def bundled_service(data_dir: Path, clock) -> StudyService:  # noqa: ANN001
    return StudyService.open(data_dir, clock=clock)


async def test_write_a_comparison_outline_then_drill_the_missed_points(data_dir: Path, clock) -> None:
    service = bundled_service(data_dir, clock)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, EssayListScreen)
        await pilot.press("slash", *"compare contrast nato warsaw", "enter")
        table = app.screen.query_one(DataTable)
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == PROMPT
        await pilot.press("enter")
        assert isinstance(app.screen, EssayScreen)
        assert app.screen.prompt.id == PROMPT
        outline = ("Intro: two alliances compared\n"
                   "- NATO set up 1949 bc the West feared communism spreading; WP came in 1955 as its rival, "
                   "days after FRG joined NATO\n"
                   "- both = collective defence: attack on one is an attack on all\n"
                   "- NATO voluntary club of democracies vs WP run from Moscow, which dominated\n"
                   "- WP founded 1957 in Warsaw")
        app.screen.query_one(TextArea).insert(outline)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = app.screen
        assert isinstance(result, EssayResultScreen)
        # Each point's verdict, and the line that earned it (abbreviations, "bc", "=" and "vs" understood).
        # "WP run from Moscow, which dominated" says half of the decision-making point (Moscow's domination, not
        # NATO's way): partly, on the same line as the point it covers.
        assert [(r.status, r.line) for r in result.score.results] == [
            ("covered", 2), ("covered", 3), ("covered", 4), ("partly", 4), ("missed", None), ("missed", None)]
        assert result.score.by_meaning
        text = "\n".join(str(w.render()) for w in result.query(".result-point"))
        assert "your line 2:" in text and "your line 3:" in text and "your line 4:" in text
        assert "lines" in text  # a source citation
        header = str(result.query_one("#result-score").render())
        assert "Score 58%" in header and "3 of 6 key points covered, 1 partly" in header
        missed = result.score.missed_cards
        await pilot.press("d")
        await pilot.pause()
        drill = app.screen
        assert isinstance(drill, ReviewScreen)
        first = drill.card
        assert first.key == missed[0]
        await pilot.press("space", "3")
        await pilot.pause()
    assert service.progress[first.key].reps == 1
    [attempt] = service.essays.essay_attempts(PROMPT)
    assert attempt.score == result.score.share == 3.5 / 6
    assert attempt.statuses == ("covered", "covered", "covered", "partly", "missed", "missed")
    row = next(r for r in service.essays.essay_rows() if r.prompt.id == PROMPT)
    assert row.last_score == attempt.score and row.due is not None and row.due > clock()


async def test_an_outline_on_another_subject_is_told_so(data_dir: Path, clock) -> None:
    app = StudyApp(bundled_service(data_dir, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.press("slash", *"compare contrast nato warsaw", "enter", "enter")
        assert isinstance(app.screen, EssayScreen)
        app.screen.query_one(TextArea).insert(
            "OSCE\n- grew out of the CSCE, Helsinki Final Act 1975\n- comprehensive security: three dimensions\n"
            "- consensus of 57 participating states, seat in Vienna")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = app.screen
        assert isinstance(result, EssayResultScreen)
        assert result.score.off_question and result.score.share == 0.0
        header = str(result.query_one("#result-score").render())
        assert "does this outline answer the question?" in header


async def test_an_unfinished_draft_is_offered_back(data_dir: Path, clock) -> None:
    service = bundled_service(data_dir, clock)
    service.essays.save_draft(PROMPT, "half an outline", 120.0)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.write_essay(PROMPT)
        await pilot.pause()
        assert isinstance(app.screen, ResumeDraftScreen)
        await pilot.press("enter")
        await pilot.pause()
        essay = app.screen
        assert isinstance(essay, EssayScreen)
        assert essay.query_one(TextArea).text == "half an outline"
        assert essay.elapsed >= 120
        essay.query_one(TextArea).insert(" and more")
        await pilot.press("escape")  # leaving saves
        await pilot.pause()
    assert service.essays.draft(PROMPT).text.endswith("and more")


async def test_search_and_deck_filter(data_dir: Path, clock) -> None:
    service = bundled_service(data_dir, clock)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_essays("spp")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        ids = [str(table.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(table.row_count)]
        assert ids and all("spp" in i for i in ids)
        app.screen.query_one(Input).value = "cancun borders"
        await pilot.pause()
        assert 0 < table.row_count < len(ids)


def test_a_killed_app_loses_at_most_a_few_seconds_of_the_draft(tmp_path: Path) -> None:
    """A real process writes an outline, saving it every few seconds as it goes, and is killed with SIGKILL
    mid-sentence: every draft it had saved comes back. Waits for the saves, not for a time."""
    from tests.tui.essay_writer import OUTLINE, text_after

    data = tmp_path / "data"
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data)}
    child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "tui" / "essay_writer.py"), PROMPT],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    typed: list[int] = []  # characters on screen, after each burst of keys
    saved: list[int] = []  # characters in each draft the app committed
    deadline = time.monotonic() + 120  # only so that a broken writer cannot hang the suite
    assert child.stdout is not None
    while time.monotonic() < deadline and len(saved) < 3:  # three autosaves while the typing goes on
        line = child.stdout.readline()
        if not line:
            break
        kind, _, n = line.partition(" ")
        (typed if kind == "typed" else saved if kind == "saved" else []).append(int(n or 0))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert len(saved) >= 3, f"the draft was not saved as it was written (saved {saved}, typed {typed[-1:]})"
    assert saved == sorted(set(saved)), "each save holds more of the outline than the one before"
    assert typed and typed[-1] < len(OUTLINE), "killed while still typing"
    service = StudyService.open(data)
    draft = service.essays.draft(PROMPT)
    assert draft is not None, "nothing of the outline survived"
    assert len(draft.text) >= saved[-1]  # nothing the app had saved is lost
    assert draft.text == text_after(len(draft.text))


async def test_attempts_are_listed_per_prompt_and_reopen(data_dir: Path, clock) -> None:
    from studyapp.tui.screens.essay_history import EssayHistoryScreen

    service = bundled_service(data_dir, clock)
    prompt = service.essays.essay_prompt(PROMPT)
    service.essays.submit_essay(prompt, "Warsaw Pact founded in 1955", 300.0)
    clock.advance(days=2)
    service.essays.submit_essay(prompt, "both = collective defence: attack on one is an attack on all\n"
                                 "NATO voluntary club of democracies vs WP run from Moscow", 400.0)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_essays("warsaw_pact")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        row = next(r for r in range(table.row_count)
                   if table.coordinate_to_cell_key((r, 0)).row_key.value == PROMPT)
        table.move_cursor(row=row)
        assert table.get_row_at(row)[3] != "-"  # the last score shows
        await pilot.press("h")
        history = app.screen
        assert isinstance(history, EssayHistoryScreen)
        assert history.query_one(DataTable).row_count == 2
        await pilot.press("enter")
        assert isinstance(app.screen, EssayResultScreen)
        assert len(app.screen.score.group("covered")) >= 2  # the newest attempt, scored again


async def test_coming_back_from_a_prompt_keeps_the_cursor_on_it(data_dir: Path, clock) -> None:
    service = bundled_service(data_dir, clock)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        table = app.screen.query_one(DataTable)
        await pilot.press("down", "down", "down")
        chosen = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        await pilot.press("enter")
        assert isinstance(app.screen, EssayScreen) and app.screen.prompt.id == chosen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EssayListScreen)
        table = app.screen.query_one(DataTable)
        assert table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value == chosen

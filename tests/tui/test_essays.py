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
                   "- NATO voluntary club of democracies vs WP run from Moscow\n"
                   "- WP founded 1957 in Warsaw")
        app.screen.query_one(TextArea).insert(outline)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = app.screen
        assert isinstance(result, EssayResultScreen)
        # Each point's verdict, and the line that earned it (abbreviations, "bc", "=" and "vs" understood).
        assert [(r.status, r.line) for r in result.score.results] == [
            ("covered", 2), ("covered", 3), ("covered", 4), ("missed", None), ("missed", None), ("missed", None)]
        assert result.score.by_meaning
        text = "\n".join(str(w.render()) for w in result.query(".result-point"))
        assert "your line 2:" in text and "your line 3:" in text and "your line 4:" in text
        assert "lines" in text  # a source citation
        header = str(result.query_one("#result-score").render())
        assert "Score 50%" in header and "3 of 6 key points covered" in header
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
    [attempt] = service.essay_attempts(PROMPT)
    assert attempt.score == result.score.share == 0.5
    assert attempt.statuses == ("covered", "covered", "covered", "missed", "missed", "missed")
    row = next(r for r in service.essay_rows() if r.prompt.id == PROMPT)
    assert row.last_score == attempt.score and row.due is not None and row.due > clock()


async def test_an_unfinished_draft_is_offered_back(data_dir: Path, clock) -> None:
    service = bundled_service(data_dir, clock)
    service.save_draft(PROMPT, "half an outline", 120.0)
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
    assert service.draft(PROMPT).text.endswith("and more")


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
    """A real process writes an outline and is killed with SIGKILL; the draft comes back."""
    data = tmp_path / "data"
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data)}
    child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "tui" / "essay_writer.py"), PROMPT],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    typed: list[tuple[float, int]] = []  # (when we saw it, characters typed by then)
    deadline = time.monotonic() + 60
    assert child.stdout is not None
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        if line.startswith("typed"):
            typed.append((time.monotonic(), int(line.split()[1])))
            if typed[-1][0] - typed[0][0] > 6:  # six seconds of typing, then pull the plug
                break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    killed_at = time.monotonic()
    assert len(typed) > 10, "the writer never got going"
    service = StudyService.open(data)
    draft = service.draft(PROMPT)
    assert draft is not None, "nothing of the outline survived"
    from tests.tui.essay_writer import text_after

    # Everything typed more than AUTOSAVE + 1 s before the kill is in the draft.
    safe = max((n for seen, n in typed if seen < killed_at - 3.0), default=0)
    assert len(draft.text) >= safe
    assert draft.text == text_after(len(draft.text))


async def test_attempts_are_listed_per_prompt_and_reopen(data_dir: Path, clock) -> None:
    from studyapp.tui.screens.essay_history import EssayHistoryScreen

    service = bundled_service(data_dir, clock)
    prompt = service.essay_prompt(PROMPT)
    service.submit_essay(prompt, "Warsaw Pact founded in 1955", 300.0)
    clock.advance(days=2)
    service.submit_essay(prompt, "both = collective defence: attack on one is an attack on all\n"
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

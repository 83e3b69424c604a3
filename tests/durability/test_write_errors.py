"""Every write path outside the answer's meets a read-only folder, a full disk or a damaged file with
plain words, and loses nothing the student typed: settings, the essay and its draft, leech resets
(TUI), and backup and the exam commands (CLI: one line on stderr, exit status 1, no traceback).

Read-only: in the app, SQLite's own SQLITE_READONLY from connections opened with `mode=ro` (which
holds for root too); for the command line, a real read-only bind mount as root, chmod otherwise.
Full: a real 2 MB tmpfs, filled (needs root and mount(8)).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from studyapp import paths
from studyapp.core.models import Rating
from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.card import CardScreen
from studyapp.tui.screens.essay import EssayScreen
from studyapp.tui.screens.essay_result import EssayResultScreen
from studyapp.tui.screens.settings import SettingsScreen
from studyapp.tui.screens.weak import WeakScreen
from tests.cli_run import run_cli as cli
from tests.durability.harness import (
    can_mount,
    fill_disk,
    mount_small_tmpfs,
    read_only_database,
    read_only_folder,
    truncate_wal,
    unmount,
)
from tests.durability.test_bad_files import BREAKERS, snapshot
from tests.waiting import wait_until

MOUNT = can_mount()
needs_mount = pytest.mark.skipif(not MOUNT, reason="a full disk needs root and mount(8) for a small tmpfs")
PROMPT = "mini/compare"
WORDS = {"read-only": "the data folder is read-only", "full": "the disk is full"}


@dataclass
class Trouble:
    service: StudyService
    kind: str

    @property
    def words(self) -> str:
        return WORDS[self.kind]

    @property
    def db(self) -> Path:
        return self.service.data_dir / "studyapp.db"

    @contextmanager
    def on(self) -> Iterator[None]:
        """Writes fail while inside; afterwards they work again."""
        if self.kind == "read-only":
            with read_only_database(self.service.repo.engine):
                yield
            return
        truncate_wal(self.db)  # the log's old room would otherwise take a small write
        filler = fill_disk(self.service.data_dir)
        try:
            yield
        finally:
            filler.unlink()


@pytest.fixture(params=["read-only", pytest.param("full", marks=needs_mount)])
def trouble(request: pytest.FixtureRequest, tmp_path: Path, mini_decks: Path, clock,  # noqa: ANN001
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Trouble]:
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: mini_decks)
    folder = tmp_path / "data"
    if request.param == "full":
        mount_small_tmpfs(folder, "2m")
    else:
        folder.mkdir()
    service = StudyService.open(folder, clock=clock)
    try:
        yield Trouble(service, request.param)
    finally:
        service.repo.engine.dispose()
        if request.param == "full":
            unmount(folder)


def shown(app: StudyApp, screen_class: type, widget: str) -> bool:
    """`screen_class` is on top and composed (pushing a screen and mounting its widgets are separate steps)."""
    return isinstance(app.screen, screen_class) and bool(app.screen.query(widget))


def notices(app: StudyApp) -> list[str]:
    return [n.message for n in app._notifications]


def stored(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def stored_settings(db: Path) -> dict:
    return {k: json.loads(v) for k, v in stored(db, "SELECT key, value FROM setting")}


# --- the app -------------------------------------------------------------------------------
async def test_settings_that_cannot_be_saved_stay_in_the_form(trouble: Trouble, clock) -> None:  # noqa: ANN001
    service = trouble.service
    exam = (clock().date() + timedelta(days=30)).isoformat()
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        await wait_until(pilot, lambda: shown(app, SettingsScreen, "#set-new-per-day"))
        screen = app.screen
        screen.query_one("#set-exam", Input).value = exam
        screen.query_one("#set-new-per-day", Input).value = "35"
        with trouble.on():
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is screen  # not closed as if saved
            error = screen.query_one("#settings-error", Static)
            text = str(error.render())
            assert error.display and "NOT saved" in text and trouble.words in text, text
            assert screen.query_one("#set-exam", Input).value == exam  # what was typed is kept
            assert screen.query_one("#set-new-per-day", Input).value == "35"
            assert service.settings.new_per_day == 20 and service.settings.exam_date is None
        assert "new_per_day" not in stored_settings(trouble.db)  # nothing half-saved
        await pilot.press("ctrl+s")  # room again: the same form saves
        await wait_until(pilot, lambda: app.screen is not screen)
    saved = stored_settings(trouble.db)
    assert saved["new_per_day"] == 35 and saved["exam_date"] == exam


async def test_an_essay_that_cannot_be_submitted_stays_on_screen(trouble: Trouble) -> None:
    outline = "The Warsaw Pact was founded in 1955\nNATO in 1949"
    app = StudyApp(trouble.service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.write_essay(PROMPT)
        await wait_until(pilot, lambda: shown(app, EssayScreen, "TextArea"))
        screen = app.screen
        screen.query_one(TextArea).insert(outline)
        with trouble.on():
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is screen and screen.query_one(TextArea).text == outline
            assert any("NOT submitted" in m and trouble.words in m for m in notices(app)), notices(app)
        assert stored(trouble.db, "SELECT count(*) FROM essay_attempt") == [(0,)]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, EssayResultScreen))
    assert stored(trouble.db, "SELECT text FROM essay_attempt") == [(outline,)]


async def test_a_draft_that_cannot_be_saved_is_not_left_behind_unasked(trouble: Trouble) -> None:
    app = StudyApp(trouble.service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.write_essay(PROMPT)
        await wait_until(pilot, lambda: shown(app, EssayScreen, "TextArea"))
        screen = app.screen
        screen.query_one(TextArea).insert("half an outline")
        with trouble.on():
            await pilot.press("escape")  # leaving saves the draft: it cannot, so it stays
            await pilot.pause()
            assert app.screen is screen and screen.query_one(TextArea).text == "half an outline"
            assert any("draft is NOT saved" in m and trouble.words in m for m in notices(app)), notices(app)
            assert any("Escape again leaves without it" in m for m in notices(app))
        assert stored(trouble.db, "SELECT count(*) FROM essay_draft") == [(0,)]
        await pilot.press("escape")  # room again: saved, and gone
        await wait_until(pilot, lambda: app.screen is not screen)
    assert stored(trouble.db, "SELECT text FROM essay_draft") == [("half an outline",)]


def make_leech(service: StudyService):  # noqa: ANN201
    session = service.sessions.today(["mini"])
    card = session.next_card()
    session.answer(Rating.EASY)
    service.progress[card.key] = replace(service.progress[card.key], lapses=8, leech=True)
    service.repo.save_progress([service.progress[card.key]])
    return card


def stored_leech(db: Path, card) -> bool:  # noqa: ANN001
    return bool(stored(db, f"SELECT leech FROM card_progress WHERE card_id = '{card.id}'")[0][0])


@pytest.mark.parametrize("where", ["weak topics", "card"])
async def test_a_leech_reset_that_cannot_be_saved_says_so(trouble: Trouble, where: str) -> None:
    service = trouble.service
    card = make_leech(service)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if where == "card":
            app.push_screen(CardScreen(card))
            await wait_until(pilot, lambda: shown(app, CardScreen, "#detail-progress"))
        else:
            await pilot.press("w")
            await wait_until(pilot, lambda: shown(app, WeakScreen, "#leeches")
                           and app.screen.query_one("#leeches", DataTable).row_count == 1)
        with trouble.on():
            await pilot.press("r")
            await pilot.pause()
            assert any("NOT reset" in m and trouble.words in m for m in notices(app)), notices(app)
            assert service.progress[card.key].leech  # the screen and the database agree: still a leech
        assert stored_leech(trouble.db, card)
        await pilot.press("r")
        await wait_until(pilot, lambda: not service.progress[card.key].leech)
    assert not stored_leech(trouble.db, card)


# --- the service's other writes --------------------------------------------------------------
def a_mock(service: StudyService):  # noqa: ANN201 - a MockExam, kept, with two short questions
    service.exams.mock_questions = 2
    return service.exams.start_mock(seed=1)


def an_imported_history(service: StudyService) -> tuple[int, int]:
    from datetime import datetime, timezone

    from studyapp.core.models import Review

    card = service.decks.deck("mini").cards[0]
    answer = Review("mini", card.id, Rating.GOOD, datetime(2026, 2, 1, 12, tzinfo=timezone.utc), "anki")
    return service.repo.import_answers({card.key: [answer]}, lambda p, r: service.rate(p, r.rating, r.reviewed_at),
                                       lambda r: (service.study_day(r.reviewed_at), card.facet))


# each: (what is set up first, the write that must fail, what the database holds of it)
OTHER_WRITES = {
    "start a mock exam": (lambda s: None, lambda s, _: s.exams.start_mock(seed=1), "SELECT count(*) FROM mock_exam"),
    "answer a mock's question": (a_mock, lambda s, m: s.exams.answer_mock(m, 0, "anything"),
                                 "SELECT count(*) FROM mock_answer UNION ALL SELECT count(*) FROM review_log"),
    "keep a mock's essay": (a_mock, lambda s, m: s.exams.save_mock(m, 60.0, "an outline so far"),
                            "SELECT elapsed_seconds, essay_text FROM mock_exam"),
    "hand a mock in": (a_mock, lambda s, m: s.exams.hand_in(m, 60.0, ""), "SELECT finished_at FROM mock_exam"),
    "start a brain dump": (lambda s: None, lambda s, _: s.exams.start_dump("mini"), "SELECT count(*) FROM brain_dump"),
    "keep a brain dump": (lambda s: s.exams.start_dump("mini"), lambda s, d: s.exams.save_dump(d, "NATO 1949", 30.0),
                          "SELECT seconds, text FROM brain_dump"),
    "finish a brain dump": (lambda s: s.exams.start_dump("mini"),
                            lambda s, d: s.exams.finish_dump(d, "NATO 1949", 30.0),
                            "SELECT finished_at, results FROM brain_dump"),
    "discard a draft": (lambda s: s.essays.save_draft(PROMPT, "half an outline", 5.0),
                        lambda s, _: s.essays.discard_draft(PROMPT), "SELECT text FROM essay_draft"),
    "import a review history": (lambda s: None, lambda s, _: an_imported_history(s),
                                "SELECT count(*) FROM review_log UNION ALL SELECT count(*) FROM card_progress"),
}


@pytest.mark.parametrize("write", list(OTHER_WRITES))
def test_the_services_other_writes_fail_whole_and_in_plain_words(trouble: Trouble, write: str) -> None:
    from studyapp.errors import StorageError

    set_up, attempt, query = OTHER_WRITES[write]
    service = trouble.service
    made = set_up(service)
    before = stored(trouble.db, query)
    with trouble.on(), pytest.raises(StorageError) as refused:
        attempt(service, made)
    assert trouble.words in refused.value.message and refused.value.title == "Not saved"
    assert stored(trouble.db, query) == before  # nothing half-written
    attempt(service, made)  # room again: the same write goes through
    assert stored(trouble.db, query) != before


# --- the command line ----------------------------------------------------------------------
EXAM = (date.today() + timedelta(days=60)).isoformat()
COMMANDS = {"backup": ["backup"], "exam set": ["exam", "set", EXAM], "exam clear": ["exam", "clear"],
            "exam show": ["exam", "show"]}


def assert_one_plain_line(result, *words: str) -> None:  # noqa: ANN001
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], result.stderr


@pytest.fixture
def with_exam(data_dir: Path) -> Path:
    """A data folder with an exam date set, through the real command."""
    assert cli("exam", "set", (date.today() + timedelta(days=30)).isoformat(), data_dir=data_dir).returncode == 0
    return data_dir


@pytest.mark.skipif(os.geteuid() == 0 and not MOUNT, reason="as root, only a read-only mount stops writes")
@pytest.mark.parametrize("command", [*sorted(COMMANDS), "restore"])
def test_cli_on_a_read_only_folder(with_exam: Path, tmp_path: Path, command: str) -> None:
    good = tmp_path / "good.db"  # a sound backup, outside the read-only folder
    if command == "restore":
        assert cli("backup", data_dir=with_exam).returncode == 0
        shutil.move(next((with_exam / "backups").iterdir()), good)
    before = snapshot(with_exam)
    with read_only_folder(with_exam):
        result = cli(*COMMANDS.get(command, ["restore", str(good)]), data_dir=with_exam)
    assert_one_plain_line(result, f"studyapp {command}:", "read-only", str(with_exam))
    assert snapshot(with_exam) == before


@needs_mount
@pytest.mark.parametrize("command", ["backup", "exam clear", "exam set", "restore"])
def test_cli_on_a_full_disk(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "small"
    mount_small_tmpfs(folder, "2m")
    try:
        assert cli("exam", "set", (date.today() + timedelta(days=30)).isoformat(), data_dir=folder).returncode == 0
        backup = tmp_path / "good.db"
        assert cli("backup", data_dir=folder).returncode == 0
        [made] = (folder / "backups").iterdir()
        shutil.move(made, backup)  # out of the small disk
        truncate_wal(folder / "studyapp.db")
        fill_disk(folder)
        args = COMMANDS.get(command, ["restore", str(backup)])
        result = cli(*args, data_dir=folder)
        assert_one_plain_line(result, f"studyapp {command}:", "disk is full")
        (folder / "filler.bin").unlink()
        shown = cli("exam", "show", data_dir=folder)  # the exam date is as it was
        assert shown.returncode == 0 and "days left" in shown.stdout, shown.stderr
    finally:
        unmount(folder)


@pytest.mark.parametrize("kind", sorted(BREAKERS))
@pytest.mark.parametrize("command", ["exam set", "exam show", "exam clear"])
def test_cli_exam_on_a_damaged_database(with_exam: Path, kind: str, command: str) -> None:
    words = BREAKERS[kind](with_exam / "studyapp.db")
    before = snapshot(with_exam)
    result = cli(*COMMANDS[command], data_dir=with_exam)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert words in result.stderr and "Nothing was moved or overwritten" in result.stderr
    assert snapshot(with_exam) == before

"""Bad database files, a read-only data folder and a full disk: plain words, nothing moved, nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Static

from studyapp import paths
from studyapp.core.models import Rating
from studyapp.service import StudyService
from studyapp.store.files import copy_database
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.database_problem import DatabaseProblemScreen
from studyapp.tui.screens.review import ReviewScreen
from tests.cli_run import run_cli as cli
from tests.durability.harness import (
    can_mount,
    damage_an_index,
    fill_disk,
    log_count,
    mount_read_only,
    mount_small_tmpfs,
    unmount,
)
from tests.waiting import wait_until

MOUNT = can_mount()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, less SQLite's own shared-memory index and an empty write-ahead log, which a
    read-only look at a WAL database may create beside it (they hold no data)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and not p.stat().st_size)}


@pytest.fixture
def studied(service, data_dir: Path) -> Path:
    """A data folder with one answer in it and a good backup of it; the app closed."""
    session = service.sessions.today(["mini"])
    session.next_card()
    session.answer(Rating.GOOD)
    copy_database(data_dir / "studyapp.db", data_dir / "backups" / "daily-2026-03-01.db")
    service.repo.engine.dispose()
    return data_dir


def make_not_sqlite(db: Path) -> str:
    db.write_text('format = 1\nid = "oops"\n# a deck saved over the database\n' * 50)
    return "is not an SQLite database"


def make_truncated(db: Path) -> str:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.truncate(size - 2 * page_size)  # whole pages gone, as from a copy that stopped
    return "is cut short"


BREAKERS = {"not_sqlite": make_not_sqlite, "truncated": make_truncated}


@pytest.mark.parametrize("kind", sorted(BREAKERS))
def test_cli_names_the_problem_offers_the_backup_and_moves_nothing(studied: Path, kind: str) -> None:
    words = BREAKERS[kind](studied / "studyapp.db")
    before = snapshot(studied)
    result = cli("stats", data_dir=studied)
    assert result.returncode == 1
    assert words in result.stderr and "Nothing was moved or overwritten" in result.stderr
    assert "daily-2026-03-01.db" in result.stderr and "studyapp restore" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(studied) == before


def test_cli_backup_refuses_a_database_that_fails_integrity_check(studied: Path) -> None:
    damage_an_index(studied / "studyapp.db")
    before = snapshot(studied)
    result = cli("backup", data_dir=studied)
    assert result.returncode == 1
    assert "is damaged" in result.stderr and "integrity check" in result.stderr
    assert "daily-2026-03-01.db" in result.stderr
    assert snapshot(studied) == before


def problem_shown(app: StudyApp) -> bool:
    """The problem screen is up and composed (pushing it and mounting its widgets are separate steps)."""
    return isinstance(app.screen, DatabaseProblemScreen) and bool(app.screen.query("#problem-buttons Button"))



@pytest.mark.parametrize("kind", sorted(BREAKERS))
async def test_tui_says_so_and_restores_the_newest_good_backup_only_when_asked(studied: Path, kind: str) -> None:
    words = BREAKERS[kind](studied / "studyapp.db")
    broken = (studied / "studyapp.db").read_bytes()
    before = snapshot(studied)
    app = StudyApp(service_factory=lambda: StudyService.open(studied))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: problem_shown(app))
        message = str(app.screen.query_one("#problem-message", Static).render())
        assert words in message
        assert "daily-2026-03-01.db" in str(app.screen.query_one("#problem-backup", Static).render())
        assert snapshot(studied) == before  # showing the problem changed nothing
        await pilot.press("r")
        await wait_until(pilot, lambda: app.service is not None)
        assert len(app.service.progress) == 1  # the answer from the backup
    kept = list((studied / "backups").glob("before-restore-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == broken  # the damaged file, kept byte for byte


async def test_tui_quits_without_touching_a_damaged_database(studied: Path) -> None:
    damage_an_index(studied / "studyapp.db")
    before = snapshot(studied)
    app = StudyApp(service_factory=lambda: StudyService.open(studied))
    async with app.run_test(size=(80, 24)) as pilot:
        # The quick check passes; the daily backup's integrity check finds the damage.
        await wait_until(pilot, lambda: problem_shown(app))
        assert "integrity check" in str(app.screen.query_one("#problem-message", Static).render())
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 1
    assert snapshot(studied) == before


async def review_and_rate(app: StudyApp, pilot) -> None:  # noqa: ANN001
    await pilot.press("enter", "space", "3")
    await pilot.pause()


@pytest.mark.skipif(not MOUNT, reason="needs root and mount(8) for a real read-only folder")
async def test_read_only_data_folder_the_answer_is_not_shown_as_saved(service, data_dir: Path) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        card = screen.card
        mount_read_only(data_dir)
        try:
            service.repo.engine.dispose()  # the next connection finds the folder read-only, as after a remount
            await pilot.press("space", "3")
            await pilot.pause()
            assert screen.card == card and screen.answer_shown  # still on the card: not shown as saved
            assert screen.session.history == []
            messages = [n.message for n in app._notifications]
            assert any("NOT saved" in m and "read-only" in m for m in messages), messages
        finally:
            service.repo.engine.dispose()
            unmount(data_dir)
    assert log_count(data_dir / "studyapp.db") == 0


@pytest.fixture
def small_disk(tmp_path: Path, mini_decks: Path, clock, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A service whose data folder is on a 2 MB file system (or, without mount, a database capped at its size)."""
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: mini_decks)
    folder = tmp_path / "small"
    if MOUNT:
        mount_small_tmpfs(folder, "2m")
    else:
        folder.mkdir()
    service = StudyService.open(folder, clock=clock)
    try:
        yield service
    finally:
        service.repo.engine.dispose()
        if MOUNT:
            unmount(folder)


def make_disk_full(service: StudyService) -> None:
    if MOUNT:
        fill_disk(service.data_dir)
        return
    # Without mount: SQLite's own limit on the database's size gives the same SQLITE_FULL at the write.
    from sqlalchemy import event

    con = sqlite3.connect(service.data_dir / "studyapp.db")
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    event.listen(service.repo.engine, "connect",
                 lambda dbapi, _r: dbapi.execute(f"PRAGMA max_page_count={pages}"))
    service.repo.engine.dispose()


async def test_full_disk_the_answer_is_not_shown_as_saved(small_disk: StudyService, tmp_path: Path) -> None:
    service = small_disk
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "space", "3")  # one answer while there is room
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and len(screen.session.history) == 1
        make_disk_full(service)
        for _ in range(2):  # the next cards: new ones, so their progress rows need new room
            card = screen.card
            await pilot.press("space", "3")
            await pilot.pause()
            if len(screen.session.history) == 1:
                break
        assert screen.card == card and screen.answer_shown and len(screen.session.history) == 1
        messages = [n.message for n in app._notifications]
        assert any("NOT saved" in m and "disk is full" in m for m in messages), messages
    service.repo.engine.dispose()
    (service.data_dir / "filler.bin").unlink(missing_ok=True)
    db = service.data_dir / "studyapp.db"
    assert log_count(db) == 1  # the answer that had room, and nothing of the ones that did not
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_cli_stats_finds_a_database_failing_integrity_check_at_the_days_first_start(studied: Path) -> None:
    damage_an_index(studied / "studyapp.db")
    result = cli("stats", data_dir=studied)
    assert result.returncode == 1
    assert "integrity check" in result.stderr and "studyapp restore" in result.stderr
    assert [p.name for p in (studied / "backups").iterdir()] == ["daily-2026-03-01.db"]  # no damaged copy

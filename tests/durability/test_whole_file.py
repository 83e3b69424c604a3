"""studyapp.db whole on its own, and checked at every start (issue 11, defects 3, 4 and 5).

- Checkpoints: a clean quit leaves every answer in studyapp.db itself; while the app runs, the
  write-ahead log is copied in every few seconds, so losing the log (a kill, then the -wal file
  deleted) loses only the last moments.
- A full disk that stopped a checkpoint half way leaves a main file shorter than its header says,
  with the missing pages in the log: that database is healthy and must not be called damaged.
- Damage found by the quick_check at a later start of the same study day: the problem screen,
  Quit focused, and nothing more written into the damaged file.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from studyapp import paths
from studyapp.core.models import Rating
from studyapp.service import StudyService
from studyapp.store.db import checkpoint
from studyapp.store.errors import StorageError
from studyapp.store.files import quick_problem, read_contents, start_check_problem
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.database_problem import DatabaseProblemScreen
from tests.cli_run import run_cli as cli
from tests.durability.harness import (
    ROOT,
    can_mount,
    check_database,
    damage_an_index,
    fill_disk,
    mount_small_tmpfs,
    parse,
    start,
    unmount,
    write_deck,
)
from tests.waiting import wait_until

MOUNT = can_mount()
IDLE_CHILD = Path(__file__).with_name("idle_child.py")


def answers_in_main_file_alone(db: Path, scratch: Path) -> int:
    """How many answers `db` holds without its write-ahead log (as if the -wal file were lost)."""
    scratch.mkdir(exist_ok=True)
    alone = scratch / "alone.db"
    for p in scratch.iterdir():
        p.unlink()
    try:
        shutil.copyfile(db, alone)
        return read_contents(alone).answers or 0
    except OSError:
        return 0


def test_a_clean_quit_leaves_every_answer_in_studyapp_db_itself(tmp_path: Path) -> None:
    """Defect 4: after 30 answers and a clean quit studyapp.db was 4,096 bytes, all else in the -wal."""
    data = tmp_path / "data"
    proc = start(data, write_deck(tmp_path / "decks"), seed=7, max_answers=30)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()[-3000:]
    saved = parse(out.decode().splitlines())
    assert len(saved) == 30
    wal = data / "studyapp.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert answers_in_main_file_alone(data / "studyapp.db", tmp_path / "scratch") == 30


def test_a_lost_log_after_a_kill_loses_only_the_last_moments(tmp_path: Path) -> None:
    """Defect 4: deleting the -wal after a kill gave an empty slate. The app, idle after 10 answers,
    copies them into studyapp.db within seconds; killed and its log deleted, every one is kept."""
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, str(IDLE_CHILD), str(data), str(write_deck(tmp_path / "decks")), "10"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        while not lines or lines[-1].strip() != "idle":  # answering, then idle: nothing more is written
            line = proc.stdout.readline().decode()
            assert line, proc.stderr.read().decode()[-3000:] if proc.stderr else "the app ended"
            lines.append(line)
        deadline = time.monotonic() + 60  # the app's periodic checkpoint copies them in
        while answers_in_main_file_alone(data / "studyapp.db", tmp_path / "scratch") < 10:
            assert time.monotonic() < deadline, "no checkpoint copied the answers into studyapp.db"
            time.sleep(0.1)  # polling a state, with a deadline
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
    saved = parse(lines)
    assert len(saved) == 10
    (data / "studyapp.db-wal").unlink()  # the log is lost
    db = data / "studyapp.db"
    assert check_database(db, saved) == []  # every answer shown as saved, sound, none half-kept
    # And the next start opens it as it is.
    result = cli("stats", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert '"reviews": 10' in result.stdout


def newest_page_one_from_the_log(db: Path) -> bytes:
    """The newest image of page 1 in `db`'s write-ahead log (each frame: 24-byte header, then the page)."""
    raw = Path(f"{db}-wal").read_bytes()
    page_size = struct.unpack(">I", raw[8:12])[0]
    newest = None
    for offset in range(32, len(raw) - 24 - page_size + 1, 24 + page_size):
        if struct.unpack(">I", raw[offset:offset + 4])[0] == 1:
            newest = raw[offset + 24:offset + 24 + page_size]
    assert newest is not None
    return newest


@pytest.fixture
def full_disk_state(tmp_path: Path, mini_decks: Path, clock, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """A data folder left as by defect 3: answers saved, then a checkpoint on a full disk wrote the
    header (page 1) but could not grow the file; the pages it could not write are in the log.

    With root and mount(8): a real 2 MB tmpfs, filled, and a real checkpoint that fails. Otherwise
    the same state made by hand: the log's newest page 1 written over the file's first page."""
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: write_deck(tmp_path / "decks", cards=60))
    folder = tmp_path / "small"
    if MOUNT:
        mount_small_tmpfs(folder, "2m")
    else:
        folder.mkdir()
    try:
        service = StudyService.open(folder, clock=clock)
        session = service.sessions.today([d.id for d in service.decks.decks])
        for _ in range(20):
            assert session.next_card() is not None
            session.answer(Rating.GOOD)
        db = folder / "studyapp.db"
        if MOUNT:
            filler = fill_disk(folder)
            try:
                assert not checkpoint(service.repo.engine, truncate=True)
            except Exception:  # noqa: BLE001 - SQLITE_FULL, as the automatic checkpoint met it
                pass
            service.repo.engine.dispose()  # (its close tries to checkpoint too, and fails the same way)
            filler.unlink()
        else:
            crashed = tmp_path / "crashed"  # the files as a crash leaves them: main file and log
            crashed.mkdir()
            shutil.copyfile(db, crashed / db.name)
            shutil.copyfile(f"{db}-wal", crashed / f"{db.name}-wal")
            service.repo.engine.dispose()
            for name in (db.name, f"{db.name}-wal"):
                shutil.copyfile(crashed / name, folder / name)
            Path(f"{db}-shm").unlink(missing_ok=True)
            page = newest_page_one_from_the_log(db)
            with db.open("r+b") as f:
                f.write(page)
        yield folder
    finally:
        if MOUNT:
            unmount(folder)


def test_a_checkpoint_stopped_by_a_full_disk_is_not_called_damaged(full_disk_state: Path) -> None:
    """Defect 3: "… is cut short: it should be 176,128 bytes but is 122,880", and Enter restored an old backup."""
    db = full_disk_state / "studyapp.db"
    header = db.read_bytes()[:100]
    page_size, pages = struct.unpack(">H", header[16:18])[0], struct.unpack(">I", header[28:32])[0]
    assert pages * page_size > db.stat().st_size  # the state of the defect: shorter than its header says
    assert quick_problem(db) is None and start_check_problem(db) is None
    result = cli("stats", "--json", data_dir=full_disk_state)
    assert result.returncode == 0, result.stderr
    assert '"reviews": 20' in result.stdout



async def test_damage_found_at_a_later_start_the_same_day_stops_writes_and_restore_still_works(
        service: StudyService, data_dir: Path, clock) -> None:  # noqa: ANN001
    """Defect 5: the integrity check ran only with the day's first backup."""
    session = service.sessions.today(["mini"])
    session.next_card()
    session.answer(Rating.GOOD)
    assert service.daily_backup() is not None  # the day's first start: checked and backed up
    session.next_card()
    session.answer(Rating.GOOD)
    service.repo.engine.dispose()
    damage_an_index(data_dir / "studyapp.db")  # later the same study day
    app = StudyApp(service_factory=lambda: StudyService.open(data_dir, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DatabaseProblemScreen) and app.focused is not None)
        screen = app.screen
        assert "integrity check" in str(screen.query_one("#problem-message", Static).render())
        assert app.focused is not None and app.focused.id == "problem-quit"  # Enter would quit, not restore
        assert "2 answers" in str(screen.query_one("#problem-safe", Static).render())
        assert "1 answer" in str(screen.query_one("#problem-backup", Static).render())
        # The app opened the file before the check found the damage: it writes nothing more into it.
        opened = app.service
        assert opened is not None
        card = opened.decks.decks[0].cards[-1]
        with pytest.raises(StorageError, match="found damaged"):  # the answer path (its queue reads the index)
            opened.record(card, Rating.GOOD, mode="flip")
        assert read_contents(data_dir / "studyapp.db").answers == 2
        # Restoring from this screen works although this very app had the database open.
        await pilot.press("r")
        await wait_until(pilot, lambda: app.service is not None and app.service is not opened)
        assert len(app.service.progress) == 1  # the backup's one answer
    kept = list((data_dir / "backups").glob("before-restore-*.db"))
    assert len(kept) == 1 and read_contents(kept[0]).answers == 2


async def test_enter_on_the_problem_screen_quits_and_restores_nothing(service: StudyService, data_dir: Path,
                                                                      clock) -> None:  # noqa: ANN001
    session = service.sessions.today(["mini"])
    session.next_card()
    session.answer(Rating.GOOD)
    service.daily_backup()
    service.repo.engine.dispose()
    damage_an_index(data_dir / "studyapp.db")
    before = (data_dir / "studyapp.db").read_bytes()
    app = StudyApp(service_factory=lambda: StudyService.open(data_dir, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DatabaseProblemScreen) and app.focused is not None)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    assert (data_dir / "studyapp.db").read_bytes() == before
    assert not list((data_dir / "backups").glob("before-restore-*"))

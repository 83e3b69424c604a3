"""Restore (issue 11, defects 1 and 6): never under an open copy, only a sound studyapp database,
never over an earlier safety copy, and from the CLI one plain line for every refusal."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from studyapp import paths
from studyapp.core.models import Rating
from studyapp.errors import RestoreRefused
from studyapp.service import StudyService
from studyapp.store.files import OPEN_ELSEWHERE, copy_database, manual_backup, read_contents
from studyapp.store.restoring import restorable_problem, restore
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.review import ReviewScreen
from tests.cli_run import run_cli as cli
from tests.durability.harness import (
    Saved,
    can_mount,
    check_database,
    fill_disk,
    log_count,
    mount_read_only,
    mount_small_tmpfs,
    unmount,
    write_deck,
)
from tests.waiting import wait_until

MOUNT = can_mount()
DATA = Path(__file__).resolve().parents[1] / "data"



async def answer_in_app(app: StudyApp, pilot, n: int) -> None:  # noqa: ANN001
    """Answer `n` cards through the real review screen; each is saved once the screen moves on."""
    if not isinstance(app.screen, ReviewScreen):
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
    screen = app.screen
    target = len(screen.session.history) + n
    while len(screen.session.history) < target:
        before = len(screen.session.history)
        await pilot.press("space", "3")
        await wait_until(pilot, lambda: len(screen.session.history) == before + 1 and not screen.answer_shown)


def shown_as_saved(app: StudyApp) -> list[Saved]:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return [Saved(a.log_id, a.key[0], a.key[1], int(a.rating)) for a in screen.session.history]


def answer_one(service: StudyService) -> None:
    session = service.sessions.today([d.id for d in service.decks.decks])
    assert session.next_card() is not None
    session.answer(Rating.AGAIN)


def one_plain_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


async def test_restore_is_refused_while_the_app_is_open_and_every_later_answer_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 1: `studyapp restore` from another terminal while the app studies."""
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: write_deck(tmp_path / "decks"))
    data = tmp_path / "data"
    app = StudyApp(service_factory=lambda: StudyService.open(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.service is not None)
        await answer_in_app(app, pilot, 5)
        made = cli("backup", data_dir=data)  # a second process, while the app holds the database
        assert made.returncode == 0, made.stderr
        backup = Path(made.stdout.split("Backed up to ", 1)[1].strip())
        identity = (data / "studyapp.db").stat().st_ino
        refused = cli("restore", str(backup), data_dir=data)
        assert refused.returncode == 1
        assert one_plain_line(refused.stderr) == f"studyapp restore: {OPEN_ELSEWHERE} Nothing was changed."
        assert (data / "studyapp.db").stat().st_ino == identity  # not replaced
        assert not list((data / "backups").glob("before-restore-*"))
        await answer_in_app(app, pilot, 10)  # each shown as saved ...
        saved = shown_as_saved(app)
    assert len(saved) == 15
    assert check_database(data / "studyapp.db", saved) == []  # ... and each in the file studyapp.db
    assert log_count(data / "studyapp.db") == 15
    # Once the app has quit, the same restore goes through, and keeps the file it replaces.
    done = cli("restore", str(backup), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "5 answers" in done.stdout and log_count(data / "studyapp.db") == 5
    kept = list((data / "backups").glob("before-restore-*.db"))
    assert len(kept) == 1 and log_count(kept[0]) == 15


@pytest.fixture
def studied(service: StudyService, data_dir: Path) -> Path:
    """Two answers in the database, a backup holding one of them; the app closed."""
    answer_one(service)
    copy_database(data_dir / "studyapp.db", data_dir / "backups" / "manual-20260302-120000.db")
    answer_one(service)
    service.repo.engine.dispose()
    return data_dir


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(("-shm", "-wal", ".lock"))}


def make_empty(folder: Path) -> Path:
    path = folder / "empty.db"
    path.write_bytes(b"")
    return path


def make_foreign(folder: Path) -> Path:
    path = folder / "photos.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO photo (name) VALUES ('beach.jpg')")
    con.commit()
    con.close()
    return path


def make_newer(folder: Path) -> Path:
    path = folder / "newer.db"
    copy_database(DATA / "schema-v1.db", path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    return path


REFUSED = {  # what makes the file unfit, and the words the refusal uses
    "empty": (make_empty, "is empty (0 bytes)"),
    "foreign": (make_foreign, "is an SQLite database but not a studyapp one"),
    "newer": (make_newer, "was made by a newer studyapp"),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_cli_restore_refuses_a_file_that_is_not_a_studyapp_backup(studied: Path, tmp_path: Path, kind: str) -> None:
    make, words = REFUSED[kind]
    bad = make(tmp_path)
    before = files_of(studied)
    result = cli("restore", str(bad), data_dir=studied)
    assert result.returncode == 1
    line = one_plain_line(result.stderr)
    assert words in line and line.endswith("Nothing was changed.")
    assert files_of(studied) == before


def test_an_old_schema_backup_is_restorable(tmp_path: Path) -> None:
    assert restorable_problem(DATA / "schema-v1.db") is None


def test_two_safety_copies_in_the_same_second_are_both_kept(studied: Path) -> None:
    """Defect 6: restores named to the second overwrote each other's safety copy."""
    db, backups = studied / "studyapp.db", studied / "backups"
    backup = backups / "manual-20260302-120000.db"
    now = datetime(2026, 3, 2, 13, 0, 0)
    first = restore(db, backup, backups, now)
    second = restore(db, backup, backups, now)  # the same second
    assert first is not None and second is not None and first != second
    assert log_count(first) == 2 and log_count(second) == 1  # the file before each restore, both kept
    assert sorted(p.name for p in backups.glob("before-restore-*.db")) == [
        "before-restore-20260302-130000-2.db", "before-restore-20260302-130000.db"]
    one, two = manual_backup(db, backups, now), manual_backup(db, backups, now)
    assert one != two and one.exists() and two.exists()


def test_a_killed_copy_does_not_block_restore(studied: Path, tmp_path: Path) -> None:
    """The lock dies with the process that held it."""
    import signal
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from studyapp.store.db import make_engine; "
        "e = make_engine(Path(sys.argv[1])); c = e.connect(); print('open', flush=True); time.sleep(600)"),
        str(studied / "studyapp.db")], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout.readline().strip() == "open"
        refused = cli("restore", "manual-20260302-120000.db", data_dir=studied)
        assert refused.returncode == 1 and OPEN_ELSEWHERE in refused.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    done = cli("restore", "manual-20260302-120000.db", data_dir=studied)
    assert done.returncode == 0, done.stderr
    assert read_contents(studied / "studyapp.db").answers == 1


def test_restore_in_process_refuses_while_an_engine_is_open(service: StudyService, data_dir: Path) -> None:
    answer_one(service)
    backup = copy_database(data_dir / "studyapp.db", data_dir / "backups" / "b.db")
    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir / "studyapp.db", backup, data_dir / "backups", datetime.now())
    assert caught.value.message == OPEN_ELSEWHERE
    answer_one(service)  # the copy that holds it goes on saving into the same file
    assert log_count(data_dir / "studyapp.db") == 2


@pytest.mark.skipif(not MOUNT, reason="needs root and mount(8) for a real read-only folder")
def test_cli_restore_into_a_read_only_folder_is_one_plain_line(studied: Path, tmp_path: Path) -> None:
    backup = copy_database(studied / "backups" / "manual-20260302-120000.db", tmp_path / "backup.db")
    before = files_of(studied)
    mount_read_only(studied)
    try:
        result = cli("restore", str(backup), data_dir=studied)
    finally:
        unmount(studied)
    assert result.returncode == 1
    line = one_plain_line(result.stderr)
    assert "read-only" in line and line.endswith("Nothing was changed.")
    assert files_of(studied) == before


@pytest.mark.skipif(not MOUNT, reason="needs root and mount(8) for a small file system to fill")
def test_cli_restore_onto_a_full_disk_is_one_plain_line(tmp_path: Path, mini_decks: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: mini_decks)
    folder = tmp_path / "small"
    mount_small_tmpfs(folder, "2m")
    try:
        service = StudyService.open(folder)
        answer_one(service)
        service.repo.engine.dispose()
        backup = copy_database(folder / "studyapp.db", tmp_path / "backup.db")
        (folder / "backups").mkdir()
        fill_disk(folder)
        before = files_of(folder)
        result = cli("restore", str(backup), data_dir=folder)
        after = files_of(folder)
    finally:
        unmount(folder)
    assert result.returncode == 1
    line = one_plain_line(result.stderr)
    assert "disk is full" in line and line.endswith("Nothing was changed.")
    assert after == before

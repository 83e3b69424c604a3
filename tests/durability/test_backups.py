"""Daily backups with the online backup API, `studyapp backup` and `studyapp restore`."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.core.models import Rating
from studyapp.store.files import KEEP_DAILY, DatabaseProblem, daily_backup, integrity_problem, list_backups
from tests.cli_run import run_cli as cli
from tests.durability.harness import log_count


def answer_one(service) -> None:  # noqa: ANN001
    session = service.sessions.today([d.id for d in service.decks.decks])
    assert session.next_card() is not None
    session.answer(Rating.AGAIN)  # keeps the three mini cards coming back, day after day


def test_first_start_of_each_study_day_backs_up_once_and_keeps_seven(service, data_dir: Path, clock) -> None:
    answer_one(service)
    backups = data_dir / "backups"
    first = service.daily_backup()
    assert first is not None and first.parent == backups
    assert service.daily_backup() is None  # the same study day: no second copy
    assert integrity_problem(first) is None and log_count(first) == 1
    for day in range(1, 10):
        clock.advance(days=1)
        answer_one(service)
        assert service.daily_backup() is not None
    dailies = sorted(p.name for p in backups.glob("daily-*.db"))
    assert len(dailies) == KEEP_DAILY
    assert log_count(backups / dailies[-1]) == 10  # the newest has every answer so far
    assert not list(backups.glob("*.part"))


def test_backup_copies_a_consistent_snapshot_while_the_app_holds_the_database(service, data_dir: Path) -> None:
    answer_one(service)
    # The app's connection is open, in WAL mode, with the answer possibly only in the -wal file.
    target = daily_backup(data_dir / "studyapp.db", data_dir / "backups", service.clock().date())
    assert target is not None and log_count(target) == 1
    answer_one(service)
    assert log_count(data_dir / "studyapp.db") == 2


def test_damaged_database_is_not_backed_up_over_good_ones(service, data_dir: Path, clock) -> None:
    from tests.durability.harness import damage_an_index

    answer_one(service)
    good = service.daily_backup()
    service.repo.engine.dispose()
    damage_an_index(data_dir / "studyapp.db")
    clock.advance(days=1)
    with pytest.raises(DatabaseProblem) as caught:
        service.daily_backup()
    assert caught.value.backup == good
    assert [b.path for b in list_backups(data_dir / "backups")] == [good]


def test_cli_backup_then_restore_brings_back_the_old_answers_and_keeps_the_replaced_file(
        service, data_dir: Path) -> None:
    answer_one(service)
    made = cli("backup", data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.split("Backed up to ", 1)[1].strip())
    assert backup.parent == data_dir / "backups" and log_count(backup) == 1
    answer_one(service)
    answer_one(service)
    service.repo.engine.dispose()
    assert log_count(data_dir / "studyapp.db") == 3
    listing = cli("restore", data_dir=data_dir)
    assert listing.returncode == 0 and backup.name in listing.stdout and " ok" in listing.stdout
    restored = cli("restore", backup.name, data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert log_count(data_dir / "studyapp.db") == 1
    before = list((data_dir / "backups").glob("before-restore-*.db"))
    assert len(before) == 1 and log_count(before[0]) == 3  # nothing is lost by restoring either
    assert integrity_problem(data_dir / "studyapp.db") is None


def test_cli_restore_refuses_a_damaged_backup_and_changes_nothing(service, data_dir: Path) -> None:
    answer_one(service)
    service.repo.engine.dispose()
    bad = data_dir / "backups" / "daily-2026-01-01.db"
    bad.parent.mkdir()
    bad.write_bytes(b"not a database at all" * 100)
    before = (data_dir / "studyapp.db").read_bytes()
    result = cli("restore", str(bad), data_dir=data_dir)
    assert result.returncode == 1
    assert "not an SQLite database" in result.stderr and "Nothing was changed" in result.stderr
    assert (data_dir / "studyapp.db").read_bytes() == before


async def test_the_app_makes_the_daily_backup_after_the_home_screen(tmp_path: Path, mini_decks: Path,
                                                                   monkeypatch) -> None:
    from studyapp import paths
    from studyapp.service import StudyService
    from studyapp.tui.app import StudyApp

    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: mini_decks)
    data = tmp_path / "data"

    app = StudyApp(service_factory=lambda: StudyService.open(data))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(250):
            await pilot.pause(0.02)
            if list((data / "backups").glob("daily-*.db")):
                break
        assert app.service is not None
    assert len(list((data / "backups").glob("daily-*.db"))) == 1

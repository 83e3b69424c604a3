"""Shared fixtures: every test gets its own data folder and a pinned clock."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI shares 2 cores with other work: no property test may fail for being slow (a test's own
# @settings still sets its examples). Every test with @given already has deadline=None.
settings.register_profile("shared-cores", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared-cores")

DATA = Path(__file__).parent / "data"
BUNDLED = Path(__file__).parent.parent / "decks"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:  # noqa: ANN003
        from datetime import timedelta

        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc))


@pytest.fixture
def mini_decks(tmp_path: Path) -> Path:
    """A folder with the small test deck and the real sources.toml."""
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(DATA / "mini.toml", folder)
    shutil.copy(BUNDLED / "sources.toml", folder)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def service(data_dir: Path, mini_decks: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch):
    """A real StudyService on a real SQLite file, with only the mini deck loaded."""
    from studyapp import paths
    from studyapp.service import StudyService

    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: mini_decks)
    return StudyService.open(data_dir, clock=clock)

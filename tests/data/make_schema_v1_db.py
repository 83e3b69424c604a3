#!/usr/bin/env python3
"""Made tests/data/schema-v1.db with the code at schema version 1; kept to show how. Do not re-run it
after the schema moves on: the file must stay as version 1 wrote it (tests/store/test_upgrade.py).

    python tests/data/make_schema_v1_db.py
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from studyapp import paths
from studyapp.core.models import Rating
from studyapp.service import StudyService
from studyapp.store.migrations import SCHEMA_VERSION

HERE = Path(__file__).resolve().parent


def main() -> None:
    assert SCHEMA_VERSION == 1, "this fixture is version 1's; keep the committed file"
    decks = Path(tempfile.mkdtemp())
    shutil.copy(HERE / "mini.toml", decks)
    shutil.copy(HERE.parent.parent / "decks" / "sources.toml", decks)
    paths.bundled_decks_dir = lambda: decks
    data = Path(tempfile.mkdtemp())
    now = [datetime(2026, 2, 1, 10, 0, tzinfo=timezone.utc)]
    service = StudyService.open(data, clock=lambda: now[0])
    service.update_settings(exam_date=date(2026, 6, 15), new_per_day=15)
    for day in range(5):
        session = service.sessions.today(["mini"])
        while session.next_card() is not None:
            rating = [Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.EASY][(day + session.done) % 4]
            session.answer(rating, mode="typed" if day % 2 else "flip", typed="1955" if day % 2 else None,
                           similarity=0.9 if day % 2 else None, duration_ms=4000 + day)
            now[0] += timedelta(minutes=11)
        now[0] += timedelta(days=3)
    practice = service.sessions.today(["mini"])
    practice.practice = True
    practice.queue.new.append(("mini", "wp-founded"))
    practice.next_card()
    practice.answer(Rating.GOOD)
    service.repo.engine.dispose()
    target = HERE / "schema-v1.db"
    con = sqlite3.connect(data / "studyapp.db")
    con.execute(f"VACUUM INTO '{target}'")
    con.close()
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

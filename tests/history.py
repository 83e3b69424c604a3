"""A student's history made through the real service: some days of study on the bundled decks, answered
with a fixed mix of ratings, the clock moved by hand. For screens and scripts that need a lived-in
collection (statistics with a month of reviews, weak topics with leeches)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from studyapp.core.models import Rating
from tests.conftest import FakeClock

RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
WEIGHTS = (18, 12, 55, 15)


def make_history(
    data_dir: Path, days: int, *, end: datetime, per_day: int = 12, skip_every: int = 5, seed: int = 13
) -> int:
    """Study the bundled decks for `days` days up to `end` in `data_dir`. Every `skip_every`-th day is missed, as a student's are. Returns the answers given."""
    from studyapp.service import StudyService

    rng = random.Random(seed)
    clock = FakeClock(end - timedelta(days=days))
    service = StudyService.open(data_dir, clock=clock)
    deck_ids = [d.id for d in service.decks.decks]
    answers = 0
    try:
        for day in range(days):
            start = clock.now
            if skip_every and day % skip_every == skip_every - 1:
                clock.advance(days=1)
                continue
            session = service.sessions.today(deck_ids)
            for _ in range(per_day):
                if session.next_card() is None:
                    break
                session.answer(rng.choices(RATINGS, WEIGHTS)[0], duration_ms=rng.randint(3000, 20000))
                answers += 1
                clock.advance(minutes=2)
            clock.now = start + timedelta(days=1)
    finally:
        from studyapp.store.db import close_engine

        close_engine(service.repo.engine)
    return answers

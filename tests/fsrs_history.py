"""A review history generated from known FSRS parameters, for the optimizer's tests and `bench/`.

Each card is studied from a start day with py-fsrs's scheduler under the TRUE parameters, reviewed
when due, and recalled with the probability those parameters predict then (Again otherwise; a
recall is Hard, Good or Easy at 15/75/10%). What is fitted should then recover them.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import fsrs

from studyapp.core.models import Rating, Review

# Plausible parameters, away from the defaults so that fitting has something to find.
TRUE_PARAMETERS = (0.35, 1.5, 4.0, 12.0, 6.2, 0.7, 2.2, 0.02, 1.7, 0.2, 0.9, 1.7, 0.09, 0.35, 1.9, 0.4, 2.4,
                   0.5, 0.2, 0.1, 0.25)
START = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)


def generate(cards: int, days: int, seed: int = 7, parameters=TRUE_PARAMETERS, deck_id: str = "gen",
             first_card: int = 0) -> list[Review]:
    rng = random.Random(seed)
    scheduler = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
    end = START + timedelta(days=days)
    out: list[Review] = []
    for n in range(first_card, first_card + cards):
        card = fsrs.Card(card_id=n + 1, due=START)
        when = START + timedelta(days=rng.randrange(days // 2), minutes=rng.randrange(600))
        while when < end:
            if card.last_review is None:
                rating = rng.choices([1, 2, 3, 4], [0.2, 0.1, 0.6, 0.1])[0]
            else:
                recalled = rng.random() < scheduler.get_card_retrievability(card, when)
                rating = rng.choices([2, 3, 4], [0.15, 0.75, 0.1])[0] if recalled else 1
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), review_datetime=when)
            out.append(Review(deck_id, f"c{n}", Rating(rating), when, "typed"))
            when = max(card.due, when + timedelta(minutes=1))
    out.sort(key=lambda r: r.reviewed_at)
    return out

"""Statistics over reviews and progress: plain functions, no I/O."""

from __future__ import annotations

from collections.abc import Iterable

from studyapp.core.models import Rating, Review


def recall(reviews: Iterable[Review]) -> float | None:
    """Share of answers not rated Again (practice answers excluded); None with no answers."""
    total = again = 0
    for r in reviews:
        if r.mode == "practice":
            continue
        total += 1
        again += r.rating is Rating.AGAIN
    return (total - again) / total if total else None

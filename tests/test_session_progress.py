"""The session's progress counts cards, not answers: an Again does not grow the total."""

from __future__ import annotations

from studyapp.core.models import Rating
from studyapp.service import StudyService


def test_progress_counts_cards_and_an_again_stays_to_go(service: StudyService, clock) -> None:
    session = service.sessions.today(["mini"])
    session.next_card()
    start = session.progress()
    assert start.done == 0 and start.to_go == start.total > 2

    session.answer(Rating.AGAIN)  # comes back in a minute or so: still to go, the total unchanged
    session.next_card()
    after_again = session.progress()
    assert (after_again.done, after_again.total, after_again.relearning) == (0, start.total, 1)

    session.answer(Rating.EASY)  # a new card answered Easy graduates at once: done
    session.next_card()
    after_good = session.progress()
    assert (after_good.done, after_good.total) == (1, start.total)

    session.undo()  # the card taken back is to go again
    assert session.progress().done == 0 and session.progress().total == start.total

    while session.current is not None:  # answered to the end, learning steps and all
        session.answer(Rating.GOOD)
        clock.advance(minutes=15)
        session.next_card()
    end = session.progress()
    assert (end.done, end.to_go, end.relearning) == (start.total, 0, 0)

"""The FSRS adapter and the due queue."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from studyapp.core.models import Card, CardProgress, LearnState, Rating
from studyapp.core.scheduling import (
    ScheduleSettings,
    build_queue,
    exam_cap,
    format_interval,
    make_scheduler,
    preview,
    retrievability,
    review,
    study_day_start,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
SCHED = make_scheduler(ScheduleSettings())


def card(i: int, deck: str = "d") -> Card:
    return Card(deck, f"c{i}", "origins", f"Q{i}?", back="A.")


def reviewed(card_id: str, *, days_ago: float, stability: float, due_in: float, lapses: int = 0) -> CardProgress:
    return CardProgress("d", card_id, LearnState.REVIEW, None, stability, 5.0, NOW + timedelta(days=due_in),
                        NOW - timedelta(days=days_ago), reps=3, lapses=lapses, last_rating=3)


def test_a_new_card_goes_to_learning_and_counts_the_review() -> None:
    after = review(CardProgress("d", "c"), Rating.GOOD, NOW, SCHED)
    assert after.state is LearnState.LEARNING
    assert after.reps == 1 and after.lapses == 0 and after.last_rating == 3
    assert after.last_review == NOW
    assert after.due == NOW + timedelta(minutes=10)


def test_again_on_a_review_card_is_a_lapse() -> None:
    before = reviewed("c", days_ago=10, stability=10, due_in=0)
    after = review(before, Rating.AGAIN, NOW, SCHED)
    assert after.state is LearnState.RELEARNING
    assert after.lapses == 1


def test_preview_matches_what_rating_then_gives() -> None:
    before = reviewed("c", days_ago=5, stability=5, due_in=0)
    shown = preview(before, NOW, SCHED)
    for rating in Rating:
        assert review(before, rating, NOW, SCHED).due - NOW == shown[rating]
    assert shown[Rating.AGAIN] < shown[Rating.HARD] <= shown[Rating.GOOD] < shown[Rating.EASY]


def test_queue_order_learning_then_weakest_reviews_then_new_in_deck_order() -> None:
    cards = [card(i) for i in range(8)]
    progress = {
        ("d", "c0"): reviewed("c0", days_ago=2, stability=30, due_in=-1),   # strong review, due
        ("d", "c1"): CardProgress("d", "c1", LearnState.LEARNING, 0, 1.0, 5.0, NOW - timedelta(minutes=5), NOW,
                                  reps=1),
        ("d", "c2"): reviewed("c2", days_ago=20, stability=3, due_in=-15),  # weak review, due
        ("d", "c3"): reviewed("c3", days_ago=1, stability=50, due_in=40),   # not due
        ("d", "c5"): CardProgress("d", "c5", LearnState.RELEARNING, 0, 1.0, 5.0, NOW - timedelta(minutes=1), NOW,
                                  reps=4, lapses=1),
    }
    end = NOW + timedelta(hours=10)
    queue = build_queue(cards, progress, NOW, end, SCHED, {"d": 2})
    order = []
    while (key := queue.next(NOW)) is not None:
        order.append(key[1])
    # learning/relearning due (earliest first), reviews weakest first, then two new cards in deck order
    assert order == ["c1", "c5", "c2", "c0", "c4", "c6"]


def test_new_allowance_is_per_deck() -> None:
    cards = [card(i, "a") for i in range(3)] + [card(i, "b") for i in range(3)]
    queue = build_queue(cards, {}, NOW, NOW + timedelta(hours=1), SCHED, {"a": 1, "b": 0})
    assert queue.new == [("a", "c0")]


def test_learning_cards_come_back_when_due_or_within_learn_ahead() -> None:
    queue = build_queue([], {}, NOW, NOW + timedelta(hours=5), SCHED, {})
    queue.push_learning(("d", "x"), NOW + timedelta(minutes=10))
    queue.push_learning(("d", "y"), NOW + timedelta(hours=2))
    assert queue.next(NOW) == ("d", "x")  # nothing else left: shown up to 20 minutes early
    assert queue.next(NOW) is None  # two hours away: the session ends
    assert queue.next(NOW + timedelta(hours=2)) == ("d", "y")


def test_retrievability_falls_with_time_and_is_zero_for_new_cards() -> None:
    p = reviewed("c", days_ago=0, stability=10, due_in=10)
    assert retrievability(CardProgress("d", "n"), NOW, SCHED) == 0
    soon = retrievability(p, NOW + timedelta(days=1), SCHED)
    later = retrievability(p, NOW + timedelta(days=30), SCHED)
    assert 1 > soon > later > 0
    assert abs(retrievability(p, NOW + timedelta(days=10), SCHED) - 0.9) < 0.01  # stability = days to 90%


def test_study_day_starts_at_the_configured_hour() -> None:
    at_3am = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
    assert study_day_start(at_3am, 4, timezone.utc) == datetime(2026, 3, 1, 4, 0, tzinfo=timezone.utc)
    assert study_day_start(NOW, 4, timezone.utc) == datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)


def test_exam_cap_bounds_the_next_review_and_lapses_after_the_exam() -> None:
    cap = exam_cap(date(2026, 3, 10), NOW, 4, timezone.utc)
    assert cap == datetime(2026, 3, 10, 4, 0, tzinfo=timezone.utc)
    strong = reviewed("c", days_ago=30, stability=60, due_in=0)
    assert review(strong, Rating.EASY, NOW, SCHED).due > cap
    assert review(strong, Rating.EASY, NOW, SCHED, cap).due == cap
    assert exam_cap(date(2026, 3, 1), NOW, 4, timezone.utc) is None


def test_format_interval() -> None:
    assert [format_interval(timedelta(**k)) for k in ({"minutes": 1}, {"minutes": 10}, {"hours": 5},
                                                      {"days": 3}, {"days": 60}, {"days": 400})] == \
        ["1m", "10m", "5h", "3d", "2mo", "1.1y"]

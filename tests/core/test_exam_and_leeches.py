"""The exam date's interval cap and new-card quota, cram and drill order, leeches, the settings form."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from studyapp.core.models import Card, CardProgress, LearnState, Rating
from studyapp.core.scheduling import (
    ForgettingCurve,
    ScheduleSettings,
    build_queue,
    cap_dues,
    cram_order,
    drill_order,
    exam_cap,
    exam_days_left,
    make_scheduler,
    new_card_quota,
    parse_settings,
    review,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
SCHED = make_scheduler(ScheduleSettings())
CURVE = ForgettingCurve.of(SCHED)


def mature(card_id: str = "c", *, stability: float = 60.0, days_ago: float = 1, lapses: int = 0) -> CardProgress:
    return CardProgress("d", card_id, LearnState.REVIEW, None, stability, 5.0, NOW, NOW - timedelta(days=days_ago),
                        reps=5, lapses=lapses, last_rating=3)


def test_no_interval_reaches_past_the_exam() -> None:
    cap = exam_cap(date(2026, 3, 12), NOW, 4, timezone.utc)
    assert cap == datetime(2026, 3, 12, 4, tzinfo=timezone.utc)
    uncapped = review(mature(), Rating.EASY, NOW, SCHED)
    assert uncapped.due > cap, "the case must be one the cap changes"
    capped = review(mature(), Rating.EASY, NOW, SCHED, cap)
    assert capped.due == cap
    assert capped.stability == uncapped.stability, "the memory state is FSRS's own; only the date moves"
    short = review(CardProgress("d", "new"), Rating.GOOD, NOW, SCHED, cap)
    assert short.due == NOW + timedelta(minutes=10), "intervals inside the cap are untouched"


def test_after_the_exam_scheduling_is_normal_again() -> None:
    after_exam = NOW + timedelta(days=11)
    assert exam_cap(date(2026, 3, 12), after_exam, 4, timezone.utc) is None
    assert exam_days_left(date(2026, 3, 12), after_exam.date()) is None
    assert exam_days_left(date(2026, 3, 12), TODAY) == 10


def test_existing_dues_after_the_cap_are_brought_forward() -> None:
    cap = NOW + timedelta(days=10)
    cards = [replace(mature("a"), due=NOW + timedelta(days=40)), replace(mature("b"), due=NOW + timedelta(days=3)),
             replace(mature("c"), due=cap)]
    moved = cap_dues(cards, cap)
    assert [(p.card_id, p.due) for p in moved] == [("a", cap)]


@pytest.mark.parametrize(("unseen", "introduced", "per_day", "exam", "expected"), [
    (100, 0, 20, None, 20),  # no exam: the usual allowance
    (100, 5, 20, None, 15),
    (10, 0, 20, None, 10),  # never more than there are
    (100, 0, 20, date(2026, 3, 30), 20),  # 26 study days for 100 cards: 20 a day is plenty
    (300, 0, 20, date(2026, 3, 12), 38),  # 8 study days (to 9 March, 3 days before): ceil(300/8)
    (280, 20, 20, date(2026, 3, 12), 18),  # 300 to spread, 38 today, 20 seen already
    (50, 0, 20, date(2026, 3, 4), 50),  # inside the last three days: everything left
    (100, 0, 20, date(2026, 2, 1), 20),  # after the exam: normal again
])
def test_the_new_card_quota_grows_so_every_card_is_seen_three_days_before_the_exam(
        unseen: int, introduced: int, per_day: int, exam: date | None, expected: int) -> None:
    assert new_card_quota(unseen, introduced, per_day, TODAY, exam) == expected


def test_at_that_quota_every_card_has_been_seen_three_days_before() -> None:
    unseen, exam = 300, date(2026, 3, 12)
    day = TODAY
    while unseen and day <= exam:
        unseen -= new_card_quota(unseen, 0, 20, day, exam)
        if unseen:
            day += timedelta(days=1)
    assert unseen == 0 and (exam - day).days >= 3


def test_the_eighth_lapse_makes_a_leech_which_sessions_leave_out() -> None:
    p = mature(lapses=6)
    for _ in range(2):
        assert not p.leech
        p = review(p, Rating.AGAIN, NOW, SCHED)
        p = replace(p, state=LearnState.REVIEW)  # relearned
    assert p.lapses == 8 and p.leech
    cards = [Card("d", "c", "aims", "Q"), Card("d", "other", "aims", "Q")]
    due = replace(p, due=NOW - timedelta(days=1))
    queue = build_queue(cards, {("d", "c"): due}, NOW, NOW + timedelta(hours=12), SCHED, {"d": 5})
    assert queue.reviews == [] and queue.new == [("d", "other")]


def test_a_reset_leech_is_flagged_again_at_the_twelfth_lapse() -> None:
    p = replace(mature(lapses=8), leech=False)
    for lapses in range(9, 13):
        p = replace(review(p, Rating.AGAIN, NOW, SCHED), state=LearnState.REVIEW)
        assert p.lapses == lapses and p.leech == (lapses == 12)


def test_a_drill_goes_weakest_first_then_most_lapses_then_new_cards() -> None:
    cards = [Card("d", k, "aims", "Q") for k in ("new", "strong", "weak", "lapsed", "weak_twin")]
    progress = {("d", "strong"): mature("strong", stability=100, days_ago=5),
                ("d", "weak"): mature("weak", stability=1, days_ago=20),
                ("d", "weak_twin"): mature("weak_twin", stability=1, days_ago=20, lapses=3),
                ("d", "lapsed"): mature("lapsed", stability=10, days_ago=5, lapses=5)}
    order = [k for _, k in drill_order(cards, progress, NOW, CURVE)]
    assert order == ["weak_twin", "weak", "lapsed", "strong", "new"]


def test_cram_orders_by_retrievability_on_exam_day_and_leaves_out_leeches() -> None:
    exam_at = NOW + timedelta(days=20)
    cards = [Card("d", k, "aims", "Q") for k in ("solid", "shaky", "new", "leech")]
    progress = {("d", "solid"): mature("solid", stability=200), ("d", "shaky"): mature("shaky", stability=5),
                ("d", "leech"): replace(mature("leech", stability=1), leech=True)}
    assert [k for _, k in cram_order(cards, progress, exam_at, CURVE)] == ["new", "shaky", "solid"]


def test_the_settings_form_checks_every_field() -> None:
    changes, problems = parse_settings("2026-04-01", "0.85", "30", "5", TODAY)
    assert problems == []
    assert changes == {"exam_date": date(2026, 4, 1), "desired_retention": 0.85, "new_per_day": 30,
                       "day_start_hour": 5}
    assert parse_settings("", "0.9", "20", "4", TODAY)[0]["exam_date"] is None
    changes, problems = parse_settings("2026-02-30", "1.5", "-1", "24", TODAY)
    assert len(problems) == 4 and changes == {}
    assert "YYYY-MM-DD" in problems[0]
    assert parse_settings("2026-03-01", "0.9", "20", "4", TODAY)[1] == ["Exam date: 2026-03-01 has already passed"]

"""The coverage map per document, and the exam-day plan against FSRS and against every subset."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import fsrs
import numpy as np
import pytest

from studyapp.core.coverage import Mastery, coverage_map, map_cells, weakest_stretch
from studyapp.core.models import Card, CardProgress, LearnState, Locator, Rating
from studyapp.core.planning import NEW_CARD_ANSWERS, best_split, day_plan, exam_gains, new_card_gain, seconds_per_answer
from studyapp.core.scheduling import ForgettingCurve, review

NOW = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)
SCHED = fsrs.Scheduler(enable_fuzzing=False)
W = SCHED.parameters
CURVE = ForgettingCurve.of(SCHED)
EXAM = NOW + timedelta(days=12, hours=2)


def cited(cid: str, *ranges: tuple[str, int, int]) -> Card:
    return Card("d", cid, "aims", "Q?", back="A", source=tuple(Locator(k, s, e) for k, s, e in ranges))


def studied(cid: str, stability: float, days_ago: int, difficulty: float = 5.0) -> CardProgress:
    return CardProgress("d", cid, LearnState.REVIEW, None, stability, difficulty, NOW, NOW - timedelta(days=days_ago),
                        3, 0, 3)


# --- coverage ---------------------------------------------------------------------------------
def test_stretches_split_where_the_citing_cards_change_and_take_the_weakest_card() -> None:
    cards = [cited("a", ("slides", 10, 20)), cited("b", ("slides", 15, 30)), cited("c", ("slides", 40, 40)),
             cited("d", ("paper", 1, 5))]
    progress = {("d", "a"): studied("a", 100, 1), ("d", "b"): studied("b", 1, 30)}
    docs = {doc.key: doc for doc in coverage_map(cards, progress, NOW, CURVE)}
    slides = docs["slides"]
    assert [(s.start, s.end, s.mastery) for s in slides.stretches] == [
        (10, 14, Mastery.MASTERED),  # a alone, well remembered
        (15, 20, Mastery.LEARNING),  # a and b: b is forgotten
        (21, 30, Mastery.LEARNING),  # b alone
        (40, 40, Mastery.NEVER),  # c, never answered
    ]
    assert (slides.lines(Mastery.MASTERED), slides.lines(Mastery.LEARNING), slides.lines(Mastery.NEVER)) == (5, 16, 1)
    assert docs["paper"].stretches[0].mastery is Mastery.NEVER
    # The weakest: never studied (recall 0), the longer first -> paper 1-5 (5 lines) before slides 40.
    key, stretch = weakest_stretch(docs.values())
    assert (key, stretch.start, stretch.end, stretch.cards) == ("paper", 1, 5, (("d", "d"),))


def test_a_document_every_card_of_which_is_mastered_has_no_weakest_stretch() -> None:
    cards = [cited("a", ("slides", 1, 3))]
    docs = coverage_map(cards, {("d", "a"): studied("a", 100, 0)}, NOW, CURVE)
    assert weakest_stretch(docs) is None
    assert map_cells(docs[0], 3) == [Mastery.MASTERED] * 3


def test_the_map_cells_show_the_weakest_mastery_in_their_lines_and_gaps_as_none() -> None:
    cards = [cited("a", ("s", 1, 10)), cited("b", ("s", 31, 40))]
    docs = coverage_map(cards, {("d", "a"): studied("a", 100, 0)}, NOW, CURVE)
    cells = map_cells(docs[0], 4)  # 10 lines a cell
    assert cells == [Mastery.MASTERED, None, None, Mastery.NEVER]


# --- the plan ---------------------------------------------------------------------------------
@pytest.mark.parametrize("stability,days_ago,difficulty", [(2.0, 3, 5.0), (10.0, 10, 7.5), (40.0, 5, 2.0)])
def test_the_vectorised_stabilities_agree_with_fsrs(stability: float, days_ago: int, difficulty: float) -> None:
    p = studied("x", stability, days_ago, difficulty)
    r_now = CURVE.at(p, NOW)
    good = review(p, Rating.GOOD, NOW, SCHED).stability
    again = review(p, Rating.AGAIN, NOW, SCHED).stability
    to_exam = (EXAM - NOW).days
    decay, factor = CURVE.decay, CURVE.factor
    r = lambda s, t: (1 + factor * t / s) ** decay  # noqa: E731
    expected = r_now * r(good, to_exam) + (1 - r_now) * r(again, to_exam) - r(stability, (EXAM - p.last_review).days)
    assert exam_gains([p], NOW, EXAM, W)[0] == pytest.approx(expected, rel=1e-6)


def test_a_card_answered_today_gains_nothing_and_a_new_card_gains_its_first_good() -> None:
    assert exam_gains([studied("x", 5.0, 0)], NOW, EXAM, W)[0] == 0.0
    assert new_card_gain(NOW, EXAM, W) == pytest.approx((1 + CURVE.factor * 12 / W[2]) ** CURVE.decay)


def brute_force(gains: list[float], costs: list[float], budget: float) -> float:
    best = 0.0
    for chosen in itertools.product((0, 1), repeat=len(gains)):
        if sum(c for c, x in zip(costs, chosen) if x) <= budget + 1e-9:
            best = max(best, sum(g for g, x in zip(gains, chosen) if x))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_the_plan_is_the_best_set_within_the_budget(seed: int) -> None:
    rng = random.Random(seed)
    keys = [("d", f"c{i}") for i in range(12)]
    progress = {}
    for key in keys[:8]:  # 8 studied cards of all sorts, 4 new
        progress[key] = replace(studied(key[1], rng.uniform(0.5, 60), rng.randrange(1, 40), rng.uniform(1, 10)))
    pace = 9.0
    budget_minutes = rng.choice([0.3, 0.6, 1.0, 1.4])
    plan = day_plan({"d": [k[1] for k in keys]}, progress, NOW, EXAM, W, budget_minutes, pace)
    # Every subset of the 12 cards, with their gains and costs:
    gains = list(exam_gains([progress[k] for k in keys[:8]], NOW, EXAM, W)) + [new_card_gain(NOW, EXAM, W)] * 4
    costs = [pace] * 8 + [pace * NEW_CARD_ANSWERS] * 4
    assert plan.gain == pytest.approx(brute_force(gains, costs, budget_minutes * 60), abs=1e-9)
    assert plan.seconds <= budget_minutes * 60 + 1e-9
    assert len(set(plan.keys)) == len(plan.keys)


def test_the_plan_orders_by_gain_per_second_and_says_what_skipping_costs() -> None:
    keys = [("d", "weak"), ("d", "strong"), ("d", "new")]
    progress = {("d", "weak"): studied("weak", 3.0, 6), ("d", "strong"): studied("strong", 200.0, 2)}
    ids = {"d": ["weak", "strong", "new"]}
    plan = day_plan(ids, progress, NOW, EXAM, W, 10, 10.0)
    gains = exam_gains([progress[("d", "weak")], progress[("d", "strong")]], NOW, EXAM, W)
    rates = {("d", "weak"): gains[0] / 10, ("d", "strong"): gains[1] / 10,
             ("d", "new"): new_card_gain(NOW, EXAM, W) / (10 * NEW_CARD_ANSWERS)}
    assert gains[0] > gains[1] > 0  # the forgotten card gains more than the well-known one
    assert list(plan.keys) == sorted(keys, key=lambda k: -rates[k])
    assert plan.skip_cost == pytest.approx(plan.gain / 3)
    assert day_plan(ids, progress, NOW, NOW - timedelta(days=1), W, 10, 10.0).keys == ()  # the exam is past
    assert day_plan(ids, progress, NOW, EXAM, W, 0, 10.0).keys == ()  # no time left today
    gone = day_plan({"d": ["weak"]}, progress, NOW, EXAM, W, 10, 10.0)  # cards no longer in a deck are left out
    assert gone.keys == (("d", "weak"),) and gone.cards == 1


def test_best_split_takes_the_best_mix_of_two_costs() -> None:
    # One new card (gain 0.5, 20 s) against two reviews (0.3 each, 10 s): the reviews win in 20 s.
    assert best_split(np.array([0.5]), np.array([0.3, 0.3]), 20, 10, 20) == (0, 2)
    assert best_split(np.array([0.7]), np.array([0.3, 0.3]), 20, 10, 20) == (1, 0)


def test_the_students_pace_is_the_median_of_their_timed_answers() -> None:
    assert seconds_per_answer([5000] * 5) == 10.0  # too few: the default
    assert seconds_per_answer([4000] * 15 + [8000] * 15 + [None] * 10) == 6.0
    assert seconds_per_answer([600_000] * 30) == 120.0  # a card left open is capped


def test_a_card_citing_two_overlapping_ranges_counts_once() -> None:
    cards = [cited("a", ("s", 10, 20), ("s", 15, 25)), cited("b", ("s", 15, 16))]
    progress = {("d", "b"): studied("b", 100, 1)}
    [doc] = coverage_map(cards, progress, NOW, CURVE)
    middle = next(s for s in doc.stretches if s.start == 15)
    assert (middle.end, set(middle.cards), middle.mastery) == (16, {("d", "a"), ("d", "b")}, Mastery.LEARNING)
    assert middle.recall == pytest.approx(CURVE.at(progress[("d", "b")], NOW) / 2)
    assert [(s.start, s.end) for s in doc.stretches] == [(10, 14), (15, 16), (17, 25)]

"""Mock exam papers: coverage of the seven topics, weighting by weakness, a seed that reproduces, the grade band."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from studyapp.core.grading import grade_typed_answer
from studyapp.core.mock_paper import (
    EXAM_DECKS,
    allocate,
    assemble_paper,
    band_of,
    draw_cards,
    grade_band,
    is_short_answer,
    parse_minutes,
    question_mark,
)
from studyapp.core.models import Card, CardKind, CardProgress, LearnState
from studyapp.core.scheduling import ForgettingCurve, ScheduleSettings, make_scheduler

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
CURVE = ForgettingCurve.of(make_scheduler(ScheduleSettings()))


@dataclass(frozen=True)
class Prompt:
    id: str
    deck_ids: tuple[str, ...]


def topic_cards(per_topic: int = 20) -> dict[str, list[Card]]:
    return {t: [Card(t, f"c{i:02d}", "origins", f"Question {i} on {t}?", back="1955", answers=("1955",))
                for i in range(per_topic)] for t in EXAM_DECKS}


def learned(key: tuple[str, str], days_ago: int, stability: float) -> CardProgress:
    return CardProgress(*key, state=LearnState.REVIEW, stability=stability, difficulty=5.0,
                        due=NOW + timedelta(days=1), last_review=NOW - timedelta(days=days_ago), reps=3)


PROMPTS = [Prompt(f"gen/{t}/origins-aims", (t,)) for t in EXAM_DECKS] + [Prompt("gen/nato+warsaw_pact/compare",
                                                                             ("nato", "warsaw_pact"))]


def paper(seed: int, strengths: dict | None = None, progress: dict | None = None, n: int = 14):  # noqa: ANN201
    return assemble_paper(EXAM_DECKS, topic_cards(), progress or {}, strengths or {}, PROMPTS, NOW, CURVE, seed,
                          short_questions=n)


def test_every_one_of_the_seven_topics_is_on_the_paper() -> None:
    for seed in range(20):
        p = paper(seed, strengths={"nato": 0.1, "osce": 0.95})
        assert set(EXAM_DECKS) <= {deck for deck, _ in p.questions}
        assert len(p.questions) == 14 and len(set(p.questions)) == 14
        assert p.essay_prompt_id is not None


def test_weak_topics_get_more_questions_and_the_weakest_pulls_the_essay() -> None:
    strengths = {t: 0.9 for t in EXAM_DECKS} | {"weu": 0.2}  # WEU weak, the rest strong
    p = paper(1, strengths)
    per_topic = Counter(deck for deck, _ in p.questions)
    assert per_topic["weu"] == max(per_topic.values()) and per_topic["weu"] > per_topic["nato"]
    essays = Counter(paper(seed, strengths).essay_prompt_id for seed in range(300))
    assert essays["gen/weu/origins-aims"] > essays["gen/osce/origins-aims"] * 3


def test_within_a_topic_forgotten_cards_come_up_more_often() -> None:
    cards = topic_cards()["nato"]
    # The first ten are remembered for sure (studied today, long stability), the last ten long overdue.
    progress = ({c.key: learned(c.key, 0, 300.0) for c in cards[:10]}
                | {c.key: learned(c.key, 60, 1.0) for c in cards[10:]})
    drawn = Counter()
    rng = random.Random(7)
    for _ in range(300):
        drawn.update(key for key in draw_cards(cards, 3, progress, NOW, CURVE, rng))
    strong = sum(drawn[c.key] for c in cards[:10])
    weak = sum(drawn[c.key] for c in cards[10:])
    assert weak > 3 * strong > 0  # weighted, yet a strong card can still be asked


def test_a_big_topic_is_drawn_from_by_rejection_with_the_same_weighting() -> None:
    from studyapp.core.mock_paper import SCAN_BELOW, draw_by_rejection

    n = SCAN_BELOW + 1000
    cards = [Card("nato", f"c{i:05d}", "origins", "Q?", back="A", answers=("A",)) if i % 2 else
             Card("nato", f"c{i:05d}", "origins", "Why?", back="A long answer.") for i in range(n)]
    forgotten = {c.key for c in cards[: n // 2]}
    progress = {c.key: learned(c.key, 0, 300.0) if c.key not in forgotten else learned(c.key, 60, 1.0) for c in cards}
    drawn = Counter()
    rng = random.Random(3)
    for _ in range(200):
        keys = draw_by_rejection(cards, 3, progress, NOW, CURVE, rng)
        assert len(set(keys)) == 3 and keys == sorted(keys)
        drawn.update(keys)
    assert all(int(key[1][1:]) % 2 for key in drawn)  # short answers only
    weak = sum(v for k, v in drawn.items() if k in forgotten)
    assert weak > 3 * (600 - weak) > 0
    # a big topic with no short answer at all: rejection gives up, and the paper still asks it (scanned)
    essays_only = {t: [Card(t, f"e{i:05d}", "origins", "Why?", back="Because.") for i in range(n)] for t in ("a",)}
    p = assemble_paper(["a"], essays_only, {}, {}, [], NOW, CURVE, 1, short_questions=2)
    assert len(p.questions) == 2


def test_the_same_seed_sets_the_same_paper_and_another_seed_another() -> None:
    strengths = {"nato": 0.3, "edc": 0.7}
    assert paper(42, strengths) == paper(42, strengths)
    assert len({paper(seed, strengths).questions for seed in range(10)}) > 5


def test_allocation_covers_first_then_follows_the_weights_and_the_cards_available() -> None:
    topics = ["a", "b", "c"]
    assert allocate(topics, {"a": 1.0, "b": 0.1, "c": 0.1}, 12) == {"a": 8, "b": 2, "c": 2}
    assert allocate(topics, {"a": 1.0, "b": 1.0, "c": 1.0}, 2) == {"a": 1, "b": 1, "c": 0}
    assert allocate(topics, {"a": 0.1, "b": 1.0, "c": 0.5}, 2) == {"a": 0, "b": 1, "c": 1}  # too few: weakest first
    assert allocate(topics, {"a": 1.0, "b": 0.1, "c": 0.1}, 12, {"a": 3, "b": 20, "c": 20}) == {"a": 3, "b": 5, "c": 4}
    assert sum(allocate(topics, {"a": 1, "b": 1, "c": 1}, 50, {"a": 3, "b": 3, "c": 3}).values()) == 9


def test_short_answer_questions_are_cards_answerable_in_a_few_words() -> None:
    assert is_short_answer(Card("d", "a", "origins", "When?", back="In 1955, in Warsaw.", answers=("1955",)))
    assert not is_short_answer(Card("d", "b", "origins", "Why?", back="A long explanation of causes."))
    assert is_short_answer(Card("d", "c", "members", "Who?", CardKind.LIST, items=("A", "B", "C")))
    assert not is_short_answer(Card("d", "d", "members", "Who?", CardKind.LIST, items=tuple("ABCDEFGHIJ")))


def test_a_question_is_marked_as_the_typed_answer_is_graded() -> None:
    year = Card("d", "a", "origins", "When?", back="In 1955.", answers=("1955",))
    assert question_mark(year, grade_typed_answer(year, "1955")) == 1.0
    assert question_mark(year, grade_typed_answer(year, "1954")) == 0.0
    assert question_mark(year, None) == 0.0
    members = Card("d", "m", "members", "Who?", CardKind.LIST, items=("Albania", "Bulgaria", "Hungary", "Poland"))
    assert question_mark(members, grade_typed_answer(members, "Albania, Hungary")) == 0.5


def test_the_grade_band_and_its_range() -> None:
    band = grade_band([1.0] * 10 + [0.0] * 4, [1.0, 1.0, 0.5, 0.0, 1.0, 0.5])
    # half the marks from each part: (10/14 + 4/6) / 2
    assert band.mark == pytest.approx((10 / 14 + 4 / 6) / 2, abs=1e-4)
    assert band.band == "2:1" and band.low < band.mark < band.high
    assert band.low_band in ("2:2", "2:1") and band.high_band == "First"
    # a longer paper at the same rate is surer of its mark
    longer = grade_band([1.0] * 40 + [0.0] * 16, [1.0, 1.0, 0.5, 0.0, 1.0, 0.5] * 4)
    assert longer.high - longer.low < band.high - band.low
    # a perfect or a blank paper still has a range (Agresti-Coull), inside 0..1
    perfect = grade_band([1.0] * 5, [1.0] * 4)
    assert perfect.mark == 1.0 and 0.7 < perfect.low < 1.0 and perfect.high == 1.0
    blank = grade_band([0.0] * 5, [0.0] * 4)
    assert blank.mark == 0.0 and blank.low == 0.0 and 0.0 < blank.high < 0.3
    assert grade_band([], []).mark == 0.0


def test_bands_follow_the_uk_classes() -> None:
    assert [band_of(m) for m in (0.75, 0.70, 0.65, 0.55, 0.45, 0.39)] == ["First", "First", "2:1", "2:2", "Third",
                                                                         "Fail"]


def test_the_paper_length_setting_is_checked() -> None:
    assert parse_minutes("90") == (90, None)
    for bad in ("", "ninety", "5", "1000"):
        value, problem = parse_minutes(bad)
        assert value is None and "whole number of minutes" in problem

"""Statistics and the weak-topic ranking, on review logs and progress built here with known answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from studyapp.core.models import Card, CardProgress, Deck, LearnState, Rating, Review
from studyapp.core.scheduling import ForgettingCurve, ScheduleSettings, make_scheduler, retrievability, study_day
from studyapp.core.stats import (
    DayTally,
    TopicStats,
    answers_per_day,
    due_forecast,
    leeches,
    maturity,
    predicted_recall,
    rank_topics,
    recall,
    recall_by_week,
    recall_of,
    tallies_from_reviews,
    weak_topics,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)  # a Monday
TODAY = NOW.date()
SCHED = make_scheduler(ScheduleSettings())
CURVE = ForgettingCurve.of(SCHED)


def answers(ratings: list[int], *, deck: str = "d", card: str = "c", start: datetime = NOW,
            mode: str = "flip") -> list[Review]:
    return [Review(deck, card, Rating(r), start + timedelta(minutes=i), mode) for i, r in enumerate(ratings)]


def day_of(moment: datetime) -> date:
    return study_day(moment, 4, timezone.utc)


def test_ten_reviews_with_three_again_is_seventy_percent_recall() -> None:
    log = answers([1, 3, 3, 1, 4, 3, 2, 1, 3, 3])
    assert recall(log) == pytest.approx(0.7)
    tallies = tallies_from_reviews(log, day_of, lambda deck, card: "origins")
    assert tallies == [DayTally(TODAY, "d", "origins", reviews=10, again=3, practice=0)]
    assert recall_of(tallies) == pytest.approx(0.7)


def test_practice_answers_are_counted_as_answers_but_not_in_recall() -> None:
    log = answers([3, 3]) + answers([1, 1, 1], mode="practice")
    assert recall(log) == 1.0
    [tally] = tallies_from_reviews(log, day_of, lambda deck, card: "aims")
    assert (tally.reviews, tally.again, tally.practice, tally.answers) == (2, 0, 3, 5)
    assert recall_of([tally]) == 1.0


def test_no_reviews_no_recall() -> None:
    assert recall([]) is None and recall_of([]) is None


def test_the_study_day_starts_at_four_so_an_answer_at_two_belongs_to_yesterday() -> None:
    late = datetime(2026, 3, 3, 2, 0, tzinfo=timezone.utc)
    tallies = tallies_from_reviews(answers([3], start=late) + answers([3], start=late + timedelta(hours=3)),
                                   day_of, lambda deck, card: "aims")
    assert [(t.day, t.reviews) for t in tallies] == [(date(2026, 3, 2), 1), (date(2026, 3, 3), 1)]


def test_answers_per_day_covers_six_months_ending_today() -> None:
    tallies = [DayTally(TODAY, "d", "aims", 4, 1, 2), DayTally(TODAY, "e", "aims", 1, 0, 0),
               DayTally(TODAY - timedelta(days=3), "d", "aims", 7, 0, 0),
               DayTally(TODAY - timedelta(days=400), "d", "aims", 9, 0, 0)]
    days = answers_per_day(tallies, TODAY)
    assert len(days) == 182
    assert days[-1] == (TODAY, 7) and days[-4] == (TODAY - timedelta(days=3), 7)
    assert sum(n for _, n in days) == 14  # the day 400 days ago is out of range


def test_recall_by_week_groups_monday_to_sunday() -> None:
    sunday = TODAY - timedelta(days=1)
    tallies = [DayTally(TODAY, "d", "aims", 10, 3, 0), DayTally(sunday, "d", "aims", 4, 4, 0),
               DayTally(sunday - timedelta(days=6), "d", "aims", 4, 0, 0)]  # the Monday before
    weeks = recall_by_week(tallies, TODAY, weeks=3)
    assert [w.start for w in weeks] == [date(2026, 2, 16), date(2026, 2, 23), date(2026, 3, 2)]
    assert [w.reviews for w in weeks] == [0, 8, 10]
    assert weeks[0].recall is None and weeks[1].recall == 0.5 and weeks[2].recall == pytest.approx(0.7)


def progress(card_id: str, *, stability: float = 5.0, due_in: float = 1.0, days_ago: float = 1.0,
             lapses: int = 0, leech: bool = False, deck: str = "d", state: LearnState = LearnState.REVIEW
             ) -> CardProgress:
    return CardProgress(deck, card_id, state, None, stability, 5.0, NOW + timedelta(days=due_in),
                        NOW - timedelta(days=days_ago), reps=3, lapses=lapses, last_rating=3, leech=leech)


def test_due_forecast_counts_overdue_cards_today_and_leaves_out_leeches() -> None:
    start = datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)
    cards = [progress("a", due_in=-3), progress("b", due_in=0.5), progress("c", due_in=2),
             progress("d", due_in=2.1), progress("e", due_in=45), progress("f", due_in=1, leech=True)]
    forecast = due_forecast(cards, start)
    assert len(forecast) == 30
    assert forecast[:4] == [2, 0, 2, 0]
    assert sum(forecast) == 4


def test_maturity_splits_at_21_days_of_stability() -> None:
    deck = Deck("d", "Deck", cards=tuple(Card("d", f"c{i}", "aims", "Q") for i in range(4)))
    found = {("d", "c0"): progress("c0", stability=21.0), ("d", "c1"): progress("c1", stability=20.9),
             ("d", "c2"): progress("c2", stability=3)}
    [m] = maturity([deck], found)
    assert (m.mature, m.young, m.new, m.total) == (1, 2, 1, 4)


def test_the_fast_forgetting_curve_agrees_with_fsrs() -> None:
    for days_ago, stability in [(0, 1.0), (1, 1.0), (3, 2.5), (30, 10.0), (200, 40.0)]:
        p = progress("c", stability=stability, days_ago=days_ago)
        assert CURVE.at(p, NOW) == pytest.approx(retrievability(p, NOW, SCHED))
    assert CURVE.at(CardProgress("d", "c"), NOW) == 0.0


def test_predicted_recall_counts_new_cards_as_zero() -> None:
    cards = [Card("d", "a", "aims", "Q"), Card("d", "b", "aims", "Q")]
    p = progress("a", stability=10, days_ago=0)
    keys = [c.key for c in cards]
    assert predicted_recall(keys, {("d", "a"): p}, NOW, CURVE) == pytest.approx(0.5)
    later = predicted_recall(keys, {("d", "a"): p}, NOW + timedelta(days=10), CURVE)
    assert later == pytest.approx(0.45)  # stability is the interval at which recall falls to 90%


def topic(name: str, *, recall_: float | None, memory: float | None, studied: int = 5, leeches_: int = 0,
          lapses: int = 0, essays: float | None = None) -> TopicStats:
    return TopicStats(name, None, name, 10, studied, recall_, memory, lapses, leeches_, essays)


def test_ranking_puts_the_weakest_first_and_unstudied_topics_last() -> None:
    ranked = rank_topics([
        topic("strong", recall_=0.95, memory=0.9),
        topic("unseen", recall_=None, memory=None, studied=0),
        topic("weak", recall_=0.5, memory=0.6),
        topic("middling", recall_=0.8, memory=0.7),
    ])
    assert [t.title for t in ranked] == ["weak", "middling", "strong", "unseen"]


def test_ranking_breaks_ties_by_leeches_then_lapses() -> None:
    ranked = rank_topics([topic("a", recall_=0.8, memory=0.8, lapses=9),
                          topic("b", recall_=0.8, memory=0.8, leeches_=1),
                          topic("c", recall_=0.8, memory=0.8, lapses=2)])
    assert [t.title for t in ranked] == ["b", "a", "c"]


def test_essay_coverage_counts_once_essays_exist() -> None:
    plain = topic("a", recall_=0.8, memory=0.8)
    with_essays = topic("b", recall_=0.8, memory=0.8, essays=0.2)
    assert plain.strength == pytest.approx(0.8)
    assert with_essays.strength == pytest.approx(0.6)
    assert [t.title for t in rank_topics([plain, with_essays])] == ["b", "a"]


def test_weak_topics_ranks_decks_and_their_facets_from_progress_and_tallies() -> None:
    def deck(deck_id: str) -> Deck:
        return Deck(deck_id, deck_id.title(), cards=(Card(deck_id, "o1", "origins", "Q"),
                                                     Card(deck_id, "o2", "origins", "Q"),
                                                     Card(deck_id, "m1", "members", "Q")))

    decks = [deck("good"), deck("bad"), deck("unseen")]
    found = {}
    for deck_id in ("good", "bad"):
        for card_id in ("o1", "o2", "m1"):
            found[(deck_id, card_id)] = progress(card_id, deck=deck_id, stability=30, days_ago=2)
    found[("bad", "m1")] = progress("m1", deck="bad", stability=30, days_ago=2, lapses=8, leech=True)
    recent = [DayTally(TODAY, "good", "origins", 10, 0, 0), DayTally(TODAY, "good", "members", 5, 0, 0),
              DayTally(TODAY, "bad", "origins", 10, 1, 0), DayTally(TODAY, "bad", "members", 10, 9, 0)]
    ranked = weak_topics(decks, found, recent, NOW, CURVE)
    assert [w.deck.deck_id for w in ranked] == ["bad", "good", "unseen"]
    bad = ranked[0]
    assert bad.deck.recall == pytest.approx(0.5) and bad.deck.lapses == 8 and bad.deck.leeches == 1
    assert [f.facet for f in bad.facets] == ["members", "origins"]
    assert bad.facets[0].recall == pytest.approx(0.1) and bad.facets[0].cards == 1
    assert ranked[2].deck.studied == 0 and ranked[2].deck.retrievability is None
    # the ranking loop's inlined retrievability is the forgetting curve's
    assert bad.deck.retrievability == pytest.approx(sum(CURVE.at(found[("bad", c)], NOW) for c in ("o1", "o2", "m1")) / 3)
    assert 0 < bad.deck.retrievability < 1
    assert [(c.deck_id, c.id) for c, _ in leeches(decks, found)] == [("bad", "m1")]


def test_essay_coverage_counts_each_point_for_its_cards_topics() -> None:
    from types import SimpleNamespace

    from studyapp.core.stats import essay_coverage

    def point(*cards: str) -> SimpleNamespace:
        return SimpleNamespace(cards=tuple(("d", c) for c in cards))

    prompts = [SimpleNamespace(id="p1", deck_ids=("d",), points=(point("o1"), point("m1"), point())),
               SimpleNamespace(id="p2", deck_ids=("d",), points=(point("o2"),))]
    facets = {("d", "o1"): "origins", ("d", "o2"): "origins", ("d", "m1"): "members"}

    def facet_of(deck_id: str, card_id: str) -> str | None:
        return facets.get((deck_id, card_id))

    coverage = essay_coverage(prompts, {"p1": ("covered", "partly", "missed")}, facet_of)
    assert coverage == {("d", "origins"): 1.0, ("d", "members"): 0.5, ("d", None): pytest.approx(1.5 / 3)}
    assert essay_coverage(prompts, {}, facet_of) == {}

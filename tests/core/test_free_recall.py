"""Brain dumps: which cards a text written without a cue recalls, and the share per topic."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from studyapp.core.free_recall import (
    BrainDump,
    free_recall_by_topic,
    latest_recall,
    recall_card,
    recall_cards,
    topic_words,
)
from studyapp.core.models import Card, CardKind

TOPIC = topic_words("The Warsaw Pact")
FOUNDED = Card("wp", "founded", "origins", "In which year was the Warsaw Pact founded?", back="In 1955.",
               answers=("1955",))
ALBANIA = Card("wp", "albania", "members", "Which founding member stopped taking part in 1961?", back="Albania.",
               answers=("Albania",))
LABEL = Card("wp", "label", "activities", "How did Soviet leaders present the 1968 invasion of Czechoslovakia?",
             back="As an action of the Warsaw Pact.", answers=("as a Warsaw Pact action",))
MEMBERS = Card("wp", "members", "members", "Which states joined the USSR in the Warsaw Pact?", CardKind.LIST,
               items=("Albania", "Bulgaria", "Hungary", "Poland"))


def recalled(card: Card, text: str) -> bool:
    return recall_card(card, text, topic=TOPIC).recalled


def test_an_answer_with_its_cue_is_recalled_and_the_line_is_kept() -> None:
    result = recall_card(FOUNDED, "Cold War context\nWarsaw Pact founded 1955, days after FRG joined NATO", topic=TOPIC)
    assert result.recalled and result.line == 2 and "1955" in result.matched


def test_a_wrong_year_is_not_recall_but_other_numbers_on_the_line_do_not_hurt() -> None:
    assert not recalled(FOUNDED, "Warsaw Pact founded 1954")
    assert recalled(FOUNDED, "founded 1955; Hungary crushed 1956; Prague 1968")


def test_a_bare_year_or_name_without_its_question_is_not_credited() -> None:
    assert not recalled(FOUNDED, "1955")
    assert not recalled(ALBANIA, "The Warsaw Pact: Albania")  # the topic's own name is no cue
    assert recalled(ALBANIA, "Albania stopped taking part in 1961")


def test_the_topics_own_words_are_never_the_answer() -> None:
    assert not recalled(LABEL, "The Warsaw Pact was a military alliance")
    assert recalled(LABEL, "1968 invasion of Czechoslovakia presented as a Warsaw Pact action")


def test_a_cue_on_the_next_line_counts() -> None:
    assert recalled(FOUNDED, "It was founded in\n1955")


def test_a_cue_may_be_another_form_of_the_questions_word() -> None:
    signed = Card("nato", "signed", "origins", "When was the North Atlantic Treaty, NATO's founding treaty, signed?",
                  back="On 4 April 1949.", answers=("4 April 1949", "1949"))
    nato = topic_words("NATO: the North Atlantic Treaty Organization")
    assert recall_card(signed, "NATO founded 1949 in Washington", topic=nato).recalled
    assert not recall_card(signed, "NATO 1949", topic=nato).recalled


def test_a_list_needs_every_item_and_a_cue() -> None:
    assert recalled(MEMBERS, "States that joined the USSR:\nAlbania\nBulgaria\nHungary\nPoland")
    assert not recalled(MEMBERS, "States that joined the USSR: Albania, Bulgaria, Poland")
    assert not recalled(MEMBERS, "Albania, Bulgaria, Hungary, Poland")  # which question is this the answer to?


def test_every_card_of_the_topic_is_marked() -> None:
    results = recall_cards([FOUNDED, ALBANIA, LABEL], "founded 1955", TOPIC)
    assert [r.recalled for r in results] == [True, False, False]


def test_the_share_recalled_per_topic_uses_the_latest_dump_of_each_card() -> None:
    now = datetime(2026, 3, 2, tzinfo=timezone.utc)
    old = BrainDump(1, "wp", None, 10, now, 600, "", now, {"founded": False, "albania": False})
    new = BrainDump(2, "wp", "origins", 10, now + timedelta(days=1), 600, "", now + timedelta(days=1),
                    {"founded": True})
    unfinished = BrainDump(3, "wp", None, 10, now + timedelta(days=2), 0, "", None, {"founded": False})
    latest = latest_recall([new, old, unfinished])
    assert latest == {("wp", "founded"): True, ("wp", "albania"): False}
    facets = {"founded": "origins", "albania": "members"}
    shares = free_recall_by_topic(latest, lambda deck, card: facets.get(card))
    assert shares == {("wp", "origins"): 1.0, ("wp", "members"): 0.0, ("wp", None): 0.5}


def test_the_weak_topics_ranking_counts_free_recall() -> None:
    from studyapp.core.models import CardProgress, Deck, LearnState
    from studyapp.core.scheduling import ForgettingCurve, ScheduleSettings, make_scheduler
    from studyapp.core.stats import weak_topics

    now = datetime(2026, 3, 2, tzinfo=timezone.utc)
    decks = [Deck(d, d.upper(), cards=(Card(d, "c", "origins", "Q?", back="A"),)) for d in ("a", "b")]
    # Both decks equally well reviewed: the same progress, no recent answers.
    progress = {(d, "c"): CardProgress(d, "c", LearnState.REVIEW, stability=10.0, difficulty=5.0, due=now,
                                       last_review=now - timedelta(days=2), reps=3) for d in ("a", "b")}
    curve = ForgettingCurve.of(make_scheduler(ScheduleSettings()))
    plain = weak_topics(decks, progress, [], now, curve)
    assert [w.deck.deck_id for w in plain] == ["a", "b"]  # a tie keeps deck order
    # b's card was not recalled in a brain dump: b is now the weaker, and says why.
    ranked = weak_topics(decks, progress, [], now, curve, free_recall={("b", None): 0.0, ("b", "origins"): 0.0,
                                                                       ("a", None): 1.0})
    assert [w.deck.deck_id for w in ranked] == ["b", "a"]
    assert ranked[0].deck.free_recall == 0.0 and ranked[0].facets[0].free_recall == 0.0

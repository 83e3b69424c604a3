"""Confusion pairs: a wrong typed answer that is another card's answer, and the near-typo that is not."""

from __future__ import annotations

import pytest

from studyapp.core.confusions import AnswerIndex, find_confusion, is_near_typo, rank_pairs
from studyapp.core.grading import grade_typed_answer
from studyapp.core.models import Card, CardKind


def card(deck: str, cid: str, back: str, answers: tuple[str, ...] = ()) -> Card:
    return Card(deck, cid, "origins", f"Q {cid}?", back=back, answers=answers)


EDC = card("edc", "name", "The European Defence Community", ("EDC", "European Defence Community"))
WEU = card("weu", "name", "The Western European Union", ("WEU", "Western European Union"))
WP_1955 = card("wp", "founded", "In 1955.", ("1955",))
NATO_ENTRY = card("nato", "frg-joins", "In 1955: West Germany joined NATO.", ("1955",))
BRUSSELS = card("weu", "brussels", "In 1948.", ("1948",))
PARIS_1954 = card("weu", "paris", "The Paris Agreements of 1954.", ("1954",))
PLEVEN = card("edc", "proposer", "René Pleven, French prime minister.", ("Pleven", "René Pleven"))
SCHUMAN = card("ecsc", "proposer", "Robert Schuman, French foreign minister.", ("Schuman", "Robert Schuman"))
SCHUMANN = card("other", "composer", "Robert Schumann, the composer.", ("Schumann",))
LIST = Card("nato", "founders", "members", "Founders?", kind=CardKind.LIST, items=("Belgium", "France"))
ALL = [EDC, WEU, WP_1955, NATO_ENTRY, BRUSSELS, PARIS_1954, PLEVEN, SCHUMAN, SCHUMANN, LIST]
INDEX = AnswerIndex.of(ALL)


def confused(asked: Card, typed: str) -> Card | None:
    return find_confusion(asked, typed, grade_typed_answer(asked, typed), INDEX)


@pytest.mark.parametrize("asked,typed,other", [
    (EDC, "WEU", WEU),  # an organisation for another
    (WEU, "the EDC", EDC),
    (BRUSSELS, "1954", PARIS_1954),  # a year for another
    (SCHUMAN, "Pleven", PLEVEN),  # a person for another
    (PLEVEN, "Robert Schuman", SCHUMAN),
])
def test_another_cards_answer_is_a_confusion(asked: Card, typed: str, other: Card) -> None:
    assert confused(asked, typed) == other


def test_a_near_typo_of_the_right_answer_is_not_a_confusion_even_when_it_is_another_answer() -> None:
    # "Schumann" is wrong for Schuman (names are graded exactly) and is the composer card's answer,
    # but it is a slip of one letter on the right answer, not a mix-up.
    assert not grade_typed_answer(SCHUMAN, "Schumann").correct
    assert grade_typed_answer(SCHUMANN, "Schumann").correct
    assert is_near_typo(SCHUMAN, "Schumann")
    assert confused(SCHUMAN, "Schumann") is None


def test_the_wrong_year_by_one_is_a_confusion_not_a_typo() -> None:
    assert not is_near_typo(PARIS_1954, "1955")
    assert confused(PARIS_1954, "1955") in (WP_1955, NATO_ENTRY)


def test_right_answers_unknown_answers_and_words_are_not_confusions() -> None:
    assert confused(EDC, "EDC") is None  # right
    assert confused(EDC, "") is None
    assert confused(EDC, "NATO") is None  # wrong, but no card's answer
    assert confused(EDC, "a defence community") is None  # only names and numbers are confusable
    assert confused(LIST, "WEU") is None  # a list card is graded item by item: not a pair


def test_of_several_candidates_the_same_deck_wins_a_tie() -> None:
    asked = card("wp", "treaty-year", "In 1955.", ("1948",))
    assert confused(asked, "1955") == WP_1955  # NATO_ENTRY answers 1955 too, in another deck


def test_pairs_are_counted_either_way_round_most_confused_first() -> None:
    a, b, c = ("d", "a"), ("d", "b"), ("d", "c")
    ranked = rank_pairs({(a, b): (2, 10.0), (b, a): (1, 30.0), (a, c): (2, 40.0), (c, ("gone", "x")): (9, 1.0)},
                        exists=lambda key: key[0] != "gone")
    assert [(p.first, p.second, p.count) for p in ranked] == [(a, b, 3), (a, c, 2)]
    assert ranked[0].last == 30.0

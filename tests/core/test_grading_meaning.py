"""Typed answers in other words, with the real sentence-meaning model: the same meaning counts (suggested
Hard, to compare), while numbers and names stay strict and a word's opposite never stands in for it."""

from __future__ import annotations

import pytest

from studyapp.core.grading import grade_typed_answer, meaning_accepts
from studyapp.core.models import Card, Rating


@pytest.fixture(scope="module")
def similarities():  # noqa: ANN201
    from studyapp.meaning import shared_model

    return shared_model().load().similarities


COMMUNIST = Card(
    "nato",
    "why",
    "origins",
    "What prospect led to NATO?",
    back="The prospect of further Communist expansion.",
    answers=("Communist expansion",),
)


def test_soviet_expansion_says_what_communist_expansion_says(similarities) -> None:
    assert not grade_typed_answer(COMMUNIST, "Soviet expansion").correct  # on the words alone
    result = grade_typed_answer(COMMUNIST, "Soviet expansion", similarities)
    assert result.correct and result.by_meaning and result.suggested is Rating.HARD and not result.missing


@pytest.mark.parametrize(
    "expected,typed",
    [
        ("Communist expansion", "American expansion"),  # another power
        ("Communist expansion", "Soviet threat"),  # another idea
        ("1948", "1949"),  # numbers are exact
        ("The Brussels Treaty of 1948", "The Brussels Treaty of 1949"),
        ("The Brussels Treaty of 1948", "The Brussels Treaty of 1948 and 1949"),  # a wrong number added
        ("The rearmament of West Germany", "rearmament of East Germany"),  # names are exact
        ("The rearmament of West Germany", "disarmament of West Germany"),  # one root, another prefix
        ("an increase in defence spending", "a decrease in defence spending"),
        ("collective defence", "individual defence"),
        ("the Pleven Plan", "the Schuman Plan"),
    ],
)
def test_other_facts_are_not_the_same_meaning(similarities, expected: str, typed: str) -> None:
    assert meaning_accepts(expected, typed, similarities) is None
    card = Card("d", "c", "origins", "Q?", back=expected, answers=(expected,))
    assert not grade_typed_answer(card, typed, similarities).correct


def test_invisible_characters_do_not_change_a_grade() -> None:
    card = Card("d", "c", "origins", "Q?", back="In 1955.", answers=("1955",))
    assert grade_typed_answer(card, "19\u200b55\u202e").correct

"""Typed answers: fuzzy for words, exact for numbers and names; list cards item by item."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.core.grading import grade_list_answer, grade_typed_answer, split_items
from studyapp.core.models import Card, CardKind, Rating


def basic(back: str, answers: tuple[str, ...] = ()) -> Card:
    return Card("d", "c", "origins", "Q?", back=back, answers=answers)


WARSAW = basic("In 1955, days after West Germany joined NATO.", ("1955",))
PLEVEN = basic("René Pleven put the plan to the Assembly.", ("Pleven Plan", "Pleven"))


@pytest.mark.parametrize("typed,correct,suggested", [
    ("1955", True, Rating.GOOD),
    ("in 1955", True, Rating.GOOD),
    ("May 1955", True, Rating.GOOD),
    ("1954", False, Rating.AGAIN),  # the wrong year is wrong however similar the strings
    ("1956", False, Rating.AGAIN),
    ("1954 or 1955", False, Rating.AGAIN),  # hedging between years is not an answer
    ("", False, Rating.AGAIN),
    ("no idea", False, Rating.AGAIN),
])
def test_years_must_match_exactly(typed: str, correct: bool, suggested: Rating) -> None:
    result = grade_typed_answer(WARSAW, typed)
    assert result.correct is correct
    assert result.suggested is suggested


def test_the_wrong_year_says_which_number_was_wrong() -> None:
    result = grade_typed_answer(WARSAW, "1954")
    assert result.wrong_numbers == ("1954",)
    assert result.missing == ("1955",)


def test_a_sentence_with_the_wrong_year_is_wrong_even_if_nearly_identical() -> None:
    card = basic("The Warsaw Pact was founded in 1955.")
    assert grade_typed_answer(card, "The Warsaw Pact was founded in 1955").correct
    wrong = grade_typed_answer(card, "The Warsaw Pact was founded in 1954")
    assert not wrong.correct  # the strings are 97% alike, and the answer is still wrong
    assert wrong.suggested is Rating.AGAIN


@pytest.mark.parametrize("typed,correct", [
    ("Pleven Plan", True),
    ("pleven", True),  # each accepted answer stands on its own
    ("the pleven plan", True),
    ("Plevan Plan", False),  # names are exact
    ("Monnet Plan", False),
])
def test_names_are_exact_but_case_and_accents_are_forgiven(typed: str, correct: bool) -> None:
    assert grade_typed_answer(PLEVEN, typed).correct is correct


def test_ordinary_words_forgive_typos() -> None:
    card = basic("Collective defence", ("collective defence",))
    result = grade_typed_answer(card, "colective defense")
    assert result.correct
    assert result.similarity == 100


def test_number_words_count_as_numbers() -> None:
    card = basic("Nine days.", ("nine days",))
    assert grade_typed_answer(card, "9 days").correct
    assert not grade_typed_answer(card, "8 days").correct


MEMBERS = Card("d", "m", "members", "Who?", kind=CardKind.LIST,
               items=("Albania", "Bulgaria", "Czechoslovakia", "East Germany", "Hungary", "Poland", "Romania"))


def test_list_cards_are_graded_item_by_item_in_any_order() -> None:
    result = grade_typed_answer(MEMBERS, "romania, poland\nhungary; east germany and czechoslovakia, bulgaria, albania")
    assert result.correct
    assert result.similarity == 100
    assert all(item.matched for item in result.items)


def test_a_list_answer_shows_the_missed_items() -> None:
    result = grade_typed_answer(MEMBERS, "Poland, Hungary, Romania, Bulgaria, Germany")
    assert not result.correct
    assert set(result.missing) == {"Albania", "Czechoslovakia", "East Germany"}
    assert result.similarity == pytest.approx(100 * 4 / 7, abs=0.1)
    assert result.suggested is Rating.AGAIN


def test_nearly_all_items_suggests_hard() -> None:
    result = grade_typed_answer(MEMBERS, "Poland, Hungary, Romania, Bulgaria, Albania, East Germany")
    assert result.missing == ("Czechoslovakia",)
    assert result.suggested is Rating.HARD


def test_one_typed_piece_matches_one_item_only() -> None:
    result = grade_list_answer(("NATO", "North Atlantic Council"), "NATO")
    assert [i.matched for i in result.items] == ["NATO", None]


def test_list_items_with_numbers_need_the_right_number() -> None:
    result = grade_list_answer(("Lisbon 2010", "Chicago 2012"), "Lisbon 2010, Chicago 2011")
    assert result.missing == ("Chicago 2012",)


def test_split_items_keeps_thousands_together() -> None:
    assert split_items("2,700 staff, Vienna") == ["2,700 staff", "Vienna"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_grading_never_raises_and_stays_in_range(back: str, typed: str) -> None:
    if not back.strip():
        return
    result = grade_typed_answer(basic(back), typed)
    assert 0 <= result.similarity <= 100
    assert result.suggested in Rating


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[A-Z][a-z]{2,9}( [A-Z][a-z]{2,9})?", fullmatch=True), min_size=1, max_size=8,
                unique=True), st.randoms())
def test_typing_every_item_in_any_order_is_correct(items: list[str], rnd) -> None:  # noqa: ANN001
    shuffled = items[:]
    rnd.shuffle(shuffled)
    result = grade_list_answer(tuple(items), "\n".join(shuffled))
    assert result.correct, result


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=40))
def test_typing_the_answer_itself_is_correct(answer: str) -> None:
    if not answer.strip():
        return
    assert grade_typed_answer(basic("x", (answer,)), answer).correct


@pytest.mark.parametrize("typed", ["Germany", "FRG", "Germany (FRG)", "germany frg"])
def test_a_bracketed_alternative_is_accepted(typed: str) -> None:
    result = grade_list_answer(("Germany (FRG)", "France"), f"{typed}, France")
    assert result.correct


def test_a_slash_separates_alternatives() -> None:
    assert grade_list_answer(("Western Union / Brussels Treaty Organisation",), "Western Union").correct


def test_items_containing_and_or_commas_survive_the_split() -> None:
    items = ("Politico-military", "Economic and environmental", "Human")
    assert grade_list_answer(items, "Human\nEconomic and environmental\nPolitico-military").correct
    assert grade_list_answer(items, "politico-military, economic and environmental, human").correct
    assert grade_list_answer(("Democracy, rule of law, rights", "Peace"), "peace; democracy, rule of law, rights").correct


@pytest.mark.parametrize("expected,typed", [
    ("US", "United States"), ("United States", "the USA"), ("the US", "U.S."), ("UK", "Britain"),
    ("Soviet Union", "USSR"), ("European Union", "EU"), ("UN", "United Nations"),
])
def test_the_usual_forms_of_a_name_are_the_same_name(expected: str, typed: str) -> None:
    assert grade_typed_answer(basic("x", (expected,)), typed).correct


def test_aliases_do_not_make_different_names_equal() -> None:
    assert not grade_typed_answer(basic("x", ("US",)), "UK").correct
    assert not grade_typed_answer(basic("x", ("USSR",)), "US").correct

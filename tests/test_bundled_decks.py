"""The bundled decks: every one loads through the app's own loader and keeps its floor.

The floors come from the syllabus (issue 3): a later edit cannot silently shrink a deck.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from rapidfuzz import fuzz, utils

from studyapp import paths
from studyapp.core.grading import tokens
from studyapp.deck_files import load_decks

# deck id: (cards at least, essay prompts at least)
FLOORS = {
    "nato": (50, 4), "warsaw_pact": (20, 3), "weu": (20, 3), "edc": (25, 3), "osce": (25, 3), "spp": (15, 2),
    "ntm_a": (25, 3), "us_security_cooperation": (20, 2), "eu_security_defence": (25, 3),
    "six_party_talks": (12, 2), "nato_partnerships": (25, 3), "smart_defence": (20, 2), "isaf": (15, 2),
    "regional_security": (30, 3),
}
EXAM_TOPICS = ("nato", "warsaw_pact", "weu", "edc", "osce", "spp", "ntm_a")
NEAR_DUPLICATE = 85  # rapidfuzz score from which two fronts with the same names and numbers ask the same thing


@pytest.fixture(scope="module")
def bundled():
    return load_decks([paths.bundled_decks_dir()])


def test_every_bundled_deck_loads_without_problems(bundled) -> None:
    assert [str(p) for p in bundled.problems] == []
    assert {d.id for d in bundled.decks} == set(FLOORS)


@pytest.mark.parametrize("deck_id", sorted(FLOORS))
def test_each_deck_keeps_its_floor(bundled, deck_id: str) -> None:
    deck = bundled.deck(deck_id)
    cards, essays = FLOORS[deck_id]
    assert len(deck.cards) >= cards
    assert len(deck.essays) >= essays
    assert len(deck.facets) >= 4
    for essay in deck.essays:
        assert len(essay.points) >= 5, essay.id


def test_every_card_cites_known_documents(bundled) -> None:
    for deck in bundled.decks:
        for card in deck.cards:
            assert card.source and all(loc.key in bundled.sources for loc in card.source), card.key


def _signature(text: str) -> frozenset[str]:
    """The names and numbers of a front: two questions about different things differ here.

    The first word is left out: it is capitalised because it starts the sentence ("Name the ...").
    """
    return frozenset(t.text for t in tokens(text.split(" ", 1)[-1]) if t.kind != "word")


def test_no_two_cards_ask_the_same_thing(bundled) -> None:
    cards = [c for d in bundled.decks for c in d.cards]
    found = []
    for a, b in combinations(cards, 2):
        score = fuzz.token_sort_ratio(a.front, b.front, processor=utils.default_process)
        if score >= NEAR_DUPLICATE and _signature(a.front) == _signature(b.front):
            found.append(f"{a.deck_id}/{a.id} ~ {b.deck_id}/{b.id} ({score:.0f}): {a.front!r} / {b.front!r}")
    assert found == []


def test_the_bundled_decks_ship_inside_the_package() -> None:
    # In a checkout they are at the top; in an installed wheel, studyapp/decks. Either way there.
    assert (paths.bundled_decks_dir() / "sources.toml").is_file()
    assert Path(paths.bundled_decks_dir(), "nato.toml").is_file()


def test_every_accepted_answer_is_graded_correct_when_typed(bundled) -> None:
    """A student who types exactly what a card accepts must be marked right."""
    from studyapp.core.grading import grade_typed_answer
    from studyapp.core.models import CardKind

    wrong = []
    for deck in bundled.decks:
        for card in deck.cards:
            if card.kind is CardKind.LIST:
                typed_ways = ["\n".join(card.items), "; ".join(card.items), "\n".join(reversed(card.items))]
            else:
                typed_ways = list(card.answers or (card.back,))
            wrong += [f"{card.deck_id}/{card.id}: {t!r}" for t in typed_ways
                      if not grade_typed_answer(card, t).correct]
    assert wrong == []

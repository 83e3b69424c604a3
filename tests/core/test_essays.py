"""Essay prompts from the decks, and outline scoring against hand-marked outlines."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.core.essays import (
    KeyPoint,
    PointResult,
    all_prompts,
    authored_prompts,
    discount_off_question,
    generated_prompts,
    score_outline,
    score_to_rating,
    search_prompts,
)
from studyapp.core.models import Card, Claim, Comparison, Deck, Rating
from studyapp.deck_files import load_decks

ROOT = Path(__file__).resolve().parents[2]


def deck(deck_id: str, claims: dict[str, int], comparisons: tuple[Comparison, ...] = (), **kw) -> Deck:
    cards = tuple(Card(deck_id, f"{f}-{i}", f, f"Question {i} about {f}?", back="In 1955.")
                  for f, n in claims.items() for i in range(max(n, 1)))
    made = tuple(Claim(f"{f}-c{i}", f, f"{deck_id} {f}: a claim {i} with its reason.", (f"{f}-{i}",))
                 for f, n in claims.items() for i in range(n))
    return Deck(deck_id, deck_id.upper(), cards=cards, claims=made, comparisons=comparisons, **kw)


def test_facet_prompts_need_two_claims_on_each_facet() -> None:
    d = deck("alpha", {"origins": 2, "aims": 2, "members": 1, "institutions": 3})
    [prompt] = generated_prompts([d])
    assert prompt.id == "gen/alpha/origins-aims"  # members has only one claim
    assert prompt.kind == "facets"
    assert prompt.prompt == "What gave rise to ALPHA, and how far did its aims answer the problems of its time?"
    # Key points are the claims, never a card's bare answer ("In 1955."), and keep their cards.
    assert [pt.text for pt in prompt.points][0] == "alpha origins: a claim 0 with its reason."
    assert not any(pt.text == "In 1955." for pt in prompt.points)
    assert [pt.cards for pt in prompt.points] == [(("alpha", "origins-0"),), (("alpha", "origins-1"),),
                                                  (("alpha", "aims-0"),), (("alpha", "aims-1"),)]


def test_a_deck_without_claims_on_a_facet_gets_no_question_on_it() -> None:
    # The EDC never came into being: no activities claims, so no "activities of the EDC" question.
    d = deck("edc", {"origins": 2, "aims": 2, "outcomes": 3}, name="the European Defence Community")
    assert [p.id for p in generated_prompts([d])] == ["gen/edc/origins-aims", "gen/edc/aims-outcomes"]
    assert generated_prompts([d])[1].prompt == "To what extent did the European Defence Community achieve its stated aims?"


def test_comparison_prompts_need_three_comparisons_between_two_decks() -> None:
    def comparison(i: int, other: str) -> Comparison:
        return Comparison(f"k{i}", other, f"dimension {i}", f"Alpha did {i}, whereas {other} did not.", ("origins-0",),
                          ("origins-0",))

    a = deck("alpha", {"origins": 1}, tuple(comparison(i, "beta") for i in range(3)) + (comparison(9, "gamma"),))
    b = deck("beta", {"origins": 1})
    c = deck("gamma", {"origins": 1})
    missing = deck("delta", {"origins": 1}, tuple(comparison(i, "nowhere") for i in range(3)))
    compare = [p for p in generated_prompts([a, b, c, missing]) if p.kind == "compare"]
    assert [p.id for p in compare] == ["gen/alpha+beta/compare"]  # one comparison with gamma is not enough
    assert compare[0].prompt == "Compare and contrast ALPHA and BETA. Where did they differ most, and why?"
    assert [pt.label for pt in compare[0].points] == ["dimension 0", "dimension 1", "dimension 2"]
    assert compare[0].points[0].cards == (("alpha", "origins-0"), ("beta", "origins-0"))


EXAM_DECKS = ("nato", "warsaw_pact", "weu", "edc", "osce", "spp", "ntm_a")


def test_every_exam_deck_has_five_prompts_and_the_comparisons_the_course_asks_for() -> None:
    decks = load_decks([ROOT / "decks"]).decks
    prompts = all_prompts(decks)
    for deck_id in EXAM_DECKS:
        assert sum(deck_id in p.deck_ids for p in prompts) >= 5, deck_id
    ids = {p.id for p in prompts}
    for pair in ("nato+warsaw_pact", "edc+weu", "edc+eu_security_defence", "eu_security_defence+weu", "isaf+ntm_a",
                 "nato_partnerships+osce", "regional_security+spp"):
        assert f"gen/{pair}/compare" in ids, pair
    for prompt in prompts:  # every point a claim with its source, never a bare answer
        assert all(len(pt.text.split()) >= 6 and pt.source for pt in prompt.points), prompt.id


def test_generation_is_deterministic_over_the_bundled_decks() -> None:
    decks = load_decks([ROOT / "decks"]).decks
    first = [(p.id, p.prompt, p.points) for p in all_prompts(decks)]
    again = [(p.id, p.prompt, p.points) for p in all_prompts(decks)]
    assert first == again
    ids = [p[0] for p in first]
    assert len(ids) == len(set(ids))
    assert len(authored_prompts(decks)) == sum(len(d.essays) for d in decks)


POINTS = (
    KeyPoint("The North Atlantic Treaty was signed in April 1949 in Washington."),
    KeyPoint("Article 5 treats an armed attack on one member as an attack on all."),
    KeyPoint("France left the integrated military command in 1966."),
)


def test_scoring_groups_points_and_finds_the_line() -> None:
    outline = "Intro about the Cold War\n- Treaty signed in Washington, April 1949\n- Article 5: attack on one = attack on all"
    score = score_outline(POINTS, outline)
    assert [r.status for r in score.results] == ["covered", "covered", "missed"]
    assert score.results[0].line == 2
    assert score.results[1].matched.startswith("Article 5")
    assert score.share == pytest.approx(2 / 3)  # covered points, a partly covered one counting half


def test_a_wrong_year_does_not_cover_a_point() -> None:
    score = score_outline(POINTS, "France left NATO's integrated military command in 1967.")
    assert score.results[2].status != "covered"
    right = score_outline(POINTS, "France left NATO's integrated military command in 1966.")
    assert right.results[2].status == "covered"


def test_an_outline_that_covers_nothing_outright_gets_no_credit_for_near_misses() -> None:
    # Another subject in the course's words: a chance overlap with one point is not half of it.
    score = score_outline(POINTS, "The OSCE: a treaty signed in Washington, members attack")
    assert score.off_question
    assert [(r.status, r.line) for r in score.results] == [("missed", None)] * 3
    assert score.share == 0.0
    # One point covered: the outline answers the question, and its near misses keep their half credit.
    answered = score_outline(POINTS, "Washington treaty signed in April 1949")
    assert not answered.off_question and answered.results[0].status == "covered"


def test_a_vague_outline_touching_most_points_keeps_its_partial_credit() -> None:
    partly = [PointResult(p, "partly", 0.5, 1, "line") for p in POINTS[:2]]
    kept, off = discount_off_question([*partly, PointResult(POINTS[2], "missed", 0.1)])
    assert not off and [r.status for r in kept] == ["partly", "partly", "missed"]
    dropped, off = discount_off_question([partly[0], PointResult(POINTS[1], "missed", 0.1)] * 2)
    assert off and [r.status for r in dropped] == ["missed"] * 4


def test_missed_cards_feed_the_drill() -> None:
    points = (KeyPoint("Article 5 treats an attack on one as an attack on all.", cards=(("nato", "a5"),)),
              KeyPoint("France left the integrated command in 1966.", cards=(("nato", "fr"), ("nato", "fr2"))))
    score = score_outline(points, "Article 5: an attack on one is an attack on all.")
    assert score.missed_cards == [("nato", "fr"), ("nato", "fr2")]


@pytest.mark.parametrize("share,rating", [(0.0, Rating.AGAIN), (0.5, Rating.HARD), (0.7, Rating.GOOD),
                                          (0.9, Rating.EASY)])
def test_scores_map_to_ratings(share: float, rating: Rating) -> None:
    assert score_to_rating(share) is rating


def test_search_matches_words_as_typed() -> None:
    prompts = all_prompts(load_decks([ROOT / "decks"]).decks)
    found = search_prompts(prompts, "compare nato warsa")
    assert (found and found[0].deck_ids == ("warsaw_pact",)) or "warsaw_pact" in found[0].deck_ids
    assert any(p.id == "gen/nato+warsaw_pact/compare" for p in found[:5])
    assert search_prompts(prompts, "", deck_id="spp") == [p for p in prompts if "spp" in p.deck_ids]


def test_scoring_a_long_outline_is_quick_enough_to_run_on_submit() -> None:
    # Not a benchmark (bench/essay_scoring.py is); a guard that scoring stays linear, not quadratic.
    outline = "\n".join(f"- line {i}: the alliance treaty of 1949 and its members" for i in range(400))
    score = score_outline(POINTS * 4, outline)
    assert len(score.results) == 12

"""Essay prompts from the decks, and outline scoring against hand-marked outlines."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from studyapp.core.essays import (
    KeyPoint,
    all_prompts,
    authored_prompts,
    generated_prompts,
    score_outline,
    score_to_rating,
    search_prompts,
)
from studyapp.core.models import Card, Deck, Rating
from studyapp.deck_files import load_decks

ROOT = Path(__file__).resolve().parents[2]


def card(deck: str, i: int, facet: str, back: str) -> Card:
    return Card(deck, f"{facet}-{i}", facet, f"Question {i} about {facet}?", back=back)


def deck(deck_id: str, tags: tuple[str, ...], facets: dict[str, int]) -> Deck:
    cards = tuple(card(deck_id, i, f, f"{deck_id} {f} fact {i}.") for f, n in facets.items() for i in range(n))
    return Deck(deck_id, deck_id.upper(), tags=tags, cards=cards)


def test_facet_prompts_need_two_cards_on_each_facet() -> None:
    d = deck("alpha", (), {"origins": 2, "aims": 2, "members": 1, "institutions": 3})
    ids = [p.id for p in generated_prompts([d])]
    assert ids == ["gen/alpha/origins-aims"]  # members has only one card
    [prompt] = generated_prompts([d])
    assert prompt.kind == "facets"
    assert [pt.cards for pt in prompt.points] == [(("alpha", "origins-0"),), (("alpha", "origins-1"),),
                                                  (("alpha", "aims-0"),), (("alpha", "aims-1"),)]


def test_comparisons_only_between_decks_that_share_a_tag() -> None:
    a = deck("alpha", ("alliance",), {"origins": 2, "aims": 2})
    b = deck("beta", ("alliance",), {"origins": 3, "aims": 2})
    c = deck("gamma", ("summit",), {"origins": 2, "aims": 2})
    d = deck("delta", ("alliance",), {"origins": 1, "aims": 5})  # too few origins cards to compare
    compare = [p for p in generated_prompts([a, b, c, d]) if p.kind == "compare"]
    assert [p.id for p in compare] == ["gen/alpha+beta/origins-aims"]
    assert compare[0].prompt == "Compare ALPHA and BETA: their origins and their aims."
    assert {k[0] for pt in compare[0].points for k in pt.cards} == {"alpha", "beta"}


def test_generation_is_deterministic_over_the_bundled_decks() -> None:
    decks = load_decks([ROOT / "decks"]).decks
    first = [(p.id, p.prompt, p.points) for p in all_prompts(decks)]
    again = [(p.id, p.prompt, p.points) for p in all_prompts(decks)]
    assert first == again
    ids = [p[0] for p in first]
    assert len(ids) == len(set(ids))
    assert "gen/nato+warsaw_pact/origins-aims" in ids
    assert not any(i.startswith("gen/nato+ntm_a") for i in ids)  # a mission is not an alliance
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
    assert score.share == pytest.approx(2 / 3)


def test_a_wrong_year_does_not_cover_a_point() -> None:
    score = score_outline(POINTS, "France left NATO's integrated military command in 1967.")
    assert score.results[2].status != "covered"
    right = score_outline(POINTS, "France left NATO's integrated military command in 1966.")
    assert right.results[2].status == "covered"


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
    assert found and found[0].prompt.startswith("Compare NATO and the Warsaw Pact")
    assert all("warsaw_pact" in p.deck_ids for p in found[:5])
    assert search_prompts(prompts, "", deck_id="spp") == [p for p in prompts if "spp" in p.deck_ids]


def test_scoring_a_long_outline_is_quick_enough_to_run_on_submit() -> None:
    # Not a benchmark (bench/essay_scoring.py is); a guard that scoring stays linear, not quadratic.
    outline = "\n".join(f"- line {i}: the alliance treaty of 1949 and its members" for i in range(400))
    score = score_outline(POINTS * 4, outline)
    assert len(score.results) == 12


def test_agreement_with_hand_marked_outlines_is_at_least_85_percent() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from essay_scoring import agreement

    share, total, off_topic = agreement()
    outlines = tomllib.loads((ROOT / "tests/data/marked_outlines.toml").read_text())["outline"]
    assert len(outlines) >= 15
    assert len({o["prompt"] for o in outlines}) >= 5
    assert len({d for o in outlines for d in o["prompt"].removeprefix("gen/").split("/")[0].split("+")}) >= 4
    assert {"complete", "partial", "off-topic", "wrong-facts"} <= {o["kind"] for o in outlines}
    assert share >= 0.85, f"agreement {share:.1%} over {total} points"
    assert off_topic and all(score < 0.15 for _, score in off_topic)

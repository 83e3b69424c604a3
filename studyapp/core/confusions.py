"""Confusion pairs: a wrong typed answer that is, by the same grading, another card's answer.

"WEU" typed for the EDC, "1954" for 1955, "Pleven" for Schuman. Only names and numbers can be
confused this way (an ordinary word is graded fuzzily and belongs to no card in particular), so
the candidates are the cards whose accepted answers share a name or a number with what was typed,
found through an index built once. A near-typo of the right answer ("Schumann" for "Schuman")
is a slip of the keyboard, not a confusion, even when it happens to be another card's answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from studyapp.core.grading import alternatives, fold, grade_typed_answer, tokens
from studyapp.core.models import AnswerResult, Card, CardKind

# A typed answer this close (rapidfuzz ratio, folded text) to one of the card's own accepted answers
# is a typo of it. 85 is the grader's own word threshold; "1954" against "1955" scores 75.
NEAR_TYPO = 85
MAX_ANSWER_TOKENS = 6  # longer answers are explanations, not something one types for another card

CardKey = tuple[str, str]


@dataclass
class AnswerIndex:
    """Cards by each name and number in their short accepted answers."""

    by_token: dict[str, list[Card]]

    @classmethod
    def of(cls, cards: Iterable[Card]) -> AnswerIndex:
        by_token: dict[str, list[Card]] = defaultdict(list)
        for card in cards:
            if card.kind is not CardKind.BASIC:
                continue
            keys: set[str] = set()
            for target in card.answers or (card.back,):
                for option in alternatives(target):
                    found = tokens(option)
                    if len(found) <= MAX_ANSWER_TOKENS:
                        keys |= {t.text for t in found if t.kind != "word"}
            for key in keys:
                by_token[key].append(card)
        return cls(dict(by_token))

    def candidates(self, typed: str) -> list[Card]:
        seen: dict[CardKey, Card] = {}
        for token in tokens(typed):
            if token.kind != "word":
                for card in self.by_token.get(token.text, ()):
                    seen.setdefault(card.key, card)
        return list(seen.values())


def is_near_typo(card: Card, typed: str) -> bool:
    """Whether `typed` is a slip of the keyboard on one of `card`'s accepted answers."""
    text = fold(typed).strip()
    return any(fuzz.ratio(text, fold(option).strip()) >= NEAR_TYPO
               for target in (card.answers or (card.back,)) for option in alternatives(target))


def find_confusion(card: Card, typed: str, result: AnswerResult, index: AnswerIndex) -> Card | None:
    """The card whose answer `typed` is, when it is wrong for `card` and not a typo of its answer.

    Of several such cards the best-graded one wins, then one of the same deck, then the first indexed.
    """
    if result.correct or card.kind is not CardKind.BASIC or not typed.strip() or is_near_typo(card, typed):
        return None
    best: tuple[float, bool] | None = None
    found: Card | None = None
    for other in index.candidates(typed):
        if other.key == card.key:
            continue
        graded = grade_typed_answer(other, typed)
        if not graded.correct:
            continue
        rank = (graded.similarity, other.deck_id == card.deck_id)
        if best is None or rank > best:
            best, found = rank, other
    return found


@dataclass(frozen=True)
class ConfusionPair:
    """Two cards the student mixed up, in either direction, `count` times."""

    first: CardKey
    second: CardKey
    count: int
    last: float  # when last confused (the log's timestamp), to break ties towards the recent


def rank_pairs(confusions: Mapping[tuple[CardKey, CardKey], tuple[int, float]],
               exists: Callable[[CardKey], bool] = lambda key: True) -> list[ConfusionPair]:
    """Pairs most confused first: (asked, answered-with) counts joined whichever way round.

    `confusions` maps (card asked, card whose answer was typed) to (times, latest time); pairs with a
    card that is no longer in a loaded deck (`exists`) are left out.
    """
    merged: dict[tuple[CardKey, CardKey], list] = {}
    for (asked, given), (times, latest) in confusions.items():
        if asked == given or not (exists(asked) and exists(given)):
            continue
        pair = (min(asked, given), max(asked, given))
        row = merged.setdefault(pair, [0, 0.0])
        row[0] += times
        row[1] = max(row[1], latest)
    ranked = [ConfusionPair(a, b, n, last) for (a, b), (n, last) in merged.items()]
    ranked.sort(key=lambda p: (-p.count, -p.last, p.first, p.second))
    return ranked

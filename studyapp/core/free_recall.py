"""A brain dump (free recall): which of a topic's cards a text written without any cue recalls.

Plain functions, no I/O. The topic's claims are marked by the essay scorer (the service does that,
through essay_practice); the cards are marked here, with the typed-answer grading:

* a card with short answers (or a back) is recalled when one line of the text, or two neighbouring
  lines, gives one of its answers as a typed answer would (numbers and names exact, words fuzzy), and
  no number of that answer is missing. Other numbers on the line do not count against it: a dump
  line says more than one thing. The topic's own words (a dump on the Warsaw Pact says "Warsaw Pact"
  everywhere) never count as the answer, nor as the cue: an answer of one or two other terms ("1955",
  "Pleven") must come with a cue from the card's question on the same line(s), so a bare year is not
  credited to every card whose answer is that year;
* a list card is recalled when the text names all its items (anywhere, in any order), as a typed
  list answer must, with a cue from its question on a line naming an item or on the line above them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from studyapp.core.grading import (
    PASS,
    Token,
    _same,  # the typed-answer grading's own test of two tokens
    best_score,
    fold,
    grade_list_answer,
    tokens,
)
from studyapp.core.models import Card, CardKind

CardKey = tuple[str, str]
TopicKey = tuple[str, str | None]
QUESTION_WORDS = frozenset({"year", "which", "what", "who", "when", "where", "how", "name", "named", "give"})


@dataclass(frozen=True)
class CardRecall:
    key: CardKey
    recalled: bool
    line: int | None = None  # 1-based line of the text that recalled it (a list: None)
    matched: str = ""  # that line (two lines joined by " / "), or the list items found


def lines_of(text: str) -> list[tuple[int, str]]:
    """Each non-empty line with its 1-based number."""
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def text_units(text: str) -> list[tuple[int, str]]:
    """Each non-empty line with its 1-based number, then each pair of neighbouring non-empty lines
    (numbered by the first), joined by " / "."""
    lines = lines_of(text)
    pairs = [(a[0], f"{a[1]} / {b[1]}") for a, b in pairwise(lines)]
    return lines + pairs


def topic_words(*texts: str) -> frozenset[str]:
    """The words naming a topic ('The Warsaw Pact' -> warsaw, pact): every line of a dump on it may
    say them, so they are no evidence of recalling any one card."""
    return frozenset(t.text for text in texts for t in tokens(text))


def _found(wanted: Sequence[Token], unit: Sequence[Token]) -> bool:
    return any(_same(w, u) for w in wanted for u in unit)


CUE_STEM = 5  # two ordinary words sharing their first five letters are one cue: "founded" and "founding"


def _cued(cue: Sequence[Token], unit: Sequence[Token]) -> bool:
    """Whether the unit says a word of the card's question (as the grading matches words, or the same stem)."""
    if _found(cue, unit):
        return True
    stems = {t.text[:CUE_STEM] for t in unit if t.kind == "word" and len(t.text) >= CUE_STEM}
    return any(t.kind == "word" and len(t.text) >= CUE_STEM and t.text[:CUE_STEM] in stems for t in cue)


def recall_card(card: Card, text: str, units: Sequence[tuple[int, str]] | None = None,
                topic: frozenset[str] = frozenset()) -> CardRecall:
    """Whether `text` recalls `card` (see the module docstring); `topic` holds the topic's own words."""
    units = text_units(text) if units is None else units
    if card.kind is CardKind.LIST:
        return _recall_list(card, text, units, topic)
    for answer in card.answers or (card.back,):
        content = [t for t in tokens(answer) if t.text not in topic]
        if not content:
            continue
        answer_words = {t.text for t in content}
        cue = [t for t in tokens(card.front) if t.text not in topic and t.text not in answer_words
               and t.text not in QUESTION_WORDS]
        for line_no, unit in units:
            score = best_score(answer, unit)
            if score.similarity < PASS or any(m[:1].isdigit() for m in score.missing):
                continue
            got = tokens(unit)
            if not _found(content, got):  # the topic's own words alone are not the answer
                continue
            if len(content) <= 2 and cue and not _cued(cue, got):  # a bare year or name needs its question's cue
                continue
            return CardRecall(card.key, True, line_no, unit)
    return CardRecall(card.key, False)


def _recall_list(card: Card, text: str, units: Sequence[tuple[int, str]], topic: frozenset[str]) -> CardRecall:
    """All the items, anywhere in the text, with a cue from the question on a line naming one of them
    or the line above them (a heading)."""
    result = grade_list_answer(card.items, text)
    found = [m for m in result.items if m.matched is not None]
    if not result.correct:
        return CardRecall(card.key, False, None, ", ".join(m.expected for m in found))
    item_words = {t.text for item in card.items for t in tokens(item)}
    cue = [t for t in tokens(card.front) if t.text not in topic and t.text not in item_words
           and t.text not in QUESTION_WORDS]
    numbered = lines_of(text)
    hit = [n for n, line in numbered if any(fold(m.matched or "") in fold(line) for m in found)]  # all matched
    if cue and hit:
        near = {n for n in hit} | {max((m for m, _ in numbered if m < min(hit)), default=min(hit))}
        if not any(_cued(cue, tokens(line)) for n, line in numbered if n in near):
            return CardRecall(card.key, False, None, ", ".join(m.expected for m in found))
    return CardRecall(card.key, True, min(hit) if hit else None, ", ".join(m.expected for m in found))


def recall_cards(cards: Iterable[Card], text: str, topic: frozenset[str] = frozenset()) -> list[CardRecall]:
    units = text_units(text)
    return [recall_card(card, text, units, topic) for card in cards]


def free_recall_by_topic(latest: Mapping[CardKey, bool], facet_of) -> dict[TopicKey, float]:  # noqa: ANN001
    """Per topic (deck, facet) and deck (deck, None), the share of its cards recalled in the latest brain
    dump that asked for each; `latest` maps a card to that verdict. Cards never dumped are not counted;
    topics without any are absent. `facet_of(deck_id, card_id)` is None for a card no longer loaded."""
    sums: dict[TopicKey, list[int]] = {}
    for (deck_id, card_id), recalled in latest.items():
        facet = facet_of(deck_id, card_id)
        if facet is None:
            continue
        for topic in ((deck_id, facet), (deck_id, None)):
            row = sums.setdefault(topic, [0, 0])
            row[0] += bool(recalled)
            row[1] += 1
    return {topic: hit / n for topic, (hit, n) in sums.items() if n}


@dataclass(frozen=True)
class BrainDump:
    """A brain dump as kept: the topic, the text, and (once finished) each card's and claim's verdict."""

    id: int
    deck_id: str
    facet: str | None
    minutes: int
    started_at: datetime
    seconds: float
    text: str
    finished_at: datetime | None = None
    cards: dict[str, bool] = field(default_factory=dict)  # card id -> recalled
    claims: dict[str, str] = field(default_factory=dict)  # claim id -> covered | partly | missed


def latest_recall(dumps: Iterable[BrainDump]) -> dict[CardKey, bool]:
    """Each card's verdict in the latest finished dump that asked for it."""
    out: dict[CardKey, bool] = {}
    for dump in sorted((d for d in dumps if d.finished_at is not None), key=lambda d: (d.finished_at, d.id)):
        for card_id, recalled in dump.cards.items():
            out[(dump.deck_id, card_id)] = recalled
    return out

"""Essay prompts (authored and generated from facets) and outline scoring, point by point.

Generation is deterministic: the same decks always give the same prompts, ids and points.

* One deck, two facets: for each pair in FACET_PAIRS where the deck has at least
  MIN_CARDS_PER_FACET cards on both facets, a prompt "<deck>: explain its <a> and its <b>".
* Two decks, one tag: decks that share a tag are of the same kind (the deck format says
  so), and for each pair in FACET_PAIRS where both decks have at least MIN_CARDS_PER_FACET
  cards on both facets, a comparison prompt "Compare <A> and <B>: their <a> and their <b>".

Each generated point is one card (its back, or its items), in deck order, at most
POINTS_PER_FACET per deck and facet, and knows its card and source.

Scoring splits the outline into lines and sentences and scores each point against each
unit: the share of the point's key terms the unit has (ordinary words fuzzily, numbers
and names exactly, as typed answers are graded) blended with rapidfuzz's sentence-level
similarity. A unit that gives a number where the point has a different one ("1948" for
"1949") cannot cover the point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

from rapidfuzz import fuzz, process

from studyapp.core.grading import WORD_MATCH, Token, fold, tokens
from studyapp.core.models import Card, CardKind, Deck, Locator, Rating

FACET_PAIRS = (("origins", "aims"), ("members", "institutions"), ("activities", "outcomes"),
               ("outcomes", "debates"))
# How each facet reads in a prompt about one thing ("its") and about two ("their").
FACET_PHRASES = {
    "origins": ("its origins", "their origins"), "aims": ("its aims", "their aims"),
    "members": ("its membership", "their membership"), "institutions": ("its institutions", "their institutions"),
    "activities": ("its activities", "their activities"), "outcomes": ("its results", "their results"),
    "debates": ("the debates about it", "the debates about them"),
}
ESSAY_DECK = "essay"  # the deck id an essay prompt's CardProgress carries, so FSRS schedules it like a card
MIN_CARDS_PER_FACET = 2
POINTS_PER_FACET = 3
MINUTES_PER_POINT = 2

COVERED = 0.55  # unit score from which a point counts as covered
PARTLY = 0.40  # ... and as partly covered
TERM_WEIGHT = 0.7  # key-term coverage against sentence similarity in a unit's score


@dataclass(frozen=True)
class KeyPoint:
    text: str
    source: tuple[Locator, ...] = ()
    cards: tuple[tuple[str, str], ...] = ()  # (deck id, card id) of the cards that teach it
    label: str = ""  # for generated points: the card's question, shown beside the point

    def terms(self) -> list[Token]:
        """The key terms an outline must give, each once. A card's back alone ("In 1955.") says
        too little, so a generated point adds the names its question is about ("Warsaw Pact")."""
        out = tokens(self.text)
        if self.label:
            out += [t for t in tokens(self.label.split(" ", 1)[-1]) if t.kind == "name"]
        return list(dict.fromkeys(out))


@dataclass(frozen=True)
class EssayPrompt:
    id: str  # "deck/essay" for authored prompts, "gen/..." for generated ones
    prompt: str
    deck_ids: tuple[str, ...]
    minutes: int
    points: tuple[KeyPoint, ...]
    kind: str = "authored"  # authored | facets | compare


@dataclass(frozen=True)
class PointResult:
    point: KeyPoint
    status: str  # covered | partly | missed
    score: float  # 0..1, of the best-matching unit
    line: int | None = None  # 1-based line of the outline that matched best
    matched: str = ""  # that line's text


@dataclass(frozen=True)
class OutlineScore:
    results: tuple[PointResult, ...]

    def group(self, status: str) -> list[PointResult]:
        return [r for r in self.results if r.status == status]

    @property
    def share(self) -> float:
        """The share of points covered: the essay's score."""
        return len(self.group("covered")) / len(self.results) if self.results else 0.0

    @property
    def missed_cards(self) -> list[tuple[str, str]]:
        """The cards behind the points not fully covered, for a drill."""
        keys: list[tuple[str, str]] = []
        for r in self.results:
            if r.status != "covered":
                keys += [k for k in r.point.cards if k not in keys]
        return keys


def score_to_rating(share: float) -> Rating:
    """How an essay score feeds FSRS when the prompt itself is scheduled."""
    if share < 0.4:
        return Rating.AGAIN
    if share < 0.6:
        return Rating.HARD
    if share < 0.85:
        return Rating.GOOD
    return Rating.EASY


# --- prompts ------------------------------------------------------------------------------
def authored_prompts(decks: Iterable[Deck]) -> list[EssayPrompt]:
    prompts = []
    for deck in decks:
        for essay in deck.essays:
            points = tuple(KeyPoint(p.text, p.source, tuple((deck.id, c) for c in p.cards))
                           for p in essay.points)
            prompts.append(EssayPrompt(f"{deck.id}/{essay.id}", essay.prompt, (deck.id,), essay.minutes, points))
    return prompts


def card_point(card: Card) -> KeyPoint:
    text = "; ".join(card.items) if card.kind is CardKind.LIST else card.back
    return KeyPoint(text, card.source, (card.key,), card.front)


def _facet_cards(deck: Deck, facet: str) -> list[Card]:
    return [c for c in deck.cards if c.facet == facet]


def _minutes(points: int) -> int:
    return max(10, min(30, 5 * round(points * MINUTES_PER_POINT / 5)))


def generated_prompts(decks: Sequence[Deck]) -> list[EssayPrompt]:
    prompts: list[EssayPrompt] = []
    for deck in decks:
        for a, b in FACET_PAIRS:
            ca, cb = _facet_cards(deck, a), _facet_cards(deck, b)
            if len(ca) < MIN_CARDS_PER_FACET or len(cb) < MIN_CARDS_PER_FACET:
                continue
            points = tuple(card_point(c) for c in ca[:POINTS_PER_FACET] + cb[:POINTS_PER_FACET])
            prompts.append(EssayPrompt(f"gen/{deck.id}/{a}-{b}",
                                       f"{_name(deck, capital=True)}: explain {FACET_PHRASES[a][0]} and {FACET_PHRASES[b][0]}.",
                                       (deck.id,), _minutes(len(points)), points, "facets"))
    for left, right in combinations(decks, 2):
        if not set(left.tags) & set(right.tags):
            continue
        for a, b in FACET_PAIRS:
            sides = [(_facet_cards(d, a), _facet_cards(d, b)) for d in (left, right)]
            if any(len(x) < MIN_CARDS_PER_FACET or len(y) < MIN_CARDS_PER_FACET for x, y in sides):
                continue
            points = tuple(card_point(c) for x, y in sides for c in x[:2] + y[:2])
            prompts.append(EssayPrompt(
                f"gen/{left.id}+{right.id}/{a}-{b}",
                f"Compare {_name(left)} and {_name(right)}: {FACET_PHRASES[a][1]} and {FACET_PHRASES[b][1]}.",
                (left.id, right.id), _minutes(len(points)), points, "compare"))
    return prompts


def _name(deck: Deck, capital: bool = False) -> str:
    """A deck title as it reads inside a sentence: 'The Warsaw Pact' -> 'the Warsaw Pact'."""
    title = deck.title.split(":")[0].strip()
    return "the" + title[3:] if title.startswith("The ") and not capital else title


def all_prompts(decks: Sequence[Deck]) -> list[EssayPrompt]:
    return authored_prompts(decks) + generated_prompts(decks)


# --- scoring ------------------------------------------------------------------------------
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_BULLET = re.compile(r"^\s*(?:[-*•>]+|\d+[.)])\s*")


@dataclass
class _Unit:
    line: int
    text: str
    line_text: str = ""  # the whole outline line the unit starts on, to show the student
    tokens: list[Token] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    folded: str = ""


def _units(outline: str) -> list[_Unit]:
    """Lines, the sentences within them, and each pair of neighbouring lines."""
    lines = [(i, _BULLET.sub("", raw).strip()) for i, raw in enumerate(outline.splitlines(), 1)]
    lines = [(i, text) for i, text in lines if text]
    units: list[_Unit] = []
    for i, text in lines:
        units.append(_Unit(i, text, text))
        parts = [p for p in _SENTENCE.split(text) if p.strip()]
        if len(parts) > 1:
            units += [_Unit(i, p, text) for p in parts]
    for (i, a), (_, b) in zip(lines, lines[1:]):
        units.append(_Unit(i, f"{a} {b}", a))
    for unit in units:
        unit.tokens = tokens(unit.text)
        unit.words = {t.text for t in unit.tokens if t.kind != "number"}
        unit.numbers = {t.text for t in unit.tokens if t.kind == "number"}
        unit.folded = fold(unit.text)
    return units


def score_outline(points: Sequence[KeyPoint], outline: str) -> OutlineScore:
    units = _units(outline)
    vocabulary = sorted({w for u in units for w in u.words})
    results = []
    for point in points:
        results.append(_score_point(point, units, vocabulary))
    return OutlineScore(tuple(results))


def _score_point(point: KeyPoint, units: list[_Unit], vocabulary: list[str]) -> PointResult:
    want = point.terms()
    if not want or not units:
        return PointResult(point, "missed", 0.0)
    total = sum(t.weight for t in want)
    # Which outline words stand for each key term: names exactly, ordinary words fuzzily.
    stand_ins: list[set[str]] = []
    for term in want:
        if term.kind == "word":
            found = process.extract(term.text, vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_MATCH,
                                    limit=None)
            stand_ins.append({w for w, _, _ in found} | {term.text})
        else:
            stand_ins.append({term.text})
    want_numbers = {t.text for t in want if t.kind == "number"}
    number_lengths = {len(n) for n in want_numbers}
    point_folded = fold(" ".join(t.text for t in want))
    best = (0.0, None, "")
    for unit in units:
        have = sum(t.weight for t, alts in zip(want, stand_ins)
                   if (alts & unit.numbers if t.kind == "number" else alts & unit.words))
        if have == 0:
            continue
        # A different number of the same shape where the point has its own is a wrong fact.
        if want_numbers and not want_numbers & unit.numbers and any(
                len(n) in number_lengths for n in unit.numbers):
            continue
        coverage = have / total
        similarity = fuzz.token_set_ratio(point_folded, unit.folded) / 100
        score = TERM_WEIGHT * coverage + (1 - TERM_WEIGHT) * similarity
        if want_numbers and not want_numbers & unit.numbers:
            score = min(score, COVERED - 0.01)  # the right idea without any of its dates is only partly there
        if score > best[0]:
            best = (score, unit.line, unit.line_text)
    score, line, text = best
    status = "covered" if score >= COVERED else "partly" if score >= PARTLY else "missed"
    return PointResult(point, status, round(score, 3), line if status != "missed" else None,
                       text if status != "missed" else "")


@dataclass(frozen=True)
class Draft:
    prompt_id: str
    text: str
    started_at: datetime
    saved_at: datetime
    elapsed_seconds: float


@dataclass(frozen=True)
class EssayAttempt:
    prompt_id: str
    submitted_at: datetime
    seconds: float
    text: str
    score: float
    statuses: tuple[str, ...]  # per point: covered | partly | missed
    id: int | None = None


def search_prompts(prompts: Sequence[EssayPrompt], query: str = "", deck_id: str | None = None,
                   titles: dict[str, str] | None = None, cutoff: float = 70) -> list[EssayPrompt]:
    """Prompts of `deck_id` (or all) that match `query`, best first; all of them without a query.

    Each query word is matched against the prompt's words (and its decks' titles): a word that
    starts one of them counts fully, so results follow as you type; otherwise rapidfuzz's ratio
    forgives a typo. A prompt's score is the mean over the query's words.
    """
    chosen = [p for p in prompts if deck_id is None or deck_id in p.deck_ids]
    words = fold(query).split()
    if not words:
        return chosen
    titles = titles or {}
    scored = []
    for order, p in enumerate(chosen):
        hay = set(re.findall(r"\w+", fold(f"{p.prompt} {' '.join(titles.get(d, d) for d in p.deck_ids)}")))
        total = 0.0
        for word in words:
            if any(h.startswith(word) for h in hay):
                total += 100
            else:
                best = process.extractOne(word, hay, scorer=fuzz.ratio)
                total += best[1] if best else 0
        score = total / len(words)
        if score >= cutoff:
            scored.append((-score, order, p))
    return [p for _, _, p in sorted(scored, key=lambda t: t[:2])]

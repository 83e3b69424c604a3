"""Essay prompts (authored, and generated from the decks' claims and comparisons) and outline scoring.

Generation is deterministic: the same decks always give the same prompts, ids and points.

* One deck, two facets: for each pair in FACET_PROMPTS where the deck has at least
  MIN_CLAIMS_PER_FACET claims on both facets (deck format 2), an exam-style prompt whose key points
  are those claims. A facet without claims makes no prompt: the EDC, which never came into being,
  has no "activities" question.
* Two decks: where at least MIN_COMPARISONS comparisons join them (from either deck), a
  compare-and-contrast prompt whose key points are the comparisons.

Key points are claims a marker ticks, never a card's bare answer; each keeps its source lines and
the cards that teach it (for the drill after a missed point). Scoring is studyapp.core.marking's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from rapidfuzz import fuzz, process

from studyapp.core.grading import fold
from studyapp.core.marking import (
    CAPS,
    FEATURES,
    LEVELS,
    PARTLY_AT,
    Lexicon,
    Match,
    Similarities,
    decide,
    match_matrix,
    similarity_of,
    z_score,
)
from studyapp.core.models import Deck, Locator, Rating

# The questions a lecturer sets on a pair of facets; {x} is the deck's subject as it reads in a sentence.
FACET_PROMPTS = {
    ("origins", "aims"): "What gave rise to {x}, and how far did its aims answer the problems of its time?",
    ("aims", "outcomes"): "To what extent did {x} achieve its stated aims?",
    ("members", "institutions"): "How did the membership of {x} shape its institutions and the way it took decisions?",
    ("activities", "outcomes"): "Assess how far the activities of {x} achieved their purpose.",
    ("outcomes", "debates"): "How far did {x} succeed? Weigh its results against the criticisms made of it.",
}
COMPARE_PROMPT = "Compare and contrast {a} and {b}. Where did they differ most, and why?"
ESSAY_DECK = "essay"  # the deck id an essay prompt's CardProgress carries, so FSRS schedules it like a card
MIN_CLAIMS_PER_FACET = 2
POINTS_PER_FACET = 4
MIN_COMPARISONS = 3
MINUTES_PER_POINT = 3


@dataclass(frozen=True)
class KeyPoint:
    text: str
    source: tuple[Locator, ...] = ()
    cards: tuple[tuple[str, str], ...] = ()  # (deck id, card id) of the cards that teach it
    label: str = ""  # what the point is about, shown beside it (a comparison's dimension)

    def match_text(self) -> str:
        """The text an outline is marked against: the claim itself."""
        return self.text


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
    # Where the outline states the point with a wrong fact: why it got no credit (or only partial credit),
    # the line, and its text. `wrong` is "number", "name" or "reversed".
    wrong: str = ""
    wrong_line: int | None = None
    wrong_text: str = ""

    @property
    def wrong_reason(self) -> str:
        return {
            "number": "gives a different year or number",
            # a substituted name or term, or the point's names given each other's parts (_name_conflict)
            "name": "gives another name or term, or mixes up who did what",
            "reversed": "says it the other way round",
        }.get(self.wrong, "")


@dataclass(frozen=True)
class OutlineScore:
    results: tuple[PointResult, ...]
    by_meaning: bool = False  # marked with the sentence-meaning model (else on wording and facts alone)
    # No point covered outright, and at most half touched in passing: not an answer to this question
    # (see discount_off_question), so those near misses earned nothing.
    off_question: bool = False

    def group(self, status: str) -> list[PointResult]:
        return [r for r in self.results if r.status == status]

    @property
    def share(self) -> float:
        """The essay's score, the one meaning of "score" everywhere (result screen, weak topics, the
        prompt's rating): the share of key points covered, a partly covered point counting half."""
        if not self.results:
            return 0.0
        return (len(self.group("covered")) + 0.5 * len(self.group("partly"))) / len(self.results)

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
            points = tuple(KeyPoint(p.text, p.source, tuple((deck.id, c) for c in p.cards)) for p in essay.points)
            prompts.append(EssayPrompt(f"{deck.id}/{essay.id}", essay.prompt, (deck.id,), essay.minutes, points))
    return prompts


def _minutes(points: int) -> int:
    return max(15, min(30, 5 * round(points * MINUTES_PER_POINT / 5)))


def generated_prompts(decks: Sequence[Deck]) -> list[EssayPrompt]:
    prompts: list[EssayPrompt] = []
    for deck in decks:
        for (a, b), question in FACET_PROMPTS.items():
            ca = [c for c in deck.claims if c.facet == a]
            cb = [c for c in deck.claims if c.facet == b]
            if len(ca) < MIN_CLAIMS_PER_FACET or len(cb) < MIN_CLAIMS_PER_FACET:
                continue
            points = tuple(
                KeyPoint(c.text, c.source, tuple((deck.id, k) for k in c.cards))
                for c in ca[:POINTS_PER_FACET] + cb[:POINTS_PER_FACET]
            )
            text = question.format(x=subject(deck))
            prompts.append(
                EssayPrompt(
                    f"gen/{deck.id}/{a}-{b}",
                    text[0].upper() + text[1:],
                    (deck.id,),
                    _minutes(len(points)),
                    points,
                    "facets",
                )
            )
    by_id = {d.id: d for d in decks}
    order = {d.id: i for i, d in enumerate(decks)}
    pairs: dict[tuple[str, str], list[KeyPoint]] = {}
    for deck in decks:
        for comparison in deck.comparisons:
            other = by_id.get(comparison.with_deck)
            if other is None or other.id == deck.id:
                continue  # a comparison with a deck that is not loaded is reported by `check`, not used
            first, second = sorted((deck.id, other.id), key=order.__getitem__)
            cards = tuple((deck.id, k) for k in comparison.cards) + tuple((other.id, k) for k in comparison.with_cards)
            pairs.setdefault((first, second), []).append(
                KeyPoint(comparison.text, comparison.source, cards, comparison.dimension)
            )
    for (first, second), compared in pairs.items():
        if len(compared) < MIN_COMPARISONS:
            continue
        left, right = by_id[first], by_id[second]
        text = COMPARE_PROMPT.format(a=subject(left), b=subject(right))
        prompts.append(
            EssayPrompt(
                f"gen/{first}+{second}/compare",
                text[0].upper() + text[1:],
                (first, second),
                _minutes(len(compared)),
                tuple(compared),
                "compare",
            )
        )
    return prompts


def subject(deck: Deck) -> str:
    """A deck as it reads inside a sentence: its `name`, or its title ('The Warsaw Pact' -> 'the
    Warsaw Pact'; 'ISAF: lessons for NATO' -> 'ISAF')."""
    if deck.name:
        return deck.name
    title = deck.title.split(":")[0].strip()
    return "the" + title[3:] if title.startswith("The ") else title


def all_prompts(decks: Sequence[Deck]) -> list[EssayPrompt]:
    return authored_prompts(decks) + generated_prompts(decks)


# --- scoring ------------------------------------------------------------------------------
def deck_lexicon(decks: Iterable[Deck]) -> Lexicon:
    """How rare each word is across the decks, and which words are names: the scorer's vocabulary."""
    texts: list[str] = []
    for deck in decks:
        for card in deck.cards:
            texts.append(f"{card.front} {card.back} {' '.join(card.items)}")
        for essay in deck.essays:
            texts += [p.text for p in essay.points]
        texts += [c.text for c in getattr(deck, "claims", ())]
        texts += [c.text for c in getattr(deck, "comparisons", ())]
    return Lexicon.from_texts(texts)


def _unpenalised(match: Match, with_meaning: bool) -> float:
    """The match's z as if it had no wrong fact: how far the line is about the point."""
    return z_score(tuple(0.0 if name in CAPS else v for name, v in zip(FEATURES, match.features)), with_meaning)


def score_outline(
    points: Sequence[KeyPoint], outline: str, lexicon: Lexicon | None = None, similarities: Similarities | None = None
) -> OutlineScore:
    """Mark an outline point by point (studyapp.core.marking says how). `similarities` is the
    sentence-meaning model's; without it the outline is marked on wording and facts alone."""
    lexicon = lexicon if lexicon is not None else Lexicon()
    texts = [p.match_text() for p in points]
    units, matrix = match_matrix(texts, outline, lexicon, similarities)
    results = []
    for point, row in zip(points, matrix):
        if not row:
            results.append(PointResult(point, "missed", 0.0))
            continue
        best_j, level = decide([m.z for m in row], [m.conflict for m in row], [len(u.lines) == 1 for u in units])
        match, unit = row[best_j], units[best_j]
        status = LEVELS[level]
        line = unit.line
        if len(unit.lines) == 2:  # of a pair, the line that says more of the point
            singles = {units[j].line: row[j].z for j in range(len(row)) if units[j].text == units[j].line_text}
            line = max(
                (n for n in singles if n >= unit.line),
                key=lambda n: (n <= unit.line + 1, singles[n]),
                default=unit.line,
            )
        shown = status != "missed"
        # A wrong fact is named only where the line is about this point: without the conflict it would
        # have earned credit (a line on another subject that happens to give another year is not named).
        with_meaning = similarities is not None
        wrong_j = best_j
        if not shown:  # a missed point: the line that states it with a wrong fact, if one does
            wrong_j = max(
                (j for j in range(len(row)) if row[j].conflict),
                key=lambda j: _unpenalised(row[j], with_meaning),
                default=best_j,
            )
        about_it = row[wrong_j].conflict and _unpenalised(row[wrong_j], with_meaning) >= PARTLY_AT
        wrong = next(
            (
                kind
                for name, kind in (("number_conflict", "number"), ("name_conflict", "name"), ("reversal", "reversed"))
                if about_it and row[wrong_j].features[FEATURES.index(name)]
            ),
            "",
        )
        wrong_unit = units[wrong_j]
        results.append(
            PointResult(
                point,
                status,
                round(similarity_of(match.z), 3),
                line if shown else None,
                " / ".join(unit.lines) if shown else "",
                wrong,
                (line if wrong_j == best_j else wrong_unit.line) if wrong else None,
                " / ".join(wrong_unit.lines) if wrong else "",
            )
        )
    answered, off_question = discount_off_question(results)
    return OutlineScore(answered, similarities is not None, off_question)


# An outline that covers no point outright and touches at most this share of them in passing does not
# answer the question: an outline on another subject shares the course's words, and its near misses are
# chance (../shared/marking-guide.md: "off-topic outlines cover nothing"). On the fit outlines 14 of the 18
# "partly" verdicts in such outlines were the marker's "missed" (+0.6 points of agreement).
_IN_PASSING = 0.5


def discount_off_question(results: Sequence[PointResult]) -> tuple[tuple[PointResult, ...], bool]:
    """The results as a marker gives them to an outline that does not answer the question (its near misses
    count for nothing), and whether the outline is one."""
    partly = sum(r.status == "partly" for r in results)
    if any(r.status == "covered" for r in results) or partly > max(1, _IN_PASSING * len(results)):
        return tuple(results), False
    return tuple(replace(r, status="missed", line=None, matched="") if r.status == "partly" else r for r in results), True


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


def search_prompts(
    prompts: Sequence[EssayPrompt],
    query: str = "",
    deck_id: str | None = None,
    titles: dict[str, str] | None = None,
    cutoff: float = 70,
) -> list[EssayPrompt]:
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

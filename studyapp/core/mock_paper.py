"""A mock exam paper: which questions it sets, how it is marked, and the grade band it predicts.

Plain functions, no I/O. The paper follows the course's exam: short-answer questions over the
seven exam topics and one essay question, under one clock.

* Coverage: every exam topic gets at least one short-answer question (when the paper has room).
* Weighting: the rest go to the topics in proportion to their weakness (1 - strength, the
  weak-topics screen's number; a topic with nothing studied yet counts as fully weak), by largest
  remainder. Within a topic, short-answer cards are drawn at random weighted towards low
  retrievability now (weighted sampling without replacement), so weak cards come up more often
  but any card can. A big topic is sampled by rejection, so setting a paper never reads every
  card's progress (bench/mock_paper.py).
* The essay question is drawn from the exam-style prompts touching an exam topic, weighted by the
  weakest topic each prompt touches.
* Reproducible: the same decks, progress, strengths and seed give the same paper.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from studyapp.core.models import AnswerResult, Card, CardKind, CardProgress
from studyapp.core.scheduling import ForgettingCurve

CardKey = tuple[str, str]

EXAM_DECKS = ("nato", "warsaw_pact", "weu", "edc", "osce", "spp", "ntm_a")  # the seven exam topics
DEFAULT_MINUTES = 60  # a sensible sitting: about 2 minutes a short answer, the rest for the essay outline
MIN_MINUTES, MAX_MINUTES = 10, 240
SHORT_QUESTIONS = 14  # two per topic on average
SHORT_SHARE = 0.5  # the short answers' share of the paper's marks; the essay carries the rest
MAX_LIST_ITEMS = 8  # a longer list is not a short answer
MIN_TOPIC_WEIGHT = 0.1  # a strong topic can still draw an extra question
MIN_CARD_WEIGHT = 0.1  # a card recalled for sure can still be asked
SCAN_BELOW = 2000  # a topic with fewer cards is scanned; a bigger one drawn from by rejection (draw_by_rejection)
REJECTION_TRIES = 400  # per card wanted, before a rejection draw gives up and the topic is scanned

# Bands as UK universities class degrees (the course documents give no marking scheme of their own).
BANDS = ((0.70, "First"), (0.60, "2:1"), (0.50, "2:2"), (0.40, "Third"), (0.0, "Fail"))
Z_80 = 1.2816  # the normal quantile of an 80% two-sided interval


@dataclass(frozen=True)
class Paper:
    seed: int
    minutes: int
    questions: tuple[CardKey, ...]  # short-answer questions (cards), in the order they are set
    essay_prompt_id: str | None

    def to_json(self) -> dict:
        return {"seed": self.seed, "minutes": self.minutes, "questions": [list(q) for q in self.questions],
                "essay": self.essay_prompt_id}

    @classmethod
    def from_json(cls, raw: dict) -> Paper:
        return cls(int(raw["seed"]), int(raw["minutes"]), tuple((d, c) for d, c in raw["questions"]), raw["essay"])


def is_short_answer(card: Card) -> bool:
    """A card a student can answer in a few typed words: it has accepted short answers, or is a short list."""
    if card.kind is CardKind.LIST:
        return 0 < len(card.items) <= MAX_LIST_ITEMS
    return bool(card.answers)


def topic_weights(topics: Sequence[str], strengths: Mapping[str, float | None]) -> dict[str, float]:
    """Each topic's weakness, 1 - strength (MIN_TOPIC_WEIGHT at least); 1 for a topic with no strength yet."""
    out = {}
    for topic in topics:
        strength = strengths.get(topic)
        out[topic] = 1.0 if strength is None else max(MIN_TOPIC_WEIGHT, 1.0 - strength)
    return out


def allocate(topics: Sequence[str], weights: Mapping[str, float], total: int,
             available: Mapping[str, int] | None = None) -> dict[str, int]:
    """How many questions each topic gets: one each first (coverage; weakest first when there are fewer
    questions than topics), the rest in proportion to the weights by largest remainder (ties to the
    earlier topic), never more than a topic has cards."""
    cap = {t: (available[t] if available is not None else total) for t in topics}
    counts = {t: 0 for t in topics}
    left = total
    for t in sorted(topics, key=lambda t: -weights[t]):  # coverage first (a stable sort: ties keep their order)
        if left and cap[t]:
            counts[t] += 1
            left -= 1
    while left:
        open_topics = [t for t in topics if counts[t] < cap[t]]
        if not open_topics:
            break
        weight_sum = sum(weights[t] for t in open_topics) or 1.0
        shares = {t: left * weights[t] / weight_sum for t in open_topics}
        given = 0
        for t in open_topics:  # the whole part of each share
            n = min(int(shares[t]), cap[t] - counts[t])
            counts[t] += n
            given += n
        by_remainder = sorted(open_topics, key=lambda t: (-(shares[t] - int(shares[t])), -weights[t], topics.index(t)))
        for t in by_remainder:  # then one more each, largest remainder first, while any is left
            if given < left and counts[t] < cap[t]:
                counts[t] += 1
                given += 1
        if given == 0:
            break
        left -= given  # a topic out of cards leaves its share to the others, next round
    return counts


def card_weight(progress: CardProgress | None, now: datetime, curve: ForgettingCurve) -> float:
    """How likely the card is forgotten now (1 - retrievability, MIN_CARD_WEIGHT at least); 1 for a new card."""
    if progress is None or progress.stability is None or progress.last_review is None:
        return 1.0
    return max(MIN_CARD_WEIGHT, 1.0 - curve.at(progress, now))


def draw_cards(cards: Sequence[Card], k: int, progress: Mapping[CardKey, CardProgress], now: datetime,
               curve: ForgettingCurve, rng: random.Random) -> list[CardKey]:
    """`k` cards at random without replacement, each weighted by `card_weight`, in deck order.

    Each key is rng.random() ** (1 / weight) and the k largest win (Efraimidis-Spirakis): the same
    distribution as drawing one card at a time in proportion to its weight."""
    if k <= 0:
        return []
    keyed = [(rng.random() ** (1.0 / card_weight(progress.get(c.key), now, curve)), i) for i, c in enumerate(cards)]
    return [cards[i].key for i in sorted(i for _, i in heapq.nlargest(k, keyed))]


def draw_by_rejection(cards: Sequence[Card], k: int, progress: Mapping[CardKey, CardProgress], now: datetime,
                      curve: ForgettingCurve, rng: random.Random) -> list[CardKey] | None:
    """The same draw as `draw_cards` among the short-answer cards, without a pass over every card: pick
    a card uniformly, keep it with probability `card_weight` (a weight is at most 1) if it is a short
    answer not drawn yet, until k are kept. Each kept card is then drawn in proportion to its weight
    among those left, which is the distribution `draw_cards` samples. Expected tries: k / (mean weight x
    share of short answers). None when too few are found after REJECTION_TRIES per card wanted (a
    topic with few short answers: scan it instead)."""
    n = len(cards)
    kept: list[int] = []
    seen: set[int] = set()
    rand = rng.random
    for _ in range(REJECTION_TRIES * max(k, 1)):
        if len(kept) == k:
            break
        i = int(rand() * n)
        if i in seen:
            continue
        card = cards[i]
        if not is_short_answer(card):
            seen.add(i)
            continue
        if rand() < card_weight(progress.get(card.key), now, curve):
            kept.append(i)
            seen.add(i)
    if len(kept) < k:
        return None
    return [cards[i].key for i in sorted(kept)]


def assemble_paper(topics: Sequence[str], cards: Mapping[str, Sequence[Card]],
                   progress: Mapping[CardKey, CardProgress], strengths: Mapping[str, float | None],
                   prompts: Sequence, now: datetime, curve: ForgettingCurve, seed: int,
                   minutes: int = DEFAULT_MINUTES, short_questions: int = SHORT_QUESTIONS) -> Paper:
    """A paper over `topics` (deck ids; `cards` holds each one's cards): short-answer questions by the
    rules in this module's docstring, and one essay prompt (any object with `id` and `deck_ids`) that
    touches a topic. The same arguments give the same paper."""
    rng = random.Random(seed)
    weights = topic_weights(topics, strengths)
    # A big topic is drawn from by rejection, never scanned; a small one (or one where rejection
    # finds too few short answers) is scanned for its short answers, or all its cards if it has none.
    big = {t for t in topics if len(cards.get(t, ())) >= SCAN_BELOW}
    pools = {t: _pool(cards.get(t, ())) for t in topics if t not in big}
    available = {t: len(cards[t]) if t in big else len(pools[t]) for t in topics}
    counts = allocate(topics, weights, short_questions, available)
    questions: list[CardKey] = []
    for topic in topics:
        drawn = draw_by_rejection(cards[topic], counts[topic], progress, now, curve, rng) if topic in big else None
        if drawn is None:
            pool = pools[topic] if topic in pools else _pool(cards[topic])
            drawn = draw_cards(pool, counts[topic], progress, now, curve, rng)
        questions += drawn
    essay = choose_prompt(prompts, weights, rng)
    return Paper(seed, minutes, tuple(questions), essay)


def _pool(cards: Sequence[Card]) -> list[Card]:
    return [c for c in cards if is_short_answer(c)] or list(cards)


def choose_prompt(prompts: Sequence, weights: Mapping[str, float], rng: random.Random) -> str | None:
    """One prompt touching a weighted topic, drawn with the weight of the weakest topic it touches."""
    candidates = [(p.id, max(weights[d] for d in p.deck_ids if d in weights))
                  for p in prompts if any(d in weights for d in p.deck_ids)]
    if not candidates:
        return None
    return rng.choices([c[0] for c in candidates], weights=[c[1] for c in candidates])[0]


# --- marking ----------------------------------------------------------------------------------
def question_mark(card: Card, result: AnswerResult | None) -> float:
    """A short answer's mark, 0..1: 1 when the typed-answer grading says correct; a list earns the
    share of its items given; anything else (or no answer) 0."""
    if result is None:
        return 0.0
    if result.correct:
        return 1.0
    if card.kind is CardKind.LIST:
        return round(result.similarity / 100, 3)
    return 0.0


def band_of(mark: float) -> str:
    return next(name for floor, name in BANDS if mark >= floor - 1e-9)


@dataclass(frozen=True)
class GradeBand:
    """The paper's mark (0..1), its band, and an 80% range for the mark with the bands at its ends."""

    mark: float
    low: float
    high: float
    short_mark: float | None  # the short answers' mean mark, 0..1
    essay_mark: float | None  # the essay's score, 0..1

    @property
    def band(self) -> str:
        return band_of(self.mark)

    @property
    def low_band(self) -> str:
        return band_of(self.low)

    @property
    def high_band(self) -> str:
        return band_of(self.high)

    def range_text(self) -> str:
        if self.low_band == self.high_band:
            return f"almost surely {self.band} ({self.low:.0%}-{self.high:.0%})"
        return f"likely between {self.low_band} and {self.high_band} ({self.low:.0%}-{self.high:.0%})"


HOW_BAND_IS_COMPUTED = (
    "The mark: short answers and the essay count half each (a list answer earns the share of items given; "
    "the essay its share of key points, a partly covered point counting half). The range: each question and "
    "each essay key point is taken as a sample of what you know, so another paper like this one would score "
    "inside it four times out of five (80%, normal approximation with the Agresti-Coull adjustment for short "
    "papers). Bands as UK degree classes: First from 70%, 2:1 from 60%, 2:2 from 50%, Third from 40%. It "
    "cannot know how your own marker marks, nor when the essay scorer misjudges a point (it agrees with a "
    "human marker on about three points in four).")


def _part(marks: Sequence[float], z: float) -> tuple[float, float]:
    """A part's mean mark and the variance of that mean (Agresti-Coull: z²/2 successes and failures added)."""
    n = len(marks)
    adjusted_n = n + z * z
    adjusted = (sum(marks) + z * z / 2) / adjusted_n
    return sum(marks) / n, adjusted * (1 - adjusted) / adjusted_n


def grade_band(short_marks: Sequence[float], essay_point_marks: Sequence[float], z: float = Z_80) -> GradeBand:
    """The paper's mark and its 80% range (see HOW_BAND_IS_COMPUTED). `essay_point_marks` holds each
    key point's mark (covered 1, partly 0.5, missed 0); a part with no marks leaves the other all the weight."""
    parts = []
    if short_marks:
        parts.append((SHORT_SHARE, *_part(short_marks, z)))
    if essay_point_marks:
        parts.append((1 - SHORT_SHARE, *_part(essay_point_marks, z)))
    if not parts:
        return GradeBand(0.0, 0.0, 0.0, None, None)
    weight_sum = sum(w for w, _, _ in parts)
    mark = sum(w * m for w, m, _ in parts) / weight_sum
    spread = z * math.sqrt(sum((w / weight_sum) ** 2 * v for w, _, v in parts))
    return GradeBand(round(mark, 4), round(max(0.0, mark - spread), 4), round(min(1.0, mark + spread), 4),
                     sum(short_marks) / len(short_marks) if short_marks else None,
                     sum(essay_point_marks) / len(essay_point_marks) if essay_point_marks else None)


def parse_minutes(raw: str, label: str = "Mock exam", low: int = MIN_MINUTES,
                  high: int = MAX_MINUTES) -> tuple[int | None, str | None]:
    """A length in minutes from the settings screen: (minutes, None) or (None, the problem said plainly)."""
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        return None, f"{label}: {raw!r} should be a whole number of minutes from {low} to {high}"
    return value, None


# --- a sitting, as kept -----------------------------------------------------------------------
@dataclass(frozen=True)
class MockAnswer:
    position: int  # the question's place on the paper, from 0
    key: CardKey
    typed: str
    similarity: float
    mark: float


@dataclass(frozen=True)
class MockExam:
    id: int
    paper: Paper
    started_at: datetime
    elapsed_seconds: float
    essay_text: str
    answers: tuple[MockAnswer, ...]
    finished_at: datetime | None = None
    essay_attempt_id: int | None = None
    essay_statuses: tuple[str, ...] | None = None  # per key point: covered | partly | missed

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def answer_at(self, position: int) -> MockAnswer | None:
        return next((a for a in self.answers if a.position == position), None)

    def next_question(self) -> int | None:
        """The first question not answered yet, or None when every one is."""
        answered = {a.position for a in self.answers}
        return next((i for i in range(len(self.paper.questions)) if i not in answered), None)

    def short_marks(self) -> list[float]:
        """Each question's mark, in paper order; an unanswered question 0."""
        marks = {a.position: a.mark for a in self.answers}
        return [marks.get(i, 0.0) for i in range(len(self.paper.questions))]

    def essay_point_marks(self) -> list[float]:
        return [{"covered": 1.0, "partly": 0.5}.get(s, 0.0) for s in (self.essay_statuses or ())]

    def band(self) -> GradeBand:
        return grade_band(self.short_marks(), self.essay_point_marks())

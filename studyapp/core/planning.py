"""The exam-day plan: today's cards chosen to raise predicted recall on the exam day most within a time budget.

For each card the gain is its predicted retrievability at the exam if it is answered now, less what
it will be if it is not (the plan looks at today alone: it does not count reviews between today and
the exam, which makes it a lower bound on both sides, and what skipping today costs is read the same
way). A card answered now is recalled with its retrievability now, p, and then has FSRS's stability
after Good; with 1 - p it is forgotten and has the stability after Again, so its expected
retrievability at the exam is the mix of the two. A new card, once learned, starts at the stability
of a first Good. The formulas are FSRS-6's (as py-fsrs computes them; a test checks they agree),
written over numpy arrays so 100,000 cards take tens of milliseconds.

A review costs the student's own seconds per answer; a new card costs NEW_CARD_ANSWERS of them (the
first sight and its learning step). With those two costs the best set is exact and cheap: the best
k new cards are the k with the largest gains, likewise for reviews, so trying every k finds the
optimum (a test checks it against every subset of a small collection).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from studyapp.core.models import CardProgress, LearnState

NEW_CARD_ANSWERS = 2  # a new card answered Good twice (py-fsrs's learning steps, 1 and 10 minutes) graduates
DEFAULT_SECONDS = 10.0  # per answer, until the student has answered enough cards to measure theirs
MIN_TIMED_ANSWERS = 20  # answers with a duration needed before their median is the student's
STABILITY_MIN = 0.001  # py-fsrs's clamp

CardKey = tuple[str, str]


@dataclass(frozen=True)
class DayPlan:
    keys: tuple[CardKey, ...]  # the chosen cards, most gain per second first
    gain: float  # the summed gain in exam-day retrievability (cards), if all are answered today
    seconds: float  # the time they take at the student's pace
    cards: int  # cards in the collection the gain is a share of
    seconds_per_answer: float

    @property
    def skip_cost(self) -> float:
        """Predicted exam-day recall (a share of all cards) lost by not studying today."""
        return self.gain / self.cards if self.cards else 0.0


def seconds_per_answer(durations_ms: Iterable[int | None]) -> float:
    """The student's pace: the median of their timed answers (capped at two minutes, as a card left
    open over lunch says nothing about pace), or DEFAULT_SECONDS with fewer than MIN_TIMED_ANSWERS."""
    timed = sorted(min(d, 120_000) / 1000 for d in durations_ms if d)
    if len(timed) < MIN_TIMED_ANSWERS:
        return DEFAULT_SECONDS
    middle = len(timed) // 2
    return timed[middle] if len(timed) % 2 else (timed[middle - 1] + timed[middle]) / 2


def _retrievability(days: np.ndarray, stability: np.ndarray, w: Sequence[float]) -> np.ndarray:
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * np.maximum(days, 0) / stability) ** decay


def exam_gains(studied: Sequence[CardProgress], now: datetime, exam_at: datetime,
               w: Sequence[float]) -> np.ndarray:
    """Each studied card's gain in retrievability at `exam_at` from answering it at `now`.

    Cards already answered today (FSRS would treat another answer as short-term) gain 0.
    """
    n = len(studied)
    stability = np.fromiter((p.stability or STABILITY_MIN for p in studied), float, n)
    difficulty = np.fromiter((p.difficulty or 5.0 for p in studied), float, n)
    last = np.fromiter(((p.last_review or now).timestamp() for p in studied), float, n)
    return _gains(stability, difficulty, last, now, exam_at, w)


def _gains(stability: np.ndarray, difficulty: np.ndarray, last: np.ndarray, now: datetime, exam_at: datetime,
           w: Sequence[float]) -> np.ndarray:
    """exam_gains over arrays: stability, difficulty and the last review (epoch seconds) per card."""
    n = len(stability)
    if n == 0:
        return np.zeros(0)
    stability = np.maximum(stability, STABILITY_MIN)
    difficulty = np.clip(difficulty, 1, 10)
    # whole days, as FSRS counts them (timedelta.days rounds down)
    since_last = np.floor((now.timestamp() - last) / 86400)
    to_exam = math.floor((exam_at - now).total_seconds() / 86400)
    exam_since_last = np.floor((exam_at.timestamp() - last) / 86400)

    r_now = _retrievability(since_last, stability, w)
    r_skip = _retrievability(exam_since_last, stability, w)
    good = stability * (1 + math.exp(w[8]) * (11 - difficulty) * stability ** -w[9]
                        * (np.exp((1 - r_now) * w[10]) - 1))
    forget = np.minimum(w[11] * difficulty ** -w[12] * ((stability + 1) ** w[13] - 1) * np.exp((1 - r_now) * w[14]),
                        stability / math.exp(w[17] * w[18]))
    good = np.maximum(good, STABILITY_MIN)
    forget = np.maximum(forget, STABILITY_MIN)
    days = np.full(n, float(to_exam))
    r_answer = r_now * _retrievability(days, good, w) + (1 - r_now) * _retrievability(days, forget, w)
    gains = r_answer - r_skip
    gains[since_last < 1] = 0.0
    return gains


def new_card_gain(now: datetime, exam_at: datetime, w: Sequence[float]) -> float:
    """A new card learned now (stability of a first Good) against never seen (0)."""
    to_exam = math.floor((exam_at - now).total_seconds() / 86400)
    return float(_retrievability(np.array([float(to_exam)]), np.array([max(w[2], STABILITY_MIN)]), w)[0])


def best_split(new_gains: np.ndarray, review_gains: np.ndarray, new_seconds: float, review_seconds: float,
               budget_seconds: float) -> tuple[int, int]:
    """How many of the best new cards and of the best reviews (both sorted by gain, largest first)
    give the largest total gain within the budget: (new, reviews)."""
    new_prefix = np.concatenate(([0.0], np.cumsum(new_gains)))
    review_prefix = np.concatenate(([0.0], np.cumsum(review_gains)))
    k = np.arange(len(new_gains) + 1)
    k = k[k * new_seconds <= budget_seconds + 1e-9]
    m = np.minimum(np.floor((budget_seconds - k * new_seconds) / review_seconds + 1e-9).astype(int),
                   len(review_gains))
    totals = new_prefix[k] + review_prefix[m]
    best = int(np.argmax(totals))
    return int(k[best]), int(m[best])


def day_plan(card_ids: Mapping[str, Iterable[str]], progress: Mapping[CardKey, CardProgress], now: datetime,
             exam_at: datetime, w: Sequence[float], budget_minutes: float, seconds: float) -> DayPlan:
    """Today's plan over the cards of `card_ids` (deck id -> its card ids, in order: new cards are
    taken in it).

    Written for 100,000 cards (bench/plan.py): one pass over the progress rows, not the cards (a
    tuple key hashed per card costs as much as the rest), and new cards found only as far as needed.
    """
    decks = {deck_id: ids if isinstance(ids, (set, dict, frozenset)) else set(ids) for deck_id, ids in card_ids.items()}
    total = sum(len(ids) for ids in decks.values())
    keys: list[CardKey] = []
    stability: list[float] = []
    difficulty: list[float] = []
    last: list[float] = []
    answered = 0  # cards of the decks with progress beyond new (leeches included): the rest are new
    new_state = LearnState.NEW
    deck_now, in_deck = None, None
    for key, p in progress.items():
        if p.state is new_state:
            continue
        if key[0] != deck_now:
            deck_now, in_deck = key[0], decks.get(key[0])
        if in_deck is None or key[1] not in in_deck:
            continue  # no longer in a loaded deck
        answered += 1
        if p.leech or not p.stability or p.last_review is None:
            continue
        keys.append(key)
        stability.append(p.stability)
        difficulty.append(p.difficulty or 5.0)
        last.append(p.last_review.timestamp())
    if exam_at <= now or budget_minutes <= 0:
        return DayPlan((), 0.0, 0.0, total, seconds)
    gains = _gains(np.array(stability), np.array(difficulty), np.array(last), now, exam_at, w)
    order = np.argsort(-gains, kind="stable")
    order = order[gains[order] > 0]
    review_gains = gains[order]
    one_new = new_card_gain(now, exam_at, w)
    new_seconds = seconds * NEW_CARD_ANSWERS
    new_gains = np.full(total - answered if one_new > 0 else 0, one_new)
    k, m = best_split(new_gains, review_gains, new_seconds, seconds, budget_minutes * 60)
    chosen = [(float(review_gains[i]) / seconds, keys[j]) for i, j in enumerate(order[:m].tolist())]
    chosen += [(one_new / new_seconds, key) for key in _new_cards(card_ids, progress, k)]
    chosen.sort(key=lambda c: -c[0])  # stable: reviews before new cards at equal rate
    gain = float(review_gains[:m].sum()) + k * one_new
    return DayPlan(tuple(key for _, key in chosen), gain, m * seconds + k * new_seconds, total, seconds)


def _new_cards(card_ids: Mapping[str, Iterable[str]], progress: Mapping[CardKey, CardProgress],
               wanted: int) -> list[CardKey]:
    """The first `wanted` never-answered cards, in deck order."""
    found: list[CardKey] = []
    if wanted <= 0:
        return found
    for deck_id, ids in card_ids.items():
        for card_id in ids:
            p = progress.get((deck_id, card_id))
            if p is None or p.state is LearnState.NEW:
                found.append((deck_id, card_id))
                if len(found) == wanted:
                    return found
    return found

"""Coverage of the course: which cited lines of each document the student has mastered.

The cited line ranges of a document are cut into stretches at every range's first line and after
its last, so each stretch is cited by the same cards all along. A stretch is *mastered* when every
card citing it has a retrievability of at least MASTERED now, *never studied* when none of them
has been answered, and *learning* otherwise. Lines no card cites are not part of the map.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from studyapp.core.models import Card, CardProgress, LearnState
from studyapp.core.scheduling import ForgettingCurve

MASTERED = 0.9

CardKey = tuple[str, str]


class Mastery(enum.IntEnum):
    """Worst first, so min() of several is the weakest."""

    NEVER = 0
    LEARNING = 1
    MASTERED = 2


@dataclass(frozen=True)
class Stretch:
    """Lines start..end (inclusive) of one document, cited by the same cards."""

    start: int
    end: int
    cards: tuple[CardKey, ...]  # in the order the cards were given (deck order)
    mastery: Mastery
    recall: float  # mean retrievability now of the cards citing it (never studied counts 0)

    @property
    def lines(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class DocumentCoverage:
    key: str
    stretches: tuple[Stretch, ...]  # in line order

    def lines(self, mastery: Mastery) -> int:
        return sum(s.lines for s in self.stretches if s.mastery is mastery)

    @property
    def cited_lines(self) -> int:
        return sum(s.lines for s in self.stretches)

    @property
    def last_line(self) -> int:
        return self.stretches[-1].end if self.stretches else 0


def coverage_map(cards: Iterable[Card], progress: Mapping[CardKey, CardProgress], now: datetime,
                 curve: ForgettingCurve) -> list[DocumentCoverage]:
    """Per document cited by `cards` (in key order), its stretches with their mastery now.

    Written for 100,000 cards (bench/plan.py): the cards citing the same range are summed once, and
    the sweep runs over the distinct ranges, not the cards.
    """
    # document -> (start, end) -> the cards citing it and their retrievability now (None: never studied)
    ranges: dict[str, dict[tuple[int, int], _Range]] = defaultdict(dict)
    new_state = LearnState.NEW
    factor, decay = curve.factor, curve.decay
    for card in cards:
        if not card.source:
            continue
        key = (card.deck_id, card.id)
        p = progress.get(key)
        r = None
        if p is not None and p.state is not new_state and p.stability and p.last_review is not None:
            elapsed = (now - p.last_review).days
            r = (1 + factor * (elapsed if elapsed > 0 else 0) / p.stability) ** decay  # = curve.at(p, now)
        for loc in card.source:
            in_doc = ranges[loc.key]
            span = in_doc.get((loc.start, loc.end))
            if span is None:
                span = in_doc[(loc.start, loc.end)] = _Range()
            span.add(key, r)
    return [DocumentCoverage(key, _stretches(ranges[key])) for key in sorted(ranges)]


class _Range:
    """The cards citing one line range, with running sums."""

    __slots__ = ("mastered", "recall", "studied", "total")

    def __init__(self) -> None:
        self.recall: dict[CardKey, float | None] = {}
        self.studied = self.mastered = 0
        self.total = 0.0

    def add(self, key: CardKey, r: float | None) -> None:
        if key in self.recall:
            return
        self.recall[key] = r
        if r is not None:
            self.studied += 1
            self.mastered += r >= MASTERED
            self.total += r


def _stretches(ranges: Mapping[tuple[int, int], _Range]) -> tuple[Stretch, ...]:
    # Sweep the boundaries of the distinct ranges: between two, the same ranges cite every line.
    events: dict[int, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    for start, end in ranges:
        events[start].append((1, (start, end)))
        events[end + 1].append((-1, (start, end)))
    active: set[tuple[int, int]] = set()
    points = sorted(events)
    out: list[Stretch] = []
    for here, after in pairwise(points):
        for delta, span in events[here]:
            (active.add if delta > 0 else active.discard)(span)
        if not active:
            continue
        if len(active) == 1:
            only = ranges[next(iter(active))]
            recall, studied, mastered, total = only.recall, only.studied, only.mastered, only.total
        else:  # several ranges: a card citing two of them counts once
            recall = {}
            for span in active:
                recall.update(ranges[span].recall)
            values = [r for r in recall.values() if r is not None]
            studied, mastered, total = len(values), sum(r >= MASTERED for r in values), sum(values)
        cards = len(recall)
        if not studied:
            mastery = Mastery.NEVER
        elif studied == cards and mastered == cards:
            mastery = Mastery.MASTERED
        else:
            mastery = Mastery.LEARNING
        out.append(Stretch(here, after - 1, tuple(recall), mastery, total / cards))
    return tuple(_merge(out))


def _merge(stretches: list[Stretch]) -> list[Stretch]:
    """Adjacent stretches cited by the same cards are one (a card citing 3-5 and another 4-5 make 3 and 4-5)."""
    merged: list[Stretch] = []
    for s in stretches:
        last = merged[-1] if merged else None
        if last is not None and last.end + 1 == s.start and last.cards == s.cards:
            merged[-1] = Stretch(last.start, s.end, s.cards, s.mastery, s.recall)
        else:
            merged.append(s)
    return merged


def weakest_stretch(documents: Iterable[DocumentCoverage]) -> tuple[str, Stretch] | None:
    """The stretch to study first: not mastered, lowest mean recall, then the longest, then the first."""
    best: tuple[tuple, str, Stretch] | None = None
    for doc in documents:
        for s in doc.stretches:
            if s.mastery is Mastery.MASTERED:
                continue
            rank = (s.recall, -s.lines, doc.key, s.start)
            if best is None or rank < best[0]:
                best = (rank, doc.key, s)
    return None if best is None else (best[1], best[2])


def map_cells(doc: DocumentCoverage, width: int) -> list[Mastery | None]:
    """The document as `width` cells from line 1 to its last cited line: each cell the weakest mastery
    of the stretches in its lines, None where no line in it is cited."""
    last = doc.last_line
    if last == 0 or width <= 0:
        return [None] * max(0, width)
    cells: list[Mastery | None] = [None] * width
    for s in doc.stretches:
        first = (s.start - 1) * width // last
        final = (s.end - 1) * width // last
        for i in range(first, min(final, width - 1) + 1):
            cells[i] = s.mastery if (cell := cells[i]) is None else min(cell, s.mastery)
    return cells

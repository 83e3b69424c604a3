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
    cards: tuple[CardKey, ...]
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
    """Per document cited by `cards` (in key order), its stretches with their mastery now."""
    citing: dict[str, list[tuple[int, int, CardKey]]] = defaultdict(list)
    recall: dict[CardKey, float | None] = {}
    for card in cards:
        if not card.source:
            continue
        p = progress.get(card.key)
        recall[card.key] = None if p is None or p.state is LearnState.NEW else curve.at(p, now)
        for loc in card.source:
            citing[loc.key].append((loc.start, loc.end, card.key))
    return [DocumentCoverage(key, _stretches(citing[key], recall)) for key in sorted(citing)]


def _stretches(ranges: list[tuple[int, int, CardKey]], recall: Mapping[CardKey, float | None]) -> tuple[Stretch, ...]:
    # Sweep the boundaries: at each, the set of cards citing the lines from there to the next one.
    events: dict[int, list[tuple[int, CardKey]]] = defaultdict(list)
    for start, end, key in ranges:
        events[start].append((1, key))
        events[end + 1].append((-1, key))
    active: dict[CardKey, int] = {}
    points = sorted(events)
    out: list[Stretch] = []
    for here, after in zip(points, points[1:]):
        for delta, key in events[here]:
            active[key] = active.get(key, 0) + delta
            if not active[key]:
                del active[key]
        if active:
            keys = tuple(sorted(active))
            values = [recall[k] for k in keys]
            studied = [v for v in values if v is not None]
            if not studied:
                mastery = Mastery.NEVER
            elif len(studied) == len(values) and min(studied) >= MASTERED:
                mastery = Mastery.MASTERED
            else:
                mastery = Mastery.LEARNING
            out.append(Stretch(here, after - 1, keys, mastery, sum(studied) / len(values)))
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
            cells[i] = s.mastery if cells[i] is None else min(cells[i], s.mastery)
    return cells

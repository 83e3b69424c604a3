"""Fuzzy search over card text for the browser, fast enough to run at every keystroke.

A word index: each card's text (front, back, items, answers, note) is split into words, and
each word keeps the set of cards that contain it. A query word matches the index's words
that start with it (so results narrow as the student types) or that rapidfuzz scores as
close to it (so "warsw" finds "warsaw"); a card matches when every query word matches one
of its words. Matching the small vocabulary instead of 100,000 texts keeps a keystroke
within a few milliseconds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

from studyapp.core.models import Card, CardProgress, LearnState
from studyapp.core.scheduling import format_interval

WORD = re.compile(r"\w+")
MIN_FUZZY_LENGTH = 5  # shorter query words match by prefix only: "wars" should not find "was", nor "nat" "not"
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) a vocabulary word needs to count as a typo of a query word


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


class CardIndex:
    """Card numbers (positions in the sequence given) by the words of their text."""

    def __init__(self, texts: Iterable[str]):
        # Lists, not sets: appending is quicker than adding, and 1.6 million ints in lists take a
        # fifth of the memory (a query makes sets of the few lists it needs).
        postings: dict[str, list[int]] = {}
        count = 0
        findall = WORD.findall
        for number, text in enumerate(texts):
            count += 1
            for word in set(findall(text.casefold())):
                found = postings.get(word)
                if found is None:
                    postings[word] = [number]
                else:
                    found.append(number)
        self.size = count
        self.postings = postings
        self.vocabulary: list[str] = sorted(postings)

    def matching_words(self, query_word: str) -> list[str]:
        """Index words that start with `query_word` or are close to it."""
        vocab = self.vocabulary
        start = bisect.bisect_left(vocab, query_word)
        end = bisect.bisect_left(vocab, query_word + "\U0010ffff")
        found = vocab[start:end]
        if len(query_word) >= MIN_FUZZY_LENGTH:
            prefix = set(found)
            # A typo keeps the first letter and about the length: "pleven" is not "eleven" nor "even".
            found += [w for w, _score, _i in process.extract(query_word, vocab, scorer=fuzz.ratio,
                                                              score_cutoff=FUZZY_CUTOFF, limit=None)
                      if w not in prefix and w[0] == query_word[0] and len(w) >= len(query_word) - 1]
        return found

    def search(self, query: str) -> set[int] | None:
        """The cards matching every word of `query`; None for an empty query (every card)."""
        query_words = words(query)
        if not query_words:
            return None
        result: set[int] | None = None
        # Rarest-looking words first would be faster still; longest first is a cheap proxy.
        for qw in sorted(set(query_words), key=len, reverse=True):
            lists = [self.postings[w] for w in self.matching_words(qw)]
            if not lists:
                return set()
            matched = set(lists[0]) if len(lists) == 1 else set().union(*lists)
            result = matched if result is None else result & matched
            if not result:
                return result
        return result


@dataclass(frozen=True)
class BrowseRow:
    card: Card
    deck_title: str


def card_text(card: Card) -> str:
    """What the browser searches: front, back, list items, accepted answers and note."""
    return " ".join((card.front, card.back, " ".join(card.items), " ".join(card.answers), card.note))


class Browser:
    """Every card with its deck, a search index over their text, and sort orders by column.

    `progress` is the live mapping of card progress; orders that depend on it (due, stability,
    lapses) are computed when first asked for and dropped by `invalidate()`.
    """

    SORT_KEYS = ("deck", "facet", "front", "due", "stability", "lapses")

    def __init__(self, rows: Sequence[BrowseRow], progress: Mapping[tuple[str, str], CardProgress]):
        self.rows = list(rows)
        self.progress = progress
        self.index = CardIndex(card_text(r.card) for r in self.rows)
        self._orders: dict[str, list[int]] = {"deck": list(range(len(self.rows)))}
        self._ranks: dict[str, list[int]] = {}  # each card's place in an order, by sort key

    @property
    def size(self) -> int:
        return len(self.rows)

    def invalidate(self) -> None:
        """Forget the orders that depend on progress (after answers or resets)."""
        for key in ("due", "stability", "lapses"):
            self._orders.pop(key, None)
            self._ranks.pop(key, None)

    def search(self, query: str) -> set[int] | None:
        return self.index.search(query)

    def order(self, key: str) -> list[int]:
        if key not in self._orders:
            if key not in self.SORT_KEYS:
                raise ValueError(f"cannot sort by {key!r}")
            self._orders[key] = sorted(range(len(self.rows)), key=self._sort_value(key))
        return self._orders[key]

    def _sort_value(self, key: str):  # noqa: ANN202
        rows, progress, never = self.rows, self.progress, float("inf")
        if key == "facet":
            return lambda n: rows[n].card.facet
        if key == "front":
            return lambda n: rows[n].card.front.casefold()

        def value(n: int) -> float:
            p = progress.get(rows[n].card.key)
            if p is None or p.state is LearnState.NEW:
                return never if key == "due" else -1.0  # new cards: due last, stability and lapses least
            if key == "due":
                return p.due.timestamp() if p.due else never
            return float(p.stability or 0.0) if key == "stability" else float(p.lapses)

        return value

    def results(self, wanted: set[int] | None, key: str, reverse: bool) -> list[int]:
        """The card numbers in `wanted` (every card when None), sorted by column `key`."""
        order = self.order(key)
        if wanted is None:
            found = list(order)
        elif len(wanted) * 16 < len(order):  # a few matches: sort them by their place in the order
            rank = self._rank(key)
            found = sorted(wanted, key=rank.__getitem__)
        else:  # many: one pass over the order is quicker than sorting them
            found = [n for n in order if n in wanted]
        if reverse:
            found.reverse()
        return found

    def _rank(self, key: str) -> list[int]:
        if key not in self._ranks:
            rank = [0] * len(self.rows)
            for place, n in enumerate(self.order(key)):
                rank[n] = place
            self._ranks[key] = rank
        return self._ranks[key]

    def cells(self, n: int, now: datetime) -> tuple[str, str, str, str, str, str]:
        row = self.rows[n]
        card = row.card
        p = self.progress.get(card.key)
        if p is None or p.state is LearnState.NEW:
            return (row.deck_title, card.facet, card.front, "new", "-", "-")
        if p.leech:
            due = "leech"
        elif p.due is None:
            due = "-"
        else:
            due = "now" if p.due <= now else format_interval(p.due - now)
        stability = p.stability or 0.0
        return (row.deck_title, card.facet, card.front, due, f"{stability:.1f}" if stability < 100 else f"{stability:.0f}",
                str(p.lapses))

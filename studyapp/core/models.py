"""Frozen domain objects shared by the core, the store and the UI."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

FACETS = ("origins", "aims", "members", "institutions", "activities", "outcomes", "debates")


class Rating(enum.IntEnum):
    """The four answers a student gives a card, numbered as FSRS numbers them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class CardKind(str, enum.Enum):  # noqa: UP042 - StrEnum would change str() and format() of a member
    BASIC = "basic"
    LIST = "list"


class LearnState(enum.IntEnum):
    """A card's place in FSRS; NEW means never answered (no progress row yet)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class Locator:
    """Lines START..END (1-based, inclusive) of the course document KEY."""

    key: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.key}:{self.start}" if self.start == self.end else f"{self.key}:{self.start}-{self.end}"


@dataclass(frozen=True)
class Card:
    deck_id: str
    id: str
    facet: str
    front: str
    kind: CardKind = CardKind.BASIC
    back: str = ""
    answers: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: tuple[Locator, ...] = ()
    note: str = ""
    # True when the note only adds colour: its facts are not what the card teaches, so they need no card.
    note_colour: bool = False
    line: int = 0  # where the card starts in its deck file

    @property
    def key(self) -> tuple[str, str]:
        return (self.deck_id, self.id)

    @property
    def answer_text(self) -> str:
        """The answer as the back of the card shows it."""
        if self.kind is CardKind.LIST:
            return "\n".join(f"• {item}" for item in self.items)
        return self.back


@dataclass(frozen=True)
class Point:
    """One key point a good essay outline covers."""

    text: str
    cards: tuple[str, ...] = ()
    source: tuple[Locator, ...] = ()


@dataclass(frozen=True)
class Essay:
    deck_id: str
    id: str
    prompt: str
    minutes: int
    points: tuple[Point, ...]
    line: int = 0


@dataclass(frozen=True)
class Claim:
    """Format 2: a sentence an essay on the deck's facet should argue (a fact with its reason or
    consequence), with the cards that teach it. Generated essay prompts are built from claims."""

    id: str
    facet: str
    text: str
    cards: tuple[str, ...] = ()
    source: tuple[Locator, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Comparison:
    """Format 2: how this deck and another (`with_deck`) differ, or agree, on one dimension."""

    id: str
    with_deck: str
    dimension: str
    text: str
    cards: tuple[str, ...] = ()
    with_cards: tuple[str, ...] = ()
    source: tuple[Locator, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    cards: tuple[Card, ...] = ()
    essays: tuple[Essay, ...] = ()
    path: str = ""
    claims: tuple[Claim, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    name: str = ""  # format 2: the deck's subject as it reads inside a sentence ("NATO's partnership policy")

    @property
    def facets(self) -> tuple[str, ...]:
        return tuple(f for f in FACETS if any(c.facet == f for c in self.cards))

    def card_facets(self) -> list[tuple[str, str]]:
        """Each card's id and facet, in deck order (a deck read from the parse cache answers
        without loading its cards: see deck_files.LazyDeck)."""
        return [(c.id, c.facet) for c in self.cards]


@dataclass(frozen=True)
class Problem:
    """Something wrong in a deck file, said so a person can find and fix it."""

    file: str
    line: int | None
    item: str | None  # card or essay id, where there is one
    field: str | None
    message: str
    severity: str = "error"  # "error" skips the deck; "warning" does not

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(self.field)
        parts.append(self.message if self.severity == "error" else f"warning: {self.message}")
        return ": ".join(parts)


@dataclass(frozen=True, slots=True)  # slots: 66,000 of these at 100,000 cards take a third of the memory
class CardProgress:
    """A card's FSRS memory state and counters, as stored per (deck id, card id)."""

    deck_id: str
    card_id: str
    state: LearnState = LearnState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    last_rating: int | None = None
    leech: bool = False  # failed too often: kept out of normal sessions until the student resets it

    @property
    def is_new(self) -> bool:
        return self.state is LearnState.NEW


@dataclass(frozen=True)
class ItemMatch:
    """How one expected item (a list entry or an accepted answer) fared."""

    expected: str
    matched: str | None
    score: float


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of grading a typed answer."""

    similarity: float  # 0..100
    correct: bool
    suggested: Rating
    missing: tuple[str, ...] = ()  # expected items or words the answer lacks
    wrong_numbers: tuple[str, ...] = ()  # numbers typed that the answer does not have
    items: tuple[ItemMatch, ...] = field(default_factory=tuple)
    by_meaning: bool = False  # correct in other words (the meaning model's), not by the words themselves


@dataclass(frozen=True)
class Review:
    """One answer, as the review log keeps it."""

    deck_id: str
    card_id: str
    rating: Rating
    reviewed_at: datetime
    mode: str = "flip"  # flip | typed | practice
    typed: str | None = None
    similarity: float | None = None
    duration_ms: int | None = None
    confused_with: tuple[str, str] | None = None  # the card whose answer a wrong typed answer was

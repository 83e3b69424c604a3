"""The SQLite tables. Times are UTC seconds since the epoch (REAL): compact, sortable, tz-free.

Card content lives only in deck files; these tables hold progress keyed by (deck id, card id),
so rewording a card keeps its history and a card that leaves a deck keeps it too.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class CardProgressRow(SQLModel, table=True):
    __tablename__ = "card_progress"

    deck_id: str = Field(primary_key=True)
    card_id: str = Field(primary_key=True)
    state: int  # LearnState
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: float | None = Field(default=None, index=True)
    last_review: float | None = None
    reps: int = 0
    lapses: int = 0
    last_rating: int | None = None
    leech: bool = False  # set at the lapse that makes the card a leech; cleared when the student resets it


class ReviewLogRow(SQLModel, table=True):
    __tablename__ = "review_log"

    id: int | None = Field(default=None, primary_key=True)
    deck_id: str = Field(index=True)
    card_id: str
    reviewed_at: float = Field(index=True)
    rating: int
    mode: str  # flip | typed | practice
    typed: str | None = None
    similarity: float | None = None
    duration_ms: int | None = None
    state_before: str  # JSON of the card's progress before this answer, so it can be undone
    # The card whose answer this wrong typed answer was (a confusion pair), if any
    confused_deck: str | None = None
    confused_card: str | None = None


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str  # JSON


class EssayDraftRow(SQLModel, table=True):
    """The outline being written, saved every few seconds so a crash loses almost nothing."""

    __tablename__ = "essay_draft"

    prompt_id: str = Field(primary_key=True)
    text: str
    started_at: float
    saved_at: float
    elapsed_seconds: float = 0.0


class EssayAttemptRow(SQLModel, table=True):
    __tablename__ = "essay_attempt"

    id: int | None = Field(default=None, primary_key=True)
    prompt_id: str = Field(index=True)
    submitted_at: float
    seconds: float
    text: str
    score: float  # share of key points covered, 0..1
    results: str  # JSON: per point, its status, score and matched line


class EssayProgressRow(SQLModel, table=True):
    """A prompt is spaced like a card: its score maps to a rating for FSRS."""

    __tablename__ = "essay_progress"

    prompt_id: str = Field(primary_key=True)
    state: int
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: float | None = None
    last_review: float | None = None
    reps: int = 0
    lapses: int = 0
    last_rating: int | None = None
    last_score: float | None = None


class ReviewTallyRow(SQLModel, table=True):
    """Answers per study day, deck and facet, kept up to date in each answer's transaction.

    The statistics and weak-topics screens read these (at most a few thousand rows) and never
    scan the review log.
    """

    __tablename__ = "review_tally"

    day: str = Field(primary_key=True)  # the study day, ISO date (local, starting at day_start_hour)
    deck_id: str = Field(primary_key=True)
    facet: str = Field(primary_key=True)  # the card's facet when answered
    reviews: int = 0  # scheduled answers
    again: int = 0  # of those, rated Again
    practice: int = 0  # practice answers


class ReviewDayRow(SQLModel, table=True):
    """Answers per study day over every deck (the review_tally rows summed), for the six-month charts."""

    __tablename__ = "review_day"

    day: str = Field(primary_key=True)
    reviews: int = 0
    again: int = 0
    practice: int = 0

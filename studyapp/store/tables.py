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


class MockExamRow(SQLModel, table=True):
    """One sitting of a mock exam paper (issue 15): the paper set, the essay as written, and how it ended."""

    __tablename__ = "mock_exam"

    id: int | None = Field(default=None, primary_key=True)
    started_at: float
    paper: str  # JSON: seed, minutes, the short-answer questions (deck id, card id), the essay prompt id
    elapsed_seconds: float = 0.0  # on the paper's clock, saved every few seconds while it is sat
    essay_text: str = ""  # saved every few seconds too, so a crash loses almost nothing
    finished_at: float | None = None  # handed in (or the clock ran out); None while it is being sat
    essay_attempt_id: int | None = None  # the essay_attempt its outline was marked as
    essay_results: str | None = None  # JSON: per key point of the prompt, covered | partly | missed


class MockAnswerRow(SQLModel, table=True):
    """A short answer given in a mock exam; written in the same transaction as its review_log row."""

    __tablename__ = "mock_answer"

    mock_id: int = Field(primary_key=True)
    position: int = Field(primary_key=True)  # the question's place on the paper, from 0
    deck_id: str
    card_id: str
    typed: str
    similarity: float
    mark: float  # 0..1
    review_log_id: int | None = None


class BrainDumpRow(SQLModel, table=True):
    """A brain dump (free recall) on a deck or one of its facets, and what it recalled."""

    __tablename__ = "brain_dump"

    id: int | None = Field(default=None, primary_key=True)
    deck_id: str
    facet: str | None = None  # None: the whole deck
    minutes: int
    started_at: float
    seconds: float = 0.0
    text: str = ""
    finished_at: float | None = None  # None while it is being written
    results: str | None = None  # JSON: {"cards": {card id: [recalled, line]}, "claims": {claim id: status}}

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


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str  # JSON

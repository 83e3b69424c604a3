"""Rows <-> core models. Screens and the core never see a row."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from studyapp.core.models import CardProgress, LearnState


def to_ts(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def from_ts(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, timezone.utc)


def progress_values(p: CardProgress) -> dict:
    return {"deck_id": p.deck_id, "card_id": p.card_id, "state": int(p.state), "step": p.step,
            "stability": p.stability, "difficulty": p.difficulty, "due": to_ts(p.due),
            "last_review": to_ts(p.last_review), "reps": p.reps, "lapses": p.lapses,
            "last_rating": p.last_rating, "leech": p.leech}


def progress_from_row(row) -> CardProgress:  # noqa: ANN001 - a Row or a mapping with the columns above
    m = row._mapping if hasattr(row, "_mapping") else row
    return CardProgress(deck_id=m["deck_id"], card_id=m["card_id"], state=LearnState(m["state"]),
                        step=m["step"], stability=m["stability"], difficulty=m["difficulty"],
                        due=from_ts(m["due"]), last_review=from_ts(m["last_review"]), reps=m["reps"],
                        lapses=m["lapses"], last_rating=m["last_rating"],
                        leech=bool(m.get("leech", False)))  # log rows written before the flag existed lack it


def progress_to_json(p: CardProgress) -> str:
    return json.dumps(progress_values(p), separators=(",", ":"))


def progress_from_json(text: str) -> CardProgress:
    return progress_from_row(json.loads(text))

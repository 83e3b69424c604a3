"""EssayStore(engine): drafts, attempts and each prompt's schedule. Returns core models only."""

from __future__ import annotations

import json

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from studyapp.core.essays import ESSAY_DECK, Draft, EssayAttempt, OutlineScore
from studyapp.core.models import CardProgress, LearnState
from studyapp.store.convert import from_ts, to_ts
from studyapp.store.db import reading
from studyapp.store.tables import EssayAttemptRow, EssayDraftRow, EssayProgressRow

_draft = EssayDraftRow.__table__
_attempt = EssayAttemptRow.__table__
_progress = EssayProgressRow.__table__


class EssayStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- drafts ---------------------------------------------------------------------------
    def save_draft(self, draft: Draft) -> None:
        values = {"prompt_id": draft.prompt_id, "text": draft.text, "started_at": to_ts(draft.started_at),
                  "saved_at": to_ts(draft.saved_at), "elapsed_seconds": draft.elapsed_seconds}
        stmt = sqlite_insert(_draft).values(values)
        stmt = stmt.on_conflict_do_update(index_elements=["prompt_id"],
                                          set_={k: stmt.excluded[k] for k in values if k != "prompt_id"})
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def draft(self, prompt_id: str) -> Draft | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(_draft).where(_draft.c.prompt_id == prompt_id)).first()
        if row is None:
            return None
        return Draft(row.prompt_id, row.text, from_ts(row.started_at), from_ts(row.saved_at), row.elapsed_seconds)

    def drafts(self) -> set[str]:
        with reading(self.engine) as conn:
            return set(conn.execute(select(_draft.c.prompt_id)).scalars())

    def delete_draft(self, prompt_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(_draft).where(_draft.c.prompt_id == prompt_id))

    # --- attempts and schedule ------------------------------------------------------------
    def record_attempt(self, attempt: EssayAttempt, score: OutlineScore, progress: CardProgress,
                       keep_draft: bool = False) -> int:
        """Store the attempt, the prompt's new schedule, and (unless `keep_draft`: the outline was written
        elsewhere, in a mock exam) drop its draft: all or nothing."""
        results = [{"status": r.status, "score": r.score, "line": r.line, "matched": r.matched}
                   for r in score.results]
        values = {"prompt_id": attempt.prompt_id, "state": int(progress.state), "step": progress.step,
                  "stability": progress.stability, "difficulty": progress.difficulty, "due": to_ts(progress.due),
                  "last_review": to_ts(progress.last_review), "reps": progress.reps, "lapses": progress.lapses,
                  "last_rating": progress.last_rating, "last_score": attempt.score}
        upsert = sqlite_insert(_progress).values(values)
        upsert = upsert.on_conflict_do_update(index_elements=["prompt_id"],
                                              set_={k: upsert.excluded[k] for k in values if k != "prompt_id"})
        with self.engine.begin() as conn:
            result = conn.execute(insert(_attempt).values(
                prompt_id=attempt.prompt_id, submitted_at=to_ts(attempt.submitted_at), seconds=attempt.seconds,
                text=attempt.text, score=attempt.score, results=json.dumps(results)))
            conn.execute(upsert)
            if not keep_draft:
                conn.execute(delete(_draft).where(_draft.c.prompt_id == attempt.prompt_id))
            return int(result.inserted_primary_key[0])

    def attempts(self, prompt_id: str | None = None) -> list[EssayAttempt]:
        stmt = select(_attempt).order_by(_attempt.c.submitted_at.desc(), _attempt.c.id.desc())
        if prompt_id is not None:
            stmt = stmt.where(_attempt.c.prompt_id == prompt_id)
        with reading(self.engine) as conn:
            rows = conn.execute(stmt).all()
        return [EssayAttempt(r.prompt_id, from_ts(r.submitted_at), r.seconds, r.text, r.score,
                             tuple(x["status"] for x in json.loads(r.results)), r.id) for r in rows]

    def schedules(self) -> dict[str, tuple[CardProgress, float | None]]:
        """Each practised prompt's FSRS state (as a CardProgress) and its last score."""
        with reading(self.engine) as conn:
            rows = conn.execute(select(_progress)).all()
        return {r.prompt_id: (CardProgress(ESSAY_DECK, r.prompt_id, LearnState(r.state), r.step, r.stability,
                                           r.difficulty, from_ts(r.due), from_ts(r.last_review), r.reps,
                                           r.lapses, r.last_rating), r.last_score) for r in rows}

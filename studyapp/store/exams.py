"""ExamStore(engine): mock exam sittings with their short answers, and brain dumps. Returns core models only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from studyapp.core.free_recall import BrainDump
from studyapp.core.mock_paper import MockAnswer, MockExam, Paper
from studyapp.store.convert import from_ts, to_ts
from studyapp.store.db import reading
from studyapp.store.tables import BrainDumpRow, MockAnswerRow, MockExamRow

_mock = MockExamRow.__table__
_answer = MockAnswerRow.__table__
_dump = BrainDumpRow.__table__
_INSERT_ANSWER = ("INSERT INTO mock_answer (mock_id, position, deck_id, card_id, typed, similarity, mark, "
                  "review_log_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


class ExamStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- mock exams -----------------------------------------------------------------------
    def start_mock(self, paper: Paper, started_at) -> int:  # noqa: ANN001 - a datetime
        with self.engine.begin() as conn:
            result = conn.execute(insert(_mock).values(started_at=to_ts(started_at), paper=json.dumps(paper.to_json())))
            return int(result.inserted_primary_key[0])

    @staticmethod
    def answer_writer(mock_id: int, answer: MockAnswer) -> Callable[[sqlite3.Cursor, int], None]:
        """What writes `answer` in its review's own transaction (Repository.record_answer's `also`)."""
        def write(cursor: sqlite3.Cursor, log_id: int) -> None:
            cursor.execute(_INSERT_ANSWER, (mock_id, answer.position, answer.key[0], answer.key[1], answer.typed,
                                            answer.similarity, answer.mark, log_id))
        return write

    def save_mock(self, mock_id: int, elapsed_seconds: float, essay_text: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(_mock).where(_mock.c.id == mock_id).values(elapsed_seconds=elapsed_seconds,
                                                                           essay_text=essay_text))

    def finish_mock(self, mock_id: int, finished_at, elapsed_seconds: float, essay_text: str,  # noqa: ANN001
                    essay_attempt_id: int | None, essay_statuses: tuple[str, ...] | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(_mock).where(_mock.c.id == mock_id).values(
                finished_at=to_ts(finished_at), elapsed_seconds=elapsed_seconds, essay_text=essay_text,
                essay_attempt_id=essay_attempt_id,
                essay_results=None if essay_statuses is None else json.dumps(list(essay_statuses))))

    def mocks(self) -> list[MockExam]:
        """Every sitting, newest first, with its answers."""
        with reading(self.engine) as conn:
            rows = conn.execute(select(_mock).order_by(_mock.c.started_at.desc(), _mock.c.id.desc())).all()
            answers = conn.execute(select(_answer).order_by(_answer.c.mock_id, _answer.c.position)).all()
        by_mock: dict[int, list[MockAnswer]] = {}
        for a in answers:
            by_mock.setdefault(a.mock_id, []).append(
                MockAnswer(a.position, (a.deck_id, a.card_id), a.typed, a.similarity, a.mark))
        return [MockExam(r.id, Paper.from_json(json.loads(r.paper)), from_ts(r.started_at), r.elapsed_seconds,
                         r.essay_text, tuple(by_mock.get(r.id, ())), from_ts(r.finished_at), r.essay_attempt_id,
                         None if r.essay_results is None else tuple(json.loads(r.essay_results)))
                for r in rows]

    def mock(self, mock_id: int) -> MockExam | None:
        return next((m for m in self.mocks() if m.id == mock_id), None)

    # --- brain dumps ----------------------------------------------------------------------
    def start_dump(self, deck_id: str, facet: str | None, minutes: int, started_at) -> int:  # noqa: ANN001
        with self.engine.begin() as conn:
            result = conn.execute(insert(_dump).values(deck_id=deck_id, facet=facet, minutes=minutes,
                                                       started_at=to_ts(started_at)))
            return int(result.inserted_primary_key[0])

    def save_dump(self, dump_id: int, text: str, seconds: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(_dump).where(_dump.c.id == dump_id).values(text=text, seconds=seconds))

    def finish_dump(self, dump_id: int, text: str, seconds: float, finished_at,  # noqa: ANN001
                    cards: dict[str, tuple[bool, int | None]], claims: dict[str, str]) -> None:
        results = {"cards": {k: [recalled, line] for k, (recalled, line) in cards.items()}, "claims": claims}
        with self.engine.begin() as conn:
            conn.execute(update(_dump).where(_dump.c.id == dump_id).values(
                text=text, seconds=seconds, finished_at=to_ts(finished_at), results=json.dumps(results)))

    def dumps(self) -> list[BrainDump]:
        """Every brain dump, newest first."""
        with reading(self.engine) as conn:
            rows = conn.execute(select(_dump).order_by(_dump.c.started_at.desc(), _dump.c.id.desc())).all()
        out = []
        for r in rows:
            results = json.loads(r.results) if r.results else {"cards": {}, "claims": {}}
            out.append(BrainDump(r.id, r.deck_id, r.facet, r.minutes, from_ts(r.started_at), r.seconds, r.text,
                                 from_ts(r.finished_at),
                                 {k: bool(v[0]) for k, v in results["cards"].items()}, dict(results["claims"])))
        return out

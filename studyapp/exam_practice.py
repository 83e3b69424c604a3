"""Rehearsing the exam, StudyService's collaborator `service.exams`: mock exam papers and brain dumps.

A mock's short answers are graded as typed answers are and saved through the review path
(`StudyService.record`), each with its mock_answer row in the same transaction, so they count as
reviews and FSRS state stays what a replay of the log gives. Its essay is marked and stored as any
essay attempt (`service.essays.submit_essay`). A brain dump's verdicts feed the weak-topics ranking.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from studyapp.core import free_recall, mock_paper
from studyapp.core.essays import EssayPrompt, KeyPoint, OutlineScore, PointResult
from studyapp.core.free_recall import BrainDump, CardRecall
from studyapp.core.grading import grade_typed_answer
from studyapp.core.mock_paper import MockAnswer, MockExam
from studyapp.core.models import Card, Claim
from studyapp.store.errors import saving

if TYPE_CHECKING:
    from studyapp.service import StudyService

CardKey = tuple[str, str]
MOCK_MINUTES_SETTING = "mock_minutes"
DUMP_MINUTES_SETTING = "dump_minutes"
DEFAULT_DUMP_MINUTES = 10


@dataclass(frozen=True)
class Miss:
    """A question of a mock answered wrongly, in part, or not at all: the card to drill and its source."""

    position: int
    card: Card
    typed: str | None  # None: not answered
    mark: float


@dataclass(frozen=True)
class MockReport:
    """A handed-in mock: the band, the short answers' misses, the essay's points, and the cards to drill."""

    mock: MockExam
    band: mock_paper.GradeBand
    misses: tuple[Miss, ...]
    prompt: EssayPrompt | None
    essay_points: tuple[tuple[KeyPoint, str], ...]  # each key point with its status

    @property
    def drill_keys(self) -> list[CardKey]:
        """Every missed question's card, then the cards behind the essay points not fully covered."""
        keys = [m.card.key for m in self.misses]
        for point, status in self.essay_points:
            if status != "covered":
                keys += [k for k in point.cards if k not in keys]
        return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class DumpResult:
    dump: BrainDump
    title: str  # the topic, as shown
    cards: tuple[tuple[Card, CardRecall], ...]
    claims: tuple[tuple[Claim, PointResult], ...]

    def recalled(self, card: Card, recall: CardRecall) -> bool:
        return self.dump.cards.get(card.id, recall.recalled)

    @property
    def drill_keys(self) -> list[CardKey]:
        return [card.key for card, recall in self.cards if not self.recalled(card, recall)]


class ExamStoreLike(Protocol):
    """What exam rehearsal keeps (studyapp.store.exams.ExamStore)."""

    def start_mock(self, paper: mock_paper.Paper, started_at: datetime) -> int: ...
    def answer_writer(self, mock_id: int, answer: MockAnswer) -> Callable[[sqlite3.Cursor, int], None]: ...
    def save_mock(self, mock_id: int, elapsed_seconds: float, essay_text: str) -> None: ...
    def finish_mock(self, mock_id: int, finished_at: datetime, elapsed_seconds: float, essay_text: str,
                    essay_attempt_id: int | None, essay_statuses: tuple[str, ...] | None) -> None: ...
    def mocks(self) -> list[MockExam]: ...
    def mock(self, mock_id: int) -> MockExam | None: ...
    def start_dump(self, deck_id: str, facet: str | None, minutes: int, started_at: datetime) -> int: ...
    def save_dump(self, dump_id: int, text: str, seconds: float) -> None: ...
    def finish_dump(self, dump_id: int, text: str, seconds: float, finished_at: datetime,
                    cards: dict[str, tuple[bool, int | None]], claims: dict[str, str]) -> None: ...
    def dumps(self) -> list[BrainDump]: ...


class ExamRehearsal:
    """Mock exams and brain dumps for one StudyService; the store is made on first use, from `make_store`."""

    mock_questions = mock_paper.SHORT_QUESTIONS  # short-answer questions on a paper (a test sets fewer)

    def __init__(self, service: StudyService, make_store: Callable[[], ExamStoreLike]) -> None:
        self.service = service
        self._make_store = make_store
        self._store: ExamStoreLike | None = None

    @property
    def exam_store(self) -> ExamStoreLike:
        if self._store is None:
            self._store = self._make_store()
        return self._store

    def _minutes_setting(self, key: str, default: int) -> int:
        value = self.service.setting(key)
        return int(value) if isinstance(value, (int, float)) else default

    @property
    def mock_minutes(self) -> int:
        return self._minutes_setting(MOCK_MINUTES_SETTING, mock_paper.DEFAULT_MINUTES)

    @property
    def dump_minutes(self) -> int:
        return self._minutes_setting(DUMP_MINUTES_SETTING, DEFAULT_DUMP_MINUTES)

    # --- mock exams -----------------------------------------------------------------------
    def exam_topics(self) -> list[str]:
        """The seven exam topics that are loaded; every loaded deck when none of them is (a test's decks)."""
        loaded = [d.id for d in self.service.decks.decks]
        topics = [t for t in mock_paper.EXAM_DECKS if t in loaded]
        return topics or loaded

    def assemble_paper(self, seed: int | None = None) -> mock_paper.Paper:
        """A new paper over the exam topics, weighted towards the weakest (see core.mock_paper)."""
        seed = random.SystemRandom().randrange(1 << 31) if seed is None else seed
        topics = self.exam_topics()
        strengths = {w.deck.deck_id: w.deck.strength for w in self.service.reports.weak_topics() if w.deck.studied}
        cards = {t: deck.cards for t in topics if (deck := self.service.decks.deck(t)) is not None}  # all loaded
        prompts = [p for p in self.service.essays.essay_prompts() if p.points]
        return mock_paper.assemble_paper(topics, cards, self.service.progress, strengths, prompts, self.service.clock(), self.service.curve,
                                         seed, self.mock_minutes, self.mock_questions)

    def start_mock(self, seed: int | None = None) -> MockExam:
        """Set a new paper and keep it (StorageError: nothing kept)."""
        paper = self.assemble_paper(seed)
        now = self.service.clock()
        with saving(self.service.data_dir):
            mock_id = self.exam_store.start_mock(paper, now)
        return MockExam(mock_id, paper, now, 0.0, "", ())

    def answer_mock(self, mock: MockExam, position: int, typed: str, duration_ms: int | None = None) -> MockExam:
        """Grade and save one short answer: a review of its card (rated as the grading suggests) and the
        mock's record of it, in one transaction. Raises StorageError, saving nothing."""
        key = mock.paper.questions[position]
        card = self.service.decks.card(*key)
        if card is None:  # left its deck since the paper was set: nothing to grade against
            return mock
        result = grade_typed_answer(card, typed)
        answer = MockAnswer(position, key, typed, result.similarity, mock_paper.question_mark(card, result))
        saved = self.service.record(card, result.suggested, mode="typed", typed=typed, similarity=result.similarity,
                            duration_ms=duration_ms, also=self.exam_store.answer_writer(mock.id, answer))
        self.service.answered(saved)
        return MockExam(mock.id, mock.paper, mock.started_at, mock.elapsed_seconds, mock.essay_text,
                        (*mock.answers, answer))

    def save_mock(self, mock: MockExam, elapsed_seconds: float, essay_text: str) -> None:
        """Keep the clock and the essay so far (every few seconds while the paper is sat)."""
        with saving(self.service.data_dir):
            self.exam_store.save_mock(mock.id, elapsed_seconds, essay_text)

    def hand_in(self, mock: MockExam, elapsed_seconds: float, essay_text: str) -> MockReport:
        """Mark the essay (kept as an essay attempt, which schedules its prompt) and close the sitting."""
        prompt = self.service.essays.essay_prompt(mock.paper.essay_prompt_id) if mock.paper.essay_prompt_id else None
        attempt_id = None
        statuses: tuple[str, ...] | None = None
        if prompt is not None:
            if essay_text.strip():
                score, attempt = self.service.essays.submit_essay(prompt, essay_text, elapsed_seconds, keep_draft=True)
                attempt_id, statuses = attempt.id, tuple(r.status for r in score.results)
            else:  # a blank answer earns nothing, and is no essay attempt
                statuses = tuple("missed" for _ in prompt.points)
        with saving(self.service.data_dir):
            self.exam_store.finish_mock(mock.id, self.service.clock(), elapsed_seconds, essay_text, attempt_id, statuses)
        kept = self.exam_store.mock(mock.id)
        assert kept is not None  # written just above
        return self.mock_report(kept)

    def mock_exams(self) -> list[MockExam]:
        return self.exam_store.mocks()

    def mock_report(self, mock: MockExam) -> MockReport:
        misses = []
        for position, key in enumerate(mock.paper.questions):
            answer = mock.answer_at(position)
            card = self.service.decks.card(*key)
            if card is not None and (answer is None or answer.mark < 1.0):
                misses.append(Miss(position, card, answer.typed if answer else None, answer.mark if answer else 0.0))
        prompt = self.service.essays.essay_prompt(mock.paper.essay_prompt_id) if mock.paper.essay_prompt_id else None
        points = tuple(zip(prompt.points, mock.essay_statuses)) if prompt and mock.essay_statuses else ()
        return MockReport(mock, mock.band(), tuple(misses), prompt, points)

    # --- brain dumps ----------------------------------------------------------------------
    def dump_topic(self, deck_id: str, facet: str | None) -> tuple[str, list[Card], list[Claim]]:
        """A topic's title, cards and claims."""
        deck = self.service.decks.deck(deck_id)
        if deck is None:
            return deck_id, [], []
        cards = [c for c in deck.cards if facet is None or c.facet == facet]
        claims = [c for c in deck.claims if facet is None or c.facet == facet]
        return deck.title + (f" · {facet}" if facet else ""), cards, claims

    def start_dump(self, deck_id: str, facet: str | None = None, minutes: int | None = None) -> BrainDump:
        """A brain dump on the topic: the unfinished one left there (its text and clock kept), if there is
        one with time left, else a new one."""
        for dump in self.exam_store.dumps():
            if (dump.deck_id, dump.facet) == (deck_id, facet) and dump.finished_at is None \
                    and dump.seconds < dump.minutes * 60:
                return dump
        minutes = minutes or self.dump_minutes
        now = self.service.clock()
        with saving(self.service.data_dir):
            dump_id = self.exam_store.start_dump(deck_id, facet, minutes, now)
        return BrainDump(dump_id, deck_id, facet, minutes, now, 0.0, "")

    def save_dump(self, dump: BrainDump, text: str, seconds: float) -> None:
        with saving(self.service.data_dir):
            self.exam_store.save_dump(dump.id, text, seconds)

    def finish_dump(self, dump: BrainDump, text: str, seconds: float) -> DumpResult:
        """Mark the text against every card (core.free_recall) and claim (the essay scorer) of the topic,
        and keep the verdicts."""
        title, cards, claims = self.dump_topic(dump.deck_id, dump.facet)
        deck = self.service.decks.deck(dump.deck_id)
        topic = free_recall.topic_words(deck.title, deck.name) if deck else frozenset()
        recalls = free_recall.recall_cards(cards, text, topic)
        claim_results: list[tuple[Claim, PointResult]] = []
        if claims and text.strip():
            prompt = EssayPrompt(f"dump/{dump.deck_id}/{dump.facet or ''}", title, (dump.deck_id,), dump.minutes,
                                 tuple(KeyPoint(c.text, c.source, tuple((dump.deck_id, k) for k in c.cards))
                                       for c in claims))
            score: OutlineScore = self.service.essays.score_essay(prompt, text)
            claim_results = list(zip(claims, score.results))
        # A card's verdict is its own answer's, never a claim's: the claims are shown beside the cards.
        verdicts = {card.id: (recall.recalled, recall.line)
                    for card, recall in zip(cards, recalls)}
        claim_statuses = {claim.id: r.status for claim, r in claim_results}
        now = self.service.clock()
        with saving(self.service.data_dir):
            self.exam_store.finish_dump(dump.id, text, seconds, now, verdicts, claim_statuses)
        kept = BrainDump(dump.id, dump.deck_id, dump.facet, dump.minutes, dump.started_at, seconds, text, now,
                         {k: v[0] for k, v in verdicts.items()}, claim_statuses)
        return DumpResult(kept, title, tuple(zip(cards, recalls)), tuple(claim_results))

    def free_recall_by_topic(self) -> dict[tuple[str, str | None], float]:
        """Per topic, the share of its cards recalled in the latest brain dump asking for each (weak topics)."""
        dumps = self.exam_store.dumps()
        if not dumps:
            return {}
        return free_recall.free_recall_by_topic(free_recall.latest_recall(dumps), self.service.layout.facet)

"""Essay practice, StudyService's collaborator `service.essays`: prompts, drafts, scoring and the prompts'
own schedule, over an essay store (studyapp.store.essays.EssayStore, or None where essays are not stored)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from studyapp.core import scheduling
from studyapp.core.essays import (
    ESSAY_DECK,
    Draft,
    EssayAttempt,
    EssayPrompt,
    OutlineScore,
    all_prompts,
    deck_lexicon,
    score_outline,
    score_to_rating,
)
from studyapp.core.grading import grade_typed_answer
from studyapp.core.marking import Lexicon
from studyapp.core.models import AnswerResult, Card, CardProgress
from studyapp.store.errors import saving

if TYPE_CHECKING:
    from studyapp.service import StudyService


class EssayStoreLike(Protocol):
    """What essay practice keeps (studyapp.store.essays.EssayStore)."""

    def save_draft(self, draft: Draft) -> None: ...
    def draft(self, prompt_id: str) -> Draft | None: ...
    def drafts(self) -> set[str]: ...
    def delete_draft(self, prompt_id: str) -> None: ...
    def record_attempt(self, attempt: EssayAttempt, score: OutlineScore, progress: CardProgress,
                       keep_draft: bool = False) -> int: ...
    def attempts(self, prompt_id: str | None = None) -> list[EssayAttempt]: ...
    def schedules(self) -> dict[str, tuple[CardProgress, float | None]]: ...


def shared_similarities():  # noqa: ANN201 - the model's Similarities callable
    from studyapp.meaning import shared_model

    return shared_model().similarities


@dataclass(frozen=True)
class EssayRow:
    """One line of the essay list."""

    prompt: EssayPrompt
    last_score: float | None
    due: datetime | None
    has_draft: bool
    attempts: int


class EssayPractice:
    """Essay practice for one StudyService: its decks, clock and scheduler, and the essay store."""

    def __init__(self, service: StudyService, store: EssayStoreLike | None) -> None:
        self.service = service
        self.store = store  # None where essays are not stored (some benchmarks)
        self._prompts: list[EssayPrompt] | None = None
        self._lexicon: Lexicon | None = None
        self.meaning_error: str | None = None

    def decks_changed(self) -> None:
        """The decks were read again: the prompts are made again on first use."""
        self._prompts = None

    @property
    def _store(self) -> EssayStoreLike:
        if self.store is None:
            raise RuntimeError("essays are not stored here")
        return self.store

    def essay_lexicon(self) -> Lexicon:
        """How rare each word is across the decks, and which words are names (the scorer's vocabulary)."""
        if self._lexicon is None:
            self._lexicon = deck_lexicon(self.service.decks.decks)
        return self._lexicon

    def load_meaning(self) -> bool:
        """Load the sentence-meaning model (about a second; the app calls this in a worker after its first
        frame). False, with the reason in `meaning_error`, where it cannot be loaded."""
        from studyapp.meaning import MeaningUnavailable, shared_model

        try:
            shared_model().load()
        except (MeaningUnavailable, OSError, RuntimeError) as exc:
            self.meaning_error = str(exc)
            return False
        self.essay_lexicon()
        return True

    def grade_typed(self, card: Card, typed: str) -> AnswerResult:
        """Grade a typed answer; by meaning too once the model is loaded (the review screen loads it in a
        worker when typing starts: a first answer never waits for it)."""
        from studyapp.meaning import shared_model

        model = shared_model()
        return grade_typed_answer(card, typed, model.similarities if model.loaded else None)

    def score_essay(self, prompt: EssayPrompt, text: str) -> OutlineScore:
        """Mark an outline by meaning, as studyapp.core.marking describes; on wording and facts alone if
        the model cannot be loaded."""
        similarities = shared_similarities() if self.meaning_error is None and self.load_meaning() else None
        return score_outline(prompt.points, text, self.essay_lexicon(), similarities)

    def essay_prompts(self) -> list[EssayPrompt]:
        """Authored prompts first, then generated ones; deterministic for the same decks."""
        if self._prompts is None:
            self._prompts = all_prompts(self.service.decks.decks)
        return self._prompts

    def essay_prompt(self, prompt_id: str) -> EssayPrompt | None:
        return next((p for p in self.essay_prompts() if p.id == prompt_id), None)

    def essay_rows(self) -> list[EssayRow]:
        schedules = self._store.schedules()
        drafts = self._store.drafts()
        counts: dict[str, int] = {}
        for attempt in self._store.attempts():
            counts[attempt.prompt_id] = counts.get(attempt.prompt_id, 0) + 1
        rows = []
        for prompt in self.essay_prompts():
            progress, score = schedules.get(prompt.id, (None, None))
            rows.append(EssayRow(prompt, score, progress.due if progress else None, prompt.id in drafts,
                                 counts.get(prompt.id, 0)))
        return rows

    def essays_due(self) -> int:
        """Prompts practised before whose next attempt is due by the end of the study day."""
        end = self.service.day_end(self.service.clock())
        due = [progress.card_id for progress, _ in self._store.schedules().values()
               if progress.due is not None and progress.due < end]
        if not due:
            return 0
        known = {p.id for p in self.essay_prompts()}  # a prompt no longer made from the decks is not counted
        return sum(1 for prompt_id in due if prompt_id in known)

    def save_draft(self, prompt_id: str, text: str, elapsed_seconds: float,
                   started_at: datetime | None = None) -> Draft:
        """Save the outline so far. Raises StorageError (the screen keeps the text) when it cannot be saved."""
        now = self.service.clock()
        with saving(self.service.data_dir):
            earlier = self._store.draft(prompt_id)
            draft = Draft(prompt_id, text, started_at or (earlier.started_at if earlier else now), now,
                          elapsed_seconds)
            self._store.save_draft(draft)
        return draft

    def draft(self, prompt_id: str) -> Draft | None:
        return self._store.draft(prompt_id)

    def discard_draft(self, prompt_id: str) -> None:
        with saving(self.service.data_dir):
            self._store.delete_draft(prompt_id)

    def submit_essay(self, prompt: EssayPrompt, text: str, seconds: float,
                     keep_draft: bool = False) -> tuple[OutlineScore, EssayAttempt]:
        """Score the outline, store the attempt and schedule the prompt's next practice: all of it, or
        (raising StorageError) none. The prompt's draft goes too, unless `keep_draft` (a mock exam's
        essay, written outside the essay screen, leaves a draft there alone)."""
        now = self.service.clock()
        score = self.score_essay(prompt, text)
        with saving(self.service.data_dir):  # StorageError: nothing stored; the screen keeps the outline
            before = self._store.schedules().get(prompt.id, (CardProgress(ESSAY_DECK, prompt.id), None))[0]
            after = scheduling.review(before, score_to_rating(score.share), now, self.service.scheduler, self.service.cap(now))
            attempt = EssayAttempt(prompt.id, now, seconds, text, score.share,
                                   tuple(r.status for r in score.results))
            attempt_id = self._store.record_attempt(attempt, score, after, keep_draft=keep_draft)
        return score, replace(attempt, id=attempt_id)

    def essay_attempts(self, prompt_id: str) -> list[EssayAttempt]:
        return self._store.attempts(prompt_id)

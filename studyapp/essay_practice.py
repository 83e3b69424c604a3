"""Essay practice, as part of StudyService: prompts, drafts, scoring and the prompts' own schedule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from studyapp.core import scheduling
from studyapp.core.essays import ESSAY_DECK, Draft, EssayAttempt, EssayPrompt, OutlineScore, all_prompts, deck_lexicon, \
    score_outline, score_to_rating
from studyapp.core.marking import Lexicon
from studyapp.core.models import CardProgress
from studyapp.deck_files import DeckSet
from studyapp.store.errors import saving

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
    """Essay practice: prompts, drafts, scoring and the prompts' own schedule (StudyService inherits it)."""

    decks: DeckSet
    essays: object  # an EssayStore
    clock: Callable[[], datetime]
    data_dir: Path | None  # for the words of a StorageError
    _prompts: list[EssayPrompt] | None
    _lexicon: Lexicon | None = None

    def essay_lexicon(self) -> Lexicon:
        """How rare each word is across the decks, and which words are names (the scorer's vocabulary)."""
        if self._lexicon is None:
            self._lexicon = deck_lexicon(self.decks.decks)
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

    meaning_error: str | None = None

    def score_essay(self, prompt: EssayPrompt, text: str) -> OutlineScore:
        """Mark an outline by meaning, as studyapp.core.marking describes; on wording and facts alone if
        the model cannot be loaded."""
        similarities = shared_similarities() if self.meaning_error is None and self.load_meaning() else None
        return score_outline(prompt.points, text, self.essay_lexicon(), similarities)

    def essay_prompts(self) -> list[EssayPrompt]:
        """Authored prompts first, then generated ones; deterministic for the same decks."""
        if self._prompts is None:
            self._prompts = all_prompts(self.decks.decks)
        return self._prompts

    def essay_prompt(self, prompt_id: str) -> EssayPrompt | None:
        return next((p for p in self.essay_prompts() if p.id == prompt_id), None)

    def essay_rows(self) -> list[EssayRow]:
        schedules = self.essays.schedules()
        drafts = self.essays.drafts()
        counts: dict[str, int] = {}
        for attempt in self.essays.attempts():
            counts[attempt.prompt_id] = counts.get(attempt.prompt_id, 0) + 1
        rows = []
        for prompt in self.essay_prompts():
            progress, score = schedules.get(prompt.id, (None, None))
            rows.append(EssayRow(prompt, score, progress.due if progress else None, prompt.id in drafts,
                                 counts.get(prompt.id, 0)))
        return rows

    def essays_due(self) -> int:
        """Prompts practised before whose next attempt is due by the end of the study day."""
        end = self.day_end(self.clock())
        due = [progress.card_id for progress, _ in self.essays.schedules().values()
               if progress.due is not None and progress.due < end]
        if not due:
            return 0
        known = {p.id for p in self.essay_prompts()}  # a prompt no longer made from the decks is not counted
        return sum(1 for prompt_id in due if prompt_id in known)

    def save_draft(self, prompt_id: str, text: str, elapsed_seconds: float,
                   started_at: datetime | None = None) -> Draft:
        """Save the outline so far. Raises StorageError (the screen keeps the text) when it cannot be saved."""
        now = self.clock()
        with saving(self.data_dir):
            earlier = self.essays.draft(prompt_id)
            draft = Draft(prompt_id, text, started_at or (earlier.started_at if earlier else now), now,
                          elapsed_seconds)
            self.essays.save_draft(draft)
        return draft

    def draft(self, prompt_id: str) -> Draft | None:
        return self.essays.draft(prompt_id)

    def discard_draft(self, prompt_id: str) -> None:
        with saving(self.data_dir):
            self.essays.delete_draft(prompt_id)

    def submit_essay(self, prompt: EssayPrompt, text: str, seconds: float,
                     keep_draft: bool = False) -> tuple[OutlineScore, EssayAttempt]:
        """Score the outline, store the attempt and schedule the prompt's next practice: all of it, or
        (raising StorageError) none. The prompt's draft goes too, unless `keep_draft` (a mock exam's
        essay, written outside the essay screen, leaves a draft there alone)."""
        now = self.clock()
        score = self.score_essay(prompt, text)
        with saving(self.data_dir):  # StorageError: nothing stored; the screen keeps the outline
            before = self.essays.schedules().get(prompt.id, (CardProgress(ESSAY_DECK, prompt.id), None))[0]
            after = scheduling.review(before, score_to_rating(score.share), now, self.scheduler, self.cap(now))
            attempt = EssayAttempt(prompt.id, now, seconds, text, score.share,
                                   tuple(r.status for r in score.results))
            attempt_id = self.essays.record_attempt(attempt, score, after, keep_draft=keep_draft)
        return score, replace(attempt, id=attempt_id)

    def essay_attempts(self, prompt_id: str) -> list[EssayAttempt]:
        return self.essays.attempts(prompt_id)

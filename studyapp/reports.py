"""What the statistics, weak-topics and home screens report, StudyService's collaborator `service.reports`:
leeches, weak topics (with essay coverage and brain dumps), the exam outlook and the statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from studyapp.core import scheduling, stats
from studyapp.core.models import Card, CardProgress

if TYPE_CHECKING:
    from studyapp.service import StudyService


class Reports:
    def __init__(self, service: StudyService) -> None:
        self.service = service

    def leeches(self) -> list[tuple[Card, CardProgress]]:
        return stats.leeches(self.service.decks.decks, self.service.progress)

    def essay_coverage_by_topic(self) -> dict[stats.TopicKey, float]:
        """The latest essay coverage (0..1) of each topic's prompts, keyed (deck id, facet or None).

        Empty until an essay has been submitted: the weak-topics screen then shows "-" in its
        Essays column and leaves coverage out of the ranking.
        """
        if self.service.essays.store is None:
            return {}
        latest: dict[str, tuple[datetime, tuple[str, ...]]] = {}
        for attempt in self.service.essays.store.attempts():
            seen = latest.get(attempt.prompt_id)
            if seen is None or attempt.submitted_at >= seen[0]:
                latest[attempt.prompt_id] = (attempt.submitted_at, attempt.statuses)
        if not latest:
            return {}
        return stats.essay_coverage(
            self.service.essays.essay_prompts(), {k: v[1] for k, v in latest.items()}, self.service.layout.facet
        )

    def weak_topics(self) -> list[stats.WeakDeck]:
        now = self.service.clock()
        since = self.service.study_day(now) - timedelta(days=stats.RECENT_DAYS - 1)
        return stats.weak_topics(
            self.service.decks.decks,
            self.service.progress,
            self.service.repo.topic_tallies(since),
            now,
            self.service.curve,
            self.essay_coverage_by_topic(),
            self.service.layout,
            self.service.exams.free_recall_by_topic(),
        )

    def exam_outlook(self) -> ExamOutlook | None:
        """Days left and the share of cards recalled on the day if study stopped now; None without a date."""
        exam = self.service.settings.exam_date
        if exam is None:
            return None
        now = self.service.clock()
        days_left = scheduling.exam_days_left(exam, self.service.study_day(now))
        if days_left is None:
            return ExamOutlook(exam, None, None, 0)
        at = scheduling.exam_day_start(exam, self.service.settings.day_start_hour, now.astimezone().tzinfo)
        keys = [
            (deck_id, card_id) for deck_id, in_deck in self.service.layout.card_facets.items() for card_id in in_deck
        ]
        return ExamOutlook(
            exam,
            days_left,
            stats.predicted_recall(keys, self.service.progress, max(at, now), self.service.curve),
            len(keys),
        )

    def statistics(self) -> Statistics:
        now = self.service.clock()
        today = self.service.study_day(now)
        first = today - timedelta(days=max(stats.HEAT_MAP_DAYS, stats.RECALL_WEEKS * 7 + 6))
        tallies = self.service.repo.day_tallies(first)
        recent = [t for t in tallies if t.day > today - timedelta(days=stats.RECENT_DAYS)]
        return Statistics(
            today=today,
            per_day=stats.answers_per_day(tallies, today),
            forecast=stats.due_forecast(self.service.progress.values(), self.service.day_start(now)),
            weekly=stats.recall_by_week(tallies, today),
            maturity=stats.maturity(self.service.decks.decks, self.service.progress, self.service.layout),
            recall_30d=stats.recall_of(recent),
            answers_30d=sum(t.reviews for t in recent),
        )


@dataclass(frozen=True)
class ExamOutlook:
    exam_date: date
    days_left: int | None  # None once the exam has passed
    predicted_recall: float | None  # mean retrievability on the exam day, new cards counting 0
    cards: int


@dataclass(frozen=True)
class Statistics:
    """Everything the statistics screen and `studyapp stats --json` show."""

    today: date
    per_day: list[tuple[date, int]]  # answers per study day, the last six months
    forecast: list[int]  # cards due on each of the next 30 days (today includes overdue)
    weekly: list[stats.WeekRecall]
    maturity: list[stats.DeckMaturity]
    recall_30d: float | None
    answers_30d: int

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "reviews_per_day": [{"day": d.isoformat(), "reviews": n} for d, n in self.per_day],
            "due_next_30_days": [
                {"day": (self.today + timedelta(days=i)).isoformat(), "due": n} for i, n in enumerate(self.forecast)
            ],
            "recall_by_week": [
                {"week": w.start.isoformat(), "reviews": w.reviews, "recall": w.recall} for w in self.weekly
            ],
            "maturity": [{"id": m.deck_id, "mature": m.mature, "young": m.young, "new": m.new} for m in self.maturity],
        }

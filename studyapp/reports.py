"""What the statistics, weak-topics and home screens report, StudyService's collaborator `service.reports`:
leeches, weak topics (with essay coverage and brain dumps), the exam outlook and the statistics."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from studyapp.core import stats
from studyapp.core.models import Card, CardProgress
from studyapp.core.stats import ExamOutlook, Statistics

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
        service = self.service
        return stats.exam_outlook(service.settings, service.clock(), service.layout, service.progress, service.curve)

    def statistics(self) -> Statistics:
        service = self.service
        now = service.clock()
        first = stats.first_charted_day(service.study_day(now))
        return stats.statistics(
            service.repo.day_tallies(first),
            service.progress,
            service.decks.decks,
            service.layout,
            now,
            service.settings.day_start_hour,
        )

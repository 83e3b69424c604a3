"""The exam-day plan and the course coverage map for the service (the maths is in core.planning and
core.coverage)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from studyapp.core import scheduling
from studyapp.core.coverage import DocumentCoverage, Stretch, coverage_map, weakest_stretch
from studyapp.core.planning import DayPlan, day_plan, seconds_per_answer

if TYPE_CHECKING:
    from studyapp.service import StudyService
    from studyapp.session import Session

CardKey = tuple[str, str]


class Planner:
    def __init__(self, service: StudyService):
        self.service = service

    def exam_at(self, now: datetime) -> datetime | None:
        """When the exam's study day starts, while it is still ahead; None without an exam date."""
        return self.service.cap(now)

    def plan(self) -> DayPlan | None:
        """Today's plan, with what is left of today's budget; None without an exam date and a budget."""
        service = self.service
        settings = service.settings
        now = service.clock()
        exam_at = self.exam_at(now)
        if exam_at is None or not settings.daily_minutes:
            return None
        pace = seconds_per_answer(service.repo.recent_durations())
        spent = service.repo.seconds_spent_since(service.day_start(now)) / 60
        return day_plan(service.layout.card_facets, service.progress, now, exam_at, service.scheduler.parameters,
                        max(0.0, settings.daily_minutes - spent), pace)

    def start_plan_session(self, deck_ids: Sequence[str]) -> Session | None:
        """Today's planned cards of these decks, most gain per minute first; None without a plan."""
        from studyapp.session import Session

        plan = self.plan()
        if plan is None:
            return None
        wanted = set(deck_ids)
        queue = scheduling.ordered_queue(k for k in plan.keys if k[0] in wanted)
        return Session(self.service, tuple(deck_ids), queue, queue.remaining(), title="Exam-day plan")


class Coverage:
    def __init__(self, service: StudyService):
        self.service = service

    def documents(self) -> list[DocumentCoverage]:
        service = self.service
        return coverage_map((c for d in service.decks.decks for c in d.cards), service.progress, service.clock(),
                            service.curve)

    @staticmethod
    def weakest(documents: Sequence[DocumentCoverage]) -> tuple[str, Stretch] | None:
        return weakest_stretch(documents)

    def start_stretch_drill(self, stretch: Stretch, title: str) -> Session:
        """The cards citing the stretch, weakest first (answers count as reviews)."""
        service = self.service
        cards = [card for key in stretch.cards if (card := service.decks.card(*key)) is not None]
        session = service.sessions.drill(scheduling.drill_order(cards, service.progress, service.clock(), service.curve))
        session.title = title
        return session

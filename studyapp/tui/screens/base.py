"""The base every studyapp screen builds on: the app typed as StudyApp, and its service.

Screens other than home open only once the service is ready (the router checks), so `service` is never
None for them; the home screen, which shows before the service opens, reads `self.app.service` instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from studyapp.service import StudyService
    from studyapp.tui.app import StudyApp

ResultType = TypeVar("ResultType")


def ready_service(app: StudyApp) -> StudyService:
    service = app.service
    if service is None:  # a screen opened around the router: a bug, not something a student can cause
        raise RuntimeError("a study screen was opened before the study data was ready")
    return service


class StudyScreen(Screen[ResultType]):
    """A full screen of studyapp's."""

    if TYPE_CHECKING:  # Textual's typed app getter, for the type checker only (StudyApp imports the screens)
        app = getters.app(StudyApp)

    @property
    def service(self) -> StudyService:
        return ready_service(self.app)


class StudyModal(ModalScreen[ResultType]):
    """A dialog over another of studyapp's screens."""

    if TYPE_CHECKING:  # Textual's typed app getter, for the type checker only (StudyApp imports the screens)
        app = getters.app(StudyApp)

    @property
    def service(self) -> StudyService:
        return ready_service(self.app)

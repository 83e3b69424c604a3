"""Screenshots of the mock exam and brain dump screens at 80x24 (issue 15), on the mini deck.

Update after an intended change with: python3 tasks.py test tests/tui/test_exam_snapshots.py --snapshot-update
The clocks on the paper and the brain dump are stopped at 1:15 in, so the timer reads the same on any machine.
"""

from __future__ import annotations

from studyapp.tui.app import StudyApp
from tests.tui.test_snapshots import rows, settled


def _sat(service):  # noqa: ANN001, ANN202 - a mock paper handed in: one right, one wrong, one skipped
    mock = service.exams.start_mock(seed=1)
    first, second, _ = (service.decks.card(*key) for key in mock.paper.questions)
    mock = service.exams.answer_mock(mock, 0, first.answers[0] if first.answers else ", ".join(first.items))
    mock = service.exams.answer_mock(mock, 1, "1954" if second.answers else "Poland, Hungary")
    return service.exams.hand_in(mock, 1534.0, "NATO came first, in 1949\nThe Warsaw Pact was founded in 1955")


def _stopped_clock(screen) -> bool:  # noqa: ANN001
    screen.monotonic = lambda: screen.started + 75
    screen._tick()
    return True


def test_mock_list(snap_compare, service) -> None:
    _sat(service)
    assert snap_compare(StudyApp(service), terminal_size=(80, 24),
                        run_before=settled("m", screen="MockListScreen", ready=rows("#mocks-table")))


def test_mock_question(snap_compare, service) -> None:
    ready = settled("m", "n", screen="MockExamScreen", ready=lambda s: s.query("#mock-answer") and _stopped_clock(s))
    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=ready)


def test_mock_post_mortem(snap_compare, service) -> None:
    from studyapp.tui.screens.mock_result import MockResultScreen

    report = _sat(service)
    then = settled(screen="MockResultScreen", ready=lambda s: s.query(".mock-miss"))

    async def show(pilot) -> None:  # noqa: ANN001
        await pilot.app.push_screen(MockResultScreen(report))
        await then(pilot)

    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=show)


def test_brain_dump(snap_compare, service) -> None:
    async def show(pilot) -> None:  # noqa: ANN001
        pilot.app.brain_dump("mini")
        await settled(*"Warsaw Pact founded 1955", screen="BrainDumpScreen",
                      ready=lambda s: s.query("#dump-text") and _stopped_clock(s))(pilot)

    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=show)


def test_brain_dump_result(snap_compare, service) -> None:
    from studyapp.tui.screens.brain_dump_result import BrainDumpResultScreen

    result = service.exams.finish_dump(service.exams.start_dump("mini"), "Warsaw Pact founded 1955\nNATO signed 1950", 412.0)
    then = settled(screen="BrainDumpResultScreen", ready=lambda s: s.query(".dump-item"))

    async def show(pilot) -> None:  # noqa: ANN001
        await pilot.app.push_screen(BrainDumpResultScreen(result))
        await then(pilot)

    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=show)

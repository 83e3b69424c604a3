"""Screenshots of the main screens at 80x24, so a layout cannot break silently.

Update after an intended change with: python3 tasks.py test tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from studyapp.tui.app import StudyApp


def test_home(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24))


def test_review_front(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), press=["enter"], terminal_size=(80, 24))


def test_review_back_with_intervals(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), press=["enter", "space"], terminal_size=(80, 24))


def test_review_typed_wrong_year(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), press=["enter", "t", "1", "9", "5", "4", "enter"],
                        terminal_size=(80, 24))


def test_essay_list(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), press=["e"], terminal_size=(80, 24))


def test_essay_result(snap_compare, service, clock) -> None:
    from studyapp.core.essays import EssayAttempt, score_outline
    from studyapp.tui.screens.essay_result import EssayResultScreen

    prompt = service.essay_prompt("mini/compare")
    outline = "The Warsaw Pact was founded in 1955"
    score = score_outline(prompt.points, outline)
    attempt = EssayAttempt(prompt.id, clock(), 312.0, outline, score.share, ())

    async def show(pilot) -> None:  # noqa: ANN001
        await pilot.app.push_screen(EssayResultScreen(prompt, score, attempt))

    assert snap_compare(StudyApp(service), run_before=show, terminal_size=(80, 24))

"""Screenshots of the main screens at 80x24 (and the wide layouts at 160x48), so a layout cannot break silently.

Update after an intended change with: python3 tasks.py test tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from studyapp.tui.app import StudyApp


async def settle(pilot) -> None:  # noqa: ANN001 - the home screen's footer joins a frame after the first
    await pilot.pause()
    await pilot.pause()


def test_home(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=settle)


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
    from studyapp.core.essays import EssayAttempt
    from studyapp.tui.screens.essay_result import EssayResultScreen

    prompt = service.essay_prompt("mini/compare")
    outline = "The Warsaw Pact was founded in 1955"
    score = service.score_essay(prompt, outline)
    attempt = EssayAttempt(prompt.id, clock(), 312.0, outline, score.share, ())

    async def show(pilot) -> None:  # noqa: ANN001
        await pilot.app.push_screen(EssayResultScreen(prompt, score, attempt))

    assert snap_compare(StudyApp(service), run_before=show, terminal_size=(80, 24))


def _answered(service):  # noqa: ANN001, ANN202 - three answers, so the screens have something to show
    from studyapp.core.models import Rating

    session = service.start_session(["mini"])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.next_card()
        session.answer(rating)
    return service


def test_weak_topics(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), press=["w"], terminal_size=(80, 24))


def test_weak_topics_160x48(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), press=["w"], terminal_size=(160, 48))


def test_statistics_80x24(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), press=["s"], terminal_size=(80, 24))


def test_statistics_160x48(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), press=["s"], terminal_size=(160, 48))


def test_browse_search(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), press=["b", *"warsaw"], terminal_size=(80, 24))


def test_browse_search_160x48(snap_compare, service) -> None:
    assert snap_compare(StudyApp(_answered(service)), press=["b", *"warsaw", "down", "down"],
                        terminal_size=(160, 48))


def test_settings(snap_compare, service) -> None:
    assert snap_compare(StudyApp(service), press=["comma"], terminal_size=(80, 24))


def test_database_problem(snap_compare, service, tmp_path) -> None:
    import os
    from datetime import datetime
    from pathlib import Path

    from studyapp.store.files import Contents, DatabaseProblem
    from studyapp.tui.screens.database_problem import DatabaseProblemScreen

    backup = tmp_path / "daily-2026-03-01.db"
    backup.write_bytes(b"")
    stamp = datetime(2026, 3, 1, 9, 30).timestamp()
    os.utime(backup, (stamp, stamp))
    db = Path("/home/student/.local/share/studyapp/studyapp.db")
    message = f"Your study database {db} is cut short: it should be 163,840 bytes but is 122,880."

    async def show(pilot) -> None:  # noqa: ANN001
        # What each side holds is read off the UI thread in the app; given here, as the screen only shows it.
        current, saved = Contents(235, datetime(2026, 3, 2, 14, 5)), Contents(212, datetime(2026, 3, 1, 21, 40))
        pilot.app.push_screen(DatabaseProblemScreen(DatabaseProblem(db, message, backup), current, saved))
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(StudyApp(service), terminal_size=(80, 24), run_before=show)

"""Screenshots of the main screens at 80x24, so a layout cannot break silently.

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

"""Two copies of the app on one data folder, answering at the same time."""

from __future__ import annotations

from pathlib import Path

from tests.durability.harness import check_database, parse, start, write_deck

ANSWERS = 25


def test_two_apps_answering_at_once_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # Each copy studies its own deck, so each card's progress can be checked against the log.
    procs = [start(data, write_deck(tmp_path / f"decks{i}", deck_id=f"deck{i}"), seed=i, max_answers=ANSWERS)
             for i in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    saved = []
    for proc, (out, err) in zip(procs, outputs):
        text, errors = out.decode(), err.decode()
        assert proc.returncode == 0, errors[-3000:]
        assert "locked" not in text + errors and "unsaved" not in text and "error" not in text
        assert "done" in text
        saved += parse(text.splitlines())
    assert len(saved) == 2 * ANSWERS
    assert {s.deck_id for s in saved} == {"deck0", "deck1"}
    assert check_database(data / "studyapp.db", saved) == []

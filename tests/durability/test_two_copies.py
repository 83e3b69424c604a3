"""Two copies of the app (real processes) on one data folder, answering at the same time."""

from __future__ import annotations

import time
from pathlib import Path

from tests.durability.harness import check_database, parse, start, write_deck
from tests.durability.replay import introduced_per_day, replay_problems

ANSWERS = 25


def test_two_apps_answering_at_once_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # Each copy studies its own deck.
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


NEW_PER_DAY = 12


def test_two_apps_on_the_same_deck_both_count_keep_the_allowance_and_undo_only_their_own(tmp_path: Path) -> None:
    data, go = tmp_path / "data", tmp_path / "go"
    decks = write_deck(tmp_path / "decks", deck_id="same", cards=40)
    procs = [start(data, decks, seed=10 + i, max_answers=40, new_per_day=NEW_PER_DAY, undo_share=0.15, go_file=go)
             for i in range(2)]
    deadline = time.monotonic() + 120
    while not data.joinpath("studyapp.db").exists():  # both open (and one makes) the database, then start together
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "the copies did not start"
        time.sleep(0.05)
    go.touch()
    outputs = [p.communicate(timeout=180) for p in procs]
    saved_by = []
    for proc, (out, err) in zip(procs, outputs):
        text, errors = out.decode(), err.decode()
        assert proc.returncode == 0, errors[-3000:]
        assert "unsaved" not in text and "error" not in text and "Traceback" not in errors, text[-2000:] + errors[-2000:]
        assert "done" in text
        saved_by.append(parse(text.splitlines()))
    db = data / "studyapp.db"
    saved = saved_by[0] + saved_by[1]
    assert check_database(db, saved) == [], "every answer shown as saved (and not undone) is in the log"
    assert replay_problems(db) == [], "each card's progress is the replay of its log: both copies' answers count"
    keys = [{(s.deck_id, s.card_id) for s in mine} for mine in saved_by]
    assert keys[0] & keys[1], "the two copies answered some of the same cards"
    # A fresh database: every first answer in it was today's (unless the run crossed 04:00)
    assert sum(introduced_per_day(db, 0).values()) <= NEW_PER_DAY, "one allowance for both copies"


def _count_in_another_process(db: Path) -> int:
    """Open the database in a separate process (another copy of the app), count the log, close it."""
    import subprocess
    import sys

    code = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM review_log')" \
           ".fetchone()[0]); c.close()"
    return int(subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                              check=True).stdout)


def test_the_daily_backup_does_not_let_another_copy_delete_the_journal_this_one_writes_to(service) -> None:
    """The daily backup used to read the database's header with a plain open() and close(): closing
    it dropped this process's locks on the file, so another copy closing its last connection deleted
    the write-ahead log under this one, and its later answers were lost."""
    from studyapp import paths
    from studyapp.core.models import Rating

    db = paths.database_path(service.data_dir)
    session = service.sessions.today(["mini"])
    session.next_card()
    session.answer(Rating.GOOD)
    assert service.daily_backup() is not None  # the first start of the study day: a backup is made
    assert _count_in_another_process(db) == 1  # another copy opens the database and closes it
    assert Path(f"{db}-wal").exists(), "the live write-ahead log is still there"
    session.next_card()
    session.answer(Rating.GOOD)
    assert _count_in_another_process(db) == 2, "this copy's next answer is where every copy sees it"

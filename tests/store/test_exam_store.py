"""Mock exams and brain dumps on a real SQLite file: kept, reopened, and a version-3 database upgraded to hold them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studyapp.core.models import Rating
from studyapp.service import StorageError, StudyService
from studyapp.store.migrations import SCHEMA_VERSION, STEPS


def test_an_unfinished_mock_is_kept_and_goes_on_where_it_stopped(data_dir: Path, clock) -> None:
    service = StudyService.open(data_dir, clock=clock)
    service.exams.mock_questions = 4
    mock = service.exams.start_mock(seed=3)
    card = service.decks.card(*mock.paper.questions[0])
    mock = service.exams.answer_mock(mock, 0, card.answers[0] if card.answers else ", ".join(card.items), 4000)
    service.exams.save_mock(mock, 312.5, "Half an outline")
    service.repo.engine.dispose()

    reopened = StudyService.open(data_dir, clock=clock).exams.mock_exams()
    assert len(reopened) == 1
    kept = reopened[0]
    assert not kept.finished and kept.paper == mock.paper
    assert kept.elapsed_seconds == 312.5 and kept.essay_text == "Half an outline"
    assert kept.next_question() == 1 and kept.answers[0].mark == 1.0


def test_handing_in_a_mock_leaves_a_draft_of_the_same_prompt_alone(data_dir: Path, clock) -> None:
    service = StudyService.open(data_dir, clock=clock)
    service.exams.mock_questions = 1
    mock = service.exams.start_mock(seed=5)
    prompt_id = mock.paper.essay_prompt_id
    service.essays.save_draft(prompt_id, "My essay-practice draft", 60.0)
    report = service.exams.hand_in(mock, 600.0, "An outline written in the mock")
    assert report.mock.finished and report.mock.essay_attempt_id is not None
    assert service.essays.draft(prompt_id).text == "My essay-practice draft"
    assert [a.text for a in service.essays.essay_attempts(prompt_id)] == ["An outline written in the mock"]


def test_a_short_answer_and_its_mock_record_are_one_transaction(data_dir: Path, clock) -> None:
    service = StudyService.open(data_dir, clock=clock)
    service.exams.mock_questions = 2
    mock = service.exams.start_mock(seed=1)
    service.exams.answer_mock(mock, 0, "anything")
    with pytest.raises(StorageError):  # the same question twice breaks mock_answer's key: nothing is saved
        service.exams.answer_mock(mock, 0, "again")
    con = sqlite3.connect(data_dir / "studyapp.db")
    assert con.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM mock_answer").fetchone()[0] == 1
    con.close()
    assert service.repo.reviews()[0].rating is Rating.AGAIN  # a wrong answer is rated Again, as when typing


def test_a_version_three_database_upgrades_and_keeps_its_history(tmp_path: Path, clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "studyapp.db"
    con = sqlite3.connect(db)
    for step in STEPS[:3]:  # the schema as it was before issue 15
        for statement in step:
            con.execute(statement)
    con.execute("PRAGMA user_version=3")
    con.execute("INSERT INTO card_progress (deck_id, card_id, state, stability, difficulty, due, last_review, reps) "
                "VALUES ('warsaw_pact', 'founded-1955', 2, 12.0, 5.0, 1772500000, 1771500000, 3)")
    con.execute("INSERT INTO setting (key, value) VALUES ('tallies_filled', 'true')")
    con.commit()
    con.close()

    service = StudyService.open(data, clock=clock)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"mock_exam", "mock_answer", "brain_dump"} <= {r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert service.progress[("warsaw_pact", "founded-1955")].stability == 12.0
    known = next(card for card in service.decks.deck("warsaw_pact").cards if card.answers)
    service.exams.finish_dump(service.exams.start_dump("warsaw_pact"), f"{known.front} {known.answers[0]}", 60)
    assert service.exams.exam_store.dumps()[0].cards[known.id] is True


def test_a_brain_dump_left_unfinished_goes_on_where_it_stopped(data_dir: Path, clock) -> None:
    service = StudyService.open(data_dir, clock=clock)
    dump = service.exams.start_dump("warsaw_pact", "origins", minutes=5)
    service.exams.save_dump(dump, "Founded 1955", 90.0)
    again = service.exams.start_dump("warsaw_pact", "origins")
    assert again.id == dump.id and again.text == "Founded 1955" and again.seconds == 90.0
    assert service.exams.start_dump("warsaw_pact").id != dump.id  # another topic: a new one
    service.exams.finish_dump(again, again.text, 120.0)
    assert service.exams.start_dump("warsaw_pact", "origins").id not in (dump.id,)

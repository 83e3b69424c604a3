"""The service over a real database: the exam date over the whole database, tallies kept with each answer,
leeches, drills and practice, and `studyapp exam` / `stats --json`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from studyapp import paths
from studyapp.core.models import CardProgress, LearnState, Rating
from studyapp.core.stats import tallies_from_reviews
from studyapp.service import StudyService
from tests.cli_run import run_cli as run


def answer_all(service: StudyService, ratings: list[Rating]) -> None:
    session = service.sessions.today(["mini"])
    for rating in ratings:
        assert session.next_card() is not None
        session.answer(rating)


def test_with_the_exam_ten_days_ahead_no_card_in_the_database_is_due_after_it(service: StudyService, clock) -> None:
    now = clock()
    # Cards of every kind, many due long after the exam, some of decks no longer loaded.
    far = [CardProgress("gone", f"c{i}", LearnState.REVIEW, None, 300.0, 4.0, now + timedelta(days=30 + i),
                        now - timedelta(days=5), reps=4) for i in range(200)]
    near = [CardProgress("gone", f"n{i}", LearnState.REVIEW, None, 3.0, 4.0, now + timedelta(days=2),
                         now - timedelta(days=1), reps=2) for i in range(20)]
    service.repo.save_progress(far + near)
    answer_all(service, [Rating.EASY, Rating.EASY, Rating.GOOD])
    exam = service.study_day(now) + timedelta(days=10)

    moved = StudyService.open(service.data_dir, clock=clock).set_exam_date(exam)

    reopened = StudyService.open(service.data_dir, clock=clock)
    cap = reopened.cap(now)
    assert cap is not None and moved >= 200
    with sqlite3.connect(paths.database_path(service.data_dir)) as db:
        assert db.execute("SELECT COUNT(*) FROM card_progress").fetchone()[0] == 223
        assert db.execute("SELECT COUNT(*) FROM card_progress WHERE due > ?", (cap.timestamp(),)).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM card_progress WHERE due = ?", (cap.timestamp(),)).fetchone()[0] >= 200
        kept = db.execute("SELECT COUNT(*) FROM card_progress WHERE deck_id = 'gone' AND card_id LIKE 'n%' AND due < ?",
                          (cap.timestamp(),)).fetchone()[0]
    assert kept == 20, "cards due before the exam keep their dates"
    # ... and answers given from now on land before it too, however easy.
    clock.advance(days=1)
    reopened.repo.save_progress([replace(p, due=clock()) for p in reopened.progress.values()])  # due now
    reopened.sync_progress()  # a session checks each card against the database, so the change is made there
    session = reopened.sessions.today(["mini"])
    for _ in range(3):
        session.next_card()
        session.answer(Rating.EASY)
    assert reopened.repo.latest_due() <= cap
    outlook = reopened.reports.exam_outlook()
    assert outlook.days_left == 9 and 0 < outlook.predicted_recall < 1 and outlook.cards == 3


def test_after_the_exam_intervals_are_no_longer_capped(service: StudyService, clock) -> None:
    service.set_exam_date(service.study_day(clock()) + timedelta(days=2))
    clock.advance(days=5)
    answer_all(service, [Rating.EASY])
    [p] = [p for p in service.progress.values()]
    assert p.due - clock() > timedelta(days=3)
    assert service.reports.exam_outlook().days_left is None


def test_tallies_follow_every_answer_and_undo(service: StudyService, clock) -> None:
    session = service.sessions.today(["mini"])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.next_card()
        session.answer(rating)
        clock.advance(minutes=1)
    clock.advance(days=1)
    session = service.sessions.topic_drill("mini", practice=True)
    session.next_card()
    session.answer(Rating.AGAIN)
    session.next_card()
    session.answer(Rating.GOOD)
    session.undo()
    expected = tallies_from_reviews(service.repo.reviews(), service.study_day, service.facet_of)
    assert sorted(service.repo.tallies(), key=str) == sorted(expected, key=str)
    assert [(t.reviews, t.again, t.practice) for t in service.repo.day_tallies(date(2026, 1, 1))] == \
        [(3, 1, 0), (0, 0, 1)]
    stats = service.reports.statistics()
    assert stats.recall_30d == 2 / 3 and stats.answers_30d == 3
    assert stats.per_day[-1][1] == 1 and stats.per_day[-2][1] == 3


def test_an_old_database_has_its_log_tallied_once(service: StudyService, clock) -> None:
    answer_all(service, [Rating.AGAIN, Rating.GOOD])
    with sqlite3.connect(paths.database_path(service.data_dir)) as db:
        db.execute("DELETE FROM review_tally")
        db.execute("DELETE FROM review_day")
        db.execute("DELETE FROM setting WHERE key = 'tallies_filled'")
    reopened = StudyService.open(service.data_dir, clock=clock)
    assert [(t.reviews, t.again) for t in reopened.repo.day_tallies(date(2026, 1, 1))] == [(2, 1)]


def test_practice_leaves_the_schedule_alone_and_a_drill_does_not(service: StudyService, clock) -> None:
    answer_all(service, [Rating.EASY, Rating.EASY, Rating.EASY])
    before = dict(service.progress)
    practice = service.sessions.topic_drill("mini", "origins", practice=True)
    assert practice.total == 2
    practice.next_card()
    practice.answer(Rating.AGAIN)
    assert service.progress == before and service.repo.load_progress() == before
    assert service.repo.reviews()[-1].mode == "practice"
    drill = service.sessions.topic_drill("mini", "origins")
    card = drill.next_card()
    drill.answer(Rating.AGAIN)
    assert service.progress[card.key].lapses == 1
    assert service.repo.reviews()[-1].mode == "flip"


def test_a_leech_stays_out_of_sessions_until_reset(service: StudyService, clock) -> None:
    answer_all(service, [Rating.EASY, Rating.EASY, Rating.EASY])
    key = ("mini", "wp-founded")
    service.progress[key] = replace(service.progress[key], lapses=7, due=clock())
    service.repo.save_progress([service.progress[key]])
    clock.advance(days=30)
    session = service.sessions.today(["mini"])
    for _ in range(3):  # the three due cards, once each
        card = session.next_card()
        session.answer(Rating.AGAIN if card.key == key else Rating.GOOD)
    assert service.progress[key].leech and service.progress[key].lapses == 8
    reopened = StudyService.open(service.data_dir, clock=clock)
    assert [c.key for c, _ in reopened.reports.leeches()] == [key]
    clock.advance(days=60)
    assert key not in queued(reopened)
    reopened.reset_leech(reopened.decks.card(*key))
    assert key in queued(reopened)
    assert not StudyService.open(service.data_dir, clock=clock).progress[key].leech


def queued(service: StudyService) -> set[tuple[str, str]]:
    queue = service.sessions.today(["mini"]).queue
    return {k for _, _, k in queue.learning} | set(queue.reviews) | set(queue.new)


def test_exam_commands(mini_decks: Path, data_dir: Path) -> None:
    assert "No exam date set" in run("exam", "show", data_dir=data_dir).stdout
    bad = run("exam", "set", "31/05/2027", data_dir=data_dir)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    past = run("exam", "set", "2001-01-01", data_dir=data_dir)
    assert past.returncode == 2 and "has passed" in past.stderr
    future = (date.today() + timedelta(days=30)).isoformat()
    ok = run("exam", "set", future, "--decks", str(mini_decks), data_dir=data_dir)
    assert ok.returncode == 0, ok.stderr
    # Days are counted in study days (from 04:00 local), so before 04:00 today is still yesterday.
    assert any(f"Exam {future}: {n} days left" in ok.stdout for n in (29, 30, 31))
    assert future in run("exam", "show", data_dir=data_dir).stdout
    assert "cleared" in run("exam", "clear", data_dir=data_dir).stdout
    assert "No exam date set" in run("exam", "show", data_dir=data_dir).stdout


def test_stats_json_has_the_charts_numbers(mini_decks: Path, data_dir: Path) -> None:
    result = run("stats", "--json", "--decks", str(mini_decks), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["reviews_per_day"]) == 182 and len(report["due_next_30_days"]) == 30
    assert len(report["recall_by_week"]) == 26
    mini = next(m for m in report["maturity"] if m["id"] == "mini")
    assert (mini["mature"], mini["young"], mini["new"]) == (0, 0, 3)


def test_the_latest_essay_attempt_feeds_weak_topics(service: StudyService, clock) -> None:
    assert service.reports.essay_coverage_by_topic() == {}
    prompt = service.essays.essay_prompt("mini/compare")
    service.essays.submit_essay(prompt, "nothing relevant", 60.0)
    clock.advance(minutes=5)
    service.essays.submit_essay(prompt, "The Warsaw Pact was founded in 1955", 60.0)
    coverage = service.reports.essay_coverage_by_topic()
    assert coverage[("mini", "origins")] == 1.0 and coverage[("mini", None)] == 1.0
    [weak] = service.reports.weak_topics()
    assert weak.deck.essay_coverage == 1.0


def test_stats_read_without_the_service_match_the_service(service: StudyService, clock) -> None:
    """`studyapp stats` reads as the home screen does (no SQLAlchemy); what it reports is the service's."""
    from studyapp.cli_progress import service_stats
    from studyapp.overview import Opening

    session = service.sessions.today(["mini"])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.next_card()
        session.answer(rating)
    clock.advance(days=3)
    service.set_exam_date(date(2026, 3, 20))
    fast = Opening(service.data_dir, clock=clock).report()
    assert fast is not None, "a tallied database at the current schema is read directly"
    assert fast.to_json() == service_stats(service).to_json()
    assert fast.to_json()["exam"]["days_left"] == 15 and fast.reviews == 3

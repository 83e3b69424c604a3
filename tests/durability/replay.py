"""Replay a database's review log with the real fsrs Scheduler and compare with each card's stored progress.

Used by the two-copies tests and bench/soak_two_copies.py. Independent of studyapp's own
scheduling code on purpose: it drives `fsrs` directly from the log (rating and time of each
answer, in the order they were committed, which is log id order) and counts reps, lapses and
leeches itself. So a stale copy that overwrote another's progress, or an answer computed from
the wrong state, shows up as a card whose progress is not what its log replays to.

It does not model the exam-date cap or a leech reset (neither is in the log): it refuses a
database with an exam date, and a reset leech would show as a difference.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import fsrs

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
LEECH_LAPSES, LEECH_AGAIN_EVERY = 8, 4  # as Anki: the 8th lapse, then every 4th


@dataclass
class Replayed:
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: float | None = None
    last_review: float | None = None
    reps: int = 0
    lapses: int = 0
    last_rating: int | None = None
    leech: bool = False


def _when(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


def _step(card: Replayed, rating: int, at: float, scheduler: fsrs.Scheduler) -> Replayed:
    if card.state == NEW:
        before = fsrs.Card(card_id=1, due=_when(at))
    else:
        before = fsrs.Card(card_id=1, state=fsrs.State(card.state), step=card.step, stability=card.stability,
                           difficulty=card.difficulty, due=_when(card.due) if card.due is not None else _when(at),
                           last_review=_when(card.last_review) if card.last_review is not None else None)
    after, _ = scheduler.review_card(before, fsrs.Rating(rating), review_datetime=_when(at))
    lapsed = rating == 1 and card.state == REVIEW
    lapses = card.lapses + lapsed
    leech = card.leech or (lapsed and lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_AGAIN_EVERY == 0)
    return Replayed(int(after.state), after.step, after.stability, after.difficulty, after.due.timestamp(), at,
                    card.reps + 1, lapses, rating, leech)


def _close(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=tolerance)


def replay_problems(db: Path) -> list[str]:
    """Every card whose stored progress differs from the replay of its log, and every answer
    whose recorded state before it differs from the replay up to it. [] means they all agree."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        settings = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM setting")}
        if settings.get("exam_date"):
            raise ValueError("replay does not model the exam-date cap")
        scheduler = fsrs.Scheduler(desired_retention=float(settings.get("desired_retention", 0.9)),
                                   enable_fuzzing=False)
        log = con.execute("SELECT id, deck_id, card_id, rating, reviewed_at, state_before FROM review_log "
                          "WHERE mode != 'practice' ORDER BY id").fetchall()
        stored = {(r[0], r[1]): r[2:] for r in con.execute(
            "SELECT deck_id, card_id, state, step, stability, difficulty, due, last_review, reps, lapses, "
            "last_rating, leech FROM card_progress")}
    finally:
        con.close()
    problems: list[str] = []
    cards: dict[tuple[str, str], Replayed] = {}
    for log_id, deck_id, card_id, rating, at, state_before in log:
        key = (deck_id, card_id)
        card = cards.get(key, Replayed())
        recorded = json.loads(state_before)
        if (recorded["state"], recorded["reps"]) != (card.state, card.reps):
            problems.append(f"answer {log_id} to {key} was computed from state {recorded['state']} after "
                            f"{recorded['reps']} answers, but the log before it replays to state {card.state} "
                            f"after {card.reps}")
        cards[key] = _step(card, rating, at, scheduler)
    for key, card in cards.items():
        row = stored.get(key)
        if row is None:
            problems.append(f"{key} has {card.reps} answers in the log but no progress")
            continue
        state, step, stability, difficulty, due, last_review, reps, lapses, last_rating, leech = row
        same = (state == card.state and step == card.step and reps == card.reps and lapses == card.lapses
                and last_rating == card.last_rating and _close(stability, card.stability, 1e-9)
                and _close(difficulty, card.difficulty, 1e-9) and _close(due, card.due, 1e-3)
                and _close(last_review, card.last_review, 1e-3) and bool(leech) == card.leech)
        if not same:
            problems.append(f"{key}: stored progress {row} is not the replay of its {card.reps} answers: {card}")
    for key in stored.keys() - cards.keys():
        problems.append(f"{key} has progress but no answer in the log")
    return problems


def introduced_per_day(db: Path, day_start: float) -> dict[str, int]:
    """Per deck, the cards answered for the first time (state before: new) since `day_start` (a timestamp)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(con.execute(
            "SELECT deck_id, count(*) FROM review_log WHERE reviewed_at >= ? AND mode != 'practice' "
            "AND json_extract(state_before, '$.state') = 0 GROUP BY deck_id", (day_start,)).fetchall())
    finally:
        con.close()

"""Two StudyServices (two copies of the app) over one real SQLite file, on the same cards.

Each answer is computed from the card's progress in the database inside its own transaction,
so both copies' answers count; counts and today's new-card allowance come from the database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp import paths
from studyapp.core.models import LearnState, Rating
from studyapp.service import StudyService
from studyapp.writing import CannotUndo
from tests.durability.harness import write_deck
from tests.durability.replay import introduced_per_day, replay_problems


@pytest.fixture
def two(tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch) -> tuple[StudyService, StudyService]:
    decks = write_deck(tmp_path / "decks", deck_id="same", cards=12)
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: decks)
    data = tmp_path / "data"
    first = StudyService.open(data, clock=clock)
    first.update_settings(new_per_day=4)
    return first, StudyService.open(data, clock=clock)


def db(service: StudyService) -> Path:
    return paths.database_path(service.data_dir)


def test_both_copies_answering_the_same_card_both_count(two, clock) -> None:
    a, b = two
    sa, sb = a.sessions.today(["same"]), b.sessions.today(["same"])
    card = sa.next_card()
    assert sb.next_card() == card, "both copies show the first new card"
    sa.answer(Rating.GOOD)
    clock.advance(minutes=1)
    after_b = sb.answer(Rating.GOOD)  # b's memory still says the card is new: the database says otherwise
    assert after_b.reps == 2
    assert a.repo.progress(*card.key).reps == 2
    assert [r.rating for r in a.repo.reviews(*card.key)] == [Rating.GOOD, Rating.GOOD]
    assert introduced_per_day(db(a), a.day_start(clock()).timestamp()) == {"same": 1}
    assert replay_problems(db(a)) == []


def test_undo_takes_back_only_this_copys_answer_and_only_if_nothing_came_after(two, clock) -> None:
    a, b = two
    sa, sb = a.sessions.today(["same"]), b.sessions.today(["same"])
    card = sa.next_card()
    sb.next_card()
    sa.answer(Rating.GOOD)
    clock.advance(minutes=1)
    sb.answer(Rating.AGAIN)
    with pytest.raises(CannotUndo, match="answered again since"):
        sa.undo()  # would wipe out b's answer
    assert a.repo.progress(*card.key).reps == 2 and len(a.repo.reviews(*card.key)) == 2
    assert sa.done == 0, "the refused answer stays saved; u moves on to the one before"
    assert sb.undo() == card  # b's answer was the last: it goes, a's stays
    kept = a.repo.progress(*card.key)
    assert kept.reps == 1 and kept.last_rating == int(Rating.GOOD)
    assert replay_problems(db(a)) == []


def test_a_copy_skips_cards_the_other_copy_has_answered_since_its_queue_was_built(two, clock) -> None:
    a, b = two
    sb = b.sessions.today(["same"])  # queue: the first 4 new cards
    sa = a.sessions.today(["same"])
    for _ in range(4):
        sa.next_card()
        sa.answer(Rating.EASY)  # into review, due in days
    assert sb.next_card() is None, "b's four new cards were all studied in a; the allowance is spent"
    assert introduced_per_day(db(a), a.day_start(clock()).timestamp()) == {"same": 4}
    b.sync_progress()
    [summary] = b.summaries()
    assert (summary.new, summary.learned, summary.due) == (0, 4, 0)


def test_the_new_card_allowance_is_read_from_the_database_when_a_new_card_comes_up(two, clock) -> None:
    a, b = two
    sb = b.sessions.today(["same"])  # built while all 4 of today's new cards were left
    drill = a.sessions.drill([("same", f"c{i:04d}") for i in range(8, 12)])  # a drill introduces 4 other cards
    for _ in range(4):
        drill.next_card()
        drill.answer(Rating.GOOD)
    assert sb.next_card() is None, "today's allowance was used in the other copy"
    assert sum(introduced_per_day(db(a), a.day_start(clock()).timestamp()).values()) == 4


def test_a_learning_card_answered_in_the_other_copy_comes_back_when_due(two, clock) -> None:
    a, b = two
    b.update_settings(new_per_day=1)
    a.sync_progress()  # as the home screen does: settings and progress from the database
    sa, sb = a.sessions.today(["same"]), b.sessions.today(["same"])
    card = sb.next_card()
    assert sa.next_card() == card
    sa.answer(Rating.AGAIN)  # due again in a minute, in a's queue
    progress = a.repo.progress(*card.key)
    assert progress.state is LearnState.LEARNING
    clock.advance(minutes=2)
    sb.answer(Rating.GOOD)
    assert b.repo.progress(*card.key).reps == 2
    assert sa.next_card() == card, "due now in a's queue, so it shows; its answer counts from the database state"
    assert sa.answer(Rating.GOOD).reps == 3
    assert replay_problems(db(a)) == []

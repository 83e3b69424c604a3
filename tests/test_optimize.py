"""`studyapp optimize`: FSRS parameters fitted to a review log generated from known parameters."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from studyapp.core import fitting
from studyapp.store.convert import to_ts
from studyapp.store.db import make_engine
from studyapp.store.migrations import migrate
from tests.cli_run import run_cli
from tests.fsrs_history import TRUE_PARAMETERS, generate


def write_log(data_dir: Path, reviews) -> None:  # noqa: ANN001
    """The answers as rows of a real studyapp database (the optimizer reads only the log)."""
    engine = make_engine(data_dir / "studyapp.db")
    migrate(engine)
    engine.dispose()
    con = sqlite3.connect(data_dir / "studyapp.db")
    with con:
        con.executemany("INSERT INTO review_log (deck_id, card_id, reviewed_at, rating, mode, state_before) "
                        "VALUES (?, ?, ?, ?, ?, '{}')",
                        [(r.deck_id, r.card_id, to_ts(r.reviewed_at), int(r.rating), r.mode) for r in reviews])
    con.close()


def saved_parameters(data_dir: Path):  # noqa: ANN201
    con = sqlite3.connect(data_dir / "studyapp.db")
    row = con.execute("SELECT value FROM setting WHERE key = 'fsrs_parameters'").fetchone()
    con.close()
    return None if row is None else json.loads(row[0])


def test_fitted_parameters_predict_held_out_reviews_about_as_well_as_the_true_ones(data_dir: Path) -> None:
    train = generate(cards=700, days=150, seed=11)
    held_out = generate(cards=700, days=150, seed=12, first_card=10_000)
    assert len(train) > 2500  # a few thousand reviews
    write_log(data_dir, train)

    done = run_cli("optimize", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["needed"] == 0 and report["reviews"] == len(train)
    fitted = report["fitted"]["parameters"]
    assert len(fitted) == 21

    items = fitting.training_items(fitting.histories(held_out, lambda t: t.date()).values())
    true_loss = fitting.evaluate(TRUE_PARAMETERS, items).log_loss
    fitted_loss = fitting.evaluate(fitted, items).log_loss
    print(f"held-out log loss: fitted {fitted_loss:.4f}, true {true_loss:.4f}")
    assert fitted_loss <= true_loss * 1.02
    # The defaults were worse on the student's own log, so the fit was adopted and the app now uses it.
    assert report["adopted"] and report["fitted"]["log_loss"] < report["current"]["log_loss"]
    assert saved_parameters(data_dir) == pytest.approx(fitted)
    from studyapp.service import StudyService

    service = StudyService.open(data_dir)
    assert tuple(service.scheduler.parameters) == pytest.approx(tuple(fitted))

    # Fitting again to the same log: the adopted parameters are not beaten by much, and never replaced by worse.
    again = json.loads(run_cli("optimize", "--json", data_dir=data_dir).stdout)
    if not again["adopted"]:
        assert saved_parameters(data_dir) == pytest.approx(fitted)


def test_a_short_history_says_how_many_more_reviews_are_needed_and_changes_nothing(data_dir: Path) -> None:
    write_log(data_dir, generate(cards=6, days=40, seed=3))
    done = run_cli("optimize", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert 0 < report["items"] < fitting.MIN_ITEMS
    assert report["needed"] == fitting.MIN_ITEMS - report["items"]
    assert report["fitted"] is None and report["adopted"] is False
    assert saved_parameters(data_dir) is None
    text = run_cli("optimize", data_dir=data_dir).stdout
    assert f"so {report['needed']} more" in text and "Nothing was changed" in text


def test_items_are_answers_on_a_later_day_than_the_one_before() -> None:
    from datetime import date

    history = [(date(2026, 1, 1), 3), (date(2026, 1, 1), 3), (date(2026, 1, 3), 1), (date(2026, 1, 4), 3)]
    assert fitting.item_reviews([history]) == [[(3, 0), (3, 0), (1, 2)], [(3, 0), (3, 0), (1, 2), (3, 1)]]


def test_parameters_fsrs_would_refuse_are_clipped_or_fall_back_to_the_defaults() -> None:
    import fsrs

    from studyapp.core.scheduling import ScheduleSettings, make_scheduler

    low = fitting.within_bounds([0.0] * 21)
    fsrs.Scheduler(parameters=low)  # accepted
    assert make_scheduler(ScheduleSettings(parameters=(-5.0,) * 21)).parameters == fsrs.Scheduler().parameters

"""SIGKILL the real app at random moments while it answers cards: nothing shown as saved is lost.

Each kill is a fresh process on the same data folder, so every start also recovers the
previous run's write-ahead log. 4 folders x 6 kills = 24 kills here; bench/soak.py does 500+.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.durability.harness import check_database, run_and_kill, write_deck

KILLS_PER_FOLDER = 6


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_killed_app_keeps_every_saved_answer(tmp_path: Path, seed: int) -> None:
    decks = write_deck(tmp_path / "decks")
    data = tmp_path / "data"
    rng = random.Random(seed)
    all_saved = []
    for kill in range(KILLS_PER_FOLDER):
        result = run_and_kill(data, decks, rng)
        assert result.killed, f"run {kill} ended by itself ({result.returncode}): {result.stderr[-2000:]}"
        all_saved += result.saved
        problems = check_database(data / "studyapp.db", all_saved)
        assert problems == [], f"after kill {kill}: {problems}"
    assert len(all_saved) >= KILLS_PER_FOLDER - 2  # most runs got to answer before they were killed

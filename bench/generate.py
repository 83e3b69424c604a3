#!/usr/bin/env python3
"""Build a big collection for the benchmarks: N cards in D decks, and R review-log rows.

    python bench/generate.py OUT [--cards 100000] [--decks 200] [--reviews 1000000] [--seed 1]

OUT gets decks/ (TOML files plus sources.toml) and data/ (a studyapp.db whose progress
rows and counters agree with the log). Cards get plausible FSRS states spread over the
last six months or more, each card's last review on a day of the last month (as a student's
would be: a few thousand reviews a day at most, none in the future); about a third are new.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp.core.models import FACETS  # noqa: E402
from studyapp.store.db import make_engine  # noqa: E402
from studyapp.store.migrations import migrate  # noqa: E402

WORDS = ("alliance treaty summit council defence security partnership mission command member enlargement "
         "cooperation crisis capability operation training transition strategy deterrence dialogue").split()


def write_decks(folder: Path, cards: int, decks: int, rng: random.Random) -> list[tuple[str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.toml").write_text('[lecture-slides]\ntitle = "Lecture slides"\n')
    keys: list[tuple[str, str]] = []
    per_deck = cards // decks
    for d in range(decks):
        deck_id = f"deck_{d:03d}"
        lines = ["format = 1", f'id = "{deck_id}"', f'title = "Generated deck {d}"',
                 'tags = ["alliance"]', ""]
        for c in range(per_deck):
            card_id = f"c{c:05d}"
            year = 1945 + rng.randrange(70)
            words = " ".join(rng.choice(WORDS) for _ in range(6))
            lines += ["[[card]]", f'id = "{card_id}"', f'facet = "{FACETS[c % len(FACETS)]}"',
                      f'front = "Question {c} of deck {d}: which year saw the {words}?"',
                      f'back = "In {year}, the {words}."', f'answers = ["{year}"]',
                      f'source = ["lecture-slides:{1 + c % 1000}-{3 + c % 1000}"]', ""]
            keys.append((deck_id, card_id))
        (folder / f"{deck_id}.toml").write_text("\n".join(lines))
    return keys


def write_progress(db_path: Path, keys: list[tuple[str, str]], reviews: int, rng: random.Random,
                   now: datetime) -> None:
    migrate(make_engine(db_path))
    studied = [k for k in keys if rng.random() < 0.66]
    per_card = max(1, reviews // max(1, len(studied)))
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA synchronous=OFF")
    progress_rows, log_rows = [], []
    written = 0
    for i, (deck_id, card_id) in enumerate(studied):
        n = per_card + (1 if i < reviews - per_card * len(studied) else 0)
        t = now - timedelta(days=rng.uniform(1, 180))
        stability, lapses, state = 1.0, 0, None
        card_log = []
        for _ in range(n):
            rating = rng.choices([1, 2, 3, 4], weights=[12, 8, 70, 10])[0]
            before = {"deck_id": deck_id, "card_id": card_id, "state": 0 if state is None else state}
            card_log.append([deck_id, card_id, t.timestamp(), rating, "flip", None, None,
                             rng.randrange(2000, 15000), json.dumps(before)])
            if rating == 1 and state == 2:
                lapses += 1
            stability = max(0.5, stability * (0.4 if rating == 1 else 2.2))
            state = 3 if rating == 1 else 2
            t += timedelta(days=min(stability, 30) * rng.uniform(0.5, 1.2))
            written += 1
        t = datetime.fromtimestamp(card_log[-1][2], timezone.utc)
        if t > now:  # a history that would run past today ends instead on a day of the last month
            shift = (t - (now - timedelta(days=rng.uniform(0, 30)))).total_seconds()
            for row in card_log:
                row[2] -= shift
            t = datetime.fromtimestamp(card_log[-1][2], timezone.utc)
        log_rows += [tuple(row) for row in card_log]
        due = t + timedelta(days=stability)
        progress_rows.append((deck_id, card_id, state, 0 if state == 3 else None, stability,
                              rng.uniform(2, 8), due.timestamp(), t.timestamp(), n, lapses, rating))
        if len(log_rows) > 50_000:
            con.executemany("INSERT INTO review_log (deck_id, card_id, reviewed_at, rating, mode, typed, similarity,"
                            " duration_ms, state_before) VALUES (?,?,?,?,?,?,?,?,?)", log_rows)
            log_rows.clear()
    con.executemany("INSERT INTO review_log (deck_id, card_id, reviewed_at, rating, mode, typed, similarity,"
                    " duration_ms, state_before) VALUES (?,?,?,?,?,?,?,?,?)", log_rows)
    con.executemany("INSERT INTO card_progress (deck_id, card_id, state, step, stability, difficulty, due,"
                    " last_review, reps, lapses, last_rating) VALUES (?,?,?,?,?,?,?,?,?,?,?)", progress_rows)
    con.commit()
    con.close()


def generate(out: Path, cards: int, decks: int, reviews: int, seed: int = 1) -> tuple[Path, Path]:
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    keys = write_decks(out / "decks", cards, decks, rng)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    db = data / "studyapp.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    write_progress(db, keys, reviews, rng, now)
    # Opening the service once tallies the log per study day, deck and facet (what an old
    # database gets on its first start after the tally table arrived), as the statistics need.
    from studyapp.service import StudyService

    StudyService.open(data, [out / "decks"])
    return out / "decks", data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--decks", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    generate(args.out, args.cards, args.decks, args.reviews, args.seed)
    print(f"generated {args.cards} cards in {args.decks} decks and {args.reviews} reviews in {args.out} "
          f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()

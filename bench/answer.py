#!/usr/bin/env python3
"""Answer-to-next-card: rate the card, commit the answer, pick the next card; and grading a typed answer.

    python bench/answer.py [--answers 500] [--big DIR]

Grading: every bundled card's accepted answer typed with its last word left out (so most are not
right on the words alone and the meaning step runs), with the sentence-meaning model loaded.

Runs the real StudyService over a real SQLite file (WAL, synchronous=FULL) in a
temporary copy of the data, so the collection is not changed. Prints the median and
99th percentile in milliseconds. --big DIR uses a collection made by bench/generate.py.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp.core.models import Rating  # noqa: E402
from studyapp.service import StudyService  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--big", type=Path)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    decks: list[Path] = []
    if args.big:
        shutil.copy(args.big / "data" / "studyapp.db", tmp / "studyapp.db")
        decks = [args.big / "decks"]
    service = StudyService.open(tmp, decks)
    service.update_settings(new_per_day=args.answers)  # enough new cards to keep answering
    rng = random.Random(1)
    deck_ids = [d.id for d in service.decks.decks]
    session = service.sessions.today(deck_ids)
    card = session.next_card()
    times = []
    while card is not None and len(times) < args.answers:
        rating = rng.choices(list(Rating), weights=[10, 10, 70, 10])[0]
        start = time.perf_counter()
        session.answer(rating, mode="flip", duration_ms=3000)
        card = session.next_card()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    label = f"big collection in {args.big}" if args.big else "bundled decks, empty database"
    print(f"answer-to-next-card over {len(times)} answers ({label})")
    print(f"{'median ms':>10} {'p99 ms':>10} {'max ms':>10}")
    print(f"{statistics.median(times):10.2f} {p99:10.2f} {times[-1]:10.2f}")
    grading(service)
    shutil.rmtree(tmp, ignore_errors=True)


def grading(service: StudyService) -> None:
    from studyapp.core.grading import grade_typed_answer
    from studyapp.core.models import CardKind
    from studyapp.meaning import shared_model

    similarities = shared_model().load().similarities
    cards = [c for d in service.decks.decks for c in d.cards if c.kind is not CardKind.LIST]
    for label, sims in (("words only", None), ("with meaning", similarities)):
        times = []
        for card in cards:
            target = (card.answers or (card.back,))[0]
            typed = " ".join(target.split()[:-1]) or "no idea"
            start = time.perf_counter()
            grade_typed_answer(card, typed, sims)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"grading a typed answer, {label}, {len(times)} cards: median {statistics.median(times):.2f} ms, "
            f"p99 {p99:.2f} ms, max {times[-1]:.2f} ms"
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The exam-day plan, the coverage map and the confusion index on a big collection.

    python bench/plan.py [--big DIR] [--runs 9]

DIR is a collection made by bench/generate.py (default: one of 100,000 cards and 200,000 reviews is
generated into a temporary folder first, ~1 min). Runs on a temporary copy of its database with an
exam in 14 days and a 30-minute budget. Prints the median and worst milliseconds of:
  plan (core)      core.planning.day_plan over every card (the choice itself)
  plan (service)   Planner.plan(): the same plus the pace and today's time read from the log
  coverage map     core.coverage.coverage_map over every card (the statistics screen's map)
  confusion index  AnswerIndex.of every card (built once, on the first wrong typed answer)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp.core.confusions import AnswerIndex  # noqa: E402
from studyapp.core.coverage import coverage_map  # noqa: E402
from studyapp.core.planning import day_plan  # noqa: E402
from studyapp.service import StudyService  # noqa: E402


def timed(label: str, runs: int, fn) -> object:  # noqa: ANN001
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<18} {statistics.median(times):10.1f} {max(times):10.1f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", type=Path)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    big = args.big
    if big is None:
        from bench.generate import generate

        big = tmp / "big"
        generate(big, 100_000, 200, 200_000)
    shutil.copy(big / "data" / "studyapp.db", tmp / "studyapp.db")
    service = StudyService.open(tmp, [big / "decks"])
    now = service.clock()
    service.set_exam_date(service.study_day(now) + timedelta(days=14), daily_minutes=30)
    cards = [c for d in service.decks.decks for c in d.cards]
    keys = [c.key for c in cards]
    print(f"{len(keys):,} cards, {len(service.progress):,} with progress")
    print(f"{'':<18} {'median ms':>10} {'max ms':>10}")
    exam_at = service.cap(now)
    plan = timed("plan (core)", args.runs, lambda: day_plan(service.layout.card_facets, service.progress, now, exam_at,
                                                            service.scheduler.parameters, 30, 8.0))
    timed("plan (service)", args.runs, service.planner.plan)
    timed("coverage map", args.runs, lambda: coverage_map(cards, service.progress, now, service.curve))
    timed("confusion index", max(1, args.runs // 3), lambda: AnswerIndex.of(cards))
    print(f"plan: {len(plan.keys)} cards in {plan.seconds / 60:.0f} min, skipping today costs "
          f"{plan.skip_cost * 100:.2f} points of exam-day recall")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

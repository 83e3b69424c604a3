#!/usr/bin/env python3
"""Kill soak: SIGKILL the real app at random moments, hundreds of times, and check the database each time.

    python bench/soak.py [--kills 500] [--jobs 2] [--per-folder 25] [--seed 1]

Each kill is a fresh headless studyapp (tests/durability/answering_child.py) answering cards
through the real review screen; it reports an answer only once the screen has moved on. After
each kill: every answer reported is in the log, every card's progress agrees with the log (no
half-written answer), and PRAGMA integrity_check is ok. A folder is reused for --per-folder
kills (so each start recovers the last run's write-ahead log), then a fresh one starts.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "durability"))

from harness import check_database, run_and_kill, write_deck  # noqa: E402


def soak_folder(folder: Path, kills: int, seed: int) -> dict:
    decks = write_deck(folder / "decks")
    data = folder / "data"
    rng = random.Random(seed)
    saved, problems, early, ended = [], [], 0, 0
    for _ in range(kills):
        try:
            result = run_and_kill(data, decks, rng)
        except Exception as exc:  # noqa: BLE001 - counted as a problem, the soak goes on
            problems.append(f"run failed: {type(exc).__name__}: {exc}")
            continue
        early += not result.saved
        ended += not result.killed
        saved += result.saved
        try:
            problems += check_database(data / "studyapp.db", saved)
        except Exception as exc:  # noqa: BLE001 - a database the check cannot even read is a problem
            problems.append(f"check failed: {type(exc).__name__}: {exc}")
    return {"kills": kills, "answers": len(saved), "no_answer_yet": early, "ended_itself": ended,
            "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--per-folder", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="studyapp-soak-"))
    batches = [min(args.per_folder, args.kills - i) for i in range(0, args.kills, args.per_folder)]
    start = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda ib: soak_folder(root / f"f{ib[0]}", ib[1], args.seed * 1000 + ib[0]),
                                enumerate(batches)))
    seconds = time.perf_counter() - start
    problems = [p for r in results for p in r["problems"]]
    print(f"kill soak: {args.kills} SIGKILLs in {len(batches)} folders, {seconds:.0f} s")
    print(f"{'kills':>6} {'answers saved':>14} {'killed in start-up':>19} {'ended itself':>13} {'problems':>9}")
    print(f"{sum(r['kills'] for r in results):6} {sum(r['answers'] for r in results):14} "
          f"{sum(r['no_answer_yet'] for r in results):19} {sum(r['ended_itself'] for r in results):13} "
          f"{len(problems):9}")
    for p in problems[:20]:
        print("PROBLEM:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Start-up time: process start to first frame, and to the home screen showing every deck's counts.

    python bench/startup.py [--runs 15] [--big DIR]

Each run is a fresh interpreter (as a user starts the app). A minimal Textual app that
shows one label is timed in the same run, and studyapp's times are also given as ratios
to it. --big DIR uses a collection made by bench/generate.py (default: the bundled decks
and an empty database). `studyapp stats` (process start to exit, its output thrown away) is timed
in the same runs and given as a ratio to the home screen with counts.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = HERE / "_startup_child.py"


def one_run(args: list[str]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run([sys.executable, str(CHILD), *args], capture_output=True, text=True, check=True,
                         cwd=HERE.parent).stdout
    marks = {}
    for line in out.splitlines():
        name, value = line.split()
        marks[name] = float(value) if name == "peak_rss_mb" else (float(value) - start) * 1000
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--big", type=Path, help="a folder made by bench/generate.py")
    args = parser.parse_args()
    if args.big:
        app_args = ["studyapp", str(args.big / "data"), str(args.big / "decks")]
        label = f"big collection in {args.big}"
    else:
        tmp = tempfile.mkdtemp()
        app_args = ["studyapp", tmp]
        label = "bundled decks, empty database"
    # The first start (of the day, or after the deck files change) parses the decks into the
    # cache, creates the database if need be, and makes the day's backup; time the starts after.
    first = one_run(app_args)
    minimal, app, stats_cmd = [], [], []
    data_dir = app_args[1]
    stats_args = [sys.executable, "-m", "studyapp", "--data-dir", data_dir,
                  *(["--decks", app_args[2]] if len(app_args) > 2 else []), "stats"]
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        minimal.append(one_run(["minimal"]))
        app.append(one_run(app_args))
        start = time.perf_counter()
        subprocess.run(stats_args, capture_output=True, check=True, cwd=HERE.parent)
        stats_cmd.append((time.perf_counter() - start) * 1000)

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    base = med(minimal, "first_frame")
    print(f"start-up, median of {args.runs} runs ({label})")
    print(f"{'measure':40} {'ms':>8} {'x minimal':>10}")
    print(f"{'minimal Textual app: first frame':40} {base:8.0f} {1:10.2f}")
    for key, name in (("first_frame", "studyapp: first frame"), ("home", "studyapp: home screen with counts"),
                      ("service", "studyapp: ready to study")):
        value = med(app, key)
        print(f"{name:40} {value:8.0f} {value / base:10.2f}")
    stats_ms = statistics.median(stats_cmd)
    print(f"{'`studyapp stats` (start to exit)':40} {stats_ms:8.0f} {stats_ms / base:10.2f}"
          f"   {stats_ms / med(app, 'home'):.2f}x the home screen with counts")
    print(f"{'studyapp: peak memory (MB)':40} {max(r['peak_rss_mb'] for r in app):8.0f}")
    print(f"first start before these (parse every deck, back up): ready in {first['service']:.0f} ms, "
          f"peak memory {first['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()

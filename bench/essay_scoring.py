#!/usr/bin/env python3
"""Essay scoring: agreement with hand-marked outlines, and time to score a long outline.

    python bench/essay_scoring.py [--verbose]

Agreement is point by point: the scorer's "covered" against the teacher's mark in
tests/data/marked_outlines.toml. Timing scores a 1,000-word outline against 10 points.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studyapp.core.essays import all_prompts, score_outline  # noqa: E402
from studyapp.deck_files import load_decks  # noqa: E402

MARKED = ROOT / "tests" / "data" / "marked_outlines.toml"


def agreement(verbose: bool = False, heldout: bool | None = None) -> tuple[float, int, list[tuple[str, float]]]:
    """Share of points where the scorer agrees with the teacher; heldout=True/False picks one set."""
    prompts = {p.id: p for p in all_prompts(load_decks([ROOT / "decks"]).decks)}
    outlines = [o for o in tomllib.loads(MARKED.read_text())["outline"]
                if heldout is None or o.get("heldout", False) == heldout]
    agree = total = 0
    off_topic = []
    for o in outlines:
        prompt = prompts[o["prompt"]]
        score = score_outline(prompt.points, o["text"])
        for i, r in enumerate(score.results, 1):
            teacher = i in o["covered"]
            ours = r.status == "covered"
            agree += teacher == ours
            total += 1
            if verbose and teacher != ours:
                print(f"  {o['prompt']} [{o['kind']}] point {i}: teacher {teacher}, scorer {r.status} "
                      f"{r.score:.2f} ({r.matched[:60]!r})")
        if o["kind"] == "off-topic":
            off_topic.append((o["prompt"], score.share))
    return agree / total, total, off_topic


def timing(runs: int = 30) -> tuple[float, float]:
    prompts = [p for p in all_prompts(load_decks([ROOT / "decks"]).decks) if len(p.points) >= 7]
    prompt = prompts[0]
    points = list(prompt.points) * 2
    points = points[:10]
    rng = random.Random(1)
    vocabulary = " ".join(p.text for p in prompt.points).split() + "the and of a to in is that".split() * 5
    lines = []
    words = 0
    while words < 1000:
        line = " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(8, 20)))
        lines.append(f"- {line}.")
        words += len(line.split())
    outline = "\n".join(lines)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        score_outline(points, outline)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list each disagreement")
    args = parser.parse_args()
    share, total, off_topic = agreement(args.verbose)
    tuned, tuned_n, _ = agreement(heldout=False)
    held, held_n, _ = agreement(heldout=True)
    median, worst = timing()
    print(f"{'measure':52} {'value':>10}")
    print(f"{'agreement with hand-marked outlines (' + str(total) + ' points)':52} {share:10.1%}")
    print(f"{'  on the outlines the thresholds were set on (' + str(tuned_n) + ')':52} {tuned:10.1%}")
    print(f"{'  on held-out outlines (' + str(held_n) + ' points)':52} {held:10.1%}")
    print(f"{'highest off-topic outline score':52} {max(s for _, s in off_topic):10.1%}")
    print(f"{'score 1,000-word outline x 10 points, median ms':52} {median:10.1f}")
    print(f"{'score 1,000-word outline x 10 points, worst ms':52} {worst:10.1f}")


if __name__ == "__main__":
    main()

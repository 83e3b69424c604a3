#!/usr/bin/env python3
"""Essay scoring against hand-marked outlines, and the time to score a long outline.

    python bench/essay_scoring.py [--split heldout|fit|all] [--no-meaning] [--verbose] [--timing]

The marks are in tests/data/marked_outlines.json: outlines written as students write them and
marked point by point (covered / partly / missed) by a marker who never saw the scorer
(../shared/marking-guide.md). Prompts marked "fit" tuned the scorer (bench/fit_essay_scorer.py);
the "heldout" ones were never used for tuning, and tests/core/test_essay_marking.py asserts the
targets on them. Timing scores new 1,000- and 250-word outlines against 10 points with the model loaded.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studyapp.core.essays import KeyPoint, deck_lexicon, score_outline  # noqa: E402
from studyapp.deck_files import load_decks  # noqa: E402

MARKED = ROOT / "tests" / "data" / "marked_outlines.json"
LABELS = ("covered", "partly", "missed")


def marked_data() -> dict:
    return json.loads(MARKED.read_text(encoding="utf-8"))


def bundled_lexicon():  # noqa: ANN201
    return deck_lexicon(load_decks([ROOT / "decks"]).decks)


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of (marker, scorer) labels."""
    n = len(pairs)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in LABELS) / n / n
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def evaluate(split: str = "heldout", similarities=None, lexicon=None, verbose: bool = False) -> dict:  # noqa: ANN001
    """Agreement with the marker on one split: the figures the README reports and the tests assert."""
    data = marked_data()
    lexicon = lexicon if lexicon is not None else bundled_lexicon()
    pairs: list[tuple[str, str]] = []
    complete, off_topic, wrong_points = [], [], []
    for o in data["outlines"]:
        prompt = data["prompts"][o["prompt"]]
        if split != "all" and prompt["split"] != split:
            continue
        points = [KeyPoint(t) for t in prompt["points"]]
        score = score_outline(points, o["text"], lexicon, similarities)
        for i, (mark, result) in enumerate(zip(o["marks"], score.results), 1):
            pairs.append((mark, result.status))
            if o["kind"] == "wrong-facts" and mark == "missed":
                wrong_points.append(result.status)
            if verbose and mark != result.status:
                print(f"  {o['id']} {o['prompt']} [{o['kind']}] point {i}: marker {mark}, scorer {result.status} "
                      f"{result.score:.2f} line {result.line} {result.matched[:70]!r}")
        if o["kind"] == "complete":
            complete.append(score.share)
        if o["kind"] == "off-topic":
            off_topic.append(score.share)
    confusion = {m: {s: sum(1 for a, b in pairs if a == m and b == s) for s in LABELS} for m in LABELS}
    return {
        "points": len(pairs),
        "agreement": sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0,
        "kappa": kappa(pairs),
        "confusion": confusion,
        "complete_mean": statistics.mean(complete) if complete else 0.0,
        "wrong_fact_points": len(wrong_points),
        "wrong_fact_covered": (sum(s == "covered" for s in wrong_points) / len(wrong_points)) if wrong_points else 0.0,
        "off_topic_max": max(off_topic) if off_topic else 0.0,
        "outlines": sum(1 for o in data["outlines"] if split == "all" or data["prompts"][o["prompt"]]["split"] == split),
    }


def report(figures: dict) -> str:
    c = figures["confusion"]
    rows = "\n".join(f"    {m:>8} | " + " ".join(f"{c[m][s]:>7}" for s in LABELS) for m in LABELS)
    return (f"  {figures['outlines']} outlines, {figures['points']} points\n"
            f"  agreement {figures['agreement']:.1%} (three-way), Cohen's kappa {figures['kappa']:.2f}\n"
            f"  complete outlines score {figures['complete_mean']:.0%} on average\n"
            f"  wrong-fact points counted covered: {figures['wrong_fact_covered']:.1%} of {figures['wrong_fact_points']}\n"
            f"  highest off-topic score: {figures['off_topic_max']:.0%}\n"
            f"  marker (rows) against scorer (columns):\n"
            f"    {'':>8} | " + " ".join(f"{s:>7}" for s in LABELS) + "\n" + rows)


def timing(similarities, runs: int = 20, words_wanted: int = 1000) -> tuple[float, float]:  # noqa: ANN001
    """Median and worst time to score an outline of `words_wanted` words against 10 points: a new outline each run,
    as a student's outline is new to the scorer (no line of it met before)."""
    data = marked_data()
    lexicon = bundled_lexicon()
    prompt = next(p for p in data["prompts"].values() if len(p["points"]) >= 7)
    points = [KeyPoint(t) for t in (prompt["points"] * 2)[:10]]
    rng = random.Random(words_wanted)  # each size its own lines: none met before
    vocabulary = " ".join(prompt["points"]).split() + "the and of a to in is that".split() * 5

    def outline() -> str:
        lines, words = [], 0
        while words < words_wanted:
            line = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 22)))
            lines.append(f"- {line}")
            words += len(line.split())
        return "\n".join(lines)

    times = []
    for _ in range(runs):
        text = outline()
        start = time.perf_counter()
        score_outline(points, text, lexicon, similarities)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="heldout", choices=["heldout", "fit", "all"])
    parser.add_argument("--no-meaning", action="store_true", help="mark without the sentence-meaning model")
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--timing", action="store_true", help="also time a 1,000-word outline")
    args = parser.parse_args()
    similarities = None
    if not args.no_meaning:
        from studyapp.meaning import shared_model

        start = time.perf_counter()
        similarities = shared_model().load().similarities
        print(f"model loaded in {time.perf_counter() - start:.2f} s")
    figures = evaluate(args.split, similarities, verbose=args.verbose)
    print(f"split {args.split}, {'with' if similarities else 'without'} the meaning model:")
    print(report(figures))
    if args.timing:
        for size in (1000, 250):
            median, worst = timing(similarities, words_wanted=size)
            print(f"{size:,}-word outline, 10 points: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Mock exam paper assembly at 100,000 cards: the time to set a paper.

    python bench/mock_paper.py [--big DIR] [--runs 21]

DIR is a collection made by `bench/generate.py DIR --decks 7` (100,000 cards in seven decks, which
stand for the seven exam topics: a generated collection has none of the real deck ids, so every
loaded deck is a topic). Without --big one is generated into a temporary folder first (100,000
cards, 7 decks, 300,000 reviews). Its database is copied first, so it is not changed.

Three figures, in ms (median, p95, max over the runs, a new seed each run):
- "assembly": core.mock_paper.assemble_paper alone, over the cards in memory (coverage,
  weighting, a weighted draw over every card of the seven topics);
- "set a paper": StudyService.exams.assemble_paper, what pressing `n` waits for: the weak-topics
  ranking (the topics' strengths), the essay prompts, then the assembly;
- "first cards read": the one-off reading of the seven decks' cards from the deck cache, which
  the first paper of a run of the app pays (the decks' cards are read lazily; a review session
  of the same decks pays it too).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp import paths  # noqa: E402
from studyapp.core import mock_paper  # noqa: E402
from studyapp.deck_files import load_decks  # noqa: E402
from studyapp.service import StudyService  # noqa: E402


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"{statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {len(times):6d}"


def measure(decks: Path, data: Path, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        copy.mkdir()
        for name in ("studyapp.db", "studyapp.db-wal"):
            if (data / name).exists():
                shutil.copy(data / name, copy / name)
        if (data / "cache").exists():
            shutil.copytree(data / "cache", copy / "cache")
        # Only the generated decks: with the bundled ones loaded, the seven real exam decks would be the topics.
        load_decks([decks], paths.cache_dir(copy))  # fills the deck cache, as the app's first start does
        service = StudyService.open(copy, decks=load_decks([decks], paths.cache_dir(copy)))
        topics = service.exams.exam_topics()
        start = time.perf_counter()
        cards = {t: service.decks.deck(t).cards for t in topics}
        first_read = (time.perf_counter() - start) * 1000
        total = sum(len(c) for c in cards.values())
        strengths = {w.deck.deck_id: w.deck.strength for w in service.reports.weak_topics() if w.deck.studied}
        prompts = service.essays.essay_prompts()
        pure, full = [], []
        for seed in range(runs):
            start = time.perf_counter()
            paper = mock_paper.assemble_paper(topics, cards, service.progress, strengths, prompts, service.clock(),
                                              service.curve, seed)
            pure.append((time.perf_counter() - start) * 1000)
            assert len(paper.questions) == mock_paper.SHORT_QUESTIONS and {d for d, _ in paper.questions} == set(topics)
            start = time.perf_counter()
            service.exams.assemble_paper(seed)
            full.append((time.perf_counter() - start) * 1000)
        print(f"{total:,} cards in {len(topics)} topics, {len(service.progress):,} studied")
        print(f"{'ms':18} {'median':>8} {'p95':>8} {'max':>8} {'runs':>6}")
        print(f"{'assembly':18} {summary(pure)}")
        print(f"{'set a paper':18} {summary(full)}")
        print(f"{'first cards read':18} {first_read:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", type=Path, help="a collection from bench/generate.py --decks 7")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    if args.big is not None:
        measure(args.big / "decks", args.big / "data", args.runs)
        return
    from bench.generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        decks, data = generate(Path(tmp), 100_000, 7, 300_000)
        measure(decks, data, args.runs)


if __name__ == "__main__":
    main()

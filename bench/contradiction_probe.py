#!/usr/bin/env python3
"""Do the sentence model's vectors tell a line that states a point with a wrong fact from one that states
it soundly? The check behind the README's "a sentence embedding does not tell a claim from its reverse".

    python bench/contradiction_probe.py

On the fit prompts (held-out ones are never read), every point the scorer counts covered is taken with
the line that earned it. A logistic regression on the two vectors (their product and their absolute
difference, the usual way to read a relation from sentence embeddings) learns to tell the points the marker
did not count covered from those it did, cross-validated five ways by prompt. It prints the area under
the ROC curve, for all those points and for the wrong-fact ones alone against the sound ones (0.5 is
chance), and how many wrong facts the probe would catch at the cost of how many sound points.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from essay_scoring import bundled_lexicon, marked_data  # noqa: E402

from studyapp.core.essays import KeyPoint, score_outline  # noqa: E402
from studyapp.core.marking import outline_lines  # noqa: E402
from studyapp.meaning import shared_model  # noqa: E402

FOLDS = 5


def covered_points(similarities) -> list[tuple[str, str, str, bool, bool]]:  # noqa: ANN001
    """(prompt, point, line that earned it, marker did not count it covered, a wrong fact) per point the
    scorer counts covered, on the fit prompts."""
    data, lexicon = marked_data(), bundled_lexicon()
    rows = []
    for o in data["outlines"]:
        prompt = data["prompts"][o["prompt"]]
        if prompt["split"] != "fit":
            continue
        lines = dict(outline_lines(o["text"]))
        score = score_outline([KeyPoint(t) for t in prompt["points"]], o["text"], lexicon, similarities)
        for mark, result in zip(o["marks"], score.results):
            if result.status == "covered" and result.line in lines:
                wrong = o["kind"] == "wrong-facts" and mark == "missed"
                rows.append((o["prompt"], result.point.text, lines[result.line], mark != "covered", wrong))
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 3000) -> tuple[np.ndarray, float]:
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= x.T @ (p - y) / len(y) + l2 * w
        b -= float((p - y).mean())
    return w, b


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels == 1], scores[labels == 0]
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def main() -> None:
    model = shared_model().load()
    rows = covered_points(model.similarities)
    texts = sorted({r[1] for r in rows} | {r[2] for r in rows})
    vectors = {}
    for i in range(0, len(texts), 64):
        batch = texts[i : i + 64]
        for text, v in zip(batch, model.embed(batch)):
            v = np.asarray(v, dtype=np.float64)
            vectors[text] = v / np.linalg.norm(v)
    a = np.stack([vectors[r[1]] for r in rows])
    b = np.stack([vectors[r[2]] for r in rows])
    x = np.hstack([a * b, np.abs(a - b), (a * b).sum(1, keepdims=True)])
    y = np.array([r[3] for r in rows], dtype=float)
    wrong = np.array([r[4] for r in rows])
    prompts = sorted({r[0] for r in rows})
    random.Random(1).shuffle(prompts)
    fold = np.array([prompts.index(r[0]) % FOLDS for r in rows])
    sound = y == 0
    print(
        f"{len(rows)} points the scorer counts covered on the fit prompts: {int(sound.sum())} the marker "
        f"counted covered, {int(wrong.sum())} wrong facts"
    )
    print(f"the cosine alone: AUC {auc(-x[:, -1], y):.3f}")
    for l2 in (1e-4, 1e-3, 1e-2):
        scores = np.zeros(len(y))
        for f in range(FOLDS):
            w, bias = fit(x[fold != f], y[fold != f], l2)
            scores[fold == f] = x[fold == f] @ w + bias
        pick = wrong | sound
        print(
            f"L2 {l2:g}: AUC {auc(scores, y):.3f} for all, {auc(scores[pick], wrong[pick].astype(float)):.3f} "
            f"for wrong facts against sound points"
        )
        for share in (0.1, 0.2):
            flagged = scores >= np.quantile(scores, 1 - share)
            print(
                f"   flag the top {share:.0%}: {int((flagged & wrong).sum())} of {int(wrong.sum())} wrong facts, "
                f"{int((flagged & sound).sum())} of {int(sound.sum())} sound points"
            )


if __name__ == "__main__":
    main()

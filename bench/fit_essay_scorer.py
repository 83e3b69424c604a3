#!/usr/bin/env python3
"""Fit the essay scorer's ordinal logistic model on the "fit" prompts of the marked outlines.

    python bench/fit_essay_scorer.py [--model minilm|static|none] [--apply]

For every (outline, point) the scorer's features are computed against every unit of the outline
(studyapp.core.marking); the model is z = bias + w . features, with P(at least partly) = s(z) and
P(covered) = s(z - c). The point's own unit is the best one under the current weights, so fitting
alternates: pick the best units, fit, pick again (a few rounds). Cross-validation leaves one
prompt out at a time. Only prompts with split "fit" are used; held-out prompts are never read.

--model static compares a model2vec static embedding (the one `tokenlearn-static-model` packages)
with MiniLM: install `model2vec` and that package to run it. --apply prints the constants to paste
into studyapp/core/marking/model.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from essay_scoring import bundled_lexicon, marked_data  # noqa: E402

from studyapp.core import marking  # noqa: E402

LABEL = {"missed": 0, "partly": 1, "covered": 2}


def static_similarities():  # noqa: ANN201
    import static_model
    from model2vec import StaticModel

    model = StaticModel.from_pretrained(str(Path(static_model.__file__).parent / "model"))

    def similarities(points, units):  # noqa: ANN001, ANN202
        a = model.encode(list(points))
        b = model.encode(list(units))
        a = a / np.clip(np.linalg.norm(a, axis=1, keepdims=True), 1e-9, None)
        b = b / np.clip(np.linalg.norm(b, axis=1, keepdims=True), 1e-9, None)
        return (a @ b.T).tolist()

    return similarities


def collect(similarities, split: str = "fit") -> list[dict]:  # noqa: ANN001
    """Per (outline, point): the marker's label, the prompt, and every unit's features and conflict."""
    data = marked_data()
    lexicon = bundled_lexicon()
    rows = []
    for o in data["outlines"]:
        prompt = data["prompts"][o["prompt"]]
        if prompt["split"] != split:
            continue
        units, matrix = marking.match_matrix(prompt["points"], o["text"], lexicon, similarities)
        for mark, row in zip(o["marks"], matrix):
            feats = np.array([m.features for m in row]) if row else np.zeros((1, len(marking.FEATURES)))
            conflict = np.array([m.conflict for m in row]) if row else np.array([False])
            singles = [len(u.lines) == 1 for u in units] if row else [True]
            rows.append({"y": LABEL[mark], "prompt": o["prompt"], "kind": o["kind"], "outline": o["id"],
                         "X": feats, "conflict": conflict,
                         "singles": singles})
    return rows


def sigmoid(x):  # noqa: ANN001, ANN201
    return 1 / (1 + np.exp(-x))


def predict(w, b, c, X, conflict, singles=None):  # noqa: ANN001, ANN201
    """The verdict the scorer gives, by the scorer's own rule (marking.decide)."""
    z = b + X @ w
    best, level = marking.decide(z.tolist(), conflict.tolist(), singles or [True] * len(z), c)
    return level, best


def fit_once(X, y, w0=None, b0=-3.0, c0=1.5, l2=0.001, steps=3000, lr=0.05):  # noqa: ANN001, ANN201
    """Ordinal logistic regression by Adam on the negative log-likelihood."""
    n, d = X.shape
    w = np.zeros(d) if w0 is None else w0.copy()
    params = np.concatenate([w, [b0, np.log(c0)]])
    m = np.zeros_like(params)
    v = np.zeros_like(params)
    for t in range(1, steps + 1):
        w, b, logc = params[:d], params[d], params[d + 1]
        c = np.exp(logc)
        z = b + X @ w
        s1, s2 = sigmoid(z), sigmoid(z - c)
        p0, p1, p2 = 1 - s1, np.clip(s1 - s2, 1e-9, None), s2
        dz = np.where(y == 0, -s1, np.where(y == 2, 1 - s2, (s1 * (1 - s1) - s2 * (1 - s2)) / p1))
        dc = np.where(y == 0, 0.0, np.where(y == 2, -(1 - s2), s2 * (1 - s2) / p1))
        grad = -np.concatenate([X.T @ dz, [dz.sum(), (dc * c).sum()]]) / n
        grad[:d] += l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        params -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    del p0, p2
    return params[:d], params[d], float(np.exp(params[d + 1]))


def fit(rows, rounds: int = 4, start=None):  # noqa: ANN001, ANN201
    d = rows[0]["X"].shape[1]
    w, b, c = (np.array(start[0]), start[1], start[2]) if start else (np.zeros(d), -3.0, 1.5)
    if start is None:
        w[0], w[2] = 4.0, 4.0
    for _ in range(rounds):
        X = np.array([r["X"][predict(w, b, c, r["X"], r["conflict"], r["singles"])[1]] for r in rows])
        y = np.array([r["y"] for r in rows])
        w, b, c = fit_once(X, y, w, b, c)
    return w, b, c


def agreement(rows, w, b, c) -> float:  # noqa: ANN001
    return float(np.mean([predict(w, b, c, r["X"], r["conflict"], r["singles"])[0] == r["y"] for r in rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="minilm", choices=["minilm", "static", "none"])
    parser.add_argument("--apply", action="store_true")
    args = parser.parse_args()
    similarities = None
    if args.model == "minilm":
        from studyapp.meaning import shared_model

        similarities = shared_model().load().similarities
    elif args.model == "static":
        similarities = static_similarities()
    rows = collect(similarities)
    if args.model == "none":
        for r in rows:
            r["X"] = r["X"].copy()
            r["X"][:, 2:4] = 0.0
    prompts = sorted({r["prompt"] for r in rows})
    cv = []
    levels: dict[int, int] = {}
    for held in prompts:
        train = [r for r in rows if r["prompt"] != held]
        test = [r for r in rows if r["prompt"] == held]
        w, b, c = fit(train)
        cv.append((len(test), agreement(test, w, b, c)))
        for r in test:
            levels[id(r)] = predict(w, b, c, r["X"], r["conflict"], r["singles"])[0]
    total = sum(n for n, _ in cv)
    print(f"model {args.model}: {len(rows)} points on {len(prompts)} fit prompts")
    print(f"leave-one-prompt-out agreement: {sum(n * a for n, a in cv) / total:.1%} "
          f"(per prompt {', '.join(f'{a:.0%}' for _, a in cv)})")
    shares: dict[str, list[float]] = {}
    for r in rows:
        if r["kind"] == "complete":
            shares.setdefault(r["outline"], []).append(levels[id(r)] / 2)
    wrong = [levels[id(r)] == 2 for r in rows if r["kind"] == "wrong-facts" and r["y"] == 0]
    print(f"  cross-validated: complete outlines score {np.mean([np.mean(v) for v in shares.values()]):.0%} on "
          f"average; wrong-fact points counted covered {np.mean(wrong):.0%}")
    w, b, c = fit(rows)
    print(f"agreement on all fit prompts: {agreement(rows, w, b, c):.1%}")
    # Paraphrase: points the marker counted covered where no unit gives even half the point's key terms.
    paraphrased = [r for r in rows if r["y"] == 2 and r["X"][:, 0].max() < 0.5]
    found = sum(predict(w, b, c, r["X"], r["conflict"], r["singles"])[0] >= 1 for r in paraphrased)
    print(f"paraphrased points found (covered or partly): {found} of {len(paraphrased)}")
    wrong = [r for r in rows if r["kind"] == "wrong-facts" and r["y"] == 0]
    covered = sum(predict(w, b, c, r["X"], r["conflict"], r["singles"])[0] == 2 for r in wrong)
    print(f"wrong-fact points counted covered: {covered} of {len(wrong)}")
    scale = 1.0
    print("features:", ", ".join(f"{n}={x * scale:.2f}" for n, x in zip(marking.FEATURES, w)))
    print(f"bias={b:.2f} covered_at={c:.2f}")
    if args.apply:
        name = "WITH_MEANING" if args.model != "none" else "WITHOUT_MEANING"
        print(f"WEIGHTS_{name} = ({', '.join(f'{x:.3f}' for x in w)})")
        print(f"BIAS_{name} = {b:.3f}")
        print(f"COVERED_AT = {c:.3f}")


if __name__ == "__main__":
    main()

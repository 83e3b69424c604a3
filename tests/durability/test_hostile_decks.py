"""Hostile deck files: random bytes, random TOML, huge strings, deep nesting, wrong types, colliding ids.

Thousands of generated files go through the real loader (`load_decks`, files on disk): none may
raise, and every problem must name the file it is about. About 2,700 cases in all.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.core.models import FACETS
from studyapp.deck_files import load_decks
from tests.deck_text import toml_value


def cases(n: int) -> settings:
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SOURCES = '[lecture-slides]\ntitle = "Lecture slides"\n'


def load_folder(files: dict[str, bytes]):  # noqa: ANN201
    """Write `files` (name -> bytes) into a fresh folder beside a good sources.toml and load it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sources.toml").write_text(SOURCES)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        result = load_decks([folder])
        names = set(files)
        for problem in result.problems:
            assert Path(problem.file).name in names, problem
            assert Path(problem.file).name in str(problem)  # the rendered message names the file too
            assert problem.message
        return result


scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=30) | st.sampled_from(["origins", "list", "basic", "lecture-slides:1-2", "", "1955"]))
values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                      | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=15)
card_keys = st.sampled_from(["id", "kind", "facet", "front", "back", "answers", "items", "source", "note", "x"])
essay_keys = st.sampled_from(["id", "prompt", "minutes", "points", "x"])


@cases(700)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    load_folder({"noise.toml": data})


@cases(700)
@given(st.dictionaries(st.sampled_from(["format", "id", "title", "summary", "tags", "card", "essay", "zz"]),
                       values, max_size=8),
       st.lists(st.dictionaries(card_keys, values, max_size=8), max_size=4),
       st.lists(st.dictionaries(essay_keys, values, max_size=5), max_size=2))
def test_random_toml_with_wrong_types(top: dict, cards: list[dict], essays: list[dict]) -> None:
    lines = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in top.items() if k not in ("card", "essay")]
    for table, items in (("card", cards), ("essay", essays)):
        for item in items:
            lines.append(f"[[{table}]]")
            lines += [f"{k} = {toml_value(v)}" for k, v in item.items()]
    load_folder({"deck.toml": "\n".join(lines).encode()})


@cases(300)
@given(st.sampled_from(["array", "inline", "dotted", "header", "string", "items", "many_cards"]),
       st.integers(min_value=1, max_value=20_000))
def test_huge_and_deeply_nested(kind: str, n: int) -> None:
    head = 'format = 1\nid = "deck"\ntitle = "Deck"\n'
    card = '[[card]]\nid = "c{i}"\nfacet = "origins"\nfront = "{front}"\nback = "b"\nsource = ["lecture-slides:1"]\n'
    text = {
        "array": head + "tags = " + "[" * n + "]" * n,
        "inline": head + "tags = " + "{a = " * n + "1" + "}" * n,
        "dotted": head + ".".join(["k"] * n) + " = 1",
        "header": head + "[" + ".".join(["t"] * n) + "]\n",
        "string": head + card.format(i=0, front="x" * (n * 50)),
        "items": head + card.format(i=0, front="q").replace('back = "b"', "items = [" + '"a",' * n + "]"),
        "many_cards": head + "".join(card.format(i=i % 50, front=i) for i in range(min(n, 2000))),
    }[kind]
    load_folder({"deck.toml": text.encode()})


@cases(1000)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y", "z"]),
                          st.lists(st.sampled_from(["c1", "c2", "c3"]), max_size=4)), min_size=1, max_size=5))
def test_ids_colliding_across_decks_and_folders(decks: list[tuple[str, str, list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folders = []
        for n, (folder_name, deck_id, card_ids) in enumerate(decks):
            folder = Path(tmp) / folder_name
            folder.mkdir(exist_ok=True)
            (folder / "sources.toml").write_text(SOURCES)
            cards = "".join(f'[[card]]\nid = "{c}"\nfacet = "{FACETS[0]}"\nfront = "Q{n}"\nback = "A"\n'
                            f'source = ["lecture-slides:1"]\n' for c in card_ids)
            (folder / f"{deck_id}.toml").write_text(f'format = 1\nid = "{deck_id}"\ntitle = "{deck_id}"\n{cards}')
            if folder not in folders:
                folders.append(folder)
        result = load_decks(folders)
        ids = [d.id for d in result.decks]
        assert len(ids) == len(set(ids))  # one deck per id, the rest reported
        for problem in result.problems:
            assert problem.file.endswith(".toml") and Path(problem.file).exists(), problem
        for deck in result.decks:
            card_ids = [c.id for c in deck.cards]
            assert len(card_ids) == len(set(card_ids))

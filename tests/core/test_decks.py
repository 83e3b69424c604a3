"""Deck parsing: good decks load; each kind of bad input is reported with file, line, id and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.core.decks import parse_deck
from studyapp.core.models import CardKind
from studyapp.deck_files import load_decks
from tests.deck_text import toml_value

SOURCES = {"lecture-slides": "Lecture slides"}

GOOD = textwrap.dedent('''\
    format = 1
    id = "demo"
    title = "Demo"
    tags = ["alliance"]

    [[card]]
    id = "one"
    facet = "origins"
    front = "When?"
    back = "In 1955."
    answers = ["1955"]
    source = ["lecture-slides:10-12"]

    [[card]]
    id = "two"
    kind = "list"
    facet = "members"
    front = "Who?"
    items = ["A", "B"]
    source = ["lecture-slides:20"]

    [[essay]]
    id = "e1"
    prompt = "Discuss."
    minutes = 10
    points = [
      { text = "A point.", cards = ["one"], source = ["lecture-slides:10-12"] },
    ]
    ''')


CLAIM = textwrap.dedent('''
    [[claim]]
    id = "c1"
    facet = "origins"
    text = "It was founded in 1955 because the West rearmed Germany."
    cards = ["one"]
    source = ["lecture-slides:10-12"]
    ''')
COMPARISON = textwrap.dedent('''
    [[comparison]]
    id = "k1"
    with = "other"
    dimension = "how members joined"
    text = "One was voluntary, the other imposed."
    cards = ["two"]
    with_cards = ["x"]
    source = ["lecture-slides:20"]
    ''')


def parse(text: str, stem: str = "demo"):
    return parse_deck(text, f"{stem}.toml", stem, SOURCES)


def test_format_2_reads_claims_and_comparisons() -> None:
    deck, problems = parse(GOOD.replace("format = 1", "format = 2").replace('title = "Demo"', 'title = "Demo"\nname = "the demo"')
                           + CLAIM + COMPARISON)
    assert problems == []
    assert deck is not None and deck.name == "the demo"
    assert [(c.id, c.facet, c.cards) for c in deck.claims] == [("c1", "origins", ("one",))]
    comparison = deck.comparisons[0]
    assert (comparison.with_deck, comparison.dimension, comparison.with_cards) == ("other", "how members joined", ("x",))


@pytest.mark.parametrize("change,field,words", [
    (lambda t: t.replace('cards = ["one"]\nsource = ["lecture-slides:10-12"]\n', 'cards = ["nope"]\nsource = ["lecture-slides:10-12"]\n'), "cards", "no card 'nope'"),
    (lambda t: t.replace('facet = "origins"\ntext', 'facet = "reasons"\ntext'), "facet", "not a facet"),
    (lambda t: t.replace('dimension = "how members joined"\n', ""), "dimension", "missing"),
    (lambda t: t.replace('with = "other"', 'with = "Other deck"'), "with", "not a deck id"),
])
def test_a_bad_claim_or_comparison_is_reported_with_its_line(change, field, words) -> None:  # noqa: ANN001
    text = change(GOOD.replace("format = 1", "format = 2") + CLAIM + COMPARISON)
    deck, problems = parse(text)
    assert deck is None
    problem = next(p for p in problems if p.field == field)
    assert words in problem.message and problem.line is not None
    assert text.splitlines()[problem.line - 1].lstrip().startswith((field, "[["))  # the field, or its block


def test_a_comparison_with_a_deck_not_loaded_is_a_warning(tmp_path: Path) -> None:
    from studyapp.core.decks import check_comparisons

    deck, _ = parse(GOOD.replace("format = 1", "format = 2") + COMPARISON)
    problems = check_comparisons([deck])
    assert [(p.item, p.field, p.severity) for p in problems] == [("k1", "with", "warning")]


def test_a_good_deck_loads() -> None:
    deck, problems = parse(GOOD)
    assert problems == []
    assert deck is not None
    assert [c.id for c in deck.cards] == ["one", "two"]
    assert deck.cards[1].kind is CardKind.LIST
    assert deck.cards[0].source[0].start == 10 and deck.cards[0].source[0].end == 12
    assert deck.cards[0].line == 6
    assert deck.essays[0].points[0].cards == ("one",)
    assert deck.tags == ("alliance",)


# Each case: a change to the good deck, and what the problem must name.
BAD = [
    ("not toml", lambda t: t.replace('title = "Demo"', 'title = "Demo'), None, None, "not valid TOML", 3),
    ("no format", lambda t: t.replace("format = 1\n", ""), None, "format", "missing", 1),
    ("newer format", lambda t: t.replace("format = 1", "format = 3"), None, "format", "newer", 1),
    ("claim in format 1", lambda t: t + CLAIM, None, "claim", "format = 2", 1),
    ("bad deck id", lambda t: t.replace('id = "demo"', 'id = "Demo!"'), None, "id", "a-z", 2),
    ("id is not the stem", lambda t: t.replace('id = "demo"', 'id = "other"'), None, "id", "stem", 2),
    ("no title", lambda t: t.replace('title = "Demo"\n', ""), None, "title", "missing", None),
    ("no card id", lambda t: t.replace('id = "one"\n', ""), "card at line 6", "id", "missing", 6),
    ("bad card id", lambda t: t.replace('id = "one"', 'id = "One Two"'), "One Two", "id", "a-z", 7),
    ("duplicate card id", lambda t: t.replace('id = "two"', 'id = "one"'), "one", "id", "twice", 14),
    ("bad facet", lambda t: t.replace('facet = "origins"', 'facet = "history"'), "one", "facet", "not a facet", 8),
    ("no facet", lambda t: t.replace('facet = "origins"\n', ""), "one", "facet", "missing", 6),
    ("bad kind", lambda t: t.replace('kind = "list"', 'kind = "cloze"'), "two", "kind", "basic", 16),
    ("no front", lambda t: t.replace('front = "When?"\n', ""), "one", "front", "missing", 6),
    ("basic without back", lambda t: t.replace('back = "In 1955."\n', ""), "one", "back", "missing", 6),
    ("list without items", lambda t: t.replace('items = ["A", "B"]\n', ""), "two", "items", "needs items", 14),
    ("answers not strings", lambda t: t.replace('answers = ["1955"]', "answers = [1955]"), "one", "answers",
     "list of non-empty strings", 11),
    ("no source", lambda t: t.replace('source = ["lecture-slides:10-12"]\n\n[[card]]', "\n[[card]]"), "one",
     "source", "missing", 6),
    ("bad locator", lambda t: t.replace('"lecture-slides:10-12"]\n\n', '"lecture-slides:12-10"]\n\n', 1), "one",
     "source", "not a locator", 12),
    ("unknown document", lambda t: t.replace("lecture-slides:20", "my-notes:20"), "two", "source",
     "unknown source document", 20),
    ("essay cites a missing card", lambda t: t.replace('cards = ["one"]', 'cards = ["nine"]'), "e1", "points",
     "no card 'nine'", 26),
    ("essay without points", lambda t: t.replace("points = [", "pointz = [").replace(
        '{ text = "A point.", cards = ["one"], source = ["lecture-slides:10-12"] },\n]', "\n]"), "e1", "points",
     "needs a list of points", 22),
    ("bad minutes", lambda t: t.replace("minutes = 10", "minutes = 0"), "e1", "minutes", "1 to 240", 25),
]


@pytest.mark.parametrize("name,change,item,field,words,line", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_reported_and_the_deck_skipped(name, change, item, field, words, line) -> None:
    deck, problems = parse(change(GOOD))
    assert deck is None, f"{name}: a deck with an error must be skipped"
    errors = [p for p in problems if p.severity == "error"]
    assert errors, name
    problem = errors[0]
    assert problem.file == "demo.toml"
    assert words in problem.message
    assert problem.item == item
    assert problem.field == field
    if line is not None:
        assert problem.line == line
    rendered = str(problem)
    assert rendered.startswith("demo.toml")
    if item:
        assert item in rendered


def test_unknown_keys_are_warnings_and_the_deck_still_loads() -> None:
    deck, problems = parse(GOOD.replace('front = "When?"', 'front = "When?"\nhint = "think"'))
    assert deck is not None
    assert [p.severity for p in problems] == ["warning"]
    assert problems[0].item == "one" and problems[0].field == "hint"


def test_a_broken_deck_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text('[lecture-slides]\ntitle = "Slides"\n')
    (tmp_path / "demo.toml").write_text(GOOD)
    (tmp_path / "broken.toml").write_text(GOOD.replace('id = "demo"', 'id = "broken"').replace(
        'facet = "members"', 'facet = "nope"'))
    (tmp_path / "binary.toml").write_bytes(b"\xff\xfe\x00garbage")
    result = load_decks([tmp_path])
    assert [d.id for d in result.decks] == ["demo"]
    files = {Path(p.file).name for p in result.errors}
    assert files == {"broken.toml", "binary.toml"}
    broken = next(p for p in result.errors if p.file.endswith("broken.toml"))
    assert (broken.item, broken.field, broken.line) == ("two", "facet", 17)


def test_a_deck_id_used_twice_across_folders_is_reported(tmp_path: Path) -> None:
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "sources.toml").write_text('[lecture-slides]\ntitle = "Slides"\n')
        (folder / "demo.toml").write_text(GOOD)
    result = load_decks([tmp_path / "a", tmp_path / "b"])
    assert len(result.decks) == 1
    assert any("already used" in p.message and "b/demo.toml" in p.file for p in result.errors)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_deck_or_problems_never_an_exception(text: str) -> None:
    deck, problems = parse_deck(text, "x.toml", "x", SOURCES)
    assert deck is not None or problems
    assert all(p.file == "x.toml" for p in problems)


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "kind", "facet", "front", "back", "answers", "items", "source",
                                        "note", "tags", "other"]), toml_values, max_size=9))
def test_wrongly_typed_card_fields_are_reported_not_raised(card: dict) -> None:
    body = "\n".join(f"{k} = {toml_value(v)}" for k, v in card.items())
    text = f'format = 1\nid = "x"\ntitle = "X"\n\n[[card]]\n{body}\n'
    deck, problems = parse_deck(text, "x.toml", "x", SOURCES)
    assert deck is not None or problems

"""The parsed-deck cache: unchanged files are not parsed again, and any change is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from studyapp.core.stats import topic_layout
from studyapp.deck_files import INDEX_FILE, LazyDeck, card_ids, load_decks

BUNDLED = Path(__file__).parent.parent / "decks"


def test_a_second_load_comes_from_the_cache_and_equals_a_parse(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parsed = load_decks([BUNDLED])
    first = load_decks([BUNDLED], cache)
    cached = load_decks([BUNDLED], cache)
    assert not any(isinstance(d, LazyDeck) for d in first.decks)
    assert cached.decks and all(isinstance(d, LazyDeck) for d in cached.decks)
    assert [card_ids(d) for d in cached.decks] == [card_ids(d) for d in parsed.decks]
    assert all(d._content is None for d in cached.decks)  # nothing read yet: ids come from the index
    # the statistics' topic layout (each card's facet, each topic's size) needs no cards either
    assert topic_layout(cached.decks) == topic_layout(parsed.decks)
    assert all(d._content is None for d in cached.decks)
    assert [d.cards for d in cached.decks] == [d.cards for d in parsed.decks]
    assert [d.essays for d in cached.decks] == [d.essays for d in parsed.decks]
    assert cached.problems == parsed.problems
    assert cached.card(parsed.decks[0].id, parsed.decks[0].cards[0].id) == parsed.decks[0].cards[0]


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    decks, cache = tmp_path / "decks", tmp_path / "cache"
    shutil.copytree(BUNDLED, decks)
    load_decks([decks], cache)
    target = decks / "nato.toml"
    text = target.read_text()
    target.write_text(text.replace('title = "', 'title = "Changed: ', 1))
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 1_000_000))
    result = load_decks([decks], cache)
    nato = result.deck("nato")
    assert nato is not None and nato.title.startswith("Changed: ") and not isinstance(nato, LazyDeck)
    assert isinstance(result.deck("warsaw_pact"), LazyDeck)


def test_a_broken_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_decks([BUNDLED], cache)
    (cache / INDEX_FILE).write_bytes(b"garbage")
    result = load_decks([BUNDLED], cache)
    assert result.decks and not any(isinstance(d, LazyDeck) for d in result.decks)
    assert all(isinstance(d, LazyDeck) for d in load_decks([BUNDLED], cache).decks)


def test_a_bad_deck_is_remembered_as_bad(tmp_path: Path) -> None:
    decks, cache = tmp_path / "decks", tmp_path / "cache"
    shutil.copytree(BUNDLED, decks)
    (decks / "broken.toml").write_text('format = 1\nid = "broken"\n')
    first = load_decks([decks], cache)
    again = load_decks([decks], cache)
    assert [str(p) for p in first.errors] == [str(p) for p in again.errors] and again.errors
    assert again.deck("broken") is None

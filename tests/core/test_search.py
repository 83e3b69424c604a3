"""The browser's search index and its sorted results."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.core.models import Card, CardProgress, LearnState
from studyapp.core.search import Browser, BrowseRow, CardIndex

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def test_a_query_matches_by_prefix_by_typo_and_needs_every_word() -> None:
    index = CardIndex(["The Warsaw Pact was founded in 1955", "NATO was founded in 1949", "Not a treaty"])
    assert index.search("") is None
    assert index.search("wars") == {0}  # a prefix, as the student is still typing
    assert index.search("warsw") == {0}  # a typo of "warsaw"
    assert index.search("founded") == {0, 1}
    assert index.search("founded 1949") == {1}  # every word must match
    assert index.search("nat") == {1}  # short words match by prefix only: "nat" is not a typo of "not"
    assert index.search("zzzz") == set()


def test_a_long_word_typed_in_full_does_not_find_a_short_different_one() -> None:
    index = CardIndex(["Pleven proposed a European army", "Eleven states signed", "It was even worse",
                       "The Pleven Plan"])
    assert index.search("pleven") == {0, 3}  # not "eleven" nor "even"
    assert index.search("plevn") == {0, 3}  # still forgives a typo


def browser(count: int, seed_progress: bool = True) -> Browser:
    rows = [BrowseRow(Card("d", f"c{i}", ("aims", "members", "origins")[i % 3], f"Question {(i * 7) % count}"),
                      f"Deck {i // 10}") for i in range(count)]
    progress = {}
    if seed_progress:
        for i in range(0, count, 2):  # every other card studied, the rest new
            progress[("d", f"c{i}")] = CardProgress("d", f"c{i}", state=LearnState.REVIEW, stability=float(i % 17),
                                                   due=NOW + timedelta(days=i % 5), lapses=i % 4)
    return Browser(rows, progress)


@settings(max_examples=60, deadline=None)
@given(wanted=st.one_of(st.none(), st.sets(st.integers(0, 199))), key=st.sampled_from(Browser.SORT_KEYS),
       reverse=st.booleans())
def test_results_are_the_matches_in_the_columns_order(wanted: set[int] | None, key: str, reverse: bool) -> None:
    # A few matches are sorted by rank, many are filtered from the order: both must give the order's sequence.
    b = browser(200)
    expected = [n for n in b.order(key) if wanted is None or n in wanted]
    if reverse:
        expected.reverse()
    assert b.results(wanted, key, reverse) == expected


def test_sorting_by_due_puts_new_cards_last_and_follows_new_answers() -> None:
    b = browser(20)
    by_due = b.results(None, "due", False)
    assert all(n % 2 == 1 for n in by_due[10:])  # the ten new cards come after every studied one
    assert b.results({1, 2, 4}, "due", False) == [2, 4, 1]  # due in 2 days, 4 days, new
    b.progress[("d", "c1")] = CardProgress("d", "c1", state=LearnState.REVIEW, due=NOW - timedelta(days=1))
    b.invalidate()  # as after an answer: the order by due is rebuilt
    assert b.results({1, 2, 4}, "due", False) == [1, 2, 4]


def test_cells_show_new_cards_and_studied_ones() -> None:
    b = browser(4)
    assert b.cells(1, NOW) == ("Deck 0", "members", "Question 3", "new", "-", "-")
    deck, facet, front, due, stability, lapses = b.cells(2, NOW)
    assert (deck, facet, due, stability, lapses) == ("Deck 0", "origins", "2d", "2.0", "2")

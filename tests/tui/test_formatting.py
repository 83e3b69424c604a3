"""How counts, deck titles and citations read on screen."""

from __future__ import annotations

import pytest

from studyapp.core.models import Locator
from studyapp.tui.formatting import count, describe_locators, short_title


@pytest.mark.parametrize("title,short", [
    ("NATO Training Mission - Afghanistan (NTM-A)", "NTM-A"), ("ISAF: lessons for NATO", "ISAF"),
    ("The European Defence Community", "EDC"), ("The Warsaw Pact", "Warsaw Pact"), ("The OSCE", "OSCE"),
])
def test_a_deck_title_in_a_narrow_column(title: str, short: str) -> None:
    assert short_title(title) == short


def test_counts_read_as_english() -> None:
    assert [count(n, "answer") for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]
    assert count(1, "essay prompt") + " due" == "1 essay prompt due"


def test_a_citation_names_each_document_once() -> None:
    locators = (Locator("slides", 963, 969), Locator("slides", 981, 981), Locator("volume", 15, 21))
    assert describe_locators(locators, {"slides": "Slides", "volume": "Volume"}) == \
        "Slides, lines 963-969, 981; Volume, lines 15-21"
    assert describe_locators((Locator("slides", 981, 981),), {"slides": "Slides"}) == "Slides, line 981"

"""No fact is taught by a note alone: a student reads notes but is never asked them (tests/deck_notes.py)."""

from __future__ import annotations

from studyapp import paths
from studyapp.core.models import Card, Deck
from studyapp.deck_files import load_decks
from tests.deck_notes import offenders


def test_no_bundled_card_teaches_a_number_only_in_its_note() -> None:
    decks = load_decks([paths.bundled_decks_dir()]).decks
    assert [f"{d}/{c}: {', '.join(n)}" for d, c, n, _ in offenders(decks)] == []


def _deck(*cards: Card) -> Deck:
    return Deck(id="d", title="D", summary="", cards=cards)


def test_a_number_in_a_note_needs_a_card_that_teaches_it() -> None:
    signed = Card("d", "signed", "origins", "When was the treaty signed?", back="In 1948.",
                  note="It was signed on 17 March 1948 in Brussels.")
    assert offenders([_deck(signed)]) == [("d", "signed", ["17"], signed.note)]
    day = Card("d", "day", "origins", "On what day was it signed?", back="17 March 1948.")
    assert offenders([_deck(signed, day)]) == []  # another card teaches the day
    colour = Card("d", "signed", "origins", "When?", back="In 1948.", note="Signed on 17 March.", note_colour=True)
    assert offenders([_deck(colour)]) == []


def test_a_note_quoting_a_document_s_wrong_figure_is_not_teaching() -> None:
    card = Card("d", "founded", "origins", "When was the Pact founded?", back="On 14 May 1955.",
                note="The slides say 1956; the treaty was signed in 1955.")
    assert offenders([_deck(card)]) == []


def test_what_a_student_reads_never_names_the_internal_list_of_document_errors() -> None:
    import re

    folder = paths.bundled_decks_dir()
    label = re.compile(r"KNOWN[-_ ]ERRORS|\((?:[A-E]\d{1,2})(?:,\s*[A-E]\d{1,2})*\)")
    texts = {p.name: p.read_text(encoding="utf-8") for p in [*folder.glob("*.toml"), folder / "ERRATA.md"]}
    assert {name: label.findall(text) for name, text in texts.items() if label.search(text)} == {}

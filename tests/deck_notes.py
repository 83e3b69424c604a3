"""Facts taught only by a note: a student reads a note but is never asked it.

Every number a card's note states must be taught by some card of the same deck (its front, back, items or
answers), unless the note only adds colour (`note_colour = true`, kept rare) or the sentence reports what a
course document says (a correction quoting the document's wrong figure). Run as a script to list offenders:

    PYTHONPATH=. .venv/bin/python -m tests.deck_notes [DECK_ID ...]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

from studyapp.core.models import Card, Deck

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A note sentence that reports a document's wording: its numbers are the document's, not the card's teaching.
REPORTS_DOCUMENT = re.compile(r"\b(slides?|documents?|report|chapter|volume|authors?|prints?|says|gives)\b",
                              re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.;])\s+")


def taught_numbers(cards: Iterable[Card]) -> set[str]:
    return {n for c in cards for n in NUMBER.findall(" ".join([c.front, c.back, *c.items, *c.answers]))}


def numbers_only_in_note(card: Card, taught: set[str]) -> list[str]:
    if card.note_colour:
        return []
    found: list[str] = []
    for sentence in SENTENCE_END.split(card.note):
        if not REPORTS_DOCUMENT.search(sentence):
            found += [n for n in NUMBER.findall(sentence) if n not in taught and n not in found]
    return found


def offenders(decks: Iterable[Deck]) -> list[tuple[str, str, list[str], str]]:
    """(deck id, card id, numbers taught only by the note, the note) for every offending card."""
    rows = []
    for deck in decks:
        taught = taught_numbers(deck.cards)
        for card in deck.cards:
            if numbers := numbers_only_in_note(card, taught):
                rows.append((deck.id, card.id, numbers, card.note))
    return rows


if __name__ == "__main__":
    from studyapp import paths
    from studyapp.deck_files import load_decks

    wanted = set(sys.argv[1:])
    decks = [d for d in load_decks([paths.bundled_decks_dir()]).decks if not wanted or d.id in wanted]
    rows = offenders(decks)
    for deck_id, card_id, numbers, note in rows:
        print(f"{deck_id}/{card_id}: {', '.join(numbers)} only in the note: {note[:110]}")
    print(f"{len(rows)} cards of {sum(len(d.cards) for d in decks)} teach a number only in their note")

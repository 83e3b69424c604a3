"""The pure part of import and export: no files, no database, no Textual.

Export: each card becomes a note with the fields Front, Back, Note and Source (HTML, as Anki
keeps fields), tags from its facet (`facet::origins`), its deck's tags (`deck::cold-war`) and its
own, in the Anki deck `Security cooperation::<deck title>`, with a guid that names the deck and the
card (`studyapp/nato/founded`), so exporting again updates the same notes in Anki.

Import: notes read from a package or a CSV file (`ForeignNote`, fields already HTML) become the
cards of user decks (`plan_import`): basic notes as basic cards (a back that is an HTML list as a
list card), each gap of a cloze note as a card whose answer is the gap. A card's id comes from its
note's guid, so importing the same file again finds the same cards. A card must cite its source:
a Source field written by studyapp (`title, lines 981-985 [lecture-slides:981-985]`) is read back;
a note without one cites its own package, with the note's number in place of a line
(`anki-<deck>:<n>`), and that "document" is added to the user's sources.toml.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from studyapp.core.deck_fields import CARD_ID, LOCATOR, parse_locator
from studyapp.core.decks import DECK_ID
from studyapp.core.models import FACETS, Card, CardKind, Deck, Locator
from studyapp.interchange.fields import cloze_card, cloze_numbers, html_items, html_to_text, media_in  # noqa: F401 - named here too

ROOT_DECK = "Security cooperation"  # exported decks are its subdecks: "Security cooperation::The Warsaw Pact"
FIELD_NAMES = ("Front", "Back", "Note", "Source")
GUID_PREFIX = "studyapp"
FACET_TAG = "facet::"
DECK_TAG = "deck::"
IMPORTED_PREFIX = "anki_"  # imported deck ids start so, and never meet a bundled deck's id
DEFAULT_FACET = "origins"  # for a card whose note has no facet tag (the README says so)
LIST_SEPARATOR = " | "  # list items in one CSV cell


# --- export -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportNote:
    guid: str
    deck: str  # the Anki deck's full name, "Security cooperation::<title>"
    front: str  # the four fields, as HTML
    back: str
    note: str
    source: str
    tags: tuple[str, ...]
    card: Card

    @property
    def fields(self) -> list[str]:
        return [self.front, self.back, self.note, self.source]


def note_guid(deck_id: str, card_id: str) -> str:
    return f"{GUID_PREFIX}/{deck_id}/{card_id}"


def anki_deck_name(deck: Deck) -> str:
    return f"{ROOT_DECK}::{deck.title.replace('::', ':')}"


def text_to_html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def items_to_html(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{text_to_html(item)}</li>" for item in items) + "</ul>"


def source_text(locators: Iterable[Locator], sources: Mapping[str, str]) -> list[str]:
    """Each locator as a person reads it, with the locator itself in brackets so an import reads it back."""
    parts = []
    for loc in locators:
        lines = f"line {loc.start}" if loc.start == loc.end else f"lines {loc.start}-{loc.end}"
        parts.append(f"{sources.get(loc.key, loc.key)}, {lines} [{loc}]")
    return parts


def anki_tag(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip())  # Anki's tags have no spaces


def card_tags(card: Card, deck: Deck) -> tuple[str, ...]:
    tags = [FACET_TAG + card.facet, *(DECK_TAG + anki_tag(t) for t in deck.tags), *(anki_tag(t) for t in card.tags)]
    return tuple(dict.fromkeys(t for t in tags if t))


def export_notes(decks: Iterable[Deck], sources: Mapping[str, str]) -> list[ExportNote]:
    notes = []
    for deck in decks:
        name = anki_deck_name(deck)
        for card in deck.cards:
            back = items_to_html(card.items) if card.kind is CardKind.LIST else text_to_html(card.back)
            notes.append(ExportNote(note_guid(deck.id, card.id), name, text_to_html(card.front), back,
                                    text_to_html(card.note), "<br>".join(text_to_html(s) for s in
                                                                         source_text(card.source, sources)),
                                    card_tags(card, deck), card))
    return notes


# --- sources ------------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"\[(" + LOCATOR.pattern + r")\]")
_LINES_SUFFIX = re.compile(r",?\s*lines?\s+\d+(?:\s*[-–]\s*\d+)?\s*$")


def parse_source_text(text: str) -> list[tuple[Locator, str | None]]:
    """The locators a Source field or cell names, each with the document title written before it (or None).

    Reads studyapp's own form (`title, lines 981-985 [lecture-slides:981-985]`, several joined by
    line breaks or `;`), or bare locators (`lecture-slides:981-985; lecture-slides:990`).
    """
    found: list[tuple[Locator, str | None]] = []
    last = 0
    for m in _BRACKETED.finditer(text):
        loc = parse_locator(m.group(1))
        title = _LINES_SUFFIX.sub("", text[last:m.start()].strip(" \n;,")).strip()
        last = m.end()
        if loc is not None:
            found.append((loc, title or None))
    if found:
        return found
    words = [w for w in re.split(r"[;,\s]+", text.strip()) if w]
    locs = [parse_locator(w) for w in words]
    if words and all(locs):
        return [(loc, None) for loc in locs if loc is not None]  # all are, as checked above
    return []


def source_key(deck_id: str) -> str:
    """The sources.toml key of an imported deck's own package (a locator key allows a-z, 0-9 and -)."""
    return deck_id.replace("_", "-")


# --- import -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ForeignNote:
    """A note read from a package or a CSV row. Text fields are plain text already, except `back_html`."""

    guid: str
    deck: str  # the Anki deck's full name
    front: str
    back: str
    note: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    cloze: bool = False
    items: tuple[str, ...] | None = None  # a list card's items
    answers: tuple[str, ...] = ()
    ords: tuple[int, ...] = (0,)  # the note's cards in the package (cloze gap n is ord n-1)
    where: str = ""  # "line 12" in a CSV file, for messages


@dataclass
class ImportPlan:
    """What an import will write: the decks, sources to add, which Anki card each studyapp card is, what was skipped."""

    decks: list[Deck] = field(default_factory=list)
    new_sources: dict[str, str] = field(default_factory=dict)
    card_of: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # (guid, ord) -> (deck, card)
    skipped: Counter = field(default_factory=Counter)  # reason -> notes or cards left out
    problems: list[str] = field(default_factory=list)  # CSV: rows that are not cards (the import is refused)


def slug(text: str, limit: int = 40) -> str:
    value = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return value[:limit].strip("_") or "deck"


def deck_title(anki_name: str) -> str:
    """"Security cooperation::The Warsaw Pact" -> "The Warsaw Pact"."""
    parts = [p.strip() for p in anki_name.split("::") if p.strip()]
    return parts[-1] if parts else "Imported cards"


def imported_deck_id(anki_name: str, notes: Iterable[ForeignNote] = ()) -> str:
    """`anki_` and the deck's id when studyapp exported it (its notes' guids say so), else its name as a slug."""
    own = {parts[1] for n in notes if len(parts := n.guid.split("/")) == 3 and parts[0] == GUID_PREFIX}
    if len(own) == 1 and DECK_ID.fullmatch(deck_id := own.pop()):
        return IMPORTED_PREFIX + deck_id
    parts = [p.strip() for p in anki_name.split("::") if p.strip()]
    if len(parts) > 1 and parts[0] == ROOT_DECK:
        parts = parts[1:]
    return IMPORTED_PREFIX + slug("_".join(parts) or "imported")


def card_id_of(guid: str) -> str:
    """A card id from a note guid: studyapp's own guids give back the card's id; others a short hash."""
    parts = guid.split("/")
    if len(parts) == 3 and parts[0] == GUID_PREFIX and CARD_ID.fullmatch(parts[2]):
        return parts[2]
    return "n" + hashlib.sha1(guid.encode()).hexdigest()[:12]


def _facet_and_tags(tags: Iterable[str]) -> tuple[str | None, list[str], list[str]]:
    facet = None
    deck_tags: list[str] = []
    card_tags_: list[str] = []
    for tag in tags:
        if tag.startswith(FACET_TAG) and tag[len(FACET_TAG):] in FACETS:
            facet = facet or tag[len(FACET_TAG):]
        elif tag.startswith(DECK_TAG) and tag[len(DECK_TAG):]:
            deck_tags.append(tag[len(DECK_TAG):])
        elif tag in FACETS and facet is None:
            facet = tag
        elif tag:
            card_tags_.append(tag)
    return facet, deck_tags, card_tags_


def plan_import(notes: Iterable[ForeignNote], known_sources: Mapping[str, str], origin: str,
                strict: bool = False) -> ImportPlan:
    """Turn notes into decks (one per Anki deck). `known_sources`: document key -> title the app knows;
    `origin` names the file, for the source of notes that cite none. `strict` (CSV): a row that cannot
    be a card is a problem that stops the import; otherwise (packages) it is skipped and counted."""
    plan = ImportPlan()
    by_deck: dict[str, list[ForeignNote]] = {}
    for note in notes:
        by_deck.setdefault(note.deck, []).append(note)
    sources = dict(known_sources)
    for anki_name, deck_notes in by_deck.items():
        deck_id = imported_deck_id(anki_name, deck_notes)
        while any(d.id == deck_id for d in plan.decks):  # two Anki names with one slug
            deck_id += "_2"
        title = deck_title(anki_name)
        own_key = source_key(deck_id)
        cards: list[Card] = []
        seen: set[str] = set()
        deck_tags: list[str] = []
        for number, note in enumerate(deck_notes, 1):
            facet, note_deck_tags, tags = _facet_and_tags(note.tags)
            deck_tags += note_deck_tags
            cited = parse_source_text(note.source)
            for loc, doc_title in cited:
                if loc.key not in sources:
                    sources[loc.key] = plan.new_sources[loc.key] = doc_title or f"{loc.key} (cited by imported cards)"
            locators = tuple(loc for loc, _ in cited)
            if not locators:
                locators = (Locator(own_key, number, number),)
                if own_key not in sources:
                    sources[own_key] = plan.new_sources[own_key] = (
                        f"Anki deck “{anki_name}” from {origin} (numbers are its notes, not lines)")
            base_id = card_id_of(note.guid)
            if note.cloze:
                numbers = cloze_numbers(note.front)
                if not numbers:
                    _skip(plan, strict, note, "cloze notes without a gap")
                    continue
                made = [(f"{base_id}-c{n}", n - 1, *cloze_card(note.front, n)) for n in numbers]
            else:
                made = [(base_id, 0, note.front, note.back)]
                if any(o != 0 for o in note.ords):
                    plan.skipped["reverse cards (only each note's first card is imported)"] += sum(
                        1 for o in note.ords if o != 0)
            for card_id, ord_, front, back in made:
                front = front.strip()
                items = tuple(i.strip() for i in note.items) if note.items is not None and not note.cloze else None
                if not front:
                    _skip(plan, strict, note, "notes with an empty front")
                    continue
                if items is not None and (not items or not all(items)):
                    _skip(plan, strict, note, "list notes with an empty item")
                    continue
                if items is None and not back.strip():
                    _skip(plan, strict, note, "notes with an empty back")
                    continue
                if card_id in seen:
                    _skip(plan, strict, note, "notes that repeat another note's id")
                    continue
                seen.add(card_id)
                card = Card(deck_id=deck_id, id=card_id, facet=facet or DEFAULT_FACET, front=front,
                            kind=CardKind.LIST if items is not None else CardKind.BASIC,
                            back="" if items is not None else back.strip(), answers=note.answers,
                            items=items or (), tags=tuple(dict.fromkeys(tags)), source=locators,
                            note=note.note.strip())
                cards.append(card)
                plan.card_of[(note.guid, ord_)] = (deck_id, card_id)
        if cards:
            plan.decks.append(Deck(id=deck_id, title=title, tags=tuple(dict.fromkeys(deck_tags)),
                                   cards=tuple(cards), summary=f"Imported from {origin}."))
    return plan


_ROW_PROBLEMS = {  # a skipped note's reason, said of one CSV row
    "cloze notes without a gap": "a cloze note with no {{c1::...}} gap",
    "notes with an empty front": "the front is empty",
    "list notes with an empty item": "a list item is empty",
    "notes with an empty back": "the back is empty",
    "notes that repeat another note's id": "its GUID is used by an earlier row",
}


def _skip(plan: ImportPlan, strict: bool, note: ForeignNote, reason: str) -> None:
    if strict:
        plan.problems.append(f"{note.where or note.guid}: {_ROW_PROBLEMS[reason]}")
    else:
        plan.skipped[reason] += 1


# --- deck files -----------------------------------------------------------------------------------------

def deck_toml(deck: Deck, origin: str) -> str:
    """A user deck file (format 1) holding `deck`'s cards, as `studyapp import` writes it."""
    import tomli_w

    cards = []
    for card in deck.cards:
        entry: dict = {"id": card.id}
        if card.kind is CardKind.LIST:
            entry["kind"] = "list"
        entry["facet"] = card.facet
        entry["front"] = card.front
        if card.kind is CardKind.BASIC:
            entry["back"] = card.back
        if card.answers:
            entry["answers"] = list(card.answers)
        if card.items:
            entry["items"] = list(card.items)
        if card.tags:
            entry["tags"] = list(card.tags)
        entry["source"] = [str(loc) for loc in card.source]
        if card.note:
            entry["note"] = card.note
        cards.append(entry)
    data = {"format": 1, "id": deck.id, "title": deck.title, "summary": deck.summary, "tags": list(deck.tags),
            "card": cards}
    return (f"# Imported from {origin} by `studyapp import`. Importing that file again replaces this one:\n"
            f"# copy it under another name (and id) before editing it by hand.\n\n") + tomli_w.dumps(data)


# --- the review history -------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnkiReview:
    """One row of Anki's revlog: `id` is when, in milliseconds since the epoch."""

    id: int
    ease: int  # 1-4 the button; 0 for a manual entry
    type: int  # 0 learn, 1 review, 2 relearn, 3 filtered deck, 4 manual, 5 rescheduled
    ivl: int = 0
    time_ms: int = 0


REAL_REVIEW_TYPES = {0, 1, 2, 3}


def real_reviews(entries: Iterable[AnkiReview]) -> list[AnkiReview]:
    """The answers to replay, oldest first: ease 1-4 of a learning, review, relearning or filtered-deck
    review. Manual and rescheduled entries (set due date, reposition) are not answers; a "forget"
    (a manual entry back to new) starts the card over, so only what came after it counts."""
    ordered = sorted(entries, key=lambda r: r.id)
    start = 0
    for i, r in enumerate(ordered):
        if r.type == 4 and r.ease == 0 and r.ivl == 0:
            start = i + 1
    return [r for r in ordered[start:] if r.type in REAL_REVIEW_TYPES and 1 <= r.ease <= 4]

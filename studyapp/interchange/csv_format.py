"""CSV in the shape Anki's text importer reads and writes.

Anki reads `#key:value` lines at the top (`#separator`, `#html`, `#notetype`, `#deck`, `#columns`,
`#tags column`, `#deck column`, `#guid column`), then one note a row. studyapp writes the columns
Front, Back, Note, Source, Tags, Deck, GUID, Kind, Answers: a list card's items (and a card's
accepted answers) joined with " | ", its source as `title, lines 981-985 [lecture-slides:981-985]`,
the facet and the deck's tags as tags (`facet::origins`, `deck::cold-war`). So Anki imports the
file as it is (GUID keeps re-imports from duplicating), and studyapp reads back every field.

A spreadsheet needs only Front and Back: without a #columns line the columns are taken as Front,
Back, Note, Source, Tags; without a GUID a card's id comes from its front (so importing again
updates it, and a card whose front was reworded comes in as a new card).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from studyapp.core.models import CardKind, Deck
from studyapp.interchange.notes import (
    LIST_SEPARATOR,
    ForeignNote,
    card_tags,
    export_notes,
    html_items,
    html_to_text,
    source_text,
)
from studyapp.interchange.replacing import replacing

COLUMNS = ("Front", "Back", "Note", "Source", "Tags", "Deck", "GUID", "Kind", "Answers")
DEFAULT_COLUMNS = ("front", "back", "note", "source", "tags")
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
MAX_CSV_BYTES = 50_000_000  # 100,000 cards of a generated deck take about 30 MB


class BadCsv(Exception):
    """The file cannot be imported as cards; `str()` says why (and on which lines). Nothing was changed."""


def csv_text(decks: Iterable[Deck], sources: Mapping[str, str]) -> str:
    out = io.StringIO()
    out.write("#separator:Comma\n#html:false\n#notetype:studyapp card\n")
    out.write("#columns:" + ",".join(COLUMNS) + "\n")
    out.write(f"#tags column:{COLUMNS.index('Tags') + 1}\n#deck column:{COLUMNS.index('Deck') + 1}\n"
              f"#guid column:{COLUMNS.index('GUID') + 1}\n")
    writer = csv.writer(out, lineterminator="\n")
    decks = list(decks)
    by_id = {d.id: d for d in decks}
    for note in export_notes(decks, sources):
        card = note.card
        back = LIST_SEPARATOR.join(card.items) if card.kind is CardKind.LIST else card.back
        writer.writerow([card.front, back, card.note, "; ".join(source_text(card.source, sources)),
                         " ".join(card_tags(card, by_id[card.deck_id])), note.deck, note.guid, card.kind.value,
                         LIST_SEPARATOR.join(card.answers)])
    return out.getvalue()


def write_csv(decks: Iterable[Deck], sources: Mapping[str, str], path: Path) -> int:
    """Write the decks' cards to `path` (whole, or not at all); returns how many."""
    decks = list(decks)
    text = csv_text(decks, sources)
    with replacing(Path(path)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return sum(len(d.cards) for d in decks)


def read_csv(path: Path) -> list[ForeignNote]:
    """The notes in a CSV file; raises BadCsv when it cannot be read as cards."""
    path = Path(path)
    if not path.is_file():
        raise BadCsv(f"{path}: no such file" if not path.exists() else f"{path} is not a file")
    if path.stat().st_size > MAX_CSV_BYTES:
        raise BadCsv(f"{path.name} is {path.stat().st_size / 1e6:.0f} MB; a CSV file of cards may be at most "
                     f"{MAX_CSV_BYTES // 1_000_000} MB")
    data = path.read_bytes()
    if b"\0" in data[:4096]:
        raise BadCsv(f"{path.name} is not a CSV file: it holds binary data (an Anki package? use its .apkg name)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadCsv(f"{path.name} is not UTF-8 text (byte {exc.start + 1}); save it from the spreadsheet as "
                     "“CSV UTF-8”") from exc
    return parse_csv(text, path.stem)


def parse_csv(text: str, default_deck: str) -> list[ForeignNote]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header: dict[str, str] = {}
    skip = 0
    for line in lines:
        if not line.startswith("#") or ":" not in line:
            break
        key, _, value = line[1:].partition(":")
        header[key.strip().lower()] = value.strip()
        skip += 1
    body = "\n".join(lines[skip:])
    sep = _separator(header.get("separator"), body)
    use_html = header.get("html", "false").lower() == "true"
    if "columns" in header:
        columns = [c.strip().lower() for c in header["columns"].split(sep)]
    else:
        columns = list(DEFAULT_COLUMNS)
    for name in ("tags", "deck", "guid", "notetype"):
        spec = header.get(f"{name} column")
        if spec and spec.isdigit() and int(spec) >= 1:
            index = int(spec) - 1
            columns += [""] * (index + 1 - len(columns))
            columns = [("" if c == name else c) for c in columns]
            columns[index] = name
    if "front" not in columns:
        raise BadCsv(f"the #columns line names no Front column (it names {', '.join(c for c in columns if c)})")
    deck_default = header.get("deck") or default_deck
    notes: list[ForeignNote] = []
    reader = csv.reader(io.StringIO(body), delimiter=sep)
    line_no = skip
    for row in reader:
        first_line = line_no + 1
        line_no = skip + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i] if i < len(row) else "") for i, name in enumerate(columns) if name}
        notes.append(_note(values, use_html, deck_default, f"line {first_line}"))
    if not notes:
        raise BadCsv("there are no cards in it: no row after the #header lines")
    return notes


def _separator(name: str | None, body: str) -> str:
    if name:
        if name.lower() in SEPARATORS:
            return SEPARATORS[name.lower()]
        if len(name) == 1:
            return name
        raise BadCsv(f"#separator:{name} is not a separator Anki knows (Comma, Semicolon, Tab, Space, Pipe, Colon)")
    sample = body[:10_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _note(values: dict[str, str], use_html: bool, deck_default: str, where: str) -> ForeignNote:
    def text(name: str) -> str:
        value = values.get(name, "")
        return html_to_text(value) if use_html else value.strip()

    front = text("front")
    raw_back = values.get("back", "")
    kind = values.get("kind", "").strip().lower()
    items: tuple[str, ...] | None = None
    if use_html and (found := html_items(raw_back)) is not None:
        items = tuple(found)
    elif kind == "list" or (kind == "" and LIST_SEPARATOR in raw_back):
        items = tuple(i.strip() for i in text("back").split(LIST_SEPARATOR.strip()))
    answers = tuple(a.strip() for a in text("answers").split(LIST_SEPARATOR.strip()) if a.strip())
    guid = values.get("guid", "").strip() or "csv/" + hashlib.sha1(front.encode()).hexdigest()[:16]
    return ForeignNote(guid=guid, deck=values.get("deck", "").strip() or deck_default, front=front,
                       back=text("back") if items is None else "", note=text("note"), source=text("source"),
                       tags=tuple(values.get("tags", "").split()), items=items, answers=answers,
                       cloze="{{c1::" in front and kind != "basic", where=where)

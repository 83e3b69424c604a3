"""Anki packages: written with genanki, read with the standard library (zipfile, sqlite3) and zstandard.

A package is a zip holding the collection (an SQLite file) and its media. Anki 2.1.50+ writes
`collection.anki21b` (zstd-compressed, schema 18: note types and decks in tables of their own,
beside a stub `collection.anki2` that tells old versions to update); older Anki and genanki write
`collection.anki21` or `collection.anki2` (schema 11: note types and decks as JSON in `col`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.models import Deck
from studyapp.interchange.notes import (
    FIELD_NAMES,
    AnkiReview,
    ForeignNote,
    export_notes,
    html_items,
    html_to_text,
)
from studyapp.interchange.replacing import replacing

Progress = Callable[[int, int], None]  # (done, total)

# Fixed ids: Anki knows a note type and a deck by its id, so every export lands in the same ones.
MODEL_ID = 1_607_392_014
CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.note { margin-top: 1em; font-size: 16px; color: #555; }
.source { margin-top: 1em; font-size: 13px; color: #888; }"""
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")  # newest first: Anki reads so
NOT_MEDIA = {*COLLECTIONS, "media", "meta"}
KNOWN_SCHEMAS = range(11, 19)  # 11: the JSON schema (genanki, Anki up to 2.1.27 ...); 18: Anki 2.1.50 on
MAX_COLLECTION_BYTES = 1 << 30  # a collection unpacking to more than 1 GiB is refused (a zip bomb, or not ours)
_CHUNK = 1 << 20


class BadPackage(Exception):
    """The file is not a package studyapp can read; `str()` says why in plain words. Nothing was changed."""


def anki_deck_id(deck_id: str) -> int:
    """A fixed Anki deck id for a studyapp deck (from its id, so every export agrees)."""
    return (1 << 30) + int(hashlib.sha1(f"studyapp deck {deck_id}".encode()).hexdigest()[:8], 16) % (1 << 30)


def write_apkg(decks: Iterable[Deck], sources: Mapping[str, str], path: Path,
               progress: Progress | None = None) -> int:
    """Write `decks` as an Anki package at `path` (replacing it whole, or not at all); returns the note count."""
    import genanki

    model = genanki.Model(
        MODEL_ID, "studyapp card", fields=[{"name": name} for name in FIELD_NAMES],
        templates=[{"name": "Card", "qfmt": "{{Front}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Back}}{{#Note}}<div class=note>{{Note}}</div>{{/Note}}"
                            "{{#Source}}<div class=source>{{Source}}</div>{{/Source}}"}],
        css=CSS)
    decks = list(decks)
    notes = export_notes(decks, sources)
    anki_decks: dict[str, genanki.Deck] = {}
    for n, note in enumerate(notes, 1):
        deck = anki_decks.get(note.deck)
        if deck is None:
            deck = anki_decks[note.deck] = genanki.Deck(anki_deck_id(note.card.deck_id), note.deck)
        deck.add_note(genanki.Note(model=model, fields=note.fields, tags=list(note.tags), guid=note.guid))
        if progress is not None and n % 500 == 0:
            progress(n, len(notes))
    with replacing(Path(path)) as tmp:
        genanki.Package(list(anki_decks.values())).write_to_file(str(tmp))
    if progress is not None:
        progress(len(notes), len(notes))
    return len(notes)


@dataclass
class Collection:
    """What studyapp takes from a package: its notes, each note card's review history, the media left behind."""

    notes: list[ForeignNote] = field(default_factory=list)
    reviews: dict[tuple[str, int], list[AnkiReview]] = field(default_factory=dict)  # (guid, ord) -> revlog rows
    media: int = 0
    schema: int = 0


def read_apkg(path: Path) -> Collection:
    """Read a package; raises BadPackage (plain words) when it is not one studyapp can read."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise BadPackage(f"{path}: no such file" if not path.exists() else f"{path} is not a file")
    if not zipfile.is_zipfile(path):
        raise BadPackage(f"{name} is not an Anki package: it is not a zip file (an .apkg is one)")
    with tempfile.TemporaryDirectory(prefix="studyapp-import-") as tmp:
        db = Path(tmp) / "collection.sqlite"
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                inner = next((c for c in COLLECTIONS if c in names), None)
                if inner is None:
                    raise BadPackage(f"{name} holds no Anki collection (collection.anki21b, collection.anki21 "
                                     "or collection.anki2): it is a zip file, but not an Anki package")
                media = sum(1 for n in names if n not in NOT_MEDIA and not n.endswith("/"))
                _unpack(archive, inner, db, name)
        except zipfile.BadZipFile as exc:
            raise BadPackage(f"{name} is a damaged zip file ({exc})") from exc
        collection = _read_collection(db, name)
    collection.media = media
    return collection


def _unpack(archive: zipfile.ZipFile, inner: str, target: Path, name: str) -> None:
    """Copy the collection out, refusing one that unpacks to more than MAX_COLLECTION_BYTES
    (counted as it is written, whatever the zip's directory claims)."""
    info = archive.getinfo(inner)
    too_big = (f"{name} is refused: its collection unpacks to more than {MAX_COLLECTION_BYTES >> 20} MB "
               "(a zip bomb, or not a deck of cards)")
    if info.file_size > MAX_COLLECTION_BYTES:
        raise BadPackage(too_big)
    written = 0
    with archive.open(info) as raw, target.open("wb") as out:
        source = raw
        if inner.endswith(".anki21b"):
            import zstandard

            source = zstandard.ZstdDecompressor().stream_reader(raw)
        try:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > MAX_COLLECTION_BYTES:
                    raise BadPackage(too_big)
                out.write(chunk)
        except BadPackage:
            raise
        except zipfile.BadZipFile:
            raise
        except Exception as exc:  # zstandard.ZstdError, zlib.error: the bytes are not what they claim
            raise BadPackage(f"{name} is damaged: its collection cannot be unpacked ({exc})") from exc


def _read_collection(db: Path, name: str) -> Collection:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BadPackage(f"{name}: its collection cannot be opened ({exc})") from exc
    try:
        return _read_tables(con, name)
    except sqlite3.DatabaseError as exc:
        raise BadPackage(f"{name}: its collection is not a readable Anki database ({exc})") from exc
    finally:
        con.close()


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _read_tables(con: sqlite3.Connection, name: str) -> Collection:
    tables = _tables(con)
    if not {"col", "notes", "cards"} <= tables:
        raise BadPackage(f"{name}: the file inside is an SQLite database, but not an Anki collection")
    row = con.execute("SELECT ver FROM col").fetchone()
    schema = row[0] if row else None
    if not isinstance(schema, int) or schema not in KNOWN_SCHEMAS:
        raise BadPackage(f"{name} uses Anki collection schema {schema}, which studyapp cannot read (it reads "
                         f"{KNOWN_SCHEMAS.start} to {KNOWN_SCHEMAS.stop - 1}); export it again from a current Anki")
    fields, cloze = _note_types(con, tables)
    decks = _deck_names(con, tables)
    first_card: dict[int, tuple[int, int]] = {}  # note id -> (ord, deck id) of its first card
    ords: dict[int, list[int]] = {}
    card_key: dict[int, tuple[int, int]] = {}  # card id -> (note id, ord)
    for cid, nid, did, ord_ in con.execute("SELECT id, nid, did, ord FROM cards ORDER BY nid, ord"):
        first_card.setdefault(nid, (ord_, did))
        ords.setdefault(nid, []).append(ord_)
        card_key[cid] = (nid, ord_)
    collection = Collection(schema=schema)
    guid_of: dict[int, str] = {}
    for nid, guid, mid, tags, flds in con.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"):
        names = fields.get(mid)
        if names is None:
            continue  # a note of a note type the collection does not describe: nothing to read it by
        values = dict(zip(names, (flds or "").split("\x1f")))
        deck = decks.get(first_card.get(nid, (0, 0))[1], "Imported")
        guid_of[nid] = str(guid)
        collection.notes.append(_note(str(guid), deck, values, names, mid in cloze, tuple((tags or "").split()),
                                      tuple(ords.get(nid, [0]))))
    for rid, cid, ease, type_, ivl, time_ms in con.execute(
            "SELECT id, cid, ease, type, ivl, time FROM revlog ORDER BY id"):
        key = card_key.get(cid)
        if key is None or key[0] not in guid_of:
            continue  # the history of a card deleted from the collection
        collection.reviews.setdefault((guid_of[key[0]], key[1]), []).append(
            AnkiReview(int(rid), int(ease), int(type_), int(ivl or 0), int(time_ms or 0)))
    return collection


def _pick(values: Mapping[str, str], names: list[str], wanted: tuple[str, ...], default: int | None) -> str:
    lowered = {n.lower(): n for n in names}
    for w in wanted:
        if w in lowered:
            return values.get(lowered[w], "")
    if default is not None and default < len(names):
        return values.get(names[default], "")
    return ""


def _note(guid: str, deck: str, values: dict[str, str], names: list[str], cloze: bool, tags: tuple[str, ...],
          ords: tuple[int, ...]) -> ForeignNote:
    front = _pick(values, names, ("front", "text"), 0)
    note = _pick(values, names, ("note", "notes", "extra", "back extra"), None)
    source = _pick(values, names, ("source", "sources"), None)
    if cloze or "{{c1::" in front:
        return ForeignNote(guid, deck, html_to_text(front), "", html_to_text(note), html_to_text(source), tags,
                           cloze=True, ords=ords)
    back = _pick(values, names, ("back",), 1)
    items = html_items(back)
    return ForeignNote(guid, deck, html_to_text(front), html_to_text(back), html_to_text(note),
                       html_to_text(source), tags, items=tuple(items) if items is not None else None, ords=ords)


def _note_types(con: sqlite3.Connection, tables: set[str]) -> tuple[dict[int, list[str]], set[int]]:
    """Field names of each note type (by id), and which note types are cloze."""
    fields: dict[int, list[str]] = {}
    cloze: set[int] = set()
    if {"notetypes", "fields"} <= tables:  # schema 18
        for ntid, fname in con.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
            fields.setdefault(ntid, []).append(fname)
        for ntid, config in con.execute("SELECT id, config FROM notetypes"):
            if _protobuf_varint(config or b"", 1) == 1:  # NotetypeConfig.kind: 1 is KIND_CLOZE
                cloze.add(ntid)
    if not fields:
        row = con.execute("SELECT models FROM col").fetchone()
        try:
            models = json.loads(row[0]) if row and row[0] else {}
        except (TypeError, ValueError):
            models = {}
        for mid, model in (models.items() if isinstance(models, dict) else ()):
            try:
                fields[int(mid)] = [f["name"] for f in sorted(model["flds"], key=lambda f: f.get("ord", 0))]
                if model.get("type") == 1:
                    cloze.add(int(mid))
            except (KeyError, TypeError, ValueError):
                continue
    return fields, cloze


def _deck_names(con: sqlite3.Connection, tables: set[str]) -> dict[int, str]:
    if "decks" in tables:  # schema 18 keeps a deck's path with \x1f between its parts
        return {did: str(dname).replace("\x1f", "::") for did, dname in con.execute("SELECT id, name FROM decks")}
    row = con.execute("SELECT decks FROM col").fetchone()
    try:
        decks = json.loads(row[0]) if row and row[0] else {}
        return {int(did): str(d["name"]) for did, d in decks.items()}
    except (TypeError, ValueError, KeyError, AttributeError):
        return {}


def _protobuf_varint(data: bytes, wanted: int) -> int | None:
    """The value of varint field `wanted` in a protobuf message (enough to read a note type's kind)."""
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while i < len(data):
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
        raise ValueError("truncated")

    try:
        while i < len(data):
            key = varint()
            number, wire = key >> 3, key & 7
            if wire == 0:
                value = varint()
                if number == wanted:
                    return value
            elif wire == 2:
                i += varint()
            elif wire == 1:
                i += 8
            elif wire == 5:
                i += 4
            else:
                return None
    except ValueError:
        return None
    return None

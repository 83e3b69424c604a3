"""Anki packages made for the tests and the benchmark: written by genanki, then given what genanki
cannot write (a review history) or turned into the newer format Anki 2.1.50+ exports (schema 18,
zstd) by the same changes Anki's own upgrade makes to the tables studyapp reads."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import genanki

BASIC = genanki.Model(1_111_000_001, "Basic (test)", fields=[{"name": "Front"}, {"name": "Back"}],
                      templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])
BASIC_AND_REVERSED = genanki.Model(
    1_111_000_002, "Basic and reversed (test)", fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"},
               {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{Front}}"}])
CLOZE = genanki.Model(1_111_000_003, "Cloze (test)", fields=[{"name": "Text"}, {"name": "Back Extra"}],
                      templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
                      model_type=genanki.Model.CLOZE)


def write_package(path: Path, notes: Iterable[genanki.Note], deck_name: str = "Classmate::Cold War",
                  deck_id: int = 2_059_400_110, media: Iterable[Path] = ()) -> Path:
    deck = genanki.Deck(deck_id, deck_name)
    for note in notes:
        deck.add_note(note)
    package = genanki.Package(deck)
    package.media_files = [str(m) for m in media]
    package.write_to_file(str(path), timestamp=1_700_000_000.0)
    return path


def card_ids(path: Path) -> dict[tuple[str, int], int]:
    """(note guid, card ord) -> Anki card id, read from the package."""
    with _collection(path) as (db, _):
        con = sqlite3.connect(db)
        try:
            return {(guid, ord_): cid for guid, ord_, cid in con.execute(
                "SELECT notes.guid, cards.ord, cards.id FROM cards JOIN notes ON notes.id = cards.nid")}
        finally:
            con.close()


def add_revlog(path: Path, rows: Iterable[tuple[int, int, int, int, int, int]]) -> None:
    """Add revlog rows (id ms, card id, ease, ivl, time ms, type) to a package's collection, as Anki logs answers."""
    with _collection(path, write=True) as (db, _):
        con = sqlite3.connect(db)
        with con:
            con.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                            "VALUES (?, ?, -1, ?, ?, 0, 2500, ?, ?)", list(rows))
        con.close()


def to_schema_18(path: Path, target: Path) -> Path:
    """The package as Anki 2.1.50+ exports it: collection.anki21b (zstd) at schema 18, note types and decks
    in tables of their own (deck names with \\x1f between their parts), beside a stub collection.anki2."""
    import zstandard

    with _collection(path) as (db, names):
        con = sqlite3.connect(db)
        with con:
            models = json.loads(con.execute("SELECT models FROM col").fetchone()[0])
            decks = json.loads(con.execute("SELECT decks FROM col").fetchone()[0])
            con.execute("CREATE TABLE notetypes (id INTEGER PRIMARY KEY, name TEXT, mtime_secs INTEGER, "
                        "usn INTEGER, config BLOB)")
            con.execute("CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT, config BLOB, "
                        "PRIMARY KEY (ntid, ord))")
            con.execute("CREATE TABLE decks (id INTEGER PRIMARY KEY, name TEXT, mtime_secs INTEGER, usn INTEGER, "
                        "common BLOB, kind BLOB)")
            for mid, model in models.items():
                # NotetypeConfig: field 1 (kind) = 1 for cloze; a field 3 (css) after it, as Anki writes
                config = (b"\x08\x01" if model.get("type") == 1 else b"") + b"\x1a\x03a{}"
                con.execute("INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)", (int(mid), model["name"], config))
                for f in model["flds"]:
                    con.execute("INSERT INTO fields VALUES (?, ?, ?, x'')", (int(mid), f["ord"], f["name"]))
            for did, deck in decks.items():
                con.execute("INSERT INTO decks VALUES (?, ?, 0, 0, x'', x'')",
                            (int(did), deck["name"].replace("::", "\x1f")))
            con.execute("UPDATE col SET ver = 18, models = '', decks = ''")
        con.close()
        data = zstandard.ZstdCompressor().compress(Path(db).read_bytes())
        with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w") as new:
            new.writestr("collection.anki21b", data)
            new.writestr("collection.anki2", _stub_collection())
            for name in names:
                if name not in ("collection.anki2", "collection.anki21"):
                    new.writestr(name, old.read(name))
    return target


def _stub_collection() -> bytes:
    """What Anki puts in collection.anki2 beside an anki21b: a schema-11 collection with one note that says
    'please update'. A reader that took it would import that note instead of the deck."""
    with tempfile.TemporaryDirectory() as tmp:
        stub = Path(tmp) / "stub.anki2"
        write_package(Path(tmp) / "stub.apkg", [genanki.Note(BASIC, ["Please update to the latest Anki version, "
                                                                       "then import the .colpkg/.apkg file again.",
                                                                       ""])], "Default", 1)
        with zipfile.ZipFile(Path(tmp) / "stub.apkg") as z:
            stub.write_bytes(z.read("collection.anki2"))
        return stub.read_bytes()


class _collection:
    """The package's collection.anki2 unpacked to a file (written back into the package on exit with write=True)."""

    def __init__(self, path: Path, write: bool = False):
        self.path, self.write = Path(path), write

    def __enter__(self) -> tuple[str, list[str]]:
        self.tmp = tempfile.mkdtemp()
        with zipfile.ZipFile(self.path) as z:
            self.names = z.namelist()
            z.extract("collection.anki2", self.tmp)
        return str(Path(self.tmp) / "collection.anki2"), self.names

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        try:
            if self.write and exc[0] is None:
                rebuilt = self.path.with_suffix(".rebuilt")
                with zipfile.ZipFile(self.path) as old, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as new:
                    for name in self.names:
                        if name == "collection.anki2":
                            new.write(Path(self.tmp) / name, name)
                        else:
                            new.writestr(name, old.read(name))
                rebuilt.replace(self.path)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

"""Anki packages: the bundled decks out and back in, a genanki package with a review history, re-import,
the newer zstd format, and every kind of bad package refused with its message and nothing changed."""

from __future__ import annotations

import math
import sqlite3
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import genanki
import pytest

from studyapp import paths
from studyapp.core import scheduling
from studyapp.core.models import CardProgress, Rating
from studyapp.deck_files import load_decks
from studyapp.interchange import apkg
from studyapp.interchange.apkg import read_apkg, write_apkg
from studyapp.interchange.importing import ImportRefused, import_file
from studyapp.service import StudyService
from tests.conftest import BUNDLED
from tests.durability.replay import replay_problems
from tests.interchange.packages import (
    BASIC,
    BASIC_AND_REVERSED,
    CLOZE,
    add_revlog,
    card_ids,
    to_schema_18,
    write_package,
)


@pytest.fixture
def bundled_service(data_dir: Path, clock) -> StudyService:  # noqa: ANN001
    return StudyService.open(data_dir, clock=clock)


def imported(data_dir: Path):  # noqa: ANN201
    return load_decks([paths.user_decks_dir(data_dir)], sources_from=[BUNDLED])


def test_bundled_decks_go_out_and_come_back_the_same(tmp_path: Path, bundled_service: StudyService,
                                                     data_dir: Path) -> None:
    original = load_decks([BUNDLED])
    package = tmp_path / "security.apkg"
    assert write_apkg(original.decks, original.sources, package) == sum(len(d.cards) for d in original.decks)
    result = import_file(bundled_service, package)
    back = imported(data_dir)
    assert back.errors == [] and len(back.decks) == len(original.decks) == len(result.decks)
    for deck in original.decks:
        again = back.deck(f"anki_{deck.id}")
        assert again is not None and again.title == deck.title and again.tags == deck.tags
        assert [c.id for c in again.cards] == [c.id for c in deck.cards]
        for before, after in zip(deck.cards, again.cards):
            assert (after.front, after.kind, after.back, after.items, after.source, after.facet, after.tags,
                    after.note) == (before.front, before.kind, before.back, before.items, before.source,
                                    before.facet, before.tags, before.note)
    assert result.reviews_added == 0 and result.media == 0


def test_export_uses_fixed_ids_and_guids_so_anki_updates_its_notes(tmp_path: Path) -> None:
    decks = load_decks([BUNDLED])
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_apkg(decks.decks[:2], decks.sources, first)
    write_apkg(decks.decks[:2], decks.sources, second)

    def ids(path: Path) -> tuple:
        with zipfile.ZipFile(path) as z:
            (tmp_path / "c.db").write_bytes(z.read("collection.anki2"))
        con = sqlite3.connect(tmp_path / "c.db")
        try:
            return (sorted(con.execute("SELECT guid, mid, tags FROM notes")),
                    sorted(con.execute("SELECT DISTINCT did FROM cards")))
        finally:
            con.close()

    notes, deck_ids = ids(first)
    assert (notes, deck_ids) == ids(second)
    assert notes[0][0].startswith("studyapp/") and {n[1] for n in notes} == {apkg.MODEL_ID}
    assert any("facet::" in n[2] for n in notes)
    assert len(deck_ids) == 2


def _history_package(tmp_path: Path) -> tuple[Path, dict]:
    """A classmate's package: a basic note, a cloze note with two gaps, a basic-and-reversed note, an image;
    with a review history holding answers, a manual entry, a rescheduling and a 'forget'."""
    picture = tmp_path / "map.png"
    picture.write_bytes(b"\x89PNG fake")
    notes = [
        genanki.Note(BASIC, ["When was the Warsaw Pact founded?", "In <b>1955</b>.<br>In Warsaw."], tags=["dates"],
                     guid="Kim:warsaw"),
        genanki.Note(CLOZE, ["The EDC treaty was signed in {{c1::1952}} and rejected by {{c2::France::country}}.",
                             "Rejected in August 1954."], guid="Kim:edc"),
        genanki.Note(BASIC_AND_REVERSED, ["NATO's founding treaty", "The Washington Treaty of 1949"],
                     tags=["facet::origins", "nato"], guid="Kim:nato"),
        genanki.Note(BASIC, ['<img src="map.png">', "Europe in 1955"], guid="Kim:map-only"),
    ]
    package = write_package(tmp_path / "kim.apkg", notes, media=[picture])
    cards = card_ids(package)
    day = 86_400_000
    t0 = 1_767_225_600_000  # 2026-01-01 00:00 UTC
    warsaw, gap1, gap2, nato, nato_back = (cards[("Kim:warsaw", 0)], cards[("Kim:edc", 0)], cards[("Kim:edc", 1)],
                                           cards[("Kim:nato", 0)], cards[("Kim:nato", 1)])
    # (id ms, card, ease, ivl, time ms, type)
    rows = [
        (t0, warsaw, 3, 0, 8000, 0), (t0 + 600_000, warsaw, 3, 1, 5000, 0), (t0 + day, warsaw, 1, 0, 9000, 1),
        (t0 + day + 1, warsaw, 0, 5, 0, 4),  # "set due date": a manual entry, not an answer
        (t0 + 3 * day, warsaw, 4, 9, 3000, 2),
        (t0 + 2, gap1, 1, 0, 4000, 0), (t0 + 3 * 60_000, gap1, 3, 0, 4000, 0),
        (t0 + 5, gap2, 2, 0, 7000, 0),
        (t0 + 6, nato, 3, 0, 1000, 0), (t0 + 2 * day, nato, 0, 0, 0, 4),  # "forget": the card starts over
        (t0 + 4 * day, nato, 4, 0, 2000, 0), (t0 + 4 * day + 5, nato, 0, 3, 0, 5),  # rescheduled: not an answer
        (t0 + 7, nato_back, 3, 0, 1000, 0),  # the reverse card is not imported, nor its history
    ]
    add_revlog(package, rows)
    expected = {  # studyapp card -> the answers it should have: (rating, ms)
        "Kim:warsaw": [(3, t0), (3, t0 + 600_000), (1, t0 + day), (4, t0 + 3 * day)],
        "Kim:edc-c1": [(1, t0 + 2), (3, t0 + 3 * 60_000)],
        "Kim:edc-c2": [(2, t0 + 5)],
        "Kim:nato": [(4, t0 + 4 * day)],
    }
    return package, expected


def _card(deckset, front_start: str):  # noqa: ANN001, ANN202
    return next(c for d in deckset.decks for c in d.cards if c.front.startswith(front_start))


def _dump(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        return {table: sorted(con.execute(f"SELECT * FROM {table}"))
                for table in ("card_progress", "review_log", "review_tally", "review_day")}
    finally:
        con.close()


def test_a_genanki_package_comes_with_its_history_replayed_into_fsrs(tmp_path: Path, service: StudyService,
                                                                     data_dir: Path) -> None:
    package, expected = _history_package(tmp_path)
    result = import_file(service, package)
    assert result.media == 1
    assert result.skipped["reverse cards (only each note's first card is imported)"] == 1
    assert result.skipped["notes with an empty front"] == 1  # the note that is only a picture
    assert result.reviews_added == 8
    decks = imported(data_dir)
    assert decks.errors == []
    deck = decks.decks[0]
    assert deck.id == "anki_classmate_cold_war" and deck.title == "Cold War"
    warsaw = _card(decks, "When was the Warsaw")
    assert warsaw.back == "In 1955.\nIn Warsaw." and warsaw.tags == ("dates",) and warsaw.facet == "origins"
    gap1 = _card(decks, "The EDC treaty was signed in [...]")
    gap2 = _card(decks, "The EDC treaty was signed in 1952 and rejected by [country]")
    assert (gap1.back, gap2.back, gap1.note) == ("1952", "France", "Rejected in August 1954.")
    assert gap1.source[0].key == "anki-classmate-cold-war"  # no Source field: the package is the source
    nato = _card(decks, "NATO's founding treaty")
    assert nato.facet == "origins" and nato.tags == ("nato",)

    scheduler = scheduling.make_scheduler(service.settings)
    keys = {"Kim:warsaw": warsaw, "Kim:edc-c1": gap1, "Kim:edc-c2": gap2, "Kim:nato": nato}
    for name, answers in expected.items():
        card = keys[name]
        direct = CardProgress(card.deck_id, card.id)
        for rating, ms in answers:
            direct = scheduling.review(direct, Rating(rating), datetime.fromtimestamp(ms / 1000, timezone.utc),
                                       scheduler)
        stored = service.repo.progress(card.deck_id, card.id)
        assert stored is not None
        assert (stored.state, stored.step, stored.reps, stored.lapses, stored.last_rating) == \
               (direct.state, direct.step, direct.reps, direct.lapses, direct.last_rating)
        assert math.isclose(stored.stability, direct.stability) and math.isclose(stored.difficulty,
                                                                                  direct.difficulty)
        assert abs((stored.due - direct.due).total_seconds()) < 0.001
        log = service.repo.reviews(card.deck_id, card.id)
        assert [(int(r.rating), round(r.reviewed_at.timestamp() * 1000)) for r in log] == answers
        assert {r.mode for r in log} == {"anki"}
    assert replay_problems(paths.database_path(data_dir)) == []  # an independent replay of the log agrees

    # Importing it again changes nothing: not the deck file, not the database.
    deck_file = paths.user_decks_dir(data_dir) / f"{deck.id}.toml"
    stamp = deck_file.stat().st_mtime_ns
    before = _dump(paths.database_path(data_dir))
    again = import_file(service, package)
    assert (again.reviews_added, again.reviews_already, again.written) == (0, 8, [])
    assert _dump(paths.database_path(data_dir)) == before and deck_file.stat().st_mtime_ns == stamp


def test_answers_given_here_then_in_anki_both_count(tmp_path: Path, service: StudyService, data_dir: Path) -> None:
    """Re-importing after more study on the phone adds only the newer answers, replayed from the state here."""
    package, _ = _history_package(tmp_path)
    import_file(service, package)
    service.reload_decks()
    warsaw = _card(service.decks, "When was the Warsaw")
    cards = card_ids(package)
    later = 1_767_225_600_000 + 30 * 86_400_000
    add_revlog(package, [(later, cards[("Kim:warsaw", 0)], 3, 20, 4000, 1)])
    before = service.repo.progress(warsaw.deck_id, warsaw.id)
    result = import_file(service, package)
    assert result.reviews_added == 1
    want = service.rate(before, Rating.GOOD, datetime.fromtimestamp(later / 1000, timezone.utc))
    got = service.repo.progress(warsaw.deck_id, warsaw.id)
    assert got.reps == before.reps + 1 and math.isclose(got.stability, want.stability)
    assert replay_problems(paths.database_path(data_dir)) == []


def test_the_newer_zstd_package_reads_as_the_older_one(tmp_path: Path) -> None:
    package, _ = _history_package(tmp_path)
    newer = to_schema_18(package, tmp_path / "kim-new.apkg")
    old, new = read_apkg(package), read_apkg(newer)
    assert (old.schema, new.schema) == (11, 18)
    assert [replace(n) for n in new.notes] == old.notes  # not the stub collection's "please update" note
    assert new.reviews == old.reviews and new.media == old.media == 1
    assert [n.deck for n in new.notes][0] == "Classmate::Cold War"
    assert [n.cloze for n in new.notes] == [False, True, False, False]


# --- bad packages -------------------------------------------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _genanki_collection(tmp_path: Path, schema: int | None = None) -> bytes:
    package = write_package(tmp_path / "one.apkg", [genanki.Note(BASIC, ["front", "back"])])
    with zipfile.ZipFile(package) as z:
        db = tmp_path / "one.anki2"
        db.write_bytes(z.read("collection.anki2"))
    if schema is not None:
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE col SET ver = ?", (schema,))
        con.close()
    return db.read_bytes()


def _bad_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[Path, str]]:
    import zstandard

    text = tmp_path / "notes.apkg"
    text.write_text("front,back\n")
    monkeypatch.setattr(apkg, "MAX_COLLECTION_BYTES", 1 << 20)  # 1 MB, so the bombs stay small
    zeros = bytes(3 << 20)
    return {
        "not a zip": (text, "notes.apkg is not an Anki package: it is not a zip file"),
        "no collection": (_zip(tmp_path / "photos.apkg", {"0": b"jpeg", "media": b"{}"}),
                          "photos.apkg holds no Anki collection"),
        "unknown schema": (_zip(tmp_path / "future.apkg", {"collection.anki2": _genanki_collection(tmp_path, 99)}),
                           "future.apkg uses Anki collection schema 99, which studyapp cannot read"),
        "not a database": (_zip(tmp_path / "junk.apkg", {"collection.anki2": b"x" * 5000}),
                           "junk.apkg: its collection is not a readable Anki database"),
        "an SQLite file that is not a collection": (
            _zip(tmp_path / "other.apkg", {"collection.anki2": _empty_sqlite(tmp_path)}),
            "other.apkg: the file inside is an SQLite database, but not an Anki collection"),
        "zip bomb": (_zip(tmp_path / "bomb.apkg", {"collection.anki2": zeros}),
                     "bomb.apkg is refused: its collection unpacks to more than 1 MB"),
        "zstd bomb": (_zip(tmp_path / "zbomb.apkg", {"collection.anki21b": zstandard.ZstdCompressor().compress(zeros)}),
                      "zbomb.apkg is refused: its collection unpacks to more than 1 MB"),
        "damaged zstd": (_zip(tmp_path / "broken.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfd garbage"}),
                         "broken.apkg is damaged: its collection cannot be unpacked"),
    }


def _empty_sqlite(tmp_path: Path) -> bytes:
    db = tmp_path / "other.sqlite"
    con = sqlite3.connect(db)
    with con:
        con.execute("CREATE TABLE photos (id INTEGER)")
    con.close()
    return db.read_bytes()


@pytest.mark.parametrize("kind", ["not a zip", "no collection", "unknown schema", "not a database",
                                  "an SQLite file that is not a collection", "zip bomb", "zstd bomb", "damaged zstd"])
def test_a_bad_package_gets_a_plain_message_and_changes_nothing(kind: str, tmp_path: Path, service: StudyService,
                                                                data_dir: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path, message = _bad_packages(tmp_path, monkeypatch)[kind]
    before = _dump(paths.database_path(data_dir))
    with pytest.raises(ImportRefused) as refused:
        import_file(service, path)
    assert str(refused.value).startswith(message)
    assert not paths.user_decks_dir(data_dir).exists()
    assert _dump(paths.database_path(data_dir)) == before

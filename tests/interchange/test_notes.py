"""The pure part of import and export: HTML to text, cloze gaps, source fields, which revlog rows are answers."""

from __future__ import annotations

from pathlib import Path

from studyapp.core.models import Locator
from studyapp.interchange.notes import (
    AnkiReview,
    card_id_of,
    cloze_card,
    cloze_numbers,
    html_items,
    html_to_text,
    imported_deck_id,
    media_in,
    parse_source_text,
    real_reviews,
    source_text,
    text_to_html,
)
from tests.cli_run import run_cli


def test_html_becomes_plain_text() -> None:
    assert html_to_text("<div>In <b>1955</b>,&nbsp;in Warsaw.</div><div>Signed &amp; sealed</div>") == \
        "In 1955, in Warsaw.\nSigned & sealed"
    assert html_to_text("A<br>B<br/><br>C [sound:x.mp3]<script>alert(1)</script>") == "A\nB\n\nC"
    assert html_to_text(text_to_html("x < y & a\nb")) == "x < y & a\nb"
    assert html_items("<ul><li>Belgium</li><li> Canada </li></ul>") == ["Belgium", "Canada"]
    assert html_items("Members: <ul><li>Belgium</li></ul>") is None  # text beside the list: not a list card
    assert html_items("Belgium") is None
    assert media_in('<img src="a.png"> and [sound:b.mp3]') == 2


def test_each_cloze_gap_is_a_card_with_the_gap_as_its_answer() -> None:
    text = "{{c1::NATO}} was founded in {{c2::1949::year}}; {{c1::its}} seat is Brussels."
    assert cloze_numbers(text) == [1, 2]
    assert cloze_card(text, 1) == ("[...] was founded in 1949; [...] seat is Brussels.", "NATO ... its")
    assert cloze_card(text, 2) == ("NATO was founded in [year]; its seat is Brussels.", "1949")


def test_source_fields_are_read_back() -> None:
    sources = {"lecture-slides": "Security cooperation (lecture slides)"}
    locs = (Locator("lecture-slides", 981, 985), Locator("lecture-slides", 990, 990))
    written = source_text(locs, sources)
    assert written == ["Security cooperation (lecture slides), lines 981-985 [lecture-slides:981-985]",
                       "Security cooperation (lecture slides), line 990 [lecture-slides:990]"]
    assert parse_source_text("\n".join(written)) == [(locs[0], sources["lecture-slides"]),
                                                     (locs[1], sources["lecture-slides"])]
    assert parse_source_text("lecture-slides:981-985; lecture-slides:990") == [(locs[0], None), (locs[1], None)]
    assert parse_source_text("page 12 of my notes") == []


def test_ids_from_guids() -> None:
    assert card_id_of("studyapp/nato/founded") == "founded"
    assert card_id_of("b!Fx^3@z") == card_id_of("b!Fx^3@z") != card_id_of("b!Fx^3@y")
    assert imported_deck_id("Security cooperation::The Warsaw Pact") == "anki_the_warsaw_pact"
    assert imported_deck_id("Kim's decks::Cold War (2026)") == "anki_kim_s_decks_cold_war_2026"


def test_only_real_answers_are_replayed() -> None:
    rows = [AnkiReview(1, 3, 0), AnkiReview(2, 0, 4, ivl=5),  # set due date: manual
            AnkiReview(3, 2, 1), AnkiReview(4, 0, 4, ivl=0),  # forget: start over
            AnkiReview(6, 0, 5, ivl=3),  # rescheduled
            AnkiReview(5, 4, 0), AnkiReview(7, 1, 3), AnkiReview(8, 5, 1)]  # a filtered-deck answer; a bad ease
    assert [r.id for r in real_reviews(rows)] == [5, 7]


def test_cli_export_and_import(tmp_path: Path) -> None:
    from studyapp.deck_files import load_decks
    from tests.conftest import BUNDLED

    cards = len(load_decks([BUNDLED]).deck("warsaw_pact").cards)
    data = tmp_path / "data"
    out = run_cli("export", "apkg", str(tmp_path / "wp.apkg"), "--deck", "warsaw_pact", data_dir=data)
    assert out.returncode == 0 and f"Wrote {cards} cards" in out.stdout
    assert run_cli("export", "csv", str(tmp_path / "x.csv"), "--deck", "nope", data_dir=data).stderr.startswith(
        "studyapp export csv: no deck 'nope'; the decks are: ")
    done = run_cli("import", str(tmp_path / "wp.apkg"), data_dir=data)
    assert done.returncode == 0 and f"The Warsaw Pact: {cards} cards (deck anki_warsaw_pact)" in done.stdout
    (tmp_path / "bad.apkg").write_text("hello")
    bad = run_cli("import", str(tmp_path / "bad.apkg"), data_dir=data)
    assert bad.returncode == 1
    assert bad.stderr == "studyapp import: bad.apkg is not an Anki package: it is not a zip file (an .apkg is one)\n" \
                         "Nothing was changed.\n"

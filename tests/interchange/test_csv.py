"""CSV in Anki's text-import shape: lossless out and back, a spreadsheet's plain rows, and bad files refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from studyapp import paths
from studyapp.deck_files import load_decks
from studyapp.interchange.csv_format import csv_text, parse_csv, write_csv
from studyapp.interchange.importing import ImportRefused, import_file
from studyapp.service import StudyService
from tests.conftest import BUNDLED


def test_csv_export_then_import_is_lossless(tmp_path: Path, data_dir: Path, clock) -> None:  # noqa: ANN001
    service = StudyService.open(data_dir, clock=clock)
    original = load_decks([BUNDLED])
    path = tmp_path / "cards.csv"
    write_csv(original.decks, original.sources, path)
    assert path.read_text().startswith("#separator:Comma\n#html:false\n")
    import_file(service, path)
    back = load_decks([paths.user_decks_dir(data_dir)], sources_from=[BUNDLED])
    assert back.errors == []
    for deck in original.decks:
        again = back.deck(f"anki_{deck.id}")
        assert (again.title, again.tags) == (deck.title, deck.tags)
        # every field of every card; note_colour is an authoring flag for the bundled decks' checks
        assert [replace(c, deck_id="", line=0) for c in again.cards] == \
               [replace(c, deck_id="", line=0, note_colour=False) for c in deck.cards]
    # and the file written from the imported decks is the same file, but for the deck ids in the guids
    assert csv_text(back.decks, back.sources).replace("studyapp/anki_", "studyapp/") == path.read_text()


def test_a_spreadsheets_rows_become_cards(tmp_path: Path, service: StudyService, data_dir: Path) -> None:
    path = tmp_path / "My Cold War.csv"
    path.write_text("When was NATO founded?;In 1949.\n"
                    "Founding members of the Warsaw Pact?;Albania | Bulgaria | Czechoslovakia\n"
                    "\n", encoding="utf-8")
    result = import_file(service, path)
    assert result.decks == [("anki_my_cold_war", "My Cold War", 2)]
    deck = load_decks([paths.user_decks_dir(data_dir)]).decks[0]
    basic, listed = deck.cards
    assert (basic.front, basic.back, basic.kind.value) == ("When was NATO founded?", "In 1949.", "basic")
    assert listed.items == ("Albania", "Bulgaria", "Czechoslovakia") and listed.kind.value == "list"
    # a card's id comes from its front: importing again (another answer) updates it
    path.write_text("When was NATO founded?;On 4 April 1949.\n", encoding="utf-8")
    import_file(service, path)
    again = load_decks([paths.user_decks_dir(data_dir)]).decks[0]
    assert [(c.id, c.back) for c in again.cards] == [(basic.id, "On 4 April 1949.")]


def test_html_csv_as_anki_writes_it() -> None:
    notes = parse_csv("#separator:tab\n#html:true\n#deck:Course::NATO\n#tags column:3\n"
                      "Members in 1949?\t<ul><li>Belgium</li><li>Canada&nbsp;</li></ul>\tnato dates\n", "x")
    (note,) = notes
    assert (note.deck, note.items, note.tags) == ("Course::NATO", ("Belgium", "Canada"), ("nato", "dates"))


BAD = {
    "not UTF-8": (b"Front,Back\nAnn\xe9e,1955\n", "bad.csv is not UTF-8 text (byte 15)"),
    "binary": (b"PK\x03\x04\x00\x00binary", "bad.csv is not a CSV file: it holds binary data"),
    "no rows": (b"#separator:Comma\n#html:false\n", "there are no cards in it"),
    "empty front": (b"What year?,1955\n,no front here\n", "bad.csv was not imported; fix these rows and import it "
                                                          "again:\nline 2: the front is empty"),
    "empty back": (b"What year?,\n", "bad.csv was not imported; fix these rows and import it again:\n"
                                     "line 1: the back is empty"),
    "empty list item": (b"#separator:Comma\n#columns:Front,Back,Kind\nMembers?,A |  | C,list\n",
                        "bad.csv was not imported; fix these rows and import it again:\nline 3: a list item is empty"),
    "unknown separator": (b"#separator:Dash\nA-B\n", "#separator:Dash is not a separator Anki knows"),
    "no front column": (b"#columns:Question,Answer\nA,B\n", "the #columns line names no Front column"),
    "repeated guid": (b"#columns:Front,Back,GUID\nA,B,g1\nC,D,g1\n", "bad.csv was not imported; fix these rows and "
                                                                      "import it again:\nline 3: its GUID is used by "
                                                                      "an earlier row"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_csv_gets_a_plain_message_and_changes_nothing(kind: str, tmp_path: Path, service: StudyService,
                                                            data_dir: Path) -> None:
    data, message = BAD[kind]
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRefused) as refused:
        import_file(service, path)
    assert str(refused.value).startswith(message), str(refused.value)
    assert not paths.user_decks_dir(data_dir).exists()

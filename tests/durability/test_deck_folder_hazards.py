"""What a deck folder can hold besides decks: a FIFO, a link to /dev/zero, a huge file, Notepad's BOM
and CRLF, a source key that only a sources.toml elsewhere would know. Start-up and `studyapp check`
both finish, name the file, and agree on which decks load.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from studyapp import paths
from studyapp.deck_files import MAX_DECK_BYTES, load_decks
from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from tests.cli_run import run_cli as cli
from tests.conftest import BUNDLED
from tests.waiting import wait_until

DECK = """format = 1
id = "{id}"
title = "Deck {id}"

[[card]]
id = "first"
facet = "origins"
front = "When was NATO founded?"
back = \"\"\"In 1949,
by the Washington Treaty.\"\"\"
source = ["{source}:1-2"]
"""


def deck(deck_id: str, source: str = "lecture-slides") -> str:
    return DECK.format(id=deck_id, source=source)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "mydecks"
    path.mkdir()
    (path / "good.toml").write_text(deck("good"))
    return path


@pytest.fixture
def fifo(folder: Path) -> Iterator[Path]:
    """A FIFO named like a deck. Should anything open it for reading, the teardown opens and closes its
    other end, so the reader gets end-of-file and the suite does not hang."""
    path = folder / "pipe.toml"
    os.mkfifo(path)
    try:
        yield path
    finally:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # no reader: nothing was stuck


def names(problems) -> dict[str, str]:  # noqa: ANN001
    return {Path(p.file).name: str(p) for p in problems}


def test_check_finishes_on_a_fifo_and_names_it(folder: Path, fifo: Path, data_dir: Path) -> None:
    result = cli("check", str(folder), data_dir=data_dir)  # run_cli gives up after 60 s
    assert result.returncode == 1, result.stderr
    assert f"{fifo}: is a FIFO (named pipe), not a deck file: skipped" in result.stdout
    assert "1 decks loaded" in result.stderr  # the good deck beside it


async def test_start_up_finishes_on_a_fifo_and_names_it(folder: Path, fifo: Path, data_dir: Path,
                                                        mini_decks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: mini_decks)
    app = StudyApp(service_factory=lambda: StudyService.open(data_dir, [folder]))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.service is not None, "the service to open")
        assert {d.id for d in app.service.decks.decks} == {"mini", "good"}
        box = app.screen.query_one("#home-problems", Static)
        await wait_until(pilot, lambda: "pipe.toml" in str(box.render()), "the home screen to name the FIFO")
        assert "FIFO" in str(box.render())


def test_a_link_to_dev_zero_is_named_and_never_read(folder: Path) -> None:
    (folder / "zero.toml").symlink_to("/dev/zero")
    (folder / "link.toml").symlink_to(folder / "good.toml")  # a link to a regular file is followed
    (folder / "sources.toml").write_text((BUNDLED / "sources.toml").read_text())
    result = load_decks([folder])
    assert sorted(d.id for d in result.decks) == ["good"]  # the link's copy of "good" is a duplicate
    problems = names(result.problems)
    assert "is a character device, not a deck file" in problems["zero.toml"]
    assert str(folder / "zero.toml") in problems["zero.toml"]


def test_a_huge_file_is_named_with_its_size_and_not_read(folder: Path) -> None:
    big = folder / "huge.toml"
    with big.open("wb") as f:
        f.truncate(MAX_DECK_BYTES + 1_000_000)  # sparse: takes no room, and is never read
    result = load_decks([folder])
    problem = names(result.problems)["huge.toml"]
    assert str(big) in problem and "6.0 MB" in problem and "at most 5.0 MB" in problem
    assert [d.id for d in result.decks] == ["good"]


def test_a_bom_and_crlf_deck_as_notepad_saves_it_loads(folder: Path, data_dir: Path) -> None:
    shutil.copy(BUNDLED / "sources.toml", folder)
    (folder / "notepad.toml").write_bytes(b"\xef\xbb\xbf" + deck("notepad").replace("\n", "\r\n").encode())
    result = load_decks([folder])
    assert result.problems == []
    [card] = next(d for d in result.decks if d.id == "notepad").cards
    assert card.back == "In 1949,\nby the Washington Treaty."  # no stray carriage return
    checked = cli("check", str(folder / "notepad.toml"), data_dir=data_dir)
    assert checked.returncode == 0 and "0 errors" in checked.stderr, checked.stdout + checked.stderr


def test_check_knows_the_sources_the_app_knows(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "nosources"  # no sources.toml beside the decks
    folder.mkdir()
    (folder / "known.toml").write_text(deck("known"))  # cites the bundled lecture-slides: fine
    (folder / "unknown.toml").write_text(deck("unknown", source="my-notes"))
    result = cli("check", str(folder), data_dir=data_dir)
    assert result.returncode == 1
    assert f"{folder / 'unknown.toml'}:11: first: source: unknown source document 'my-notes'" in result.stdout
    assert "known.toml" not in result.stdout.replace("unknown.toml", "")
    # and the app skips exactly that deck
    app_decks = load_decks(paths.deck_search_path(data_dir, [folder]))
    assert "known" in {d.id for d in app_decks.decks} and "unknown" not in {d.id for d in app_decks.decks}

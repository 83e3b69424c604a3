"""The student's own keys, from the [keymap] table of config.toml in the data folder."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Static

from studyapp import paths
from studyapp.core.models import Rating
from studyapp.keymap import read_keymap
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.review import ReviewScreen


async def test_a_keymap_that_rates_good_with_g(service, data_dir: Path) -> None:
    config = paths.config_path(data_dir)
    config.write_text('[keymap]\n"review.good" = "g"\n"home.study_all" = "z"\n', encoding="utf-8")
    app = StudyApp(service, config_file=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = str(app.screen.query_one("#home-hint", Static).render())
        assert "z all decks" in hint and "a all decks" not in hint  # the hint follows the keymap
        await pilot.press("z")
        assert isinstance(app.screen, ReviewScreen)
        screen = app.screen
        first = screen.card
        assert str(screen.query_one("#rate-3", Button).label).startswith("g Good")  # the button says so too
        await pilot.press("space", "3")
        assert screen.card is first, "3 no longer rates Good"
        await pilot.press("g")
        await pilot.pause()
        assert screen.card is not first
    [review] = service.repo.reviews()
    assert (review.card_id, review.rating) == (first.id, Rating.GOOD)


async def test_a_bad_keymap_file_gets_a_message_and_the_default_keys(service, data_dir: Path) -> None:
    config = paths.config_path(data_dir)
    config.write_text('[keymap]\n"review.good" = 7\n', encoding="utf-8")
    app = StudyApp(service, config_file=config)
    said: list[str] = []
    notify = app.notify

    def recording_notify(message: str, **kwargs) -> None:  # noqa: ANN003
        said.append(message)
        notify(message, **kwargs)

    app.notify = recording_notify  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("review.good" in m and "default keys" in m for m in said), said
        await pilot.press("a", "space", "3")
        await pilot.pause()
    [review] = service.repo.reviews()
    assert review.rating == Rating.GOOD


def test_reading_keymaps(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert read_keymap(config).keys == {} and read_keymap(config).problem is None  # no file: the defaults
    config.write_text('[keymap]\n"review.good" = "g,ctrl+g"\n', encoding="utf-8")
    assert read_keymap(config).keys == {"review.good": "g,ctrl+g"}
    for text, said in [
        ("[keymap\n", "not valid TOML"),
        ("keymap = 3\n", "must be a table"),
        ('[keymap]\n"review.good" = ""\n', "review.good"),
        ('[keymap]\n"a.b" = "ctrl g"\n', "a.b"),
    ]:
        config.write_text(text, encoding="utf-8")
        keymap = read_keymap(config)
        assert keymap.keys == {} and said in (keymap.problem or ""), text


def test_a_keymap_id_that_names_no_key_is_found() -> None:
    from studyapp.tui.router import unknown_binding_ids

    assert unknown_binding_ids({"review.good": "g", "table.open": "o", "review.goood": "g"}) == ["review.goood"]

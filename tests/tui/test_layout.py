"""How screens use their space: help over the screen, text with invisible characters, the cut-word check."""

from __future__ import annotations

from pathlib import Path

from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from tests.tui.screen_text import cut_words, screen_lines
from tests.waiting import wait_until


def test_a_word_run_into_a_border_or_the_edge_is_found() -> None:
    lines = [" e Essays  w Weak top▏^p palette", " │ The Western European Un│", " │ whole words │", "x" * 38 + "ab"]
    found = cut_words(lines, 40)
    assert len(found) == 3 and "Weak top" in found[0] and "Un" in found[1] and "ab" in found[2]
    assert cut_words([" text cut on purpose…│", " 0┤███", " ok  "], 40) == []


async def test_help_lists_this_screens_keys_first_over_a_screen_that_keeps_its_size(service: StudyService) -> None:
    from studyapp.tui.screens.help import key_groups

    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ReviewScreen" and app.screen.card, "a card")
        review = app.screen
        card_region = review.query_one("#card").region
        groups = key_groups(review)
        assert groups[0][0] == "This screen" and groups[0][1][0] == ("space", "Show the answer (flipping mode)")
        assert [title for title, _ in groups][:2] == ["This screen", "Everywhere"]
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "the help")
        assert review.query_one("#card").region == card_region, "the screen under the help is not squeezed"
        assert "Show the answer" in "\n".join(screen_lines(app))
        await pilot.press("t")  # typed mode: the help then offers the keys that act there
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is review, "the help to close")
        await pilot.press("t")
        await wait_until(pilot, lambda: review.typed, "typed mode")
        keys = dict(key_groups(review)[0][1])
        assert "^t" in keys and "t" not in keys and "^z" in keys and "u" not in keys


async def test_invisible_and_direction_characters_do_not_push_the_card_border(
    tmp_path: Path, data_dir: Path, clock
) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    mini = (Path(__file__).parents[1] / "data" / "mini.toml").read_text()
    text = (
        mini.replace('id = "mini"', 'id = "bidi"')
        .replace('"Mini deck"', '"Bidi\u200b deck"')
        .replace(
            "In which year was the Warsaw Pact founded?",
            "In which\u200b\u200b\u200b year was the \u202eWarsaw Pact\u202c founded\u2066\u2069? \ufeff\u200d\u200d\u200d",
        )
    )
    (folder / "bidi.toml").write_text(text)
    service = StudyService.open(data_dir, [folder], clock=clock)
    card = service.decks.card("bidi", "wp-founded")
    assert card is not None and card.front == "In which year was the Warsaw Pact founded?"
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.study(["bidi"])
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ReviewScreen" and app.screen.card, "a card")
        await pilot.pause()
        boxed = [line for line in screen_lines(app) if line.startswith(" │")]
        assert boxed and {line.rstrip().rindex("│") for line in boxed} == {78}

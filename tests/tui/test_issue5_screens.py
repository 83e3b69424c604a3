"""Weak topics, statistics, the browser and settings, driven by Pilot over a real database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from studyapp.core.models import Rating
from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.browse import BrowseScreen
from studyapp.tui.screens.card import CardScreen
from studyapp.tui.screens.home import HomeScreen
from studyapp.tui.screens.review import ReviewScreen
from studyapp.tui.screens.settings import SettingsScreen
from studyapp.tui.screens.stats import StatsScreen
from studyapp.tui.screens.weak import WeakScreen
from studyapp.tui.widgets.heat_map import HeatMap
from studyapp.tui.widgets.lazy_table import LazyTable
from tests.waiting import wait_until

SECOND_DECK = '''format = 1
id = "alpha"
title = "Alpha deck"
tags = ["alliance"]

[[card]]
id = "a1"
facet = "origins"
front = "Alpha one?"
back = "One."
source = ["lecture-slides:1-2"]

[[card]]
id = "a2"
facet = "aims"
front = "Alpha two?"
back = "Two."
source = ["lecture-slides:3-4"]
'''


@pytest.fixture
def two_decks(mini_decks: Path, data_dir: Path, clock, monkeypatch: pytest.MonkeyPatch) -> StudyService:
    """The mini deck and a second one, "alpha", which sorts first on the home screen."""
    from studyapp import paths

    (mini_decks / "alpha.toml").write_text(SECOND_DECK)
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: mini_decks)
    return StudyService.open(data_dir, clock=clock)


async def answer_deck(pilot, app: StudyApp, deck_id: str, rating: str) -> None:
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(deck_id))
    await pilot.press("enter")
    assert isinstance(app.screen, ReviewScreen)
    while isinstance(app.screen, ReviewScreen) and app.screen.card is not None:
        await pilot.press("space", rating)
        if rating == "1":  # failed cards come back in ten minutes: one round is enough here
            if app.screen.session.done >= len(app.service.decks.deck(deck_id).cards):
                await pilot.press("escape")
    await pilot.pause()
    await pilot.press("enter")  # the summary, back home
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)


async def test_the_deck_answered_wrong_comes_first_and_enter_drills_it(two_decks: StudyService, clock) -> None:
    service = two_decks
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer_deck(pilot, app, "alpha", "3")
        await answer_deck(pilot, app, "mini", "1")
        clock.advance(days=1)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WeakScreen)
        topics = app.screen.query_one("#topics", LazyTable)
        assert app.screen.deck_order == ["mini", "alpha"], "the deck answered wrong is the weakest topic"
        assert topics.row_cells(0)[0] == "Mini deck"
        assert topics.row_cells(0)[1].strip() == "0%"  # recall over the last 30 days
        assert topics.row_cells(0)[5].strip() == "-"  # no essays yet
        facets = app.screen.query_one("#facets", DataTable)
        assert [str(facets.get_row_at(i)[0]) for i in range(facets.row_count)] == ["origins", "members"]
        await pilot.press("down")  # the facets follow the highlighted deck
        await pilot.pause()
        assert str(facets.border_title).startswith(f"Facets of {service.decks.deck('alpha').title}")
        await pilot.press("up")
        await pilot.pause()
        assert str(facets.border_title).startswith("Facets of Mini deck")

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        session = app.screen.session
        assert session.title == "Drill: Mini deck" and session.total == 3 and not session.practice
        drilled = app.screen.card
        lapses_before = service.progress[drilled.key].lapses
        await pilot.press("space", "3")
        await pilot.pause()
        last = service.repo.reviews()[-1]
        assert (last.card_id, last.mode) == (drilled.id, "flip")
        assert service.progress[drilled.key].reps > 1 and service.progress[drilled.key].lapses == lapses_before

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # summary -> home
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        before = dict(service.progress)
        await pilot.press("p")  # the same weakest topic, as practice
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.session.practice
        await pilot.press("space", "1")
        await pilot.pause()
        assert service.repo.reviews()[-1].mode == "practice"
        assert service.progress == before and service.repo.load_progress() == before


async def test_leeches_are_listed_with_note_and_source_and_can_be_reset(service: StudyService) -> None:
    from dataclasses import replace

    session = service.sessions.today(["mini"])
    session.next_card()
    card = session.current
    session.answer(Rating.EASY)
    service.progress[card.key] = replace(service.progress[card.key], lapses=8, leech=True)
    service.repo.save_progress([service.progress[card.key]])
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        leeches = app.screen.query_one("#leeches", DataTable)
        assert leeches.display and leeches.row_count == 1
        row = [str(c) for c in leeches.get_row_at(0)]
        assert row[0] == "8" and row[1] == card.front and "lines" in row[3]
        await pilot.press("r")
        await pilot.pause()
        assert not service.progress[card.key].leech
        assert not leeches.display


async def test_statistics_screen_shows_four_charts_at_both_sizes(service: StudyService, clock) -> None:
    session = service.sessions.today(["mini"])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.next_card()
        session.answer(rating)
    for size in ((80, 24), (160, 48)):
        app = StudyApp(service)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StatsScreen)
            assert screen.has_class("-wide" if size[0] >= 140 else "-narrow")
            assert screen.data.per_day[-1][1] == 3
            assert sum(screen.data.forecast) == 3
            assert len(screen.query(PlotextPlot)) == 2
            heat = screen.query_one(HeatMap)
            assert "3 answers · 1/182 days" in str(heat.render())
            assert "recall 67%" in str(screen.query_one("#stats-summary", Static).render())
            for panel in screen.query(".stats-panel"):
                assert panel.region.width >= 40, panel.id
                if panel.id != "panel-maturity" or size[0] >= 140:
                    assert panel.region.height >= 8, panel.id
            # At 80 columns the deck list is as tall as its decks: no scroll inside the screen's scroll.
            maturity = screen.query_one("#panel-maturity")
            assert maturity.max_scroll_y == 0 and maturity.region.height >= len(screen.data.maturity) + 3


async def test_browser_searches_as_you_type_sorts_and_opens_a_card(service: StudyService) -> None:
    session = service.sessions.today(["mini"])
    session.next_card()
    session.answer(Rating.GOOD)
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one("#cards", LazyTable)
        assert table.row_count == 3
        await pilot.press(*"warsw")  # a typo still finds the Warsaw Pact cards
        await pilot.pause()
        assert table.row_count == 2
        assert all("Warsaw" in table.row_cells(i)[2] for i in range(2))
        await pilot.press(*" albania")  # in a card's note
        await pilot.pause()
        assert table.row_count == 1 and "Which states joined" in table.row_cells(0)[2]
        await pilot.press(*["backspace"] * 13)
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("ctrl+o")  # sort by facet
        assert screen.sort_key == "facet"
        assert [table.row_cells(i)[1] for i in range(3)] == ["members", "origins", "origins"]
        await pilot.press("ctrl+r")
        assert [table.row_cells(i)[1] for i in range(3)] == ["origins", "origins", "members"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        history = app.screen.query_one("#card-history", DataTable)
        shown = app.screen.card
        assert history.row_count == (1 if shown.key in service.progress else 0)
        assert "Source" in str(app.screen.query_one("#detail-source", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_settings_refuse_a_bad_date_and_save_a_good_one(service: StudyService, clock) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        exam = app.screen.query_one("#set-exam", Input)
        assert exam.has_focus
        await pilot.press(*"2026-02-30", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen), "nothing is saved while a field is wrong"
        assert "YYYY-MM-DD" in str(app.screen.query_one("#settings-error", Static).render())
        assert service.settings.exam_date is None
        exam.value = "2026-03-12"
        app.screen.query_one("#set-new-per-day", Input).value = "35"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert str(service.settings.exam_date) == "2026-03-12" and service.settings.new_per_day == 35
        assert StudyService.open(service.data_dir, clock=clock).settings.new_per_day == 35
        line = str(app.screen.query_one("#home-exam", Static).render())
        assert "in 10 days" in line and "0% of 3 cards" in line


async def test_what_is_typed_while_the_browser_indexes_is_searched(service: StudyService) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b", *"warsw")  # no pause: the first keys may come before the index is built
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen) and screen.browser is not None
        table = screen.query_one("#cards", LazyTable)
        assert table.row_count == 2 and all("Warsaw" in table.row_cells(i)[2] for i in range(2))
        assert "2 of 3 cards" in str(screen.query_one("#browse-status", Static).render())
        await pilot.press("escape", "b")  # opened again: the index is reused, the cards shown at once
        await pilot.pause()
        assert app.screen.query_one("#cards", LazyTable).row_count == 3


async def test_an_exam_date_set_from_the_command_line_is_seen_and_kept(service: StudyService, clock) -> None:
    from textual import events

    from studyapp.store.db import close_engine

    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        screen = app.screen
        other = StudyService.open(service.data_dir, clock=clock)  # `studyapp exam set` in another terminal
        other.set_exam_date(date(2026, 3, 20))
        close_engine(other.repo.engine)
        app.post_message(events.AppFocus())  # the student comes back to the app's terminal
        await wait_until(pilot, lambda: screen.query_one("#set-exam", Input).value == "2026-03-20",
                         "the new date shown")
        screen.query_one("#set-new-per-day", Input).value = "30"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        assert str(service.settings.exam_date) == "2026-03-20" and service.settings.new_per_day == 30
        # Saved from a screen opened before the date was set, without focus coming back: still kept.
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        other = StudyService.open(service.data_dir, clock=clock)
        other.set_exam_date(date(2026, 3, 25))
        close_engine(other.repo.engine)
        app.screen.query_one("#set-retention", Input).value = "0.85"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        reread = StudyService.open(service.data_dir, clock=clock)
        assert str(reread.settings.exam_date) == "2026-03-25" and reread.settings.desired_retention == 0.85
        close_engine(reread.repo.engine)
        assert "Fri 20 Mar" not in str(app.screen.query_one("#home-exam", Static).render())

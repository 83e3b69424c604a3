"""The command palette's app-wide commands (Ctrl+P): screens, studying, essays, brain dumps, import and export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from studyapp.tui.app import StudyApp


def study_commands(app: StudyApp) -> Iterable[SystemCommand]:
    """The commands after Textual's own; studying can be chosen as soon as the opening counts show, the
    rest once the study data is open."""
    from studyapp.deck_files import card_ids

    yield SystemCommand("Home", "Back to the list of decks", app.go_home)
    source = app.service or app.overview
    if source is None:
        return
    service = app.service
    if service is not None:
        yield SystemCommand(
            "Weak topics", "Topics ranked weakest first; drill one, see your leeches", lambda: app.open_screen("weak")
        )
        yield SystemCommand(
            "Statistics",
            "Reviews per day, due forecast, recall by week, mature cards",
            lambda: app.open_screen("stats"),
        )
        yield SystemCommand(
            "Browse cards", "Every card in a table, fuzzy search, review history", lambda: app.open_screen("browse")
        )
        yield SystemCommand(
            "Settings",
            "Exam date, desired retention, new cards per day, day start",
            lambda: app.open_screen("settings"),
        )
        yield SystemCommand("Cram for the exam", "Every card, lowest predicted recall on exam day first", app.cram)
        yield SystemCommand(
            "Mock exam",
            "A timed paper: short answers over the seven topics and an essay; earlier papers",
            app.mock_exams,
        )
        yield SystemCommand(
            "Import cards",
            "An Anki package (.apkg) or a CSV file becomes a deck of your own",
            lambda: app.transfer("import"),
        )
        yield SystemCommand("Export to Anki", "Every deck as an Anki package (.apkg)", lambda: app.transfer("apkg"))
        yield SystemCommand(
            "Export as CSV", "Every deck as a CSV file in Anki's text format", lambda: app.transfer("csv")
        )
    decks = source.decks.decks
    yield SystemCommand("Study: all decks", "Review every due and new card", lambda: app.study([d.id for d in decks]))
    if service is not None:
        yield SystemCommand("Essays: all prompts", "Practise an essay outline against the clock", app.open_essays)
    for deck in decks:
        yield SystemCommand(
            f"Study: {deck.title}",
            f"{len(card_ids(deck))} cards · deck {deck.id}",
            lambda deck_id=deck.id: app.study([deck_id]),
        )
    if service is None:
        return
    for deck in decks:
        yield SystemCommand(
            f"Brain dump: {deck.title}",
            "Write all you know from memory; drill what you missed",
            lambda deck_id=deck.id: app.brain_dump(deck_id),
            discover=False,
        )
    for prompt in service.essays.essay_prompts():
        yield SystemCommand(
            f"Essay: {prompt.prompt}",
            f"{prompt.minutes} min · {', '.join(prompt.deck_ids)}",
            lambda prompt_id=prompt.id: app.write_essay(prompt_id),
            discover=False,
        )

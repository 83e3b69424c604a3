"""Weak topics: decks ranked weakest first, the highlighted deck's facets ranked beside them; leeches below.

Enter on a deck or a facet drills its cards (weakest first, due or not); `p` does the same as practice,
which leaves the schedule alone. Below, the pairs of cards most often mixed up in typed answers; `x`
drills the highlighted pair side by side.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Static

from studyapp.core.confusions import ConfusionPair
from studyapp.core.scheduling import LEECH_LAPSES
from studyapp.core.stats import TopicStats, WeakDeck
from studyapp.service import StorageError
from studyapp.tui.formatting import describe_sources, percent
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer
from studyapp.tui.widgets.lazy_table import Column, LazyTable

MAX_PAIRS = 10
TITLE_WIDTH = 18  # the Topic column, so that seven number columns still fit 80 columns
NUMBER_COLUMNS = (("Recall", "recall", 6), ("Memory", "memory", 6), ("Lapses", "lapses", 6), ("Leech", "leeches", 5),
                  ("Essays", "essays", 6), ("Dump", "dump", 4), ("Seen", "seen", 9))


NARROW_DROPS = ("lapses", "essays", "dump")  # under 80 columns: the leeches and recall matter more


def number_columns(screen_width: int) -> tuple[tuple[str, str, int], ...]:
    """The number columns that fit: all seven from 80 columns, four below."""
    return tuple(c for c in NUMBER_COLUMNS if screen_width >= 80 or c[1] not in NARROW_DROPS)


def topic_texts(topic: TopicStats, columns: tuple[tuple[str, str, int], ...] = NUMBER_COLUMNS) -> tuple[str, ...]:
    """The title, then the numbers of `columns` right-aligned by padding."""
    values = {"recall": percent(topic.recall), "memory": percent(topic.retrievability), "lapses": str(topic.lapses),
              "leeches": str(topic.leeches), "essays": percent(topic.essay_coverage),
              "dump": percent(topic.free_recall), "seen": f"{topic.studied}/{topic.cards}"}
    return (topic.title, *(f"{values[key]:>{w}}" for _, key, w in columns))


def topic_cells(topic: TopicStats, columns: tuple[tuple[str, str, int], ...] = NUMBER_COLUMNS) -> tuple[Text, ...]:
    """As Text for a DataTable (a str cell would be read as markup: a "[" in a title would break it)."""
    return tuple(Text(cell, no_wrap=True, overflow="ellipsis", end="") for cell in topic_texts(topic, columns))


def short_answer(card) -> str:  # noqa: ANN001 - a Card
    """A card as its shortest accepted answer, then its question: what was mixed up comes first."""
    answer = min(card.answers, key=len) if card.answers else card.answer_text
    return f"{answer} · {card.front}"


class WeakScreen(StudyScreen[None]):
    AUTO_FOCUS = "#topics"  # focused as the screen is composed, before its first frame
    BINDINGS = [
        Binding("enter", "drill(False)", "Drill", id="weak.drill",
                tooltip="Drill the highlighted topic now (answers count)"),
        Binding("p", "drill(True)", "Practice", id="weak.practice",
                tooltip="Practise the highlighted topic without changing its schedule"),
        Binding("f", "brain_dump", "Brain dump", id="weak.brain_dump",
                tooltip="Brain dump on the highlighted topic"),
        Binding("r", "reset_leech", "Reset leech", id="weak.reset",
                tooltip="Reset the highlighted leech, so it comes back into sessions"),
        Binding("x", "drill_pair", "Drill pair", id="weak.pair",
                tooltip="Drill the highlighted pair of cards you confuse, side by side"),
        Binding("escape", "back", "Back", id="weak.back", tooltip="Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ranked: dict[str, WeakDeck] = {}
        self.pairs: list[ConfusionPair] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="weak"):
            yield Static("Weakest first · Recall: 30 days · Memory: recall odds now · Enter: drill", id="weak-hint")
            yield LazyTable(id="topics")  # one row per deck: 200 in a big collection, drawn as they come in view
            yield DataTable(id="facets", cursor_type="row")
            yield Static("", id="pairs-title")
            yield DataTable(id="pairs", cursor_type="row")
            yield Static("", id="leech-title")
            yield DataTable(id="leeches", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._add_topic_columns(self.app.size.width)
        leeches = self.query_one("#leeches", DataTable)
        # Widths that keep the note and source on screen at 80 columns; long text ends in "…"
        card = 30 if self.app.size.width >= 80 else max(12, self.app.size.width - 6 - 16 - 14 - 8 - 4)
        for label, key, width in (("Lapses", "lapses", 6), ("Card", "front", card), ("Note", "note", 16),
                                  ("Source", "source", 14)):
            leeches.add_column(label, key=key, width=width)
        pairs = self.query_one("#pairs", DataTable)
        for label, key, width in (("Times", "times", 5), ("Answer · card", "first", 32), ("Mixed up with", "second", 32)):
            pairs.add_column(label, key=key, width=width)

    def _add_topic_columns(self, screen_width: int) -> None:
        """The deck and facet tables share their widths, so their columns line up; a wider screen
        gives the titles the room (22 cells at 80 columns, up to 48)."""
        self.columns = columns = number_columns(screen_width)
        numbers = sum(width + 2 for _, _, width in columns)
        # At least 80 columns: 22 cells, up to 48 as the screen widens; below, what the numbers leave.
        title = (min(48, TITLE_WIDTH + max(0, screen_width - 80) // 2) if screen_width >= 80
                 else max(10, screen_width - numbers - 2 - 2 - 2))  # its padding, the screen's, the scrollbar
        self.query_one("#topics", LazyTable).set_columns(
            [Column("Deck", "topic", title), *(Column(label, key, width) for label, key, width in columns)])
        facets = self.query_one("#facets", DataTable)
        facets.clear(columns=True)
        facets.add_column("Facet", key="topic", width=title)
        for label, key, width in columns:
            facets.add_column(label, key=key, width=width)

    def on_resize(self, event) -> None:  # noqa: ANN001
        self._add_topic_columns(event.size.width)
        if self.ranked:
            self._show_facets()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: the one place the numbers are read.
        self.refresh_topics()

    def refresh_from_store(self) -> None:
        """The terminal regained focus: another copy of studyapp may have studied meanwhile."""
        self.service.sync_progress()
        self.refresh_topics()

    def refresh_topics(self) -> None:
        service = self.service
        ranked = service.reports.weak_topics()
        self.ranked = {w.deck.deck_id: w for w in ranked}
        self.deck_order = [w.deck.deck_id for w in ranked]
        # Back from a drill the cursor stays on the same row (the ranking may have moved the deck)
        self.query_one("#topics", LazyTable).set_rows(
            len(ranked), lambda row: topic_texts(ranked[row].deck, self.columns), keep_cursor=True)
        self._show_facets()
        self._refresh_pairs()
        self._refresh_leeches()

    def _refresh_pairs(self) -> None:
        service = self.service
        table = self.query_one("#pairs", DataTable)
        self.pairs = service.confusions.pairs(limit=MAX_PAIRS)
        table.clear()
        for i, pair in enumerate(self.pairs):
            first, second = service.decks.card(*pair.first), service.decks.card(*pair.second)
            cells = (str(pair.count), short_answer(first), short_answer(second))
            table.add_row(*(Text(c.replace("\n", "; "), no_wrap=True, overflow="ellipsis", end="") for c in cells),
                          key=str(i))
        title = self.query_one("#pairs-title", Static)
        title.update(f"Most confused pairs ({len(self.pairs)}) · x: drill one side by side")
        title.display = table.display = bool(self.pairs)

    def action_drill_pair(self) -> None:
        table = self.query_one("#pairs", DataTable)
        if not self.pairs or not 0 <= table.cursor_row < len(self.pairs):
            return
        self.app.run_session(self.service.confusions.start_pair_drill(self.pairs[table.cursor_row]))

    def _show_facets(self) -> None:
        facets = self.query_one("#facets", DataTable)
        facets.clear()
        deck_id = self._highlighted_deck()
        weak_deck = self.ranked.get(deck_id) if deck_id else None
        if weak_deck is None:
            return
        for topic in weak_deck.facets:
            facets.add_row(*topic_cells(topic, self.columns), key=f"{topic.deck_id}\t{topic.facet}")
        facets.border_title = f"Facets of {weak_deck.deck.title}, weakest first"

    def on_lazy_table_row_highlighted(self, event: LazyTable.RowHighlighted) -> None:
        self._show_facets()

    def _highlighted_deck(self) -> str | None:
        topics = self.query_one("#topics", LazyTable)
        if topics.row_count == 0 or not 0 <= topics.cursor_row < len(self.deck_order):
            return None
        return self.deck_order[topics.cursor_row]

    def _refresh_leeches(self) -> None:
        service = self.service
        table = self.query_one("#leeches", DataTable)
        found = service.reports.leeches()
        table.clear()
        for card, progress in found:
            cells = (str(progress.lapses), card.front, card.note or "-", describe_sources(card, service.decks.sources))
            table.add_row(*(Text(c, no_wrap=True, overflow="ellipsis", end="") for c in cells),
                          key=f"{card.deck_id}\t{card.id}")
        title = self.query_one("#leech-title", Static)
        title.update(f"Leeches ({len(found)}): {LEECH_LAPSES}+ lapses, out of sessions until reset (r)")
        title.display = table.display = bool(found)

    def _highlighted_leech(self) -> tuple[str, str] | None:
        table = self.query_one("#leeches", DataTable)
        if table.row_count == 0:
            return None
        deck_id, _, card_id = str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value).partition("\t")
        return deck_id, card_id

    def action_drill(self, practice: bool) -> None:
        service = self.service
        if self.query_one("#leeches", DataTable).has_focus:
            key = self._highlighted_leech()
            card = service.decks.card(*key) if key else None
            if card is not None:
                self.app.show("card", card)
            return
        if self.query_one("#pairs", DataTable).has_focus:
            self.action_drill_pair()
            return
        facets = self.query_one("#facets", DataTable)
        if facets.has_focus and facets.row_count:
            deck_id, _, facet = str(facets.coordinate_to_cell_key(Coordinate(facets.cursor_row, 0)).row_key.value).partition("\t")
            self.app.run_session(service.sessions.topic_drill(deck_id, facet, practice=practice))
            return
        deck = self._highlighted_deck()
        if deck is not None:
            self.app.run_session(service.sessions.topic_drill(deck, practice=practice))

    def action_brain_dump(self) -> None:
        """Free recall on the highlighted facet (when the facets have the focus) or deck."""
        facets = self.query_one("#facets", DataTable)
        if facets.has_focus and facets.row_count:
            deck_id, _, facet = str(facets.coordinate_to_cell_key(Coordinate(facets.cursor_row, 0)).row_key.value).partition("\t")
            self.app.brain_dump(deck_id, facet)
        elif (deck := self._highlighted_deck()) is not None:
            self.app.brain_dump(deck)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reset_leech":
            return self.query_one("#leeches", DataTable).row_count > 0
        if action == "drill_pair":
            return bool(self.pairs)
        return True

    def action_reset_leech(self) -> None:
        key = self._highlighted_leech()
        card = self.service.decks.card(*key) if key else None
        if card is None:
            return
        try:
            self.service.reset_leech(card)
        except StorageError as exc:
            self.notify(f"The leech was NOT reset: {exc}.", title="Could not save", severity="error", timeout=10)
            return
        self.notify(f"Reset: {card.front[:60]} is back in normal sessions")
        self.refresh_topics()
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_drill(False)

    def on_lazy_table_row_selected(self, event: LazyTable.RowSelected) -> None:
        event.stop()
        self.action_drill(False)

    def action_back(self) -> None:
        self.app.pop_screen()

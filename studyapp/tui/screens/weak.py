"""Weak topics: decks, and their facets under them, ranked weakest first; Enter drills one; leeches below."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from studyapp.core.stats import TopicStats
from studyapp.tui.widgets.card_view import describe_sources

TITLE_WIDTH = 26  # the Topic column, so that six number columns still fit 80 columns


def percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def topic_cells(topic: TopicStats) -> tuple:
    if topic.facet is None:
        title = Text(topic.title[:TITLE_WIDTH], style="bold")
    else:
        title = Text("  · " + topic.facet)
    return (title, Text(percent(topic.recall), justify="right"), Text(percent(topic.retrievability), justify="right"),
            Text(str(topic.lapses), justify="right"), Text(str(topic.leeches), justify="right"),
            Text(percent(topic.essay_coverage), justify="right"), Text(f"{topic.studied}/{topic.cards}", justify="right"))


class WeakScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "drill(False)", "Drill", id="weak.drill"),
        Binding("p", "drill(True)", "Practice", id="weak.practice"),
        Binding("r", "reset_leech", "Reset leech", id="weak.reset"),
        Binding("escape", "back", "Back", id="weak.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="weak"):
            yield Static("Weakest first. Recall: last 30 days · Memory: mean retrievability now · "
                         "Enter drills · p practises without rescheduling", id="weak-hint")
            yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
            yield Static("", id="leech-title")
            yield DataTable(id="leeches", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        topics = self.query_one("#topics", DataTable)
        topics.add_column("Topic", key="topic", width=TITLE_WIDTH)
        for label, key in (("Recall", "recall"), ("Memory", "memory"), ("Lapses", "lapses"),
                           ("Leech", "leeches"), ("Essays", "essays"), ("Seen", "seen")):
            topics.add_column(label, key=key)
        leeches = self.query_one("#leeches", DataTable)
        for label, key in (("Lapses", "lapses"), ("Card", "front"), ("Note", "note"), ("Source", "source")):
            leeches.add_column(label, key=key)
        topics.focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: the one place the numbers are read.
        self.refresh_topics()

    def refresh_topics(self) -> None:
        service = self.app.service
        topics = self.query_one("#topics", DataTable)
        row = topics.cursor_row
        topics.clear()
        rows, keys = [], []
        for weak_deck in service.weak_topics():
            for topic in (weak_deck.deck, *weak_deck.facets):
                rows.append(topic_cells(topic))
                keys.append(f"{topic.deck_id}\t{topic.facet or ''}")
        for cells, key in zip(rows, keys):
            topics.add_row(*cells, key=key)
        if rows:
            topics.move_cursor(row=min(row, len(rows) - 1))
        self._refresh_leeches()

    def _refresh_leeches(self) -> None:
        service = self.app.service
        table = self.query_one("#leeches", DataTable)
        found = service.leeches()
        table.clear()
        for card, progress in found:
            table.add_row(str(progress.lapses), card.front, card.note or "-",
                          describe_sources(card, service.decks.sources), key=f"{card.deck_id}\t{card.id}")
        title = self.query_one("#leech-title", Static)
        title.update(f"Leeches ({len(found)}): failed {8} times or more, kept out of normal sessions "
                     "until you reset them (r)")
        title.display = table.display = bool(found)

    def _selected_key(self, table_id: str) -> tuple[str, str] | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        deck_id, _, rest = str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value).partition("\t")
        return deck_id, rest

    def action_drill(self, practice: bool) -> None:
        if self.query_one("#leeches", DataTable).has_focus:
            key = self._selected_key("#leeches")
            if key is not None:
                card = self.app.service.decks.card(*key)
                self.app.run_session(self.app.service.start_drill(key[0], card.facet if card else None,
                                                                  practice=practice))
            return
        key = self._selected_key("#topics")
        if key is None:
            return
        deck_id, facet = key
        self.app.run_session(self.app.service.start_drill(deck_id, facet or None, practice=practice))

    def action_reset_leech(self) -> None:
        table = self.query_one("#leeches", DataTable)
        key = self._selected_key("#leeches")
        if key is None or not table.display:
            return
        card = self.app.service.decks.card(*key)
        if card is None:
            return
        self.app.service.reset_leech(card)
        self.notify(f"Reset: {card.front[:60]} is back in normal sessions")
        self.refresh_topics()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_drill(False)

    def action_back(self) -> None:
        self.app.pop_screen()

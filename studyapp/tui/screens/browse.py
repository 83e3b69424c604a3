"""The card browser: every card in a table, fuzzy search as you type, sort by any column, Enter opens a card."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from studyapp.core.search import BrowseRow
from studyapp.tui.screens.card import CardScreen

PAGE = 50  # rows put in the table per search, and added each time the cursor nears the end: a DataTable
# measures every cell it is given, so refilling only a screenful and a bit keeps each keystroke quick
COLUMNS = (("Deck", "deck", 12), ("Facet", "facet", 9), ("Front", "front", None), ("Due", "due", 7),
           ("Stab.", "stability", 5), ("Lapses", "lapses", 6))


def plain(cells: tuple[str, ...]) -> tuple[Text, ...]:
    """Card text as Text, never parsed as markup (a DataTable reads a str cell as markup: "[1]" would vanish)."""
    return tuple(Text(c, no_wrap=True, overflow="ellipsis", end="") for c in cells)


class BrowseScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+f,slash", "focus_search", "Search", id="browse.search", key_display="/"),
        Binding("ctrl+o", "next_sort", "Sort by", id="browse.sort", key_display="^o"),
        Binding("ctrl+r", "reverse_sort", "Reverse", id="browse.reverse", key_display="^r"),
        Binding("down", "focus_table", "Results", id="browse.results", show=False),
        Binding("escape", "back", "Back", id="browse.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "deck"
        self.reverse = False
        self.matches: set[int] | None = None
        self.shown: list[int] = []
        self.found = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="browse"):
            yield Input(placeholder="Search fronts, backs and notes (fuzzy: typos are forgiven)", id="browse-search")
            yield Static("", id="browse-status")
            yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.browser = self.app.service.browser()
        self._add_columns(self.app.size.width)
        self.query_one("#browse-search", Input).focus()

    def _add_columns(self, screen_width: int) -> None:
        """The Front column takes what the others leave, so Due, Stab. and Lapses stay on screen."""
        table = self.query_one("#cards", DataTable)
        table.clear(columns=True)
        extra = max(0, screen_width - 80) // 8  # wider screens give the deck and facet names room too
        widths = {key: width + (extra if key == "deck" else min(extra, 3) if key == "facet" else 0)
                  for _, key, width in COLUMNS if width}
        # 2 cells of padding per column, the screen's padding and the scrollbar
        front = max(20, screen_width - sum(widths.values()) - 2 * len(COLUMNS) - 2 - 2)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=widths.get(key, front))

    def on_resize(self, event) -> None:  # noqa: ANN001
        if hasattr(self, "browser"):
            self._add_columns(event.size.width)
            self.show_results()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown. Back from a card, a leech may have been reset.
        self.browser.invalidate()
        self.show_results()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def search(self, query: str) -> None:
        self.matches = self.browser.search(query)
        self.show_results()

    def show_results(self) -> None:
        browser = self.browser
        self.shown = browser.ordered(self.matches, self.sort_key, self.reverse, PAGE)
        table = self.query_one("#cards", DataTable)
        table.clear()
        now = self.app.service.clock()
        table.add_rows([plain(browser.cells(n, now)) for n in self.shown])
        self.found = browser.size if self.matches is None else len(self.matches)
        label = next(label for label, key, _ in COLUMNS if key == self.sort_key)
        self.query_one("#browse-status", Static).update(
            f"{self.found:,} of {browser.size:,} cards · sorted by {label} {'↓' if self.reverse else '↑'}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Near the end of the rows shown, add the next page, so scrolling reaches every match."""
        if event.cursor_row < len(self.shown) - 5 or len(self.shown) >= self.found:
            return
        more = self.browser.ordered(self.matches, self.sort_key, self.reverse, len(self.shown) + PAGE)
        new = more[len(self.shown):]
        now = self.app.service.clock()
        self.query_one("#cards", DataTable).add_rows([plain(self.browser.cells(n, now)) for n in new])
        self.shown = more

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = str(event.column_key.value)
        self.reverse = not self.reverse if key == self.sort_key else False
        self.sort_key = key
        self.show_results()

    def action_next_sort(self) -> None:
        keys = [key for _, key, _ in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.reverse = False
        self.show_results()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self.show_results()

    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#cards", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_table":
            return self.query_one("#browse-search", Input).has_focus
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.shown):
            row: BrowseRow = self.browser.rows[self.shown[event.cursor_row]]
            self.app.push_screen(CardScreen(row.card))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_table()

    def action_back(self) -> None:
        self.app.pop_screen()

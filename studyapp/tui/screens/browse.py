"""The card browser: every card in a table, fuzzy search as you type, sort by any column, Enter opens a card."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Static

from studyapp.core.search import Browser, BrowseRow
from studyapp.tui.collector import long_lived
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer
from studyapp.tui.widgets.lazy_table import Column, LazyTable

COLUMNS = (("Deck", "deck", 12), ("Facet", "facet", 9), ("Front", "front", None), ("Due", "due", 7),
           ("Stab.", "stability", 5), ("Lapses", "lapses", 6))
NARROW_DROPS = ("stability", "lapses")


class BrowseScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("ctrl+f,slash", "focus_search", "Search", id="browse.search",
                tooltip="Back to the search box", key_display="/"),
        Binding("ctrl+o", "next_sort", "Sort by", id="browse.sort",
                tooltip="Sort by the next column", key_display="^o"),
        Binding("ctrl+r", "reverse_sort", "Reverse", id="browse.reverse",
                tooltip="Reverse the order", key_display="^r"),
        Binding("down", "focus_table", "Results", id="browse.results", show=False),
        Binding("escape", "back", "Back", id="browse.back", tooltip="Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "deck"
        self.reverse = False
        self.matches: set[int] | None = None
        self.shown: list[int] = []
        self.browser: Browser | None = None  # None until the search index is ready

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="browse"):
            yield Input(placeholder="Search fronts, backs and notes (fuzzy: typos are forgiven)", id="browse-search")
            yield Static("", id="browse-status")
            yield LazyTable(id="cards")
        yield Footer()

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width)
        search = self.query_one("#browse-search", Input)
        # A watcher runs inside the keystroke's own handling (Input.Changed would arrive a message later),
        # so the typed letter and its results reach the screen in one frame, not two.
        self.watch(search, "value", self.search, init=False)
        search.focus()
        if self.service.browser_built:
            self.browser = self.service.browser()  # on_screen_resume, which follows, shows the cards
        else:
            # The first open reads every card and indexes it (1-2 s at 100,000 cards): show the
            # screen first, say so, and build it once that frame is painted.
            self.query_one("#browse-status", Static).update("Reading every card for search…", layout=False)
            self.call_after_refresh(self._build_index)

    def _build_index(self) -> None:
        with long_lived():  # the search index and every card, loaded now for the app's lifetime
            browser = self.service.browser()
        self._index_ready(browser)

    def _index_ready(self, browser: Browser) -> None:
        self.browser = browser
        self.search(self.query_one("#browse-search", Input).value)  # what was typed meanwhile

    def _add_columns(self, screen_width: int) -> None:
        """The Front column takes what the others leave, so Due, Stab. and Lapses stay on screen (under 80
        columns Stab. and Lapses give way: a card's screen has them)."""
        self.shown_columns = [i for i, (_, key, _) in enumerate(COLUMNS)
                              if screen_width >= 80 or key not in NARROW_DROPS]
        columns = [COLUMNS[i] for i in self.shown_columns]
        extra = max(0, screen_width - 80) // 8  # wider screens give the deck and facet names room too
        widths = {key: width + (extra if key == "deck" else min(extra, 3) if key == "facet" else 0)
                  for _, key, width in columns if width}
        # 2 cells of padding per column, the screen's padding and the scrollbar
        front = max(20, screen_width - sum(widths.values()) - 2 * len(columns) - 2 - 2)
        self.query_one("#cards", LazyTable).set_columns(
            [Column(label, key, widths.get(key, front)) for label, key, _ in columns])

    def on_resize(self, event) -> None:  # noqa: ANN001
        self._add_columns(event.size.width)
        self.show_results(keep_cursor=True)

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown. Back from a card, a leech may have been reset.
        if self.browser is not None:
            self.browser.invalidate()
            self.show_results(keep_cursor=True)

    def search(self, query: str) -> None:
        if self.browser is None:
            return  # the index is being built; _index_ready searches for what was typed
        self.matches = self.browser.search(query)
        self.show_results()

    def show_results(self, keep_cursor: bool = False) -> None:
        """Put the matches in the table, sorted; the table asks for the cells of the rows it draws."""
        browser = self.browser
        if browser is None:
            return
        self.shown = browser.results(self.matches, self.sort_key, self.reverse)
        now = self.service.clock()
        shown = self.shown
        picked = self.shown_columns

        def cells(row: int) -> list[str]:
            all_cells = browser.cells(shown[row], now)
            return [all_cells[i] for i in picked]

        self.query_one("#cards", LazyTable).set_rows(len(shown), cells, keep_cursor=keep_cursor)
        label = next(label for label, key, _ in COLUMNS if key == self.sort_key)
        self.query_one("#browse-status", Static).update(  # one line always: no need to lay the screen out again
            f"{len(shown):,} of {browser.size:,} cards · sorted by {label} {'↓' if self.reverse else '↑'}",
            layout=False)

    def on_lazy_table_header_selected(self, event: LazyTable.HeaderSelected) -> None:
        event.stop()
        self.reverse = not self.reverse if event.key == self.sort_key else False
        self.sort_key = event.key
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
        self.query_one("#cards", LazyTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_table":
            return self.query_one("#browse-search", Input).has_focus
        return True

    def on_lazy_table_row_selected(self, event: LazyTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.row < len(self.shown):
            assert self.browser is not None  # rows are shown only once the index is ready
            row: BrowseRow = self.browser.rows[self.shown[event.row]]
            self.app.show("card", row.card)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_table()

    def action_back(self) -> None:
        self.app.pop_screen()

"""The list of essay prompts: authored and generated, filtered by deck and searched as you type."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Input, Select, Static

from studyapp.core.essays import search_prompts
from studyapp.tui.formatting import clip, count, due_label, percent, short_title
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer

ALL_DECKS = "__all__"
OTHER_COLUMNS = 42  # Decks, Min, Last and Due with padding
DECKS_WIDTH = 14


class EssayListScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("enter", "open", "Write", id="essays.open", tooltip="Write an outline for the highlighted prompt"),
        Binding("slash", "search", "Search", id="essays.search", tooltip="Search the prompts", key_display="/"),
        Binding("h", "history", "Attempts", id="essays.history",
                tooltip="Your earlier attempts at the highlighted prompt"),
        Binding("escape", "back", "Home", id="essays.back", tooltip="Back to the decks"),
    ]

    def __init__(self, deck_id: str | None = None) -> None:
        super().__init__()
        self.deck_id = deck_id

    def compose(self) -> ComposeResult:
        service = self.service
        options = [("All decks", ALL_DECKS)] + [(d.title, d.id) for d in service.decks.decks]
        yield Header()
        with Vertical(id="essays"):
            with Horizontal(id="essay-filters"):
                yield Input(placeholder="Search prompts…", id="essay-search")
                yield Select(options, value=self.deck_id or ALL_DECKS, allow_blank=False, id="essay-deck")
            yield DataTable(id="essay-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="essay-preview")
            yield Static(id="essay-count")
        yield Footer()

    def on_mount(self) -> None:
        # The essay scorer's model loads while the student picks a prompt, not while they type.
        self.app.preload_meaning()
        table = self.query_one(DataTable)
        table.add_column("Prompt", key="prompt")
        table.add_column("Decks", key="decks")
        table.add_column("Min", key="minutes")
        table.add_column("Last", key="last")
        table.add_column("Due", key="due")
        self.refresh_rows()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows(keep_cursor=True)

    def refresh_from_store(self) -> None:
        """The terminal regained focus: attempts and drafts may have been saved by another copy."""
        self.refresh_rows(keep_cursor=True)

    def refresh_rows(self, keep_cursor: bool = False) -> None:
        """Fill the table; with `keep_cursor` (coming back, resizing) the cursor stays on its prompt, else
        (a new search or deck) it goes to the best match, the first row."""
        service = self.service
        rows = {r.prompt.id: r for r in service.essays.essay_rows()}
        query = self.query_one("#essay-search", Input).value
        deck = self.query_one("#essay-deck", Select).value
        titles = {d.id: d.title for d in service.decks.decks}
        prompts = search_prompts([r.prompt for r in rows.values()], query,
                                 None if deck in (ALL_DECKS, Select.BLANK) else str(deck), titles)
        now = service.clock()
        table = self.query_one(DataTable)
        keep = self._highlighted() if keep_cursor else None
        table.clear()
        for prompt in prompts:
            row = rows[prompt.id]
            text = ("✎ " if row.has_draft else "") + prompt.prompt
            last = percent(row.last_score)
            due = due_label(row.due, now) if row.due else "new"
            width = max(20, (self.size.width or 80) - OTHER_COLUMNS)
            decks = ", ".join(short_title(titles.get(d, d)) for d in prompt.deck_ids)
            table.add_row(clip(text, width), clip(decks, DECKS_WIDTH), str(prompt.minutes), last, due, key=prompt.id)
        if keep is not None and keep in {p.id for p in prompts}:
            table.move_cursor(row=[p.id for p in prompts].index(keep))
        self.query_one("#essay-count", Static).update(
            f"{count(len(prompts), 'prompt')} · ✎ unfinished draft · Enter to write, h for attempts, / to search")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        prompt = self.service.essays.essay_prompt(str(event.row_key.value)) if event.row_key else None
        self.query_one("#essay-preview", Static).update(prompt.prompt if prompt else "")

    def on_resize(self) -> None:
        self.refresh_rows(keep_cursor=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_rows()

    def action_search(self) -> None:
        self.query_one("#essay-search", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)

    def action_open(self) -> None:
        if (prompt_id := self._highlighted()) is not None:
            self.app.write_essay(prompt_id)

    def action_history(self) -> None:
        if (prompt_id := self._highlighted()) is not None:
            self.app.show("essay_history", self.service.essays.essay_prompt(prompt_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

"""A table that draws only the rows on screen, asking for their cells as it draws them.

Textual's DataTable renders every cell it is given through Rich (padding, wrapping, measuring)
and keeps them all; at 160x48 that is ~45 ms per refill, too slow for search-as-you-type over
100,000 cards. This table holds no rows: the screen gives it a row count and a function from
row number to cell texts, and each frame renders the visible lines straight to segments (the
Line API), a few microseconds a line however many rows there are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

PADDING = 1  # blank cells each side of a column's text


@dataclass(frozen=True)
class Column:
    label: str
    key: str
    width: int


def fit(text: str, width: int) -> str:
    """`text` on one line in exactly `width` cells, cut with an ellipsis when it is longer."""
    if "\n" in text or "\t" in text:
        text = " ".join(text.split())
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    return set_cell_size(text, width)


class LazyTable(ScrollView, can_focus=True):
    """Rows drawn on demand, a header that stays put, a row cursor, zebra stripes."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", id="table.up", show=False),
        Binding("down", "cursor_down", "Down", id="table.down", show=False),
        Binding("pageup", "page_up", "Page up", id="table.page_up", show=False),
        Binding("pagedown", "page_down", "Page down", id="table.page_down", show=False),
        Binding("home", "first", "First", id="table.first", show=False),
        Binding("end", "last", "Last", id="table.last", show=False),
        Binding("enter", "select", "Open", id="table.open", show=False),
    ]
    COMPONENT_CLASSES = {"lazy-table--header", "lazy-table--cursor", "lazy-table--even-row"}

    class RowMessage(Message):
        """A message about one row; `control` is the table, so handlers can tell tables apart."""

        def __init__(self, table: LazyTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> LazyTable:
            return self.table

    class RowSelected(RowMessage):
        """Enter, or a click on the row under the cursor."""

    class RowHighlighted(RowMessage):
        """The cursor moved to another row."""

    class HeaderSelected(Message):
        """A click on a column's label."""

        def __init__(self, table: LazyTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> LazyTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[Column] = []
        self.row_count = 0
        self._cells: Callable[[int], Sequence[str]] = lambda row: ()
        self.cursor_row = 0
        self._styles: dict[str, Style] = {}

    # --- what the owner sets --------------------------------------------------------------------
    def set_columns(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self._resize()

    def set_rows(self, count: int, cells: Callable[[int], Sequence[str]], *, keep_cursor: bool = False) -> None:
        """Show `count` rows; `cells(n)` gives row n's texts, one per column, when it comes on screen."""
        self.row_count = count
        self._cells = cells
        if not keep_cursor:
            self.cursor_row = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor_row = min(self.cursor_row, max(0, count - 1))
        self._resize()

    def row_cells(self, row: int) -> tuple[str, ...]:
        return tuple(self._cells(row))

    def _resize(self) -> None:
        width = sum(c.width + 2 * PADDING for c in self.columns)
        self.virtual_size = Size(width, self.row_count + 1)  # the header is the first line
        self.refresh()

    # --- drawing --------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles depend on focus and theme: look them up once a frame, not once a line.
        self._styles = {name: self.get_component_rich_style(f"lazy-table--{name}")
                        for name in ("header", "cursor", "even-row")}
        self._styles["odd-row"] = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            texts: Sequence[str] = [c.label for c in self.columns]
            style = self._styles["header"]
        else:
            row = scroll_y + y - 1
            if row >= self.row_count:
                return Strip.blank(width, self.rich_style)
            texts = self._cells(row)
            style = self._styles["cursor" if row == self.cursor_row else "even-row" if row % 2 == 0 else "odd-row"]
        pad = " " * PADDING
        line = "".join(pad + fit(text, column.width) + pad for column, text in zip(self.columns, texts))
        return Strip([Segment(line, style)]).crop_extend(scroll_x, scroll_x + width, style)

    # --- the cursor -----------------------------------------------------------------------------
    def move_cursor(self, row: int) -> None:
        if not self.row_count:
            return
        old = self.cursor_row
        self.cursor_row = max(0, min(row, self.row_count - 1))
        visible = max(1, self.size.height - 1)  # lines under the header
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)
        if self.cursor_row != old:
            for changed in (old, self.cursor_row):
                self.refresh(Region(0, changed - self.scroll_offset.y + 1, self.size.width, 1))
            self.post_message(self.RowHighlighted(self, self.cursor_row))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - max(1, self.size.height - 2))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + max(1, self.size.height - 2))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x + self.scroll_offset.x
            for column in self.columns:
                x -= column.width + 2 * PADDING
                if x < 0:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
            return
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < self.row_count:
            if row == self.cursor_row:
                self.action_select()
            else:
                self.move_cursor(row)

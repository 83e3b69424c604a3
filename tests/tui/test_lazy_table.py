"""LazyTable: the browser's table, which draws only the rows on screen."""

from __future__ import annotations

from textual.app import App, ComposeResult

from studyapp.tui.widgets.lazy_table import Column, LazyTable, fit


def test_fit_pads_cuts_with_an_ellipsis_and_keeps_one_line() -> None:
    assert fit("NATO", 6) == "NATO  "
    assert fit("North Atlantic", 6) == "North…"
    assert fit("two\nlines", 9) == "two lines"
    assert fit("東京大学", 5) == "東京…"  # wide characters count two cells


class TableApp(App[None]):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.asked: list[int] = []
        self.rows = rows
        self.selected: list[int] = []
        self.headers: list[str] = []

    def compose(self) -> ComposeResult:
        yield LazyTable(id="t")

    def on_mount(self) -> None:
        table = self.query_one(LazyTable)
        table.set_columns([Column("Number", "number", 10), Column("Square", "square", 12)])
        table.set_rows(self.rows, self.cells)
        table.focus()

    def cells(self, row: int) -> tuple[str, str]:
        self.asked.append(row)
        return (str(row), str(row * row))

    def on_lazy_table_row_selected(self, event: LazyTable.RowSelected) -> None:
        self.selected.append(event.row)

    def on_lazy_table_header_selected(self, event: LazyTable.HeaderSelected) -> None:
        self.headers.append(event.key)


def visible_text(app: TableApp) -> list[str]:
    table = app.query_one(LazyTable)
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_only_the_rows_on_screen_are_asked_for_and_the_cursor_keeps_in_view() -> None:
    app = TableApp(100_000)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(LazyTable)
        assert max(app.asked) < 12 and len(set(app.asked)) <= 11  # a screenful, not 100,000
        assert visible_text(app)[0].split() == ["Number", "Square"]
        await pilot.press("pagedown", "down")
        await pilot.pause()
        assert table.cursor_row == 11
        top = table.scroll_offset.y
        assert top <= table.cursor_row < top + table.size.height - 1  # under the header, on screen
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 99_999
        assert visible_text(app)[-1].split() == ["99999", "9999800001"]
        assert len(set(app.asked)) < 60
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [99_999]
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_offset.y == 0


async def test_clicks_sort_by_a_header_and_open_the_row_under_the_cursor() -> None:
    app = TableApp(5)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.click(LazyTable, offset=(15, 0))  # "Square": past Number's 10 cells and 2 of padding
        await pilot.click(LazyTable, offset=(2, 3))  # the third row: the cursor moves there
        await pilot.pause()
        assert app.headers == ["square"]
        assert app.query_one(LazyTable).cursor_row == 2 and app.selected == []
        await pilot.click(LazyTable, offset=(2, 3))  # again: it opens
        await pilot.pause()
        assert app.selected == [2]


async def test_new_rows_start_at_the_top_unless_the_cursor_is_kept() -> None:
    app = TableApp(50)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(LazyTable)
        await pilot.press("end")
        await pilot.pause()
        table.set_rows(50, app.cells, keep_cursor=True)
        assert table.cursor_row == 49
        table.set_rows(3, app.cells, keep_cursor=True)  # fewer rows: the cursor stays on the last
        assert table.cursor_row == 2
        table.set_rows(40, app.cells)
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_offset.y == 0
        assert visible_text(app)[1].split() == ["0", "0"]

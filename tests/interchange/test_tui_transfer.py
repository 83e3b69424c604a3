"""The palette's import and export, driven by Pilot: a path, a progress bar filled, the new deck on the home screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, ProgressBar, Static

from studyapp.deck_files import load_decks
from studyapp.interchange.csv_format import read_csv
from studyapp.service import StudyService
from studyapp.tui.app import StudyApp
from studyapp.tui.screens.home import HomeScreen
from studyapp.tui.screens.transfer import TransferScreen
from tests.waiting import wait_until


def _status(app: StudyApp) -> str:
    return str(app.screen.query_one("#transfer-status", Static).render())


async def test_export_then_import_from_the_palette(tmp_path: Path, service: StudyService) -> None:
    app = StudyApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home screen")
        # the palette lists the three commands
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Import cards", "Export to Anki", "Export as CSV"} <= set(titles)

        exported = tmp_path / "mine.csv"
        app.transfer("csv")
        await wait_until(pilot, lambda: isinstance(app.screen, TransferScreen) and app.screen.query(Input), "the export screen")
        app.screen.query_one(Input).value = str(exported)
        await pilot.press("enter")
        await wait_until(pilot, lambda: _status(app).startswith("Wrote"), "the export")
        assert len(read_csv(exported)) == len(service.decks.decks[0].cards)
        await pilot.press("escape")

        app.transfer("import")
        await wait_until(pilot, lambda: isinstance(app.screen, TransferScreen) and app.screen.query(Input), "the import screen")
        (tmp_path / "not-cards.apkg").write_text("hello")
        app.screen.query_one(Input).value = str(tmp_path / "not-cards.apkg")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Nothing was changed" in _status(app), "the refusal")
        assert "not-cards.apkg is not an Anki package" in _status(app)

        app.screen.query_one(Input).value = str(exported)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "1 deck file written" in _status(app), "the import")
        bar = app.screen.query_one(ProgressBar)
        assert bar.display and bar.total is not None and bar.progress == bar.total
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home screen again")
        table = app.screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, "the imported deck on the home screen")
        assert any(d.id.startswith("anki_") for d in service.decks.decks)
        assert load_decks([service.data_dir / "decks"], sources_from=[Path(service.decks.decks[0].path).parent]
                          ).errors == []

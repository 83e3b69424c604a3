"""Import cards from a file, or export them to one: a path, a progress bar, and what happened.

Opened from the command palette ("Import cards ...", "Export cards ..."). The work runs in a
thread, the bar following it; a refused file says why and changes nothing. In a browser
(`studyapp serve`) an export is handed to the browser as a download instead of being written
on the machine that serves it, so the path is only the download's name.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar, Static

from studyapp.tui.screens.base import StudyModal

TITLES = {"import": "Import cards from an Anki package (.apkg) or a CSV file",
          "apkg": "Export every deck to an Anki package (.apkg)",
          "csv": "Export every deck to a CSV file (Anki's text format)"}
HINTS = {"import": "The cards become a deck of your own; its Anki review history comes too. Enter imports.",
         "apkg": "Anki starts the cards as new: the schedule stays in studyapp. Enter exports.",
         "csv": "Spreadsheets and Anki's File > Import read it. Enter exports."}


class TransferScreen(StudyModal[bool]):
    """Dismisses with True when something was imported (the home screen then reloads its decks)."""

    BINDINGS = [Binding("escape", "close", "Close", id="transfer.close")]

    def __init__(self, mode: str, default_path: str = "") -> None:
        super().__init__()
        self.kind = mode  # "import", "apkg" or "csv"
        self.default_path = default_path
        self.imported = False
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer"):
            yield Static(TITLES[self.kind], id="transfer-title")
            yield Static(HINTS[self.kind], id="transfer-hint")
            placeholder = "path/to/cards.apkg or cards.csv" if self.kind == "import" else f"cards.{self.kind}"
            yield Input(self.default_path, placeholder=placeholder, id="transfer-path")
            bar = ProgressBar(id="transfer-progress", show_eta=False)
            bar.display = False  # until there is something to follow
            yield bar
            yield Static("", id="transfer-status")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if self.running:
            return
        if not path:
            self.show("Type a file's path first.", error=True)
            return
        self.running = True
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.show("Importing…" if self.kind == "import" else "Exporting…")
        self.transfer(Path(path).expanduser())

    def show(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#transfer-status", Static)
        status.update(text)
        status.set_class(error, "error")

    def progress(self, done: int, total: int) -> None:
        """Called from the worker's thread."""
        self.app.call_from_thread(self.query_one(ProgressBar).update, total=max(total, 1), progress=done)

    @work(thread=True, exclusive=True, group="transfer")
    def transfer(self, path: Path) -> None:
        from studyapp.errors import StorageError
        from studyapp.interchange.importing import Refused, export_file, import_file

        service = self.service
        try:
            if self.kind == "import":
                result = import_file(service, path, self.progress)
                service.reload_decks()
                self.app.call_from_thread(self.done, "\n".join(result.describe(max_decks=3)), False, True)
            elif self.app.is_web:  # to the browser as a download, never onto the serving machine's disk
                with tempfile.TemporaryDirectory(prefix="studyapp-export-") as tmp:
                    target = Path(tmp) / (path.name or f"cards.{self.kind}")
                    count = export_file(service.decks, self.kind, target, progress=self.progress)
                    data = target.read_bytes()
                self.app.call_from_thread(self.deliver, data, target.name, count)
            else:
                count = export_file(service.decks, self.kind, path, progress=self.progress)
                self.app.call_from_thread(self.done, f"Wrote {count} cards to {path.resolve()}", False, False)
        except (Refused, StorageError) as exc:
            self.app.call_from_thread(self.done, f"{exc}\nNothing was changed.", True, False)

    def deliver(self, data: bytes, name: str, count: int) -> None:
        import io

        self.app.deliver_binary(io.BytesIO(data), save_filename=name,
                                mime_type="application/octet-stream")
        self.done(f"{count} cards sent to your browser as {name}", False, False)

    def done(self, text: str, error: bool, imported: bool) -> None:
        self.running = False
        self.imported = self.imported or imported
        bar = self.query_one(ProgressBar)
        if error:
            bar.display = False
        elif bar.total is None:
            bar.update(total=1, progress=1)
        self.show(text, error=error)

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.imported)

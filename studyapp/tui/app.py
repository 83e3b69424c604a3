"""StudyApp: screens, app-wide keys and the command palette.

The first frame never waits for the database: the service (SQLAlchemy, decks,
progress) is opened in a worker thread after the home screen has painted. Once it is open, a
second worker checks the file (SQLite's quick_check, or on the day's first start the full
integrity check with the daily backup); while it is open, the write-ahead log is copied into
the database file every few seconds (a passive checkpoint, in a worker) and fully at quit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from studyapp.tui.collector import CollectorPauses, keep_out_of_gc
from studyapp.tui.commands import study_commands
from studyapp.tui.router import ScreenRouter, unknown_binding_ids
from studyapp.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from textual.timer import Timer

    from studyapp.errors import DatabaseProblem
    from studyapp.overview import Overview
    from studyapp.service import StudyService


class StudyApp(ScreenRouter):
    TITLE = "studyapp"
    SUB_TITLE = "security cooperation"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere find it too
    # Screen classes for app.tcss: under 80 columns (-narrow) and under 30 lines (-short, 80x24 included)
    # screens give their margins to content.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-normal"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Keys", id="app.help", tooltip="This list of keys", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Quit (every answer is already saved)", priority=True),
    ]

    def __init__(self, service: StudyService | None = None,
                 service_factory: Callable[[], StudyService] | None = None,
                 overview_factory: Callable[[], Overview | None] | None = None, config_file: Path | None = None):
        """`overview_factory`, if given, runs first in the same worker: the home screen's counts
        without SQLAlchemy (see overview.Opening), shown while the service opens. `config_file` holds
        the student's [keymap] (see studyapp/keymap.py)."""
        super().__init__()
        if service is None and service_factory is None:
            raise ValueError("StudyApp needs a service or a service_factory")
        self.service: StudyService | None = service
        self._service_factory = service_factory
        self._overview_factory = overview_factory
        self.overview: Overview | None = None
        self._pending_study: list[str] | None = None  # chosen before the service was ready
        self.load_error: str | None = None
        self.collector = CollectorPauses()  # when Python's garbage collector may run: see tui/collector.py
        self._opening_timer: Timer | None = None
        self._loading = False  # the service is being loaded in a worker
        self._checkpoint_timer: Timer | None = None
        self._checkpointing = False  # a checkpoint worker is running
        self._checkpointed: tuple[int, int] | None = None  # the log's (size, mtime) at the last full checkpoint
        self._config_file = config_file
        self.keymap: dict[str, str] = {}  # binding id -> keys, from config_file

    def _apply_keymap(self) -> None:
        from studyapp.keymap import read_keymap

        assert self._config_file is not None
        keymap = read_keymap(self._config_file)
        if keymap.problem is not None:
            self.notify(keymap.problem, title="Your keys", severity="warning", timeout=15, markup=False)
        self.keymap = keymap.keys
        self.set_keymap(keymap.keys)

    def on_mount(self) -> None:
        if self._config_file is not None:  # before the first screen, so that it shows the student's keys
            self._apply_keymap()
        self.push_screen(HomeScreen())
        if self.service is not None:
            keep_out_of_gc()
        else:
            # After the first frame: the worker's imports would otherwise hold the GIL while it paints.
            self.call_after_refresh(self._open_service)

    def _open_service(self) -> None:
        if not self._loading:  # the collector waits until loading ends (_loading_ended)
            self._loading = True
            self.collector.hold()
        self._load_service()

    def _loading_ended(self) -> None:
        if self._loading:
            self._loading = False
            self.collector.release()

    @work(thread=True, exclusive=True, group="open")
    def _load_service(self) -> None:
        from studyapp.errors import DatabaseProblem, StorageError

        assert self._service_factory is not None
        try:
            if self._overview_factory is not None and (overview := self._overview_factory()) is not None:
                self.call_from_thread(self._overview_ready, overview)
            service = self._service_factory()
            service.prepare()
            if unknown := unknown_binding_ids(self.keymap):  # imports every screen: here, off the first frame
                self.call_from_thread(self.notify, f"No key has the id {', '.join(unknown)} (a typo in your "
                                      "[keymap]?); those lines change nothing.", title="Your keys",
                                      severity="warning", timeout=15, markup=False)
        except DatabaseProblem as problem:  # nothing moved: the student chooses what to do
            problem.sides()  # what the file and the backup hold, read here rather than on the UI thread
            self.call_from_thread(self._database_problem, problem)
            return
        except StorageError as exc:
            self.call_from_thread(self._service_failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user on the home screen, never printed
            self.call_from_thread(self._service_failed, f"{type(exc).__name__}: {exc}")
            return
        self.call_from_thread(self._service_ready, service)

    def _overview_ready(self, overview: Overview) -> None:
        self.overview = overview
        if self.service is None and isinstance(self.screen, HomeScreen):
            self.screen.show_overview(overview)

    OPENING_PAUSE_SECONDS = 1.0  # no garbage collection for this long after a screen opens

    def _pause_collector_while_opening(self) -> None:
        if self._opening_timer is None:
            self.collector.hold()
        else:
            self._opening_timer.stop()
        self._opening_timer = self.set_timer(self.OPENING_PAUSE_SECONDS, self._opening_done)

    def _opening_done(self) -> None:
        self._opening_timer = None
        self.collector.release()

    def on_unmount(self) -> None:
        if self._opening_timer is not None:
            self._opening_timer.stop()
        self._stop_checkpoints()
        if self.service is not None:  # copy the log into the database file, so studyapp.db alone holds everything
            self.service.file.close()
        self.collector.release_all()

    def push_screen(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self._pause_collector_while_opening()
        return super().push_screen(*args, **kwargs)

    def pop_screen(self):  # noqa: ANN201
        self._pause_collector_while_opening()
        return super().pop_screen()

    def _service_ready(self, service: StudyService) -> None:
        from sqlalchemy.exc import DatabaseError  # loaded with the service

        self.service = service
        self.overview = None
        keep_out_of_gc()
        self._loading_ended()
        if isinstance(self.screen, HomeScreen):
            try:
                self.screen.refresh_decks()
            except DatabaseError as exc:  # a damaged page read: the check started below says what is wrong
                from studyapp.upkeep import plain_storage_error

                self.screen.show_error(plain_storage_error(exc))
        if service.data_dir is not None:
            self._check_database(service)
            self._checkpointed = None
            self._checkpoint_timer = self.set_interval(self.CHECKPOINT_SECONDS, self._maybe_checkpoint)
        if self._pending_study is not None:
            deck_ids, self._pending_study = self._pending_study, None
            self.study(deck_ids)

    @work(thread=True, exclusive=True, group="meaning")
    def preload_meaning(self) -> None:
        """Load the essay scorer's sentence-meaning model (about a second) while the student reads the
        prompt, so that submitting does not wait for it. Never on the start-up path."""
        if self.service is not None:
            self.service.essays.load_meaning()

    @work(thread=True, exclusive=True, group="backup")
    def _check_database(self, service: StudyService) -> None:
        """After the home screen shows: on the first start of a study day, the full integrity check and
        the day's backup; on every other start, SQLite's quick_check. Damage stops all writes at once."""
        import sqlite3

        from studyapp.errors import DatabaseProblem

        assert service.data_dir is not None
        try:
            if service.daily_backup() is None:  # no backup made today by this start, so no check either
                service.file.check()
        except DatabaseProblem as problem:
            service.file.stop_writes("your study database was found damaged, so nothing more is saved "
                                             "into it: restore a backup or quit")
            problem.sides()
            self.call_from_thread(self._database_problem, problem)
        except (OSError, sqlite3.Error) as exc:  # a full disk, say: studying can go on, but the student should know
            self.call_from_thread(self.notify, f"Today's backup could not be made: {exc}",
                                  title="Backup", severity="warning", timeout=10)

    CHECKPOINT_SECONDS = 5.0  # a log lost with the process (or deleted) loses at most this much

    def _maybe_checkpoint(self) -> None:
        """Every few seconds: if the write-ahead log changed since the last checkpoint, start one."""
        service = self.service
        if service is None or self._checkpointing or service.data_dir is None:
            return
        from studyapp import paths

        try:
            st = Path(f"{paths.database_path(service.data_dir)}-wal").stat()
        except OSError:
            return
        mark = (st.st_size, st.st_mtime_ns)
        if st.st_size and mark != self._checkpointed:
            self._checkpointing = True
            self._checkpoint(service, mark)

    @work(thread=True, group="checkpoint")
    def _checkpoint(self, service: StudyService, mark: tuple[int, int]) -> None:
        try:
            if service.file.checkpoint():
                self._checkpointed = mark
        except Exception:  # noqa: BLE001, S110 - a full disk or a damaged file: the answers stay safe in the log
            pass
        finally:
            self._checkpointing = False

    def _stop_checkpoints(self) -> None:
        if self._checkpoint_timer is not None:
            self._checkpoint_timer.stop()
            self._checkpoint_timer = None

    def _database_problem(self, problem: DatabaseProblem) -> None:
        self._loading_ended()
        self._stop_checkpoints()
        self.load_error = problem.message
        if isinstance(self.screen, HomeScreen):
            self.screen.show_error(problem.message)

        def chosen(restore: bool | None) -> None:
            if restore and problem.backup is not None:
                self._restore(problem)
            else:
                self.exit(return_code=1, message=problem.advice())

        current, backup = problem.sides()
        self.show("database_problem", problem, current, backup, callback=chosen)

    def _restore(self, problem: DatabaseProblem) -> None:
        from datetime import datetime

        from studyapp.errors import RestoreRefused
        from studyapp.upkeep import plain_storage_error, restore_backup

        assert problem.backup is not None  # offered only when there is one
        if self.service is not None:  # let go of the damaged file (and the open lock) before it is replaced
            self.service.file.close()
            self.service = None
        while not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        try:
            saved = restore_backup(problem, datetime.now())
        except RestoreRefused as refused:  # another copy has it open, a full disk ...: nothing was changed
            self.notify(f"{refused.message} Nothing was changed.", title="Not restored", severity="error",
                        timeout=15)
            self._database_problem(problem)
            return
        except Exception as exc:  # noqa: BLE001 - shown, never printed
            self._service_failed(f"the backup could not be restored: {plain_storage_error(exc)}")
            return
        self.load_error = None
        self.notify(f"Restored {problem.backup.name}" + (f"; the damaged file is kept as {saved.name}" if saved else ""),
                    title="Restored", timeout=10)
        self._open_service()

    def _service_failed(self, message: str) -> None:
        self._loading_ended()
        self.load_error = message
        if isinstance(self.screen, HomeScreen):
            self.screen.show_error(message)

    def on_app_focus(self, event: events.AppFocus) -> None:
        """The terminal is back in focus: the screen on top re-reads what another process (a second copy,
        `studyapp exam set`) may have changed meanwhile."""
        if self.service is not None and (refresh := getattr(self.screen, "refresh_from_store", None)) is not None:
            refresh()

    # --- app-wide actions -----------------------------------------------------------------
    def action_toggle_help(self) -> None:
        from studyapp.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.show("help", self.screen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from study_commands(self)

"""The home screen: every deck with its new, due and learned counts; pick one, several or all."""

from __future__ import annotations

from pathlib import PurePath

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Static

from studyapp.tui.formatting import clip, count, key_name, percent
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.footer import Footer

MAX_PROBLEMS_SHOWN = 4
NUMBER_COLUMNS = 34  # the mark, New, Due, Learned and Cards columns with their padding


def plan_text(plan) -> str:  # noqa: ANN001 - a core.planning.DayPlan
    """The exam-day plan's line: what today's cards are and what skipping them would cost."""
    if not plan.keys:
        return "Today's plan: done (or no time left in today's budget) · Enter studies as usual"
    minutes = max(1, round(plan.seconds / 60))
    return (f"Today's plan: {count(len(plan.keys), 'card')}, about {minutes} min at your "
            f"{plan.seconds_per_answer:.0f} s an answer · skipping today would cost "
            f"{plan.skip_cost * 100:.1f} points of predicted exam-day recall")


# The hint under the decks: (binding id, what the key does), line by line; the keys come from the bindings.
HINT = [
    [("home.study", "study"), ("home.select", "select several"), ("home.study_all", "all decks"),
     ("home.essays", "essays"), ("home.weak", "weak topics")],
    [("home.mock", "mock exam"), ("home.brain_dump", "brain dump (the highlighted deck)"), ("home.stats", "statistics"),
     ("home.browse", "browse")],
    [("home.settings", "settings"), ("app.help", "every key")],
]
class HomeScreen(StudyScreen[None]):
    BINDINGS = [
        Binding("enter", "study", "Study", id="home.study",
                tooltip="Study the highlighted deck, or the decks selected with Space", show=True),
        Binding("space", "toggle_select", "Select", id="home.select",
                tooltip="Select or unselect the highlighted deck, to study several at once"),
        Binding("a", "study_all", "Study all", id="home.study_all",
                tooltip="Study every deck's due and new cards in one session"),
        Binding("e", "essays", "Essays", id="home.essays",
                tooltip="Essay prompts: write an outline against the clock, see what it covered"),
        Binding("w", "open('weak')", "Weak topics", id="home.weak",
                tooltip="Weak topics: weakest first, drill one, see your leeches"),
        Binding("s", "open('stats')", "Statistics", id="home.stats",
                tooltip="Statistics: reviews per day, due cards, recall by week, mature cards"),
        Binding("b", "open('browse')", "Browse", id="home.browse",
                tooltip="Browse every card, search, see a card's history"),
        Binding("comma", "open('settings')", "Settings", id="home.settings",
                tooltip="Settings: exam date, desired retention, new cards per day", key_display=","),
        Binding("c", "cram", "Cram", id="home.cram",
                tooltip="Cram for the exam: every card, lowest predicted recall first (needs an exam date)", show=False),
        Binding("m", "mock_exams", "Mock exam", id="home.mock",
                tooltip="Mock exams: a timed paper, marked, with what you missed", show=False),
        Binding("f", "brain_dump", "Brain dump", id="home.brain_dump",
                tooltip="Brain dump: write all you remember about a topic, then see what was missing", show=False),
        Binding("x", "hide_problems", "Hide problems", id="home.hide_problems",
                tooltip="Hide the list of deck files that were skipped"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.selected: set[str] = set()
        self.has_problems = False
        self.problems_hidden = False  # the student dismissed the deck-problem panel (until the next start)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("Loading decks…", id="home-status")
            yield Static("", id="home-exam")
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static("", id="home-problems")
            yield Static(self.hint(), id="home-hint")

    def hint(self) -> str:
        """The keys under the decks, as the student's keymap has them (see studyapp/keymap.py)."""
        declared = {b.id: b for cls in (type(self), type(self.app)) for b in cls.BINDINGS if isinstance(b, Binding)}
        keymap = self.app.keymap

        def key(binding_id: str) -> str:
            binding = declared[binding_id]
            if binding_id in keymap:
                return "/".join(key_name(k) for k in keymap[binding_id].split(","))
            return binding.key_display or "/".join(key_name(k) for k in binding.key.split(","))

        lines = [" · ".join(f"{key(binding_id)} {what}" for binding_id, what in line) for line in HINT]
        return "\n".join(lines) + f" · {key_name(self.app.COMMAND_PALETTE_BINDING)} commands"

    def on_mount(self) -> None:
        # The Footer recomposes its keys each time the bindings settle (~45 ms of a ~120 ms first
        # frame at start-up); it joins one frame later, so the first frame shows at once.
        self.call_after_refresh(self._add_footer)
        table = self.query_one(DataTable)
        table.add_column(" ", key="mark", width=1)
        table.add_column("Deck", key="deck")
        for label in ("New", "Due", "Learned", "Cards"):
            table.add_column(label, key=label.lower())
        if self.app.service is not None:
            self.refresh_decks()
        elif self.app.load_error:
            self.show_error(self.app.load_error)

    async def _add_footer(self) -> None:
        await self.mount(Footer())
        self.refresh_bindings()  # the Footer lists the keys when the bindings next settle

    def on_screen_resume(self) -> None:
        self.refresh_from_store()

    def refresh_from_store(self) -> None:
        """Another copy of studyapp may have studied meanwhile, or `studyapp exam set` set a date."""
        if self.app.service is not None:
            self.app.service.sync_progress()
            self.refresh_decks()

    def refresh_decks(self) -> None:
        service = self.service
        self._show(service.summaries(), service.decks.errors)

    def show_overview(self, overview) -> None:  # noqa: ANN001 - overview.Overview, read before the service opens
        self._show(overview.summaries, overview.decks.errors)

    def _show(self, summaries, problems) -> None:  # noqa: ANN001
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for s in summaries:
            mark = "✓" if s.deck.id in self.selected else ""
            table.add_row(mark, clip(s.deck.title, self._title_width()), str(s.new), str(s.due), str(s.learned),
                          str(s.total), key=s.deck.id)
        if summaries:
            table.move_cursor(row=min(row, len(summaries) - 1))
        due = sum(s.due for s in summaries)
        new = sum(s.new for s in summaries)
        service = self.app.service  # None while only the overview is read (see overview.Opening)
        status = f"{count(len(summaries), 'deck')} · {due} due · {new} new today"
        if service is not None and service.essays.store is not None:
            status += f" · {count(service.essays.essays_due(), 'essay prompt')} due"
        self.query_one("#home-status", Static).update(status)
        if service is not None:
            self._show_exam(service.reports.exam_outlook())
        box = self.query_one("#home-problems", Static)
        self.has_problems = bool(problems)
        if problems and not self.problems_hidden:
            # One line each, so the panel stays small beside the decks, with the file's name rather than its
            # whole path so that what is wrong stays in sight; `studyapp check` has the whole text.
            width = max(20, (self.size.width or 80) - 5)
            lines = [clip(" ".join(str(p).replace(p.file, PurePath(p.file).name, 1).split()), width)
                     for p in problems[:MAX_PROBLEMS_SHOWN]]
            more = len(problems) - MAX_PROBLEMS_SHOWN
            if more > 0:
                lines.append(f"… and {more} more")
            box.update(escape(f"{count(len(problems), 'deck problem')}: skipped (x hides this; "
                              "`studyapp check` says more)\n" + "\n".join(lines)))
            box.display = True
        else:
            box.display = False
        self.refresh_bindings()
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_problems":
            return self.has_problems and not self.problems_hidden
        return True

    def action_hide_problems(self) -> None:
        self.problems_hidden = True
        self.query_one("#home-problems", Static).display = False
        self.refresh_bindings()

    def _title_width(self) -> int:
        return max(16, (self.size.width or 80) - NUMBER_COLUMNS)

    def on_resize(self) -> None:
        if self.app.service is not None:
            self.refresh_decks()
        elif self.app.overview is not None:
            self.show_overview(self.app.overview)

    def _show_exam(self, outlook) -> None:  # noqa: ANN001 - an ExamOutlook or None
        line = self.query_one("#home-exam", Static)
        line.display = outlook is not None
        if outlook is None:
            return
        if outlook.days_left is None:
            line.update(f"Exam {outlook.exam_date:%a %d %b %Y} has passed: scheduling is back to normal")
            return
        days = "today" if outlook.days_left == 0 else f"in {outlook.days_left} day" + "s" * (outlook.days_left != 1)
        text = (f"Exam {outlook.exam_date:%a %d %b}, {days} · if you stopped now you would recall "
                f"{percent(outlook.predicted_recall)} of {outlook.cards} cards on the day · c: cram")
        plan = self.service.planner.plan()
        if plan is not None:
            text += "\n" + plan_text(plan)
        line.update(text)

    def show_error(self, message: str) -> None:
        self.query_one("#home-status", Static).update(f"Could not open your study data: {message}")

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)

    def action_toggle_select(self) -> None:
        deck_id = self._highlighted()
        if deck_id is None:
            return
        self.selected ^= {deck_id}
        table = self.query_one(DataTable)
        table.update_cell(deck_id, "mark", "✓" if deck_id in self.selected else "")

    def _decks(self) -> list:
        source = self.app.service or self.app.overview
        return source.decks.decks if source is not None else []

    def action_study(self) -> None:
        if self.selected:
            self.app.study([d.id for d in self._decks() if d.id in self.selected])
        elif (deck_id := self._highlighted()) is not None:
            self.app.study([deck_id])

    def action_open(self, name: str) -> None:
        self.app.open_screen(name)

    def action_cram(self) -> None:
        self.app.cram()

    def action_mock_exams(self) -> None:
        self.app.mock_exams()

    def action_brain_dump(self) -> None:
        if (deck_id := self._highlighted()) is not None:
            self.app.brain_dump(deck_id)

    def action_study_all(self) -> None:
        if decks := self._decks():
            self.app.study([d.id for d in decks])

    def action_essays(self) -> None:
        self.app.open_essays()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study()

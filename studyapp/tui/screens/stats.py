"""Statistics: coverage of the course documents, reviews per day (heat map), cards due in the next 30 days,
recall by week, mature cards per deck. `d` studies the cards behind the weakest stretch of the course.

At 80 columns the four panels stack and scroll; from 140 columns they sit in a 2x2 grid (see app.tcss).
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState
from textual_plotext import PlotextPlot

from studyapp.core.coverage import DocumentCoverage, Stretch
from studyapp.core.models import Locator
from studyapp.core.stats import WeekRecall
from studyapp.service import Statistics
from studyapp.tui.formatting import count, describe_locators, percent
from studyapp.tui.screens.base import StudyScreen
from studyapp.tui.widgets.coverage_map import CoverageMap
from studyapp.tui.widgets.footer import Footer
from studyapp.tui.widgets.heat_map import HeatMap
from studyapp.tui.widgets.maturity_bars import MaturityBars

MIN_WEEKS_SHOWN = 4


def recall_weeks(weekly: list[WeekRecall]) -> tuple[list[WeekRecall], list[int], list[str]]:
    """The weeks the recall chart shows, from the first with reviews (at least the last four) to this
    week, and its axis: ticks and labels, the last one "this week"."""
    first = next((i for i, w in enumerate(weekly) if w.recall is not None), len(weekly))
    shown = weekly[max(0, min(first, len(weekly) - MIN_WEEKS_SHOWN)):]
    step = max(1, -(-len(shown) // 5))  # at most about five labels
    ticks = list(range(len(shown) - 1, -1, -step))[::-1]
    labels = ["this week" if i == len(shown) - 1 else f"{shown[i].start:%d %b}" for i in ticks]
    return shown, ticks, labels


class StatsScreen(StudyScreen[None]):
    weakest: tuple[str, Stretch] | None = None  # the stretch `d` studies, once the coverage is read
    coverage_ready = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back", id="stats.back", tooltip="Back"),
        Binding("w", "open('weak')", "Weak topics", id="stats.weak", tooltip="Weak topics"),
        Binding("b", "open('browse')", "Browse", id="stats.browse", tooltip="Browse cards"),
        Binding("d", "study_weakest", "Study weakest lines", id="stats.weakest",
                tooltip="Study the cards behind the least-covered lines of the course documents"),
    ]

    def on_mount(self) -> None:
        # Textual sets breakpoint classes on the first Resize, after the first frame; set now, the
        # screen is laid out (and its charts drawn) once at its real width instead of twice.
        width = self.app.size.width
        _, active = max((b for b in self.HORIZONTAL_BREAKPOINTS if width >= b[0]), default=(0, ""))
        for _, name in self.HORIZONTAL_BREAKPOINTS:
            self.set_class(name == active, name)
        self._draw_charts()
        self._read_coverage()

    @work(thread=True, exclusive=True, group="coverage", exit_on_error=False)
    def _read_coverage(self) -> list[DocumentCoverage]:
        """The coverage map reads every card's citations: at 100,000 cards the first time loads the
        cards from the deck cache (~2 s), so it is worked out off the UI thread and drawn when ready."""
        return self.service.coverage.documents()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "coverage" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        line = self.query_one("#coverage-weakest", Static)
        if event.state is WorkerState.ERROR:
            line.update(f"The course coverage could not be worked out: {event.worker.error}")
            return
        documents: list[DocumentCoverage] = event.worker.result or []
        self.weakest = self.service.coverage.weakest(documents)
        coverage = self.query_one("#coverage", CoverageMap)
        coverage.documents = documents
        coverage.refresh(layout=True)
        line.update(self._weakest_text())
        self.coverage_ready = True
        self.refresh_bindings()

    def compose(self) -> ComposeResult:
        data: Statistics = self.service.reports.statistics()
        self.data = data
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(f"Last 30 days: {data.answers_30d:,} reviews, recall {percent(data.recall_30d)} · "
                         f"due today {data.forecast[0]:,} · next 7 days {sum(data.forecast[:7]):,}",
                         id="stats-summary")
            with Vertical(id="panel-coverage") as panel:
                panel.border_title = "Course coverage (mastered: every card citing a line at recall ≥ 90%)"
                yield CoverageMap([], self.service.decks.sources, id="coverage")
                yield Static("Working out which lines of the course you have mastered…", id="coverage-weakest")
            with Vertical(id="stats-grid"):
                with Vertical(classes="stats-panel", id="panel-heat") as panel:
                    panel.border_title = "Reviews per day, last six months"
                    yield HeatMap(data.per_day, id="heat-map")
                with Vertical(classes="stats-panel", id="panel-forecast") as panel:
                    panel.border_title = "Cards due on each of the next 30 days"
                    yield PlotextPlot(id="forecast")
                with Vertical(classes="stats-panel", id="panel-recall") as panel:
                    panel.border_title = "Recall by week (% of reviews not Again)"
                    yield PlotextPlot(id="recall")
                with VerticalScroll(classes="stats-panel", id="panel-maturity") as panel:
                    panel.border_title = "Cards per deck: mature (stability ≥ 21 d) / young / new"
                    yield MaturityBars(data.maturity, id="maturity")
        yield Footer()

    def _weakest_text(self) -> str:
        if self.weakest is None:
            return "Every cited line is mastered." if self.service.decks.decks else ""
        key, stretch = self.weakest
        title = self.service.decks.sources.get(key, key).split(":")[0]
        title = title if len(title) <= 30 else title[:29] + "…"
        lines = f"line {stretch.start}" if stretch.start == stretch.end else f"lines {stretch.start}-{stretch.end}"
        return (f"Weakest: {title}, {lines} · {count(len(stretch.cards), 'card')}, recall now "
                f"{percent(stretch.recall)} · d: re-read, then study them")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "study_weakest":
            return self.weakest is not None
        return True

    def action_study_weakest(self) -> None:
        if self.weakest is None:
            return
        key, stretch = self.weakest
        title = f"Lines {describe_locators((Locator(key, stretch.start, stretch.end),), {})}"
        self.app.run_session(self.service.coverage.start_stretch_drill(stretch, title))

    def _draw_charts(self) -> None:
        data = self.data
        forecast = self.query_one("#forecast", PlotextPlot).plt
        days = list(range(len(data.forecast)))
        forecast.bar(days, data.forecast, marker="sd", width=0.6)
        ticks = list(range(0, len(days), 5))
        forecast.xticks(cast("list[float]", ticks), ["today" if i == 0 else f"{data.today + timedelta(days=i):%d %b}" for i in ticks])
        top = max(data.forecast, default=0)
        step = max(1, -(-top // 4))
        forecast.yticks(list(range(0, top + step, step)))
        forecast.ylabel("cards")

        recall = self.query_one("#recall", PlotextPlot).plt
        shown, ticks, labels = recall_weeks(data.weekly)
        weeks = [(i, w.recall) for i, w in enumerate(shown) if w.recall is not None]
        if weeks:  # a bar a week: one week of reviews reads as one bar, not a lone point mid-chart
            recall.bar([i for i, _ in weeks], [round(r * 100, 1) for _, r in weeks], marker="sd", width=0.6)
            recall.xlim(-0.5, len(shown) - 0.5)
        recall.ylim(0, 100)
        recall.yticks([0, 25, 50, 75, 100])
        recall.xticks(cast("list[float]", ticks), labels)  # plotext types positions as floats
        recall.ylabel("%")
        recall.title("" if weeks else "no reviews in the last six months")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_open(self, name: str) -> None:
        self.app.pop_screen()
        self.app.open_screen(name)

"""One line per course document: its cited lines from first to last as a strip of cells, each cell
coloured by the weakest mastery of the lines in it (mastered / learning / never studied)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from studyapp.core.coverage import DocumentCoverage, Mastery, map_cells
from studyapp.tui.widgets.maturity_bars import MATURE, NEW, YOUNG

NEVER = "#da3633"  # red: never studied stands out from the grey of lines no card cites
CELL = {Mastery.MASTERED: ("█", MATURE), Mastery.LEARNING: ("▓", YOUNG), Mastery.NEVER: ("░", NEVER),
        None: ("·", NEW)}


class CoverageMap(Widget):
    def __init__(self, documents: list[DocumentCoverage], titles: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.documents = documents
        self.titles = titles

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return len(self.documents) + 1

    def render(self) -> Text:
        width = self.size.width or 76
        label = max(10, min(24, width // 4))
        numbers = 14  # " 100% of 1,234"
        bar = max(5, width - label - numbers - 1)
        lines: list[Text] = []
        legend = Text(f"{'':{label}} " if width >= 70 else "")  # under the strips when there is room
        for mastery, name in ((Mastery.MASTERED, "mastered"), (Mastery.LEARNING, "learning"),
                              (Mastery.NEVER, "never studied"), (None, "not cited")):
            char, colour = CELL[mastery]
            legend.append(f"{char} {name}  ", style=colour)
        legend.rstrip()
        lines.append(legend)
        for doc in self.documents:
            title = self.titles.get(doc.key, doc.key).split(":")[0]  # "NATO's transformation: smart ..." -> before ":"
            title = title if len(title) <= label else title[: label - 1] + "…"
            line = Text(f"{title:<{label}} ")
            for cell in map_cells(doc, bar):
                char, colour = CELL[cell]
                line.append(char, style=colour)
            share = doc.lines(Mastery.MASTERED) / doc.cited_lines if doc.cited_lines else 0.0
            line.append(f" {share:>4.0%} of {doc.cited_lines:,}", style="dim")
            lines.append(line)
        for line in lines:  # one screen line each, whatever the width: get_content_height counts on it
            line.truncate(width, overflow="ellipsis")
        return Text("\n").join(lines)

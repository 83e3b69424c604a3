"""One horizontal bar per deck: mature cards, young cards and new cards, to scale."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from studyapp.core.stats import DeckMaturity
from studyapp.tui.formatting import clip, short_title

MATURE, YOUNG, NEW = "#26a641", "#d29922", "#6e7681"  # green, amber, grey; readable on dark and light themes


def split(width: int, parts: tuple[int, ...]) -> list[int]:
    """`width` cells shared in proportion to `parts` (largest remainders), any non-zero part getting one."""
    total = sum(parts)
    if total == 0 or width <= 0:
        return [0] * len(parts)
    exact = [width * p / total for p in parts]
    cells = [int(x) for x in exact]
    for i in sorted(range(len(parts)), key=lambda i: exact[i] - cells[i], reverse=True)[: width - sum(cells)]:
        cells[i] += 1
    return cells


class MaturityBars(Widget):
    """A legend line, then a line per deck. Drawn a line at a time (the Line API), so with 200 decks
    only the lines in view are rendered, not the whole list at every frame."""

    def __init__(self, decks: list[DeckMaturity], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.decks = decks

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return len(self.decks) + 1

    def _digits(self) -> int:
        return max((len(str(n)) for d in self.decks for n in (d.mature, d.young, d.new)), default=1)

    def _widths(self) -> tuple[int, int]:
        """The titles' column as wide as the longest title, so long as the bars keep 10 cells."""
        width = self.size.width
        numbers = 3 * (self._digits() + 1)  # " 14/ 18/  0"
        longest = max((len(d.title) for d in self.decks), default=10)
        label = max(10, min(longest, width - numbers - 2 - 10))
        return label, max(5, width - label - numbers - 2)

    def render_line(self, y: int) -> Strip:
        label, bar = self._widths()
        base = self.rich_style
        if y == 0:
            line = Text(no_wrap=True, overflow="crop")
            legend = len("█ mature  █ young  █ new")
            line.append(" " * max(0, min(label + 1, self.size.width - legend)), style="dim")
            for text, colour in (("█ mature", MATURE), ("  ", None), ("█ young", YOUNG), ("  ", None), ("█ new", NEW)):
                line.append(text, style=colour or "")
        elif y <= len(self.decks):
            d = self.decks[y - 1]
            title = d.title if len(d.title) <= label else short_title(d.title)  # "NTM-A" rather than "NATO Tra…"
            line = Text(f"{clip(title, label):<{label}} ", no_wrap=True, overflow="crop")
            for n, colour in zip(split(bar, (d.mature, d.young, d.new)), (MATURE, YOUNG, NEW)):
                line.append("█" * n, style=colour)
            digits = self._digits()
            line.append(f" {d.mature:>{digits}}/{d.young:>{digits}}/{d.new:>{digits}}", style="dim")
        else:
            return Strip.blank(self.size.width, base)
        segments = [Segment(s.text, base + s.style if s.style else base) for s in line.render(self.app.console, end="")]
        return Strip(segments).crop_extend(0, self.size.width, base)

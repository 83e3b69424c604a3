"""One horizontal bar per deck: mature cards, young cards and new cards, to scale."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from studyapp.core.stats import DeckMaturity

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
    def __init__(self, decks: list[DeckMaturity], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.decks = decks

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return len(self.decks) + 1

    def render(self) -> Text:
        width = self.size.width
        label = max(10, min(28, width // 3))
        numbers = 16  # " 120/ 340/ 512"
        bar = max(5, width - label - numbers - 2)
        out = Text(no_wrap=True, overflow="crop")
        out.append(f"{'':{label}} ", style="dim")
        out.append("█ mature", style=MATURE)
        out.append("  ")
        out.append("█ young", style=YOUNG)
        out.append("  ")
        out.append("█ new", style=NEW)
        out.append("\n")
        for d in self.decks:
            title = d.title if len(d.title) <= label else d.title[: label - 1] + "…"
            out.append(f"{title:<{label}} ")
            cells = split(bar, (d.mature, d.young, d.new))
            for n, colour in zip(cells, (MATURE, YOUNG, NEW)):
                out.append("█" * n, style=colour)
            out.append(f" {d.mature:>4}/{d.young:>4}/{d.new:>4}\n", style="dim")
        return out

"""A calendar heat map: one cell per day, a column per week (Monday at the top), darker for more reviews."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widget import Widget

# Five shades from "none" to "most", as GitHub's contribution graph; the palette reads on dark and light themes.
SHADES = ("#3a3f47", "#0e4429", "#006d32", "#26a641", "#39d353")
DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def shade_of(count: int, top: int) -> int:
    """0 for no reviews, else 1-4 by the count's share of the busiest day."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, 1 + (4 * count - 1) // top)


class HeatMap(Widget):
    """Shows (day, count) pairs, oldest first; the cell width grows to fill the space it is given."""

    def __init__(self, days: list[tuple[date, int]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days = days

    def render(self) -> Text:
        if not self.days:
            return Text("No reviews yet")
        first = self.days[0][0] - timedelta(days=self.days[0][0].weekday())  # back to a Monday
        weeks = (self.days[-1][0] - first).days // 7 + 1
        counts = dict(self.days)
        top = max(counts.values())
        # Two or three characters per week, as the width allows: "■ " reads as a grid, "■■ " fills a wide screen.
        cell = 3 if self.size.width >= 4 + weeks * 3 else 2
        block = "■" * (cell - 1) + " "
        out = Text(no_wrap=True, overflow="crop")
        months = [" "] * (weeks * cell + 3)  # room for the current month's name past the last column
        for w in range(weeks):
            sunday = first + timedelta(weeks=w, days=6)
            if sunday.day <= 7:  # the week holding a month's 1st carries its name (this month's too)
                for i, ch in enumerate(f"{sunday:%b}"):
                    months[w * cell + i] = ch
        out.append("    " + "".join(months) + "\n", style="dim")
        for weekday in range(7):
            out.append(f"{DAY_LABELS[weekday]:<4}", style="dim")
            for w in range(weeks):
                day = first + timedelta(weeks=w, days=weekday)
                if day not in counts:
                    out.append(" " * cell)
                    continue
                out.append(block, style=SHADES[shade_of(counts[day], top)])
            out.append("\n")
        total = sum(counts.values())
        active = sum(1 for n in counts.values() if n)
        out.append("    less ", style="dim")
        for shade in SHADES:
            out.append("■ ", style=shade)
        out.append(f"more · {total:,} answers · {active}/{len(counts)} days · top {top:,}", style="dim")
        return out

"""How dates, intervals and citations are said on screen."""

from __future__ import annotations

import re
from datetime import datetime

from studyapp.core.models import Card, Locator


def when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "nothing scheduled yet"
    if moment <= now:
        return "now"
    local = moment.astimezone()
    days = (local.date() - now.astimezone().date()).days
    if days == 0:
        return f"today at {local:%H:%M}"
    if days == 1:
        return f"tomorrow at {local:%H:%M}"
    return f"{local:%a %d %b} (in {days} days)"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 answer', '2 answers', '0 answers': a number and its noun as English says them."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def describe_sources(card: Card, titles: dict[str, str]) -> str:
    return describe_locators(card.source, titles)


def describe_locators(locators: tuple[Locator, ...], titles: dict[str, str]) -> str:
    """'Lecture slides, lines 963-969, 981; ...' for the citation under an answer or a key point:
    each document named once, its line ranges after it in the order cited."""
    ranges: dict[str, list[str]] = {}
    for loc in locators:
        ranges.setdefault(loc.key, []).append(str(loc.start) if loc.start == loc.end else f"{loc.start}-{loc.end}")
    parts = []
    for key, cited in ranges.items():
        single = len(cited) == 1 and "-" not in cited[0]
        parts.append(f"{titles.get(key, key)}, {'line' if single else 'lines'} {', '.join(cited)}")
    return "; ".join(parts)


def percent(share: float | None) -> str:
    """A share as a whole percentage, "-" when there is none (nothing to measure yet)."""
    return "-" if share is None else f"{share:.0%}"


def minutes_seconds(seconds: float) -> str:
    minutes, secs = divmod(round(abs(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def due_label(moment: datetime | None, now: datetime) -> str:
    """A due date short enough for a table column: now, today, tomorrow, in 5d."""
    if moment is None:
        return "-"
    if moment <= now:
        return "now"
    days = (moment.astimezone().date() - now.astimezone().date()).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days}d"


def short_title(title: str) -> str:
    """A deck's title in a narrow column: the acronym it gives in brackets ("NTM-A"), else the part before a
    colon ("ISAF"), without a leading "The"."""
    if (m := re.search(r"\(([^()]{2,12})\)", title)) is not None:
        return m.group(1)
    title = title.split(":")[0].strip()
    title = title[4:] if title.startswith("The ") else title
    words = title.split()
    if len(title) > 14 and len(words) >= 3 and all(w[0].isupper() for w in words):
        return "".join(w[0] for w in words)  # "European Defence Community" -> "EDC"
    return title


def clip(text: str, width: int) -> str:
    """Text cut to `width` characters with an ellipsis, so table columns stay on screen."""
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


KEY_NAMES = {"comma": ",", "question_mark": "?", "slash": "/", "full_stop": "."}


def key_name(key: str) -> str:
    """A key as the hint writes it: "Enter", "Ctrl+P", "g", "?"."""
    key = key.strip()
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    return "+".join(
        part if len(part) == 1 and part.islower() and "+" not in key else part.capitalize() for part in key.split("+")
    )

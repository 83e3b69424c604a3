"""The screen as text, and the lines on it cut mid-word at a right edge (the screen's, or a border's).

A word of the app's own text must never run into a border, a scrollbar or the screen's edge: with the
padding every panel has, text that fits ends in a space before them, and text cut on purpose ends in
an ellipsis ("…"). Two letters running straight into a right edge are a word cut short ("Weak top▏",
"The Western European Un│").
"""

from __future__ import annotations

import io
import re

from rich.console import Console
from textual.app import App

# A panel's right border, a scrollbar or the footer's separator: what a word must not run into.
EDGES = "│┃╮╯┤▏▎▍▌▋▊▉▐▕▁▂▃▄▅▆▇"
_CUT = re.compile(rf"[A-Za-z]{{2}}(?=[{EDGES}])|[A-Za-z]{{2}}$")


def screen_lines(app: App) -> list[str]:
    """The current screen (and any screen showing under a modal one) as lines of text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False).splitlines()


def cut_words(lines: list[str], width: int) -> list[str]:
    """The lines with a word cut at a right edge, each with its line number."""
    found = []
    for number, line in enumerate(lines, 1):
        padded = line.ljust(width)
        for m in _CUT.finditer(padded.rstrip() if len(padded.rstrip()) >= width else padded):
            found.append(f"line {number}: …{line[max(0, m.start() - 30) : m.end() + 2]!r}")
    return found

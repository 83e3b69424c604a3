#!/usr/bin/env python3
"""Walk a new student's path through the real app in tmux and print every screen, at each size.

    python bench/walk.py [--sizes 80x24,60x20,160x48] [--keep]

A fresh data folder gets a month of study on the bundled decks (tests/history.py, through the real
service), then for each size the app runs in a detached tmux session and the walk goes: home, a
study session with a typed answer, its summary, the essay list, an outline written and submitted,
its result, weak topics, statistics, the browser searching "pleven", settings with a bad date, and
help. Each step waits for a line the screen shows (never a fixed time), then prints the pane.
Read the output: a line cut mid-word at the right edge, a key out of sight, text over a border.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.history import make_history  # noqa: E402

# (what to send, the text to wait for afterwards, a title for the printout; None: print nothing)
STEPS: list[tuple[list[str], str, str | None]] = [
    ([], "a Study all", "home"),
    (["Enter"], "to go", "review: the front"),
    (["t"], "Type your answer", None),
    (["Soviet expansion", "Enter"], "You typed", "review: a typed answer graded"),
    (["3"], "to go", None),
    (["C-t"], "Show answer", None),
    (["Space"], "Source", "review: the back, flipping"),
    (["Escape"], "Home", "session summary"),
    (["Enter"], "a Study all", None),
    (["e"], "Prompt", "essay list"),
    (["Enter"], "key points", None),
    (["The Warsaw Pact was founded in 1955", "Enter", "West Germany joined NATO in 1955"], "1955", "essay editor"),
    (["C-s"], "Write again", "essay result"),
    (["Escape"], "Prompt", None),
    (["Escape"], "a Study all", None),
    (["w"], "Recall", "weak topics"),
    (["Escape"], "a Study all", None),
    (["s"], "Reviews per day", "statistics"),
    (["Escape"], "a Study all", None),
    (["b"], "Search", None),
    (["pleven"], "of", "browser: 'pleven'"),
    (["Escape"], "a Study all", None),
    ([","], "Exam date", None),
    (["C-u", "2026-02-30", "C-s"], "not a date", "settings: a bad date"),
    (["Escape"], "a Study all", None),
    (["?"], "This screen", "help on the home screen"),
    (["Escape"], "a Study all", None),
]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, text: str, seconds: float = 30.0) -> str:
    """The pane once it shows `text` (polled: the app runs in another process)."""
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            time.sleep(0.3)  # the frame after (the footer's keys) lands
            return tmux("capture-pane", "-p", "-t", session)
        time.sleep(0.1)
    raise SystemExit(f"waited {seconds:.0f} s for {text!r}; the screen was:\n{screen}")


def walk(size: str, data: Path) -> None:
    width, height = size.split("x")
    session = f"studyapp-walk-{size}"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    command = f"cd {ROOT} && PYTHONPATH={ROOT} {sys.executable} -m studyapp --data-dir {data}"
    tmux("new-session", "-d", "-s", session, "-x", width, "-y", height, command)
    try:
        for keys, expected, title in STEPS:
            for key in keys:
                literal = len(key) > 1 and not key.startswith(("C-", "M-")) and key not in ("Enter", "Escape", "Space")
                tmux("send-keys", "-t", session, *(["-l", key] if literal else [key]))
            screen = wait_for(session, expected)
            if title:
                print(f"--- {size}: {title} " + "-" * max(0, int(width) - len(size) - len(title) - 7))
                print(screen.rstrip("\n"))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="80x24,60x20,160x48")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (its path is printed)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="studyapp-walk-"))
    try:
        answers = make_history(base / "month", 30, end=datetime.now(timezone.utc))
        print(f"a month of study: {answers} answers in {base / 'month'}")
        for size in args.sizes.split(","):
            data = base / size
            shutil.copytree(base / "month", data)  # each size walks the same collection
            walk(size, data)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

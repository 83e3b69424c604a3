"""The student's own keys: a `[keymap]` table in config.toml in the data folder (see paths.config_path).

Each entry maps a binding's id (shown by `?` beside each key... see the README) to one key or several
separated by commas, in Textual's key names:

    [keymap]
    "review.good" = "g"
    "home.essays" = "e,ctrl+e"

Plain Python, no Textual: the TUI applies the result with `App.set_keymap`. A file that cannot be used
costs the student nothing but a message: the default keys stay.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class KeymapFile:
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, as set_keymap takes them
    problem: str | None = None  # why the file's keymap was not used, in plain words


def read_keymap(path: Path) -> KeymapFile:
    """The `[keymap]` table of `path`; no file, or no such table, is the defaults without a message."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return KeymapFile()
    except (OSError, UnicodeDecodeError) as exc:
        return KeymapFile(problem=f"{path} could not be read ({exc}); the default keys are used.")
    try:
        table = tomllib.loads(text).get("keymap", {})
    except tomllib.TOMLDecodeError as exc:
        return KeymapFile(problem=f"{path} is not valid TOML ({exc}); the default keys are used.")
    if not isinstance(table, dict):
        return KeymapFile(problem=f"In {path}, keymap must be a table ([keymap]); the default keys are used.")
    wrong = sorted(str(k) for k, v in table.items() if not isinstance(v, str) or not valid_keys(v))
    if wrong:
        return KeymapFile(
            problem=f'In {path}, [keymap] needs keys written as text, like "g" or "ctrl+g" or "g,h", '
            f"for {', '.join(wrong)}; the default keys are used."
        )
    return KeymapFile(keys={str(k): v for k, v in table.items()})


def valid_keys(keys: str) -> bool:
    return all(part.strip() and " " not in part.strip() for part in keys.split(","))

"""Files written whole or not at all: an export, an imported deck, the user's sources.toml."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to. When the block ends, it takes `path`'s place in one
    rename, so a reader sees the old file or the new one, never half of one; if the block fails, nothing
    is left behind and `path` is untouched."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)

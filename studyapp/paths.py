"""Every location studyapp reads or writes, made on demand, never at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "studyapp"
DATA_DIR_ENV = "STUDYAPP_DATA_DIR"
DB_NAME = "studyapp.db"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The user's data folder: --data-dir, else $STUDYAPP_DATA_DIR, else platformdirs' user data dir."""
    if override:
        path = Path(override)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(base: Path) -> Path:
    return base / DB_NAME


def user_decks_dir(base: Path) -> Path:
    return base / "decks"


def backups_dir(base: Path) -> Path:
    return base / "backups"


def cache_dir(base: Path) -> Path:
    """Parsed decks, so unchanged deck files are not parsed again; safe to delete."""
    return base / "cache"


def bundled_decks_dir() -> Path:
    """The decks shipped with studyapp: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "decks"
    return installed if installed.is_dir() else here.parent / "decks"


def deck_search_path(base: Path, extra: list[Path] | None = None) -> list[Path]:
    """Bundled decks first, then the user's own, then any --decks folders."""
    paths = [bundled_decks_dir()]
    user = user_decks_dir(base)
    if user.is_dir():
        paths.append(user)
    return paths + list(extra or [])


def config_path(base: Path) -> Path:
    """The student's settings that are not study data: the [keymap] table (see studyapp/keymap.py)."""
    return base / "config.toml"


def model_cache_dir() -> Path:
    """Where the essay model's weights are kept once made ready for this machine (studyapp/meaning.py): the
    user's cache folder, shared by every data folder; safe to delete."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "models"

"""The pure core must not load the UI or the ORM (as Harlequin checks its import hygiene)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["studyapp.core.models", "studyapp.core.decks", "studyapp.core.grading", "studyapp.core.scheduling",
        "studyapp.core.stats", "studyapp.deck_files", "studyapp.cli", "studyapp.service", "studyapp.overview",
        "studyapp.interchange.notes", "studyapp.interchange.csv_format", "studyapp.interchange.apkg",
        "studyapp.interchange.importing"]


def loaded_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("module", CORE)
def test_core_loads_neither_textual_nor_sqlalchemy(module: str) -> None:
    loaded = loaded_after(module)
    assert "textual" not in loaded
    assert "sqlalchemy" not in loaded
    assert "sqlmodel" not in loaded


def test_store_does_not_load_textual() -> None:
    loaded = loaded_after("studyapp.store.repository")
    assert "textual" not in loaded
    assert "sqlalchemy" in loaded


def test_tui_app_does_not_load_sqlalchemy_before_the_first_frame() -> None:
    # The app module is imported on the way to the first frame; the store comes later, in a worker.
    loaded = loaded_after("studyapp.tui.app")
    assert "textual" in loaded
    assert "sqlalchemy" not in loaded

"""The pure core must not load the UI or the ORM (as Harlequin checks its import hygiene)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["studyapp.core.models", "studyapp.core.counts", "studyapp.errors", "studyapp.writing", "studyapp.upkeep",
        "studyapp.session", "studyapp.core.decks", "studyapp.core.grading", "studyapp.core.scheduling",
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


def import_circles() -> list[set[str]]:
    """Every set of studyapp's modules that import each other round a circle (strongly connected, Tarjan's
    algorithm over grimp's graph), counting imports inside functions and leaving out those only for type checking."""
    import grimp

    graph = grimp.build_graph("studyapp", exclude_type_checking_imports=True)
    modules = sorted(graph.modules)
    edges = {m: sorted(set(graph.find_modules_directly_imported_by(m)) & set(modules)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(component)

    for m in modules:
        if m not in index:
            visit(m)
    return circles


def test_no_import_circle_between_studyapps_modules() -> None:
    assert import_circles() == []

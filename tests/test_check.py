"""`python3 tasks.py check` fails on a planted violation of each kind: lint, format, types, import rules.

Each runs the check's own step (tasks.check_steps, with pyproject.toml's settings) over a copy of
studyapp/ holding one planted file; the real tree passing is the check itself (and .ci/run).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tasks

ROOT = Path(__file__).resolve().parent.parent
# kind: (the planted file, its text, what the step says about it)
PLANTED = {
    "lint": ("studyapp/core/planted.py", '"""Planted."""\n\nimport os\n', "F401"),  # an unused import
    "format": ("studyapp/core/planted.py", '"""Planted."""\n\nPAIR = [1,2]\n', "planted.py"),
    "types": ("studyapp/core/planted.py", '"""Planted."""\n\nCOUNT: int = "three"\n', "[assignment]"),
    "imports": (
        "studyapp/core/planted.py",
        '"""Planted."""\n\nfrom studyapp.store import errors  # noqa: F401\n',
        "studyapp.core.planted -> studyapp.store.errors",
    ),
    "imports-tui": (
        "studyapp/tui/planted.py",
        '"""Planted."""\n\nfrom studyapp.store import errors  # noqa: F401\n',
        "studyapp.tui.planted -> studyapp.store.errors",
    ),
}


def copy_of_the_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "studyapp", root / "studyapp", ignore=shutil.ignore_patterns("__pycache__", "models"))
    for name in ("tests", "bench"):
        (root / name).mkdir()
    shutil.copy(ROOT / "pyproject.toml", root)
    shutil.copy(ROOT / "tasks.py", root)
    return root


def run_step(name: str, root: Path, *files: str) -> subprocess.CompletedProcess:
    command = dict(tasks.check_steps(sys.executable))[name]
    if files:  # the type check over the planted file alone: a whole cold run of mypy takes half a minute
        command = [*command, *files]
    return subprocess.run(
        command, cwd=root, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)}
    )


@pytest.mark.parametrize("kind", list(PLANTED))
def test_the_check_fails_on_a_planted_violation(kind: str, tmp_path: Path) -> None:
    root = copy_of_the_project(tmp_path)
    step = kind.split("-")[0]
    path, text, said = PLANTED[kind]
    files = (path,) if step == "types" else ()
    if step != "types":  # the step passes on the copy as it is (mypy's is the whole run, kept out of the suite)
        assert run_step(step, root).returncode == 0
    (root / path).write_text(text)
    result = run_step(step, root, *files)
    assert result.returncode != 0, result.stdout + result.stderr
    assert said in result.stdout + result.stderr

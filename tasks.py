#!/usr/bin/env python3
"""Set-up and the two everyday commands, with nothing but Python 3.11 installed.

    python3 tasks.py run [ARGS...]   start studyapp with the bundled decks
    python3 tasks.py test [ARGS...]  run the whole test suite
    python3 tasks.py check           lint (ruff), format check (ruff), types (mypy), import rules
                                     (import-linter), then the whole test suite; exit status 1 if any fails

Each makes ./.venv on first use and installs the project into it (again whenever
pyproject.toml changes), so a fresh clone needs nothing else.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run by whatever python3 is installed, to say so plainly
        sys.exit(f"studyapp needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(
        "Installing studyapp, its essay-marking model and its test tools into .venv "
        "(a minute or two the first time; later runs skip this) ...",
        file=sys.stderr,
    )
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f"{ROOT}[test]"],
        check=True,
    )
    # The essay model's weights are readied for int8 products on their first load (studyapp/meaning.py,
    # about 3 s): do it now, so that the first essay marked does not wait for it.
    ready = "import contextlib\nfrom studyapp.meaning import shared_model\nwith contextlib.suppress(Exception): shared_model().load()"
    subprocess.run([str(PYTHON), "-c", ready], check=False)
    STAMP.write_text(wanted)
    print("Installed.", file=sys.stderr)


SOURCES = ["studyapp", "tests", "bench", "tasks.py"]  # what ruff lints and format-checks


def check_steps(python: str) -> list[tuple[str, list[str]]]:
    """Each step of `check`: its name and its command, run from the project folder. The tools read their
    settings from pyproject.toml ([tool.ruff], [tool.mypy], [tool.importlinter])."""
    return [
        ("lint", [python, "-m", "ruff", "check", *SOURCES]),
        ("format", [python, "-m", "ruff", "format", "--check", *SOURCES]),
        ("types", [python, "-m", "mypy"]),
        (
            "imports",
            [python, "-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"],
        ),
        ("tests", [python, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider"]),
    ]


def check(python: str, root: Path = ROOT) -> int:
    failed = []
    for name, command in check_steps(python):
        print(
            f"--- {name}: {' '.join(command[2:]) if name != 'imports' else 'lint-imports'}", file=sys.stderr, flush=True
        )
        if subprocess.call(command, cwd=root) != 0:
            failed.append(name)
    print(f"check: {'failed: ' + ', '.join(failed) if failed else 'all passed'}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    ensure_env()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return subprocess.call([str(PYTHON), "-m", "studyapp", *rest])
    if command == "check":
        return check(str(PYTHON))
    return subprocess.call([str(PYTHON), "-m", "pytest", "-n", "2", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
